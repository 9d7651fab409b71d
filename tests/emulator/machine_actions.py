"""Defender for Endpoint machine actions (isolate-machine.md, run-av-scan.md, machineaction.md), as strict as
defender-endpoint-response.md knows them.

POST /api/machines/{id}/<verb> with a case-sensitive PascalCase body answers 201 with a machineAction in
Pending; its status moves over time (read lazily): Pending, InProgress after ``pending_seconds``, then
Succeeded (or Failed for a machine in ``fail``) after ``progress_seconds`` more; a machine in ``offline``
stays Pending. A second request of a family while one of it is Pending or InProgress on that machine gets
400 ActiveRequestAlreadyExists. Each verb needs its own role; reads need Machine.Read.All.
"""

import datetime
import threading
import time
import uuid

from flask import Blueprint, g, request

from . import wire
from .defender import MACHINE_READ_ROLES, MAX_TOP, _error, _integer, authorize, machines_snapshot
from .odata import Field, FilterError, parse_filter

bp = Blueprint("machine_actions", __name__)

# verb -> (type, family, roles, body keys: {key: allowed values or None for text}, required keys)
VERBS = {
    "isolate": ("Isolate", "isolation", ("Machine.Isolate",), {"Comment": None, "IsolationType": ("Full", "Selective", "UnManagedDevice")}, ("Comment",)),
    "unisolate": ("Unisolate", "isolation", ("Machine.Isolate",), {"Comment": None}, ("Comment",)),
    "restrictCodeExecution": ("RestrictCodeExecution", "restriction", ("Machine.RestrictExecution",), {"Comment": None}, ("Comment",)),
    "unrestrictCodeExecution": ("UnrestrictCodeExecution", "restriction", ("Machine.RestrictExecution",), {"Comment": None}, ("Comment",)),
    "runAntiVirusScan": ("RunAntiVirusScan", "scan", ("Machine.Scan",), {"Comment": None, "ScanType": ("Quick", "Full")}, ("Comment", "ScanType")),
    "collectInvestigationPackage": ("CollectInvestigationPackage", "collection", ("Machine.CollectForensics",), {"Comment": None}, ("Comment",)),
}
FAMILY = dict((kind, family) for kind, family, *dummy in VERBS.values())
ACTIVE = ("Pending", "InProgress")
DEFAULTS = {"pending_seconds": 0.6, "progress_seconds": 0.6, "fail": (), "offline": ()}
SETTINGS = dict(DEFAULTS)
ACTIONS = {}  # id -> stored action (status computed when read)
LOCK = threading.RLock()  # act() records while it holds it
FILTERABLE = {"id": Field("string"), "status": Field("enum", ("Pending", "InProgress", "Succeeded", "Failed", "TimeOut", "Cancelled")),
              "machineId": Field("string"), "type": Field("string"), "requestor": Field("string"),
              "creationDateTimeUtc": Field("datetime")}
PROPERTIES = tuple(FILTERABLE) + ("scope", "requestorComment", "computerDnsName", "lastUpdateDateTimeUtc", "title")


