package web

import (
	"bytes"
	"html/template"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
)

// Markdown renders council editors' Markdown to HTML that is safe to show.
type Markdown struct {
	md     goldmark.Markdown
	policy *bluemonday.Policy
}

func NewMarkdown() *Markdown {
	return &Markdown{md: goldmark.New(), policy: bluemonday.UGCPolicy()}
}

// render returns src as HTML: goldmark output always passes bluemonday's UGC
// policy before it becomes template.HTML. Callers cache the result with the
// page it is part of (see serviceShow).
func (m *Markdown) Render(src string) template.HTML {
	var buf bytes.Buffer
	if err := m.md.Convert([]byte(src), &buf); err != nil {
		// goldmark only fails on a failing writer; show the text as text.
		return template.HTML(template.HTMLEscapeString(src)) // #nosec G203 -- escaped
	}
	return template.HTML(m.policy.SanitizeBytes(buf.Bytes())) // #nosec G203 -- sanitised by bluemonday just above
}
