package catalogue

import (
	"cmp"
	"slices"
	"strings"
	"unicode"
)

// DuplicateThreshold is the similarity from which two services are reported
// as likely duplicates. Calibrated on the demo catalogue, whose services are
// all distinct: its most similar pair (planning permission and its
// change-of-use variant) scores 0.52, and a copy with a reworded title scores well above.
const DuplicateThreshold = 0.6

// Duplicate is a pair of services that look like the same service.
type Duplicate struct {
	A, B  string  // slugs
	Score float64 // Similarity, 0..1
}

// Similarity says how alike two services read in lang (falling back to the
// default language): the Jaccard similarity of the character trigrams of
// their titles, which count most, and of their summaries. Trigrams catch
// reworded and misspelt titles that whole words miss.
func Similarity(a, b *Service, lang, fallback string) float64 {
	return similarity(newFingerprint(a, lang, fallback), newFingerprint(b, lang, fallback))
}

const (
	titleWeight   = 0.65
	summaryWeight = 0.35
)

type fingerprint struct {
	slug           string
	title, summary map[string]bool
}

func newFingerprint(s *Service, lang, fallback string) fingerprint {
	t, _ := s.Title.In(lang, fallback)
	sum, _ := s.Summary.In(lang, fallback)
	return fingerprint{slug: s.Slug, title: trigrams(t), summary: trigrams(sum)}
}

func similarity(a, b fingerprint) float64 {
	return titleWeight*jaccard(a.title, b.title) + summaryWeight*jaccard(a.summary, b.summary)
}

// trigrams returns the character trigrams of text, lowercased, with
// punctuation as spaces and each word padded, so that word starts count.
func trigrams(text string) map[string]bool {
	words := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	set := make(map[string]bool)
	for _, w := range words {
		r := []rune(" " + w + " ")
		for i := 0; i+3 <= len(r); i++ {
			set[string(r[i:i+3])] = true
		}
	}
	return set
}

func jaccard(a, b map[string]bool) float64 {
	if len(a) == 0 && len(b) == 0 {
		return 0
	}
	inter := 0
	for k := range a {
		if b[k] {
			inter++
		}
	}
	return float64(inter) / float64(len(a)+len(b)-inter)
}

// DuplicatesOf returns the services of others that s likely duplicates, most
// similar first. s itself (same slug) is skipped.
func DuplicatesOf(s *Service, others []Service, lang, fallback string) []Duplicate {
	fs := newFingerprint(s, lang, fallback)
	var out []Duplicate
	for i := range others {
		if others[i].Slug == s.Slug {
			continue
		}
		if sc := similarity(fs, newFingerprint(&others[i], lang, fallback)); sc >= DuplicateThreshold {
			out = append(out, Duplicate{A: s.Slug, B: others[i].Slug, Score: sc})
		}
	}
	sortDuplicates(out)
	return out
}

// LikelyDuplicates returns every pair of services that likely duplicate each
// other, most similar first. Only pairs whose titles share a trigram that is
// not in most titles are compared, so a large catalogue is not compared
// pair by pair.
func LikelyDuplicates(services []Service, lang, fallback string) []Duplicate {
	fps := make([]fingerprint, len(services))
	postings := map[string][]int{}
	for i := range services {
		fps[i] = newFingerprint(&services[i], lang, fallback)
		for g := range fps[i].title {
			postings[g] = append(postings[g], i)
		}
	}
	// A trigram in very many titles (" of", "the") says nothing.
	common := max(50, len(services)/20)
	var out []Duplicate
	seen := map[[2]int]bool{}
	for _, list := range postings {
		if len(list) > common {
			continue
		}
		for x, i := range list {
			for _, j := range list[x+1:] {
				if seen[[2]int{i, j}] {
					continue
				}
				seen[[2]int{i, j}] = true
				if sc := similarity(fps[i], fps[j]); sc >= DuplicateThreshold {
					out = append(out, Duplicate{A: services[i].Slug, B: services[j].Slug, Score: sc})
				}
			}
		}
	}
	sortDuplicates(out)
	return out
}

func sortDuplicates(d []Duplicate) {
	slices.SortFunc(d, func(a, b Duplicate) int {
		if c := cmp.Compare(b.Score, a.Score); c != 0 {
			return c
		}
		return cmp.Or(strings.Compare(a.A, b.A), strings.Compare(a.B, b.B))
	})
}
