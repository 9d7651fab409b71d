"""Microsoft Graph routes: security incidents (get, list) and JSON batching."""

import base64
import json
import random
import urllib.parse

from flask import Blueprint, current_app, g, request

from . import misbehave, model, wire
from .app import EPOCH_KEY, IN_BATCH_KEY, OUTER_SOCKET_KEY, state
from .data import ALERTS, INCIDENTS, snapshot
from .directory import GRAPH_RESOURCES, INCIDENT_READ_ROLES
from .odata import FilterError, parse_filter

bp = Blueprint("graph", __name__)

VERSION = '<any("v1.0", "beta"):version>'
PAGE_SIZE = 50
MAX_BATCH = 20
GET_OPTIONS = {"$select", "$expand"}
LIST_OPTIONS = GET_OPTIONS | {"$filter", "$top", "$skip", "$count"}
GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000"


class BadQuery(Exception):
    """A query option Graph would reject with 400 BadRequest."""


# -- authentication ---------------------------------------------------------

def _authorize(required_roles=INCIDENT_READ_ROLES):
    """Return an error response, or None when the bearer token may proceed."""
    www = {"WWW-Authenticate": (
        f'Bearer realm="", authorization_uri="{request.host_url}common/oauth2/authorize", '
        f'client_id="{GRAPH_APP_ID}"')}
    scheme, dummy, value = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return wire.graph_error(401, "InvalidAuthenticationToken", "Access token is empty.", www)
    token, problem = state().tokens.lookup(value.strip())
    if problem == "expired":
        return wire.graph_error(401, "InvalidAuthenticationToken",
                                "Lifetime validation failed, the token is expired.", www)
    if problem or token.audience not in GRAPH_RESOURCES:
        # Any cloud's Graph resource is accepted: this endpoint is Graph for every cloud.
        return wire.graph_error(401, "InvalidAuthenticationToken",
                                "Access token validation failure. Invalid audience.", www)
    if required_roles and not set(required_roles) & (set(token.roles) | set(token.scopes)):
        return wire.graph_error(403, "Forbidden", "Missing application roles. API required roles: "
                                + ",".join(required_roles))
    g.token = token
    return None


# -- query options ----------------------------------------------------------

def _options(allowed):
    options = {}
    for key in request.args:
        values = request.args.getlist(key)
        if not key.startswith("$"):
            continue  # custom query options are ignored, as OData says
        if key not in allowed:
            raise BadQuery(f"Query option '{key}' is not allowed on this resource. "
                           f"Allowed: {', '.join(sorted(allowed))}.")
        if len(values) > 1:
            raise BadQuery(f"Query option '{key}' was specified more than once, but it must be "
                           "specified at most once.")
        options[key] = values[0]
    return options


def _select(options, version):
    if "$select" not in options:
        return None
    names = [n.strip() for n in options["$select"].split(",")]
    known = model.properties(version)
    for name in names:
        if name not in known:
            raise BadQuery(f"Could not find a property named '{name}' on type "
                           "'microsoft.graph.security.incident'.")
    return tuple(names)


def _expand(options):
    if "$expand" not in options:
        return False
    for item in (p.strip() for p in options["$expand"].split(",")):
        if item != "alerts":
            if item.startswith("alerts("):
                raise BadQuery("Query options inside $expand are not supported by the emulator.")
            raise BadQuery(f"Could not find a property named '{item}' on type "
                           "'microsoft.graph.security.incident'.")
    return True


def _non_negative(options, key):
    raw = options.get(key)
    if raw is None:
        return None
    if not raw.isdigit():
        raise BadQuery(f"Invalid value '{raw}' for {key} query option found. The {key} query "
                       "option requires a non-negative integer value.")
    return int(raw)


def _count(options):
    raw = options.get("$count")
    if raw is None or raw.lower() == "false":
        return False
    if raw.lower() == "true":
        return True
    raise BadQuery(f"'{raw}' is not a valid count option.")


