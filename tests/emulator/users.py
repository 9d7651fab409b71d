"""Entra ID users and Identity Protection on Graph (user-update.md, user-revokesigninsessions.md,
riskyuser-confirmcompromised.md, riskyuser-dismiss.md, riskyuser-get.md), as defender-endpoint-response.md
knows them: one user per name of the dataset (the ids of the alerts' evidence), half of them at risk.

Graph's token check and error shape come from graph.py, so a Defender token is refused (401) and a
missing permission gets 403 naming the roles; the routes work inside $batch too.
"""

import re
import threading
import time

from flask import Blueprint, request

from . import data, wire
from .graph import VERSION, _authorize

bp = Blueprint("users", __name__)

READ = ("User.Read.All", "User.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All")
ENABLE = ("User.EnableDisableAccount.All", "User.ReadWrite.All", "Directory.ReadWrite.All")
REVOKE = ("User.RevokeSessions.All", "User.ReadWrite.All", "Directory.ReadWrite.All")
RISK_READ = ("IdentityRiskyUser.Read.All", "IdentityRiskyUser.ReadWrite.All")
RISK_WRITE = ("IdentityRiskyUser.ReadWrite.All",)
GUID = re.compile(r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")
PROCESSING_SECONDS = 0.5
USERS, RISK, LOCK = {}, {}, threading.RLock()


def reset():
    with LOCK:
        USERS.clear()
        RISK.clear()
        for n, name in enumerate(data.USERS):
            oid = data.user_object_id(name)
            USERS[oid] = {"id": oid, "userPrincipalName": f"{name.lower()}@contoso.com", "displayName": name,
                          "accountEnabled": True, "signInSessionsValidFromDateTime": "2026-11-01T08:00:00Z", "_revocations": 0}
            if n % 2 == 0:
                RISK[oid] = {"riskLevel": "medium", "riskState": "atRisk", "riskDetail": "none",
                             "riskLastUpdatedDateTime": "2026-11-30T07:12:00Z", "_changed": 0.0}


reset()


def _find(key):
    with LOCK:
        if key in USERS:
            return USERS[key]
        return next((u for u in USERS.values() if u["userPrincipalName"].lower() == key.lower()), None)


def _missing(key):
    return wire.graph_error(404, "Request_ResourceNotFound", "Resource '%s' does not exist or one of its queried"
                            " reference-property objects are not present." % key)


def _public(user, select=None):
    shown = dict((k, v) for k, v in user.items() if not k.startswith("_"))
    return dict((k, v) for k, v in shown.items() if k == "id" or k in select) if select else shown


def risky(user):
    """The riskyUser record of ``user``, or None when Identity Protection has none."""
    record = RISK.get(user["id"])
    if record is None:
        return None
    return dict({"id": user["id"], "isDeleted": False, "isProcessing": time.time() - record["_changed"] < PROCESSING_SECONDS,
                 "userDisplayName": user["displayName"], "userPrincipalName": user["userPrincipalName"]},
                **dict((k, v) for k, v in record.items() if not k.startswith("_")))


def snapshot():
    """Every user with its revocation count and risk record (the control API)."""
    with LOCK:
        users = list(USERS.values())
    return [dict(_public(u), revocations=u["_revocations"], risk=risky(u)) for u in users]


@bp.get(f"/{VERSION}/users/<key>")
def get_user(version, key):
    denied = _authorize(READ)
    if denied:
        return denied
    user = _find(key)
    if user is None:
        return _missing(key)
    select = [s for s in request.args.get("$select", "").split(",") if s]
    return wire.json_response(dict(_public(user, select), **{"@odata.context": f"{request.host_url}{version}/$metadata#users/$entity"}))


@bp.patch(f"/{VERSION}/users/<key>")
def patch_user(version, key):
    denied = _authorize(ENABLE)
    if denied:
        return denied
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or set(body) - {"accountEnabled"} or not isinstance(body.get("accountEnabled"), bool):
        return wire.graph_error(400, "Request_BadRequest", "Invalid property in the request body: only accountEnabled"
                                " (true or false) may be changed here.")
    user = _find(key)
    if user is None:
        return _missing(key)
    with LOCK:
        user["accountEnabled"] = body["accountEnabled"]
    return ("", 204)


@bp.post(f"/{VERSION}/users/<key>/revokeSignInSessions")
def revoke(version, key):
    denied = _authorize(REVOKE)
    if denied:
        return denied
    user = _find(key)
    if user is None:
        return _missing(key)
    with LOCK:
        user["_revocations"] += 1
        user["signInSessionsValidFromDateTime"] = data.now_stamp()
    return wire.json_response({"@odata.context": f"{request.host_url}{version}/$metadata#Edm.Boolean", "value": True})


@bp.get(f"/{VERSION}/identityProtection/riskyUsers/<user_id>")
def get_risky(version, user_id):
    denied = _authorize(RISK_READ)
    if denied:
        return denied
    user = USERS.get(user_id)
    record = risky(user) if user else None
    if record is None:
        return _missing(user_id)
    return wire.json_response(record)


def _set_risk(state, level, detail):
    denied = _authorize(RISK_WRITE)
    if denied:
        return denied
    body = request.get_json(silent=True)
    ids = body.get("userIds") if isinstance(body, dict) else None
    if not isinstance(ids, list) or not 1 <= len(ids) <= 60 or not all(isinstance(i, str) and GUID.match(i) for i in ids):
        return wire.graph_error(400, "BadRequest", "userIds must list 1 to 60 user object ids (GUIDs).")
    unknown = [i for i in ids if i not in USERS]
    if unknown:
        return _missing(unknown[0])
    with LOCK:
        for user_id in ids:
            RISK[user_id] = {"riskLevel": level, "riskState": state, "riskDetail": detail,
                             "riskLastUpdatedDateTime": data.now_stamp(), "_changed": time.time()}
    return ("", 204)


@bp.post(f"/{VERSION}/identityProtection/riskyUsers/confirmCompromised")
def confirm(version):
    return _set_risk("confirmedCompromised", "high", "adminConfirmedUserCompromised")


@bp.post(f"/{VERSION}/identityProtection/riskyUsers/dismiss")
def dismiss(version):
    return _set_risk("dismissed", "none", "adminDismissedAllRiskForUser")
