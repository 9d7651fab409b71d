"""Flask app factory: wires the blueprints and the cross-cutting behaviour
every non-control request gets (request ids, latency, fault rules, request log).
"""

import logging
import socket
import time
from dataclasses import dataclass, field

from flask import Flask, current_app, g, request
from werkzeug.exceptions import HTTPException

from . import wire
from .directory import GRAPH_RESOURCES, OTHER_RESOURCES, is_known_tenant
from .faults import Faults, RequestLog, fault_response
from .tokens import TokenStore

log = logging.getLogger(__name__)

# Set on the WSGI environ of $batch inner requests (see graph.py): they are inner requests,
# and they belong to the request log epoch of their outer request.
IN_BATCH_KEY = "emulator.in_batch"
EPOCH_KEY = "emulator.log_epoch"
# Set on the environ of $batch inner requests: the outer connection, for the "drop" fault.
OUTER_SOCKET_KEY = "emulator.outer_socket"


@dataclass
class EmulatorState:
    """Everything mutable the routes share, one per emulator process."""

    base_url: str = ""  # https://127.0.0.1:PORT, known once the socket is bound
    app_certificates: dict = field(default_factory=dict)  # app name -> [x509.Certificate]
    tokens: TokenStore = field(default_factory=TokenStore)
    faults: Faults = field(default_factory=Faults)
    requests: RequestLog = field(default_factory=RequestLog)
    info: dict = field(default_factory=dict)  # what emulator.json says


def state() -> EmulatorState:
    return current_app.extensions["emulator"]


def graph_roots():
    """Resources a token may be requested for: Microsoft Graph of every cloud (and other APIs
    the tenant knows), never the emulator's own URL, as Entra ID knows no reverse proxy."""
    return set(GRAPH_RESOURCES + OTHER_RESOURCES)


def create_app(emulator_state=None, resources=None):
    """``resources``: the Graph resources to serve (resources.py), by default all of them."""
    from . import graph
    from .control import bp as control_bp
    from .defender import bp as defender_bp
    from .entra import bp as entra_bp
    from .hunting import bp as hunting_bp
    from .indicators import bp as indicators_bp
    from .machine_actions import bp as machine_actions_bp
    from .users import bp as users_bp

    graph_bp = graph.bp if resources is None else graph.blueprint(resources)

    app = Flask(__name__)
    app.extensions["emulator"] = emulator_state or EmulatorState()
    # "//v1.0/..." must fail like it does on Graph, not be redirected.
    app.url_map.merge_slashes = False
    app.register_blueprint(control_bp)
    app.register_blueprint(graph_bp)
    app.register_blueprint(entra_bp)
    app.register_blueprint(defender_bp)
    app.register_blueprint(hunting_bp)
    app.register_blueprint(machine_actions_bp)
    app.register_blueprint(indicators_bp)
    app.register_blueprint(users_bp)
    app.before_request(_before)
    app.after_request(_after)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected_error)
    return app


def _before():
    g.request_id = wire.new_id()
    g.client_request_id = request.headers.get("client-request-id") or wire.new_id()
    g.control = wire.is_control_path(request.path)
    if g.control:
        return None
    g.in_batch = bool(request.environ.get(IN_BATCH_KEY))
    g.arrived = time.time()
    g.seq, epoch = state().requests.arrive()
    g.epoch = request.environ.get(EPOCH_KEY, epoch)
    g.fault = False
    g.misbehave = ()
    faults = state().faults
    if faults.latency_ms and not g.in_batch:
        time.sleep(faults.latency_ms / 1000)
    rule = faults.take(request.method, request.path, request.query_string.decode("latin-1"), g.in_batch)
    if rule is None:
        return None
    if rule.delay_ms:
        time.sleep(rule.delay_ms / 1000)
    if rule.after == "drop":
        g.drop_connection = True  # serve (and store) normally, then close without answering
    if rule.status is None:
        g.misbehave = rule.misbehave  # the route answers wrongly in this way (misbehave.py)
        return None  # a slow (or misbehaving) rule: serve normally after the delay
    g.fault = True
    return fault_response(rule)


