#!/usr/bin/env python3
"""An independent Open311 GeoReport v2 client that checks a server against
the specification (http://wiki.open311.org/GeoReport_v2 and
http://wiki.open311.org/Service_discovery).

    python3 docs/open311/check.py BASE_URL API_KEY [LAT LONG]

BASE_URL is the site ("http://localhost:8080"); the endpoint is found
through BASE_URL/open311/discovery.json, as a client would. API_KEY is a key
issued at /staff/open311-keys. LAT LONG is a place inside the council's
area (default the demo's, 41.2190 1.7260).

It uses the standard library only and knows nothing of Sportello's code:
what it expects comes from the specification's text. It sends real service
requests. Exit status 0 when every check passed, 1 otherwise.
"""
import datetime
import json
import sys
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET

SPEC = "http://wiki.open311.org/GeoReport_v2"
SERVICE_FIELDS = ["service_code", "service_name", "description", "metadata", "type", "keywords", "group"]
ATTRIBUTE_FIELDS = ["variable", "code", "datatype", "required", "datatype_description", "order", "description"]
DATATYPES = {"string", "number", "datetime", "text", "singlevaluelist", "multivaluelist"}
REQUEST_FIELDS = ["service_request_id", "status", "status_notes", "service_name", "service_code", "description",
                  "agency_responsible", "service_notice", "requested_datetime", "updated_datetime",
                  "expected_datetime", "address", "address_id", "zipcode", "lat", "long", "media_url"]

failures = []
passed = 0


def check(ok, what):
    global passed
    if ok:
        passed += 1
    else:
        failures.append(what)
        print("FAIL:", what, file=sys.stderr)
    return ok


def call(method, url, params=None):
    """Returns (status, content type, body as text)."""
    data = None
    if params is not None and method == "GET":
        url += "?" + urllib.parse.urlencode(params, doseq=True)
    elif params is not None:
        data = urllib.parse.urlencode(params, doseq=True).encode("utf-8")
    req = urllib.request.Request(url, data=data, method=method)
    if data is not None:
        req.add_header("Content-Type", "application/x-www-form-urlencoded")
    try:
        with urllib.request.urlopen(req, timeout=30) as res:
            return res.status, res.headers.get("Content-Type", ""), res.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Content-Type", ""), e.read().decode("utf-8")


def get_json(url, params=None, status=200):
    code, ctype, body = call("GET", url, params)
    check(code == status, "GET %s %s: status %d, want %d: %s" % (url, params or "", code, status, body[:300]))
    check("json" in ctype, "GET %s: Content-Type %r is not JSON" % (url, ctype))
    return json.loads(body)


def get_xml(url, params=None, status=200):
    code, ctype, body = call("GET", url, params)
    check(code == status, "GET %s: status %d, want %d" % (url, code, status))
    check("xml" in ctype, "GET %s: Content-Type %r is not XML" % (url, ctype))
    check(body.startswith('<?xml version="1.0" encoding="UTF-8"?>'), "GET %s: no XML declaration with UTF-8" % url)
    return ET.fromstring(body.encode("utf-8"))


def check_errors(code, ctype, body, status, what):
    """The specification's error format: a list of {code, description}."""
    check(code == status, "%s: status %d, want %d: %s" % (what, code, status, body[:300]))
    if "xml" in ctype:
        root = ET.fromstring(body.encode("utf-8"))
        errs = [{"code": e.findtext("code"), "description": e.findtext("description")} for e in root.findall("error")]
        check(root.tag == "errors" and errs, "%s: not <errors><error>: %s" % (what, body[:300]))
    else:
        errs = json.loads(body)
        check(isinstance(errs, list) and errs, "%s: not a list of errors: %s" % (what, body[:300]))
    for e in errs:
        check(str(e.get("code")) == str(status) and e.get("description"),
              "%s: error %r lacks code %d or a description" % (what, e, status))
    return errs


def w3c(s):
    """A W3C date and time must carry its time zone."""
    try:
        t = datetime.datetime.fromisoformat(s.replace("Z", "+00:00"))
    except ValueError:
        return False
    return t.tzinfo is not None


def answer(attr):
    """A value for an attribute, from its datatype and values."""
    kind = attr["datatype"]
    if kind in ("singlevaluelist", "multivaluelist"):
        return attr["values"][0]["key"]
    if kind == "number":
        return "1"
    if kind == "datetime":
        return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")
    return "Checked by the independent client"


