"""The Graph alert type (security/alerts_v2): the alerts data.py made for the incidents' $expand=alerts,
served by id too, with Graph's rules for alerts (security-alert-*.md, graph-alerts-hunting.md).

Every alert is the same dict as in data.ALERTS, so a PATCH or a comment shows through an incident's
$expand=alerts as well. Filters: the eight properties Graph documents (others are 400, incidentId too);
$top up to 1000; $skip at most 500, pages past it are linked by $skiptoken.
"""

import copy

from . import data, writes
from .odata import Field

READ_ROLE = "SecurityAlert.Read.All"
WRITE_ROLE = "SecurityAlert.ReadWrite.All"
ODATA_TYPE = "microsoft.graph.security.alert"
PROPERTIES = (
    "id", "providerAlertId", "incidentId", "status", "severity", "classification", "determination",
    "serviceSource", "detectionSource", "detectorId", "tenantId", "title", "description", "recommendedActions",
    "category", "assignedTo", "alertWebUrl", "incidentWebUrl", "actorDisplayName", "threatDisplayName",
    "threatFamilyName", "mitreTechniques", "createdDateTime", "lastUpdateDateTime", "resolvedDateTime",
    "firstActivityDateTime", "lastActivityDateTime", "comments", "evidence", "systemTags",
)
STATUSES = ("unknown", "new", "inProgress", "resolved", "unknownFutureValue")
SEVERITIES = ("unknown", "informational", "low", "medium", "high", "unknownFutureValue")
SERVICE_SOURCES = ("unknown", "microsoftDefenderForEndpoint", "microsoftDefenderForIdentity",
                   "microsoftDefenderForCloudApps", "microsoftDefenderForOffice365", "microsoft365Defender",
                   "azureAdIdentityProtection", "microsoftAppGovernance", "dataLossPrevention", "unknownFutureValue",
                   "microsoftDefenderForCloud")
# What a PATCH may set (security-alert-update.md): the new determination names only, no sentinel.
WRITABLE_ENUMS = {
    "status": ("new", "inProgress", "resolved"),
    "classification": writes.WRITABLE_ENUMS["classification"],
    "determination": writes.WRITABLE_ENUMS["determination"],
}


class Store:
    """id -> alert over data.ALERTS (rebuilt in place by reset and resize), as resources.Resource wants."""

    def get(self, alert_id):
        with data.LOCK:
            return next((a for alerts in data.ALERTS.values() for a in alerts if a["id"] == alert_id), None)


STORE = Store()


def snapshot():
    """The alerts newest first, as Graph lists them."""
    with data.LOCK:
        alerts = [a for alerts in data.ALERTS.values() for a in alerts]
    return sorted(alerts, key=lambda a: (a["createdDateTime"], a["id"]), reverse=True)


def filter_fields(include_unknown_enum_members):
    return {
        "assignedTo": Field("string", case_insensitive=True),
        "classification": Field("enum", writes.model.CLASSIFICATIONS),
        "determination": Field("enum", writes.model.DETERMINATIONS),
        "severity": Field("enum", SEVERITIES),
        "status": Field("enum", STATUSES),
        "serviceSource": Field("enum", SERVICE_SOURCES),
        "createdDateTime": Field("datetime"),
        "lastUpdateDateTime": Field("datetime"),
    }


def visible(record, include_unknown_enum_members):
    record = dict(record)
    if not include_unknown_enum_members and record.get("serviceSource") == "microsoftDefenderForCloud":
        record["serviceSource"] = "unknownFutureValue"
    return record


def present(record, version, select, expanded):
    out = {"@odata.type": "#" + ODATA_TYPE}
    for name in select or PROPERTIES:
        out[name] = copy.deepcopy(record.get(name))
    return out


def check_update(body):
    return writes.check_body(body, ODATA_TYPE, "alert", WRITABLE_ENUMS, ("assignedTo",), (), PROPERTIES)


def update_alert(alert_id, changes, modified_by=None, at=None):
    """Apply ``changes`` to the stored alert as Graph does (lastUpdateDateTime becomes ``at`` or now);
    a copy of it, or None when there is none."""
    with data.LOCK:
        alert = STORE.get(alert_id)
        if alert is None:
            return None
        alert.update(copy.deepcopy(changes))
        alert["lastUpdateDateTime"] = at or data.now_stamp()
        if changes.get("status"):
            alert["resolvedDateTime"] = alert["lastUpdateDateTime"] if changes["status"] == "resolved" else None
        return copy.deepcopy(alert)


_CREATED = [0]  # alerts made by create_alert since start, for their ids


def create_alert(incident_id, fields=None, at=None):
    """A new Defender for Endpoint alert on ``incident_id`` (a copy of the dataset's first such alert, with
    a device in its evidence, under a new id), created ``at`` or now; a copy of it, or None when there is
    no such incident."""
    with data.LOCK:
        if incident_id not in data.INCIDENTS:
            return None
        _CREATED[0] += 1
        alert = copy.deepcopy(next(a for a in snapshot() if a["serviceSource"] == "microsoftDefenderForEndpoint"
                                   and any(e["@odata.type"].endswith("deviceEvidence") for e in a["evidence"])))
        alert_id = "da6391%014d_%d" % (_CREATED[0], -1000000 - _CREATED[0])
        stamp = at or data.now_stamp()
        tenant = data.INCIDENTS[incident_id]["tenantId"]
        alert.update(id=alert_id, providerAlertId=alert_id, incidentId=incident_id, createdDateTime=stamp,
                     lastUpdateDateTime=stamp, firstActivityDateTime=stamp, lastActivityDateTime=stamp,
                     resolvedDateTime=None, comments=[], status="new",
                     alertWebUrl=f"{data.PORTAL}/alerts/{alert_id}?tid={tenant}",
                     incidentWebUrl=data.INCIDENTS[incident_id]["incidentWebUrl"])
        alert.update(copy.deepcopy(fields or {}))
        data.ALERTS[incident_id].append(alert)
        return copy.deepcopy(alert)
