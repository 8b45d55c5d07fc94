package applications

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"sportello/store"
)

// SweepExpired deletes the forms in progress untouched for PendingTTL, with
// their files, and the drafts saved DraftTTL ago, and settles what versions
// before files moved into the database left in the data directory (see
// diskLeftovers). It returns how many forms, drafts and leftover files it
// deleted or moved. Every instance may run it at any time, at once too.
// Saving a form deletes expired forms too, every ten minutes at most.
func (s *Store) SweepExpired(ctx context.Context) (int, error) {
	n, err := s.sweepPending(ctx)
	if err != nil {
		return n, err
	}
	drafts, err := s.sweepDrafts(ctx)
	n += drafts
	if err != nil {
		return n, err
	}
	moved, err := s.disk.settle(ctx)
	return n + moved, err
}

const (
	pendingSweepBatch = 100
	qExpiredForms     = `SELECT token_hash FROM pending_forms WHERE updated_at < ? ORDER BY updated_at LIMIT 100`
	qFilesOfForms     = `SELECT id FROM pending_files WHERE token_hash IN `
	qDeleteForms      = `DELETE FROM pending_forms WHERE token_hash IN `
)

// sweepPending deletes expired forms a batch per transaction; each form's
// files' rows go with it (ON DELETE CASCADE), their content explicitly.
func (s *Store) sweepPending(ctx context.Context) (int, error) {
	before := s.clock(time.Time{}).Add(-PendingTTL)
	total := 0
	for {
		var n int
		err := s.db.Tx(ctx, func(tx *sql.Tx) error {
			keys, err := store.Query(ctx, tx, s.q(qExpiredForms+s.db.ForUpdate()), scanString, before)
			if err != nil || len(keys) == 0 {
				return err
			}
			args := make([]any, len(keys))
			for i, k := range keys {
				args[i] = k
			}
			in := placeholders(len(keys))
			files, err := store.Query(ctx, tx, s.q(qFilesOfForms+in), scanString, args...)
			if err != nil {
				return err
			}
			if err := s.blobs.Delete(ctx, tx, files); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, s.q(qDeleteForms+in), args...); err != nil {
				return err
			}
			n = len(keys)
			return nil
		})
		total += n
		if err != nil {
			return total, fmt.Errorf("applications: sweeping expired forms in progress: %w", s.db.MapError(err))
		}
		if n < pendingSweepBatch {
			if total > 0 {
				s.log.InfoContext(ctx, "expired forms in progress deleted", "forms", total)
			}
			return total, nil
		}
	}
}

func scanString(sc store.Scanner) (string, error) {
	var v string
	err := sc.Scan(&v)
	return v, err
}

// sweepNow deletes expired forms in progress if this process has not for
// pendingSweepEvery. It leaves the old data directory to SweepExpired: a
// resident's request must not wait for gigabytes of old uploads to move.
func (p *pendingDB) sweepNow(ctx context.Context) {
	now, last := p.s.now().UnixNano(), p.lastSweep.Load()
	if now-last < int64(pendingSweepEvery) || !p.lastSweep.CompareAndSwap(last, now) {
		return
	}
	if _, err := p.s.sweepPending(ctx); err != nil {
		p.s.log.ErrorContext(ctx, "sweeping forms in progress failed; trying again later", "err", err)
	}
}

// diskLeftovers is what versions before files moved into the database kept
// in the data directory: uploads of submitted applications in "uploads",
// named by application_files.storage_name, and forms in progress in
// "pending". settle moves them out, once and for good:
//
//   - an upload that a row of application_files names is imported into
//     Blobs under that name, in a transaction of its own, then removed from
//     disk; until then Store.Open reads it from disk;
//   - an upload that no row names is an orphan (written before a submission
//     that never committed, or whose server crashed): it belongs to no
//     application, nobody can reach it, and it holds personal data, so it is
//     deleted, once it is an hour old (an older server may still be
//     finishing the submission it belongs to);
//   - a form in progress is deleted once untouched for an hour (forms last
//     a day, and a resident of an older server starts that one again).
//
// The directories are removed once empty. Every instance may settle at
// once: an upload two of them import is imported once.
type diskLeftovers struct {
	uploads, pending string // "" without a data directory
	s                *Store
}

