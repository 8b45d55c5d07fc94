-- Clicks on search results per service (portal/public/insights.go,
-- sqlstore/tuning.go): what residents open from the results, the search's
-- ranking prior (search/prior.go). Counts only, per ISO week, language and
-- service, like search_insights: nothing about who clicked, and no time
-- finer than the week. The SQL is the same for SQLite and PostgreSQL.

-- +goose Up

CREATE TABLE search_service_clicks (
    week   TEXT   NOT NULL, -- ISO week, "2026-W07"
    lang   TEXT   NOT NULL,
    slug   TEXT   NOT NULL,
    clicks BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (week, lang, slug)
);

-- +goose Down
DROP TABLE search_service_clicks;
