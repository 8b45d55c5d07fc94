package mail

import (
	"context"
	"strings"
	"testing"

	"sportello/notify"
)

// A report's reporter is sent to their report in the account; someone who
// added theirs to it reads its reference instead, since the report is not
// theirs to open, and is told why they got the mail.
func TestReportStatusForReporterAndSupporter(t *testing.T) {
	ctx := context.Background()
	for _, c := range []struct {
		role      string
		want, not []string
	}{
		{"reporter", []string{"There is news about the problem you reported.", "/account/applications/" + ref, "Our team has fixed it."},
			[]string{"The report's reference is"}},
		{"supporter", []string{"you added your report to this one", "The report's reference is " + ref, "or added your report to it"},
			[]string{"/account/applications/"}},
	} {
		n := notify.Notification{ID: 7, Kind: notify.ReportStatus, Key: "report:" + ref + ":1", PersonID: personID, Data: map[string]string{
			"ref": ref, "service": "report-a-pothole", "status": "fixed", "note": "Filled and sealed.", "role": c.role}}
		m, err := fixture.r.Render(ctx, n, recipient("en"))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(m.Subject, "Report "+ref+": Fixed") {
			t.Errorf("%s: subject %q", c.role, m.Subject)
		}
		for _, w := range c.want {
			if !strings.Contains(m.Text, w) {
				t.Errorf("%s: the mail lacks %q:\n%s", c.role, w, m.Text)
			}
		}
		for _, w := range c.not {
			if strings.Contains(m.Text, w) {
				t.Errorf("%s: the mail holds %q:\n%s", c.role, w, m.Text)
			}
		}
	}
}
