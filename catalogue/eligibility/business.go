package eligibility

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"sportello/catalogue"
)

// optionalServices says which permits a business may not need, and the
// yes/no question that decides each one. Several permits can hang on one
// question (holiday lets and tourist tax both on tourist accommodation). A
// service that is not listed is always needed: the start trading
// declaration, the change of use check, commercial waste, and any service a
// catalogue adds that this table does not know.
var optionalServices = map[string]string{
	"food-business-registration":      "sells_food",
	"alcohol-premises-licence":        "sells_alcohol",
	"outdoor-seating-permit":          "outdoor_seating",
	"advertising-sign-permit":         "sign",
	"late-night-opening-licence":      "late_night",
	"market-stall-application":        "market_stall",
	"street-trading-licence":          "street_trading",
	"taxi-driver-licence":             "taxi",
	"register-holiday-let":            "tourist_accommodation",
	"tourist-tax-registration":        "tourist_accommodation",
	"business-parking-permit":         "business_parking",
	"register-as-council-supplier":    "council_supplier",
	"planning-pre-application-advice": "building_works",
	"planning-permission":             "building_works",
	"minor-building-works-licence":    "building_works",
	"temporary-event-licence":         "event_music_food_drink",
	"road-closure-for-event":          "road_closure",
	"parking-bay-suspension":          "parking_bays",
	"community-hall-booking":          "hall",
	"filming-permit":                  "filming",
}

// businessQuestions are the questions' texts, in every language Sportello
// has.
var businessQuestions = map[string]catalogue.Text{
	"sells_food": {
		"en": "Will you sell food?", "es": "¿Venderá comida?", "ca": "Vendreu menjar?",
		"it": "Venderà alimenti?", "fr": "Vendrez-vous de la nourriture ?",
	},
	"sells_alcohol": {
		"en": "Will you sell alcohol?", "es": "¿Venderá alcohol?", "ca": "Vendreu alcohol?",
		"it": "Venderà alcolici?", "fr": "Vendrez-vous de l'alcool ?",
	},
	"outdoor_seating": {
		"en": "Will you put tables outside?", "es": "¿Pondrá mesas en la calle?", "ca": "Posareu taules al carrer?",
		"it": "Metterà tavoli all'aperto?", "fr": "Installerez-vous des tables en terrasse ?",
	},
	"sign": {
		"en": "Will you put up a sign?", "es": "¿Pondrá un rótulo?", "ca": "Posareu un rètol?",
		"it": "Installerà un'insegna?", "fr": "Installerez-vous une enseigne ?",
	},
	"late_night": {
		"en": "Will you open after midnight?", "es": "¿Abrirá después de medianoche?", "ca": "Obrireu després de mitjanit?",
		"it": "Resterà aperto dopo mezzanotte?", "fr": "Ouvrirez-vous après minuit ?",
	},
	"market_stall": {
		"en": "Will you sell from a stall at a municipal market?", "es": "¿Venderá en un puesto de un mercado municipal?",
		"ca": "Vendreu en una parada d'un mercat municipal?", "it": "Venderà da un banco in un mercato comunale?",
		"fr": "Vendrez-vous sur un stand d'un marché municipal ?",
	},
	"street_trading": {
		"en": "Will you sell in the street?", "es": "¿Venderá en la calle?", "ca": "Vendreu al carrer?",
		"it": "Venderà per strada?", "fr": "Vendrez-vous dans la rue ?",
	},
	"taxi": {
		"en": "Will you drive a taxi?", "es": "¿Conducirá un taxi?", "ca": "Conduireu un taxi?",
		"it": "Guiderà un taxi?", "fr": "Conduirez-vous un taxi ?",
	},
	"tourist_accommodation": {
		"en": "Will you rent rooms or homes to tourists?", "es": "¿Alquilará habitaciones o viviendas a turistas?",
		"ca": "Llogareu habitacions o habitatges a turistes?", "it": "Affitterà camere o alloggi a turisti?",
		"fr": "Louerez-vous des chambres ou des logements à des touristes ?",
	},
	"business_parking": {
		"en": "Will you need to park a work vehicle near your premises?", "es": "¿Necesitará aparcar un vehículo de trabajo cerca de su local?",
		"ca": "Necessitareu aparcar un vehicle de feina a prop del vostre local?", "it": "Dovrà parcheggiare un veicolo da lavoro vicino alla Sua sede?",
		"fr": "Devrez-vous garer un véhicule professionnel près de vos locaux ?",
	},
	"council_supplier": {
		"en": "Do you want to sell to the council?", "es": "¿Quiere vender al Ayuntamiento?", "ca": "Voleu vendre a l'Ajuntament?",
		"it": "Vuole vendere al Comune?", "fr": "Voulez-vous vendre à la mairie ?",
	},
	"building_works": {
		"en": "Will you carry out building work on the premises?", "es": "¿Hará obras en el local?", "ca": "Fareu obres al local?",
		"it": "Farà lavori edilizi nei locali?", "fr": "Ferez-vous des travaux dans les locaux ?",
	},
	"event_music_food_drink": {
		"en": "Will there be music, food or drink at your event?", "es": "¿Habrá música, comida o bebida en su evento?",
		"ca": "Hi haurà música, menjar o beguda al vostre esdeveniment?", "it": "Ci saranno musica, cibo o bevande al Suo evento?",
		"fr": "Y aura-t-il de la musique, de la nourriture ou des boissons à votre événement ?",
	},
	"road_closure": {
		"en": "Will you need to close a road?", "es": "¿Necesitará cortar una calle?", "ca": "Necessitareu tallar un carrer?",
		"it": "Dovrà chiudere una strada?", "fr": "Devrez-vous fermer une rue ?",
	},
	"parking_bays": {
		"en": "Will you need parking bays kept free?", "es": "¿Necesitará reservar plazas de aparcamiento?",
		"ca": "Necessitareu reservar places d'aparcament?", "it": "Dovrà riservare posti auto?",
		"fr": "Devrez-vous réserver des places de stationnement ?",
	},
	"hall": {
		"en": "Do you need a hall for your event?", "es": "¿Necesita una sala para su evento?", "ca": "Necessiteu una sala per al vostre esdeveniment?",
		"it": "Le serve una sala per il Suo evento?", "fr": "Avez-vous besoin d'une salle pour votre événement ?",
	},
	"filming": {
		"en": "Will you film in public places?", "es": "¿Rodará en espacios públicos?", "ca": "Rodareu en espais públics?",
		"it": "Girerà riprese in luoghi pubblici?", "fr": "Tournerez-vous dans des lieux publics ?",
	},
}

