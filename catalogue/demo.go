package catalogue

import (
	"bytes"
	_ "embed"
)

// demoJSON is the demo catalogue of the fictional City of Porta Nova, in all
// five languages (demo_languages_test.go). This file is the one copy that
// counts. It is imported on first start so that a fresh checkout has a
// working site.
//
//go:embed porta-nova.json
var demoJSON []byte

// DemoJSON returns the demo catalogue file as it is embedded.
func DemoJSON() []byte { return bytes.Clone(demoJSON) }
