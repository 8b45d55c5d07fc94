package open311

import (
	"encoding/xml"

	"github.com/gofiber/fiber/v2"
)

// discovery is the service discovery document
// (http://wiki.open311.org/Service_discovery).
type discovery struct {
	XMLName    xml.Name   `json:"-" xml:"discovery"`
	Changeset  string     `json:"changeset" xml:"changeset"`
	Contact    string     `json:"contact" xml:"contact"`
	KeyService string     `json:"key_service" xml:"key_service"`
	Endpoints  []endpoint `json:"endpoints" xml:"endpoints>endpoint"`
}

type endpoint struct {
	Specification string   `json:"specification" xml:"specification"`
	URL           string   `json:"url" xml:"url"`
	Changeset     string   `json:"changeset" xml:"changeset"`
	Type          string   `json:"type" xml:"type"`
	Formats       []string `json:"formats" xml:"formats>format"`
}

// discoveryShow says where the API is and what it speaks: GET
// /open311/discovery.{json,xml} (also under /open311/v2).
func (h *Handler) discoveryShow(c *fiber.Ctx, format string) error {
	contact := h.opts.Contact
	if contact == "" {
		if e := h.Directory().Authority.Email; e != "" {
			contact = "Write to " + e + " about this API."
		}
	}
	changed := h.w3c(h.changed)
	d := discovery{
		Changeset:  changed,
		Contact:    contact,
		KeyService: "Reading needs no key. To send service requests, ask the council for an API key; its administrators issue them at " + h.BaseURL + KeysPath + ".",
		Endpoints: []endpoint{{
			Specification: Specification, URL: h.BaseURL + V2, Changeset: changed, Type: "production",
			Formats: []string{"text/xml", "application/json"},
		}},
	}
	return h.send(c, format, d, d)
}
