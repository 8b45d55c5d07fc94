package portal

import (
	"net/url"
	"strconv"

	"sportello/catalogue"
)

// text picks t in lang, else in the default language. lang is "" when t
// was found in the language asked for, else the language shown, for a lang
// attribute on the content.
func (d *directory) text(t catalogue.Text, lang string) (s, fallback string) {
	s, ok := t.In(lang, d.defaultLang)
	if ok || lang == d.defaultLang {
		return s, ""
	}
	return s, d.defaultLang
}

// Localised is a text with the language it is shown in when that differs
// from the page's ("" otherwise); templates put it in a lang attribute.
type Localised struct {
	Text string
	Lang string
}

func (d *directory) loc(t catalogue.Text, lang string) Localised {
	s, fb := d.text(t, lang)
	return Localised{Text: s, Lang: fb}
}

// Card is one service in a list.
type Card struct {
	URL     string
	Title   string
	Summary string
	Lang    string // language of Title and Summary when it is not the page's
	Online  bool
	Cost    string // formatted fee with its unit, "" when free
}

// CardList is a list of services with the page language, for the
// partials/service_list template.
type CardList struct {
	Lang  string
	Items []Card
}

func (s *Server) cards(d *directory, lang string, list []*catalogue.ServiceSummary) CardList {
	cl := CardList{Lang: lang, Items: make([]Card, 0, len(list))}
	for _, sum := range list {
		cl.Items = append(cl.Items, s.card(d, lang, sum))
	}
	return cl
}

func (s *Server) card(d *directory, lang string, sum *catalogue.ServiceSummary) Card {
	title, fb := d.text(sum.Title, lang)
	summary, _ := sum.Summary.In(lang, d.defaultLang)
	return Card{
		URL:     serviceURL(sum.Slug),
		Title:   title,
		Summary: summary,
		Lang:    fb,
		Online:  sum.Online,
		Cost:    s.cost(d, sum.Fee, lang),
	}
}

// cost formats a fee with its unit ("€40.00 per year"), "" when free.
func (s *Server) cost(d *directory, fee *catalogue.Fee, lang string) string {
	if fee == nil || fee.Amount == 0 {
		return ""
	}
	code := fee.Currency
	if code == "" {
		code = d.Authority.Currency
	}
	out := formatMoney(fee.Amount, code, lang)
	if unit, _ := fee.Unit.In(lang, d.defaultLang); unit != "" {
		out += " " + unit
	}
	return out
}

// Link is a titled link to a topic, life event or journey.
type Link struct {
	URL     string
	Title   string
	Lang    string // language of Title when it is not the page's
	Summary string
	// SummaryLang is the language of Summary when it is not the page's
	// (topic descriptions are often translated later than titles).
	SummaryLang string
	Count       int // services behind the link, 0 when not shown
}

// SearchBox is the data of the partials/search_form template.
type SearchBox struct {
	Lang  string
	ID    string // id of the input, unique on the page
	Query string
}

func serviceURL(slug string) string   { return "/services/" + url.PathEscape(slug) }
func topicURL(slug string) string     { return "/topics/" + url.PathEscape(slug) }
func lifeEventURL(slug string) string { return "/life-events/" + url.PathEscape(slug) }
func journeyURL(slug string) string   { return "/journeys/" + url.PathEscape(slug) }

// LinkList is a list of links with the page language, for the
// partials/link_list template.
type LinkList struct {
	Lang  string
	Items []Link
}

func (d *directory) topicLinks(lang string) LinkList {
	links := make([]Link, 0, len(d.Topics))
	for i := range d.Topics {
		t := &d.Topics[i]
		title, fb := d.text(t.Title, lang)
		desc := d.loc(t.Description, lang)
		links = append(links, Link{
			URL: topicURL(t.Slug), Title: title, Lang: fb,
			Summary: desc.Text, SummaryLang: desc.Lang, Count: len(d.byTopic[t.Slug]),
		})
	}
	return LinkList{Lang: lang, Items: links}
}

func (d *directory) lifeEventLinks(lang, audience string) LinkList {
	var links []Link
	for i := range d.LifeEvents {
		le := &d.LifeEvents[i]
		if audience != "" && le.Audience != audience {
			continue
		}
		title, fb := d.text(le.Title, lang)
		links = append(links, Link{URL: lifeEventURL(le.Slug), Title: title, Lang: fb, Count: len(d.byLifeEvent[le.Slug])})
	}
	return LinkList{Lang: lang, Items: links}
}

func (d *directory) journeyLinks(lang, audience string) LinkList {
	var links []Link
	for i := range d.Journeys {
		j := &d.Journeys[i]
		if audience != "" && j.Audience != audience {
			continue
		}
		links = append(links, d.journeyLink(j, lang))
	}
	return LinkList{Lang: lang, Items: links}
}

func (d *directory) journeyLink(j *catalogue.Journey, lang string) Link {
	title, fb := d.text(j.Title, lang)
	summary := d.loc(j.Summary, lang)
	return Link{URL: journeyURL(j.Slug), Title: title, Lang: fb, Summary: summary.Text, SummaryLang: summary.Lang}
}

// pageNumber reads a 1-based page number, 1 when absent or nonsense.
func pageNumber(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		return 1
	}
	return min(n, maxPage)
}

// maxPage stops deep paging, which costs the index and helps nobody.
const maxPage = 1000

// translated lists the UI languages t is written in, in switcher order.
func translated(t catalogue.Text) []string {
	var langs []string
	for _, l := range catalogue.Languages {
		if t[l] != "" {
			langs = append(langs, l)
		}
	}
	return langs
}
