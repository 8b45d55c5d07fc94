// Command sportello is the council's service catalogue and citizen portal:
// one binary that serves the site, imports and exports the catalogue, and
// checks eligibility rules.
//
//	sportello                 serve the portal (the default)
//	sportello serve           the same
//	sportello import FILE     validate and load a catalogue file
//	sportello export [FILE]   write the published catalogue (stdout by default)
//	sportello rules check [-lang LANG] FILE PROFILE.json
//	                          which services a profile may be eligible for, and why
//	sportello generate [-n N] [FILE]   a synthetic catalogue for load runs
package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "sportello:", err)
		os.Exit(1)
	}
}

const usage = `usage:
  sportello [serve]          serve the portal
  sportello import FILE      validate and load a catalogue file (sportello-catalogue/1)
  sportello export [FILE]    write the published catalogue to FILE or standard output
  sportello rules check [-lang LANG] FILE PROFILE.json
                             evaluate every eligibility rule of a catalogue file against a profile
  sportello generate [-n SERVICES] [-seed N] [FILE]
                             write a synthetic catalogue for load runs
Settings come from SPORTELLO_* environment variables; see README.md.`

// run is main without the process: it parses the command line and the
// environment, and returns instead of exiting, so tests can call it.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, err := loadConfig(getenv)
	if err != nil {
		return fmt.Errorf("configuration:\n%w", err)
	}
	log := newLogger(stderr, cfg.LogLevel)

	cmd := "serve"
	if len(args) > 0 {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve":
		return serve(ctx, cfg, log)
	case "import":
		if len(args) != 1 {
			return fmt.Errorf("import needs one catalogue file\n%s", usage)
		}
		return importFile(ctx, cfg, args[0], stdout)
	case "export":
		if len(args) > 1 {
			return fmt.Errorf("export takes at most one file\n%s", usage)
		}
		return export(ctx, cfg, args, stdout)
	case "rules":
		if len(args) == 0 || args[0] != "check" {
			return fmt.Errorf("rules needs the word check\n%s", usage)
		}
		return rulesCheck(ctx, args[1:], stdout)
	case "generate":
		return generate(args, stdout)
	case "help", "-h", "--help":
		fmt.Fprintln(stdout, usage)
		return nil
	default:
		return fmt.Errorf("unknown command %q\n%s", cmd, usage)
	}
}

func newLogger(w io.Writer, level string) *slog.Logger {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		l = slog.LevelInfo
	}
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: l}))
}
