package web

import "testing"

func TestOpeningHours(t *testing.T) {
	const nb = "\u00a0"
	tests := []struct {
		raw  string
		want map[string]string // lang -> shown
	}{
		{"Mo-Fr 09:00-14:00", map[string]string{
			"en": "Monday to Friday, 09:00–14:00",
			"es": "lun–vie 9:00–14:00",
			"ca": "dl.–dv. 9:00–14:00",
			"it": "lun–ven 9:00–14:00",
			"fr": "lun.–ven. 9" + nb + "h–14" + nb + "h",
		}},
		{"Mo-Fr 08:30-14:00; Sa 09:00-12:00", map[string]string{
			"en": "Monday to Friday, 08:30–14:00; Saturday, 09:00–12:00",
			"es": "lun–vie 8:30–14:00; sáb 9:00–12:00",
			"ca": "dl.–dv. 8:30–14:00; ds. 9:00–12:00",
			"it": "lun–ven 8:30–14:00; sab 9:00–12:00",
			"fr": "lun.–ven. 8" + nb + "h" + nb + "30–14" + nb + "h; sam. 9" + nb + "h–12" + nb + "h",
		}},
		// A later rule replaces the days it names (OpenStreetMap's rule):
		// Thursday afternoons only, so Thursday is shown on its own.
		{"Mo-Fr 09:00-14:00; Th 16:00-18:30", map[string]string{
			"en": "Monday to Wednesday and Friday, 09:00–14:00; Thursday, 16:00–18:30",
			"es": "lun–mié y vie 9:00–14:00; jue 16:00–18:30",
		}},
		// An additional rule (", " before a day) adds times.
		{"Mo-Fr 09:00-14:00, Th 16:00-18:30", map[string]string{
			"en": "Monday to Wednesday and Friday, 09:00–14:00; Thursday, 09:00–14:00 and 16:00–18:30",
			"ca": "dl.–dc. i dv. 9:00–14:00; dj. 9:00–14:00 i 16:00–18:30",
			"it": "lun–mer e ven 9:00–14:00; gio 9:00–14:00 e 16:00–18:30",
			"fr": "lun.–mer. et ven. 9" + nb + "h–14" + nb + "h; jeu. 9" + nb + "h–14" + nb + "h et 16" + nb + "h–18" + nb + "h" + nb + "30",
		}},
		{"Mo-Fr 09:00-14:00; Th 09:00-14:00,16:00-18:30", map[string]string{
			"es": "lun–mié y vie 9:00–14:00; jue 9:00–14:00 y 16:00–18:30",
		}},
		{"Mo,We,Fr 10:00-13:00,16:00-19:00", map[string]string{
			"en": "Monday, Wednesday and Friday, 10:00–13:00 and 16:00–19:00",
			"it": "lun, mer e ven 10:00–13:00 e 16:00–19:00",
		}},
		{"Sa-Su 10:00-14:00", map[string]string{"en": "Saturday and Sunday, 10:00–14:00", "es": "sáb y dom 10:00–14:00"}},
		{"Fr-Mo 10:00-14:00", map[string]string{"en": "Monday and Friday to Sunday, 10:00–14:00"}},
		{"09:00-21:00", map[string]string{"en": "Every day, 09:00–21:00", "ca": "cada dia 9:00–21:00", "fr": "tous les jours 9" + nb + "h–21" + nb + "h"}},
		{"Mo-Su 00:00-24:00", map[string]string{"es": "todos los días 0:00–24:00"}},
		{"Mo-Sa 09:00-14:00; Sa off", map[string]string{"en": "Monday to Friday, 09:00–14:00"}},
		{"Mo-Fr 09:00-14:00; PH off", map[string]string{
			"en": "Monday to Friday, 09:00–14:00; closed on public holidays",
			"es": "lun–vie 9:00–14:00; cerrado los festivos",
		}},
		{"24/7", map[string]string{"en": "Open 24 hours, every day", "it": "aperto 24 ore su 24, tutti i giorni"}},
		{"Mo-Fr 09:00-14:00;", map[string]string{"es": "lun–vie 9:00–14:00"}},
		// What it does not read is shown as written, in every language.
		{"Jan-Jun Mo-Fr 09:00-14:00", map[string]string{"en": "Jan-Jun Mo-Fr 09:00-14:00", "es": "Jan-Jun Mo-Fr 09:00-14:00"}},
		{"Mo-Fr 9-14", map[string]string{"es": "Mo-Fr 9-14"}},
		{"Mo-Fr 09:00-25:00", map[string]string{"es": "Mo-Fr 09:00-25:00"}},
		{"Mo-Fr +9:00-14:00", map[string]string{"es": "Mo-Fr +9:00-14:00"}},
		{"Mo-Fr", map[string]string{"es": "Mo-Fr"}},
		{"Mo-Xy 09:00-14:00", map[string]string{"es": "Mo-Xy 09:00-14:00"}},
		{"Mo-Fr 09:00-14:00 \"by appointment\"", map[string]string{"fr": "Mo-Fr 09:00-14:00 \"by appointment\""}},
		{"off", map[string]string{"en": "off"}},
		{"PH off", map[string]string{"en": "PH off"}},
		{"by appointment", map[string]string{"it": "by appointment"}},
		{"", map[string]string{"en": ""}},
	}
	for _, tt := range tests {
		for lang, want := range tt.want {
			if got := OpeningHours(lang, tt.raw); got != want {
				t.Errorf("OpeningHours(%s, %q)\n got %q\nwant %q", lang, tt.raw, got, want)
			}
		}
	}
}

