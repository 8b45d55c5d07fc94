package reports

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Point is a place in WGS 84 degrees, as maps and GPS give it.
type Point struct {
	Lat, Lng float64
}

// Valid reports whether p is a place on Earth.
func (p Point) Valid() bool {
	return !math.IsNaN(p.Lat) && !math.IsNaN(p.Lng) && p.Lat >= -90 && p.Lat <= 90 && p.Lng >= -180 && p.Lng <= 180
}

// String writes p as "lat,lng" with six decimals (about 10 cm).
func (p Point) String() string {
	return strconv.FormatFloat(p.Lat, 'f', 6, 64) + "," + strconv.FormatFloat(p.Lng, 'f', 6, 64)
}

// BBox is a rectangle of latitudes and longitudes (not crossing the
// antimeridian: a council never does).
type BBox struct {
	South, West, North, East float64
}

// Contains reports whether p is inside b, edges included.
func (b BBox) Contains(p Point) bool {
	return p.Lat >= b.South && p.Lat <= b.North && p.Lng >= b.West && p.Lng <= b.East
}

// Center is the middle of b.
func (b BBox) Center() Point { return Point{(b.South + b.North) / 2, (b.West + b.East) / 2} }

// Valid reports whether b is a rectangle on Earth.
func (b BBox) Valid() bool {
	return Point{b.South, b.West}.Valid() && Point{b.North, b.East}.Valid() && b.South < b.North && b.West < b.East
}

// String writes b as "south,west,north,east", as ParseBBox reads it.
func (b BBox) String() string {
	f := func(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
	return f(b.South) + "," + f(b.West) + "," + f(b.North) + "," + f(b.East)
}

// ParseBBox reads "south,west,north,east" in degrees.
func ParseBBox(s string) (BBox, error) {
	parts := strings.Split(s, ",")
	if len(parts) != 4 {
		return BBox{}, fmt.Errorf("%w: a bounding box is south,west,north,east in degrees, not %q", ErrInvalid, s)
	}
	var v [4]float64
	for i, p := range parts {
		f, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil {
			return BBox{}, fmt.Errorf("%w: a bounding box is south,west,north,east in degrees, not %q", ErrInvalid, s)
		}
		v[i] = f
	}
	b := BBox{South: v[0], West: v[1], North: v[2], East: v[3]}
	if !b.Valid() {
		return BBox{}, fmt.Errorf("%w: %q is not a rectangle south,west,north,east with south below north and west of east", ErrInvalid, s)
	}
	return b, nil
}

// ParsePoint reads "lat,lng" in degrees.
func ParsePoint(s string) (Point, error) {
	lat, lng, ok := strings.Cut(s, ",")
	if !ok {
		return Point{}, fmt.Errorf("%w: a place is latitude,longitude in degrees, not %q", ErrInvalid, s)
	}
	p, err := ParseLatLng(lat, lng)
	if err != nil {
		return Point{}, err
	}
	return p, nil
}

// ParseLatLng reads a latitude and a longitude in decimal degrees, with a
// point or a comma before the decimals (as Spanish, Catalan, Italian and
// French write them).
func ParseLatLng(lat, lng string) (Point, error) {
	var p Point
	for i, s := range []string{lat, lng} {
		f, err := strconv.ParseFloat(strings.Replace(strings.TrimSpace(s), ",", ".", 1), 64)
		if err != nil || math.IsInf(f, 0) {
			return Point{}, fmt.Errorf("%w: %q is not a number of degrees", ErrInvalid, s)
		}
		if i == 0 {
			p.Lat = f
		} else {
			p.Lng = f
		}
	}
	if !p.Valid() {
		return Point{}, fmt.Errorf("%w: latitude %v and longitude %v are not a place on Earth", ErrInvalid, p.Lat, p.Lng)
	}
	return p, nil
}

// earthRadius is the mean radius of the Earth in metres (IUGG).
const earthRadius = 6371008.8

// Distance is the great-circle distance between a and b in metres
// (haversine): within a town, off by less than 0.5% from the ellipsoid.
func Distance(a, b Point) float64 {
	rad := math.Pi / 180
	dLat := (b.Lat - a.Lat) * rad
	dLng := (b.Lng - a.Lng) * rad
	h := math.Sin(dLat/2)*math.Sin(dLat/2) + math.Cos(a.Lat*rad)*math.Cos(b.Lat*rad)*math.Sin(dLng/2)*math.Sin(dLng/2)
	return 2 * earthRadius * math.Asin(math.Min(1, math.Sqrt(h)))
}

// Around returns a box holding every place within metres of p, a little
// larger than needed: the database's prefilter, before Distance decides.
func Around(p Point, metres float64) BBox {
	dLat := metres / (earthRadius * math.Pi / 180) * 1.01
	cos := math.Cos(p.Lat * math.Pi / 180)
	dLng := 180.0
	if cos > 1e-6 {
		dLng = math.Min(180, dLat/cos)
	}
	return BBox{
		South: math.Max(-90, p.Lat-dLat), North: math.Min(90, p.Lat+dLat),
		West: math.Max(-180, p.Lng-dLng), East: math.Min(180, p.Lng+dLng),
	}
}
