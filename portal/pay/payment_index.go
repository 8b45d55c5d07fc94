package pay

import (
	"cmp"
	"slices"

	"github.com/gofiber/fiber/v2"

	"sportello/payments"
	"sportello/portal/web"
)

// paymentIndexPage is templates/payments/index.html's data.
type paymentIndexPage struct {
	web.Page
	Payments []paymentRow
}

// paymentIndex lists the signed-in person's payments, newest first, with
// their receipts: GET /account/payments.
func (s *Handler) paymentIndex(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	v := web.ViewerOf(c)
	if v == nil {
		return web.NewError(fiber.StatusNotFound, "", nil)
	}
	ctx := c.UserContext()
	apps, err := s.access.Applications(c)
	if err != nil {
		return err
	}
	var all []payments.Payment
	for _, a := range apps {
		ps, err := s.pay.Attempts(ctx, a.ID)
		if err != nil {
			return err
		}
		all = append(all, ps...)
	}
	slices.SortFunc(all, func(a, b payments.Payment) int { return cmp.Compare(b.CreatedAt.Unix(), a.CreatedAt.Unix()) })
	d := s.Directory()
	page := paymentIndexPage{Page: web.NewPage(c, "payments.index.title")}
	for _, p := range all {
		row := s.paymentRowOf(c, d, p)
		row.Flag, row.Failure = "", ""
		row.AppURL = "/account/applications/" + p.Reference
		page.Payments = append(page.Payments, row)
	}
	return web.Render(c, "payments/index", page)
}
