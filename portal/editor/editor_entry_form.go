package editor

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"sportello/catalogue"
	"sportello/portal/web"
)

// entryCodec turns one kind of entry into form values and back, and lays
// out its form.
type entryCodec struct {
	values func(entry any, langs []string) url.Values
	decode func(v url.Values, langs []string, def, currency string, T func(string, ...any) string) (any, []catalogue.Problem)
	groups func(s *Handler, v url.Values, d *web.Directory, lang, compare string, T func(string, ...any) string) []edGroup
	action func(v url.Values, action string) bool
}

// EntryValues is the editor's form for an entry of kind, filled in as the
// entry is, in langs: what a browser posts back when nothing is changed.
func EntryValues(kind string, entry any, langs []string) url.Values {
	return codecFor(kind).values(entry, langs)
}

func codecFor(kind string) entryCodec {
	switch kind {
	case catalogue.KindService:
		return entryCodec{
			values: func(e any, langs []string) url.Values { return serviceValues(e.(*catalogue.Service), langs) },
			decode: func(v url.Values, langs []string, def, cur string, T func(string, ...any) string) (any, []catalogue.Problem) {
				s, p := decodeService(v, langs, def, cur, T)
				if s == nil {
					return nil, p
				}
				return s, p
			},
			groups: func(s *Handler, v url.Values, d *web.Directory, lang, compare string, T func(string, ...any) string) []edGroup {
				return s.serviceGroups(v, d, lang, compare, T)
			},
			action: formAction,
		}
	case catalogue.KindJourney:
		return entryCodec{values: JourneyValues, decode: decodeJourney, groups: journeyGroups, action: journeySteps.action}
	case catalogue.KindBusinessType:
		return businessTypeCodec
	}
	return entryCodec{values: simpleValues, decode: decodeSimple(kind), groups: simpleGroups(kind), action: func(url.Values, string) bool { return false }}
}

// simpleValues covers topics, departments and life events.
func simpleValues(e any, langs []string) url.Values {
	v := url.Values{}
	texts := map[string]catalogue.Text{}
	switch e := e.(type) {
	case *catalogue.Topic:
		v.Set("slug", e.Slug)
		texts["title"], texts["description"] = e.Title, e.Description
	case *catalogue.Department:
		v.Set("slug", e.Slug)
		texts["name"] = e.Name
		v.Set("email", e.Email)
		v.Set("phone", e.Phone)
		v.Set("address", e.Address)
		v.Set("opening_hours", e.OpeningHours)
	case *catalogue.LifeEvent:
		v.Set("slug", e.Slug)
		v.Set("audience", e.Audience)
		texts["title"] = e.Title
	}
	for name, t := range texts {
		for _, l := range langs {
			if t[l] != "" {
				v.Set(name+"."+l, t[l])
			}
		}
	}
	return v
}

func decodeSimple(kind string) func(url.Values, []string, string, string, func(string, ...any) string) (any, []catalogue.Problem) {
	return func(v url.Values, langs []string, def, _ string, _ func(string, ...any) string) (any, []catalogue.Problem) {
		slug := strings.TrimSpace(v.Get("slug"))
		switch kind {
		case catalogue.KindTopic:
			return &catalogue.Topic{Slug: slug, Title: readText(v, "title", langs, def, true), Description: readText(v, "description", langs, def, false)}, nil
		case catalogue.KindDepartment:
			return &catalogue.Department{Slug: slug, Name: readText(v, "name", langs, def, true),
				Email: strings.TrimSpace(v.Get("email")), Phone: strings.TrimSpace(v.Get("phone")),
				Address: strings.TrimSpace(v.Get("address")), OpeningHours: strings.TrimSpace(v.Get("opening_hours"))}, nil
		default:
			return &catalogue.LifeEvent{Slug: slug, Audience: v.Get("audience"), Title: readText(v, "title", langs, def, true)}, nil
		}
	}
}

