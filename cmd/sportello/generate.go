package main

import (
	"flag"
	"fmt"
	"io"
	"os"

	"sportello/catalogue"
	"sportello/catalogue/synthetic"
)

// generate writes a synthetic catalogue of n services for load runs and
// benchmarks (docs/performance.md). It is valid: `sportello import` takes it.
func generate(args []string, stdout io.Writer) error {
	flags := flag.NewFlagSet("generate", flag.ContinueOnError)
	flags.SetOutput(io.Discard)
	n := flags.Int("n", 10000, "number of services")
	seed := flags.Int64("seed", 1, "random seed; the same seed gives the same catalogue")
	if err := flags.Parse(args); err != nil || flags.NArg() > 1 || *n < 1 {
		return fmt.Errorf("usage: sportello generate [-n SERVICES] [-seed N] [FILE]")
	}
	data, err := catalogue.Encode(synthetic.Generate(*n, *seed))
	if err != nil {
		return err
	}
	if flags.NArg() == 0 {
		_, err = stdout.Write(data)
		return err
	}
	return os.WriteFile(flags.Arg(0), data, 0o644)
}
