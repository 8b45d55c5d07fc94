-- Acting for someone else (package acting): organisations with their
-- members, invitations and saved business permit plans; representations (a
-- person authorised to act for another, online or on paper); and, on each
-- application, for whom and by whom it was made. The SQL is the same for
-- SQLite and PostgreSQL: ids are random BIGINTs chosen by the store, times
-- TIMESTAMP in UTC, dates TEXT 'YYYY-MM-DD' (which compare as text), person
-- ids BIGINT without a foreign key (people belong to the accounts area).

-- +goose Up

-- A business or other body. tax_id is kept as typed, upper case without
-- spaces or dashes, and is unique: one organisation per tax ID.
-- confirmed_by is '' until the tax ID is confirmed: 'idp' when the
-- registering person's identity provider carried it, 'staff' when a
-- caseworker checked it (confirmed_by_person).
CREATE TABLE organisations (
    id                  BIGINT    PRIMARY KEY,
    name                TEXT      NOT NULL,
    tax_id              TEXT      NOT NULL UNIQUE,
    confirmed_by        TEXT      NOT NULL DEFAULT '',
    confirmed_by_person BIGINT,
    confirmed_at        TIMESTAMP,
    created_by          BIGINT    NOT NULL,
    created_at          TIMESTAMP NOT NULL
);

-- role: 'owner' or 'member'.
CREATE TABLE organisation_members (
    organisation_id BIGINT    NOT NULL REFERENCES organisations (id),
    person_id       BIGINT    NOT NULL,
    role            TEXT      NOT NULL,
    joined_at       TIMESTAMP NOT NULL,
    PRIMARY KEY (organisation_id, person_id)
);

CREATE INDEX organisation_members_person ON organisation_members (person_id);

-- An invitation mailed to an address; found by the SHA-256 of the link's
-- token (never the token). Used once.
CREATE TABLE organisation_invitations (
    token_hash      TEXT      PRIMARY KEY,
    organisation_id BIGINT    NOT NULL REFERENCES organisations (id),
    email           TEXT      NOT NULL,
    role            TEXT      NOT NULL,
    invited_by      BIGINT    NOT NULL,
    created_at      TIMESTAMP NOT NULL,
    expires_at      TIMESTAMP NOT NULL,
    accepted_by     BIGINT,
    accepted_at     TIMESTAMP
);

CREATE INDEX organisation_invitations_organisation ON organisation_invitations (organisation_id);

-- A business permit plan (the business permit finder's answers) saved to
-- an organisation.
CREATE TABLE organisation_plans (
    id              BIGINT    PRIMARY KEY,
    organisation_id BIGINT    NOT NULL REFERENCES organisations (id),
    business_type   TEXT      NOT NULL,
    query           TEXT      NOT NULL, -- the finder's answers, as its URL query
    saved_by        BIGINT    NOT NULL,
    saved_at        TIMESTAMP NOT NULL
);

CREATE INDEX organisation_plans_organisation ON organisation_plans (organisation_id, saved_at);

-- principal is the person represented; representative is NULL until the
-- invitation (token_hash) is accepted. services: space-separated service
-- slugs, '' for all. valid_until: the last day (council's time zone) it
-- holds. source: 'online' (granted by the principal) or 'paper' (a power of
-- attorney recorded by staff, recorded_by, with its document in blobs).
-- ended_at: ended by either side (ended_by), before its date.
CREATE TABLE representations (
    id                   BIGINT    PRIMARY KEY,
    principal            BIGINT    NOT NULL,
    principal_name       TEXT      NOT NULL DEFAULT '',
    representative       BIGINT,
    representative_name  TEXT      NOT NULL DEFAULT '',
    representative_email TEXT      NOT NULL DEFAULT '',
    services             TEXT      NOT NULL DEFAULT '',
    valid_until          TEXT      NOT NULL,
    source               TEXT      NOT NULL,
    token_hash           TEXT      UNIQUE,
    token_expires_at     TIMESTAMP,
    document_blob        TEXT,
    document_name        TEXT      NOT NULL DEFAULT '',
    document_type        TEXT      NOT NULL DEFAULT '',
    recorded_by          BIGINT,
    created_at           TIMESTAMP NOT NULL,
    accepted_at          TIMESTAMP,
    ended_at             TIMESTAMP,
    ended_by             BIGINT
);

CREATE INDEX representations_principal ON representations (principal);
CREATE INDEX representations_representative ON representations (representative);

-- For whom an application was made: organisation_id, when made "for" an
-- organisation (its members see it); submitted_by, the person who sent it
-- when that is not the applicant (a representative acting for them).
ALTER TABLE applications ADD COLUMN organisation_id BIGINT;
ALTER TABLE applications ADD COLUMN submitted_by BIGINT;
CREATE INDEX applications_organisation ON applications (organisation_id, created_at);

-- +goose Down
DROP INDEX applications_organisation;
ALTER TABLE applications DROP COLUMN submitted_by;
ALTER TABLE applications DROP COLUMN organisation_id;
DROP TABLE representations;
DROP TABLE organisation_plans;
DROP TABLE organisation_invitations;
DROP TABLE organisation_members;
DROP TABLE organisations;
