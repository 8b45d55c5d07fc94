package web

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"sportello/reports"
)

// Map is how the site draws maps (the pin of a report, the staff's map of
// reports): raster tiles from a tile server, where a map opens, and the
// council's area, which reports must be in. A map is an enhancement: every
// page with one works without it (docs/adr/0025-reports-at-a-place.md).
type Map struct {
	// Tiles is the tile server's URL template, with {z}, {x} and {y}
	// (and {s} for its subdomains a, b, c).
	Tiles string
	// Attribution is shown on the map, as the tiles' licence asks.
	Attribution string
	// Center and Zoom are where a map opens.
	Center reports.Point
	Zoom   int
	// Area is the council's: a report's place must be in it.
	Area reports.BBox
}

// DefaultTiles are OpenStreetMap's standard tiles. Their usage policy asks
// for a valid referrer and the attribution, and forbids heavy use: a
// council with many reports runs or buys a tile server of its own.
const DefaultTiles = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"

// DefaultAttribution is OpenStreetMap's.
const DefaultAttribution = "© OpenStreetMap contributors"

// ParseMapCenter reads "lat,lng" or "lat,lng,zoom".
func ParseMapCenter(s string) (reports.Point, int, error) {
	parts := strings.Split(s, ",")
	if len(parts) != 2 && len(parts) != 3 {
		return reports.Point{}, 0, fmt.Errorf("%q is not latitude,longitude[,zoom], like 41.2190,1.7260,15", s)
	}
	p, err := reports.ParseLatLng(parts[0], parts[1])
	if err != nil {
		return reports.Point{}, 0, fmt.Errorf("%q is not latitude,longitude[,zoom], like 41.2190,1.7260,15", s)
	}
	zoom := 15
	if len(parts) == 3 {
		if zoom, err = strconv.Atoi(strings.TrimSpace(parts[2])); err != nil || zoom < 1 || zoom > 19 {
			return reports.Point{}, 0, fmt.Errorf("%q: the zoom must be a whole number from 1 to 19", s)
		}
	}
	return p, zoom, nil
}

// InArea reports whether a place is in the council's area: the form
// validator's forms.Options.InArea.
func (m Map) InArea(lat, lng float64) bool { return m.Area.Contains(reports.Point{Lat: lat, Lng: lng}) }

// TileOrigins are the origins the map's tiles come from, for the
// Content-Security-Policy's img-src: one per subdomain when the template
// has {s}. None when Tiles is not an http(s) URL.
func (m Map) TileOrigins() []string {
	u, err := url.Parse(strings.ReplaceAll(m.Tiles, "{s}", "a"))
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil
	}
	if !strings.Contains(m.Tiles, "{s}") {
		return []string{u.Scheme + "://" + u.Host}
	}
	var out []string
	for _, s := range []string{"a", "b", "c"} {
		h, _ := url.Parse(strings.ReplaceAll(m.Tiles, "{s}", s))
		out = append(out, h.Scheme+"://"+h.Host)
	}
	return out
}

// MapView is what a page's map element carries in its data attributes for
// assets/map.js: no inline script.
type MapView struct {
	ID                 string // the map element's
	Hint               string // how to use it, mouse and keyboard, shown once it works
	LatInput, LngInput string // ids of the inputs a pin fills in; "" for a map without one
	Tiles, Attribution string
	Lat, Lng, Zoom     string
	Area               string // south,west,north,east
	Icon, Icon2x       string // the pin's image, fingerprinted
	Shadow             string
	Label              string // the map's accessible name
	// Placed announces where the pin went, with {lat} and {lng} in it;
	// PinHere labels the button that puts the pin in the map's centre.
	Placed, PinHere string
	// ZoomIn and ZoomOut name the map's zoom buttons.
	ZoomIn, ZoomOut string
}

// MapViewOf is m for the request's page: the element id, its accessible
// name and the hint on using it.
func MapViewOf(c *fiber.Ctx, m Map, id, label, hint string) *MapView {
	site := SiteOf(c)
	asset := func(name string) string {
		if site == nil || site.Assets == nil {
			return ""
		}
		return site.Assets.URL(name)
	}
	f := func(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
	return &MapView{
		ID: id, Hint: hint,
		Tiles: m.Tiles, Attribution: m.Attribution,
		Lat: f(m.Center.Lat), Lng: f(m.Center.Lng), Zoom: strconv.Itoa(m.Zoom), Area: m.Area.String(),
		Icon: asset("leaflet/images/marker-icon.png"), Icon2x: asset("leaflet/images/marker-icon-2x.png"),
		Shadow:  asset("leaflet/images/marker-shadow.png"),
		Label:   label,
		Placed:  T(c, "reports.map.placed", "Lat", "{lat}", "Lng", "{lng}"),
		PinHere: T(c, "reports.map.pin_here"),
		ZoomIn:  T(c, "reports.map.zoom_in"), ZoomOut: T(c, "reports.map.zoom_out"),
	}
}
