package holidays

import (
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"sportello/calendar"
	"sportello/portal/web"
)

// indexPage is templates/holidays/index.html's data.
type indexPage struct {
	web.Page
	Year     int
	PrevURL  string
	NextURL  string
	PrevYear int
	NextYear int
	Rows     []holidayRow
	// Done is the notice after a change: "added", "removed" or "gone".
	Done   string
	Form   addForm
	Errors []errorLink
}

type holidayRow struct {
	Date       string // in the page's language
	ISO        string // YYYY-MM-DD, for <time datetime>
	Weekday    string
	Weekend    bool // falls on a Saturday or Sunday, so changes no date
	Name       string
	NameLang   string // the name's language when it is not the page's
	Scope      string // translated
	RemoveURL  string
	RemoveName string // the button's accessible name, with the holiday's
}

// addForm is the form to add a holiday, as typed.
type addForm struct {
	Day, Month, Year string
	DateError        string
	Scope            string
	ScopeError       string
	Scopes           []scopeOption
	Names            []nameInput
}

type scopeOption struct {
	Value, Label string
	Checked      bool
}

// nameInput is the holiday's name in one of the council's languages.
type nameInput struct {
	ID       string // the input's id and name: "name-<lang>"
	Lang     string
	Label    string
	Value    string
	Required bool // the council's default language
	Error    string
}

type errorLink struct{ Href, Message string }

// Years the page accepts: wider than any list a council keeps.
const firstYear, lastYear = 2000, 2099

// holidayIndex lists a year's holidays with a form to add one: GET
// /staff/holidays?year=2026 (default the current year).
func (h *Handler) holidayIndex(c *fiber.Ctx) error {
	page, err := h.indexPage(c, h.yearOf(c.Query("year")))
	if err != nil {
		return err
	}
	switch d := c.Query("done"); d {
	case "added", "removed", "gone":
		page.Done = d
	}
	return web.Render(c, "holidays/index", page)
}

// yearOf reads a year from the query; the current year when it is none.
func (h *Handler) yearOf(s string) int {
	if y, err := strconv.Atoi(s); err == nil && y >= firstYear && y <= lastYear {
		return y
	}
	return h.Today().Year()
}

// indexPage builds the page of year with an empty form.
func (h *Handler) indexPage(c *fiber.Ctx, year int) (indexPage, error) {
	p := web.NewPage(c, "holidays.title")
	list, err := h.holidays.Year(c.UserContext(), year)
	if err != nil {
		return indexPage{}, err
	}
	page := indexPage{Page: p, Year: year, PrevYear: year - 1, NextYear: year + 1}
	if year > firstYear {
		page.PrevURL = yearURL(year - 1)
	}
	if year < lastYear {
		page.NextURL = yearURL(year + 1)
	}
	fallback := h.Site.Authority().DefaultLanguage
	for _, hol := range list {
		d, _ := calendar.ParseDate(hol.Date)
		name, lang := hol.NameIn(p.Lang, fallback)
		row := holidayRow{
			Date: h.ISODate(p.Lang, hol.Date), ISO: hol.Date,
			Weekday:   web.T(c, "holidays.weekday."+strconv.Itoa(int(d.Weekday()))),
			Weekend:   d.Weekday() == time.Saturday || d.Weekday() == time.Sunday,
			Name:      name,
			Scope:     web.T(c, "holidays.scope."+string(hol.Scope)),
			RemoveURL: Path + "/" + hol.Date + "/remove",
		}
		if lang != p.Lang {
			row.NameLang = lang
		}
		row.RemoveName = web.T(c, "holidays.remove_named", "Name", name, "Date", row.Date)
		page.Rows = append(page.Rows, row)
	}
	page.Form = h.emptyForm(c, year)
	return page, nil
}

// emptyForm is the form to add a holiday, the year filled in.
func (h *Handler) emptyForm(c *fiber.Ctx, year int) addForm {
	f := addForm{Year: strconv.Itoa(year)}
	def := h.Site.Authority().DefaultLanguage
	langs := []string{def}
	for _, l := range h.Site.Languages {
		if l != def {
			langs = append(langs, l)
		}
	}
	for _, l := range langs {
		f.Names = append(f.Names, nameInput{
			ID: "name-" + l, Lang: l, Required: l == def,
			Label: web.T(c, "holidays.name_in", "Language", web.T(c, web.LanguageKey(l))),
		})
	}
	f.setScopes(c)
	return f
}

// setScopes lists the scopes, the one chosen checked.
func (f *addForm) setScopes(c *fiber.Ctx) {
	f.Scopes = f.Scopes[:0]
	for _, s := range calendar.Scopes {
		f.Scopes = append(f.Scopes, scopeOption{Value: string(s), Label: web.T(c, "holidays.scope."+string(s)), Checked: string(s) == f.Scope})
	}
}

func yearURL(year int) string { return Path + "?year=" + strconv.Itoa(year) }
