package catalogue

import (
	"net/mail"
	"net/url"
	"strings"
	"time"
)

// privacy checks a service's privacy notice: a purpose, a legal basis of
// GDPR article 6(1), and a retention that outlasts what the service grants.
func (v *validator) privacy(p string, s *Service) {
	pr := s.Privacy
	if s.OnlineForm == nil {
		v.add(p, "applies only to a service with an online_form, whose applications it describes; remove it or add a form")
	}
	v.text(member(p, "purpose"), pr.Purpose, true)
	v.text(member(p, "shared_with"), pr.SharedWith, false)
	v.textList(member(p, "data"), pr.Data)
	switch {
	case pr.LegalBasis == "legitimate_interests":
		v.add(member(p, "legal_basis"), `a council cannot rely on legitimate interests for its tasks (GDPR article 6(1), last paragraph); use "public_task", or another of %s`, quoteAll(LegalBases))
	default:
		v.oneOf(member(p, "legal_basis"), pr.LegalBasis, LegalBases)
	}
	rp := member(p, "retention_days")
	switch r := pr.RetentionDays; {
	case r < 1 || r > MaxRetentionDays:
		v.add(rp, "must be how many days a closed application is kept, 1 to %d, not %d", MaxRetentionDays, r)
	case s.Renewal != nil && s.Renewal.ValidForDays <= MaxValidForDays && r < s.Renewal.ValidForDays:
		// The renewal reminder is sent to the applicant of the approved
		// application: deleted, it could not be.
		v.add(rp, "is %d, less than renewal.valid_for_days (%d): the application would be deleted while what it granted still runs, and its holder never reminded; keep it at least as long", r, s.Renewal.ValidForDays)
	}
}

// councilPrivacy checks the authority's part of the privacy notice.
func (v *validator) councilPrivacy(p string, cp *CouncilPrivacy) {
	v.email(member(p, "dpo_email"), cp.DPOEmail, "the data protection officer's address")
	sp := member(p, "supervisory_authority")
	v.text(member(sp, "name"), cp.Supervisor.Name, true)
	v.website(member(sp, "website"), cp.Supervisor.Website)
	v.text(member(p, "payment_records"), cp.PaymentRecords, true)
}

// accessibility checks the authority's part of the accessibility statement.
func (v *validator) accessibility(p string, a *Accessibility) {
	v.oneOf(member(p, "status"), a.Status, AccessibilityStatuses)
	v.textList(member(p, "known_issues"), a.KnownIssues)
	if a.Status != AccessibilityFull && len(a.KnownIssues[v.defaultLang]) == 0 && v.langsOK {
		v.add(member(p, "known_issues"), "must list what is not accessible, in the default language %q at least: a site that is not fully compliant says where it falls short", v.defaultLang)
	}
	v.textList(member(p, "out_of_scope"), a.OutOfScope)
	prepared := v.date(member(p, "prepared_on"), a.PreparedOn, true)
	reviewed := v.date(member(p, "reviewed_on"), a.ReviewedOn, false)
	if !prepared.IsZero() && !reviewed.IsZero() && reviewed.Before(prepared) {
		v.add(member(p, "reviewed_on"), "%s is before prepared_on (%s); a statement is reviewed after it is prepared", a.ReviewedOn, a.PreparedOn)
	}
	v.oneOf(member(p, "assessment"), a.Assessment, []string{AssessmentSelf, AssessmentThirdParty})
	v.email(member(p, "email"), a.Email, "where people report accessibility problems")
	v.text(member(p, "enforcement"), a.Enforcement, true)
}

func (v *validator) email(path, addr, what string) {
	if a, err := mail.ParseAddress(addr); err != nil || a.Address != addr {
		v.add(path, "must be an email address, %s, like \"dpo@council.example\", not %q", what, addr)
	}
}

func (v *validator) website(path, s string) {
	if u, err := url.Parse(s); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || strings.ContainsAny(s, " \t\n") {
		v.add(path, "must be a web address starting with https://, like \"https://www.aepd.es\", not %q", s)
	}
}

// date checks a YYYY-MM-DD date and returns it, or the zero time.
func (v *validator) date(path, s string, required bool) time.Time {
	if s == "" {
		if required {
			v.add(path, "is missing; give the date as YYYY-MM-DD, like \"2026-09-30\"")
		}
		return time.Time{}
	}
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		v.add(path, "must be a date written YYYY-MM-DD, like \"2026-09-30\", not %q", s)
		return time.Time{}
	}
	return d
}
