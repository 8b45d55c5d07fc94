package portal

import "context"

// ReloadTuning gives the search index the synonyms and best bets of the
// database again, when another instance changed them; nothing without the
// editor.
func (s *Server) ReloadTuning(ctx context.Context) error {
	if s.editor == nil {
		return nil
	}
	return s.editor.ReloadTuning(ctx)
}
