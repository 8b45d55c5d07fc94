package editor

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"sportello/editorial"
	"sportello/portal/public"
	"sportello/portal/web"
	"sportello/search"
)

// searchQualityPage is templates/editor/search.html: search insights for a
// week and language, and the synonym sets and best bets that tune search.
type searchQualityPage struct {
	editorPage
	// Week and LangFilter choose the insights shown. (A field named Lang
	// would hide the page's own language: the page came out with
	// <html lang=""> and in the filter's language.)
	Week        string
	LangFilter  string
	Weeks       []edOption
	LangOptions []edOption
	Top         []editorial.InsightCount
	NoResults   []editorial.InsightCount
	NoClicks    []editorial.InsightCount
	Synonyms    []synonymRow
	BestBets    []bestBetRow
	Problems    []web.FormProblem
}

type synonymRow struct {
	ID    int64
	Lang  string
	Terms string
}

type bestBetRow struct {
	Lang, Query, Slug, Title, URL string
}

// insightRows bounds each insight list.
const insightRows = 50

func (s *searchQuality) editorSearch(c *fiber.Ctx) error {
	return s.renderSearchQuality(c, fiber.StatusOK, nil)
}

func (s *searchQuality) renderSearchQuality(c *fiber.Ctx, status int, probs []web.FormProblem) error {
	ctx := c.UserContext()
	if err := s.ed.insights.Flush(ctx); err != nil {
		return err
	}
	d := s.Directory()
	p := searchQualityPage{editorPage: s.newEditorPage(c, "editor.search.title", "/editor/search"), Problems: probs}
	weeks, err := s.ed.db.InsightWeeks(ctx)
	if err != nil {
		return err
	}
	p.Week = c.Query("week")
	if !slices.Contains(weeks, p.Week) {
		p.Week = public.ISOWeek(time.Now())
		if len(weeks) > 0 {
			p.Week = weeks[0]
		}
	}
	if len(weeks) == 0 {
		weeks = []string{p.Week} // the week under way, with nothing counted yet
	}
	for _, w := range weeks {
		p.Weeks = append(p.Weeks, edOption{Value: w, Label: w, Selected: w == p.Week})
	}
	p.LangFilter = c.Query("lang_filter")
	p.LangOptions = []edOption{{Value: "", Label: web.T(c, "editor.filter.any")}}
	for _, l := range d.Authority.Languages {
		p.LangOptions = append(p.LangOptions, edOption{Value: l, Label: web.LanguageName(l), Selected: l == p.LangFilter})
	}
	all, err := s.ed.db.Insights(ctx, p.Week, p.LangFilter, 10000)
	if err != nil {
		return err
	}
	for _, ic := range all {
		if ic.Query == public.WithheldQuery {
			ic.Query = web.T(c, "editor.search.withheld")
		}
		if len(p.Top) < insightRows {
			p.Top = append(p.Top, ic)
		}
		if ic.ZeroResults > 0 && len(p.NoResults) < insightRows {
			p.NoResults = append(p.NoResults, ic)
		}
		if ic.Clicks == 0 && ic.ZeroResults < ic.Searches && len(p.NoClicks) < insightRows {
			p.NoClicks = append(p.NoClicks, ic)
		}
	}
	sets, err := s.ed.db.SynonymSets(ctx)
	if err != nil {
		return err
	}
	for _, set := range sets {
		p.Synonyms = append(p.Synonyms, synonymRow{ID: set.ID, Lang: set.Lang, Terms: strings.Join(set.Terms, ", ")})
	}
	bets, err := s.ed.db.BestBets(ctx)
	if err != nil {
		return err
	}
	for _, b := range bets {
		row := bestBetRow{Lang: b.Lang, Query: b.Query, Slug: b.Slug, Title: b.Slug, URL: EntryURL("service", b.Slug)}
		if sum, ok := d.ServiceOf[b.Slug]; ok {
			row.Title, _ = sum.Title.In(b.Lang, d.DefaultLang)
		}
		p.BestBets = append(p.BestBets, row)
	}
	c.Status(status)
	return web.Render(c, "editor/search", p)
}

// ReloadTuning gives the search index the synonyms and best bets of the
// database again, for when another instance changed them.
func (s *Handler) ReloadTuning(ctx context.Context) error { return s.quality.reloadTuning(ctx) }

