package yourdata

import (
	"strconv"

	"sportello/portal/apply"
	"sportello/portal/web"
)

// serviceTitle is a service's title in lang; a service no longer in the
// catalogue is named by its slug.
func serviceTitle(d *web.Directory, slug, lang string) web.Localised {
	if sum, ok := d.ServiceOf[slug]; ok {
		return d.Loc(sum.Title, lang)
	}
	return web.Localised{Text: slug}
}

// fileURL is where the applicant downloads a file of theirs.
func fileURL(id string) string { return apply.FileURL(id) }

// receiptURL is a settled payment's receipt.
func receiptURL(id int64) string {
	return "/account/payments/" + strconv.FormatInt(id, 10) + "/receipt"
}
