package portal

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// Ask once: a new form offers the signed-in person what they already gave
// (an earlier application's address and phone, the household size from
// their saved support-finder answers, their name from the account), each
// with a note saying where it came from, in inputs they can change; nobody
// else, signed in or not, is offered any of it.
func TestApplyOffersWhatThePersonGaveBefore(t *testing.T) {
	site := startLiveSite(t, ownCatalogue)
	marta := site.browser(t, followRedirects)
	marta.signIn("resident", "/")
	conf := sendForm(t, marta.stoppingAtRedirects(), "report-disrepair-rented-home")
	ref := referenceOf(t, conf.body)
	answerAll(t, marta, dataResident) // a household of 1
	marta.postForm(marta.get("/support-finder/results"), "/support-finder/save", url.Values{"consent": {"yes"}})

	form := marta.get("/services/library-membership/apply")
	fromApplication := "We filled this in from your application " + ref + ": change it if it is different."
	must(t, form, http.StatusOK,
		`id="home_address-line1" name="home_address-line1" type="text" autocomplete="address-line1" value="Avinguda del Mar 3"`,
		`id="home_address-postcode" name="home_address-postcode" type="text" autocomplete="postal-code" value="08800"`,
		`<p id="home_address-prefilled" class="form-hint form-hint--prefilled">`+fromApplication+`</p>`,
		`<p id="phone-prefilled" class="form-hint form-hint--prefilled">`+fromApplication+`</p>`,
		`value="&#43;34 600 000 000" aria-describedby="phone-prefilled"`,
		"We filled this in from your account: change it if it is different.")
	mustNot(t, form, "readonly", "disabled")

	// What was offered is only a starting point: the answer sent is the
	// one in the input.
	csrf, token := formTokens(t, form.body)
	answers := answersFor(t, "library-membership", csrf, token)
	answers.Set("phone", "+34 611 222 333")
	check := marta.follow(marta.stoppingAtRedirects().postMultipart("/services/library-membership/apply", answers))
	must(t, check, http.StatusOK, "611 222 333")
	mustNot(t, check, "600 000 000")

	bin := marta.get("/services/order-a-new-bin/apply")
	must(t, bin, http.StatusOK, `<p id="household_size-prefilled" class="form-hint form-hint--prefilled">We filled this in from the answers you saved in the support finder: change it if it is different.</p>`)
	if !strings.Contains(bin.body, `id="household_size" name="household_size" type="text" inputmode="numeric" value="1"`) {
		t.Errorf("the household size is not offered:\n%s", excerptMain(bin.body))
	}

	other := site.browser(t, followRedirects)
	other.signIn("business", "/")
	anon := site.browser(t, followRedirects)
	theirs := other.get("/services/library-membership/apply")
	must(t, theirs, http.StatusOK, "We filled this in from your account") // their own name
	mustNot(t, theirs, "Avinguda del Mar 3", "600 000 000", ref, "home_address-prefilled", "phone-prefilled")
	nobody := anon.get("/services/report-disrepair-rented-home/apply")
	must(t, nobody, http.StatusOK)
	mustNot(t, nobody, "Avinguda del Mar 3", "600 000 000", ref, "prefilled")
	must(t, marta.get("/services/library-membership/apply?lang=es"), http.StatusOK, "Lo hemos rellenado con su solicitud "+ref)
}
