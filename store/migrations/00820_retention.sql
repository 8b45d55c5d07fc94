-- Retention (package applications, issue 15): a closed application (approved,
-- paid, rejected or withdrawn) is kept for its service's privacy
-- retention_days from the day it closed; then the retention job deletes its
-- answers, files, contact details and notes and leaves the row, without
-- anything that identifies the applicant, for the council's statistics and
-- for the payments and the audit log that refer to it. anonymised_at is
-- when that happened (NULL: not yet), in UTC like the table's other times.
-- The index serves the job's search, service by service.

-- +goose Up
ALTER TABLE applications ADD COLUMN anonymised_at TIMESTAMP;
CREATE INDEX applications_retention ON applications (service_slug, status, anonymised_at);

-- +goose Down
DROP INDEX applications_retention;
ALTER TABLE applications DROP COLUMN anonymised_at;
