package catalogue

// BusinessType is something a business wants to do ("Open a restaurant,
// café or bar"), as the business permit finder plans it: the yes/no
// questions it asks and, step by step, the council services the business
// needs, some of them only under an answer. The rules are the council's, so
// they live in its catalogue: another council's finder asks its own
// questions about its own services.
type BusinessType struct {
	Slug      string             `json:"slug"`
	Title     Text               `json:"title"`
	Summary   Text               `json:"summary"`
	Questions []BusinessQuestion `json:"questions"`
	Steps     []BusinessStep     `json:"steps"`
}

// BusinessQuestion is one yes/no question of a business type. Its key names
// it in the steps' conditions and in the finder's links
// (?sells_food=yes), so it is never translated.
type BusinessQuestion struct {
	Key  string `json:"key"`
	Text Text   `json:"text"`
}

// BusinessStep is one numbered step of a business's plan. A step without a
// title is titled with the title of its one service.
type BusinessStep struct {
	Title    Text             `json:"title"`
	Services []BusinessPermit `json:"services"`
}

// BusinessPermit is a service a step needs. With If it is needed unless the
// business answers that question no: a business that is not sure yet keeps
// the permit in its plan until it knows.
type BusinessPermit struct {
	Service string `json:"service"`
	If      string `json:"if,omitempty"`
}

// reservedBusinessKeys are the finder's own parameters, which share the
// query string with the answers: a question with one of these keys would
// answer itself.
var reservedBusinessKeys = []string{"what", "lang"}
