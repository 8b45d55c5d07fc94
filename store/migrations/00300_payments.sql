-- Payments for chargeable services (package payments): one row per checkout
-- attempt, the refunds made against it, and every provider event processed,
-- plus the state of the built-in simulated provider. The SQL is the same for
-- SQLite and PostgreSQL. Times are Unix seconds in BIGINT, ids are chosen by
-- the application (random, 53 bits). application_id has no REFERENCES: the
-- applications table belongs to another migration block, and a payment record
-- must outlive anything done to its application.

-- +goose Up

CREATE TABLE payments (
    id                BIGINT  PRIMARY KEY,
    application_id    BIGINT  NOT NULL,
    reference         TEXT    NOT NULL CHECK (reference <> ''),
    service_slug      TEXT    NOT NULL,
    service_title     TEXT    NOT NULL DEFAULT '',
    lang              TEXT    NOT NULL DEFAULT '',
    fee_when          TEXT    NOT NULL CHECK (fee_when IN ('on_application', 'on_approval')),
    attempt           INTEGER NOT NULL CHECK (attempt >= 1),
    provider          TEXT    NOT NULL,
    idempotency_key   TEXT    NOT NULL UNIQUE,
    session_id        TEXT,   -- NULL until the provider has answered
    checkout_url      TEXT    NOT NULL DEFAULT '',
    amount            BIGINT  NOT NULL CHECK (amount > 0), -- the fee snapshot, minor units
    currency          TEXT    NOT NULL,                    -- lower case, as Stripe writes it
    status            TEXT    NOT NULL CHECK (status IN ('created', 'pending', 'paid', 'failed', 'expired', 'cancelled', 'flagged', 'partially_refunded', 'refunded')),
    flag_reason       TEXT    NOT NULL DEFAULT '',
    failure_reason    TEXT    NOT NULL DEFAULT '',
    amount_received   BIGINT  NOT NULL DEFAULT 0, -- what the provider says it charged
    refunded_amount   BIGINT  NOT NULL DEFAULT 0,
    payment_intent_id TEXT,
    card_brand        TEXT    NOT NULL DEFAULT '',
    card_last4        TEXT    NOT NULL DEFAULT '',
    created_at        BIGINT  NOT NULL,
    expires_at        BIGINT  NOT NULL DEFAULT 0,
    paid_at           BIGINT, -- NULL when never paid
    updated_at        BIGINT  NOT NULL,
    UNIQUE (application_id, attempt),
    UNIQUE (provider, session_id)
);

-- Never two open attempts for one application, and never two settled ones:
-- the database refuses what a race between two requests would let through.
CREATE UNIQUE INDEX payments_one_open ON payments (application_id) WHERE status IN ('created', 'pending');
CREATE UNIQUE INDEX payments_one_settled ON payments (application_id) WHERE status IN ('paid', 'partially_refunded', 'refunded');
CREATE INDEX payments_status ON payments (status, created_at);
CREATE INDEX payments_paid_at ON payments (paid_at);
CREATE INDEX payments_intent ON payments (provider, payment_intent_id);

-- staff_person_id is people.id without REFERENCES: a refund's history stays
-- when the person who made it is removed.
CREATE TABLE payment_refunds (
    id                 BIGINT PRIMARY KEY,
    payment_id         BIGINT NOT NULL REFERENCES payments (id),
    amount             BIGINT NOT NULL CHECK (amount > 0),
    reason             TEXT   NOT NULL,
    staff_person_id    BIGINT NOT NULL,
    idempotency_key    TEXT   NOT NULL UNIQUE,
    provider_refund_id TEXT   NOT NULL DEFAULT '',
    status             TEXT   NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed')),
    failure_reason     TEXT   NOT NULL DEFAULT '',
    created_at         BIGINT NOT NULL,
    updated_at         BIGINT NOT NULL
);

CREATE INDEX payment_refunds_payment ON payment_refunds (payment_id);
CREATE INDEX payment_refunds_status ON payment_refunds (status);

-- Every provider event processed, by its id: inserting the row is what makes
-- processing happen once, in the same transaction as its effects.
CREATE TABLE payment_events (
    event_id    TEXT   PRIMARY KEY,
    provider    TEXT   NOT NULL,
    type        TEXT   NOT NULL,
    session_id  TEXT   NOT NULL DEFAULT '',
    payment_id  BIGINT, -- NULL when the event is about nothing of ours
    received_at BIGINT NOT NULL,
    result      TEXT   NOT NULL
);

CREATE INDEX payment_events_payment ON payment_events (payment_id);

-- The simulated provider's own state, kept apart from payments as Stripe's
-- is, so that reconciliation has an independent truth to ask.
CREATE TABLE payment_simulated_sessions (
    id                TEXT   PRIMARY KEY,
    idempotency_key   TEXT   NOT NULL UNIQUE,
    payment_id        BIGINT NOT NULL,
    title             TEXT   NOT NULL,
    amount            BIGINT NOT NULL,
    currency          TEXT   NOT NULL,
    success_url       TEXT   NOT NULL,
    cancel_url        TEXT   NOT NULL,
    status            TEXT   NOT NULL CHECK (status IN ('open', 'complete', 'expired')),
    payment_status    TEXT   NOT NULL CHECK (payment_status IN ('unpaid', 'paid')),
    payment_intent_id TEXT   NOT NULL UNIQUE,
    refunded          BIGINT NOT NULL DEFAULT 0,
    expires_at        BIGINT NOT NULL,
    created_at        BIGINT NOT NULL
);

CREATE TABLE payment_simulated_refunds (
    id              TEXT   PRIMARY KEY,
    idempotency_key TEXT   NOT NULL UNIQUE,
    session_id      TEXT   NOT NULL REFERENCES payment_simulated_sessions (id),
    amount          BIGINT NOT NULL,
    created_at      BIGINT NOT NULL
);

-- +goose Down
DROP TABLE payment_simulated_refunds;
DROP TABLE payment_simulated_sessions;
DROP TABLE payment_events;
DROP TABLE payment_refunds;
DROP TABLE payments;