// Every language the site offers has its own style: none falls back to
// English's words.
func TestOpeningHoursEveryLanguage(t *testing.T) {
	seen := map[string]string{}
	for _, lang := range []string{"en", "es", "ca", "it", "fr"} {
		got := OpeningHours(lang, "Mo-Fr 09:00-14:00; Sa 10:00-12:00")
		if other, dup := seen[got]; dup {
			t.Errorf("%s and %s show the hours the same way: %q", lang, other, got)
		}
		seen[got] = lang
	}
	if got := OpeningHours("xx", "Mo 09:00-10:00"); got != "Monday, 09:00–10:00" {
		t.Errorf("an unknown language gets %q, want English", got)
	}
}

func TestClockAndNumber(t *testing.T) {
	clocks := []struct {
		lang string
		h, m int
		want string
	}{
		{"en", 9, 5, "09:05"}, {"en", 18, 30, "18:30"},
		{"es", 9, 0, "9:00"}, {"ca", 0, 30, "0:30"}, {"it", 14, 0, "14:00"},
		{"fr", 9, 0, "9\u00a0h"}, {"fr", 18, 30, "18\u00a0h\u00a030"}, {"fr", 8, 5, "8\u00a0h\u00a005"},
	}
	for _, c := range clocks {
		if got := Clock(c.lang, c.h, c.m); got != c.want {
			t.Errorf("Clock(%s, %d, %d) = %q, want %q", c.lang, c.h, c.m, got, c.want)
		}
	}
	numbers := []struct {
		lang string
		n    int64
		want string
	}{
		{"en", 7, "7"}, {"en", 999, "999"}, {"en", 1800, "1,800"}, {"en", 1234567, "1,234,567"},
		{"es", 1800, "1800"}, {"es", 12000, "12.000"}, {"es", -12000, "-12.000"},
		{"ca", 1800, "1.800"}, {"it", 100000, "100.000"}, {"fr", 1800, "1\u202f800"},
		{"xx", 1800, "1,800"},
	}
	for _, c := range numbers {
		if got := Number(c.lang, c.n); got != c.want {
			t.Errorf("Number(%s, %d) = %q, want %q", c.lang, c.n, got, c.want)
		}
	}
}
