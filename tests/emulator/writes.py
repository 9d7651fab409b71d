"""Graph's write rules for incidents: which properties a PATCH may set, and to what.

As strict as Graph where its rules are known: only the writable properties, enum members
case-sensitive camelCase, status only active/inProgress/resolved. Whether Graph itself enforces
the classification/determination pairs is not documented, so the emulator does not (the modules
check them before writing). The resource page says assignedTo is null when nobody is assigned
and nothing says what "" does, so the emulator refuses "" and a client that unassigns with it is
caught. The routes (PATCH, POST .../comments) are graph.py's, for every
resource of resources.py alike.
"""

from . import model

SETTABLE_STATUSES = ("active", "inProgress", "resolved")
# Graph property -> the members a client may send (unknownFutureValue is a sentinel, not a value).
WRITABLE_ENUMS = {
    "status": SETTABLE_STATUSES,
    "classification": tuple(c for c in model.CLASSIFICATIONS if c != "unknownFutureValue"),
    "determination": tuple(d for d in model.DETERMINATIONS if d != "unknownFutureValue"),
    "severity": tuple(s for s in model.SEVERITIES if s != "unknownFutureValue"),
}
# The current v1.0 update page adds severity, displayName and summary to the older pages' five.
WRITABLE_TEXT = ("assignedTo", "description", "resolvingComment", "displayName", "summary")
WRITABLE = tuple(WRITABLE_ENUMS) + WRITABLE_TEXT + ("customTags",)
COMMENT_TYPE = "microsoft.graph.security.alertComment"


class BadBody(Exception):
    """A request body Graph would reject with 400 BadRequest."""


def check_update(body):
    """The changes an incident PATCH body asks for (Graph property names), or BadBody."""
    return check_body(body, "microsoft.graph.security.incident", "incident", WRITABLE_ENUMS, WRITABLE_TEXT,
                      ("customTags",), model.properties("beta"))


def check_body(body, odata_type, title, enums, texts, lists, known):
    """The changes a PATCH body asks for: only ``enums`` (property -> members), ``texts`` (strings or
    null) and ``lists`` (of strings); a property in ``known`` is read-only, any other does not exist."""
    if not isinstance(body, dict):
        raise BadBody("The request body must be a JSON object.")
    changes = {}
    for key, value in body.items():
        if key == "@odata.type":
            if value.lstrip("#") != odata_type:
                raise BadBody(f"Invalid @odata.type '{value}' for an {title}.")
            continue
        if key not in tuple(enums) + tuple(texts) + tuple(lists):
            if key in known:
                raise BadBody(f"The property '{key}' is read-only and cannot be updated.")
            raise BadBody(f"The property '{key}' does not exist on type '{odata_type}'. "
                          "Make sure to only use property names that are defined by the type.")
        if key in enums:
            if value not in enums[key]:
                raise BadBody(f"Requested value '{value}' is not a valid value for property '{key}'; "
                              f"valid values: {', '.join(enums[key])}.")
        elif key in lists:
            if not isinstance(value, list) or not all(isinstance(t, str) for t in value):
                raise BadBody(f"The property '{key}' must be a collection of strings.")
        elif value is not None and not isinstance(value, str):
            raise BadBody(f"Cannot convert the literal '{value}' to the expected type 'Edm.String' of '{key}'.")
        changes[key] = value
    if changes.get("assignedTo") == "":
        raise BadBody(f"assignedTo '' is not a user: send null to leave the {title} unassigned.")
    return changes
