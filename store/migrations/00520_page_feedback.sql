-- "Was this page useful?" on service pages (portal/feedback_*.go,
-- sqlstore/feedback.go). Votes are counted per service; comments are kept
-- with the vote they came with and nothing about who wrote them (no session,
-- no IP address). The SQL is the same for SQLite and PostgreSQL.

-- +goose Up

CREATE TABLE page_feedback_scores (
    slug   TEXT   PRIMARY KEY,
    useful BIGINT NOT NULL DEFAULT 0,
    not_useful BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE page_feedback_comments (
    id         BIGINT  PRIMARY KEY,
    slug       TEXT    NOT NULL,
    useful     BOOLEAN NOT NULL,
    lang       TEXT    NOT NULL,
    comment    TEXT    NOT NULL CHECK (comment <> ''),
    created_at BIGINT  NOT NULL
);

CREATE INDEX page_feedback_comments_slug ON page_feedback_comments (slug, created_at);

-- +goose Down
DROP TABLE page_feedback_comments;
DROP TABLE page_feedback_scores;
