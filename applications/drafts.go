package applications

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"sportello/applications/forms"
)

// Draft is a person's unfinished form for a service, kept as typed (input
// values, not validated answers), so that half-filled or wrong answers come
// back exactly as left. Files are not kept in drafts: a browser cannot be
// given a file back. A draft is kept DraftTTL after it was last saved
// (SweepExpired deletes it then), and its person is reminded
// DraftReminder before (RemindExpiringDrafts).
type Draft struct {
	ServiceSlug string
	Values      forms.Values
	UpdatedAt   time.Time
}

// DraftTTL is how long a saved draft is kept after it was last saved:
// answers people typed, some personal, are not kept for ever for a form
// they may never send. Saving it again keeps it DraftTTL more.
const DraftTTL = 30 * 24 * time.Hour

// DraftReminder is how long before a draft is deleted its person is told
// (notify.FormExpiring): time to come back and send it, or save it again.
const DraftReminder = 7 * 24 * time.Hour

// Expires is when the sweep deletes the draft.
func (d Draft) Expires() time.Time { return d.UpdatedAt.Add(DraftTTL) }

// maxDraftSize bounds a draft's stored JSON.
const maxDraftSize = 1 << 20

// SaveDraft keeps the person's input for a service, replacing any earlier
// draft, with the language it was typed in (for the reminder before it is
// deleted). Inputs whose name starts with "_" (the CSRF token, the
// submission token) and empty inputs are left out.
func (s *Store) SaveDraft(ctx context.Context, personID int64, slug, lang string, values forms.Values) error {
	if personID == 0 || slug == "" {
		return fmt.Errorf("%w: a draft needs a signed-in person and a service", ErrInvalid)
	}
	keep := forms.Values{}
	for k, vs := range values {
		if strings.HasPrefix(k, "_") {
			continue
		}
		for _, v := range vs {
			if strings.TrimSpace(v) != "" {
				keep[k] = vs
				break
			}
		}
	}
	doc, err := marshal(keep)
	if err != nil {
		return err
	}
	if len(doc) > maxDraftSize {
		return fmt.Errorf("%w: the draft is larger than %d bytes; shorten the longest answers", ErrInvalid, maxDraftSize)
	}
	_, err = s.db.SQL().ExecContext(ctx, s.q(qUpsertDraft), personID, slug, doc, s.clock(time.Time{}), lang)
	return s.db.MapError(err)
}

// Draft returns the person's draft for a service, or ErrNotFound.
func (s *Store) Draft(ctx context.Context, personID int64, slug string) (*Draft, error) {
	return scanDraft(s.db.SQL().QueryRowContext(ctx, s.q(qDraft), personID, slug), s)
}

// Drafts returns the person's drafts, most recently saved first.
func (s *Store) Drafts(ctx context.Context, personID int64) ([]Draft, error) {
	rows, err := s.db.SQL().QueryContext(ctx, s.q(qDrafts), personID)
	if err != nil {
		return nil, s.db.MapError(err)
	}
	defer rows.Close()
	var out []Draft
	for rows.Next() {
		d, err := scanDraft(rows, s)
		if err != nil {
			return nil, err
		}
		out = append(out, *d)
	}
	return out, s.db.MapError(rows.Err())
}

// DeleteDraft deletes the person's draft for a service; deleting none is
// not an error. Submit deletes the draft itself.
func (s *Store) DeleteDraft(ctx context.Context, personID int64, slug string) error {
	_, err := s.db.SQL().ExecContext(ctx, s.q(qDeleteDraft), personID, slug)
	return s.db.MapError(err)
}

func scanDraft(sc scanner, s *Store) (*Draft, error) {
	var d Draft
	var doc string
	if err := sc.Scan(&d.ServiceSlug, &doc, &d.UpdatedAt); err != nil {
		return nil, s.db.MapError(err)
	}
	if err := json.Unmarshal([]byte(doc), &d.Values); err != nil {
		return nil, fmt.Errorf("applications: draft of %s: %w", d.ServiceSlug, err)
	}
	d.UpdatedAt = d.UpdatedAt.UTC()
	return &d, nil
}
