package web

// LayoutText is what the main layout says in one language: its phrases
// translated once at start, so that the layout makes one template call per
// page ({{$l := layout .Lang}}) instead of one {{t}} per phrase, which were
// most of the time a service page took to render.
type LayoutText struct {
	Skip, DemoSignIn, DevMailBanner, DevMailLink, PaymentsSimulated string
	Account, StaffNav, EditorNav, SignOut, SignIn                   string
	NavLabel, Home, Topics, LifeEvents, Journeys, Business, Search  string
	LangsLabel, FooterHeading, Phone, API, Sitemap                  string
	Accessibility, Privacy, Cookies                                 string
}

// layoutText translates the layout's phrases into lang.
func (t *Translator) layoutText(lang string) *LayoutText {
	tr := func(key string) string { return t.T(lang, key) }
	return &LayoutText{
		Skip: tr("layout.skip"), DemoSignIn: tr("layout.demo_sign_in"),
		DevMailBanner: tr("devmail.banner"), DevMailLink: tr("devmail.banner_link"),
		PaymentsSimulated: tr("payments.banner.simulated"),
		Account:           tr("layout.account"), StaffNav: tr("staff.nav"), EditorNav: tr("editor.title"),
		SignOut: tr("layout.sign_out"), SignIn: tr("layout.sign_in"),
		NavLabel: tr("layout.nav_label"), Home: tr("nav.home"), Topics: tr("nav.topics"),
		LifeEvents: tr("nav.life_events"), Journeys: tr("nav.journeys"), Business: tr("nav.business"),
		Search: tr("nav.search"), LangsLabel: tr("layout.langs_label"),
		FooterHeading: tr("layout.footer_heading"), Phone: tr("layout.phone"),
		API: tr("layout.api"), Sitemap: tr("layout.sitemap"),
		Accessibility: tr("legal.footer.accessibility"), Privacy: tr("legal.footer.privacy"),
		Cookies: tr("legal.footer.cookies"),
	}
}

// Layout returns the layout's phrases in lang (English for a language the
// site does not have).
func (t *Translator) Layout(lang string) *LayoutText {
	if l, ok := t.layout[lang]; ok {
		return l
	}
	return t.layout["en"]
}
