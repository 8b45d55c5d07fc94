-- Appointments (package appointments): residents book a time at an office
-- for a bookable service; staff see each office's day, mark who came, and
-- block times. The SQL is the same for SQLite and PostgreSQL; times are
-- Unix seconds (UTC) in BIGINT, days the council's dates 'YYYY-MM-DD'.
--
-- Two people booking the last time at once: exactly one gets it. A time at
-- a counter is cut into cells of five minutes (catalogue.SlotMinutes), and
-- each cell an appointment or a block takes is a row of appointment_cells,
-- whose primary key (office, counter, starts_at) the database keeps unique
-- across every instance. Booking inserts the cells and the appointment in
-- one transaction: the second insert of a cell finds it taken (ON CONFLICT
-- DO NOTHING affects no row) and its transaction is rolled back, never a
-- check then an insert (docs/adr/0024-appointment-cells.md).

-- +goose Up

CREATE TABLE appointments (
    id         BIGINT  PRIMARY KEY,
    service    TEXT    NOT NULL, -- catalogue slug
    office     TEXT    NOT NULL, -- department slug
    counter    INTEGER NOT NULL CHECK (counter >= 1),
    day        TEXT    NOT NULL CHECK (length(day) = 10), -- the council's date of starts_at
    starts_at  BIGINT  NOT NULL,
    minutes    INTEGER NOT NULL CHECK (minutes > 0),
    person_id  BIGINT  REFERENCES people (id) ON DELETE CASCADE, -- NULL: booked without signing in, see email
    email      TEXT    NOT NULL DEFAULT '',
    name       TEXT    NOT NULL DEFAULT '',
    lang       TEXT    NOT NULL DEFAULT '',
    status     TEXT    NOT NULL CHECK (status IN ('booked', 'arrived', 'no_show', 'cancelled')),
    moves      INTEGER NOT NULL DEFAULT 0, -- how often it was moved: keys its mails
    created_at BIGINT  NOT NULL,
    updated_at BIGINT  NOT NULL,
    updated_by BIGINT  REFERENCES people (id) ON DELETE SET NULL -- staff who marked it; NULL: the resident
);
CREATE INDEX appointments_person ON appointments (person_id, starts_at);
CREATE INDEX appointments_office_day ON appointments (office, day, starts_at);
CREATE INDEX appointments_day ON appointments (day, status);

-- Times staff keep free of appointments at one counter (a meeting, a
-- counter closed for the afternoon).
CREATE TABLE appointment_blocks (
    id         BIGINT  PRIMARY KEY,
    office     TEXT    NOT NULL,
    counter    INTEGER NOT NULL CHECK (counter >= 1),
    day        TEXT    NOT NULL CHECK (length(day) = 10),
    starts_at  BIGINT  NOT NULL,
    ends_at    BIGINT  NOT NULL CHECK (ends_at > starts_at),
    note       TEXT    NOT NULL DEFAULT '',
    created_by BIGINT  REFERENCES people (id) ON DELETE SET NULL,
    created_at BIGINT  NOT NULL
);
CREATE INDEX appointment_blocks_office_day ON appointment_blocks (office, day);

-- The five-minute cells taken at each counter, by an appointment or by a
-- block: the one unique constraint that decides who gets a time.
CREATE TABLE appointment_cells (
    office         TEXT    NOT NULL,
    counter        INTEGER NOT NULL,
    starts_at      BIGINT  NOT NULL,
    appointment_id BIGINT  REFERENCES appointments (id) ON DELETE CASCADE,
    block_id       BIGINT  REFERENCES appointment_blocks (id) ON DELETE CASCADE,
    PRIMARY KEY (office, counter, starts_at),
    CHECK ((appointment_id IS NULL) <> (block_id IS NULL))
);
CREATE INDEX appointment_cells_appointment ON appointment_cells (appointment_id);
CREATE INDEX appointment_cells_block ON appointment_cells (block_id);

-- The key the links to manage an appointment booked without signing in
-- are signed with, made on first use so that every instance signs alike.
CREATE TABLE appointment_secrets (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- +goose Down
DROP TABLE appointment_secrets;
DROP TABLE appointment_cells;
DROP TABLE appointment_blocks;
DROP TABLE appointments;
