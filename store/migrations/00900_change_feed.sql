-- The change feed (store/changes.go): one row per topic ("catalogue",
-- "search_tuning"), whose seq moves on in the transaction of every change,
-- so that each instance can tell what changed since it last looked. On
-- PostgreSQL the same transaction also sends a NOTIFY, so that instances
-- hear of it at once; polling this table is the fallback. The block
-- 0900-0999 is the store's own tables.

-- +goose Up

CREATE TABLE change_feed (
    topic      TEXT   PRIMARY KEY,
    seq        BIGINT NOT NULL,
    changed_at BIGINT NOT NULL -- Unix milliseconds of the last change
);

-- +goose Down
DROP TABLE change_feed;
