"""How responses look on the wire: Graph and Entra (AAD) JSON shapes, ids, dates.

Shared by every blueprint so that an error produced by a route, by a fault rule
or by Flask's own 404/405 handling is indistinguishable to a client.
"""

import datetime
import email.utils
import json
import uuid

from flask import Response, g, request

# What Graph actually sends; clients that compare Content-Type with == break on it.
GRAPH_JSON = (
    "application/json;odata.metadata=minimal;odata.streaming=true;"
    "IEEE754Compatible=false;charset=utf-8"
)
AAD_JSON = "application/json; charset=utf-8"

CONTROL_PREFIX = "/_emulator/"


def new_id():
    return str(uuid.uuid4())


def utcnow():
    return datetime.datetime.now(datetime.timezone.utc)


# Seconds Graph's clock is ahead of the real one (negative: behind), for clock-skew tests; see set_clock_skew.
CLOCK_SKEW = [0.0]


def graph_now():
    """Graph's time: the real one plus the skew a test set."""
    return utcnow() + datetime.timedelta(seconds=CLOCK_SKEW[0])


def http_date():
    return email.utils.format_datetime(graph_now(), usegmt=True)


def is_control_path(path):
    return path.startswith(CONTROL_PREFIX)


def json_response(payload, status=200, content_type=GRAPH_JSON, headers=None):
    body = json.dumps(payload, separators=(",", ":"))
    resp = Response(body, status=status, content_type=content_type)
    for key, value in (headers or {}).items():
        resp.headers[key] = value
    return resp


def graph_error_body(code, message):
    # request ids are assigned per request in app.before_request
    return {
        "error": {
            "code": code,
            "message": message,
            "innerError": {
                "date": utcnow().strftime("%Y-%m-%dT%H:%M:%S"),
                "request-id": g.request_id,
                "client-request-id": g.client_request_id,
            },
        }
    }


def graph_error(status, code, message, headers=None):
    return json_response(graph_error_body(code, message), status, headers=headers)


# Default Graph error code for a bare HTTP status (used by fault rules).
GRAPH_CODES = {
    400: ("BadRequest", "Invalid request."),
    401: ("InvalidAuthenticationToken", "Access token validation failure."),
    403: ("Forbidden", "Insufficient privileges to complete the operation."),
    404: ("NotFound", "Resource not found."),
    409: ("Conflict", "Conflict."),
    429: ("TooManyRequests", "Too many requests. Please retry after the indicated time."),
    500: ("InternalServerError", "An internal server error occurred."),
    502: ("BadGateway", "Bad gateway."),
    503: ("ServiceUnavailable", "The service is temporarily unavailable. Please retry."),
    504: ("GatewayTimeout", "The gateway timed out."),
}


def aad_error_body(status_error, code, text):
    """AAD error JSON; ``code`` is the AADSTS number, ``text`` the sentence after it."""
    trace_id = g.request_id
    correlation_id = g.client_request_id
    stamp = utcnow().strftime("%Y-%m-%d %H:%M:%SZ")
    description = (
        f"AADSTS{code}: {text}\r\nTrace ID: {trace_id}\r\n"
        f"Correlation ID: {correlation_id}\r\nTimestamp: {stamp}"
    )
    return {
        "error": status_error,
        "error_description": description,
        "error_codes": [code],
        "timestamp": stamp,
        "trace_id": trace_id,
        "correlation_id": correlation_id,
        "error_uri": f"{request.host_url}error?code={code}",
    }


def aad_error(status, error, code, text):
    return json_response(aad_error_body(error, code, text), status, content_type=AAD_JSON)
