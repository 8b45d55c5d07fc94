-- Keys the notify package signs with, made on first use so that every
-- instance signs and checks alike: the key of the unsubscribe links
-- (RFC 8058), which never expire, so the key is never rotated.

-- +goose Up
CREATE TABLE notification_secrets (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- +goose Down
DROP TABLE notification_secrets;
