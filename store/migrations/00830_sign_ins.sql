-- Sign-in history (package accounts), for "Your data" (/account/data): a
-- session row is deleted at sign-out and purged when it expires, so the
-- account could not say when someone signed in. One row per sign-in, kept
-- accounts.SignInHistory (90 days) and then purged with expired sessions;
-- deleted with the person. Only what the person is shown is kept: when, at
-- which level of assurance, and when the session was last used — no IP
-- address, no browser. session_hash is the SHA-256 the session's row has
-- (auth_sessions.id_hash), to move last_active_at on and to tell a
-- session still open; it means nothing once that session is gone. The SQL
-- is the same for SQLite and PostgreSQL; times are Unix seconds.

-- +goose Up

CREATE TABLE sign_ins (
    id             BIGINT PRIMARY KEY,
    person_id      BIGINT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    session_hash   TEXT   NOT NULL,
    acr            TEXT   NOT NULL DEFAULT '',
    signed_in_at   BIGINT NOT NULL,
    last_active_at BIGINT NOT NULL
);

CREATE INDEX sign_ins_person ON sign_ins (person_id, signed_in_at);
CREATE INDEX sign_ins_session ON sign_ins (session_hash);
CREATE INDEX sign_ins_signed_in ON sign_ins (signed_in_at);

-- +goose Down
DROP TABLE sign_ins;
