"""The Graph incident type: property sets per API version, enums, and how a
stored incident is presented to one request ($select, $expand, evolvable enums).
"""

import copy

from .odata import Field

V1_PROPERTIES = (
    "id", "displayName", "description", "summary", "assignedTo", "classification",
    "determination", "severity", "status", "customTags", "systemTags", "comments",
    "createdDateTime", "lastUpdateDateTime", "lastModifiedBy", "resolvingComment",
    "redirectIncidentId", "incidentWebUrl", "tenantId", "priorityScore",
)
BETA_EXTRA_PROPERTIES = ("recommendedActions", "recommendedHuntingQueries")
NAVIGATION = ("alerts",)

SEVERITIES = ("unknown", "informational", "low", "medium", "high", "unknownFutureValue")
# Members after the unknownFutureValue sentinel are "evolvable": Graph only
# sends them to clients that opt in with Prefer: include-unknown-enum-members.
STATUSES = ("active", "resolved", "inProgress", "redirected", "unknownFutureValue", "awaitingAction")
EVOLVABLE_STATUSES = ("awaitingAction",)
CLASSIFICATIONS = (
    "unknown", "falsePositive", "truePositive", "informationalExpectedActivity", "unknownFutureValue",
)
DETERMINATIONS = (
    "unknown", "apt", "malware", "securityPersonnel", "securityTesting", "unwantedSoftware",
    "other", "multiStagedAttack", "compromisedAccount", "phishing", "maliciousUserActivity",
    "notMalicious", "notEnoughDataToValidate", "confirmedActivity", "lineOfBusinessApplication",
    "unknownFutureValue",
)

PREFER_UNKNOWN_ENUMS = "include-unknown-enum-members"


def properties(version):
    return V1_PROPERTIES + (BETA_EXTRA_PROPERTIES if version == "beta" else ())


def filter_fields(include_unknown_enum_members):
    """Filterable properties; evolvable members are only valid for opted-in clients."""
    statuses = STATUSES if include_unknown_enum_members else tuple(
        s for s in STATUSES if s not in EVOLVABLE_STATUSES
    )
    return {
        "assignedTo": Field("string", case_insensitive=True),
        "classification": Field("enum", CLASSIFICATIONS),
        "determination": Field("enum", DETERMINATIONS),
        "severity": Field("enum", SEVERITIES),
        "status": Field("enum", statuses),
        "createdDateTime": Field("datetime"),
        "lastUpdateDateTime": Field("datetime"),
    }


def wants_unknown_enum_members(prefer_header):
    prefs = [p.split("=")[0].strip().lower() for p in (prefer_header or "").split(",")]
    return PREFER_UNKNOWN_ENUMS in prefs


def visible_record(stored, include_unknown_enum_members):
    """The stored incident as this client may see it (before $select/$expand).

    Used both for filtering and for output so that a client that did not opt in
    can neither see nor filter on an evolvable status value.
    """
    record = dict(stored)
    if not include_unknown_enum_members and record.get("status") in EVOLVABLE_STATUSES:
        record["status"] = "unknownFutureValue"
    return record


def present(record, version, select=None, alerts=None):
    """Build the JSON object for one incident.

    ``select``: tuple of property names or None for all; ``alerts``: the list
    to embed when $expand=alerts was asked, else None.
    """
    names = select if select else properties(version)
    out = {"@odata.type": "#microsoft.graph.security.incident"}
    for name in names:
        out[name] = copy.deepcopy(record.get(name))
    if alerts is not None:
        out["alerts"] = copy.deepcopy(alerts)
    return out
