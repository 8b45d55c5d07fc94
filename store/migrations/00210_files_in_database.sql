-- Uploaded files and forms in progress live in the database, so that every
-- instance on one database reads what another wrote, and a file is written
-- in the same transaction as the row that owns it (docs/adr/0006).
--
-- One file serves both databases: BYTEA is PostgreSQL's type for bytes, and
-- SQLite, which accepts any type name, keeps the []byte it is given as a
-- BLOB.

-- +goose Up

-- A file's content (applications.Blobs), in chunks of at most 256 KiB so
-- that neither writing nor reading a file holds it whole in memory. The id
-- is what application_files.storage_name and pending_files.id hold.
CREATE TABLE blobs (
    id         TEXT      PRIMARY KEY,
    size       BIGINT    NOT NULL,
    sha256     TEXT      NOT NULL,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE blob_chunks (
    blob_id TEXT    NOT NULL REFERENCES blobs (id) ON DELETE CASCADE,
    seq     INTEGER NOT NULL,
    data    BYTEA   NOT NULL,
    PRIMARY KEY (blob_id, seq)
);

-- A form in progress, found by the SHA-256 of its token (never the token),
-- owned by a person or an anonymous session's binding; record is the JSON
-- of what was typed and, once sent, the reference.
CREATE TABLE pending_forms (
    token_hash TEXT      PRIMARY KEY,
    slug       TEXT      NOT NULL,
    person_id  BIGINT,
    binding    TEXT      NOT NULL DEFAULT '',
    record     TEXT      NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE INDEX pending_forms_updated ON pending_forms (updated_at);

-- An upload kept for a form in progress; id is its blob's. position orders
-- the files one save kept. owner ('p:' and the person id, or 'b:' and the
-- binding) and client (the address it came from, an IPv6 one's /64) are what
-- the pending quota counts by.
CREATE TABLE pending_files (
    id         TEXT      PRIMARY KEY,
    token_hash TEXT      NOT NULL REFERENCES pending_forms (token_hash) ON DELETE CASCADE,
    field      TEXT      NOT NULL,
    filename   TEXT      NOT NULL,
    size       BIGINT    NOT NULL,
    position   INTEGER   NOT NULL,
    owner      TEXT      NOT NULL,
    client     TEXT      NOT NULL,
    created_at TIMESTAMP NOT NULL
);

CREATE INDEX pending_files_form ON pending_files (token_hash);
CREATE INDEX pending_files_owner ON pending_files (owner);
CREATE INDEX pending_files_client ON pending_files (client);

-- Keys the applications area signs with, made on first use so that every
-- instance signs alike (the form tokens the server issues).
CREATE TABLE application_secrets (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- +goose Down
DROP TABLE application_secrets;
DROP TABLE pending_files;
DROP TABLE pending_forms;
DROP TABLE blob_chunks;
DROP TABLE blobs;
