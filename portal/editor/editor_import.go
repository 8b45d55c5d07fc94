package editor

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"sportello/catalogue"
	"sportello/portal/web"
)

// importPage is templates/editor/import.html: upload a catalogue file, see
// every problem with its JSON path, or what the import changed.
type importPage struct {
	editorPage
	FileName   string
	Problems   []string
	Result     *catalogue.ImportResult
	Duplicates []catalogue.Duplicate
	Error      string
}

// MaxImportBytes bounds an uploaded catalogue (the demo is 1.2 MB); the
// route's body limit is set from it (portal/limits.go).
const MaxImportBytes = 32 << 20

// importLimits bound what reading an uploaded catalogue may cost the server.
// 300,000 values are about 1,600 services as detailed as the demo's (24,000
// values for 132 services); a larger catalogue is loaded with `sportello
// import`. Measured worst case, a file of empty services just under the
// limit: about 250 MB of heap (docs/performance.md).
var importLimits = catalogue.Limits{MaxBytes: MaxImportBytes, MaxValues: 300_000}

func (s *bulk) editorImportShow(c *fiber.Ctx) error {
	return web.Render(c, "editor/import", importPage{editorPage: s.newEditorPage(c, "editor.import.title", "/editor/import")})
}

// editorImport imports an uploaded catalogue exactly as `sportello import`
// does: the same parsing and validation, every problem listed with its path
// and line, nothing written unless the whole file is valid.
func (s *bulk) editorImport(c *fiber.Ctx) error {
	p := importPage{editorPage: s.newEditorPage(c, "editor.import.title", "/editor/import")}
	fh, err := c.FormFile("catalogue")
	if err != nil {
		p.Error = web.T(c, "editor.import.no_file")
		c.Status(fiber.StatusUnprocessableEntity)
		return web.Render(c, "editor/import", p)
	}
	p.FileName = fh.Filename
	if fh.Size > MaxImportBytes {
		p.Error = web.T(c, "editor.import.too_big", "Max", MaxImportBytes>>20)
		c.Status(fiber.StatusRequestEntityTooLarge)
		return web.Render(c, "editor/import", p)
	}
	f, err := fh.Open()
	if err != nil {
		return err
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxImportBytes+1))
	f.Close()
	if err != nil {
		return err
	}
	cat, err := catalogue.LoadWithin(data, importLimits)
	var ve *catalogue.ValidationError
	if errors.As(err, &ve) {
		for _, pr := range ve.Problems {
			p.Problems = append(p.Problems, pr.String())
		}
		c.Status(fiber.StatusUnprocessableEntity)
		return web.Render(c, "editor/import", p)
	}
	if err != nil {
		return err
	}
	started := time.Now()
	res, err := s.ed.db.ImportAs(c.UserContext(), cat, actor(c), started.AddDate(0, reviewPeriod, 0))
	if err != nil {
		return err
	}
	if err := s.SyncPublished(c.UserContext(), started); err != nil {
		return err
	}
	p.Result = &res
	d := s.Directory()
	p.Duplicates = catalogue.LikelyDuplicates(cat.Services, d.DefaultLang, d.DefaultLang)
	return web.Render(c, "editor/import", p)
}

// editorExportJSON downloads the published catalogue in the interchange
// format, byte for byte what `sportello export` writes.
func (s *bulk) editorExportJSON(c *fiber.Ctx) error {
	cat, err := s.store.Export(c.UserContext())
	if err != nil {
		return err
	}
	b, err := catalogue.Encode(cat)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="catalogue-`+time.Now().Format("2006-01-02")+`.json"`)
	return c.Send(b)
}

// editorExportCSV downloads one row per service, published and archived,
// for spreadsheets: the facts editors sort and filter by.
func (s *bulk) editorExportCSV(c *fiber.Ctx) error {
	cat, err := s.store.Export(c.UserContext())
	if err != nil {
		return err
	}
	list, err := s.ed.db.Listings(c.UserContext())
	if err != nil {
		return err
	}
	reviews := map[string][2]string{}
	status := map[string]string{}
	for _, l := range list {
		if l.Kind != catalogue.KindService {
			continue
		}
		status[l.Slug] = entryStatus(l)
		if !l.Review.ReviewBy.IsZero() {
			reviews[l.Slug] = [2]string{l.Review.Owner, l.Review.ReviewBy.Format(time.DateOnly)}
		} else {
			reviews[l.Slug] = [2]string{l.Review.Owner, ""}
		}
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	langs := cat.Authority.Languages
	header := []string{"slug", "status", "topic", "department", "audience", "channels", "online", "kind", "fee_amount", "fee_currency", "fee_when", "processing_time_days", "languages"}
	for _, l := range langs {
		header = append(header, "title_"+l)
	}
	header = append(header, "summary_"+cat.Authority.DefaultLanguage, "owner", "review_by")
	if err := w.Write(header); err != nil {
		return err
	}
	for _, svc := range cat.Services {
		row := []string{svc.Slug, status[svc.Slug], svc.Topic, svc.Department, strings.Join(svc.Audience, " "), strings.Join(svc.Channels, " "),
			strconv.FormatBool(svc.Online()), catalogue.TransactionOf(svc.Kind)}
		if svc.Fee != nil {
			row = append(row, web.Money{Minor: svc.Fee.Amount, Currency: svc.Fee.Currency}.Plain(), svc.Fee.Currency, svc.Fee.When)
		} else {
			row = append(row, "", "", "")
		}
		if svc.ProcessingTimeDays != nil {
			row = append(row, strconv.Itoa(*svc.ProcessingTimeDays))
		} else {
			row = append(row, "")
		}
		row = append(row, strings.Join(svc.Languages(), " "))
		for _, l := range langs {
			row = append(row, csvSafe(svc.Title[l]))
		}
		r := reviews[svc.Slug]
		row = append(row, csvSafe(svc.Summary[cat.Authority.DefaultLanguage]), csvSafe(r[0]), r[1])
		if err := w.Write(row); err != nil {
			return err
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return fmt.Errorf("writing the CSV export: %w", err)
	}
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="services-`+time.Now().Format("2006-01-02")+`.csv"`)
	return c.Send(buf.Bytes())
}

// csvSafe keeps a spreadsheet from reading a text as a formula.
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
