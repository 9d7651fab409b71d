"""Microsoft Graph routes: get, list, PATCH and comments for every resource of resources.py, and JSON batching.

Every resource is served by the same routes; what differs (path, type, store, roles, page size, write
rules) is its description in resources.py.
"""

import base64
import json
import random
import urllib.parse

from flask import Blueprint, current_app, g, request

from . import data, misbehave, model, wire
from .app import EPOCH_KEY, IN_BATCH_KEY, OUTER_SOCKET_KEY, state
from .directory import GRAPH_RESOURCES, app_by_client_id
from .odata import FilterError, parse_filter
from .resources import RESOURCES
from .writes import BadBody

VERSION = '<any("v1.0", "beta"):version>'
MAX_BATCH = 20
GET_OPTIONS = {"$select", "$expand"}
LIST_OPTIONS = GET_OPTIONS | {"$filter", "$top", "$skip", "$count"}
GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000"


class BadQuery(Exception):
    """A query option Graph would reject with 400 BadRequest."""


# -- authentication ---------------------------------------------------------

def _authorize(required_roles):
    """Return an error response, or None when the bearer token may proceed.

    ``required_roles``: the token needs any one of them; None: no role (a $batch envelope).
    """
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


def _author():
    """Who Graph records as the writer: the app, as 'API-App:<client id>'."""
    name, dummy = app_by_client_id(g.token.client_id)
    return f"API-App:{g.token.client_id}" if name else g.token.subject


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


def _select(resource, options, version):
    if "$select" not in options:
        return None
    names = [n.strip() for n in options["$select"].split(",")]
    known = resource.properties(version)
    for name in names:
        if name not in known:
            raise BadQuery(f"Could not find a property named '{name}' on type '{resource.odata_type}'.")
    return tuple(names)


def _expand(resource, options):
    """The navigation properties asked for, in the order asked (each once)."""
    if "$expand" not in options:
        return ()
    names = []
    for item in (p.strip() for p in options["$expand"].split(",")):
        if item not in resource.navigation:
            if any(item.startswith(name + "(") for name in resource.navigation):
                raise BadQuery("Query options inside $expand are not supported by the emulator.")
            raise BadQuery(f"Could not find a property named '{item}' on type '{resource.odata_type}'.")
        if item not in names:
            names.append(item)
    return tuple(names)


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


def _context(resource, version, select, expand, entity):
    shape = list(select or ()) + [name + "()" for name in expand]
    url = f"{request.host_url}{version}/$metadata#{resource.path}"
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


def _not_found(resource, item_id):
    return wire.graph_error(404, "NotFound", f"{resource.title} with id '{item_id}' was not found.")


def _present(resource, record, version, select, expand):
    expanded = dict((name, resource.navigation[name](record["id"])) for name in expand)
    return resource.present(record, version, select, expanded)


# -- reads ------------------------------------------------------------------

def get_item(resource, version, item_id):
    denied = _authorize(resource.read_roles)
    if denied:
        return denied
    try:
        options = _options(GET_OPTIONS)
        select, expand = _select(resource, options, version), _expand(resource, options)
    except BadQuery as exc:
        return _bad_request(str(exc))
    stored = resource.store.get(item_id)
    if stored is None:
        return _not_found(resource, item_id)
    include = model.wants_unknown_enum_members(request.headers.get("Prefer"))
    record = resource.visible(stored, include)
    body = {"@odata.context": _context(resource, version, select, expand, entity=True)}
    body.update(_present(resource, record, version, select, expand))
    return wire.json_response(body, headers=_headers(include))


def list_items(resource, version):
    denied = _authorize(resource.read_roles)
    if denied:
        return denied
    include = model.wants_unknown_enum_members(request.headers.get("Prefer"))
    try:
        options = _options(LIST_OPTIONS | ({"$skiptoken"} if resource.max_skip is not None else set()))
        select, expand = _select(resource, options, version), _expand(resource, options)
        top, skip = _non_negative(options, "$top"), _skip(resource, options)
        count = _count(options)
        records = [resource.visible(i, include) for i in resource.snapshot()]
        if "$filter" in options:
            try:
                predicate = parse_filter(options["$filter"], resource.filter_fields(include),
                                         resource.properties("beta"))
            except FilterError as exc:
                raise BadQuery(f"Invalid filter clause: {exc}") from None
            records = [r for r in records if predicate(r)]
    except BadQuery as exc:
        return _bad_request(str(exc))

    # $top is the page size, as on Graph; above the maximum the service pages.
    page_size = resource.page_size if top is None else min(top, resource.page_size)
    start = misbehave.page_start(g.misbehave, skip)
    page = records[start: start + page_size]
    body = {"@odata.context": _context(resource, version, select, expand, entity=False)}
    if count:
        body["@odata.count"] = len(records)
    if page_size and skip + page_size < len(records):
        body["@odata.nextLink"] = _next_link(resource, version, options, skip + page_size)
    if g.misbehave:
        misbehave.list_body(g.misbehave, body, len(records), request.url, _next_link(resource, version, options, 0))
    body["value"] = [_present(resource, r, version, select, expand) for r in page]
    return wire.json_response(body, headers=_headers(include))


