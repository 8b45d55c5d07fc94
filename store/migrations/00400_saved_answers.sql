-- Support finder answers a signed-in resident chose to save (portal,
-- support_*.go), so that their account can show the support they may be able
-- to get. Nothing is written here without that explicit consent: until then
-- the answers live only in the browser's server-side session
-- (auth_sessions.data) and end with it. One row per person, deleted when they
-- ask or when the person is deleted. The SQL is the same for SQLite and
-- PostgreSQL; times are Unix seconds in BIGINT.

-- +goose Up

CREATE TABLE support_saved_answers (
    person_id    BIGINT PRIMARY KEY REFERENCES people (id) ON DELETE CASCADE,
    answers      TEXT   NOT NULL CHECK (answers <> ''), -- JSON object: question name -> answer
    consented_at BIGINT NOT NULL, -- when the person ticked the consent box, last time they saved
    updated_at   BIGINT NOT NULL
);

-- +goose Down
DROP TABLE support_saved_answers;
