// Package templates holds the HTML templates of the portal, embedded so that
// the binary is self-contained. Page templates live at the top level (or in
// auth/, account/); layouts/main.html wraps every page with {{embed}}.
package templates

import "embed"

// FS is the template tree; the engine names each file by its path without
// ".html" ("service_show", "layouts/main", "auth/login").
//
//go:embed *.html */*.html
var FS embed.FS
