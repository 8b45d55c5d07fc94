package editor

import (
	"net/url"
	"strconv"
	"strings"

	"sportello/catalogue"
)

// The service editor's privacy notice: what the online form does with
// personal data and how long a closed application is kept (the
// catalogue's privacy member), named by its JSON path like every field.

// privacyValues writes s.Privacy into v.
func privacyValues(v url.Values, p *catalogue.Privacy, langs []string) {
	if p == nil {
		return
	}
	v.Set("privacy.legal_basis", p.LegalBasis)
	v.Set("privacy.retention_days", strconv.Itoa(p.RetentionDays))
	for _, l := range langs {
		for name, t := range map[string]catalogue.Text{"purpose": p.Purpose, "shared_with": p.SharedWith} {
			if t[l] != "" {
				v.Set("privacy."+name+"."+l, t[l])
			}
		}
		if items := p.Data[l]; len(items) > 0 {
			v.Set("privacy.data."+l, strings.Join(items, "\n"))
		}
	}
}

// decodePrivacy reads the privacy notice back; nil when the form says
// nothing of it. A missing part is then the catalogue's validation's to
// report, on its own control.
func decodePrivacy(v url.Values, langs []string, def string, intAt func(string) *int) *catalogue.Privacy {
	p := &catalogue.Privacy{
		LegalBasis: v.Get("privacy.legal_basis"),
		Purpose:    readText(v, "privacy.purpose", langs, def, false),
		SharedWith: readText(v, "privacy.shared_with", langs, def, false),
	}
	for _, l := range langs {
		if items := lines(v.Get("privacy.data." + l)); len(items) > 0 {
			if p.Data == nil {
				p.Data = catalogue.TextList{}
			}
			p.Data[l] = items
		}
	}
	if _, ok := p.Data[def]; p.Data != nil && !ok {
		p.Data[def] = []string{}
	}
	days := intAt("privacy.retention_days")
	if days != nil {
		p.RetentionDays = *days
	}
	if p.LegalBasis == "" && days == nil && p.Purpose == nil && p.SharedWith == nil && p.Data == nil {
		return nil
	}
	if p.Purpose == nil {
		p.Purpose = catalogue.Text{def: ""}
	}
	return p
}

// privacyGroups lays out the privacy notice's controls: the basis and the
// retention, then each text in every language.
func privacyGroups(v url.Values, text func(base, typ string, rows int) edGroup, T func(string, ...any) string) []edGroup {
	bases := []edOption{{Value: "", Label: T("editor.choose")}}
	for _, b := range catalogue.LegalBases {
		bases = append(bases, edOption{Value: b, Label: T("legal.privacy.basis." + b)})
	}
	basis := selectField("privacy.legal_basis", T("editor.field.privacy.legal_basis"), v.Get("privacy.legal_basis"), bases)
	basis.Hint = T("editor.hint.privacy.legal_basis")
	rules := edGroup{ID: "group-privacy", Legend: T("editor.group.privacy"), Hint: T("editor.hint.privacy"), Fields: []edField{
		basis,
		{ID: fieldID("privacy.retention_days"), Name: "privacy.retention_days", Label: T("editor.field.privacy.retention_days"), Hint: T("editor.hint.privacy.retention_days"), Type: "number", Value: v.Get("privacy.retention_days")},
	}}
	return []edGroup{rules,
		text("privacy.purpose", "textarea", 3), text("privacy.shared_with", "textarea", 2), text("privacy.data", "textarea", 4)}
}
