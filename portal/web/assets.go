package web

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"path"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// AssetsPrefix is the URL path assets are served under.
const AssetsPrefix = "/assets/"

// Assets are the embedded static files, each served under a name that
// carries a hash of its content (app.3f9c2a1b.css), so a browser may keep it
// for a year and still sees a new version at once.
type Assets struct {
	urls  map[string]string // "app.css" -> "/assets/app.3f9c2a1b.css"
	files map[string]asset  // "app.3f9c2a1b.css" -> content
}

type asset struct {
	body        []byte
	contentType string
}

// NewAssets fingerprints every file of fsys (nested files keep their
// directory: "img/logo.svg" -> "/assets/img/logo.<hash>.svg").
func NewAssets(fsys fs.FS) (*Assets, error) {
	a := &Assets{urls: map[string]string{}, files: map[string]asset{}}
	err := fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		ext := path.Ext(name)
		if ext == ".go" {
			return nil
		}
		body, err := fs.ReadFile(fsys, name)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(body)
		hashed := strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:5]) + ext
		ct := mime.TypeByExtension(ext)
		if ct == "" {
			ct = "application/octet-stream"
		}
		a.urls[name] = AssetsPrefix + hashed
		a.files[hashed] = asset{body: body, contentType: ct}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("web: reading assets: %w", err)
	}
	return a, nil
}

// URL returns the fingerprinted URL of the asset name ("app.css"). An unknown
// name is a programming error caught by the template tests, so it returns a
// URL that answers 404 rather than failing the page.
func (a *Assets) URL(name string) string {
	if u, ok := a.urls[name]; ok {
		return u
	}
	return AssetsPrefix + "missing/" + name
}

// Handler serves the assets under AssetsPrefix.
func (a *Assets) Handler() fiber.Handler {
	return func(c *fiber.Ctx) error {
		name := strings.TrimPrefix(c.Path(), AssetsPrefix)
		f, ok := a.files[name]
		if !ok {
			return NewError(fiber.StatusNotFound, "", nil)
		}
		c.Set(fiber.HeaderContentType, f.contentType)
		c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
		return c.Send(f.body)
	}
}
