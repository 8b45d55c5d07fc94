// Package assets holds the portal's static files (CSS, JavaScript, images),
// embedded and served under fingerprinted names by portal/web.
//
// leaflet/ is Leaflet (BSD-2-Clause, https://leafletjs.com), the map of
// reports at a place, copied from node_modules by go generate: npm pins the
// version (package.json, package-lock.json), the copies committed here are
// what the binary serves. To update it, change the version in package.json,
// run npm ci in the main checkout, then go generate ./assets.
package assets

import "embed"

//go:generate sh -c "rm -rf leaflet && mkdir -p leaflet/images && cp ../node_modules/leaflet/dist/leaflet.js ../node_modules/leaflet/dist/leaflet.css leaflet/ && cp ../node_modules/leaflet/LICENSE leaflet/LICENSE.txt && cp ../node_modules/leaflet/dist/images/marker-icon.png ../node_modules/leaflet/dist/images/marker-icon-2x.png ../node_modules/leaflet/dist/images/marker-shadow.png leaflet/images/"

// FS holds every asset. The Go file itself is skipped by the asset handler.
//
//go:embed *.css *.js leaflet
var FS embed.FS
