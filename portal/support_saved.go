package portal

import (
	"errors"

	"sportello/accounts"
	"sportello/catalogue"
	"sportello/catalogue/sqlstore"
)

// savedAnswers returns where residents' saved support-finder answers are
// kept, or nil when the catalogue is not kept in SQL (then saving is not
// offered at all).
func (s *Server) savedAnswers() accounts.Answers {
	db, ok := s.store.(*sqlstore.DB)
	if !ok {
		return nil
	}
	return accounts.New(db, nil)
}

func isNotFound(err error) bool { return errors.Is(err, catalogue.ErrNotFound) }