def _stamp(moment):
    return datetime.datetime.fromtimestamp(moment, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f0Z")


def reset():
    with LOCK:
        ACTIONS.clear()
        SETTINGS.clear()
        SETTINGS.update(DEFAULTS)


def configure(changes):
    with LOCK:
        for key in ("pending_seconds", "progress_seconds"):
            if changes.get(key) is not None:
                SETTINGS[key] = float(changes[key])
        for key in ("fail", "offline"):
            if changes.get(key) is not None:
                SETTINGS[key] = tuple(changes[key])


def record(machine, kind, scope, comment, requestor, status=None):
    """Store a new action (``status``: fixed, as one made elsewhere; None: it follows the life cycle)."""
    now = time.time()
    action = {"id": str(uuid.uuid4()), "type": kind, "scope": scope, "requestor": requestor,
              "requestorComment": comment, "requestSource": "PublicApi", "externalId": None, "machineId": machine["id"],
              "computerDnsName": machine["computerDnsName"], "cancellationRequestor": None, "cancellationComment": None,
              "cancellationDateTimeUtc": None, "title": "%s %s%s" % (kind, machine["computerDnsName"], " (%s)" % scope if scope else ""),
              "relatedFileInfo": None, "commands": [], "_created": now, "_fixed": status}
    with LOCK:
        ACTIONS[action["id"]] = action
    return shown(action)


def shown(action):
    """The action as Defender shows it now."""
    created = action["_created"]
    if action["_fixed"]:
        status, moved = action["_fixed"], created
    elif action["machineId"] in SETTINGS["offline"]:
        status, moved = "Pending", created
    else:
        elapsed = time.time() - created
        pending, progress = SETTINGS["pending_seconds"], SETTINGS["pending_seconds"] + SETTINGS["progress_seconds"]
        if elapsed < pending:
            status, moved = "Pending", created
        elif elapsed < progress:
            status, moved = "InProgress", created + pending
        else:
            status = "Failed" if action["machineId"] in SETTINGS["fail"] else "Succeeded"
            moved = created + progress
    out = dict((k, v) for k, v in action.items() if not k.startswith("_"))
    out.update(status=status, creationDateTimeUtc=_stamp(created), lastUpdateDateTimeUtc=_stamp(moved))
    return out


def snapshot():
    """Every action as shown now, newest first."""
    with LOCK:
        stored = list(ACTIONS.values())
    return [shown(a) for a in sorted(stored, key=lambda a: a["_created"], reverse=True)]


def _bad(code, message):
    return _error(400, code, message)


@bp.post("/api/machines/<machine_id>/<verb>")
@bp.post("/api/v1.0/machines/<machine_id>/<verb>")
def act(machine_id, verb):
    if verb not in VERBS:
        return _error(404, "ResourceNotFound", "Resource not found.")
    kind, family, roles, keys, required = VERBS[verb]
    refused = authorize(roles)
    if refused:
        return refused
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        return _bad("InvalidRequestBody", "Request body must be a JSON object.")
    unknown = sorted(set(body) - set(keys))
    if unknown:
        return _bad("InvalidRequestBody", "Request body has unknown parameters (case-sensitive): %s." % ", ".join(unknown))
    missing = [key for key in required if not isinstance(body.get(key), str) or not body[key].strip()]
    if missing:
        return _bad("MissingRequiredParameter", "Missing required parameter: %s." % ", ".join(missing))
    for key, allowed in keys.items():
        if allowed and key in body and body[key] not in allowed:
            return _bad("InvalidRequestBody", "%s must be one of %s." % (key, ", ".join(allowed)))
    machine = next((m for m in machines_snapshot() if m["id"] == machine_id.lower()), None)
    if machine is None:
        return _error(404, "ResourceNotFound", "Machine %s was not found." % machine_id)
    scope = body.get("IsolationType", "Full") if kind == "Isolate" else body.get("ScanType")
    with LOCK:
        busy = [a for a in ACTIONS.values() if a["machineId"] == machine["id"] and FAMILY[a["type"]] == family
                and shown(a)["status"] in ACTIVE]
        if busy:
            return _bad("ActiveRequestAlreadyExists", "Action is already in progress")
        answer = record(machine, kind, scope, body["Comment"], g.token.client_id)
    return wire.json_response(answer, 201, content_type="application/json; charset=utf-8")


@bp.get("/api/machineactions/<action_id>")
@bp.get("/api/v1.0/machineactions/<action_id>")
def one(action_id):
    refused = authorize(MACHINE_READ_ROLES)
    if refused:
        return refused
    with LOCK:
        action = ACTIONS.get(action_id)
    if action is None:
        return _error(404, "ResourceNotFound", "Machine action %s was not found." % action_id)
    return wire.json_response(shown(action), content_type="application/json; charset=utf-8")


@bp.get("/api/machineactions")
@bp.get("/api/v1.0/machineactions")
def listing():
    refused = authorize(MACHINE_READ_ROLES)
    if refused:
        return refused
    try:
        top, skip = _integer("$top", MAX_TOP, MAX_TOP), _integer("$skip", 0, 10 ** 9)
        actions = snapshot()
        if request.args.get("$filter"):
            keep = parse_filter(request.args["$filter"], FILTERABLE, PROPERTIES)
            actions = [a for a in actions if keep(a)]
        order = request.args.get("$orderby")
        if order:
            prop, dummy, direction = order.partition(" ")
            if prop not in ("creationDateTimeUtc", "lastUpdateDateTimeUtc") or direction not in ("", "asc", "desc"):
                raise FilterError("$orderby takes creationDateTimeUtc or lastUpdateDateTimeUtc, asc or desc.")
            actions.sort(key=lambda a: a[prop], reverse=direction == "desc")
    except FilterError as exc:
        return _error(400, "InvalidRequest", str(exc))
    context = f"{request.host_url}api/$metadata#MachineActions"
    return wire.json_response({"@odata.context": context, "value": actions[skip:skip + top]},
                              content_type="application/json; odata.metadata=minimal; charset=utf-8")
