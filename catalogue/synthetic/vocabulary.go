package synthetic

import "sportello/catalogue"

// t5 builds a text in the five languages, in the order en, es, ca, it, fr.
func t5(en, es, ca, it, fr string) catalogue.Text {
	return catalogue.Text{"en": en, "es": es, "ca": ca, "it": it, "fr": fr}
}

// actions start a service title ("Apply for" + object).
var actions = []catalogue.Text{
	t5("Apply for", "Solicitar", "Sol·licitar", "Richiedere", "Demander"),
	t5("Renew", "Renovar", "Renovar", "Rinnovare", "Renouveler"),
	t5("Book", "Reservar", "Reservar", "Prenotare", "Réserver"),
	t5("Register", "Registrar", "Registrar", "Registrare", "Enregistrer"),
	t5("Pay for", "Pagar", "Pagar", "Pagare", "Payer"),
	t5("Cancel", "Cancelar", "Cancel·lar", "Annullare", "Annuler"),
	t5("Change the details of", "Modificar los datos de", "Modificar les dades de", "Modificare i dati di", "Modifier les données de"),
	t5("Request a copy of", "Pedir una copia de", "Demanar una còpia de", "Chiedere una copia di", "Demander une copie de"),
	t5("Appeal a decision on", "Recurrir una decisión sobre", "Recórrer una decisió sobre", "Fare ricorso su", "Contester une décision sur"),
	t5("Report a problem with", "Avisar de un problema con", "Avisar d'un problema amb", "Segnalare un problema con", "Signaler un problème avec"),
}

// qualifiers vary the object ("a temporary" + object).
var qualifiers = []catalogue.Text{
	t5("", "", "", "", ""),
	t5("temporary", "temporal", "temporal", "temporaneo", "temporaire"),
	t5("annual", "anual", "anual", "annuale", "annuel"),
	t5("emergency", "de emergencia", "d'emergència", "di emergenza", "d'urgence"),
	t5("community", "comunitario", "comunitari", "comunitario", "communautaire"),
	t5("seasonal", "de temporada", "de temporada", "stagionale", "saisonnier"),
	t5("youth", "juvenil", "juvenil", "giovanile", "jeunesse"),
	t5("senior", "para mayores", "per a gent gran", "per anziani", "senior"),
	t5("night-time", "nocturno", "nocturn", "notturno", "de nuit"),
	t5("shared", "compartido", "compartit", "condiviso", "partagé"),
}

