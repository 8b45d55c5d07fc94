-- Assisted digital (package assist): residents a member of staff records at
-- the counter before they have ever signed in, each visit at which staff
-- acted for one of them (with the reason given), the applications made at
-- the counter, and the log of every action staff took for a resident, which
-- the resident sees on "Your data". The SQL is the same for SQLite and
-- PostgreSQL: ids are random BIGINTs chosen by the store, times TIMESTAMP in
-- UTC, dates TEXT 'YYYY-MM-DD'. person_id and staff_person_id are people.id
-- without REFERENCES: the log must outlive a deleted account.
--
-- A resident record is linked to a sign-in (person_id) only by a verified
-- identifier the identity provider vouches for: the verified email, or the
-- national ID claim. Name and date of birth find a record for staff, never
-- link it.

-- +goose Up

CREATE TABLE assist_residents (
    id          BIGINT    PRIMARY KEY,
    name        TEXT      NOT NULL CHECK (name <> ''),
    name_key    TEXT      NOT NULL,              -- name folded (lower case, single spaces) for finding
    birth_date  TEXT      NOT NULL DEFAULT '',   -- YYYY-MM-DD, '' when not given
    national_id TEXT      NOT NULL DEFAULT '',   -- upper case, without spaces or dashes
    email       TEXT      NOT NULL DEFAULT '',   -- lower case
    lang        TEXT      NOT NULL DEFAULT '',   -- the language the resident reads their mail in
    person_id   BIGINT,                          -- NULL until someone signs in with a matching verified identifier
    linked_by   TEXT      NOT NULL DEFAULT '',   -- 'email' or 'national_id'
    linked_at   TIMESTAMP,
    created_by  BIGINT    NOT NULL,
    created_at  TIMESTAMP NOT NULL
);

CREATE INDEX assist_residents_national_id ON assist_residents (national_id);
CREATE INDEX assist_residents_email ON assist_residents (email);
CREATE INDEX assist_residents_name ON assist_residents (name_key, birth_date);
CREATE INDEX assist_residents_person ON assist_residents (person_id);

-- One visit: a member of staff acting for a resident, for a reason. The
-- counter pages name the visit in their URLs; only its member of staff may
-- use it.
CREATE TABLE assist_visits (
    id              BIGINT    PRIMARY KEY,
    resident_id     BIGINT    NOT NULL REFERENCES assist_residents (id),
    staff_person_id BIGINT    NOT NULL,
    staff_name      TEXT      NOT NULL DEFAULT '',
    reason          TEXT      NOT NULL CHECK (reason <> ''),
    started_at      TIMESTAMP NOT NULL
);

CREATE INDEX assist_visits_resident ON assist_visits (resident_id, started_at);

-- The applications made at the counter, written in the submission's
-- transaction: what a sign-in that links the resident takes over.
CREATE TABLE assist_applications (
    application_id BIGINT PRIMARY KEY,
    resident_id    BIGINT NOT NULL REFERENCES assist_residents (id),
    visit_id       BIGINT NOT NULL REFERENCES assist_visits (id)
);

CREATE INDEX assist_applications_resident ON assist_applications (resident_id);

-- Every action staff took for a resident, with who and why.
CREATE TABLE assist_log (
    id              BIGINT    PRIMARY KEY,
    at              TIMESTAMP NOT NULL,
    resident_id     BIGINT    REFERENCES assist_residents (id), -- NULL for a search
    visit_id        BIGINT,
    staff_person_id BIGINT    NOT NULL,
    staff_name      TEXT      NOT NULL DEFAULT '',
    action          TEXT      NOT NULL,
    reason          TEXT      NOT NULL,
    reference       TEXT      NOT NULL DEFAULT '', -- the application acted on
    detail          TEXT      NOT NULL DEFAULT ''
);

CREATE INDEX assist_log_resident ON assist_log (resident_id, at);
CREATE INDEX assist_log_staff ON assist_log (staff_person_id, at);

-- +goose Down
DROP TABLE assist_log;
DROP TABLE assist_applications;
DROP TABLE assist_visits;
DROP TABLE assist_residents;
