-- Notifications (package notify): the transactional outbox and what each
-- person chose to receive. A notification row is written in the same
-- transaction as the change that causes it (an application sent, a payment
-- received...), so a change is never made without its notification, nor a
-- notification written for a change that was undone. A worker, one at a
-- time across all instances, sends the rows that are due. The SQL is the
-- same for SQLite and PostgreSQL; times are Unix milliseconds in BIGINT, ids
-- are chosen by the application (random, 53 bits).

-- +goose Up

CREATE TABLE notifications (
    id              BIGINT  PRIMARY KEY,
    event_key       TEXT    NOT NULL UNIQUE CHECK (event_key <> ''), -- idempotency: one notification per event
    kind            TEXT    NOT NULL CHECK (kind <> ''),
    person_id       BIGINT  REFERENCES people (id) ON DELETE CASCADE, -- NULL: someone not signed in, see address
    address         TEXT    NOT NULL DEFAULT '', -- where to send when person_id is NULL
    lang            TEXT    NOT NULL DEFAULT '', -- the language the person used when it happened
    data            TEXT    NOT NULL, -- JSON object of strings: the facts the message needs, never answers or files
    status          TEXT    NOT NULL CHECK (status IN ('pending', 'sent', 'failed', 'skipped')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at BIGINT  NOT NULL, -- when the worker may take it next
    lease_until     BIGINT  NOT NULL DEFAULT 0, -- a worker holds it until then
    last_error      TEXT    NOT NULL DEFAULT '',
    skip_reason     TEXT    NOT NULL DEFAULT '', -- no_address, turned_off, obsolete
    channel         TEXT    NOT NULL DEFAULT '', -- how it was sent: email
    sent_to         TEXT    NOT NULL DEFAULT '',
    subject         TEXT    NOT NULL DEFAULT '', -- for the person's log and staff
    created_at      BIGINT  NOT NULL,
    sent_at         BIGINT  NOT NULL DEFAULT 0
);

CREATE INDEX notifications_due ON notifications (status, next_attempt_at);
CREATE INDEX notifications_person ON notifications (person_id, created_at);

-- What a person chose: the address to write to when not the verified one
-- their identity provider gave (confirmed by a link, email_confirmed_at),
-- the language of their mail, the kinds they turned off (space-separated)
-- and whether they want support alerts. No row: the defaults (the verified
-- claim, the language they used, every kind, no alerts).
CREATE TABLE notification_settings (
    person_id          BIGINT  PRIMARY KEY REFERENCES people (id) ON DELETE CASCADE,
    email              TEXT    NOT NULL DEFAULT '',
    email_confirmed_at BIGINT  NOT NULL DEFAULT 0,
    lang               TEXT    NOT NULL DEFAULT '',
    off_kinds          TEXT    NOT NULL DEFAULT '',
    support_alerts     BOOLEAN NOT NULL DEFAULT FALSE,
    updated_at         BIGINT  NOT NULL
);

-- Addresses waiting for their confirmation link to be followed. Only the
-- SHA-256 of the link's token is kept.
CREATE TABLE email_confirmations (
    token_hash TEXT   PRIMARY KEY,
    person_id  BIGINT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    email      TEXT   NOT NULL CHECK (email <> ''),
    expires_at BIGINT NOT NULL
);

CREATE INDEX email_confirmations_person ON email_confirmations (person_id);

-- +goose Down
DROP TABLE email_confirmations;
DROP TABLE notification_settings;
DROP TABLE notifications;
