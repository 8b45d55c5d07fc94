package search

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/index/scorch/mergeplan"
	"github.com/blevesearch/bleve/v2/mapping"
	bolterrors "go.etcd.io/bbolt/errors"

	"sportello/catalogue"
)

// Source is what the index is built from. catalogue.Store satisfies it.
type Source interface {
	Version(ctx context.Context) (int64, error)
	EachSearchable(ctx context.Context, fn func(*catalogue.Searchable) error) error
}

// ErrLocked means another process has the index directory open.
var ErrLocked = errors.New("search: index directory is in use by another process")

// buildMergePlan lets a rebuild's segments pile up, one a batch, instead
// of merging them while the build goes on: compact merges them all once
// the index is built, and merges done meanwhile were a tenth of the CPU of
// building 100k services, on the cores the build needs. Past 100 segments
// (100k services) they are merged as usual, so that a larger catalogue
// never leaves thousands of files. Scorch reads a plan over its defaults
// (mergeplan.DefaultMergePlanOptions), and keeps the one an index was
// created with in its index_meta.json: opening gives servingMergePlan.
var (
	buildMergePlan   = map[string]any{"MaxSegmentsPerTier": 100}
	servingMergePlan = map[string]any{"MaxSegmentsPerTier": mergeplan.DefaultMergePlanOptions.MaxSegmentsPerTier}
)

const (
	// batchSize bounds memory while indexing; Bleve's own advice is 500-1000.
	batchSize = 1000
	// buildWriters is how many batches a rebuild writes at once.
	buildWriters = 2
	// boltTimeout makes a second process fail fast on a locked index
	// instead of blocking forever on scorch's root.bolt.
	boltTimeout = "1s"
	// currentFile names the live index subdirectory. Replacing it with a
	// rename is what makes a rebuild's swap atomic.
	currentFile = "CURRENT"
	stampKey    = "sportello.stamp"
	subdirStem  = "idx-"
)

// stamp records what an index was built from.
type stamp struct {
	Mapping     int    `json:"mapping"`
	MappingHash string `json:"mapping_hash"`
	Catalogue   int64  `json:"catalogue"`
}

// Index is the on-disk search index of the catalogue. It is safe for
// concurrent use; Update and rebuilds are serialised.
type Index struct {
	dir     string
	log     *slog.Logger
	mapping *mapping.IndexMappingImpl
	fields  *docFields // what document fills, from mapping
	mhash   string
	hl      *highlighter
	memos   []*memoFilter // the languages' memos of stems, used while rebuilding

	writeMu sync.Mutex   // serialises Update and rebuilds
	mu      sync.RWMutex // guards idx and sub while a rebuild swaps them
	idx     bleve.Index
	sub     string // name of the live subdirectory of dir
	version int64  // the catalogue version the live index was built from

	tuning atomic.Pointer[Tuning] // synonyms and best bets (tuning.go); nil: none
	prior  atomic.Pointer[Prior]  // what residents use most (prior.go); nil: none

	// gen changes whenever what a search finds may have changed (an update,
	// a rebuild, new tuning); it keys sets, the facets and did-you-mean of
	// recent result sets (cache.go).
	gen   atomic.Uint64
	sets  *lru[setKey, setInfo]
	pages *lru[pageKey, Result]

	fuzzy       *lru[fuzzyKey, fuzzyTerms] // words' fuzzy expansions (fuzzy.go)
	nearest     *lru[fuzzyKey, nearest]    // did-you-mean's closest terms (searcher.go)
	facetTables facetTables                // each snapshot's facet values (facets.go)

	merging sync.WaitGroup // compact's merges, which end when their index is closed

	// searching admits the searches the caches cannot answer (see Search).
	searching chan struct{}
}

