package holidays

import (
	"errors"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"sportello/calendar"
	"sportello/portal/web"
)

// maxName bounds a holiday's name in one language.
const maxName = 100

// holidayAdd adds a holiday from the form: POST /staff/holidays. The
// date, the scope and the name in the council's default language are
// needed; every problem is shown at once, beside its field and in a
// summary.
func (h *Handler) holidayAdd(c *fiber.Ctx) error {
	ctx := c.UserContext()
	f := h.emptyForm(c, h.Today().Year())
	f.Day, f.Month, f.Year = strings.TrimSpace(c.FormValue("day")), strings.TrimSpace(c.FormValue("month")), strings.TrimSpace(c.FormValue("year"))
	f.Scope = c.FormValue("scope")
	f.setScopes(c)
	hol := calendar.Holiday{Scope: calendar.Scope(f.Scope), Name: map[string]string{}}
	var errs []errorLink
	date, key := parseDate(f.Day, f.Month, f.Year)
	if key != "" {
		f.DateError = web.T(c, key, "First", firstYear, "Last", lastYear)
		errs = append(errs, errorLink{Href: "#day", Message: f.DateError})
	}
	hol.Date = date
	if !hol.Scope.Valid() {
		f.ScopeError = web.T(c, "holidays.error.scope")
		errs = append(errs, errorLink{Href: "#scope-" + string(calendar.ScopeNational), Message: f.ScopeError})
	}
	for i := range f.Names {
		n := &f.Names[i]
		n.Value = strings.TrimSpace(c.FormValue(n.ID))
		lang := web.T(c, web.LanguageKey(n.Lang))
		switch {
		case n.Value == "" && n.Required:
			n.Error = web.T(c, "holidays.error.name_missing", "Language", lang)
		case utf8.RuneCountInString(n.Value) > maxName:
			n.Error = web.T(c, "holidays.error.name_long", "Language", lang, "Max", maxName, "Count", utf8.RuneCountInString(n.Value))
		case n.Value != "":
			hol.Name[n.Lang] = n.Value
		}
		if n.Error != "" {
			errs = append(errs, errorLink{Href: "#" + n.ID, Message: n.Error})
		}
	}
	if len(errs) == 0 {
		err := h.holidays.Add(ctx, hol, viewerID(c))
		if err == nil {
			h.Log.InfoContext(ctx, "holiday added", "date", hol.Date, "scope", hol.Scope, "admin", viewerID(c))
			return c.Redirect(yearURL(calendar.YearOf(hol.Date))+"&done=added", fiber.StatusSeeOther)
		}
		if !errors.Is(err, calendar.ErrConflict) {
			return err
		}
		f.DateError, err = h.takenMessage(c, hol.Date)
		if err != nil {
			return err
		}
		errs = append(errs, errorLink{Href: "#day", Message: f.DateError})
	}
	year := calendar.YearOf(hol.Date)
	if year == 0 {
		year = h.yearOf(f.Year)
	}
	page, err := h.indexPage(c, year)
	if err != nil {
		return err
	}
	page.Form, page.Errors = f, errs
	page.Title = web.T(c, "apply.error_title_prefix") + " " + page.Title
	c.Status(fiber.StatusUnprocessableEntity)
	return web.Render(c, "holidays/index", page)
}

// parseDate reads a date typed as day, month and year, and returns it
// YYYY-MM-DD, or the key of what is wrong with it. The year is filled in
// by the page, so a date without day and month is a date not given.
func parseDate(day, month, year string) (string, string) {
	if day == "" && month == "" {
		return "", "holidays.error.date_missing"
	}
	d, derr := strconv.Atoi(day)
	m, merr := strconv.Atoi(month)
	y, yerr := strconv.Atoi(year)
	if derr != nil || merr != nil || yerr != nil {
		return "", "holidays.error.date_invalid"
	}
	if y < firstYear || y > lastYear {
		return "", "holidays.error.date_year"
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d || int(t.Month()) != m {
		return "", "holidays.error.date_invalid" // 31 April, month 13
	}
	return t.Format(time.DateOnly), ""
}

// takenMessage says that date is a holiday already, and which.
func (h *Handler) takenMessage(c *fiber.Ctx, date string) (string, error) {
	list, err := h.holidays.Year(c.UserContext(), calendar.YearOf(date))
	if err != nil {
		return "", err
	}
	lang := web.LangOf(c)
	for _, hol := range list {
		if hol.Date == date {
			name, _ := hol.NameIn(lang, h.Site.Authority().DefaultLanguage)
			return web.T(c, "holidays.error.date_taken", "Date", h.ISODate(lang, date), "Name", name), nil
		}
	}
	// Removed again since: someone else is changing the list.
	return web.T(c, "holidays.error.changed"), nil
}

// viewerID is the signed-in administrator's person id.
func viewerID(c *fiber.Ctx) int64 {
	if v := web.ViewerOf(c); v != nil {
		return v.PersonID
	}
	return 0
}