// reloadTuning gives the search index the synonyms and best bets of the
// database, so that a change takes effect with the next search.
func (s *searchQuality) reloadTuning(ctx context.Context) error {
	if s.ed == nil || s.ed.tuner == nil {
		return nil
	}
	sets, err := s.ed.db.SynonymSets(ctx)
	if err != nil {
		return err
	}
	bets, err := s.ed.db.BestBets(ctx)
	if err != nil {
		return err
	}
	var ss []search.SynonymSet
	for _, set := range sets {
		ss = append(ss, search.SynonymSet{Lang: set.Lang, Terms: set.Terms})
	}
	var bb []search.BestBet
	for _, b := range bets {
		bb = append(bb, search.BestBet{Lang: b.Lang, Query: b.Query, Slug: b.Slug})
	}
	s.ed.tuner.SetTuning(search.NewTuning(ss, bb))
	return nil
}

func (s *searchQuality) validLang(l string) bool {
	return slices.Contains(s.Directory().Authority.Languages, l)
}

// editorSynonymSave creates or replaces a synonym set.
func (s *searchQuality) editorSynonymSave(c *fiber.Ctx) error {
	lang := c.FormValue("lang")
	var terms []string
	for _, t := range strings.Split(c.FormValue("terms"), ",") {
		if t = search.NormalizeQuery(t); t != "" && !slices.Contains(terms, t) {
			terms = append(terms, t)
		}
	}
	id, _ := strconv.ParseInt(c.FormValue("id"), 10, 64)
	var probs []web.FormProblem
	if !s.validLang(lang) {
		probs = append(probs, web.FormProblem{ID: "synonym-lang", Message: web.T(c, "editor.search.error_lang")})
	}
	if len(terms) < 2 {
		probs = append(probs, web.FormProblem{ID: "synonym-terms", Message: web.T(c, "editor.search.error_terms")})
	}
	if len(probs) > 0 {
		return s.renderSearchQuality(c, fiber.StatusUnprocessableEntity, probs)
	}
	if _, err := s.ed.db.SaveSynonymSet(c.UserContext(), editorial.SynonymSet{ID: id, Lang: lang, Terms: terms}, actor(c)); err != nil {
		return err
	}
	if err := s.reloadTuning(c.UserContext()); err != nil {
		return err
	}
	return redirectDone(c, "/editor/search", "synonyms", 0)
}

func (s *searchQuality) editorSynonymDelete(c *fiber.Ctx) error {
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil {
		return fiber.ErrNotFound
	}
	if err := s.ed.db.DeleteSynonymSet(c.UserContext(), id, actor(c)); err != nil {
		return err
	}
	if err := s.reloadTuning(c.UserContext()); err != nil {
		return err
	}
	return redirectDone(c, "/editor/search", "synonyms_deleted", 0)
}

// editorBestBetSave pins a published service to a query.
func (s *searchQuality) editorBestBetSave(c *fiber.Ctx) error {
	lang, query, slug := c.FormValue("lang"), search.NormalizeQuery(c.FormValue("query")), strings.TrimSpace(c.FormValue("slug"))
	var probs []web.FormProblem
	if !s.validLang(lang) {
		probs = append(probs, web.FormProblem{ID: "bet-lang", Message: web.T(c, "editor.search.error_lang")})
	}
	if query == "" {
		probs = append(probs, web.FormProblem{ID: "bet-query", Message: web.T(c, "editor.search.error_query")})
	}
	if _, ok := s.Directory().ServiceOf[slug]; !ok {
		probs = append(probs, web.FormProblem{ID: "bet-slug", Message: web.T(c, "editor.search.error_slug", "Slug", slug)})
	}
	if len(probs) > 0 {
		return s.renderSearchQuality(c, fiber.StatusUnprocessableEntity, probs)
	}
	if err := s.ed.db.SaveBestBet(c.UserContext(), editorial.BestBet{Lang: lang, Query: query, Slug: slug}, actor(c)); err != nil {
		return err
	}
	if err := s.reloadTuning(c.UserContext()); err != nil {
		return err
	}
	return redirectDone(c, "/editor/search", "best_bet", 0)
}

func (s *searchQuality) editorBestBetDelete(c *fiber.Ctx) error {
	if err := s.ed.db.DeleteBestBet(c.UserContext(), c.FormValue("lang"), c.FormValue("query"), actor(c)); err != nil {
		return err
	}
	if err := s.reloadTuning(c.UserContext()); err != nil {
		return err
	}
	return redirectDone(c, "/editor/search", "best_bet_deleted", 0)
}