// Open opens the index in dir, building it from src when it is missing,
// unreadable, built with another mapping or from another catalogue version.
// A rebuild writes a fresh subdirectory and then switches to it, so a crash
// half-way leaves the previous index (or none) but never a broken one.
func Open(ctx context.Context, dir string, src Source, log *slog.Logger) (*Index, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	im, err := newMapping()
	if err != nil {
		return nil, err
	}
	mh, err := mappingHash(im)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("create index directory %s: %w (set a writable index directory)", dir, err)
	}
	x := &Index{dir: dir, log: log.With("component", "search"), mapping: im, mhash: mh, memos: memoFilters(im), sets: newLRU[setKey](setInfo.clone), pages: newLRU[pageKey](Result.clone),
		fuzzy: newLRU[fuzzyKey](func(t fuzzyTerms) fuzzyTerms { return t }), nearest: newLRU[fuzzyKey](func(n nearest) nearest { return n }), searching: make(chan struct{}, searchers())}
	x.fields, err = newDocFields(im)
	if err != nil {
		return nil, err
	}
	x.hl, err = newHighlighter(im)
	if err != nil {
		return nil, err
	}
	want, err := src.Version(ctx)
	if err != nil {
		return nil, fmt.Errorf("read catalogue version for the search index: %w", err)
	}

	start := time.Now()
	idx, sub, reason, err := x.openCurrent(want)
	if err != nil {
		return nil, err
	}
	if idx != nil {
		x.idx, x.sub, x.version = idx, sub, want
		x.removeStale()
		x.log.Info("search index opened", "dir", dir, "catalogue_version", want, "took", time.Since(start))
		x.compact(idx) // a merge a stop interrupted
		return x, nil
	}
	x.log.Info("search index rebuild", "dir", dir, "reason", reason, "catalogue_version", want)
	if err := x.rebuild(ctx, src); err != nil {
		return nil, err
	}
	return x, nil
}

