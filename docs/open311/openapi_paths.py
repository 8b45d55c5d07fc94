"""Adds the Open311 GeoReport v2 routes to portal/api/openapi.json.

Run from the repository's root after changing the Open311 API:
    python3 docs/open311/openapi_paths.py
It rewrites the Open311 paths and schemas and leaves the rest as it is.
"""
import json

PATH = "portal/api/openapi.json"
SERVERS = [{"url": "/", "description": "The Open311 API is at the site's root, not under /api/v1"}]


def ref(name):
    return {"$ref": "#/components/schemas/" + name}


def content(schema, xml_name):
    return {
        "application/json": {"schema": schema},
        "text/xml": {"schema": dict(schema, xml={"name": xml_name}) if "$ref" not in schema else schema},
    }


def errors(*codes):
    out = {}
    for code in codes:
        out[str(code)] = {
            "description": "The specification's error list: [{code, description}] (XML: <errors><error>)",
            "content": content({"type": "array", "items": ref("Open311Error")}, "errors"),
        }
    return out


FORMAT = {"name": "format", "in": "path", "required": True, "example": "json",
          "description": "json or xml: both carry the same data.",
          "schema": {"type": "string", "enum": ["json", "xml"]}}
JURISDICTION = {"name": "jurisdiction_id", "in": "query", "required": False,
                "description": "This endpoint serves one jurisdiction (SPORTELLO_OPEN311_JURISDICTION, by default the site's host); another is refused with 404.",
                "schema": {"type": "string"}}
LOCALE = {"name": "locale", "in": "query", "required": False,
          "description": "Language of service names, descriptions and form errors: en, es, ca, it or fr (es_ES reads as es). Without it, Accept-Language.",
          "schema": {"type": "string"}}


def op(op_id, summary, params, ok_desc, ok_schema, xml_name, errs, ok="200"):
    return {
        "operationId": op_id,
        "summary": summary,
        "tags": ["Open311 GeoReport v2"],
        "parameters": params,
        "responses": dict({ok: {"description": ok_desc, "content": content(ok_schema, xml_name)}}, **errors(*errs)),
    }


