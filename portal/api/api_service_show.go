package api

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"sportello/catalogue"
)

// apiServiceBody is a service in the catalogue interchange format with the
// alerts showing now on its pages.
type apiServiceBody struct {
	*catalogue.Service
	Alerts []apiAlert `json:"alerts"`
}

// apiServiceShow returns one service in the catalogue interchange format
// (sportello-catalogue/1): every language, so a client can pick its own;
// and the service alerts showing now on its pages, in the language asked.
func (s *Handler) apiServiceShow(c *fiber.Ctx) error {
	svc, err := s.store.Service(c.UserContext(), c.Params("slug"))
	if err != nil {
		return err
	}
	alerts := s.Site.Alerts.Active(time.Now(), svc.Topic, svc.Slug)
	return c.JSON(apiServiceBody{Service: svc, Alerts: s.apiAlerts(c, alerts)})
}
