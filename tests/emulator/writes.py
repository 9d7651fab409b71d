"""Microsoft Graph write routes: update an incident (PATCH) and comment on it (POST .../comments).

As strict as Graph where its rules are known: only the writable properties, enum members
case-sensitive camelCase, status only active/inProgress/resolved, SecurityIncident.ReadWrite.All.
Whether Graph itself enforces the classification/determination pairs is not documented, so the
emulator does not (the modules check them before writing). The resource page says assignedTo is
null when nobody is assigned and nothing says what "" does, so the emulator refuses "" and a client
that unassigns with it is caught.
"""

from flask import Blueprint, g, request

from . import data, model, wire
from .data import INCIDENTS
from .directory import WRITE_ROLE, app_by_client_id
from .graph import VERSION, _authorize, _context

bp = Blueprint("graph_writes", __name__)

SETTABLE_STATUSES = ("active", "inProgress", "resolved")
# Graph property -> the members a client may send (unknownFutureValue is a sentinel, not a value).
WRITABLE_ENUMS = {
    "status": SETTABLE_STATUSES,
    "classification": tuple(c for c in model.CLASSIFICATIONS if c != "unknownFutureValue"),
    "determination": tuple(d for d in model.DETERMINATIONS if d != "unknownFutureValue"),
}
WRITABLE_TEXT = ("assignedTo", "description", "resolvingComment")
WRITABLE = tuple(WRITABLE_ENUMS) + WRITABLE_TEXT + ("customTags",)
COMMENT_TYPE = "microsoft.graph.security.alertComment"


class BadBody(Exception):
    pass


def _author():
    """Who Graph records as the writer: the app, as 'API-App:<client id>'."""
    name, dummy = app_by_client_id(g.token.client_id)
    return f"API-App:{g.token.client_id}" if name else g.token.subject


def _check_update(body):
    if not isinstance(body, dict):
        raise BadBody("The request body must be a JSON object.")
    changes = {}
    for key, value in body.items():
        if key == "@odata.type":
            if value.lstrip("#") != "microsoft.graph.security.incident":
                raise BadBody(f"Invalid @odata.type '{value}' for an incident.")
            continue
        if key not in WRITABLE:
            if key in model.properties("beta"):
                raise BadBody(f"The property '{key}' is read-only and cannot be updated.")
            raise BadBody(f"The property '{key}' does not exist on type 'microsoft.graph.security.incident'. "
                          "Make sure to only use property names that are defined by the type.")
        if key in WRITABLE_ENUMS:
            if value not in WRITABLE_ENUMS[key]:
                raise BadBody(f"Requested value '{value}' is not a valid value for property '{key}'; "
                              f"valid values: {', '.join(WRITABLE_ENUMS[key])}.")
        elif key == "customTags":
            if not isinstance(value, list) or not all(isinstance(t, str) for t in value):
                raise BadBody("The property 'customTags' must be a collection of strings.")
        elif value is not None and not isinstance(value, str):
            raise BadBody(f"Cannot convert the literal '{value}' to the expected type 'Edm.String' of '{key}'.")
        changes[key] = value
    if changes.get("assignedTo") == "":
        raise BadBody("assignedTo '' is not a user: send null to leave the incident unassigned.")
    return changes


@bp.patch(f"/{VERSION}/security/incidents/<incident_id>")
def update_incident(version, incident_id):
    denied = _authorize(required_roles=(WRITE_ROLE,))
    if denied:
        return denied
    if INCIDENTS.get(incident_id) is None:
        return wire.graph_error(404, "NotFound", f"Incident with id '{incident_id}' was not found.")
    try:
        changes = _check_update(request.get_json(silent=True))
    except BadBody as exc:
        return wire.graph_error(400, "BadRequest", str(exc))
    updated = data.update_incident(incident_id, changes, modified_by=_author())
    if updated is None:
        return wire.graph_error(404, "NotFound", f"Incident with id '{incident_id}' was not found.")
    include = model.wants_unknown_enum_members(request.headers.get("Prefer"))
    body = {"@odata.context": _context(version, None, False, entity=True)}
    body.update(model.present(model.visible_record(updated, include), version))
    return wire.json_response(body)


@bp.post(f"/{VERSION}/security/incidents/<incident_id>/comments")
def add_comment(version, incident_id):
    denied = _authorize(required_roles=(WRITE_ROLE,))
    if denied:
        return denied
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        return wire.graph_error(400, "BadRequest", "The request body must be a JSON object.")
    odata_type = body.get("@odata.type")
    if odata_type is not None and odata_type.lstrip("#") != COMMENT_TYPE:
        return wire.graph_error(400, "BadRequest", f"Invalid @odata.type '{odata_type}'; expected '#{COMMENT_TYPE}'.")
    unknown = sorted(set(body) - {"@odata.type", "comment"})
    if unknown:
        return wire.graph_error(400, "BadRequest", f"The property '{unknown[0]}' does not exist on type "
                                f"'{COMMENT_TYPE}'.")
    text = body.get("comment")
    if not isinstance(text, str) or not text.strip():
        return wire.graph_error(400, "BadRequest", "The property 'comment' is required and must be a non-empty string.")
    with data.LOCK:  # read and append as one step: two comments posted together both stay
        stored = INCIDENTS.get(incident_id)
        if stored is None:
            return wire.graph_error(404, "NotFound", f"Incident with id '{incident_id}' was not found.")
        comments = list(stored.get("comments") or []) + [{
            "@odata.type": COMMENT_TYPE,
            "comment": text,
            "createdByDisplayName": _author(),
            "createdDateTime": data.now_stamp(),
        }]
        updated = data.update_incident(incident_id, {"comments": comments}, modified_by=_author())
    return wire.json_response({
        "@odata.context": f"{request.host_url}{version}/$metadata#Collection({COMMENT_TYPE})",
        "value": updated["comments"],
    })