def main():
    with open(PATH) as f:
        doc = json.load(f)
    paths = {k: v for k, v in doc["paths"].items() if not k.startswith("/open311/")}
    schemas = {k: v for k, v in doc["components"]["schemas"].items() if not k.startswith("Open311")}
    array = lambda name: {"type": "array", "items": ref(name)}

    paths["/open311/discovery.{format}"] = {"servers": SERVERS, "get": op(
        "open311Discovery", "Open311 service discovery: where the GeoReport v2 endpoint is and its formats",
        [FORMAT], "The discovery document", ref("Open311Discovery"), "discovery", [404])}
    paths["/open311/v2/discovery.{format}"] = {"servers": SERVERS, "get": op(
        "open311DiscoveryV2", "The same discovery document, under the endpoint",
        [FORMAT], "The discovery document", ref("Open311Discovery"), "discovery", [404])}
    paths["/open311/v2/services.{format}"] = {"servers": SERVERS, "get": op(
        "open311Services", "GeoReport v2 GET services: the services one may report (catalogue kind report with a location field, open without signing in)",
        [FORMAT, JURISDICTION, LOCALE], "The services (XML: <services><service>)", array("Open311Service"), "services", [404])}
    paths["/open311/v2/services/{service_code}.{format}"] = {"servers": SERVERS, "get": op(
        "open311ServiceDefinition", "GeoReport v2 GET service definition: the service's online form questions as attributes",
        [{"name": "service_code", "in": "path", "required": True, "example": "report-a-pothole", "schema": {"type": "string"}},
         FORMAT, JURISDICTION, LOCALE],
        "The definition (XML: <service_definition>)", ref("Open311ServiceDefinition"), "service_definition", [404])}
    list_params = [FORMAT, JURISDICTION, LOCALE]
    for name, desc in [
        ("service_request_id", "Comma-separated ids (at most 100); when given, the other filters are ignored."),
        ("service_code", "Comma-separated service codes."),
        ("start_date", "W3C date and time (RFC 3339, with its time zone): made at or after. Default: 90 days before end_date, or before now."),
        ("end_date", "W3C date and time: made at or before. Default: 90 days after start_date."),
        ("status", "open (open or in progress) or closed (fixed); comma-separated."),
    ]:
        list_params.append({"name": name, "in": "query", "required": False, "description": desc, "schema": {"type": "string"}})
    post_body = {
        "required": True,
        "content": {"application/x-www-form-urlencoded": {"schema": ref("Open311NewRequest")},
                    "multipart/form-data": {"schema": ref("Open311NewRequest")}},
    }
    create = op("open311CreateRequest",
                "GeoReport v2 POST service request: makes a report, with an API key issued at /staff/open311-keys",
                [FORMAT], "Made at once (XML: <service_requests><request>)", array("Open311Created"), "service_requests",
                [400, 403, 404, 429], ok="201")
    create["requestBody"] = post_body
    create["description"] = ("Needs api_key; not CSRF-checked (the key is the proof). Checked as the online form checks its answers: "
                             "lat and long, or address_string, are required; attributes by the service definition's datatypes. "
                             "At most 30 a minute per key by default.")
    paths["/open311/v2/requests.{format}"] = {"servers": SERVERS, "get": op(
        "open311Requests", "GeoReport v2 GET service requests, newest first, at most 1000: nothing personal",
        list_params, "The requests (XML: <service_requests><request>)", array("Open311Request"), "service_requests", [400, 404]),
        "post": create}
    paths["/open311/v2/requests/{service_request_id}.{format}"] = {"servers": SERVERS, "get": op(
        "open311Request", "GeoReport v2 GET service request: one, in a list of one",
        [{"name": "service_request_id", "in": "path", "required": True, "example": "PN-4KX7-9QJM", "schema": {"type": "string"}},
         FORMAT, JURISDICTION, LOCALE],
        "The request", array("Open311Request"), "service_requests", [404])}
    paths["/open311/v2/tokens/{token}.{format}"] = {"servers": SERVERS, "get": op(
        "open311Token", "GeoReport v2 GET service_request_id from a token: the token a POST answered",
        [{"name": "token", "in": "path", "required": True, "example": "kq3Y0cXb8mZ1rWQeV5nL2pT7uJ9aS4dF6gH0jK1lM2n", "schema": {"type": "string"}},
         FORMAT, JURISDICTION],
        "The id", array("Open311Token"), "service_requests", [404])}

    s = lambda: {"type": "string"}
    schemas["Open311Error"] = {"type": "object", "xml": {"name": "error"}, "required": ["code", "description"], "properties": {
        "code": {"type": "integer", "description": "The HTTP status"}, "description": s()}}
    schemas["Open311Service"] = {"type": "object", "xml": {"name": "service"}, "properties": {
        "service_code": s(), "service_name": s(), "description": s(), "metadata": {"type": "boolean"},
        "type": {"type": "string", "enum": ["realtime", "batch", "blackbox"]}, "keywords": s(), "group": s()}}
    schemas["Open311Attribute"] = {"type": "object", "xml": {"name": "attribute"}, "properties": {
        "variable": {"type": "boolean"}, "code": s(),
        "datatype": {"type": "string", "enum": ["string", "number", "datetime", "text", "singlevaluelist", "multivaluelist"]},
        "required": {"type": "boolean"}, "datatype_description": s(), "order": {"type": "integer"}, "description": s(),
        "values": {"type": "array", "xml": {"wrapped": True}, "items": {"type": "object", "xml": {"name": "value"},
                                                                          "properties": {"key": s(), "name": s()}}}}}
    schemas["Open311ServiceDefinition"] = {"type": "object", "xml": {"name": "service_definition"}, "properties": {
        "service_code": s(), "attributes": {"type": "array", "xml": {"wrapped": True}, "items": ref("Open311Attribute")}}}
    schemas["Open311NewRequest"] = {"type": "object", "required": ["api_key", "service_code"], "properties": {
        "api_key": s(), "jurisdiction_id": s(), "service_code": s(),
        "lat": {"type": "number"}, "long": {"type": "number"},
        "address_string": {"type": "string", "description": "The street and the nearest number or a landmark."},
        "address_id": {"type": "string", "description": "Not used by this endpoint: send lat and long or address_string."},
        "email": s(), "device_id": s(), "account_id": s(), "first_name": s(), "last_name": s(), "phone": s(),
        "description": s(), "media_url": {"type": "string", "description": "Checked to be an http(s) address; not fetched."},
        "locale": s(),
        "attribute[code]": {"type": "string", "description": "One per attribute of the service definition; attribute[code][] repeated for a multivaluelist."}}}
    schemas["Open311Created"] = {"type": "object", "xml": {"name": "request"}, "properties": {
        "service_request_id": s(), "token": s(), "service_notice": s(), "account_id": s()}}
    schemas["Open311Request"] = {"type": "object", "xml": {"name": "request"}, "properties": {
        "service_request_id": s(), "status": {"type": "string", "enum": ["open", "closed"]}, "status_notes": s(),
        "service_name": s(), "service_code": s(),
        "description": {"type": "string", "description": "As the reporter wrote it, e-mail addresses and phone numbers masked."},
        "agency_responsible": s(), "service_notice": s(),
        "requested_datetime": {"type": "string", "format": "date-time"}, "updated_datetime": {"type": "string", "format": "date-time"},
        "expected_datetime": {"type": "string", "description": "The end of the day the council aims to deal with it by; empty when the service sets none."},
        "address": s(), "address_id": s(), "zipcode": s(),
        "lat": {"type": "number", "description": "Absent for a report placed by its address alone"}, "long": {"type": "number"},
        "media_url": {"type": "string", "description": "Always empty: photos sent with reports are not published."}}}
    schemas["Open311Token"] = {"type": "object", "xml": {"name": "request"}, "properties": {"service_request_id": s(), "token": s()}}
    schemas["Open311Discovery"] = {"type": "object", "xml": {"name": "discovery"}, "properties": {
        "changeset": s(), "contact": s(), "key_service": s(),
        "endpoints": {"type": "array", "xml": {"wrapped": True}, "items": {"type": "object", "xml": {"name": "endpoint"}, "properties": {
            "specification": s(), "url": s(), "changeset": s(), "type": s(),
            "formats": {"type": "array", "xml": {"wrapped": True}, "items": {"type": "string", "xml": {"name": "format"}}}}}}}}

    doc["paths"] = paths
    doc["components"]["schemas"] = schemas
    with open(PATH, "w") as f:
        f.write(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
