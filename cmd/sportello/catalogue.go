package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"sportello/catalogue"
	"sportello/catalogue/sqlstore"
	"sportello/store"
)

// importFile validates a catalogue file and loads it in one transaction.
// Nothing is written unless the whole file is valid; every problem is
// printed, one per line, with its JSON path. The file is read twice and its
// services written one at a time as they are checked (catalogue.Reader), so
// that a catalogue of 100,000 services is never held whole.
func importFile(ctx context.Context, cfg config, path string, stdout io.Writer) error {
	rd, err := catalogue.ReadFile(path)
	var invalid *catalogue.ValidationError
	if errors.As(err, &invalid) {
		return fmt.Errorf("%s was not imported; nothing was written:\n%w", path, err)
	}
	if err != nil {
		return err
	}
	if !rd.Clean() {
		// Nothing will be written: list the rest of the problems without
		// opening the database.
		err := rd.Services(nil)
		if err == nil {
			err = errors.New("catalogue: a problem found on the first reading was not reported")
		}
		return fmt.Errorf("%s was not imported; nothing was written:\n%w", path, err)
	}
	db, cat, err := openCatalogue(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	defer cat.Close()
	res, err := cat.ImportEach(ctx, rd.Catalogue(), rd.Services)
	if errors.As(err, &invalid) {
		return fmt.Errorf("%s was not imported; nothing was written:\n%w", path, err)
	}
	if err != nil {
		return fmt.Errorf("%s was not imported; nothing was written: %w", path, err)
	}
	fmt.Fprintf(stdout, "imported %s: %d services added, %d updated, %d archived, %d unchanged; catalogue version %d\n",
		path, len(res.Added), len(res.Updated), len(res.Archived), res.Unchanged, res.Version)
	fmt.Fprintln(stdout, "a running server picks the change up within a few seconds and brings its search index up to date")
	return nil
}

// export writes the published catalogue in the interchange format.
func export(ctx context.Context, cfg config, args []string, stdout io.Writer) error {
	db, cat, err := openCatalogue(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	defer cat.Close()
	c, err := cat.Export(ctx)
	if err != nil {
		return err
	}
	data, err := catalogue.Encode(c)
	if err != nil {
		return err
	}
	if len(args) == 0 {
		_, err = stdout.Write(data)
		return err
	}
	return os.WriteFile(args[0], data, 0o644)
}

// openCatalogue opens the database, applying its migrations, and the
// catalogue store over it. Close the store, then the database.
func openCatalogue(ctx context.Context, cfg config) (*store.DB, *sqlstore.Store, error) {
	db, err := store.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return nil, nil, err
	}
	cat, err := sqlstore.New(ctx, db)
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	return db, cat, nil
}