// diskGrace is how old a leftover must be before it is deleted.
const diskGrace = time.Hour

func (d diskLeftovers) settle(ctx context.Context) (int, error) {
	if d.uploads == "" {
		return 0, nil
	}
	n, err := d.settleUploads(ctx)
	if err != nil {
		return n, err
	}
	m, err := d.settlePending()
	return n + m, err
}

func (d diskLeftovers) settleUploads(ctx context.Context) (int, error) {
	entries, err := os.ReadDir(d.uploads)
	if errors.Is(err, fs.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("applications: reading the old uploads directory: %w", err)
	}
	s := d.s
	n, left := 0, 0
	for _, e := range entries {
		path := filepath.Join(d.uploads, e.Name())
		var sum string
		err := s.db.SQL().QueryRowContext(ctx, s.q(`SELECT sha256 FROM application_files WHERE storage_name = ?`), e.Name()).Scan(&sum)
		switch {
		case err == nil && e.Type().IsRegular():
			if err := d.importUpload(ctx, path, e.Name(), sum); err != nil {
				return n, err
			}
			n++
		case errors.Is(err, sql.ErrNoRows) && oldEnough(e):
			if err := os.RemoveAll(path); err != nil {
				return n, fmt.Errorf("applications: deleting the orphan upload %s: %w", path, err)
			}
			s.log.WarnContext(ctx, "deleted an upload no application owns", "path", path)
			n++
		case err != nil && !errors.Is(err, sql.ErrNoRows):
			return n, fmt.Errorf("applications: looking up the upload %s: %w", path, s.db.MapError(err))
		default:
			left++
		}
	}
	if left == 0 {
		os.Remove(d.uploads)
	}
	if n > 0 {
		s.log.InfoContext(ctx, "moved the old uploads directory into the database", "files", n, "left_for_later", left)
	}
	return n, nil
}

// importUpload puts an old upload into Blobs under its storage name, then
// removes it from disk.
func (d diskLeftovers) importUpload(ctx context.Context, path, name, recorded string) error {
	s := d.s
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		var size int64
		switch err := tx.QueryRowContext(ctx, s.q(qBlobExists), name).Scan(&size); {
		case err == nil:
			return nil // imported by another instance
		case !errors.Is(err, sql.ErrNoRows):
			return s.db.MapError(err)
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		_, sum, err := s.blobs.Put(ctx, tx, name, f)
		if err == nil && sum != recorded {
			s.log.WarnContext(ctx, "an old upload differs from its recorded checksum; imported as found", "path", path)
		}
		return err
	})
	if errors.Is(err, store.ErrConflict) || errors.Is(err, fs.ErrNotExist) {
		err = nil // another instance imported it meanwhile
	}
	if err != nil {
		return fmt.Errorf("applications: importing the old upload %s: %w", path, err)
	}
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("applications: removing the imported upload %s: %w", path, err)
	}
	return nil
}

func (d diskLeftovers) settlePending() (int, error) {
	entries, err := os.ReadDir(d.pending)
	if errors.Is(err, fs.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("applications: reading the old forms in progress: %w", err)
	}
	n, left := 0, 0
	for _, e := range entries {
		path := filepath.Join(d.pending, e.Name())
		if !oldEnough(e) || (e.IsDir() && !oldEnoughInside(path)) {
			left++
			continue
		}
		if err := os.RemoveAll(path); err != nil {
			return n, fmt.Errorf("applications: deleting the old form in progress %s: %w", path, err)
		}
		if e.IsDir() {
			n++
		}
	}
	if left == 0 {
		os.Remove(d.pending)
	}
	return n, nil
}

func oldEnough(e fs.DirEntry) bool {
	info, err := e.Info()
	return err == nil && time.Since(info.ModTime()) > diskGrace
}

// oldEnoughInside reports whether nothing in dir changed for diskGrace.
func oldEnoughInside(dir string) bool {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return false
	}
	for _, e := range entries {
		if !oldEnough(e) {
			return false
		}
	}
	return true
}

// openOld opens an upload not yet imported from the old uploads directory.
func (d diskLeftovers) openOld(name string) (io.ReadCloser, error) {
	if d.uploads == "" || !validStorageName(name) {
		return nil, fs.ErrNotExist
	}
	return os.Open(filepath.Join(d.uploads, name))
}
