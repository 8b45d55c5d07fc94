-- Content editing (portal/editor_*.go, sqlstore/editorial.go): drafts and
-- their revisions, the owner and review date of each entry, the audit log of
-- every change to the catalogue, and the secret that signs preview links.
--
-- The published catalogue stays in catalogue_services and catalogue_entries,
-- which is all the public site reads: a draft lives here until a publisher
-- publishes it, in one transaction that writes the published row too.
-- The SQL is the same for SQLite and PostgreSQL; times are Unix seconds in
-- BIGINT; kinds are the catalogue.Kind* constants.

-- +goose Up

-- Every save of an entry, numbered from 1 per entry. A revision is never
-- changed: restoring an old one saves it again as the newest.
CREATE TABLE editorial_revisions (
    kind       TEXT   NOT NULL,
    slug       TEXT   NOT NULL CHECK (slug <> ''),
    revision   BIGINT NOT NULL CHECK (revision > 0),
    status     TEXT   NOT NULL, -- draft, in_review, published, archived, or conflict: a save refused by
                              -- optimistic locking, kept so that nothing typed is lost
    doc        TEXT   NOT NULL, -- JSON of the entry (catalogue.Service, Topic, ...)
    author     TEXT   NOT NULL,
    created_at BIGINT NOT NULL,
    note       TEXT   NOT NULL DEFAULT '',
    PRIMARY KEY (kind, slug, revision)
);

-- The entry's current draft, when one is being worked on: which revision it
-- is and where it stands. Deleted when the draft is published or discarded.
CREATE TABLE editorial_drafts (
    kind       TEXT   NOT NULL,
    slug       TEXT   NOT NULL,
    revision   BIGINT NOT NULL,
    status     TEXT   NOT NULL CHECK (status IN ('draft', 'in_review')),
    reason     TEXT   NOT NULL DEFAULT '', -- why it was put in review ("the fee changed")
    updated_by TEXT   NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (kind, slug),
    FOREIGN KEY (kind, slug, revision) REFERENCES editorial_revisions (kind, slug, revision)
);

-- Who answers for an entry and when its content must be checked again.
CREATE TABLE editorial_reviews (
    kind               TEXT   NOT NULL,
    slug               TEXT   NOT NULL,
    owner              TEXT   NOT NULL DEFAULT '',
    review_by          BIGINT NOT NULL, -- Unix seconds
    published_at       BIGINT NOT NULL DEFAULT 0,
    published_by       TEXT   NOT NULL DEFAULT '',
    published_revision BIGINT NOT NULL DEFAULT 0, -- 0: published by an import, not from a revision
    PRIMARY KEY (kind, slug)
);

CREATE INDEX editorial_reviews_due ON editorial_reviews (review_by);

-- Every change to the catalogue: who, when, what.
CREATE TABLE editorial_audit (
    id     BIGINT PRIMARY KEY, -- nanoseconds when written (plus noise): orders the log
    at     BIGINT NOT NULL,
    actor  TEXT   NOT NULL,
    action TEXT   NOT NULL,
    kind   TEXT   NOT NULL DEFAULT '',
    slug   TEXT   NOT NULL DEFAULT '',
    detail TEXT   NOT NULL DEFAULT ''
);

CREATE INDEX editorial_audit_at ON editorial_audit (at);
CREATE INDEX editorial_audit_entry ON editorial_audit (kind, slug, at);

-- Secrets kept across restarts and instances (the preview link key).
CREATE TABLE editorial_secrets (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- +goose Down
DROP TABLE editorial_secrets;
DROP TABLE editorial_audit;
DROP TABLE editorial_reviews;
DROP TABLE editorial_drafts;
DROP TABLE editorial_revisions;
