"""Defender for Endpoint API stand-in (https://api.security.microsoft.com/api/...): its token check and
the machine list (get-machines.md), as strict as defender-endpoint-response.md knows it.

It accepts tokens for the Defender for Endpoint resource of any cloud and refuses every other
audience (a Graph token included) with 401, as the real service does; Graph refuses Defender
tokens in turn (graph.py). A token without Machine.Read.All / Machine.ReadWrite.All gets 403.
Error bodies have MDE's shape: code, message, target.

The machines are the devices of the alerts' evidence (same ids: deviceEvidence.mdeDeviceId) and,
for the benchmark, a generated fleet (control API: PUT /_emulator/machines {"fleet": N}). The list
takes $filter on the documented properties, $top up to 10,000 (default 10,000) and $skip, and
gives no nextLink, as observed; it answers 404 when there is no machine at all.
"""

import hashlib

from flask import Blueprint, g, request

from . import data, wire
from .app import state
from .directory import DEFENDER_RESOURCES
from .odata import Field, FilterError, parse_filter

bp = Blueprint("defender", __name__)

MACHINE_READ_ROLES = ("Machine.Read.All", "Machine.ReadWrite.All")
MACHINE_READ_SCOPES = ("Machine.Read", "Machine.ReadWrite")  # delegated
MAX_TOP = 10000
FLEET = [0]  # generated machines beyond the evidence's devices
HEALTH = ("Active", "Inactive", "ImpairedCommunication", "NoSensorData", "NoSensorDataImpairedCommunication", "Unknown")
RISK = ("None", "Informational", "Low", "Medium", "High")
FILTERABLE = {
    "computerDnsName": Field("string", case_insensitive=True), "id": Field("string"),
    "aadDeviceId": Field("string"), "lastSeen": Field("datetime"), "lastIpAddress": Field("string"),
    "healthStatus": Field("enum", HEALTH), "osPlatform": Field("string"), "riskScore": Field("enum", RISK),
    "exposureLevel": Field("enum", ("None", "Low", "Medium", "High")), "onboardingStatus": Field("string"),
    "version": Field("string"), "rbacGroupId": Field("string"),
}
PROPERTIES = tuple(FILTERABLE) + ("firstSeen", "osArchitecture", "osBuild", "lastExternalIpAddress", "ipAddresses",
                                  "machineTags", "deviceValue", "isAadJoined", "rbacGroupName")


def _machine(device_id, name, os_platform, risk, seen, ip, aad_id):
    return {
        "id": device_id, "computerDnsName": name, "firstSeen": "2024-09-02T10:14:51.0000000Z", "lastSeen": seen,
        "osPlatform": os_platform, "osArchitecture": "64-bit", "version": "23H2", "osBuild": 22631,
        "lastIpAddress": ip, "lastExternalIpAddress": "203.0.113.%d" % (int(device_id[:2], 16) % 250 + 1),
        "ipAddresses": [{"ipAddress": ip, "macAddress": "00155D%s" % device_id[:6].upper(), "type": "Ethernet",
                         "operationalStatus": "Up"}],
        "healthStatus": "Active", "onboardingStatus": "Onboarded", "riskScore": risk, "exposureLevel": "Medium",
        "aadDeviceId": aad_id, "isAadJoined": True, "machineTags": [], "deviceValue": "Normal",
        "rbacGroupId": 4, "rbacGroupName": "Contoso workstations",
    }


def machines_snapshot():
    """The evidence's devices (one machine per id, as first named), then the fleet; in a stable order."""
    seen = {}
    with data.LOCK:
        for alerts in data.ALERTS.values():
            for alert in alerts:
                for ev in alert.get("evidence") or []:
                    if ev.get("@odata.type", "").endswith("deviceEvidence") and ev.get("mdeDeviceId") not in seen:
                        number = int(ev["mdeDeviceId"][:4], 16)
                        seen[ev["mdeDeviceId"]] = _machine(
                            ev["mdeDeviceId"], ev["deviceDnsName"], ev["osPlatform"], ev["riskScore"].capitalize(),
                            "2026-11-30T08:12:44.1234567Z", "10.20.%d.%d" % (number % 200, number % 250 + 1),
                            ev["azureAdDeviceId"])
    machines = sorted(seen.values(), key=lambda m: m["computerDnsName"])
    for n in range(FLEET[0]):
        digest = hashlib.sha1(b"fleet-%d" % n).hexdigest()
        machines.append(_machine(digest, "fleet-%05d.contoso.local" % n, ("Windows11", "Linux", "macOS")[n % 3],
                                 RISK[n % 5], "2026-11-29T06:00:00.0000000Z", "10.64.%d.%d" % (n // 250 % 250, n % 250 + 1),
                                 "%s-%s-4%s-8%s-%s" % (digest[:8], digest[8:12], digest[13:16], digest[17:20], digest[20:32])))
    return machines


def _error(status, code, message):
    return wire.json_response({"error": {"code": code, "message": message, "target": g.request_id}}, status,
                              content_type="application/json; charset=utf-8")


def authorize(roles=MACHINE_READ_ROLES):
    """An error response, or None when the bearer token is a valid Defender token with one of ``roles``
    (Machine.Read.All's delegated scopes count for the reading roles)."""
    scheme, dummy, value = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return _error(401, "Unauthorized", "Authorization header is missing.")
    token, problem = state().tokens.lookup(value.strip())
    if problem == "expired":
        return _error(401, "Unauthorized", "The token is expired.")
    if problem or token.audience not in DEFENDER_RESOURCES:
        return _error(401, "Unauthorized", "The token is not valid for this API (wrong audience).")
    g.token = token
    scopes = MACHINE_READ_SCOPES if roles == MACHINE_READ_ROLES else ()
    if not set(token.roles) & set(roles) and not set(token.scopes) & set(scopes):
        return _error(403, "Forbidden", "The application does not have any of the required application permissions"
                      " (%s) to access the resource." % ", ".join(roles))
    return None


def _integer(name, default, most):
    raw = request.args.get(name)
    if raw is None:
        return default
    if not raw.isdigit() or int(raw) > most:
        raise FilterError("Invalid %s value '%s': it must be a whole number from 0 to %d." % (name, raw, most))
    return int(raw)


@bp.get("/api/machines")
@bp.get("/api/v1.0/machines")
def machines():
    refused = authorize()
    if refused:
        return refused
    try:
        top, skip = _integer("$top", MAX_TOP, MAX_TOP), _integer("$skip", 0, 10 ** 9)
        machines = machines_snapshot()
        if not machines:
            return _error(404, "ResourceNotFound", "No machines found.")
        if request.args.get("$filter"):
            keep = parse_filter(request.args["$filter"], FILTERABLE, PROPERTIES)
            machines = [m for m in machines if keep(m)]
    except FilterError as exc:
        return _error(400, "InvalidRequest", str(exc))
    context = f"{request.host_url}api/$metadata#Machines"
    return wire.json_response({"@odata.context": context, "value": machines[skip:skip + top]},
                              content_type="application/json; odata.metadata=minimal; charset=utf-8")
