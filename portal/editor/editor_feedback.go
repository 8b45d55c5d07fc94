package editor

import (
	"cmp"
	"slices"

	"github.com/gofiber/fiber/v2"

	"sportello/catalogue"
	"sportello/editorial"
	"sportello/portal/web"
)

// feedbackReportPage is templates/editor/feedback.html: per service, how
// many found the page useful, the lowest scores first, and the comments.
type feedbackReportPage struct {
	editorPage
	Low      []feedbackRow
	All      []feedbackRow
	Slug     string
	Title    string
	Comments []feedbackCommentRow
}

type feedbackRow struct {
	Slug, Title, URL, CommentsURL string
	Useful, NotUseful, Percent    int64
}

type feedbackCommentRow struct {
	editorial.FeedbackComment
	When string
}

// A score is low when at least lowScoreVotes answered and fewer than
// lowScorePercent of them found the page useful.
const (
	lowScoreVotes   = 5
	lowScorePercent = 50
)

func (s *Handler) editorFeedback(c *fiber.Ctx) error {
	ctx := c.UserContext()
	d := s.Directory()
	p := feedbackReportPage{editorPage: s.newEditorPage(c, "editor.feedback.title", "/editor/feedback"), Slug: c.Query("slug")}
	scores, err := s.ed.db.FeedbackScores(ctx)
	if err != nil {
		return err
	}
	title := func(slug string) string {
		if sum, ok := d.ServiceOf[slug]; ok {
			t, _ := sum.Title.In(p.Lang, d.DefaultLang)
			return t
		}
		return slug
	}
	for _, sc := range scores {
		total := sc.Useful + sc.NotUseful
		row := feedbackRow{Slug: sc.Slug, Title: title(sc.Slug), URL: EntryURL(catalogue.KindService, sc.Slug),
			CommentsURL: "/editor/feedback?slug=" + sc.Slug, Useful: sc.Useful, NotUseful: sc.NotUseful}
		if total > 0 {
			row.Percent = sc.Useful * 100 / total
		}
		p.All = append(p.All, row)
		if total >= lowScoreVotes && row.Percent < lowScorePercent {
			p.Low = append(p.Low, row)
		}
	}
	slices.SortFunc(p.All, func(a, b feedbackRow) int { return cmp.Compare(a.Percent, b.Percent) })
	slices.SortFunc(p.Low, func(a, b feedbackRow) int { return cmp.Compare(a.Percent, b.Percent) })
	comments, err := s.ed.db.FeedbackComments(ctx, p.Slug, 200)
	if err != nil {
		return err
	}
	if p.Slug != "" {
		p.Title = title(p.Slug)
	}
	for _, cm := range comments {
		p.Comments = append(p.Comments, feedbackCommentRow{FeedbackComment: cm, When: s.at(c, cm.At)})
	}
	return web.Render(c, "editor/feedback", p)
}
