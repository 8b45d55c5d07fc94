package public

import (
	"net/url"
	"time"

	"sportello/catalogue"
	"sportello/portal/web"
)

// The statutory pages every page's footer links to: the accessibility
// statement (accessibility_show.go), the privacy notice (privacy_show.go,
// one page per online service in privacy_service_show.go) and the cookies
// page (cookies_show.go). The council's own parts come from the
// catalogue's authority and services, so its editors keep them right; the
// rest is the portal's words, in every language (legal.<lang>.json).

// PrivacyURL is the privacy notice of the service slug.
func PrivacyURL(slug string) string { return "/privacy/" + url.PathEscape(slug) }

// period writes a number of days the way people say it: "2 years",
// "6 months", "45 days".
func period(tr *web.Translator, lang string, days int) string {
	switch {
	case days > 0 && days%365 == 0:
		return tr.T(lang, "legal.years", "Count", days/365)
	case days > 0 && days%30 == 0:
		return tr.T(lang, "legal.months", "Count", days/30)
	}
	return tr.T(lang, "legal.days", "Count", days)
}

// duration writes a duration in whole hours or minutes: "12 hours", "30
// minutes".
func duration(tr *web.Translator, lang string, d time.Duration) string {
	if d >= time.Hour && d%time.Hour == 0 {
		return tr.T(lang, "legal.hours", "Count", int(d/time.Hour))
	}
	return tr.T(lang, "legal.minutes", "Count", int(d.Round(time.Minute)/time.Minute))
}

// contactView is how to reach someone, for the pages' contact lists
// (partials/legal_contact).
type contactView struct {
	Lang    string // the page's
	Email   string
	Phone   string
	Website string
	Post    string
}

// inList picks a translated list of the council's in lang, else in its
// default language, with the language it is shown in when that is not the
// page's (web.Directory.Loc for a list).
func inList(d *web.Directory, t catalogue.TextList, lang string) localisedList {
	if l, ok := t[lang]; ok && len(l) > 0 {
		return localisedList{Items: l}
	}
	if lang == d.DefaultLang {
		return localisedList{}
	}
	return localisedList{Items: t[d.DefaultLang], Lang: d.DefaultLang}
}

// localisedList is a translated list with the language it is shown in
// when that is not the page's.
type localisedList struct {
	Items []string
	Lang  string
}
