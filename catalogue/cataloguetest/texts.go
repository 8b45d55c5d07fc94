// Package cataloguetest helps tests reach every translated text of a
// catalogue: to check that each is in every language, or to take a
// language out of an entry, as a council that has not translated it yet
// would have it.
package cataloguetest

import (
	"reflect"
	"strconv"
	"strings"

	"sportello/catalogue"
)

// Visit is called with a text's path in the catalogue format
// ("services[3].online_form.fields[2].label") and the text: exactly one of
// text and list is non-nil.
type Visit func(path string, text catalogue.Text, list catalogue.TextList)

var (
	textType = reflect.TypeFor[catalogue.Text]()
	listType = reflect.TypeFor[catalogue.TextList]()
)

// Texts calls visit for every catalogue.Text and catalogue.TextList that v
// (a catalogue, an entry, or a pointer to one) holds, however deep, so a
// field added to the format later is walked without changing this.
// Texts that are null in the file (nil maps) are skipped.
func Texts(v any, visit Visit) {
	walk(reflect.ValueOf(v), "", visit)
}

func walk(v reflect.Value, path string, visit Visit) {
	switch {
	case !v.IsValid():
		return
	case v.Type() == textType:
		if !v.IsNil() {
			visit(path, v.Interface().(catalogue.Text), nil)
		}
		return
	case v.Type() == listType:
		if !v.IsNil() {
			visit(path, nil, v.Interface().(catalogue.TextList))
		}
		return
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			walk(v.Elem(), path, visit)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			f := v.Type().Field(i)
			if !f.IsExported() {
				continue
			}
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "-" {
				continue
			}
			if name == "" {
				name = f.Name
			}
			if path != "" {
				name = path + "." + name
			}
			walk(v.Field(i), name, visit)
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			walk(v.Index(i), path+"["+strconv.Itoa(i)+"]", visit)
		}
	}
}

// Untranslate takes lang out of every text v holds (v a pointer to an entry
// or a catalogue), as if the council had not translated it yet.
func Untranslate(v any, lang string) {
	Texts(v, func(_ string, text catalogue.Text, list catalogue.TextList) {
		delete(text, lang)
		delete(list, lang)
	})
}
