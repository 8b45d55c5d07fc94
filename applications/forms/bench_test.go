package forms

import (
	"context"
	"testing"

	"sportello/catalogue"
)

// BenchmarkValidateDemo validates valid answers to every form of the demo
// catalogue; one op is all 126 forms.
func BenchmarkValidateDemo(b *testing.B) {
	c, err := catalogue.Load(catalogue.DemoJSON())
	if err != nil {
		b.Fatal(err)
	}
	type input struct {
		form   *catalogue.OnlineForm
		values Values
		files  Files
	}
	var inputs []input
	for i := range c.Services {
		if f := c.Services[i].OnlineForm; f != nil {
			v, fs := validValues(b, f)
			inputs = append(inputs, input{f, v, fs})
		}
	}
	val := NewValidator(Options{MaxFileSize: 50 << 20})
	ctx := context.Background()
	for b.Loop() {
		for _, in := range inputs {
			if res, err := val.Validate(ctx, in.form, in.values, in.files); err != nil || !res.OK() {
				b.Fatal(err, res.Errors)
			}
		}
	}
}
