-- Applications made online (portal/applications), their history, files,
-- submission tokens, drafts, and the audit log of staff access. The SQL is
-- the same for SQLite and PostgreSQL:
--   - ids are random BIGINTs chosen by the store, so no dialect-specific
--     auto-increment is needed, and an id reveals nothing about how many
--     applications exist;
--   - times are TIMESTAMP in UTC; dates (due_date) are TEXT 'YYYY-MM-DD',
--     which compare correctly as text in both;
--   - person ids are BIGINT without a foreign key: the people table belongs
--     to the sign-in store;
--   - status has no CHECK: the transition table in Go is the authority, and
--     new statuses (awaiting_payment, paid) must not need a table rebuild on
--     SQLite.

-- +goose Up

CREATE TABLE applications (
    id                BIGINT  PRIMARY KEY,
    reference         TEXT    NOT NULL UNIQUE,
    service_slug      TEXT    NOT NULL,
    catalogue_version BIGINT  NOT NULL,
    person_id         BIGINT,           -- NULL: made without signing in (assurance "none")
    contact_name      TEXT    NOT NULL DEFAULT '',
    contact_email     TEXT    NOT NULL DEFAULT '',
    answers           TEXT    NOT NULL, -- JSON of forms.Answers
    fee_amount        BIGINT,           -- NULL when the service was free; minor units
    fee_currency      TEXT,
    fee_when          TEXT,
    status            TEXT    NOT NULL,
    created_at        TIMESTAMP NOT NULL,
    submitted_at      TIMESTAMP,
    updated_at        TIMESTAMP NOT NULL,
    due_date          TEXT              -- NULL when the service states no processing time
);

CREATE INDEX applications_person ON applications (person_id, created_at);
CREATE INDEX applications_queue ON applications (status, submitted_at);
CREATE INDEX applications_service ON applications (service_slug, status);

-- Every change of status, in order (seq counts from 1 per application).
CREATE TABLE application_events (
    application_id  BIGINT  NOT NULL REFERENCES applications (id),
    seq             INTEGER NOT NULL,
    at              TIMESTAMP NOT NULL,
    actor_person_id BIGINT,
    actor_role      TEXT    NOT NULL,
    from_status     TEXT    NOT NULL,
    to_status       TEXT    NOT NULL,
    note            TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (application_id, seq)
);

-- Uploaded files. The content is on disk under storage_name in the uploads
-- directory; event_seq is set for files sent with an event (an answer to a
-- request for more information) rather than with the form.
CREATE TABLE application_files (
    id             TEXT    PRIMARY KEY,
    application_id BIGINT  NOT NULL REFERENCES applications (id),
    event_seq      INTEGER,
    field          TEXT    NOT NULL,
    filename       TEXT    NOT NULL,
    content_type   TEXT    NOT NULL,
    size           BIGINT  NOT NULL,
    sha256         TEXT    NOT NULL,
    storage_name   TEXT    NOT NULL UNIQUE,
    created_at     TIMESTAMP NOT NULL
);

CREATE INDEX application_files_application ON application_files (application_id);

-- One row per submission: the form's one-time token, so that posting the
-- same form twice returns the first application.
CREATE TABLE submission_tokens (
    token          TEXT    PRIMARY KEY,
    application_id BIGINT  NOT NULL REFERENCES applications (id),
    person_id      BIGINT,
    created_at     TIMESTAMP NOT NULL
);

-- A person's unfinished form for a service, as typed.
CREATE TABLE application_drafts (
    person_id    BIGINT    NOT NULL,
    service_slug TEXT      NOT NULL,
    input        TEXT      NOT NULL, -- JSON of forms.Values
    updated_at   TIMESTAMP NOT NULL,
    PRIMARY KEY (person_id, service_slug)
);

-- Who on the staff looked at or changed what.
CREATE TABLE audit_log (
    id              BIGINT  PRIMARY KEY,
    at              TIMESTAMP NOT NULL,
    actor_person_id BIGINT,
    actor_role      TEXT    NOT NULL,
    action          TEXT    NOT NULL,
    application_id  BIGINT  REFERENCES applications (id),
    detail          TEXT    NOT NULL DEFAULT ''
);

CREATE INDEX audit_log_application ON audit_log (application_id, at);

-- +goose Down
DROP TABLE audit_log;
DROP TABLE application_drafts;
DROP TABLE submission_tokens;
DROP TABLE application_files;
DROP TABLE application_events;
DROP TABLE applications;
