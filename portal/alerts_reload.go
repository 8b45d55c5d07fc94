package portal

import "context"

// ReloadAlerts reads the service alerts again, when another instance
// changed them; nothing without the editor's data.
func (s *Server) ReloadAlerts(ctx context.Context) error {
	if s.Site.Alerts == nil {
		return nil
	}
	return s.Site.Alerts.Reload(ctx)
}