// objects are what services are about, by topic slug of the demo catalogue.
var objects = map[string][]catalogue.Text{
	"waste-recycling": {
		t5("bin collection", "recogida de basura", "recollida d'escombraries", "raccolta dei rifiuti", "collecte des ordures"),
		t5("recycling container", "contenedor de reciclaje", "contenidor de reciclatge", "contenitore per il riciclo", "bac de recyclage"),
		t5("bulky waste pickup", "recogida de voluminosos", "recollida de voluminosos", "ritiro di ingombranti", "enlèvement des encombrants"),
		t5("compost bin", "compostador", "compostador", "compostiera", "composteur"),
	},
	"parking-transport": {
		t5("parking permit", "permiso de aparcamiento", "permís d'aparcament", "permesso di sosta", "permis de stationnement"),
		t5("bus pass", "abono de autobús", "abonament d'autobús", "abbonamento dell'autobus", "carte de bus"),
		t5("bicycle parking space", "aparcamiento de bicicletas", "aparcament de bicicletes", "posto bici", "place de stationnement vélo"),
		t5("loading bay", "zona de carga y descarga", "zona de càrrega i descàrrega", "area di carico e scarico", "aire de livraison"),
	},
	"local-taxes": {
		t5("property tax bill", "recibo del IBI", "rebut de l'IBI", "bolletta dell'IMU", "avis de taxe foncière"),
		t5("tax discount", "bonificación fiscal", "bonificació fiscal", "agevolazione fiscale", "réduction d'impôt"),
		t5("vehicle tax", "impuesto de vehículos", "impost de vehicles", "bollo auto", "taxe sur les véhicules"),
		t5("business rates", "impuesto de actividades económicas", "impost d'activitats econòmiques", "tassa sulle attività", "cotisation foncière des entreprises"),
	},
	"benefits-support": {
		t5("hardship payment", "ayuda económica", "ajut econòmic", "contributo economico", "aide financière"),
		t5("home care visit", "visita de ayuda a domicilio", "visita d'ajuda a domicili", "assistenza domiciliare", "aide à domicile"),
		t5("food voucher", "vale de alimentos", "val d'aliments", "buono alimentare", "bon alimentaire"),
		t5("energy bill support", "ayuda para la factura de la luz", "ajut per a la factura de la llum", "bonus bollette", "chèque énergie"),
	},
	"housing": {
		t5("social housing place", "vivienda social", "habitatge social", "alloggio popolare", "logement social"),
		t5("rent deposit", "fianza de alquiler", "fiança de lloguer", "deposito cauzionale", "dépôt de garantie"),
		t5("home repair grant", "ayuda para reformas", "ajut per a reformes", "contributo per riparazioni", "aide à la rénovation"),
		t5("landlord licence", "licencia de arrendador", "llicència d'arrendador", "licenza per locatori", "licence de bailleur"),
	},
	"planning-building": {
		t5("building permit", "licencia de obras", "llicència d'obres", "permesso di costruire", "permis de construire"),
		t5("extension plan", "proyecto de ampliación", "projecte d'ampliació", "progetto di ampliamento", "projet d'extension"),
		t5("scaffolding licence", "licencia de andamio", "llicència de bastida", "licenza per ponteggi", "autorisation d'échafaudage"),
		t5("demolition notice", "aviso de demolición", "avís de demolició", "avviso di demolizione", "avis de démolition"),
	},
	"business-licensing": {
		t5("shop opening licence", "licencia de apertura", "llicència d'obertura", "licenza di apertura", "licence d'ouverture"),
		t5("market stall", "puesto de mercado", "parada de mercat", "banco al mercato", "étal de marché"),
		t5("terrace permit", "permiso de terraza", "permís de terrassa", "permesso per dehors", "autorisation de terrasse"),
		t5("food business registration", "registro sanitario", "registre sanitari", "registrazione alimentare", "déclaration d'activité alimentaire"),
	},
	"registration-certificates": {
		t5("residence certificate", "certificado de empadronamiento", "certificat d'empadronament", "certificato di residenza", "certificat de résidence"),
		t5("birth record", "partida de nacimiento", "partida de naixement", "atto di nascita", "acte de naissance"),
		t5("marriage certificate", "certificado de matrimonio", "certificat de matrimoni", "certificato di matrimonio", "acte de mariage"),
		t5("burial plot", "nicho", "nínxol", "loculo", "concession funéraire"),
	},
	"education-children": {
		t5("school place", "plaza escolar", "plaça escolar", "posto a scuola", "place à l'école"),
		t5("nursery place", "plaza de guardería", "plaça de llar d'infants", "posto al nido", "place en crèche"),
		t5("summer camp", "campamento de verano", "casal d'estiu", "centro estivo", "colonie de vacances"),
		t5("study grant", "beca de estudios", "beca d'estudis", "borsa di studio", "bourse d'études"),
	},
	"culture-leisure-sport": {
		t5("sports centre membership", "abono del polideportivo", "abonament del poliesportiu", "abbonamento alla palestra", "abonnement au centre sportif"),
		t5("tennis court", "pista de tenis", "pista de tennis", "campo da tennis", "court de tennis"),
		t5("community hall", "sala municipal", "sala municipal", "sala civica", "salle municipale"),
		t5("library card", "carné de biblioteca", "carnet de biblioteca", "tessera della biblioteca", "carte de bibliothèque"),
	},
	"environment-animals": {
		t5("dog registration", "censo canino", "cens caní", "anagrafe canina", "enregistrement du chien"),
		t5("pest control visit", "visita de control de plagas", "visita de control de plagues", "disinfestazione", "dératisation"),
		t5("noise complaint", "denuncia por ruido", "denúncia per soroll", "segnalazione di rumore", "plainte pour bruit"),
		t5("street tree", "árbol de la calle", "arbre del carrer", "albero stradale", "arbre d'alignement"),
	},
	"roads-streets-safety": {
		t5("pothole repair", "reparación de baches", "reparació de sots", "riparazione di buche", "réparation de nid-de-poule"),
		t5("street light", "farola", "fanal", "lampione", "lampadaire"),
		t5("road closure", "corte de calle", "tall de carrer", "chiusura stradale", "fermeture de rue"),
		t5("dropped kerb", "vado", "gual", "passo carrabile", "bateau de trottoir"),
	},
	"council-democracy": {
		t5("complaint", "queja", "queixa", "reclamo", "réclamation"),
		t5("petition", "petición", "petició", "petizione", "pétition"),
		t5("information request", "solicitud de información", "sol·licitud d'informació", "richiesta di accesso agli atti", "demande d'information"),
		t5("appointment at the citizen desk", "cita en la oficina de atención ciudadana", "cita a l'oficina d'atenció ciutadana", "appuntamento allo sportello", "rendez-vous au guichet"),
	},
}

