package catalogue

// What the council tells people by law, kept in the catalogue so that the
// council's own editors keep it right: the privacy notice's parts (each
// service's Privacy, the council's CouncilPrivacy) and the accessibility
// statement (Accessibility). The portal writes the pages around them
// (/privacy, /accessibility) in every language; the retention job deletes
// what a service's Privacy says to keep no longer.

// Privacy is what a service's online form does with the personal data it
// collects, for the privacy notice, and how long a closed application is
// kept before the retention job anonymises it.
type Privacy struct {
	// Purpose says what the data is used for, in plain words ("To arrange
	// the collection and tell you when it is done").
	Purpose Text `json:"purpose"`
	// LegalBasis is the basis of GDPR article 6(1) the processing rests on,
	// one of LegalBases. The law that gives the council the task is the
	// service's own legal_basis text.
	LegalBasis string `json:"legal_basis"`
	// RetentionDays is how long an application is kept once it is closed
	// (approved, paid, rejected or withdrawn), counted from the day it
	// closed.
	RetentionDays int `json:"retention_days"`
	// SharedWith names who outside the council receives the data and why;
	// nil when nobody does.
	SharedWith Text `json:"shared_with,omitempty"`
	// Data lists the personal data collected, when the form's field labels
	// do not say it well; nil lists the labels.
	Data TextList `json:"data,omitempty"`
}

// Legal bases of GDPR article 6(1), as Privacy.LegalBasis names them.
// Legitimate interests (6(1)(f)) is not among them: a public authority may
// not rely on it for its tasks (the paragraph's last sentence).
const (
	BasisConsent         = "consent"          // (a)
	BasisContract        = "contract"         // (b)
	BasisLegalObligation = "legal_obligation" // (c)
	BasisVitalInterests  = "vital_interests"  // (d)
	BasisPublicTask      = "public_task"      // (e)
)

// LegalBases lists every legal basis a service may name, in the article's
// order.
var LegalBases = []string{BasisConsent, BasisContract, BasisLegalObligation, BasisVitalInterests, BasisPublicTask}

// MaxRetentionDays bounds Privacy.RetentionDays: a hundred years, as
// renewals.
const MaxRetentionDays = MaxValidForDays

// CouncilPrivacy is the council-wide part of the privacy notice: who to ask
// about personal data, where to complain, and what is kept beyond a
// service's retention.
type CouncilPrivacy struct {
	// DPOEmail reaches the council's data protection officer.
	DPOEmail string `json:"dpo_email"`
	// DPOAddress is the officer's postal address; "" leaves it out.
	DPOAddress string `json:"dpo_address,omitempty"`
	// Supervisor is the data protection authority people may complain to.
	Supervisor Supervisor `json:"supervisory_authority"`
	// PaymentRecords says how long the records of payments are kept, and
	// why, since they outlive the applications they paid for.
	PaymentRecords Text `json:"payment_records"`
}

// Supervisor is a data protection supervisory authority.
type Supervisor struct {
	Name    Text   `json:"name"`
	Website string `json:"website"`
}

// Accessibility is what the site's accessibility statement says that only
// the council can: how far the site meets WCAG 2.1 AA, what does not, how
// it was checked, whom to tell, and the enforcement procedure of its
// country. The statement's other words are the portal's.
type Accessibility struct {
	// Status is one of AccessibilityStatuses.
	Status string `json:"status"`
	// KnownIssues are the content that is not accessible, and why, in
	// plain words; required unless Status is "full".
	KnownIssues TextList `json:"known_issues"`
	// OutOfScope is content the law does not cover (third parties' pages,
	// old documents); nil when none.
	OutOfScope TextList `json:"out_of_scope,omitempty"`
	// PreparedOn and ReviewedOn are dates, YYYY-MM-DD; ReviewedOn may be
	// "".
	PreparedOn string `json:"prepared_on"`
	ReviewedOn string `json:"reviewed_on,omitempty"`
	// Assessment is how the site was checked: "self" or "third_party".
	Assessment string `json:"assessment"`
	// Email receives reports of accessibility problems and requests for
	// content in another format.
	Email string `json:"email"`
	// Enforcement is what someone can do when the council's answer does
	// not satisfy them: the procedure of the council's country.
	Enforcement Text `json:"enforcement"`
}

// How far a site meets the standard, in the words of the EU's model
// accessibility statement.
const (
	AccessibilityFull    = "full"
	AccessibilityPartial = "partial"
	AccessibilityNone    = "none"
)

// AccessibilityStatuses lists every status.
var AccessibilityStatuses = []string{AccessibilityFull, AccessibilityPartial, AccessibilityNone}

// Ways an accessibility statement's site was checked.
const (
	AssessmentSelf       = "self"
	AssessmentThirdParty = "third_party"
)
