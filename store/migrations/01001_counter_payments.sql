-- Payments taken at the counter (package payments, RecordCounter): the same
-- payment record as a checkout, with how it was paid. method is 'online'
-- for the provider's checkout, 'cash' or 'card_terminal' at the counter;
-- method_reference is the till receipt or the terminal's transaction
-- number; recorded_by the member of staff (people.id, no REFERENCES, like
-- payment_refunds.staff_person_id).

-- +goose Up
ALTER TABLE payments ADD COLUMN method TEXT NOT NULL DEFAULT 'online';
ALTER TABLE payments ADD COLUMN method_reference TEXT NOT NULL DEFAULT '';
ALTER TABLE payments ADD COLUMN recorded_by BIGINT;

-- +goose Down
ALTER TABLE payments DROP COLUMN recorded_by;
ALTER TABLE payments DROP COLUMN method_reference;
ALTER TABLE payments DROP COLUMN method;