// Short texts every service has, in the five languages.
var (
	eligibility = t5(
		"Anyone who lives or runs a business in Porta Nova.",
		"Cualquier persona que viva o tenga un negocio en Porta Nova.",
		"Qualsevol persona que visqui o tingui un negoci a Porta Nova.",
		"Chiunque viva o abbia un'attività a Porta Nova.",
		"Toute personne qui habite ou exerce une activité à Porta Nova.")
	legalBasis = t5(
		"Municipal Services Ordinance 2021",
		"Ordenanza de Servicios Municipales de 2021",
		"Ordenança de Serveis Municipals de 2021",
		"Regolamento dei servizi comunali 2021",
		"Règlement des services municipaux de 2021")
	output = t5(
		"A decision by email",
		"Una resolución por correo electrónico",
		"Una resolució per correu electrònic",
		"Una decisione via email",
		"Une décision par courriel")
	documents = []catalogue.Text{
		t5("Proof of identity", "Documento de identidad", "Document d'identitat", "Documento d'identità", "Pièce d'identité"),
		t5("Proof of address", "Justificante de domicilio", "Justificant de domicili", "Prova di residenza", "Justificatif de domicile"),
	}
	steps = []catalogue.Text{
		t5("Check that you can apply", "Compruebe que puede solicitarlo", "Comproveu que ho podeu sol·licitar", "Verifica di poter fare domanda", "Vérifiez que vous pouvez faire la demande"),
		t5("Fill in the form", "Rellene el formulario", "Ompliu el formulari", "Compila il modulo", "Remplissez le formulaire"),
		t5("We reply within 10 working days", "Respondemos en 10 días laborables", "Responem en 10 dies feiners", "Rispondiamo entro 10 giorni lavorativi", "Nous répondons sous 10 jours ouvrés"),
	}
	feeUnit = t5("per application", "por solicitud", "per sol·licitud", "per domanda", "par demande")
	fields  = []struct {
		name, typ string
		label     catalogue.Text
	}{
		{"full_name", "text", t5("Your full name", "Su nombre completo", "El vostre nom complet", "Nome e cognome", "Vos nom et prénom")},
		{"email", "email", t5("Email address", "Correo electrónico", "Correu electrònic", "Indirizzo email", "Adresse électronique")},
		{"address", "address", t5("Address", "Dirección", "Adreça", "Indirizzo", "Adresse")},
		{"details", "textarea", t5("Tell us more", "Cuéntenos más", "Expliqueu-nos-ho", "Raccontaci di più", "Dites-nous en plus")},
	}
)
