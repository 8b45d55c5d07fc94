package forms

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"sportello/catalogue"
)

// Document types that are ZIP archives inside. http.DetectContentType calls
// them all application/zip; the archive's entries tell them apart.
const (
	TypeDOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	TypeXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	TypePPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
	TypeODT  = "application/vnd.oasis.opendocument.text"
	TypeODS  = "application/vnd.oasis.opendocument.spreadsheet"
)

const maxFilenameLength = 200

func (v *Validator) file(f *catalogue.Field, files Files, a *Answer) ([]AcceptedFile, *FieldError, error) {
	var inputs []FileInput
	for _, in := range files[f.Name] {
		// A browser sends an empty part for a file input left empty.
		if in.Filename == "" && in.Size == 0 {
			continue
		}
		inputs = append(inputs, in)
	}
	if len(inputs) == 0 {
		if f.Required {
			return nil, fieldErr(KeyRequiredFile, nil), nil
		}
		return nil, nil, nil
	}
	if len(inputs) > v.opts.MaxFilesPerField {
		return nil, fieldErr(KeyFileCount, map[string]any{"Max": v.opts.MaxFilesPerField}), nil
	}
	limit := v.opts.MaxFileSize
	if f.MaxSizeMB != nil {
		if l := int64(*f.MaxSizeMB * (1 << 20)); l < limit {
			limit = l
		}
	}
	accepted := make([]AcceptedFile, 0, len(inputs))
	for i, in := range inputs {
		name := cleanFilename(in.Filename)
		switch {
		case in.Size <= 0:
			return nil, fieldErr(KeyFileEmpty, map[string]any{"Name": name}), nil
		case in.Size > limit:
			mb := math.Floor(float64(limit)/(1<<20)*10) / 10
			return nil, fieldErr(KeyFileSize, map[string]any{"Name": name, "MaxMB": formatLimit(mb)}), nil
		}
		candidates, err := sniff(in)
		if err != nil {
			return nil, nil, fmt.Errorf("forms: reading the upload %q of field %s: %w", name, f.Name, err)
		}
		ct := acceptable(candidates, f.Accept)
		if ct == "" {
			return nil, fieldErr(KeyFileType, map[string]any{"Name": name, "Types": DescribeTypes(f.Accept)}), nil
		}
		a.Files = append(a.Files, FileRef{Name: name, ContentType: ct, Size: in.Size})
		accepted = append(accepted, AcceptedFile{Field: f.Name, Index: i, Filename: name, ContentType: ct, Size: in.Size, Open: in.Open})
	}
	return accepted, nil, nil
}

// cleanFilename keeps the base name a browser sent (old browsers send the
// whole path), without control characters, at most 200 characters with its
// extension kept. It is only ever shown, never used as a path. Format
// characters go too: a right-to-left override (U+202E) shows
// "invoice\u202egnp.exe" to staff as "invoiceexe.png", hiding the real
// extension.
func cleanFilename(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.Is(unicode.Cf, r) {
			return -1
		}
		return r
	}, s)
	s = strings.ReplaceAll(clean(s, false), "\\", "/")
	s = path.Base(s)
	if s == "." || s == "/" || s == "" {
		return "file"
	}
	if utf8.RuneCountInString(s) > maxFilenameLength {
		ext := path.Ext(s)
		if utf8.RuneCountInString(ext) > 20 {
			ext = ""
		}
		r := []rune(strings.TrimSuffix(s, ext))
		s = string(r[:maxFilenameLength-utf8.RuneCountInString(ext)]) + ext
	}
	return s
}

// sniff returns the types the content may be declared as, most specific
// first: what http.DetectContentType finds, refined where it is too coarse
// (an Office document is "application/zip" to it) or misses a common
// format (MP3 without an ID3 tag).
func sniff(in FileInput) ([]string, error) {
	rc, err := in.Open()
	if err != nil {
		return nil, err
	}
	head := make([]byte, 512)
	n, err := io.ReadFull(rc, head)
	rc.Close()
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return nil, err
	}
	head = head[:n]
	base, _, _ := mime.ParseMediaType(http.DetectContentType(head))
	switch base {
	case "text/xml":
		return []string{"application/xml", "text/xml"}, nil
	case "text/plain":
		return []string{"text/plain", "text/csv"}, nil
	case "video/mp4":
		// The ISO media container: M4A audio is the same format with
		// another brand.
		if len(head) >= 12 && (string(head[8:11]) == "M4A" || string(head[8:11]) == "M4B") {
			return []string{"audio/mp4", "video/mp4"}, nil
		}
		return []string{"video/mp4", "audio/mp4"}, nil
	case "application/octet-stream":
		// An MPEG audio frame starts with 11 set bits.
		if len(head) >= 2 && head[0] == 0xFF && head[1]&0xE0 == 0xE0 {
			return []string{"audio/mpeg"}, nil
		}
	case "application/zip":
		inner, err := zipDocumentType(in)
		if err != nil {
			return nil, err
		}
		if inner != "" {
			return []string{inner, "application/zip"}, nil
		}
	}
	return []string{base}, nil
}