def _context(version, select, expand, entity):
    shape = list(select or ()) + (["alerts()"] if expand else [])
    url = f"{request.host_url}{version}/$metadata#security/incidents"
    if shape:
        url += "(" + ",".join(shape) + ")"
    return url + ("/$entity" if entity else "")


def _headers(include_unknown):
    headers = {"OData-Version": "4.0"}
    if include_unknown:
        headers["Preference-Applied"] = model.PREFER_UNKNOWN_ENUMS
    return headers


def _bad_request(message):
    return wire.graph_error(400, "BadRequest", message)


# -- incidents --------------------------------------------------------------

@bp.get(f"/{VERSION}/security/incidents/<incident_id>")
def get_incident(version, incident_id):
    denied = _authorize()
    if denied:
        return denied
    try:
        options = _options(GET_OPTIONS)
        select, expand = _select(options, version), _expand(options)
    except BadQuery as exc:
        return _bad_request(str(exc))
    stored = INCIDENTS.get(incident_id)
    if stored is None:
        return wire.graph_error(404, "NotFound", f"Incident with id '{incident_id}' was not found.")
    include = model.wants_unknown_enum_members(request.headers.get("Prefer"))
    record = model.visible_record(stored, include)
    body = {"@odata.context": _context(version, select, expand, entity=True)}
    body.update(model.present(record, version, select, ALERTS[incident_id] if expand else None))
    return wire.json_response(body, headers=_headers(include))


@bp.get(f"/{VERSION}/security/incidents")
def list_incidents(version):
    denied = _authorize()
    if denied:
        return denied
    include = model.wants_unknown_enum_members(request.headers.get("Prefer"))
    try:
        options = _options(LIST_OPTIONS)
        select, expand = _select(options, version), _expand(options)
        top, skip = _non_negative(options, "$top"), _non_negative(options, "$skip") or 0
        count = _count(options)
        records = [model.visible_record(i, include) for i in snapshot()]
        if "$filter" in options:
            try:
                predicate = parse_filter(options["$filter"], model.filter_fields(include),
                                         model.properties("beta"))
            except FilterError as exc:
                raise BadQuery(f"Invalid filter clause: {exc}") from None
            records = [r for r in records if predicate(r)]
    except BadQuery as exc:
        return _bad_request(str(exc))

    # $top is the page size, as on Graph; above the maximum the service pages.
    page_size = PAGE_SIZE if top is None else min(top, PAGE_SIZE)
    start = misbehave.page_start(g.misbehave, skip)
    page = records[start: start + page_size]
    body = {"@odata.context": _context(version, select, expand, entity=False)}
    if count:
        body["@odata.count"] = len(records)
    if page_size and skip + page_size < len(records):
        body["@odata.nextLink"] = _next_link(version, options, skip + page_size)
    if g.misbehave:
        misbehave.list_body(g.misbehave, body, len(records), request.url, _next_link(version, options, 0))
    body["value"] = [model.present(r, version, select, ALERTS[r["id"]] if expand else None) for r in page]
    return wire.json_response(body, headers=_headers(include))


def _next_link(version, options, skip):
    """Absolute link on the host the client used, keeping every option but $skip."""
    params = [(k, v) for k, v in options.items() if k != "$skip"] + [("$skip", str(skip))]
    query = urllib.parse.urlencode(params, quote_via=urllib.parse.quote, safe="$")
    return f"{request.host_url}{version}/security/incidents?{query}"


@bp.get(f"/{VERSION}/<path:rest>")
def unknown_segment(version, rest):
    known = ["security", "incidents", None]  # None: any incident id
    for n, segment in enumerate(rest.split("/")):
        if n >= len(known) or known[n] not in (None, segment):
            return _bad_request(f"Resource not found for the segment '{segment}'.")
    return _bad_request(f"Resource not found for the segment '{rest}'.")


# -- JSON batching ----------------------------------------------------------

