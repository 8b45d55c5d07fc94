package portal

import (
	"errors"

	"sportello/catalogue"
	"sportello/support"
)

// savedAnswers returns the store of the support finder answers residents
// chose to save, or nil when saving is not offered (Deps.SavedAnswers).
func (s *Server) savedAnswers() support.Store { return s.saved }

func isNotFound(err error) bool { return errors.Is(err, catalogue.ErrNotFound) }