// BusinessQuestion is one yes/no question of the business permit finder.
type BusinessQuestion struct {
	Key      string
	Text     catalogue.Text
	Services []string // the slugs the answer decides, in plan order
}

// Plan is what a business needs from the council, step by step.
type Plan struct {
	Steps           []PlanStep
	TotalFeeCents   int64 // each service's fee once, even when it recurs (per year)
	Currency        string
	LongestWaitDays int // the longest set processing time of any service; services without one do not count
}

// PlanStep is one numbered step of a plan. Numbers run 1, 2, 3… over the
// steps that are left once the business's answers have removed some.
type PlanStep struct {
	Number   int
	Title    catalogue.Text
	Services []*catalogue.Service
}

// BusinessFinder plans a business's permits from a journey or a life event.
// It keeps pointers into the catalogue it was built from.
type BusinessFinder struct {
	services   map[string]*catalogue.Service
	catalogue  *catalogue.Catalogue
	currency   string
	lifeEvents map[string]*catalogue.LifeEvent
}

// NewBusinessFinder prepares the finder for c.
func NewBusinessFinder(c *catalogue.Catalogue) *BusinessFinder {
	f := &BusinessFinder{
		services:   make(map[string]*catalogue.Service, len(c.Services)),
		catalogue:  c,
		currency:   c.Authority.Currency,
		lifeEvents: make(map[string]*catalogue.LifeEvent, len(c.LifeEvents)),
	}
	for i := range c.Services {
		f.services[c.Services[i].Slug] = &c.Services[i]
	}
	for i := range c.LifeEvents {
		f.lifeEvents[c.LifeEvents[i].Slug] = &c.LifeEvents[i]
	}
	return f
}

// draft is a plan before the answers are applied: steps of service slugs.
type draft struct {
	steps []draftStep
}

type draftStep struct {
	title    catalogue.Text
	services []string
}

func journeyDraft(j *catalogue.Journey) draft {
	d := draft{steps: make([]draftStep, len(j.Steps))}
	for i, s := range j.Steps {
		d.steps[i] = draftStep{title: s.Title, services: s.Services}
	}
	return d
}

// lifeEventDraft has one step per service of the life event for its
// audience, in catalogue order, titled with the service's title.
func (f *BusinessFinder) lifeEventDraft(slug string) (draft, error) {
	ev, ok := f.lifeEvents[slug]
	if !ok {
		return draft{}, fmt.Errorf("%w: no life event %q in the catalogue", catalogue.ErrNotFound, slug)
	}
	var d draft
	for i := range f.catalogue.Services {
		s := &f.catalogue.Services[i]
		if slices.Contains(s.LifeEvents, slug) && s.For(ev.Audience) {
			d.steps = append(d.steps, draftStep{title: s.Title, services: []string{s.Slug}})
		}
	}
	return d, nil
}

