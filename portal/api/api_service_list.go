package api

import (
	"slices"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"sportello/catalogue"
	"sportello/portal/public"
	"sportello/portal/web"
)

// apiService is one service in an API list, in one language.
type apiService struct {
	Slug               string   `json:"slug"`
	URL                string   `json:"url"`
	Lang               string   `json:"lang"` // language of title and summary
	Title              string   `json:"title"`
	Summary            string   `json:"summary"`
	Topic              string   `json:"topic"`
	Department         string   `json:"department"`
	Audience           []string `json:"audience"`
	LifeEvents         []string `json:"life_events"`
	Online             bool     `json:"online"`
	Kind               string   `json:"kind"` // of online transaction: apply, report, pay, book or request
	Free               bool     `json:"free"`
	Fee                *apiFee  `json:"fee"`
	ProcessingTimeDays *int     `json:"processing_time_days"` // null: no set time
	Languages          []string `json:"languages"`
}

type apiFee struct {
	Amount    int64  `json:"amount"` // minor units (cents)
	Currency  string `json:"currency"`
	Unit      string `json:"unit,omitempty"`
	When      string `json:"when"`
	Formatted string `json:"formatted"`
}

type ServiceListBody struct {
	Total    int          `json:"total"`
	Page     int          `json:"page"`
	PerPage  int          `json:"per_page"`
	Services []apiService `json:"services"`
}

const (
	DefaultPerPage = 20
	apiMaxPerPage  = 100
)

func perPage(c *fiber.Ctx) int {
	n, err := strconv.Atoi(c.Query("per_page"))
	if err != nil || n < 1 {
		return DefaultPerPage
	}
	return min(n, apiMaxPerPage)
}

// readFilters reads the search parameters the page reads, but refuses a
// topic or audience it does not know instead of dropping it: an API client
// would otherwise get unfiltered results with nothing to say why.
func readFilters(c *fiber.Ctx, d *web.Directory) (public.SearchForm, error) {
	f := public.ReadSearchForm(c, d)
	if t := c.Query("topic"); t != "" && f.Topic == "" {
		return f, web.NewError(fiber.StatusBadRequest, "api.unknown_topic", nil)
	}
	if a := c.Query("audience"); a != "" && f.Audience == "" {
		return f, web.NewError(fiber.StatusBadRequest, "api.unknown_audience", nil)
	}
	return f, nil
}

func (s *Handler) apiServiceList(c *fiber.Ctx) error {
	d := s.Directory()
	lang := web.LangOf(c)
	f, err := readFilters(c, d)
	if err != nil {
		return err
	}
	per := perPage(c)
	body := ServiceListBody{Page: f.Page, PerPage: per, Services: []apiService{}}
	from := (f.Page - 1) * per
	var page []*catalogue.ServiceSummary
	for i := range d.Services {
		sum := &d.Services[i]
		if (f.Topic != "" && sum.Topic != f.Topic) ||
			(f.Audience != "" && !slices.Contains(sum.Audience, f.Audience)) ||
			(f.Online && !sum.Online) || (f.Free && !sum.Fee.Free()) {
			continue
		}
		if body.Total >= from && len(page) < per {
			page = append(page, sum)
		}
		body.Total++
	}
	texts, err := d.SummaryTexts(c.UserContext(), page)
	if err != nil {
		return err
	}
	for _, sum := range page {
		body.Services = append(body.Services, s.apiService(d, sum, texts[sum.Slug], lang))
	}
	return c.JSON(body)
}

func (s *Handler) apiService(d *web.Directory, sum *catalogue.ServiceSummary, text catalogue.PackedText, lang string) apiService {
	title, fb := d.Text(sum.Title, lang)
	summary, _ := text.In(lang, d.DefaultLang)
	a := apiService{
		Slug: sum.Slug, URL: s.BaseURL + web.ServiceURL(sum.Slug), Lang: lang,
		Title: title, Summary: summary, Topic: sum.Topic, Department: sum.Department,
		Audience: web.NonNil(sum.Audience), LifeEvents: web.NonNil(sum.LifeEvents),
		Online: sum.Online, Kind: catalogue.TransactionOf(sum.Kind), Free: sum.Fee.Free(),
		ProcessingTimeDays: sum.ProcessingTimeDays, Languages: web.Translated(sum.Title),
	}
	if fb != "" {
		a.Lang = fb
	}
	if !a.Free {
		unit, _ := sum.Fee.Unit.In(lang, d.DefaultLang)
		a.Fee = &apiFee{
			Amount: sum.Fee.Amount, Currency: sum.Fee.Currency, Unit: unit, When: sum.Fee.When,
			Formatted: d.Cost(sum.Fee, lang),
		}
	}
	return a
}
