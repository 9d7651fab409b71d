"""Defender for Endpoint indicators (post-ti-indicator.md, get-ti-indicators-collection.md,
delete-ti-indicator-by-id.md): create-or-update by value and type (200, not 201), list with $filter,
delete (204, 404 if missing), each value checked against its type as Defender does.

Ti.ReadWrite sees and manages only the indicators its own app created; Ti.ReadWrite.All sees all.
"""

import datetime
import ipaddress
import re
import threading
import urllib.parse

from flask import Blueprint, g, request

from . import wire
from .defender import MAX_TOP, _error, _integer, authorize
from .odata import Field, FilterError, parse_filter

bp = Blueprint("indicators", __name__)

ROLES = ("Ti.ReadWrite", "Ti.ReadWrite.All")
TYPES = ("FileSha1", "FileSha256", "FileMd5", "CertificateThumbprint", "IpAddress", "DomainName", "Url")
ACTIONS = ("Alert", "Warn", "Block", "Audit", "BlockAndRemediate", "AlertAndBlock", "Allowed")
SEVERITIES = ("Informational", "Low", "Medium", "High")
FIELDS = ("indicatorValue", "indicatorType", "action", "title", "description", "expirationTime", "severity",
          "recommendedActions", "rbacGroupNames", "educateUrl", "application", "generateAlert")
STORE = {}
NEXT = [1]
LOCK = threading.Lock()
FILTERABLE = {"indicatorValue": Field("string", case_insensitive=True), "indicatorType": Field("string"),
              "action": Field("string"), "title": Field("string"), "severity": Field("string"), "createdBy": Field("string")}
_HEX = {"FileSha1": 40, "FileSha256": 64, "FileMd5": 32, "CertificateThumbprint": 40}
_DOMAIN = re.compile(r"^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$")


def reset():
    with LOCK:
        STORE.clear()
        NEXT[0] = 1


def _now():
    return datetime.datetime.now(datetime.timezone.utc)


def _value_problem(kind, value):
    """(code, message) when ``value`` is not a value of ``kind``, else None."""
    if kind in _HEX:
        if not re.fullmatch(r"[0-9a-fA-F]{%d}" % _HEX[kind], value):
            return "InvalidHashValue", "Invalid hash value '%s' for type %s." % (value, kind)
    elif kind == "IpAddress":
        try:
            ipaddress.ip_address(value)
        except ValueError:
            return "InvalidIpAddress", "Invalid IP address '%s' (ranges and CIDR are not supported)." % value
    elif kind == "DomainName" and not _DOMAIN.match(value):
        return "InvalidDomainName", "Invalid domain name '%s'." % value
    elif kind == "Url":
        parts = urllib.parse.urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            return "InvalidUrl", "Invalid URL '%s'." % value
    return None


def _check(body):
    if not isinstance(body, dict):
        return "InvalidRequestBody", "Request body must be a JSON object."
    unknown = sorted(set(body) - set(FIELDS))
    if unknown:
        return "InvalidRequestBody", "Unknown parameters: %s." % ", ".join(unknown)
    missing = [k for k in ("indicatorValue", "indicatorType", "action", "title", "description")
               if not isinstance(body.get(k), str) or not body[k].strip()]
    if missing:
        return "MissingRequiredParameter", "Missing required parameter: %s." % ", ".join(missing)
    for key, allowed in (("indicatorType", TYPES), ("action", ACTIONS), ("severity", SEVERITIES)):
        if body.get(key) is not None and body[key] not in allowed:
            return "InvalidRequestBody", "%s must be one of %s." % (key, ", ".join(allowed))
    problem = _value_problem(body["indicatorType"], body["indicatorValue"])
    if problem:
        return problem
    if body.get("expirationTime") is not None:
        try:
            moment = datetime.datetime.fromisoformat(str(body["expirationTime"]).replace("Z", "+00:00"))
        except ValueError:
            return "InvalidRequestBody", "expirationTime is not an ISO 8601 date-time."
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=datetime.timezone.utc)
        if moment <= _now():
            return "InvalidRequestBody", "expirationTime must be in the future."
    if body["action"] == "Audit" and body.get("generateAlert") is not True:
        return "InvalidRequestBody", "generateAlert must be true for the Audit action."
    return None


def _visible(indicator):
    """Whether the caller's token may see and manage ``indicator``."""
    return "Ti.ReadWrite.All" in g.token.roles or indicator["createdBy"] == g.token.client_id


def snapshot():
    with LOCK:
        return [dict(i) for i in sorted(STORE.values(), key=lambda i: int(i["id"]))]


@bp.get("/api/indicators")
@bp.get("/api/v1.0/indicators")
def listing():
    refused = authorize(ROLES)
    if refused:
        return refused
    try:
        top, skip = _integer("$top", MAX_TOP, MAX_TOP), _integer("$skip", 0, 10 ** 9)
        items = [i for i in snapshot() if _visible(i)]
        if request.args.get("$filter"):
            keep = parse_filter(request.args["$filter"], FILTERABLE, FIELDS + ("id", "createdBy"))
            items = [i for i in items if keep(i)]
    except FilterError as exc:
        return _error(400, "InvalidRequest", str(exc))
    return wire.json_response({"@odata.context": f"{request.host_url}api/$metadata#Indicators", "value": items[skip:skip + top]},
                              content_type="application/json; odata.metadata=minimal; charset=utf-8")


@bp.post("/api/indicators")
@bp.post("/api/v1.0/indicators")
def submit():
    refused = authorize(ROLES)
    if refused:
        return refused
    body = request.get_json(silent=True)
    problem = _check(body)
    if problem:
        return _error(400, *problem)
    now = _now().strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    with LOCK:
        existing = next((i for i in STORE.values() if i["indicatorType"] == body["indicatorType"]
                         and i["indicatorValue"].lower() == body["indicatorValue"].lower() and _visible(i)), None)
        if existing is None:
            existing = {"id": str(NEXT[0]), "createdBy": g.token.client_id, "createdByDisplayName": "emulator app",
                        "creationTimeDateTimeUtc": now, "source": "emulator app", "severity": "Informational",
                        "generateAlert": False, "rbacGroupNames": [], "recommendedActions": None, "expirationTime": None}
            NEXT[0] += 1
            STORE[existing["id"]] = existing
        existing.update(body)
        existing.update(lastUpdateTime=now, lastUpdatedBy=g.token.client_id)
        answer = dict(existing)
    return wire.json_response(dict(answer, **{"@odata.context": f"{request.host_url}api/$metadata#Indicators/$entity"}),
                              content_type="application/json; charset=utf-8")


@bp.delete("/api/indicators/<indicator_id>")
@bp.delete("/api/v1.0/indicators/<indicator_id>")
def delete(indicator_id):
    refused = authorize(ROLES)
    if refused:
        return refused
    with LOCK:
        item = STORE.get(indicator_id)
        if item is None or not _visible(item):
            return _error(404, "ResourceNotFound", "Indicator %s was not found." % indicator_id)
        del STORE[indicator_id]
    return ("", 204)
