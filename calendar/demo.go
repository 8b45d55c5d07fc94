package calendar

import (
	_ "embed"
	"encoding/json"
	"fmt"
)

// demoJSON is the demo council's holidays for 2026 and 2027: Spain's
// national ones, Catalonia's regional ones and Porta Nova's two local
// days a year, as published in the official calendars (those that fall on
// a Sunday included, as the calendars list them).
//
//go:embed porta-nova.json
var demoJSON []byte

// Demo returns the demo council's holidays, which the server lists on its
// first start with the demo catalogue.
func Demo() ([]Holiday, error) {
	var f struct {
		Holidays []Holiday `json:"holidays"`
	}
	if err := json.Unmarshal(demoJSON, &f); err != nil {
		return nil, fmt.Errorf("calendar: the demo holidays: %w", err)
	}
	for _, h := range f.Holidays {
		if err := h.Validate(); err != nil {
			return nil, fmt.Errorf("calendar: the demo holidays: %w", err)
		}
	}
	return f.Holidays, nil
}
