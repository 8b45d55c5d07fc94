-- The one-time request token of the refund form each refund was asked from
-- (package payments): a form sent twice, by a double click or a browser
-- resending it, carries the same token, and the unique index lets only one
-- refund have it. Refunds made before this migration have none (NULL), and
-- a unique index allows any number of NULLs on SQLite and PostgreSQL alike.

-- +goose Up
ALTER TABLE payment_refunds ADD COLUMN request_token TEXT;
CREATE UNIQUE INDEX payment_refunds_request_token ON payment_refunds (request_token);

-- +goose Down
DROP INDEX payment_refunds_request_token;
ALTER TABLE payment_refunds DROP COLUMN request_token;
