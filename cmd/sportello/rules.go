package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"

	"sportello/catalogue"
	"sportello/catalogue/eligibility"
	"sportello/portal/finders"
	"sportello/portal/web"
)

const rulesCheckUsage = `usage: sportello rules check [-lang LANG] FILE PROFILE.json
  FILE          a catalogue file (sportello-catalogue/1)
  PROFILE.json  answers to the profile questions, like {"age": 70, "resident": true}
  -lang LANG    the language of the reasons (en, es, ca, it, fr; default: the catalogue's)`

// rulesCheck is `sportello rules check`: args are what follows "check". It
// shows which services a profile qualifies for and why, the way the support
// finder would, so that whoever writes rules can try them before importing.
func rulesCheck(ctx context.Context, args []string, stdout io.Writer) error {
	flags := flag.NewFlagSet("rules check", flag.ContinueOnError)
	flags.SetOutput(io.Discard)
	lang := flags.String("lang", "", "")
	if err := flags.Parse(args); err != nil {
		return fmt.Errorf("%v\n%s", err, rulesCheckUsage)
	}
	if flags.NArg() != 2 {
		return fmt.Errorf("rules check needs a catalogue file and a profile file\n%s", rulesCheckUsage)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	file, profileFile := flags.Arg(0), flags.Arg(1)

	data, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	c, err := catalogue.Load(data)
	if err != nil {
		return fmt.Errorf("%s is not a valid catalogue:\n%w", file, err)
	}
	rules, err := eligibility.Compile(c)
	if err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	raw, err := os.ReadFile(profileFile)
	if err != nil {
		return err
	}
	answers, err := rules.ParseProfile(raw)
	if err != nil {
		return fmt.Errorf("%s: %w", profileFile, err)
	}
	if *lang == "" {
		*lang = c.Authority.DefaultLanguage
	}
	if !validLanguage(*lang) {
		return fmt.Errorf("-lang %q is not a language Sportello has; use one of %s", *lang, strings.Join(catalogue.Languages, ", "))
	}

	// The reasons are said from the portal's message files, as the
	// support finder says them.
	locales, err := fs.Sub(web.Locales, "locales")
	if err != nil {
		return err
	}
	tr, err := web.NewTranslator(locales)
	if err != nil {
		return err
	}
	matches := rules.Evaluate(answers)
	for _, m := range matches {
		title, _ := m.Service.Title.In(*lang, c.Authority.DefaultLanguage)
		fmt.Fprintf(stdout, "%s: %s\n  %s\n", m.Slug, title, finders.SayReason(tr, *lang, c.Authority.DefaultLanguage, m.Reason()))
	}
	fmt.Fprintf(stdout, "%d of %d services with an eligibility rule match\n", len(matches), len(rules.Services()))
	if undecided := rules.Undecided(answers); len(undecided) > 0 {
		q, _ := rules.NextQuestion(answers)
		if q == nil {
			fmt.Fprintf(stdout, "%d more may match, but depend on answers the profile gives as %q: %s\n",
				len(undecided), eligibility.NotKnown, strings.Join(undecided, ", "))
			return nil
		}
		label, _ := q.Label.In(*lang, c.Authority.DefaultLanguage)
		fmt.Fprintf(stdout, "%d more depend on questions the profile does not answer: %s\nthe support finder would ask next: %s (%s)\n",
			len(undecided), strings.Join(undecided, ", "), q.Name, label)
	}
	return nil
}

func validLanguage(lang string) bool {
	for _, l := range catalogue.Languages {
		if l == lang {
			return true
		}
	}
	return false
}