// openCurrent opens the live index if it is usable and up to date. It
// returns a nil index and the reason when it must be rebuilt, and an error
// only when rebuilding would not help (another process holds the index).
func (x *Index) openCurrent(want int64) (bleve.Index, string, string, error) {
	b, err := os.ReadFile(filepath.Join(x.dir, currentFile))
	if errors.Is(err, os.ErrNotExist) {
		return nil, "", "no index yet", nil
	}
	if err != nil {
		return nil, "", "unreadable " + currentFile + ": " + err.Error(), nil
	}
	sub := strings.TrimSpace(string(b))
	if !strings.HasPrefix(sub, subdirStem) || strings.ContainsAny(sub, `/\`) {
		return nil, "", "corrupt " + currentFile, nil
	}
	path := filepath.Join(x.dir, sub)
	if _, err := os.Stat(filepath.Join(path, "index_meta.json")); err != nil {
		return nil, "", "index files missing: " + err.Error(), nil
	}
	idx, err := bleve.OpenUsing(path, map[string]any{
		"bolt_timeout": boltTimeout, "scorchMergePlanOptions": servingMergePlan,
	})
	if err != nil {
		if errors.Is(err, bolterrors.ErrTimeout) {
			return nil, "", "", fmt.Errorf("%w: %s (stop the other sportello process or give this one its own index directory)", ErrLocked, path)
		}
		return nil, "", "cannot open index: " + err.Error(), nil
	}
	raw, err := idx.GetInternal([]byte(stampKey))
	var st stamp
	if err == nil && len(raw) > 0 {
		err = json.Unmarshal(raw, &st)
	} else if err == nil {
		err = errors.New("no stamp")
	}
	var reason string
	switch {
	case err != nil:
		reason = "unreadable stamp: " + err.Error()
	case st.Mapping != mappingVersion || st.MappingHash != x.mhash:
		reason = "mapping changed"
	case st.Catalogue != want:
		reason = fmt.Sprintf("catalogue changed from version %d", st.Catalogue)
	default:
		return idx, sub, "", nil
	}
	if cerr := idx.Close(); cerr != nil {
		x.log.Warn("close outdated search index", "path", path, "err", cerr)
	}
	return nil, "", reason, nil
}

// rebuild indexes every service of src into a fresh subdirectory, then makes
// it the live index and deletes the old one.
func (x *Index) rebuild(ctx context.Context, src Source) error {
	start := time.Now()
	for _, m := range x.memos {
		m.remember()
		defer m.forget()
	}
	version, err := src.Version(ctx)
	if err != nil {
		return fmt.Errorf("read catalogue version for the search index: %w", err)
	}
	sub := subdirStem + strconv.FormatInt(time.Now().UnixNano(), 36)
	path := filepath.Join(x.dir, sub)
	idx, err := bleve.NewUsing(path, x.mapping, scorch.Name, scorch.Name, map[string]any{
		"bolt_timeout": boltTimeout, "scorchMergePlanOptions": buildMergePlan,
	})
	if err != nil {
		return fmt.Errorf("create search index in %s: %w", path, err)
	}
	fail := func(err error) error {
		_ = idx.Close()
		_ = os.RemoveAll(path)
		return err
	}
	// Batches are written by two goroutines while the next one is filled:
	// Bleve analyses a batch in parallel but builds its segment on one
	// core, so overlapping batches keeps both cores busy.
	var (
		wg       sync.WaitGroup
		errMu    sync.Mutex
		writeErr error
		batches  = make(chan *bleve.Batch, 1)
	)
	failed := func() error {
		errMu.Lock()
		defer errMu.Unlock()
		return writeErr
	}
	for range buildWriters {
		wg.Go(func() {
			for b := range batches {
				if err := idx.Batch(b); err != nil {
					errMu.Lock()
					if writeErr == nil {
						writeErr = fmt.Errorf("write search index batch: %w", err)
					}
					errMu.Unlock()
				}
			}
		})
	}
	n := 0
	batch := idx.NewBatch()
	err = src.EachSearchable(ctx, func(s *catalogue.Searchable) error {
		if err := batch.IndexAdvanced(x.fields.document(s)); err != nil {
			return fmt.Errorf("index service %q: %w", s.Slug, err)
		}
		n++
		if batch.Size() >= batchSize {
			if err := failed(); err != nil {
				return err
			}
			batches <- batch
			batch = idx.NewBatch()
		}
		return ctx.Err()
	})
	close(batches)
	wg.Wait()
	if err == nil {
		err = failed()
	}
	if err != nil {
		return fail(fmt.Errorf("build search index: %w", err))
	}
	// The stamp goes in the last batch, written after all the others, so
	// an index with a stamp is a complete one.
	if err := setStamp(batch, version, x.mhash); err != nil {
		return fail(err)
	}
	if err := idx.Batch(batch); err != nil {
		return fail(fmt.Errorf("write search index batch: %w", err))
	}
	if err := x.writeCurrent(sub); err != nil {
		return fail(err)
	}
	// Reopened the way every start opens it, with the merge plan for
	// serving.
	if err := idx.Close(); err != nil {
		return fail(fmt.Errorf("close built search index: %w", err))
	}
	idx, _, reason, err := x.openCurrent(version)
	if err == nil && idx == nil {
		err = errors.New(reason)
	}
	if err != nil {
		_ = os.RemoveAll(path)
		return fmt.Errorf("reopen built search index: %w", err)
	}

	x.mu.Lock()
	old := x.idx
	x.idx, x.sub, x.version = idx, sub, version
	x.mu.Unlock()
	x.invalidate()
	if old != nil {
		if err := old.Close(); err != nil {
			x.log.Warn("close replaced search index", "err", err)
		}
	}
	x.removeStale()
	x.compact(idx)
	took := time.Since(start)
	x.log.Info("search index built", "services", n, "catalogue_version", version, "took", took,
		"docs_per_sec", int(float64(n)/max(took.Seconds(), 1e-9)))
	return nil
}

// compact merges the segments of idx into one, in the background. A
// search looks each of its words up in every segment, and a fresh index
// has a few (4 at 10k services, 12 at 100k); merged, a new search costs
// 8-18% less CPU (docs/performance.md). Searches go on meanwhile, on the
// segments as they are; closing idx ends the merge. On an index already
// merged it finds nothing to do.
func (x *Index) compact(idx bleve.Index) {
	adv, err := idx.Advanced()
	if err != nil {
		return
	}
	sc, ok := adv.(*scorch.Scorch)
	if !ok {
		return
	}
	x.merging.Go(func() {
		start := time.Now()
		if err := sc.ForceMerge(context.Background(), nil); err != nil {
			x.log.Warn("merge the search index's segments", "err", err)
			return
		}
		// Merging 100k services' segments takes a gigabyte of memory for
		// a few seconds, which the runtime would keep for minutes: hand it
		// back now.
		debug.FreeOSMemory()
		x.log.Debug("search index segments merged", "took", time.Since(start))
	})
}

func setStamp(b *bleve.Batch, version int64, mhash string) error {
	raw, err := json.Marshal(stamp{Mapping: mappingVersion, MappingHash: mhash, Catalogue: version})
	if err != nil {
		return fmt.Errorf("encode search index stamp: %w", err)
	}
	b.SetInternal([]byte(stampKey), raw)
	return nil
}

// writeCurrent points CURRENT at sub with a rename, which is atomic.
func (x *Index) writeCurrent(sub string) error {
	tmp := filepath.Join(x.dir, currentFile+".tmp")
	f, err := os.Create(tmp)
	if err != nil {
		return fmt.Errorf("write %s: %w", tmp, err)
	}
	_, err = f.WriteString(sub + "\n")
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, filepath.Join(x.dir, currentFile))
	}
	if err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("switch search index to %s: %w", sub, err)
	}
	return nil
}

// removeStale deletes index subdirectories other than the live one: those
// replaced by a rebuild and those left by a rebuild that was interrupted. It
// runs only while this process holds the live index, so no other process is
// using the directory.
func (x *Index) removeStale() {
	entries, err := os.ReadDir(x.dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if e.IsDir() && strings.HasPrefix(e.Name(), subdirStem) && e.Name() != x.sub {
			if err := os.RemoveAll(filepath.Join(x.dir, e.Name())); err != nil {
				x.log.Warn("remove stale search index", "path", e.Name(), "err", err)
			}
		}
	}
}

// ChangeSource is a Source that can also say what changed after a version;
// catalogue.Store is one.
type ChangeSource interface {
	Source
	Changes(ctx context.Context, since int64) (catalogue.Changes, error)
}

// CatchUp brings the index up to src's version, applying what changed
// since the version the index reflects: the one way to follow the catalogue
// while serving (an editor's publish, the background sync after an import
// from the command line). It reads the changes and applies them under the
// index's write lock, so catch-ups run one at a time and a later one finds
// nothing left to do instead of applying older changes over newer ones. A
// store behind the index (restored from a backup) leaves the index as it
// is; the next Open rebuilds it.
func (x *Index) CatchUp(ctx context.Context, src ChangeSource) error {
	x.writeMu.Lock()
	defer x.writeMu.Unlock()
	have := x.Version()
	want, err := src.Version(ctx)
	if err != nil {
		return fmt.Errorf("search: reading the catalogue version: %w", err)
	}
	if want <= have {
		return nil
	}
	ch, err := src.Changes(ctx, have)
	if err != nil {
		return fmt.Errorf("search: reading the catalogue changes since version %d: %w", have, err)
	}
	return x.update(ctx, src, ch.Services, ch.Archived, ch.Version)
}

// Update applies an import's changes: changed services are (re)indexed and
// removed ones deleted, in batches, and the stamp moves to version with the
// last batch. If the index cannot be written, it is rebuilt from src, so it
// never stays half-updated. An update to a version older than the index's
// does nothing and returns nil: the index already holds newer content, and
// applying the older changes would take it back in time.
func (x *Index) Update(ctx context.Context, src Source, changed []*catalogue.Service, removed []string, version int64) error {
	x.writeMu.Lock()
	defer x.writeMu.Unlock()
	return x.update(ctx, src, changed, removed, version)
}

// update is Update with x.writeMu held.
func (x *Index) update(ctx context.Context, src Source, changed []*catalogue.Service, removed []string, version int64) error {
	if version < x.Version() {
		x.log.Debug("search index update to an older catalogue version ignored", "version", version, "index_version", x.Version())
		return nil
	}
	x.mu.RLock()
	idx := x.idx
	x.mu.RUnlock()
	if idx == nil {
		return errClosed
	}
	// Even a failed update may have written some batches.
	defer x.invalidate()

	err := func() error {
		batch := idx.NewBatch()
		flush := func() error {
			if err := ctx.Err(); err != nil {
				return err
			}
			if err := idx.Batch(batch); err != nil {
				return fmt.Errorf("write search index batch: %w", err)
			}
			batch.Reset()
			return nil
		}
		for _, s := range changed {
			if err := batch.IndexAdvanced(x.fields.document(s.Searchable())); err != nil {
				return fmt.Errorf("index service %q: %w", s.Slug, err)
			}
			if batch.Size() >= batchSize {
				if err := flush(); err != nil {
					return err
				}
			}
		}
		for _, slug := range removed {
			batch.Delete(slug)
			if batch.Size() >= batchSize {
				if err := flush(); err != nil {
					return err
				}
			}
		}
		if err := setStamp(batch, version, x.mhash); err != nil {
			return err
		}
		return flush()
	}()
	if err == nil {
		x.mu.Lock()
		x.version = version
		x.mu.Unlock()
		x.log.Info("search index updated", "changed", len(changed), "removed", len(removed), "catalogue_version", version)
		return nil
	}
	if ctx.Err() != nil {
		// The stamp still names the old version, so the next Open rebuilds.
		return fmt.Errorf("update search index: %w", err)
	}
	x.log.Warn("search index update failed; rebuilding", "err", err)
	if rerr := x.rebuild(ctx, src); rerr != nil {
		return fmt.Errorf("update search index: %w; rebuild failed too: %w", err, rerr)
	}
	return nil
}

// invalidate starts a new generation, once the change is visible to
// searches: a search keys what it caches by the generation it read before
// it began, so nothing computed before the change is served after it.
func (x *Index) invalidate() {
	x.gen.Add(1)
	x.sets.clear()
	x.pages.clear()
	x.fuzzy.clear()
	x.nearest.clear()
}

// Version returns the catalogue version the index reflects.
func (x *Index) Version() int64 {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return x.version
}

// WaitMerged returns once the merges compact started have ended: the one
// after building the index at Open, or a merge a stop interrupted.
func (x *Index) WaitMerged() { x.merging.Wait() }

// Close releases the index. Searches after Close fail.
func (x *Index) Close() error {
	x.writeMu.Lock()
	defer x.writeMu.Unlock()
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.idx == nil {
		return nil
	}
	err := x.idx.Close()
	x.idx = nil
	x.merging.Wait()
	if err != nil {
		return fmt.Errorf("close search index: %w", err)
	}
	return nil
}

// reader returns the live index for one search.
func (x *Index) reader() (bleve.Index, error) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	if x.idx == nil {
		return nil, errClosed
	}
	return x.idx, nil
}

// catalogueSource adapts an in-memory catalogue to Source.
type catalogueSource struct {
	c       *catalogue.Catalogue
	version int64
}

// FromCatalogue returns a Source over an in-memory catalogue (decoded from a
// file, or generated), with the given version.
func FromCatalogue(c *catalogue.Catalogue, version int64) Source {
	return catalogueSource{c: c, version: version}
}

func (s catalogueSource) Version(context.Context) (int64, error) { return s.version, nil }

func (s catalogueSource) EachSearchable(ctx context.Context, fn func(*catalogue.Searchable) error) error {
	for i := range s.c.Services {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := fn(s.c.Services[i].Searchable()); err != nil {
			return err
		}
	}
	return nil
}
