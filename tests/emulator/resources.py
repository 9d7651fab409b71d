"""The Graph resources the emulator serves, one description each; graph.py routes them all alike.

A resource is its URL path, its type, its store (id -> record), how a record is shown to one request
(evolvable enums, $select, $expand), which properties $filter knows, who may read and write it, its
page size, and, when it takes writes, how a PATCH body is checked and applied and whether it takes
comments. A new resource is one more Resource here plus its dataset in data.py.
"""

from dataclasses import dataclass, field
from typing import Callable, Optional

from . import alerts, data, model, writes
from .directory import INCIDENT_READ_ROLES, WRITE_ROLE


@dataclass(frozen=True)
class Resource:
    title: str  # in messages: "Incident with id '29' was not found."
    path: str  # below the version root, e.g. "security/incidents"
    odata_type: str  # "microsoft.graph.security.incident"
    store: dict  # id -> stored record, the live dict data.py keeps (and updates in place)
    snapshot: Callable[[], list]  # the records in list order (Graph's order), as a stable copy
    properties: Callable[[str], tuple]  # version -> the property names of the type
    visible: Callable[[dict, bool], dict]  # (record, Prefer include-unknown-enum-members) -> what this client sees
    present: Callable[[dict, str, Optional[tuple], dict], dict]  # (record, version, $select, {nav: items}) -> JSON
    filter_fields: Callable[[bool], dict]  # include-unknown-enum-members -> {property: odata.Field}
    read_roles: tuple  # any one of them lets a token read (403 names them all)
    write_roles: tuple = ()
    page_size: int = 50  # the most one page holds; $top above it still pages
    max_skip: Optional[int] = None  # the largest $skip taken (400 above); next pages past it use $skiptoken
    navigation: dict = field(default_factory=dict)  # $expand name -> (id -> the related items)
    check_update: Optional[Callable[[object], dict]] = None  # PATCH body -> changes, or writes.BadBody; None: no PATCH
    apply_update: Optional[Callable] = None  # (id, changes, modified_by) -> the updated record, or None when gone
    comment_type: Optional[str] = None  # the OData type of its comments; None: no POST .../comments


INCIDENTS = Resource(
    title="Incident",
    path="security/incidents",
    odata_type="microsoft.graph.security.incident",
    store=data.INCIDENTS,
    snapshot=data.snapshot,
    properties=model.properties,
    visible=model.visible_record,
    present=lambda record, version, select, expanded: model.present(record, version, select, expanded.get("alerts")),
    filter_fields=model.filter_fields,
    read_roles=INCIDENT_READ_ROLES,
    write_roles=(WRITE_ROLE,),
    navigation={"alerts": lambda incident_id: data.ALERTS[incident_id]},
    check_update=writes.check_update,
    apply_update=data.update_incident,
    comment_type=writes.COMMENT_TYPE,
)

ALERTS = Resource(
    title="Alert",
    path="security/alerts_v2",
    odata_type=alerts.ODATA_TYPE,
    store=alerts.STORE,
    snapshot=alerts.snapshot,
    properties=lambda version: alerts.PROPERTIES,
    visible=alerts.visible,
    present=alerts.present,
    filter_fields=alerts.filter_fields,
    read_roles=(alerts.READ_ROLE, alerts.WRITE_ROLE),
    write_roles=(alerts.WRITE_ROLE,),
    page_size=1000,
    max_skip=500,
    check_update=alerts.check_update,
    apply_update=alerts.update_alert,
    comment_type=writes.COMMENT_TYPE,
)

RESOURCES = (INCIDENTS, ALERTS)
