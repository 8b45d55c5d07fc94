-- Business types, the business permit finder's rules (catalogue.BusinessType),
-- are catalogue entries like journeys: a JSON document per slug in
-- catalogue_entries, so that import, export and the editor's drafts and
-- revisions keep them as they keep every other entry. The table's CHECK names
-- the kinds it holds; neither SQLite nor PostgreSQL can change a CHECK in the
-- same words, so the table is made again under its own name (and its
-- constraints under theirs) from a copy of its rows: the same SQL for both.

-- +goose Up
CREATE TABLE catalogue_entries_copy AS SELECT kind, slug, position, doc FROM catalogue_entries;
DROP TABLE catalogue_entries;
CREATE TABLE catalogue_entries (
    kind     TEXT    NOT NULL CHECK (kind IN ('topic', 'department', 'life_event', 'profile_question', 'journey', 'business_type')),
    slug     TEXT    NOT NULL CHECK (slug <> ''),
    position INTEGER NOT NULL,
    doc      TEXT    NOT NULL,
    PRIMARY KEY (kind, slug)
);
INSERT INTO catalogue_entries (kind, slug, position, doc) SELECT kind, slug, position, doc FROM catalogue_entries_copy;
DROP TABLE catalogue_entries_copy;

-- +goose Down
CREATE TABLE catalogue_entries_copy AS SELECT kind, slug, position, doc FROM catalogue_entries WHERE kind <> 'business_type';
DROP TABLE catalogue_entries;
CREATE TABLE catalogue_entries (
    kind     TEXT    NOT NULL CHECK (kind IN ('topic', 'department', 'life_event', 'profile_question', 'journey')),
    slug     TEXT    NOT NULL CHECK (slug <> ''),
    position INTEGER NOT NULL,
    doc      TEXT    NOT NULL,
    PRIMARY KEY (kind, slug)
);
INSERT INTO catalogue_entries (kind, slug, position, doc) SELECT kind, slug, position, doc FROM catalogue_entries_copy;
DROP TABLE catalogue_entries_copy;
