-- The search quality loop (search/tuning.go, sqlstore/tuning.go): synonym
-- sets and best bets that editors manage, and search insights. Insights are
-- aggregated counts only: per ISO week, language and normalised query, with
-- nothing about who searched (no session, no IP address, no time finer than
-- the week). The SQL is the same for SQLite and PostgreSQL.

-- +goose Up

-- A set of words or phrases that mean the same in one language, stored as
-- a JSON array of strings.
CREATE TABLE search_synonyms (
    id         BIGINT PRIMARY KEY,
    lang       TEXT   NOT NULL,
    terms      TEXT   NOT NULL,
    updated_by TEXT   NOT NULL,
    updated_at BIGINT NOT NULL
);

-- A query (normalised) pinned to a service, shown first.
CREATE TABLE search_best_bets (
    lang       TEXT   NOT NULL,
    query      TEXT   NOT NULL CHECK (query <> ''),
    slug       TEXT   NOT NULL,
    updated_by TEXT   NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (lang, query)
);

CREATE TABLE search_insights (
    week         TEXT   NOT NULL, -- ISO week, "2026-W07"
    lang         TEXT   NOT NULL,
    query        TEXT   NOT NULL,
    searches     BIGINT NOT NULL DEFAULT 0,
    zero_results BIGINT NOT NULL DEFAULT 0,
    clicks       BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (week, lang, query)
);

-- +goose Down
DROP TABLE search_insights;
DROP TABLE search_best_bets;
DROP TABLE search_synonyms;
