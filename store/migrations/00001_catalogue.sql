-- The catalogue: each entry is kept as its JSON document (what the store
-- returns) plus the few columns queried by. The SQL is the same for SQLite
-- and PostgreSQL.

-- +goose Up

-- One row: the catalogue's version and its one-document parts.
CREATE TABLE catalogue_meta (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    version   BIGINT  NOT NULL,
    format    TEXT    NOT NULL,
    authority TEXT    NOT NULL -- JSON of catalogue.Authority
);

-- Version 0 means nothing was imported yet. Import locks this row first, so
-- that imports run one at a time.
INSERT INTO catalogue_meta (id, version, format, authority) VALUES (1, 0, '', '{}');

-- Topics, departments, life events, profile questions (slug = name) and
-- journeys: short lists, replaced in place by an import.
CREATE TABLE catalogue_entries (
    kind     TEXT    NOT NULL CHECK (kind IN ('topic', 'department', 'life_event', 'profile_question', 'journey')),
    slug     TEXT    NOT NULL CHECK (slug <> ''),
    position INTEGER NOT NULL,
    doc      TEXT    NOT NULL,
    PRIMARY KEY (kind, slug)
);

-- Services are archived, never deleted: applications refer to them.
CREATE TABLE catalogue_services (
    slug            TEXT    PRIMARY KEY CHECK (slug <> ''),
    status          TEXT    NOT NULL CHECK (status IN ('published', 'archived')),
    position        INTEGER NOT NULL,
    topic           TEXT    NOT NULL,
    department      TEXT    NOT NULL,
    hash            TEXT    NOT NULL, -- of summary and doc: an import compares it instead of reading every doc
    summary         TEXT    NOT NULL, -- JSON of catalogue.ServiceSummary, for Directory
    doc             TEXT    NOT NULL, -- JSON of catalogue.Service
    changed_version BIGINT  NOT NULL  -- the catalogue version that last changed this row
);

CREATE INDEX catalogue_services_status_position ON catalogue_services (status, position);

-- +goose Down
DROP TABLE catalogue_services;
DROP TABLE catalogue_entries;
DROP TABLE catalogue_meta;
