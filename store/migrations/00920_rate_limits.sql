-- The rate limits' counts (store.DB.Hit, portal/web.RateLimit): one row per
-- limit and client, with its requests in the current window and when the
-- window ends, so that every instance on the database counts the same
-- requests. A row whose window has ended is started afresh by the next
-- request, and deleted once it has been over for a while. Times are Unix
-- milliseconds.

-- +goose Up

CREATE TABLE rate_limits (
    key        TEXT   PRIMARY KEY,  -- the limit's name and the client's address or key
    hits       BIGINT NOT NULL,
    window_end BIGINT NOT NULL
);

-- +goose Down
DROP TABLE rate_limits;
