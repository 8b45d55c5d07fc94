package web

import (
	"context"
	"fmt"
	"net/url"
	"strconv"

	"sportello/catalogue"
)

// text picks t in lang, else in the default language. lang is "" when t
// was found in the language asked for, else the language shown, for a lang
// attribute on the content.
func (d *Directory) Text(t catalogue.Translated, lang string) (s, fallback string) {
	s, ok := t.In(lang, d.DefaultLang)
	if ok || lang == d.DefaultLang {
		return s, ""
	}
	return s, d.DefaultLang
}

// Localised is a text with the language it is shown in when that differs
// from the page's ("" otherwise); templates put it in a lang attribute.
type Localised struct {
	Text string
	Lang string
}

func (d *Directory) Loc(t catalogue.Translated, lang string) Localised {
	s, fb := d.Text(t, lang)
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
	// All is how many services AllURL lists when the list shows only its
	// first ListCap services, 0 when it shows them all.
	All    int
	AllURL string
}

// AllOf is where the whole of a shortened list can be read, and how many
// services that page lists: the link says the number the resident will
// find there, which may count more than the list (a topic's services for
// businesses leave out those also for residents; search does not).
type AllOf struct {
	URL   string
	Count int
}

// ListCap is the most services a list on a page shows. A topic of a
// national catalogue holds thousands of services, which nobody reads down
// a page and which made pages of megabytes that took seconds to build (at
// 100k services, a topic 3 MB in 1.9 s, the business page 20 MB in 15 s);
// the rest are a link away, on a page of results that pages.
const ListCap = 50

// CardsUpTo is Cards of the first ListCap services of list; when list has
// more, the card list links to all of them.
func (d *Directory) CardsUpTo(ctx context.Context, lang string, list []*catalogue.ServiceSummary, all AllOf) (CardList, error) {
	if len(list) <= ListCap {
		return d.Cards(ctx, lang, list)
	}
	cl, err := d.Cards(ctx, lang, list[:ListCap])
	if err != nil {
		return CardList{}, err
	}
	cl.All, cl.AllURL = all.Count, all.URL
	return cl, nil
}

// Cards lists the services of list in lang, with their summaries read from
// the catalogue store (or the directory's cache of them).
func (d *Directory) Cards(ctx context.Context, lang string, list []*catalogue.ServiceSummary) (CardList, error) {
	texts, err := d.SummaryTexts(ctx, list)
	if err != nil {
		return CardList{}, err
	}
	cl := CardList{Lang: lang, Items: make([]Card, 0, len(list))}
	for _, sum := range list {
		cl.Items = append(cl.Items, d.cardOf(lang, sum, texts[sum.Slug]))
	}
	return cl, nil
}

// SummaryTexts returns the summary texts of list by slug, which the
// directory does not hold.
func (d *Directory) SummaryTexts(ctx context.Context, list []*catalogue.ServiceSummary) (map[string]catalogue.PackedText, error) {
	texts, err := d.summaries.get(ctx, list)
	if err != nil {
		return nil, fmt.Errorf("portal: reading the summaries of %d services: %w", len(list), err)
	}
	return texts, nil
}

func (d *Directory) cardOf(lang string, sum *catalogue.ServiceSummary, text catalogue.PackedText) Card {
	title, fb := d.Text(sum.Title, lang)
	summary, _ := text.In(lang, d.DefaultLang)
	return Card{
		URL:     ServiceURL(sum.Slug),
		Title:   title,
		Summary: summary,
		Lang:    fb,
		Online:  sum.Online,
		Cost:    d.Cost(sum.Fee, lang),
	}
}

// cost formats a fee with its unit ("€40.00 per year"), "" when free.
func (d *Directory) Cost(fee *catalogue.Fee, lang string) string {
	if fee == nil || fee.Amount == 0 {
		return ""
	}
	code := fee.Currency
	if code == "" {
		code = d.Authority.Currency
	}
	out := Money{Minor: fee.Amount, Currency: code}.Format(lang)
	if unit, _ := fee.Unit.In(lang, d.DefaultLang); unit != "" {
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
	// (topic descriptions are often Translated later than titles).
	SummaryLang string
	Count       int // services behind the link, 0 when not shown
}

// SearchBox is the data of the partials/search_form template.
type SearchBox struct {
	Lang  string
	ID    string // id of the input, unique on the page
	Query string
}

func ServiceURL(slug string) string   { return "/services/" + url.PathEscape(slug) }
func TopicURL(slug string) string     { return "/topics/" + url.PathEscape(slug) }
func LifeEventURL(slug string) string { return "/life-events/" + url.PathEscape(slug) }
func JourneyURL(slug string) string   { return "/journeys/" + url.PathEscape(slug) }

// LinkList is a list of links with the page language, for the
// partials/link_list template.
type LinkList struct {
	Lang  string
	Items []Link
}

func (d *Directory) TopicLinks(lang string) LinkList {
	links := make([]Link, 0, len(d.Topics))
	for i := range d.Topics {
		t := &d.Topics[i]
		title, fb := d.Text(t.Title, lang)
		desc := d.Loc(t.Description, lang)
		links = append(links, Link{
			URL: TopicURL(t.Slug), Title: title, Lang: fb,
			Summary: desc.Text, SummaryLang: desc.Lang, Count: len(d.ByTopic[t.Slug]),
		})
	}
	return LinkList{Lang: lang, Items: links}
}

func (d *Directory) LifeEventLinks(lang, audience string) LinkList {
	var links []Link
	for i := range d.LifeEvents {
		le := &d.LifeEvents[i]
		if audience != "" && le.Audience != audience {
			continue
		}
		title, fb := d.Text(le.Title, lang)
		links = append(links, Link{URL: LifeEventURL(le.Slug), Title: title, Lang: fb, Count: len(d.ByLifeEvent[le.Slug])})
	}
	return LinkList{Lang: lang, Items: links}
}

func (d *Directory) JourneyLinks(lang, audience string) LinkList {
	var links []Link
	for i := range d.Journeys {
		j := &d.Journeys[i]
		if audience != "" && j.Audience != audience {
			continue
		}
		links = append(links, d.JourneyLink(j, lang))
	}
	return LinkList{Lang: lang, Items: links}
}

func (d *Directory) JourneyLink(j *catalogue.Journey, lang string) Link {
	title, fb := d.Text(j.Title, lang)
	summary := d.Loc(j.Summary, lang)
	return Link{URL: JourneyURL(j.Slug), Title: title, Lang: fb, Summary: summary.Text, SummaryLang: summary.Lang}
}

// PageNumber reads a 1-based page number, 1 when absent or nonsense.
func PageNumber(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		return 1
	}
	return min(n, MaxPage)
}

// Truthy reads a checkbox or flag in a query: "1", "true" or "on".
func Truthy(s string) bool { return s == "1" || s == "true" || s == "on" }

// MaxPage stops deep paging, which costs the index and helps nobody.
const MaxPage = 1000

// Translated lists the UI languages t is written in, in switcher order.
func Translated(t catalogue.Translated) []string {
	var langs []string
	for _, l := range catalogue.Languages {
		if _, ok := t.In(l, ""); ok {
			langs = append(langs, l)
		}
	}
	return langs
}

// NonNil is s, or an empty list instead of nil, for JSON arrays.
func NonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
