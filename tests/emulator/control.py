"""Control API for tests, under /_emulator/: no auth, never logged, no
latency, no fault rules (app.py skips all of that for this prefix)."""

import copy
import time

from flask import Blueprint, request

from . import model, wire
from .app import state
from . import alerts, data, defender, indicators, machine_actions, users
from .data import ALERTS, INCIDENTS, matching_ids
from .faults import FaultConfigError
from .odata import FilterError

bp = Blueprint("control", __name__, url_prefix="/_emulator")


def _json(payload, status=200):
    return wire.json_response(payload, status, content_type="application/json")


@bp.get("/health")
def health():
    return _json({"status": "ok", "url": state().base_url})


@bp.get("/info")
def info():
    return _json(state().info)


@bp.get("/requests")
def list_requests():
    # ?settle=SECONDS: first wait (that long at most) for requests still being served.
    try:
        settle = min(float(request.args.get("settle", 0)), 60.0)
    except ValueError:
        return _json({"error": "settle must be a number of seconds"}, 400)
    return _json(state().requests.entries(settle))


@bp.delete("/requests")
def clear_requests():
    state().requests.clear()
    return _json({"cleared": True})


@bp.get("/faults")
def get_faults():
    return _json(state().faults.describe())


@bp.put("/faults")
def put_faults():
    try:
        state().faults.configure(request.get_json(force=True, silent=False))
    except (FaultConfigError, ValueError, TypeError) as exc:
        return _json({"error": str(exc)}, 400)
    return _json(state().faults.describe())


@bp.delete("/faults")
def reset_faults():
    state().faults.reset()
    return _json(state().faults.describe())


@bp.put("/clock")
def set_clock():
    """{"skew_seconds": N}: Graph's clock (stamps and Date headers) N seconds ahead of the real one (negative: behind)."""
    body = request.get_json(force=True, silent=True) or {}
    try:
        wire.CLOCK_SKEW[0] = float(body.get("skew_seconds", 0))
    except (TypeError, ValueError):
        return _json({"error": "skew_seconds must be a number"}, 400)
    return _json({"skew_seconds": wire.CLOCK_SKEW[0]})


@bp.post("/tokens/expire")
def expire_tokens():
    return _json({"expired": state().tokens.expire_all()})


@bp.post("/tokens/expired")
def issue_expired_token():
    """An app's token issued two hours ago, so expired an hour ago (an access_token a user kept too
    long): {"app": name}."""
    from .directory import APPS
    from .tokens import LIFETIME
    app = APPS.get((request.get_json(force=True, silent=True) or {}).get("app"))
    if app is None:
        return _json({"error": "app must be one of " + ", ".join(APPS)}, 400)
    value = state().tokens.issue("expired", app["client_id"], app["roles"], issued_at=time.time() - 2 * LIFETIME)[0]
    return _json({"access_token": value})


@bp.post("/reset")
def reset():
    """Incidents as at start (writes undone), no fault rules, an empty request log."""
    data.reset()
    defender.FLEET[0] = 0
    machine_actions.reset()
    indicators.reset()
    users.reset()
    state().faults.reset()
    state().requests.clear()
    return _json({"reset": True})


@bp.get("/incidents")
def incident_ids():
    """Ids a Graph list with this $filter returns, newest first. By default the
    caller is treated as opted in to evolvable enums (the real status values);
    pass include_unknown_enum_members=false to see what a plain client gets."""
    include = request.args.get("include_unknown_enum_members", "true").lower() != "false"
    try:
        ids = matching_ids(request.args.get("$filter"), include)
    except FilterError as exc:
        return _json({"error": str(exc)}, 400)
    return _json({"ids": ids, "count": len(ids)})


@bp.get("/incidents/<incident_id>")
def incident_record(incident_id):
    """The stored incident with every property (beta set, real status) and its alerts."""
    stored = INCIDENTS.get(incident_id)
    if stored is None:
        return _json({"error": f"no incident {incident_id}"}, 404)
    record = model.present(stored, "beta", alerts=ALERTS[incident_id])
    return _json(copy.deepcopy(record))