def _after(response):
    if getattr(g, "control", True):
        return response
    if not _is_entra():
        response.headers["request-id"] = g.request_id
        response.headers["client-request-id"] = g.client_request_id
        response.headers.setdefault("x-ms-ags-diagnostic",
                                    '{"ServerInfo":{"DataCenter":"Emulator","Slice":"E","Ring":"0"}}')
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        response.headers.setdefault("Cache-Control", "no-cache")
    else:  # Entra ID and managed identity answer with AAD's header names
        response.headers["x-ms-request-id"] = g.request_id
        response.headers["client-request-id"] = g.client_request_id
        response.headers.setdefault("Cache-Control", "no-store, no-cache")
    if g.in_batch:
        # The HTTP server adds Date to real responses; inner ones need their own.
        response.headers["Date"] = wire.http_date()
    auth = request.headers.get("Authorization")
    state().requests.add({
        "seq": g.seq,
        "arrived": g.arrived,  # epoch seconds when the request came in, before any delay
        "method": request.method,
        "path": request.path,
        "query": request.query_string.decode("latin-1"),
        "status": response.status_code,
        "in_batch": g.in_batch,
        "authorization": "none" if not auth else ("bearer" if auth.lower().startswith("bearer ") else "other"),
        "prefer": request.headers.get("Prefer"),
        "client_request_id": request.headers.get("client-request-id"),
        "request_id": g.request_id,
        "retry_after": response.headers.get("Retry-After"),
        "fault": g.fault,
        "user_agent": request.headers.get("User-Agent"),
        # Entra only: how the client authenticated ("secret", "assertion:PS256", ...)
        "client_auth": g.get("client_auth"),
        # Entra only: the resource a token was asked for (scope without /.default, or MSI resource)
        "resource": g.get("token_resource"),
        "misbehave": list(g.misbehave),
        "dropped": bool(g.get("drop_connection")),
    }, g.epoch)
    if g.get("drop_connection"):
        _drop_connection()
    return response


def _drop_connection():
    """Close the client's connection with no answer (fault rule "after": "drop").

    The request was served and its changes stored; the client sees the connection break
    (requests: ConnectionError) and cannot know whether it was applied. Inside $batch the
    outer request's connection is dropped. werkzeug then fails to write the response and
    treats that as a dropped connection.
    """
    sock = request.environ.get(OUTER_SOCKET_KEY) or request.environ.get("werkzeug.socket")
    if sock is None:
        return
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass


def _is_entra():
    """Entra ID and managed identity requests answer with AAD's shapes and headers."""
    if request.blueprint:
        return request.blueprint == "entra"
    first = request.path.split("/")[1] if request.path.count("/") else ""
    return first == "msi" or is_known_tenant(first)


def _http_error(exc):
    """Flask's own errors (no route, wrong method) in the shape of the service asked."""
    path = request.path
    if wire.is_control_path(path):
        return wire.json_response({"error": exc.description}, exc.code, content_type="application/json")
    if exc.code == 405:
        if not _is_entra():
            return wire.graph_error(
                405, "BadRequest",
                f"Specified HTTP method '{request.method}' is not allowed for the request target.")
        return wire.aad_error(405, "invalid_request", 900561,
                              f"The endpoint only accepts {', '.join(exc.valid_methods or [])} requests.")
    if exc.code == 404 and _is_entra():
        return wire.aad_error(404, "invalid_request", 900561,
                              f"The endpoint '{path}' does not exist on this authority.")
    if exc.code == 404:
        # Graph answers an unknown first segment with "Invalid version".
        segment = path.split("/")[1] if path.count("/") >= 1 else ""
        return wire.graph_error(400, "BadRequest", f"Invalid version: {segment}")
    code = wire.GRAPH_CODES.get(exc.code, ("UnknownError", ""))[0]
    return wire.graph_error(exc.code, code, exc.description)


def _unexpected_error(exc):
    log.exception("unhandled error while serving %s %s", request.method, request.path)
    return wire.graph_error(500, "InternalServerError", f"Emulator error: {type(exc).__name__}: {exc}")