@bp.post(f"/{VERSION}/$batch")
def batch(version):
    denied = _authorize(required_roles=None)  # roles are checked per inner request
    if denied:
        return denied
    payload = request.get_json(silent=True)
    requests_ = payload.get("requests") if isinstance(payload, dict) else None
    if not isinstance(requests_, list) or not requests_:
        return _bad_request("Invalid batch payload format: expected {\"requests\": [...]} with at "
                            "least one request.")
    if len(requests_) > MAX_BATCH:
        return _bad_request(f"The batch contains {len(requests_)} requests; a JSON batch can hold at "
                            f"most {MAX_BATCH}.")
    problem = _check_batch(requests_)
    if problem:
        return _bad_request(problem)
    responses = [_dispatch(version, item) for item in requests_]
    if g.misbehave:
        responses = misbehave.batch_answers(g.misbehave, responses)
    # Graph answers in any order; make sure a client that assumes request order fails.
    shuffled = responses[:]
    random.shuffle(shuffled)
    if len(shuffled) > 1 and shuffled == responses:
        shuffled.reverse()
    return wire.json_response({"responses": shuffled})


def _check_batch(items):
    seen = set()
    for n, item in enumerate(items):
        if not isinstance(item, dict):
            return f"Batch request {n} is not a JSON object."
        rid, method, url = item.get("id"), item.get("method"), item.get("url")
        if not isinstance(rid, str) or not rid:
            return f"Batch request {n} needs a non-empty string 'id'."
        if rid in seen:
            return f"Batch request ids must be unique; '{rid}' is used more than once."
        seen.add(rid)
        if not isinstance(method, str) or not method:
            return f"Batch request '{rid}' needs a 'method'."
        if not isinstance(url, str) or not url:
            return f"Batch request '{rid}' needs a 'url'."
        if urllib.parse.urlsplit(url).scheme:
            return (f"Batch request '{rid}' has an absolute url '{url}'; urls must be relative to the "
                    "version root, e.g. /security/incidents/29.")
        if url.lstrip("/").startswith("$batch"):
            return f"Batch request '{rid}': nested $batch requests are not supported."
        headers = item.get("headers", {})
        if not isinstance(headers, dict):
            return f"Batch request '{rid}': 'headers' must be a JSON object."
        depends = item.get("dependsOn", [])
        if not isinstance(depends, list) or any(d not in seen or d == rid for d in depends):
            return f"Batch request '{rid}': dependsOn must list ids of earlier requests."
    return None


def _dispatch(version, item):
    """Run one inner request through the app itself, with the outer token."""
    headers = {k: v for k, v in item.get("headers", {}).items() if k.lower() != "authorization"}
    if request.headers.get("Authorization"):
        headers["Authorization"] = request.headers["Authorization"]
    path = f"/{version}/{item['url'].lstrip('/')}"
    kwargs = {}
    if item.get("body") is not None:
        kwargs["data"] = json.dumps(item["body"])
        headers.setdefault("Content-Type", "application/json")
    app = current_app._get_current_object()
    epoch = g.epoch  # the inner request belongs to the outer one's request log epoch
    # A fresh app context gives the inner request its own `g`; Flask would
    # otherwise reuse (and overwrite) the outer request's.
    environ = {IN_BATCH_KEY: True, EPOCH_KEY: epoch,
               OUTER_SOCKET_KEY: request.environ.get(OUTER_SOCKET_KEY) or request.environ.get("werkzeug.socket")}
    with app.app_context():
        resp = app.test_client().open(path, method=item["method"].upper(), headers=headers,
                                      base_url=request.host_url, environ_base=environ, **kwargs)
    out = {
        "id": item["id"],
        "status": resp.status_code,
        "headers": {k: v for k, v in resp.headers.items() if k.lower() not in ("content-length", "server")},
    }
    raw = resp.get_data()
    if raw:
        try:
            out["body"] = json.loads(raw)
        except ValueError:
            # Graph base64-encodes bodies that are not JSON; a broken JSON body
            # (fault "truncated") is passed on as text so clients see it as-is.
            is_json = "json" in (resp.content_type or "")
            out["body"] = raw.decode("utf-8", "replace") if is_json else base64.b64encode(raw).decode()
    return out
