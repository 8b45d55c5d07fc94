package onbehalf

import (
	"net/url"

	"github.com/gofiber/fiber/v2"

	"sportello/acting"
	"sportello/portal/finders"
	"sportello/portal/web"
)

// maxPlanQuery bounds a saved plan's answers.
const maxPlanQuery = 2000

// PlanTargets are the organisations the signed-in person belongs to, where
// the business permit finder offers to save its plan.
func (h *Handler) PlanTargets(c *fiber.Ctx) ([]finders.PlanTarget, error) {
	v := viewer(c)
	if v == nil {
		return nil, nil
	}
	orgs, err := h.acting.Memberships(c.UserContext(), v.PersonID)
	if err != nil {
		return nil, err
	}
	var out []finders.PlanTarget
	for _, m := range orgs {
		out = append(out, finders.PlanTarget{Name: m.Name, Action: organisationURL(m.ID) + "/plans"})
	}
	return out, nil
}

// organisationPlanSave keeps a business permit plan for an organisation
// the person belongs to: POST /account/organisations/{id}/plans, with the
// plan's answers in "query". Anyone else's organisation is a 404.
func (h *Handler) organisationPlanSave(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil || id <= 0 {
		return notFound()
	}
	org, _, ok, err := h.access.Member(c, int64(id))
	if err != nil {
		return err
	}
	if !ok {
		return notFound()
	}
	query := c.FormValue("query")
	q, err := url.ParseQuery(query)
	if err != nil || len(query) > maxPlanQuery || q.Get("what") == "" {
		return web.NewError(fiber.StatusUnprocessableEntity, "acting.error.plan", err)
	}
	q.Del("lang")
	if err := h.acting.SavePlan(c.UserContext(), org.ID, acting.Plan{BusinessType: q.Get("what"), Query: q.Encode(), SavedBy: viewer(c).PersonID}); err != nil {
		return err
	}
	return c.Redirect(organisationURL(org.ID)+"?done=plan_saved", fiber.StatusSeeOther)
}
