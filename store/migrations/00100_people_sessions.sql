-- People who signed in, their server-side sessions and the back-channel
-- logout tokens already used (portal/auth). The SQL is the same for SQLite
-- and PostgreSQL. Times are Unix seconds in BIGINT, ids are chosen by the
-- application (random, 53 bits) because the two disagree on auto-increment.

-- +goose Up

-- A person is who the identity provider says: keyed by (issuer, subject),
-- never by email. Name, email and roles are refreshed at every sign-in.
CREATE TABLE people (
    id             BIGINT  PRIMARY KEY,
    issuer         TEXT    NOT NULL CHECK (issuer <> ''),
    subject        TEXT    NOT NULL CHECK (subject <> ''),
    name           TEXT    NOT NULL DEFAULT '',
    email          TEXT    NOT NULL DEFAULT '',
    email_verified BOOLEAN NOT NULL DEFAULT FALSE,
    roles          TEXT    NOT NULL DEFAULT '', -- space-separated: editor caseworker admin
    created_at     BIGINT  NOT NULL,
    signed_in_at   BIGINT  NOT NULL,
    UNIQUE (issuer, subject)
);

-- One row per browser session. The cookie holds a random id, the table holds
-- only its SHA-256, so a copy of the database signs nobody in. data is the
-- Fiber session (CSRF token, sign-ins in progress), base64 of its gob.
-- person_id is NULL until sign-in. issuer, subject and oidc_sid let a
-- back-channel logout find the sessions it ends.
CREATE TABLE auth_sessions (
    id_hash         TEXT   PRIMARY KEY,
    data            TEXT   NOT NULL,
    created_at      BIGINT NOT NULL,
    idle_expires_at BIGINT NOT NULL,
    expires_at      BIGINT NOT NULL, -- absolute: created_at + absolute timeout
    person_id       BIGINT REFERENCES people (id) ON DELETE CASCADE,
    issuer          TEXT   NOT NULL DEFAULT '',
    subject         TEXT   NOT NULL DEFAULT '',
    oidc_sid        TEXT   NOT NULL DEFAULT '',
    acr             TEXT   NOT NULL DEFAULT '',
    id_token        TEXT   NOT NULL DEFAULT '', -- for id_token_hint at sign-out
    signed_in_at    BIGINT NOT NULL DEFAULT 0
);

CREATE INDEX auth_sessions_person ON auth_sessions (person_id);
CREATE INDEX auth_sessions_subject ON auth_sessions (issuer, subject);
CREATE INDEX auth_sessions_sid ON auth_sessions (issuer, oidc_sid);
CREATE INDEX auth_sessions_idle ON auth_sessions (idle_expires_at);
CREATE INDEX auth_sessions_expires ON auth_sessions (expires_at);

-- The jti of every logout token accepted, until the token expires, so that a
-- replayed token is refused.
CREATE TABLE auth_logout_tokens (
    issuer     TEXT   NOT NULL,
    jti        TEXT   NOT NULL,
    expires_at BIGINT NOT NULL,
    PRIMARY KEY (issuer, jti)
);

-- +goose Down
DROP TABLE auth_logout_tokens;
DROP TABLE auth_sessions;
DROP TABLE people;
