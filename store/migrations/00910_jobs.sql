-- Background jobs (package jobs): one row per named job, holding when it is
-- next due, who holds its lease while it runs, and how its last run went.
-- An instance runs a job only after taking its lease in a transaction, so
-- each run happens on exactly one instance. Times are Unix milliseconds.

-- +goose Up

CREATE TABLE jobs (
    name             TEXT   PRIMARY KEY,
    next_run_at      BIGINT NOT NULL,
    lease_owner      TEXT   NOT NULL DEFAULT '',
    lease_until      BIGINT NOT NULL DEFAULT 0,
    last_started_at  BIGINT NOT NULL DEFAULT 0,
    last_finished_at BIGINT NOT NULL DEFAULT 0,
    last_owner       TEXT   NOT NULL DEFAULT '',
    last_error       TEXT   NOT NULL DEFAULT '',
    last_failed_at   BIGINT NOT NULL DEFAULT 0,
    runs             BIGINT NOT NULL DEFAULT 0,
    failures         BIGINT NOT NULL DEFAULT 0
);

-- +goose Down
DROP TABLE jobs;
