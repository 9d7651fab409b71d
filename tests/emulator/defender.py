"""Defender for Endpoint API stand-in (https://api.security.microsoft.com/api/...): for now only
its token check and a one-machine collection, so that a client talking to two APIs can be tested.

It accepts tokens for the Defender for Endpoint resource of any cloud and refuses every other
audience (a Graph token included) with 401, as the real service does; Graph refuses Defender
tokens in turn (graph.py). Error bodies have MDE's shape: code, message, target.
"""

from flask import Blueprint, g, request

from . import wire
from .app import state
from .directory import DEFENDER_RESOURCES

bp = Blueprint("defender", __name__)

# The real list answers 404 when there is no machine at all, so the tenant has one.
MACHINE = {
    "id": "1e5bc9d7e413ddd7902c2932e418702b84d0cc07", "computerDnsName": "fin-lt-042.corp.example.com",
    "osPlatform": "Windows11", "healthStatus": "Active", "riskScore": "Low", "exposureLevel": "Low",
    "machineTags": [], "lastSeen": "2026-11-30T08:12:44.1234567Z",
}


def _error(status, code, message):
    return wire.json_response({"error": {"code": code, "message": message, "target": g.request_id}}, status,
                              content_type="application/json; charset=utf-8")


def _authorize():
    """An error response, or None when the bearer token is a valid Defender token."""
    scheme, dummy, value = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return _error(401, "Unauthorized", "Authorization header is missing.")
    token, problem = state().tokens.lookup(value.strip())
    if problem == "expired":
        return _error(401, "Unauthorized", "The token is expired.")
    if problem or token.audience not in DEFENDER_RESOURCES:
        return _error(401, "Unauthorized", "The token is not valid for this API (wrong audience).")
    g.token = token
    return None


@bp.get("/api/machines")
@bp.get("/api/v1.0/machines")
def machines():
    refused = _authorize()
    if refused:
        return refused
    context = f"{request.host_url}api/$metadata#Machines"
    return wire.json_response({"@odata.context": context, "value": [MACHINE]},
                              content_type="application/json; odata.metadata=minimal; charset=utf-8")