def _skip(resource, options):
    """Where the page starts: $skip (refused past the resource's maximum), or the $skiptoken of a nextLink."""
    if "$skiptoken" in options:
        token = options["$skiptoken"]
        try:
            return int(base64.urlsafe_b64decode(token.encode()).decode().partition("skip=")[2])
        except (ValueError, UnicodeDecodeError):
            raise BadQuery(f"Invalid $skiptoken '{token}'.") from None
    skip = _non_negative(options, "$skip") or 0
    if resource.max_skip is not None and skip > resource.max_skip:
        raise BadQuery(f"The $skip query option value {skip} exceeds the maximum allowed value of {resource.max_skip}.")
    return skip


def _next_link(resource, version, options, skip):
    """Absolute link on the host the client used, keeping every option but $skip (past the resource's
    $skip maximum the position travels in a $skiptoken, as Graph's links do)."""
    params = [(k, v) for k, v in options.items() if k not in ("$skip", "$skiptoken")]
    if resource.max_skip is not None and skip > resource.max_skip:
        params.append(("$skiptoken", base64.urlsafe_b64encode(f"skip={skip}".encode()).decode()))
    else:
        params.append(("$skip", str(skip)))
    query = urllib.parse.urlencode(params, quote_via=urllib.parse.quote, safe="$")
    return f"{request.host_url}{version}/{resource.path}?{query}"


# -- writes -----------------------------------------------------------------

def update_item(resource, version, item_id):
    denied = _authorize(resource.write_roles)
    if denied:
        return denied
    if resource.store.get(item_id) is None:
        return _not_found(resource, item_id)
    try:
        changes = resource.check_update(request.get_json(silent=True))
    except BadBody as exc:
        return _bad_request(str(exc))
    updated = resource.apply_update(item_id, changes, modified_by=_author())
    if updated is None:
        return _not_found(resource, item_id)
    include = model.wants_unknown_enum_members(request.headers.get("Prefer"))
    body = {"@odata.context": _context(resource, version, None, (), entity=True)}
    body.update(resource.present(resource.visible(updated, include), version, None, {}))
    return wire.json_response(body)


def add_comment(resource, version, item_id):
    """Comments are appended to the item's 'comments' and all of them are answered."""
    denied = _authorize(resource.write_roles)
    if denied:
        return denied
    comment_type = resource.comment_type
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        return _bad_request("The request body must be a JSON object.")
    odata_type = body.get("@odata.type")
    if odata_type is not None and odata_type.lstrip("#") != comment_type:
        return _bad_request(f"Invalid @odata.type '{odata_type}'; expected '#{comment_type}'.")
    unknown = sorted(set(body) - {"@odata.type", "comment"})
    if unknown:
        return _bad_request(f"The property '{unknown[0]}' does not exist on type '{comment_type}'.")
    text = body.get("comment")
    if not isinstance(text, str) or not text.strip():
        return _bad_request("The property 'comment' is required and must be a non-empty string.")
    with data.LOCK:  # read and append as one step: two comments posted together both stay
        stored = resource.store.get(item_id)
        if stored is None:
            return _not_found(resource, item_id)
        comments = list(stored.get("comments") or []) + [{
            "@odata.type": comment_type,
            "comment": text,
            "createdByDisplayName": _author(),
            "createdDateTime": data.now_stamp(),
        }]
        updated = resource.apply_update(item_id, {"comments": comments}, modified_by=_author())
    return wire.json_response({
        "@odata.context": f"{request.host_url}{version}/$metadata#Collection({comment_type})",
        "value": updated["comments"],
    })


# -- routing ----------------------------------------------------------------

def blueprint(resources, name="graph"):
    """The Graph routes for ``resources``: reads, then the unknown-segment answer and $batch, then writes."""
    bp = Blueprint(name, __name__)

    def route(rule, method, view, resource=None):
        handle = (lambda **kwargs: view(resource, **kwargs)) if resource else view
        bp.add_url_rule(rule, f"{view.__name__}:{resource.path}" if resource else view.__name__, handle, methods=[method])

    for resource in resources:
        route(f"/{VERSION}/{resource.path}/<item_id>", "GET", get_item, resource)
        route(f"/{VERSION}/{resource.path}", "GET", list_items, resource)

    def unknown_segment_of(version, rest):
        return unknown_segment(resources, rest)
    route(f"/{VERSION}/<path:rest>", "GET", unknown_segment_of)
    route(f"/{VERSION}/$batch", "POST", batch)
    for resource in resources:
        if resource.check_update:
            route(f"/{VERSION}/{resource.path}/<item_id>", "PATCH", update_item, resource)
        if resource.comment_type:
            route(f"/{VERSION}/{resource.path}/<item_id>/comments", "POST", add_comment, resource)
    return bp


def unknown_segment(resources, rest):
    """Graph names the first segment no resource has; the longest partial match decides which."""
    segments = rest.split("/")
    best = None
    for resource in resources:
        known = resource.path.split("/") + [None]  # None: any id
        for n, segment in enumerate(segments):
            if n >= len(known) or known[n] not in (None, segment):
                best = n if best is None else max(best, n)
                break
    return _bad_request(f"Resource not found for the segment '{rest if best is None else segments[best]}'.")


# -- JSON batching ----------------------------------------------------------

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


bp = blueprint(RESOURCES)
