package web

import (
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"maps"
	"path"
	"slices"
	"strings"
	"text/template/parse"
)

// Engine renders the embedded templates for Fiber (it is a fiber.Views).
//
// gofiber/template/html binds {{embed}} by changing the layout's functions
// under one global mutex for every render, so on a busy site only one page
// renders at a time. Engine instead rewrites {{embed}} in layouts to a
// {{template}} call and builds, once, one template set per page, so renders
// share nothing and run in parallel.
type Engine struct {
	base  *template.Template            // every file, for rendering without a layout
	pages map[string]*template.Template // page name -> set where the content is that page
}

// contentName is the template a layout's {{embed}} becomes a call to.
const contentName = "web.content"

// NewEngine parses every .html file of fsys (templates/ embedded), named by
// its path without ".html" ("service_show", "layouts/main", "auth/login"),
// with the functions templates share:
//
//	{{t .Lang "key"}}, {{t .Lang "key" "Name" value}}  translate
//	{{asset "app.css"}}                               fingerprinted asset URL
//	{{t .Lang (kind .Service.Kind "start")}}          a kind of transaction's message (KindKey)
//	{{num .Lang 1200}}                                a number as lang writes it ("1.200")
//	{{$l := layout .Lang}}{{$l.SignIn}}               the main layout's phrases (LayoutText)
func NewEngine(fsys fs.FS, site *Site) (*Engine, error) {
	funcs := template.FuncMap{
		"t":      site.Translator.T,
		"layout": site.Translator.Layout,
		"asset":  site.Assets.URL,
		"kind":   KindKey,
		"num":    func(lang string, n int) string { return Number(lang, int64(n)) },
	}
	files := map[string]string{}
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || path.Ext(p) != ".html" {
			return err
		}
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		name := strings.TrimSuffix(p, ".html")
		src := string(b)
		if strings.HasPrefix(name, "layouts/") {
			src = strings.ReplaceAll(src, "{{embed}}", `{{template "`+contentName+`" .}}`)
		}
		files[name] = src
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("web: reading templates: %w", err)
	}
	parseSet := func(names []string) (*template.Template, error) {
		root := template.New("").Funcs(funcs)
		// Until a page is chosen, the content is empty.
		if _, err := root.New(contentName).Parse(""); err != nil {
			return nil, err
		}
		for _, name := range names {
			if _, err := root.New(name).Parse(files[name]); err != nil {
				return nil, fmt.Errorf("web: template %s: %w", name, err)
			}
		}
		return root, nil
	}
	needs, err := fileNeeds(files)
	if err != nil {
		return nil, err
	}
	e := &Engine{pages: map[string]*template.Template{}}
	if e.base, err = parseSet(slices.Sorted(maps.Keys(files))); err != nil {
		return nil, err
	}
	var layouts []string
	for name := range files {
		if strings.HasPrefix(name, "layouts/") {
			layouts = append(layouts, name)
		}
	}
	for name := range files {
		if strings.HasPrefix(name, "layouts/") {
			continue
		}
		set, err := parseSet(needs.closure(append([]string{name}, layouts...)))
		if err != nil {
			return nil, err
		}
		if _, err := set.New(contentName).Parse(`{{template "` + name + `" .}}`); err != nil {
			return nil, fmt.Errorf("web: template %s: %w", name, err)
		}
		e.pages[name] = set
	}
	return e, nil
}

// Load is part of fiber.Views; templates are parsed by NewEngine.
func (e *Engine) Load() error { return nil }

// Render writes the template name with data, inside layout when given.
func (e *Engine) Render(out io.Writer, name string, data any, layout ...string) error {
	if len(layout) == 0 || layout[0] == "" {
		t := e.base.Lookup(name)
		if t == nil {
			return fmt.Errorf("web: no template %q", name)
		}
		return t.Execute(out, data)
	}
	set, ok := e.pages[name]
	if !ok {
		return fmt.Errorf("web: no template %q", name)
	}
	lay := set.Lookup(layout[0])
	if lay == nil {
		return fmt.Errorf("web: no layout %q", layout[0])
	}
	// Fiber renders into a buffer it only sends on success, so a failing
	// template leaves no half page.
	return lay.Execute(out, data)
}

// needs maps each template file to the files defining the templates it
// calls with {{template}}.
type needs map[string][]string

// fileNeeds reads which files each file's {{template}} calls need. The
// functions are not checked here: parsing the sets checks them.
func fileNeeds(files map[string]string) (needs, error) {
	definedIn := map[string]string{} // template name -> file
	calls := map[string][]string{}   // file -> template names it calls
	for name, src := range files {
		t := parse.New(name)
		t.Mode = parse.SkipFuncCheck
		trees := map[string]*parse.Tree{}
		if _, err := t.Parse(src, "", "", trees); err != nil {
			return nil, fmt.Errorf("web: template %s: %w", name, err)
		}
		definedIn[name] = name
		for def, tree := range trees {
			definedIn[def] = name
			calls[name] = templateCalls(tree.Root, calls[name])
		}
	}
	n := needs{}
	for file, names := range calls {
		for _, called := range names {
			if dep, ok := definedIn[called]; ok && dep != file {
				n[file] = append(n[file], dep)
			}
		}
	}
	return n, nil
}

// templateCalls appends the names node calls with {{template}} to out.
func templateCalls(node parse.Node, out []string) []string {
	switch n := node.(type) {
	case *parse.ListNode:
		if n == nil {
			return out
		}
		for _, c := range n.Nodes {
			out = templateCalls(c, out)
		}
	case *parse.TemplateNode:
		out = append(out, n.Name)
	case *parse.IfNode:
		out = templateCalls(n.ElseList, templateCalls(n.List, out))
	case *parse.RangeNode:
		out = templateCalls(n.ElseList, templateCalls(n.List, out))
	case *parse.WithNode:
		out = templateCalls(n.ElseList, templateCalls(n.List, out))
	}
	return out
}

// closure is the files roots need, roots included, in a stable order.
func (n needs) closure(roots []string) []string {
	seen := map[string]bool{}
	for len(roots) > 0 {
		f := roots[len(roots)-1]
		roots = roots[:len(roots)-1]
		if seen[f] {
			continue
		}
		seen[f] = true
		roots = append(roots, n[f]...)
	}
	return slices.Sorted(maps.Keys(seen))
}