def main(argv):
    if len(argv) not in (3, 5):
        print(__doc__, file=sys.stderr)
        return 2
    base, key = argv[1].rstrip("/"), argv[2]
    lat, lng = (argv[3], argv[4]) if len(argv) == 5 else ("41.2190", "1.7260")

    # Service discovery.
    disc = get_json(base + "/open311/discovery.json")
    for f in ["changeset", "contact", "key_service", "endpoints"]:
        check(f in disc, "discovery lacks %s" % f)
    eps = [e for e in disc.get("endpoints", []) if e.get("specification") == SPEC]
    if not check(eps, "discovery names no %s endpoint" % SPEC):
        return report()
    ep = eps[0]
    check(ep.get("type") in ("production", "test"), "endpoint type %r" % ep.get("type"))
    check("text/xml" in ep.get("formats", []) and "application/json" in ep.get("formats", []),
          "endpoint formats %r lack text/xml or application/json" % ep.get("formats"))
    check(w3c(disc.get("changeset", "")), "discovery changeset %r is not a W3C date and time" % disc.get("changeset"))
    root = get_xml(base + "/open311/discovery.xml")
    check(root.tag == "discovery" and root.find("endpoints/endpoint/url") is not None, "discovery.xml is not <discovery>")
    api = ep["url"].rstrip("/")

    # GET Service List.
    services = get_json(api + "/services.json")
    check(isinstance(services, list) and services, "services.json is not a non-empty list")
    for s in services:
        for f in SERVICE_FIELDS:
            check(f in s, "service %s lacks %s" % (s.get("service_code"), f))
        check(s.get("type") in ("realtime", "batch", "blackbox"), "service %s type %r" % (s.get("service_code"), s.get("type")))
        check(isinstance(s.get("metadata"), bool), "service %s metadata is not true/false" % s.get("service_code"))
    root = get_xml(api + "/services.xml")
    check(root.tag == "services", "services.xml root is %s" % root.tag)
    codes_xml = [e.findtext("service_code") for e in root.findall("service")]
    check(codes_xml == [s["service_code"] for s in services], "services.xml and services.json differ")

    # GET Service Definition of a service with metadata.
    withmeta = [s for s in services if s["metadata"] is True]
    if not check(withmeta, "no service has metadata: nothing to define"):
        return report()
    service = withmeta[0]["service_code"]
    definition = get_json(api + "/services/%s.json" % urllib.parse.quote(service))
    check(definition.get("service_code") == service, "definition of %s names %r" % (service, definition.get("service_code")))
    attrs = definition.get("attributes", [])
    check(attrs, "definition of %s has no attributes but metadata is true" % service)
    for a in attrs:
        for f in ATTRIBUTE_FIELDS:
            check(f in a, "attribute %s lacks %s" % (a.get("code"), f))
        check(a.get("datatype") in DATATYPES, "attribute %s datatype %r" % (a.get("code"), a.get("datatype")))
        check(isinstance(a.get("order"), int), "attribute %s order is not a number" % a.get("code"))
        if a.get("datatype") in ("singlevaluelist", "multivaluelist"):
            check(a.get("values") and all("key" in v and "name" in v for v in a["values"]),
                  "list attribute %s has no values with key and name" % a.get("code"))
    root = get_xml(api + "/services/%s.xml" % urllib.parse.quote(service))
    check(root.tag == "service_definition" and len(root.findall("attributes/attribute")) == len(attrs),
          "the XML definition of %s differs from the JSON one" % service)
    code, ctype, body = call("GET", api + "/services/no-such-service-here.json")
    check_errors(code, ctype, body, 404, "definition of an unknown service")

    # POST Service Request.
    personal = {"email": "checker@example.org", "first_name": "Independent", "last_name": "Checkerson",
                "phone": "+34 600 999 888"}
    params = {"api_key": key, "service_code": service, "lat": lat, "long": lng,
              "description": "Pothole found by the independent client"}
    params.update(personal)
    for a in attrs:
        if a["required"]:
            name = "attribute[%s]" % a["code"]
            if a["datatype"] == "multivaluelist":
                name += "[]"
            params[name] = answer(a)
    code, ctype, body = call("POST", api + "/requests.json", params)
    check(code in (200, 201), "POST requests.json: status %d: %s" % (code, body[:500]))
    created = json.loads(body) if code in (200, 201) else []
    check(isinstance(created, list) and len(created) == 1, "POST answer is not a list of one: %s" % body[:300])
    if not created:
        return report()
    rid = created[0].get("service_request_id")
    token = created[0].get("token")
    check(rid or token, "POST answer has neither service_request_id nor token")
    if token:
        found = get_json(api + "/tokens/%s.json" % urllib.parse.quote(token))
        check(found and found[0].get("token") == token, "tokens/%s.json does not give the token back" % token)
        if found and found[0].get("service_request_id"):
            check(not rid or found[0]["service_request_id"] == rid, "the token names another request")
            rid = found[0]["service_request_id"]
    if not check(rid, "no service_request_id"):
        return report()

    # GET Service Request: public, without personal data.
    got = get_json(api + "/requests/%s.json" % urllib.parse.quote(rid))
    check(isinstance(got, list) and len(got) == 1, "requests/%s.json is not a list of one" % rid)
    req = got[0] if got else {}
    for f in REQUEST_FIELDS:
        if f not in ("lat", "long"):
            check(f in req, "request lacks %s" % f)
    check(req.get("service_request_id") == rid and req.get("service_code") == service, "request %r" % req)
    check(req.get("status") in ("open", "closed"), "status %r is neither open nor closed" % req.get("status"))
    check(w3c(req.get("requested_datetime", "")), "requested_datetime %r" % req.get("requested_datetime"))
    check(abs(float(req.get("lat", 0)) - float(lat)) < 1e-6 and abs(float(req.get("long", 0)) - float(lng)) < 1e-6,
          "lat/long %r,%r, sent %s,%s" % (req.get("lat"), req.get("long"), lat, lng))
    code, _, body = call("GET", api + "/requests/%s.json" % urllib.parse.quote(rid))
    code_x, _, body_x = call("GET", api + "/requests/%s.xml" % urllib.parse.quote(rid))
    code_l, _, body_l = call("GET", api + "/requests.json", {"service_code": service})
    for text in personal.values():
        for what, b in (("JSON", body), ("XML", body_x), ("list", body_l)):
            check(text not in b, "the %s of a request shows %r, which the reporter gave in confidence" % (what, text))
    root = ET.fromstring(body_x.encode("utf-8"))
    check(root.tag == "service_requests" and root.findtext("request/service_request_id") == rid,
          "requests/%s.xml is not <service_requests><request>" % rid)

    # GET Service Requests with filters.
    listed = get_json(api + "/requests.json", {"service_request_id": rid})
    check([r.get("service_request_id") for r in listed] == [rid], "service_request_id filter gives %r" % listed)
    now = datetime.datetime.now(datetime.timezone.utc)
    window = {"service_code": service, "status": "open",
              "start_date": (now - datetime.timedelta(days=1)).isoformat(timespec="seconds"),
              "end_date": (now + datetime.timedelta(days=1)).isoformat(timespec="seconds")}
    check(rid in [r["service_request_id"] for r in get_json(api + "/requests.json", window)],
          "the new request is not among the open ones of the last day")
    check(rid not in [r["service_request_id"] for r in get_json(api + "/requests.json", dict(window, status="closed"))],
          "the new request is among the closed ones")
    old = {"start_date": "2001-01-01T00:00:00Z", "end_date": "2001-02-01T00:00:00Z"}
    check(get_json(api + "/requests.json", old) == [], "requests of 2001 were found")
    root = get_xml(api + "/requests.xml", {"service_request_id": rid})
    check([e.findtext("service_request_id") for e in root.findall("request")] == [rid], "requests.xml filter")
    code, ctype, body = call("GET", api + "/requests.json", {"start_date": "last tuesday"})
    check_errors(code, ctype, body, 400, "a start_date that is not a W3C date")

    # Errors on POST.
    no_key = dict(params)
    del no_key["api_key"]
    code, ctype, body = call("POST", api + "/requests.json", no_key)
    check_errors(code, ctype, body, 403, "POST without api_key")
    code, ctype, body = call("POST", api + "/requests.xml", dict(params, api_key="not-a-key"))
    check_errors(code, ctype, body, 403, "POST (XML) with a wrong api_key")
    nowhere = {k: v for k, v in params.items() if k not in ("lat", "long")}
    code, ctype, body = call("POST", api + "/requests.json", nowhere)
    check_errors(code, ctype, body, 400, "POST without lat/long or address")
    lists = [a for a in attrs if a["required"] and a["datatype"] == "singlevaluelist"]
    if lists:
        bad = dict(params)
        bad["attribute[%s]" % lists[0]["code"]] = "no-such-value-" + lists[0]["values"][0]["key"]
        code, ctype, body = call("POST", api + "/requests.json", bad)
        check_errors(code, ctype, body, 400, "POST with a value not in the list")
    code, ctype, body = call("POST", api + "/requests.json", dict(params, service_code="no-such-service-here"))
    check_errors(code, ctype, body, 404, "POST to an unknown service_code")

    # POST in XML.
    code, ctype, body = call("POST", api + "/requests.xml", params)
    check(code in (200, 201) and "xml" in ctype, "POST requests.xml: status %d %s" % (code, ctype))
    if code in (200, 201):
        root = ET.fromstring(body.encode("utf-8"))
        check(root.tag == "service_requests" and (root.findtext("request/service_request_id") or root.findtext("request/token")),
              "POST requests.xml answer is not <service_requests><request>: %s" % body[:300])
    return report()


def report():
    if failures:
        print("%d checks failed, %d passed" % (len(failures), passed), file=sys.stderr)
        return 1
    print("ok: %d checks passed" % passed)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
