-- What the notifications of applications, payments, drafts and renewals
-- (package notify, issue 12) need to know about whom to tell, and in which
-- language, kept with the record that causes them:
--   - applications.lang and application_drafts.lang: the language the form
--     was filled in, for the person's mail when they chose none ('' for
--     those made before: their mail is in the person's chosen language, or
--     the authority's default);
--   - payments.person_id and payments.contact_email: the applicant the
--     payment is for, given at checkout like its language, so that payments
--     tells them of a payment without reading another area's tables;
--     payments made before are filled in from their applications here.
-- The drafts' index serves the sweep, which deletes drafts untouched for
-- applications.DraftTTL, and the reminder a few days before.

-- +goose Up
ALTER TABLE applications ADD COLUMN lang TEXT NOT NULL DEFAULT '';
ALTER TABLE application_drafts ADD COLUMN lang TEXT NOT NULL DEFAULT '';
CREATE INDEX application_drafts_updated ON application_drafts (updated_at);

ALTER TABLE payments ADD COLUMN person_id BIGINT; -- NULL: made without signing in
ALTER TABLE payments ADD COLUMN contact_email TEXT NOT NULL DEFAULT '';
UPDATE payments SET
    person_id = (SELECT a.person_id FROM applications a WHERE a.id = payments.application_id),
    contact_email = COALESCE((SELECT a.contact_email FROM applications a WHERE a.id = payments.application_id), '');

-- +goose Down
ALTER TABLE payments DROP COLUMN contact_email;
ALTER TABLE payments DROP COLUMN person_id;
DROP INDEX application_drafts_updated;
ALTER TABLE application_drafts DROP COLUMN lang;
ALTER TABLE applications DROP COLUMN lang;
