package catalogue

import (
	"encoding/json"
	"slices"
	"strings"
)

// shareRepeated makes the services' summaries share one copy of each value
// they repeat: kinds, topics, departments, audiences, life events, the
// languages they lack, fees, renewals and bookings. Decoded one by one from
// the store, each summary had its own: 20 MB at 100k services
// (docs/performance.md). The shared values are only read, like the rest of
// the directory; the lists are clipped, so that appending to one copies it.
func (d *Directory) shareRepeated() {
	strs := map[string]string{}
	str := func(s string) string {
		if c, ok := strs[s]; ok {
			return c
		}
		strs[s] = s
		return s
	}
	lists := map[string][]string{}
	list := func(l []string) []string {
		if len(l) == 0 {
			return l
		}
		key := strings.Join(l, "\x00")
		if c, ok := lists[key]; ok {
			return c
		}
		l = slices.Clip(l)
		for i := range l {
			l[i] = str(l[i])
		}
		lists[key] = l
		return l
	}
	fees, renewals, bookings := sharer[Fee]{}, sharer[Renewal]{}, sharer[Booking]{}
	for i := range d.Services {
		s := &d.Services[i]
		s.Kind, s.Topic, s.Department, s.Assurance = str(s.Kind), str(s.Topic), str(s.Department), str(s.Assurance)
		s.Audience, s.LifeEvents, s.Untranslated = list(s.Audience), list(s.LifeEvents), list(s.Untranslated)
		s.Fee, s.Renewal, s.Booking = fees.share(s.Fee), renewals.share(s.Renewal), bookings.share(s.Booking)
	}
}

// sharer hands out one pointer for every equal value, equal meaning the same
// JSON.
type sharer[T any] map[string]*T

func (m sharer[T]) share(v *T) *T {
	if v == nil {
		return nil
	}
	key, err := json.Marshal(v)
	if err != nil {
		return v
	}
	if c, ok := m[string(key)]; ok {
		return c
	}
	m[string(key)] = v
	return v
}