# -- changes while it runs (the event source's tests and demo) ----------------

@bp.post("/incidents")
def create_incident():
    """A new incident: {"fields": {Graph property: value}, "at": Graph timestamp or null (now)}.
    With "count": N, N of them at once (a burst), answered as a list."""
    body = request.get_json(force=True, silent=True) or {}
    if body.get("count") is not None:
        return _json([data.create_incident(body.get("fields"), body.get("at")) for dummy in range(int(body["count"]))], 201)
    return _json(data.create_incident(body.get("fields"), body.get("at")), 201)


@bp.patch("/incidents/<incident_id>")
def update_incident(incident_id):
    """Change an incident as a write would: {"changes": {...}, "at": Graph timestamp or null (now)}."""
    body = request.get_json(force=True, silent=True) or {}
    updated = data.update_incident(incident_id, body.get("changes") or {}, body.get("modified_by"), body.get("at"))
    if updated is None:
        return _json({"error": f"no incident {incident_id}"}, 404)
    return _json(updated)


@bp.post("/alerts")
def create_alert():
    """A new alert on an incident: {"incident_id", "fields": {...}, "at": Graph timestamp or null (now)};
    with "count": N, N of them at once, answered as a list."""
    body = request.get_json(force=True, silent=True) or {}
    incident_id = str(body.get("incident_id") or data.KNOWN["highActive"])
    if incident_id not in INCIDENTS:
        return _json({"error": f"no incident {incident_id}"}, 404)
    made = [alerts.create_alert(incident_id, body.get("fields"), body.get("at")) for dummy in range(int(body.get("count") or 1))]
    return _json(made if body.get("count") is not None else made[0], 201)


@bp.patch("/alerts/<alert_id>")
def update_alert(alert_id):
    """Change an alert as a write would: {"changes": {...}, "at": Graph timestamp or null (now)}."""
    body = request.get_json(force=True, silent=True) or {}
    updated = alerts.update_alert(alert_id, body.get("changes") or {}, at=body.get("at"))
    if updated is None:
        return _json({"error": f"no alert {alert_id}"}, 404)
    return _json(updated)


@bp.put("/machines")
def set_fleet():
    """{"fleet": N}: N generated machines in Defender's list beyond the devices of the evidence (until reset)."""
    body = request.get_json(force=True, silent=True) or {}
    defender.FLEET[0] = int(body.get("fleet") or 0)
    return _json({"machines": len(defender.machines_snapshot())})


@bp.get("/changes")
def changes():
    """Every change made since start or reset, in order: [{"id", "change", "lastUpdateDateTime"}]."""
    with data.LOCK:
        return _json(copy.deepcopy(data.CHANGES))


@bp.put("/machineactions/settings")
def machine_action_settings():
    """The machine actions' life cycle: pending_seconds, progress_seconds, and machines that fail or stay offline."""
    machine_actions.configure(request.get_json(silent=True) or {})
    return _json(dict((k, list(v) if isinstance(v, tuple) else v) for k, v in machine_actions.SETTINGS.items()))


@bp.get("/machineactions")
def machine_action_list():
    return _json(machine_actions.snapshot())


@bp.post("/machineactions")
def seed_machine_action():
    """An action made elsewhere (the portal, another tool), already in ``status`` (a final one, or Pending)."""
    body = request.get_json(silent=True) or {}
    machine = next((m for m in defender.machines_snapshot() if m["id"] == body.get("machine_id")), None)
    if machine is None or body.get("type") not in machine_actions.FAMILY:
        return _json({"error": "machine_id must be a machine and type a machine action type"}, 400)
    return _json(machine_actions.record(machine, body["type"], body.get("scope"), "Made in the portal",
                                        "analyst@contoso-emulator.onmicrosoft.com", body.get("status") or "Succeeded"))


@bp.get("/machines")
def machine_list():
    return _json(defender.machines_snapshot())


@bp.get("/indicators")
def indicator_list():
    return _json(indicators.snapshot())


@bp.get("/users")
def user_list():
    return _json(users.snapshot())
