-- Service alerts (editorial/alerts.go, sqlstore/alerts.go): a short notice
-- that editors post on the whole site, a topic or a service ("Online
-- payments are down until 18:00"), shown as a banner on the pages it covers
-- and in the API between its start and its end. Every change moves the
-- change feed's "service_alerts" topic, so that each instance reloads the
-- alerts it keeps in memory. The SQL is the same for SQLite and PostgreSQL;
-- times are Unix seconds in BIGINT (entered and shown in the council's time
-- zone by the portal).

-- +goose Up

CREATE TABLE service_alerts (
    id         BIGINT PRIMARY KEY, -- random, from Go
    scope      TEXT   NOT NULL CHECK (scope IN ('site', 'topic', 'service')),
    target     TEXT   NOT NULL DEFAULT '', -- the topic's or service's slug; '' for the whole site
    texts      TEXT   NOT NULL, -- JSON object, language -> text (catalogue.Text)
    link       TEXT   NOT NULL DEFAULT '', -- where to read more: a path of the site or an https URL
    severity   TEXT   NOT NULL CHECK (severity IN ('info', 'warning')),
    starts_at  BIGINT NOT NULL,
    ends_at    BIGINT NOT NULL,
    created_by TEXT   NOT NULL,
    created_at BIGINT NOT NULL,
    updated_by TEXT   NOT NULL,
    updated_at BIGINT NOT NULL,
    CHECK ((scope = 'site') = (target = '')),
    CHECK (ends_at >= starts_at) -- equal only for an alert ended before it started
);

-- Instances load the alerts that have not ended; the editor lists the past.
CREATE INDEX service_alerts_ends ON service_alerts (ends_at);

-- +goose Down
DROP TABLE service_alerts;