// zipDocumentType looks inside a ZIP archive for the entries that make it an
// Office Open XML or OpenDocument file. A damaged archive is just a ZIP.
func zipDocumentType(in FileInput) (string, error) {
	rc, err := in.Open()
	if err != nil {
		return "", err
	}
	defer rc.Close()
	ra, ok := rc.(io.ReaderAt)
	if !ok {
		// multipart.File and os.File are ReaderAts; anything else is read,
		// and the size limit was checked before.
		buf, err := io.ReadAll(io.LimitReader(rc, in.Size))
		if err != nil {
			return "", err
		}
		ra = bytes.NewReader(buf)
	}
	zr, err := zip.NewReader(ra, in.Size)
	if err != nil {
		return "", nil
	}
	names := make(map[string]*zip.File, len(zr.File))
	for _, f := range zr.File {
		names[f.Name] = f
	}
	if _, ok := names["[Content_Types].xml"]; ok {
		switch {
		case names["word/document.xml"] != nil:
			return TypeDOCX, nil
		case names["xl/workbook.xml"] != nil:
			return TypeXLSX, nil
		case names["ppt/presentation.xml"] != nil:
			return TypePPTX, nil
		}
	}
	if mt := names["mimetype"]; mt != nil && mt.UncompressedSize64 < 100 {
		r, err := mt.Open()
		if err != nil {
			return "", nil
		}
		defer r.Close()
		b, _ := io.ReadAll(io.LimitReader(r, 100))
		if s := string(b); strings.HasPrefix(s, "application/vnd.oasis.opendocument.") {
			return s, nil
		}
	}
	return "", nil
}

// acceptable returns the first candidate that accept allows ("image/*"
// allows every image), or "" when none is. An empty accept list allows
// everything.
func acceptable(candidates, accept []string) string {
	if len(accept) == 0 {
		return candidates[0]
	}
	for _, c := range candidates {
		for _, a := range accept {
			a = strings.ToLower(strings.TrimSpace(a))
			if a == c || strings.HasSuffix(a, "/*") && strings.HasPrefix(c, strings.TrimSuffix(a, "*")) {
				return c
			}
		}
	}
	return ""
}

var typeNames = map[string]string{
	"application/pdf": "PDF", "image/jpeg": "JPG", "image/png": "PNG", "image/gif": "GIF",
	"image/webp": "WEBP", "image/*": "JPG, PNG", "video/mp4": "MP4", "audio/mpeg": "MP3",
	"audio/mp4": "M4A", "application/xml": "XML", "text/xml": "XML", "application/zip": "ZIP",
	"text/plain": "TXT", "text/csv": "CSV", TypeDOCX: "DOCX", TypeXLSX: "XLSX", TypePPTX: "PPTX",
	TypeODT: "ODT", TypeODS: "ODS",
}

// DescribeTypes names MIME types the way people know them, for a message or
// a hint: ["application/pdf", "image/jpeg"] is "PDF, JPG".
func DescribeTypes(accept []string) string {
	seen := map[string]bool{}
	var out []string
	for _, a := range accept {
		name, ok := typeNames[strings.ToLower(a)]
		if !ok {
			_, sub, _ := strings.Cut(a, "/")
			name = strings.ToUpper(sub)
		}
		if !seen[name] {
			seen[name] = true
			out = append(out, name)
		}
	}
	return strings.Join(out, ", ")
}

// formatSize writes a size in KB under a megabyte and in MB with one decimal
// above, with the language's decimal separator.
func formatSize(size int64, decimalSep string) (string, bool) {
	if size < 1<<20 {
		kb := (size + 1023) / 1024
		return strconv.FormatInt(kb, 10), false
	}
	tenths := (size*10 + (1<<20)/2) / (1 << 20)
	s := strconv.FormatInt(tenths/10, 10)
	if tenths%10 != 0 {
		s += decimalSep + strconv.FormatInt(tenths%10, 10)
	}
	return s, true
}
