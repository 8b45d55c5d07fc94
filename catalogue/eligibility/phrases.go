package eligibility

// phrases are the templates reasons are built from, per language. They are
// read-only.
//
// Keys:
//   - "QUESTION.true", "QUESTION.false": a yes/no answer.
//   - "QUESTION": an integer answer, whatever it was compared with ("you are
//     67" explains age >= 65 and age <= 70 alike).
//   - "QUESTION.OP": an integer answer compared with a fixed limit; OP is
//     lt, le, gt, ge, eq or ne.
//   - "QUESTION.OP.per_OTHER": compared with a limit that depends on another
//     question (monthly_income <= 600 * household_size).
//
// A key may have plural forms KEY#zero and KEY#one, chosen by {{value}} (or
// by {{n}}, OTHER's answer, for a per_ key) and tried before KEY.
//
// Placeholders: {{value}} the answer, {{limit}} the value of the other side,
// {{n}} OTHER's answer, {{city}} the authority's place name, {{currency}},
// {{label}} the question, {{answer}} the answer as shown to the resident.
//
// A question or comparison without a template falls back to "fallback",
// which holds for any catalogue: its questions' labels are translated there.
var phrases = map[string]map[string]string{
	"en": {
		"thousands": ",",
		"because":   "because {{facts}}",
		"and":       " and ",
		"list":      ", ",
		"everyone":  "this service is open to everyone",
		"yes":       "yes",
		"no":        "no",
		"fallback":  "{{label}} {{answer}}",

		"resident.true":  "you live in {{city}}",
		"resident.false": "you do not live in {{city}}",

		"age":      "you are {{value}}",
		"age#zero": "you are under one year old",

		"years_resident":      "you have lived in {{city}} for {{value}} years",
		"years_resident#one":  "you have lived in {{city}} for 1 year",
		"years_resident#zero": "you have lived in {{city}} for less than a year",

		"household_size":     "{{value}} people live in your household",
		"household_size#one": "you live alone",

		"children_under_18":      "{{value}} children under 18 live with you",
		"children_under_18#one":  "1 child under 18 lives with you",
		"children_under_18#zero": "no children under 18 live with you",

		"monthly_income":                           "your household's monthly income is {{value}} {{currency}}",
		"monthly_income.le":                        "your household's monthly income ({{value}} {{currency}}) is at most {{limit}} {{currency}}",
		"monthly_income.lt":                        "your household's monthly income ({{value}} {{currency}}) is below {{limit}} {{currency}}",
		"monthly_income.ge":                        "your household's monthly income ({{value}} {{currency}}) is at least {{limit}} {{currency}}",
		"monthly_income.gt":                        "your household's monthly income ({{value}} {{currency}}) is above {{limit}} {{currency}}",
		"monthly_income.le.per_household_size":     "your household's monthly income ({{value}} {{currency}}) is at most {{limit}} {{currency}} for {{n}} people",
		"monthly_income.le.per_household_size#one": "your household's monthly income ({{value}} {{currency}}) is at most {{limit}} {{currency}} for 1 person",
		"monthly_income.lt.per_household_size":     "your household's monthly income ({{value}} {{currency}}) is below {{limit}} {{currency}} for {{n}} people",
		"monthly_income.lt.per_household_size#one": "your household's monthly income ({{value}} {{currency}}) is below {{limit}} {{currency}} for 1 person",
		"monthly_income.ge.per_household_size":     "your household's monthly income ({{value}} {{currency}}) is at least {{limit}} {{currency}} for {{n}} people",
		"monthly_income.ge.per_household_size#one": "your household's monthly income ({{value}} {{currency}}) is at least {{limit}} {{currency}} for 1 person",
		"monthly_income.gt.per_household_size":     "your household's monthly income ({{value}} {{currency}}) is above {{limit}} {{currency}} for {{n}} people",
		"monthly_income.gt.per_household_size#one": "your household's monthly income ({{value}} {{currency}}) is above {{limit}} {{currency}} for 1 person",

		"disability.true":  "you or someone in your household has a recognised disability",
		"disability.false": "nobody in your household has a recognised disability",
		"unemployed.true":  "you are unemployed",
		"unemployed.false": "you are not unemployed",
		"carer.true":       "you look after someone without being paid",
		"carer.false":      "you do not look after anyone without being paid",
		"student.true":     "you are a full-time student",
		"student.false":    "you are not a full-time student",
		"homeowner.true":   "you own your home",
		"homeowner.false":  "you do not own your home",
		"renting.true":     "you rent your home",
		"renting.false":    "you do not rent your home",
	},
	"es": {
		"thousands": ".",
		"because":   "porque {{facts}}",
		"and":       " y ",
		"list":      ", ",
		"everyone":  "este servicio está abierto a todo el mundo",
		"yes":       "sí",
		"no":        "no",
		"fallback":  "{{label}} {{answer}}",

		"resident.true":  "vive en {{city}}",
		"resident.false": "no vive en {{city}}",

		"age":      "tiene {{value}} años",
		"age#one":  "tiene 1 año",
		"age#zero": "tiene menos de un año",

		"years_resident":      "hace {{value}} años que vive en {{city}}",
		"years_resident#one":  "hace 1 año que vive en {{city}}",
		"years_resident#zero": "hace menos de un año que vive en {{city}}",

		"household_size":     "en su hogar viven {{value}} personas",
		"household_size#one": "en su hogar vive una sola persona",

		"children_under_18":      "viven con usted {{value}} menores de 18 años",
		"children_under_18#one":  "vive con usted 1 menor de 18 años",
		"children_under_18#zero": "no vive con usted ningún menor de 18 años",

		"monthly_income":                           "los ingresos mensuales de su hogar son de {{value}} {{currency}}",
		"monthly_income.le":                        "los ingresos mensuales de su hogar ({{value}} {{currency}}) no superan los {{limit}} {{currency}}",
		"monthly_income.lt":                        "los ingresos mensuales de su hogar ({{value}} {{currency}}) son inferiores a {{limit}} {{currency}}",
		"monthly_income.ge":                        "los ingresos mensuales de su hogar ({{value}} {{currency}}) son de al menos {{limit}} {{currency}}",
		"monthly_income.gt":                        "los ingresos mensuales de su hogar ({{value}} {{currency}}) superan los {{limit}} {{currency}}",
		"monthly_income.le.per_household_size":     "los ingresos mensuales de su hogar ({{value}} {{currency}}) no superan los {{limit}} {{currency}} para {{n}} personas",
		"monthly_income.le.per_household_size#one": "los ingresos mensuales de su hogar ({{value}} {{currency}}) no superan los {{limit}} {{currency}} para 1 persona",
		"monthly_income.lt.per_household_size":     "los ingresos mensuales de su hogar ({{value}} {{currency}}) son inferiores a {{limit}} {{currency}} para {{n}} personas",
		"monthly_income.lt.per_household_size#one": "los ingresos mensuales de su hogar ({{value}} {{currency}}) son inferiores a {{limit}} {{currency}} para 1 persona",
		"monthly_income.ge.per_household_size":     "los ingresos mensuales de su hogar ({{value}} {{currency}}) son de al menos {{limit}} {{currency}} para {{n}} personas",
		"monthly_income.ge.per_household_size#one": "los ingresos mensuales de su hogar ({{value}} {{currency}}) son de al menos {{limit}} {{currency}} para 1 persona",
		"monthly_income.gt.per_household_size":     "los ingresos mensuales de su hogar ({{value}} {{currency}}) superan los {{limit}} {{currency}} para {{n}} personas",
		"monthly_income.gt.per_household_size#one": "los ingresos mensuales de su hogar ({{value}} {{currency}}) superan los {{limit}} {{currency}} para 1 persona",

		"disability.true":  "usted o alguien de su hogar tiene una discapacidad reconocida",
		"disability.false": "nadie en su hogar tiene una discapacidad reconocida",
		"unemployed.true":  "está en paro",
		"unemployed.false": "no está en paro",
		"carer.true":       "cuida sin remuneración a alguien",
		"carer.false":      "no cuida sin remuneración a nadie",
		"student.true":     "es estudiante a tiempo completo",
		"student.false":    "no es estudiante a tiempo completo",
		"homeowner.true":   "es propietario de su vivienda",
		"homeowner.false":  "no es propietario de su vivienda",
		"renting.true":     "vive de alquiler",
		"renting.false":    "no vive de alquiler",
	},
	"ca": {
		"thousands": ".",
		"because":   "perquè {{facts}}",
		"and":       " i ",
		"list":      ", ",
		"everyone":  "aquest servei és obert a tothom",
		"yes":       "sí",
		"no":        "no",
		"fallback":  "{{label}} {{answer}}",

		"resident.true":  "viviu a {{city}}",
		"resident.false": "no viviu a {{city}}",

		"age":      "teniu {{value}} anys",
		"age#one":  "teniu 1 any",
		"age#zero": "teniu menys d'un any",

		"years_resident":      "fa {{value}} anys que viviu a {{city}}",
		"years_resident#one":  "fa 1 any que viviu a {{city}}",
		"years_resident#zero": "fa menys d'un any que viviu a {{city}}",

		"household_size":     "a la vostra llar hi viuen {{value}} persones",
		"household_size#one": "a la vostra llar hi viu una sola persona",

		"children_under_18":      "viuen amb vós {{value}} menors de 18 anys",
		"children_under_18#one":  "viu amb vós 1 menor de 18 anys",
		"children_under_18#zero": "no viu amb vós cap menor de 18 anys",

		"monthly_income":                           "els ingressos mensuals de la vostra llar són de {{value}} {{currency}}",
		"monthly_income.le":                        "els ingressos mensuals de la vostra llar ({{value}} {{currency}}) no superen els {{limit}} {{currency}}",
		"monthly_income.lt":                        "els ingressos mensuals de la vostra llar ({{value}} {{currency}}) són inferiors a {{limit}} {{currency}}",
		"monthly_income.ge":                        "els ingressos mensuals de la vostra llar ({{value}} {{currency}}) són d'almenys {{limit}} {{currency}}",
		"monthly_income.gt":                        "els ingressos mensuals de la vostra llar ({{value}} {{currency}}) superen els {{limit}} {{currency}}",
		"monthly_income.le.per_household_size":     "els ingressos mensuals de la vostra llar ({{value}} {{currency}}) no superen els {{limit}} {{currency}} per a {{n}} persones",
		"monthly_income.le.per_household_size#one": "els ingressos mensuals de la vostra llar ({{value}} {{currency}}) no superen els {{limit}} {{currency}} per a 1 persona",
		"monthly_income.lt.per_household_size":     "els ingressos mensuals de la vostra llar ({{value}} {{currency}}) són inferiors a {{limit}} {{currency}} per a {{n}} persones",
		"monthly_income.lt.per_household_size#one": "els ingressos mensuals de la vostra llar ({{value}} {{currency}}) són inferiors a {{limit}} {{currency}} per a 1 persona",
		"monthly_income.ge.per_household_size":     "els ingressos mensuals de la vostra llar ({{value}} {{currency}}) són d'almenys {{limit}} {{currency}} per a {{n}} persones",
		"monthly_income.ge.per_household_size#one": "els ingressos mensuals de la vostra llar ({{value}} {{currency}}) són d'almenys {{limit}} {{currency}} per a 1 persona",
		"monthly_income.gt.per_household_size":     "els ingressos mensuals de la vostra llar ({{value}} {{currency}}) superen els {{limit}} {{currency}} per a {{n}} persones",
		"monthly_income.gt.per_household_size#one": "els ingressos mensuals de la vostra llar ({{value}} {{currency}}) superen els {{limit}} {{currency}} per a 1 persona",

		"disability.true":  "vós o algú de la vostra llar teniu una discapacitat reconeguda",
		"disability.false": "ningú de la vostra llar no té una discapacitat reconeguda",
		"unemployed.true":  "esteu a l'atur",
		"unemployed.false": "no esteu a l'atur",
		"carer.true":       "teniu cura d'algú sense remuneració",
		"carer.false":      "no teniu cura de ningú sense remuneració",
		"student.true":     "sou estudiant a temps complet",
		"student.false":    "no sou estudiant a temps complet",
		"homeowner.true":   "sou propietari del vostre habitatge",
		"homeowner.false":  "no sou propietari del vostre habitatge",
		"renting.true":     "viviu de lloguer",
		"renting.false":    "no viviu de lloguer",
	},
	"it": {
		"thousands": ".",
		"because":   "perché {{facts}}",
		"and":       " e ",
		"list":      ", ",
		"everyone":  "questo servizio è aperto a tutti",
		"yes":       "sì",
		"no":        "no",
		"fallback":  "{{label}} {{answer}}",

		"resident.true":  "vive a {{city}}",
		"resident.false": "non vive a {{city}}",

		"age":      "ha {{value}} anni",
		"age#one":  "ha 1 anno",
		"age#zero": "ha meno di un anno",

		"years_resident":      "vive a {{city}} da {{value}} anni",
		"years_resident#one":  "vive a {{city}} da 1 anno",
		"years_resident#zero": "vive a {{city}} da meno di un anno",

		"household_size":     "il Suo nucleo familiare è di {{value}} persone",
		"household_size#one": "il Suo nucleo familiare è di una sola persona",

		"children_under_18":      "vivono con Lei {{value}} minori di 18 anni",
		"children_under_18#one":  "vive con Lei 1 minore di 18 anni",
		"children_under_18#zero": "con Lei non vivono minori di 18 anni",

		"monthly_income":                           "il reddito mensile del Suo nucleo familiare è di {{value}} {{currency}}",
		"monthly_income.le":                        "il reddito mensile del Suo nucleo familiare ({{value}} {{currency}}) non supera {{limit}} {{currency}}",
		"monthly_income.lt":                        "il reddito mensile del Suo nucleo familiare ({{value}} {{currency}}) è inferiore a {{limit}} {{currency}}",
		"monthly_income.ge":                        "il reddito mensile del Suo nucleo familiare ({{value}} {{currency}}) è di almeno {{limit}} {{currency}}",
		"monthly_income.gt":                        "il reddito mensile del Suo nucleo familiare ({{value}} {{currency}}) supera {{limit}} {{currency}}",
		"monthly_income.le.per_household_size":     "il reddito mensile del Suo nucleo familiare ({{value}} {{currency}}) non supera {{limit}} {{currency}} per {{n}} persone",
		"monthly_income.le.per_household_size#one": "il reddito mensile del Suo nucleo familiare ({{value}} {{currency}}) non supera {{limit}} {{currency}} per 1 persona",
		"monthly_income.lt.per_household_size":     "il reddito mensile del Suo nucleo familiare ({{value}} {{currency}}) è inferiore a {{limit}} {{currency}} per {{n}} persone",
		"monthly_income.lt.per_household_size#one": "il reddito mensile del Suo nucleo familiare ({{value}} {{currency}}) è inferiore a {{limit}} {{currency}} per 1 persona",
		"monthly_income.ge.per_household_size":     "il reddito mensile del Suo nucleo familiare ({{value}} {{currency}}) è di almeno {{limit}} {{currency}} per {{n}} persone",
		"monthly_income.ge.per_household_size#one": "il reddito mensile del Suo nucleo familiare ({{value}} {{currency}}) è di almeno {{limit}} {{currency}} per 1 persona",
		"monthly_income.gt.per_household_size":     "il reddito mensile del Suo nucleo familiare ({{value}} {{currency}}) supera {{limit}} {{currency}} per {{n}} persone",
		"monthly_income.gt.per_household_size#one": "il reddito mensile del Suo nucleo familiare ({{value}} {{currency}}) supera {{limit}} {{currency}} per 1 persona",

		"disability.true":  "Lei o qualcuno del Suo nucleo familiare ha una disabilità riconosciuta",
		"disability.false": "nessuno nel Suo nucleo familiare ha una disabilità riconosciuta",
		"unemployed.true":  "è disoccupato",
		"unemployed.false": "non è disoccupato",
		"carer.true":       "si prende cura di qualcuno senza essere retribuito",
		"carer.false":      "non si prende cura di nessuno senza essere retribuito",
		"student.true":     "è studente a tempo pieno",
		"student.false":    "non è studente a tempo pieno",
		"homeowner.true":   "è proprietario della casa in cui vive",
		"homeowner.false":  "non è proprietario della casa in cui vive",
		"renting.true":     "vive in affitto",
		"renting.false":    "non vive in affitto",
	},
	"fr": {
		"thousands": "\u00a0",
		"because":   "parce que {{facts}}",
		"and":       " et ",
		"list":      ", ",
		"everyone":  "ce service est ouvert à tous",
		"yes":       "oui",
		"no":        "non",
		"fallback":  "{{label}} {{answer}}",

		"resident.true":  "vous habitez à {{city}}",
		"resident.false": "vous n'habitez pas à {{city}}",

		"age":      "vous avez {{value}} ans",
		"age#one":  "vous avez 1 an",
		"age#zero": "vous avez moins d'un an",

		"years_resident":      "vous habitez à {{city}} depuis {{value}} ans",
		"years_resident#one":  "vous habitez à {{city}} depuis 1 an",
		"years_resident#zero": "vous habitez à {{city}} depuis moins d'un an",

		"household_size":     "votre foyer compte {{value}} personnes",
		"household_size#one": "vous vivez seul dans votre foyer",

		"children_under_18":      "{{value}} enfants de moins de 18 ans vivent avec vous",
		"children_under_18#one":  "1 enfant de moins de 18 ans vit avec vous",
		"children_under_18#zero": "aucun enfant de moins de 18 ans ne vit avec vous",

		"monthly_income":                           "le revenu mensuel de votre foyer est de {{value}} {{currency}}",
		"monthly_income.le":                        "le revenu mensuel de votre foyer ({{value}} {{currency}}) ne dépasse pas {{limit}} {{currency}}",
		"monthly_income.lt":                        "le revenu mensuel de votre foyer ({{value}} {{currency}}) est inférieur à {{limit}} {{currency}}",
		"monthly_income.ge":                        "le revenu mensuel de votre foyer ({{value}} {{currency}}) est d'au moins {{limit}} {{currency}}",
		"monthly_income.gt":                        "le revenu mensuel de votre foyer ({{value}} {{currency}}) dépasse {{limit}} {{currency}}",
		"monthly_income.le.per_household_size":     "le revenu mensuel de votre foyer ({{value}} {{currency}}) ne dépasse pas {{limit}} {{currency}} pour {{n}} personnes",
		"monthly_income.le.per_household_size#one": "le revenu mensuel de votre foyer ({{value}} {{currency}}) ne dépasse pas {{limit}} {{currency}} pour 1 personne",
		"monthly_income.lt.per_household_size":     "le revenu mensuel de votre foyer ({{value}} {{currency}}) est inférieur à {{limit}} {{currency}} pour {{n}} personnes",
		"monthly_income.lt.per_household_size#one": "le revenu mensuel de votre foyer ({{value}} {{currency}}) est inférieur à {{limit}} {{currency}} pour 1 personne",
		"monthly_income.ge.per_household_size":     "le revenu mensuel de votre foyer ({{value}} {{currency}}) est d'au moins {{limit}} {{currency}} pour {{n}} personnes",
		"monthly_income.ge.per_household_size#one": "le revenu mensuel de votre foyer ({{value}} {{currency}}) est d'au moins {{limit}} {{currency}} pour 1 personne",
		"monthly_income.gt.per_household_size":     "le revenu mensuel de votre foyer ({{value}} {{currency}}) dépasse {{limit}} {{currency}} pour {{n}} personnes",
		"monthly_income.gt.per_household_size#one": "le revenu mensuel de votre foyer ({{value}} {{currency}}) dépasse {{limit}} {{currency}} pour 1 personne",

		"disability.true":  "vous ou une personne de votre foyer avez un handicap reconnu",
		"disability.false": "personne dans votre foyer n'a de handicap reconnu",
		"unemployed.true":  "vous êtes sans emploi",
		"unemployed.false": "vous n'êtes pas sans emploi",
		"carer.true":       "vous vous occupez de quelqu'un sans être rémunéré",
		"carer.false":      "vous ne vous occupez de personne sans être rémunéré",
		"student.true":     "vous êtes étudiant à temps plein",
		"student.false":    "vous n'êtes pas étudiant à temps plein",
		"homeowner.true":   "vous êtes propriétaire de votre logement",
		"homeowner.false":  "vous n'êtes pas propriétaire de votre logement",
		"renting.true":     "vous êtes locataire de votre logement",
		"renting.false":    "vous n'êtes pas locataire de votre logement",
	},
}

// placePrefixes are how councils' names start, before the place's name:
// "City of Porta Nova" → "Porta Nova", for "you live in {{city}}".
var placePrefixes = []string{
	"City of ", "Town of ", "Borough of ", "Municipality of ", "Village of ",
	"Ayuntamiento de ", "Ajuntament de ", "Ajuntament d'", "Comune di ",
	"Città di ", "Ville de ", "Mairie de ", "Commune de ",
}
