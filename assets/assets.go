// Package assets holds the portal's static files (CSS, JavaScript, images),
// embedded and served under fingerprinted names by portal/web.
package assets

import "embed"

// FS holds every asset. The Go file itself is skipped by the asset handler.
//
//go:embed *.css *.js
var FS embed.FS