func simpleGroups(kind string) func(*Handler, url.Values, *web.Directory, string, string, func(string, ...any) string) []edGroup {
	return func(_ *Handler, v url.Values, d *web.Directory, _, compare string, T func(string, ...any) string) []edGroup {
		langs, def := d.Authority.Languages, d.DefaultLang
		missing := T("editor.translation_missing")
		text := func(base, typ string, rows int) edGroup {
			return pairGroup(v, base, T("editor.field."+base), "", typ, rows, langs, def, compare, web.LanguageName, missing)
		}
		about := edGroup{ID: "group-about", Legend: T("editor.group.about"), Fields: []edField{
			{ID: fieldID("slug"), Name: "slug", Label: T("editor.field.slug"), Type: "readonly", Value: v.Get("slug")},
		}}
		switch kind {
		case catalogue.KindTopic:
			return []edGroup{about, text("title", "text", 0), text("description", "textarea", 3)}
		case catalogue.KindDepartment:
			for _, k := range []string{"email", "phone", "address", "opening_hours"} {
				about.Fields = append(about.Fields, edField{ID: fieldID(k), Name: k, Label: T("editor.field." + k), Type: "text", Value: v.Get(k)})
			}
			return []edGroup{about, text("name", "text", 0)}
		default:
			about.Fields = append(about.Fields, selectField("audience", T("editor.field.audience"), v.Get("audience"), []edOption{
				{Value: "", Label: T("editor.choose")},
				{Value: catalogue.AudienceResident, Label: T("audience.resident")},
				{Value: catalogue.AudienceBusiness, Label: T("audience.business")},
			}))
			return []edGroup{about, text("title", "text", 0)}
		}
	}
}

func stepName(i int, rest string) string { return fmt.Sprintf("steps[%d].%s", i, rest) }

func JourneyValues(e any, langs []string) url.Values {
	j := e.(*catalogue.Journey)
	v := url.Values{}
	v.Set("slug", j.Slug)
	v.Set("audience", j.Audience)
	for _, l := range langs {
		if j.Title[l] != "" {
			v.Set("title."+l, j.Title[l])
		}
		if j.Summary[l] != "" {
			v.Set("summary."+l, j.Summary[l])
		}
	}
	v.Set(journeySteps.countName(), strconv.Itoa(len(j.Steps)))
	for i, st := range j.Steps {
		for _, l := range langs {
			if st.Title[l] != "" {
				v.Set(stepName(i, "title."+l), st.Title[l])
			}
		}
		v.Set(stepName(i, "services"), strings.Join(st.Services, "\n"))
	}
	return v
}

func decodeJourney(v url.Values, langs []string, def, _ string, _ func(string, ...any) string) (any, []catalogue.Problem) {
	j := &catalogue.Journey{
		Slug: strings.TrimSpace(v.Get("slug")), Audience: v.Get("audience"),
		Title: readText(v, "title", langs, def, true), Summary: readText(v, "summary", langs, def, false),
		Steps: []catalogue.JourneyStep{},
	}
	for i := range journeySteps.count(v) {
		j.Steps = append(j.Steps, catalogue.JourneyStep{
			Title: readText(v, stepName(i, "title"), langs, def, true), Services: web.NonNil(words(v.Get(stepName(i, "services")))),
		})
	}
	return j, nil
}

func journeyGroups(_ *Handler, v url.Values, d *web.Directory, _, compare string, T func(string, ...any) string) []edGroup {
	langs, def := d.Authority.Languages, d.DefaultLang
	missing := T("editor.translation_missing")
	groups := []edGroup{
		{ID: "group-about", Legend: T("editor.group.about"), Fields: []edField{
			{ID: fieldID("slug"), Name: "slug", Label: T("editor.field.slug"), Type: "readonly", Value: v.Get("slug")},
			selectField("audience", T("editor.field.audience"), v.Get("audience"), []edOption{
				{Value: "", Label: T("editor.choose")},
				{Value: catalogue.AudienceResident, Label: T("audience.resident")},
				{Value: catalogue.AudienceBusiness, Label: T("audience.business")},
			}),
		}},
		pairGroup(v, "title", T("editor.field.title"), "", "text", 0, langs, def, compare, web.LanguageName, missing),
		pairGroup(v, "summary", T("editor.field.summary"), "", "textarea", 3, langs, def, compare, web.LanguageName, missing),
	}
	return append(groups, journeySteps.groups(v, T("editor.journey.steps"), T("editor.action.add_step"), T("editor.action.remove_step"),
		func(i int) edGroup {
			g := pairGroup(v, stepName(i, "title"), T("editor.journey.step", "Number", i+1), "", "text", 0, langs, def, compare, web.LanguageName, missing)
			g.Fields = append(g.Fields, edField{ID: fieldID(stepName(i, "services")), Name: stepName(i, "services"), Label: T("editor.journey.services"), Hint: T("editor.hint.related"), Type: "textarea", Rows: 2, Value: v.Get(stepName(i, "services"))})
			return g
		})...)
}
