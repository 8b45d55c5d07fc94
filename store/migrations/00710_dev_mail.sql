-- The development mailbox (package notify, devmail.go): where mail goes
-- when no mail server is configured outside production. Every message sent
-- is kept here, in the database, so that every instance's /dev-mail shows
-- all of them. Production never writes to it.

-- +goose Up

CREATE TABLE dev_mail (
    id         BIGINT PRIMARY KEY, -- random, chosen by the application
    message_id TEXT   NOT NULL,    -- the Message-ID the mail would have had
    mail_from  TEXT   NOT NULL,
    mail_to    TEXT   NOT NULL,
    subject    TEXT   NOT NULL,
    headers    TEXT   NOT NULL,    -- JSON array of [name, value], as they would have been sent
    text_body  TEXT   NOT NULL,
    html_body  TEXT   NOT NULL,    -- '' when the message had no HTML
    sent_at    BIGINT NOT NULL     -- Unix milliseconds
);

CREATE INDEX dev_mail_sent ON dev_mail (sent_at);

-- +goose Down
DROP TABLE dev_mail;
