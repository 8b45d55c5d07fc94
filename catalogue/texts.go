package catalogue

import (
	"reflect"
	"slices"
	"strconv"
	"strings"
)

// TextVisit is called with a text's path in the catalogue format
// ("services[3].online_form.fields[2].label") and the text: exactly one of
// text and list is non-nil.
type TextVisit func(path string, text Text, list TextList)

var (
	textType = reflect.TypeFor[Text]()
	listType = reflect.TypeFor[TextList]()
)

// WalkTexts calls visit for every Text and TextList that v (a catalogue,
// an entry, or a pointer to one) holds, however deep, so that a field
// added to the format later is walked without changing this. Texts that
// are null in the file (nil maps) are skipped.
func WalkTexts(v any, visit TextVisit) {
	walkTexts(reflect.ValueOf(v), "", visit)
}

func walkTexts(v reflect.Value, path string, visit TextVisit) {
	switch {
	case !v.IsValid():
		return
	case v.Type() == textType:
		if !v.IsNil() {
			visit(path, v.Interface().(Text), nil)
		}
		return
	case v.Type() == listType:
		if !v.IsNil() {
			visit(path, nil, v.Interface().(TextList))
		}
		return
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			walkTexts(v.Elem(), path, visit)
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
			walkTexts(v.Field(i), name, visit)
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			walkTexts(v.Index(i), path+"["+strconv.Itoa(i)+"]", visit)
		}
	}
}

// MissingLanguages returns the languages of langs, in their order, that
// some text of v (an entry, or a pointer to one) lacks: a text written in
// at least one language but blank in that one, or a list with items in
// one language and none in that one. A text blank in every language, such
// as an optional field left out, is no gap. The editor shows these, so
// that a council sees which of its entries still need a translation.
func MissingLanguages(v any, langs []string) []string {
	missing := map[string]bool{}
	WalkTexts(v, func(_ string, text Text, list TextList) {
		written := false
		for _, s := range text {
			written = written || strings.TrimSpace(s) != ""
		}
		for _, items := range list {
			written = written || len(items) > 0
		}
		if !written {
			return
		}
		for _, l := range langs {
			if (text != nil && strings.TrimSpace(text[l]) == "") || (list != nil && len(list[l]) == 0) {
				missing[l] = true
			}
		}
	})
	if len(missing) == 0 {
		return nil
	}
	return slices.DeleteFunc(slices.Clone(langs), func(l string) bool { return !missing[l] })
}
