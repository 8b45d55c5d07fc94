-- The keys of the Open311 GeoReport v2 API (portal/open311): an
-- administrator issues one to each system that may send reports (the
-- council's CRM, a reporting app) and revokes it when it should no longer.
-- Only the SHA-256 of a key is kept: the key itself is shown once, when it
-- is issued, so a copy of the database does not hold usable keys. A key is
-- 32 random bytes, so an unsalted hash is enough (nothing to guess).
-- Times are Unix milliseconds in BIGINT; person ids BIGINT without a
-- foreign key, as in applications.

-- +goose Up

CREATE TABLE open311_keys (
    id           BIGINT PRIMARY KEY,
    name         TEXT   NOT NULL,            -- who it is for, as the administrator wrote it
    hash         TEXT   NOT NULL UNIQUE,     -- hex SHA-256 of the key
    prefix       TEXT   NOT NULL,            -- the key's first characters, to recognise it
    created_at   BIGINT NOT NULL,
    created_by   BIGINT NOT NULL DEFAULT 0,
    revoked_at   BIGINT,                     -- NULL while it is in use
    revoked_by   BIGINT,
    last_used_at BIGINT
);

-- +goose Down
DROP TABLE open311_keys;