func (d draft) questions() []BusinessQuestion {
	var out []BusinessQuestion
	index := map[string]int{}
	for _, st := range d.steps {
		for _, slug := range st.services {
			key, optional := optionalServices[slug]
			if !optional {
				continue
			}
			i, seen := index[key]
			if !seen {
				i = len(out)
				index[key] = i
				out = append(out, BusinessQuestion{Key: key, Text: businessQuestions[key]})
			}
			if !slices.Contains(out[i].Services, slug) {
				out[i].Services = append(out[i].Services, slug)
			}
		}
	}
	return out
}

// Questions returns the yes/no questions that decide which of the journey's
// steps a business needs, in step order. Steps without an optional service
// ask nothing.
func (f *BusinessFinder) Questions(j *catalogue.Journey) []BusinessQuestion {
	return journeyDraft(j).questions()
}

// Plan returns the journey's steps a business needs given its answers to
// Questions. An unanswered question keeps its services in the plan: a
// permit the business may need is shown until it says it does not. A step
// left without services is dropped and the rest renumbered.
func (f *BusinessFinder) Plan(j *catalogue.Journey, answers map[string]bool) (Plan, error) {
	return f.plan(journeyDraft(j), answers)
}

// LifeEventQuestions is Questions for a life event's services.
func (f *BusinessFinder) LifeEventQuestions(slug string) ([]BusinessQuestion, error) {
	d, err := f.lifeEventDraft(slug)
	if err != nil {
		return nil, err
	}
	return d.questions(), nil
}

// LifeEventPlan is Plan for a life event: one step per service for the
// event's audience, in catalogue order.
func (f *BusinessFinder) LifeEventPlan(slug string, answers map[string]bool) (Plan, error) {
	d, err := f.lifeEventDraft(slug)
	if err != nil {
		return Plan{}, err
	}
	return f.plan(d, answers)
}

func (f *BusinessFinder) plan(d draft, answers map[string]bool) (Plan, error) {
	asked := d.questions()
	var unknown []string
	for key := range answers {
		if !slices.ContainsFunc(asked, func(q BusinessQuestion) bool { return q.Key == key }) {
			unknown = append(unknown, key)
		}
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		keys := make([]string, len(asked))
		for i, q := range asked {
			keys[i] = q.Key
		}
		return Plan{}, fmt.Errorf("%w: %s not asked for this plan; its questions are: %s",
			catalogue.ErrInvalid, quoteList(unknown), strings.Join(keys, ", "))
	}

	p := Plan{Currency: f.currency}
	feeCurrency := ""
	counted := map[string]bool{}
	for _, st := range d.steps {
		var services []*catalogue.Service
		for _, slug := range st.services {
			s, ok := f.services[slug]
			if !ok {
				return Plan{}, fmt.Errorf("%w: the plan names service %q, which is not in the catalogue", catalogue.ErrInvalid, slug)
			}
			if key, optional := optionalServices[slug]; optional {
				if needed, answered := answers[key]; answered && !needed {
					continue
				}
			}
			services = append(services, s)
			if counted[slug] {
				continue
			}
			counted[slug] = true
			if s.ProcessingTimeDays != nil {
				p.LongestWaitDays = max(p.LongestWaitDays, *s.ProcessingTimeDays)
			}
			if s.Fee != nil && s.Fee.Amount != 0 {
				if feeCurrency != "" && s.Fee.Currency != feeCurrency {
					return Plan{}, fmt.Errorf("%w: service %q charges in %s but the plan's other fees are in %s; fees in two currencies cannot be added",
						catalogue.ErrInvalid, slug, s.Fee.Currency, feeCurrency)
				}
				feeCurrency = s.Fee.Currency
				p.TotalFeeCents += s.Fee.Amount
			}
		}
		if len(services) > 0 {
			p.Steps = append(p.Steps, PlanStep{Number: len(p.Steps) + 1, Title: st.title, Services: services})
		}
	}
	if feeCurrency != "" {
		p.Currency = feeCurrency
	}
	return p, nil
}

func quoteList(keys []string) string {
	q := make([]string, len(keys))
	for i, k := range keys {
		q[i] = fmt.Sprintf("%q", k)
	}
	if len(q) == 1 {
		return q[0] + " is"
	}
	return strings.Join(q, ", ") + " are"
}
