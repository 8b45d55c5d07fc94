package applications

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"time"

	"sportello/store"
)

// Blobs keeps the content of files: uploads of submitted applications and
// of forms in progress. The database keeps it by default (NewDatabaseBlobs),
// so that every instance reads what another wrote; another store (an
// S3-compatible one) may be given in Options.Blobs.
//
// Writes take the transaction of the row that owns the file, so that a file
// and its row are written together or not at all and a crash cannot leave a
// file nobody owns. An object store cannot join a database transaction; its
// Put would upload the object and record it in tx, Delete record the
// deletion in tx, and a sweep remove the objects whose record never
// committed or was deleted.
type Blobs interface {
	// Put writes r's content under id as part of tx and returns its size and
	// SHA-256 (hex). It reads r to the end; the caller limits it.
	Put(ctx context.Context, tx *sql.Tx, id string, r io.Reader) (size int64, sha string, err error)
	// Open reads id's content, or fails with ErrNotFound. The content may
	// be read after ctx ends (a download streamed once the request's
	// handler has returned).
	Open(ctx context.Context, id string) (io.ReadCloser, error)
	// Delete removes the content of ids as part of tx; ids without
	// content are skipped.
	Delete(ctx context.Context, tx *sql.Tx, ids []string) error
}

// blobChunkSize is the most of a file one row holds, and so the most a
// write or a read keeps in memory.
const blobChunkSize = 256 << 10

// NewDatabaseBlobs returns the Blobs of the database db: tables blobs and
// blob_chunks (store/migrations/00210_files_in_database.sql).
func NewDatabaseBlobs(db *store.DB) Blobs { return dbBlobs{db: db} }

type dbBlobs struct{ db *store.DB }

const (
	qInsertBlob     = `INSERT INTO blobs (id, size, sha256, created_at) VALUES (?, 0, '', ?)`
	qInsertChunk    = `INSERT INTO blob_chunks (blob_id, seq, data) VALUES (?, ?, ?)`
	qFinishBlob     = `UPDATE blobs SET size = ?, sha256 = ? WHERE id = ?`
	qBlobExists     = `SELECT size FROM blobs WHERE id = ?`
	qBlobChunk      = `SELECT data FROM blob_chunks WHERE blob_id = ? AND seq = ?`
	qDeleteBlobs    = `DELETE FROM blobs WHERE id IN `
	blobDeleteBatch = 200
)

func (b dbBlobs) Put(ctx context.Context, tx *sql.Tx, id string, r io.Reader) (int64, string, error) {
	if _, err := tx.ExecContext(ctx, b.db.Rebind(qInsertBlob), id, time.Now().UTC().Truncate(time.Microsecond)); err != nil {
		return 0, "", b.db.MapError(err)
	}
	h := sha256.New()
	buf := make([]byte, blobChunkSize)
	var size int64
	insert := b.db.Rebind(qInsertChunk)
	for seq := 0; ; seq++ {
		n, err := io.ReadFull(r, buf)
		if n > 0 {
			h.Write(buf[:n])
			size += int64(n)
			if _, err := tx.ExecContext(ctx, insert, id, seq, buf[:n]); err != nil {
				return 0, "", b.db.MapError(err)
			}
		}
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			break
		}
		if err != nil {
			return 0, "", err
		}
	}
	sum := hex.EncodeToString(h.Sum(nil))
	if _, err := tx.ExecContext(ctx, b.db.Rebind(qFinishBlob), size, sum, id); err != nil {
		return 0, "", b.db.MapError(err)
	}
	return size, sum, nil
}

func (b dbBlobs) Open(ctx context.Context, id string) (io.ReadCloser, error) {
	var size int64
	if err := b.db.SQL().QueryRowContext(ctx, b.db.Rebind(qBlobExists), id).Scan(&size); err != nil {
		return nil, fmt.Errorf("applications: file content %s: %w", id, b.db.MapError(err))
	}
	return &blobReader{ctx: context.WithoutCancel(ctx), db: b.db, id: id, left: size}, nil
}

func (b dbBlobs) Delete(ctx context.Context, tx *sql.Tx, ids []string) error {
	for len(ids) > 0 {
		batch := ids[:min(len(ids), blobDeleteBatch)]
		ids = ids[len(batch):]
		args := make([]any, len(batch))
		for i, id := range batch {
			args[i] = id
		}
		// The chunks go with their blob (ON DELETE CASCADE).
		if _, err := tx.ExecContext(ctx, b.db.Rebind(qDeleteBlobs+placeholders(len(batch))), args...); err != nil {
			return b.db.MapError(err)
		}
	}
	return nil
}

// blobReader reads a blob a chunk at a time, each with its own query, so
// that it holds no connection between reads.
type blobReader struct {
	ctx  context.Context
	db   *store.DB
	id   string
	seq  int
	buf  []byte
	left int64 // bytes not read yet, to tell a missing chunk from the end
}

func (r *blobReader) Read(p []byte) (int, error) {
	if len(r.buf) == 0 {
		if r.left <= 0 {
			return 0, io.EOF
		}
		var data []byte
		err := r.db.SQL().QueryRowContext(r.ctx, r.db.Rebind(qBlobChunk), r.id, r.seq).Scan(&data)
		if err != nil {
			return 0, fmt.Errorf("applications: reading part %d of file content %s: %w", r.seq, r.id, r.db.MapError(err))
		}
		if len(data) == 0 {
			return 0, fmt.Errorf("applications: part %d of file content %s is empty", r.seq, r.id)
		}
		r.buf, r.seq = data, r.seq+1
	}
	n := copy(p, r.buf)
	r.buf, r.left = r.buf[n:], r.left-int64(n)
	return n, nil
}

func (r *blobReader) Close() error { r.buf, r.left = nil, 0; return nil }
