-- The council's public holidays (package calendar): the days, besides
-- Saturdays and Sundays, on which time limits in working days do not run.
-- Administrators keep the list at /staff/holidays; the demo starts with
-- Porta Nova's. One row per date: a day that is a holiday twice over (a
-- national one and a local one) is one day off. The SQL is the same for
-- SQLite and PostgreSQL; dates are TEXT 'YYYY-MM-DD', which compare
-- correctly as text; times are Unix milliseconds in BIGINT.

-- +goose Up

CREATE TABLE holidays (
    day      TEXT   PRIMARY KEY CHECK (length(day) = 10),
    scope    TEXT   NOT NULL CHECK (scope IN ('national', 'regional', 'local')),
    name     TEXT   NOT NULL, -- JSON: the name by language, {"en": "Christmas Day", "es": "Navidad"}
    added_at BIGINT NOT NULL,
    added_by BIGINT REFERENCES people (id) ON DELETE SET NULL -- the administrator; NULL when seeded or gone
);

-- +goose Down
DROP TABLE holidays;
