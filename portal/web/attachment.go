package web

import (
	"io"
	"mime"

	"github.com/gofiber/fiber/v2"
)

// SendAttachment sends rc (size bytes of contentType) as a download named
// filename, never shown inline: nosniff stops a browser from guessing
// another type, and nothing keeps a copy. Fiber closes rc once it is sent.
func SendAttachment(c *fiber.Ctx, rc io.ReadCloser, contentType, filename string, size int64) error {
	c.Set(fiber.HeaderContentType, contentType)
	disposition := mime.FormatMediaType("attachment", map[string]string{"filename": filename})
	if disposition == "" {
		disposition = "attachment"
	}
	c.Set(fiber.HeaderContentDisposition, disposition)
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	return c.SendStream(rc, int(size))
}
