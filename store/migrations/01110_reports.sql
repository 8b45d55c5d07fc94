-- Reports at a place (package reports): a pothole, a street light out,
-- graffiti. A report is an application of a service of kind "report"
-- (reference, answers, photos, history of the application, notifications)
-- plus one row here with where it is and how far the council has got.
-- The SQL is the same for SQLite and PostgreSQL:
--   - ids are random BIGINTs chosen by the store, as for applications;
--   - latitude and longitude are WGS 84 degrees in DOUBLE PRECISION (REAL
--     on SQLite): "nearby" is a bounding box here, indexed, and the exact
--     great-circle distance in Go, so no PostGIS is needed. Both are NULL
--     for a report made by its address alone (without a map, nobody is
--     asked to know their coordinates);
--   - times are Unix milliseconds in BIGINT, which compare as numbers in
--     both;
--   - person ids are BIGINT without a foreign key, as in applications.

-- +goose Up

CREATE TABLE reports (
    id             BIGINT PRIMARY KEY,
    application_id BIGINT NOT NULL UNIQUE REFERENCES applications (id),
    service_slug   TEXT   NOT NULL,
    lat            DOUBLE PRECISION CHECK (lat >= -90 AND lat <= 90),
    lng            DOUBLE PRECISION CHECK (lng >= -180 AND lng <= 180),
    address        TEXT   NOT NULL DEFAULT '', -- the street and a landmark, as the reporter wrote them
    description    TEXT   NOT NULL DEFAULT '',
    status         TEXT   NOT NULL CHECK (status IN ('open', 'in_progress', 'fixed')),
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL,
    CHECK ((lat IS NULL) = (lng IS NULL))
);

CREATE INDEX reports_place ON reports (service_slug, lat, lng);
CREATE INDEX reports_list ON reports (status, created_at);

-- Every change of status a member of staff made, with the note the
-- reporter and the supporters were sent (seq counts from 1 per report).
CREATE TABLE report_events (
    report_id       BIGINT  NOT NULL REFERENCES reports (id),
    seq             INTEGER NOT NULL,
    at              BIGINT  NOT NULL,
    actor_person_id BIGINT,
    from_status     TEXT    NOT NULL,
    to_status       TEXT    NOT NULL,
    note            TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (report_id, seq)
);

-- People who found the problem already reported and added theirs to it
-- instead of sending another: told when its status changes. A signed-in
-- supporter is their person id (the address is their setting's when the
-- mail leaves); someone not signed in is the address they gave, or
-- nothing (then only counted).
CREATE TABLE report_supporters (
    id         BIGINT PRIMARY KEY,
    report_id  BIGINT NOT NULL REFERENCES reports (id),
    person_id  BIGINT,
    email      TEXT   NOT NULL DEFAULT '',
    lang       TEXT   NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL
);

CREATE INDEX report_supporters_report ON report_supporters (report_id);
CREATE UNIQUE INDEX report_supporters_person ON report_supporters (report_id, person_id) WHERE person_id IS NOT NULL;
CREATE UNIQUE INDEX report_supporters_email ON report_supporters (report_id, email) WHERE person_id IS NULL AND email <> '';

-- +goose Down
DROP TABLE report_supporters;
DROP TABLE report_events;
DROP TABLE reports;
