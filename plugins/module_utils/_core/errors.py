# -*- coding: utf-8 -*-
# Copyright: contributors to the msgraph.security collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Internal to msgraph.security (not a public API): it may change in any release, even a bugfix one.
"""Errors of the shared client, each carrying a message a user can act on.

Plugins catch MsGraphError and show ``str(error)`` (the module also returns ``details``);
nothing here ever holds a credential, a token or a request header. The types say what kind of
failure it was, so that callers can decide without reading messages: ``transient`` errors
(network, throttling beyond the budget, 5xx, a listing that changed) may succeed later, the
others will not until something is fixed.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

# The core names a permission only when the caller passes one (each resource describes its own).
PERMISSION_HINT = (
    'The app needs the Microsoft Graph application permission %s with admin consent: Entra admin'
    ' center > App registrations > your app > API permissions > Add a permission > Microsoft Graph >'
    ' Application permissions, then "Grant admin consent".'
)
GENERAL_PERMISSION_HINT = (
    'The app lacks a permission this request needs: Entra admin center > App registrations > your app >'
    ' API permissions, add the application permission the API names, then "Grant admin consent".'
)
# The Defender for Endpoint API's permissions belong to the WindowsDefenderATP enterprise application.
DEFENDER_PERMISSION_HINT = (
    'The app needs the WindowsDefenderATP application permission %s with admin consent: Entra admin'
    ' center > App registrations > your app > API permissions > Add a permission > APIs my organization'
    ' uses > WindowsDefenderATP > Application permissions, then "Grant admin consent".'
)
TRANSIENT_STATUSES = (429, 500, 502, 503, 504)
TOKEN_HINT = (
    "Graph did not accept the access token: check that it was issued for this cloud's Graph"
    ' (cloud; token_audience when set) and has not expired. msgraph.security.connection_info'
    ' shows the audience, tenant and permissions the token carries.'
)
DEFENDER_TOKEN_HINT = (
    'The Defender for Endpoint API did not accept the access token: check that cloud names the cloud the'
    ' tenant lives in (its tokens are requested for that cloud\'s Defender for Endpoint resource, whatever'
    ' defender_url says) and that the app is granted WindowsDefenderATP permissions.'
)
# api name -> (hint for 401, hint for 403 naming a permission); Graph's are the defaults.
API_HINTS = {'defender': (DEFENDER_TOKEN_HINT, DEFENDER_PERMISSION_HINT)}


class MsGraphError(Exception):
    """A failure explained in words; ``details`` holds machine-readable context."""

    transient = False

    def __init__(self, message, **details):
        super(MsGraphError, self).__init__(message)
        self.message = message
        self.details = dict((k, v) for k, v in details.items() if v is not None)

    def __str__(self):
        return self.message


class OptionError(MsGraphError):
    """An option value is wrong; nothing was sent."""


class AuthenticationError(MsGraphError):
    """Entra ID (or the managed identity endpoint) gave no token."""


class TransportError(MsGraphError):
    """The network failed: no connection, a timeout, a broken answer."""

    transient = True


class AnswerLostError(TransportError):
    """A request that must not be sent twice was sent, but its answer was lost: it may have been applied."""


class ResponseFailedError(MsGraphError):
    """Some of the devices or users a response acts on failed, after all were tried; ``details`` holds every result."""


class ListingChangedError(MsGraphError):
    """Items were created or deleted while a listing was read; reading again gives a consistent list."""

    transient = True


class IncompleteAnswerError(MsGraphError):
    """Graph's answer lacks part of what was asked (a page, a $batch response); nothing partial is returned."""

    transient = True


class RetryBudgetError(MsGraphError):
    """Graph asked to wait longer than the retry budget allows."""

    transient = True


class GraphApiError(MsGraphError):
    """Graph answered with an HTTP error status."""

    @property
    def status(self):
        return self.details.get('status')

    @property
    def transient(self):
        return self.status in TRANSIENT_STATUSES


class NotFoundError(GraphApiError):
    """HTTP 404: the item (or path) does not exist."""


class ForbiddenError(GraphApiError):
    """HTTP 403: the app lacks the permission the request needs."""


class UnauthorizedError(GraphApiError):
    """HTTP 401: Graph did not accept the token (after one renewal)."""


def _parse_error_body(text):
    """Graph's error body, or None when the body is not Graph-shaped JSON."""
    try:
        body = json.loads(text) if isinstance(text, (str, bytes)) else text
    except ValueError:
        return None
    if isinstance(body, dict) and isinstance(body.get('error'), dict):
        return body['error']
    return None


def graph_api_error(what, status, headers, body, client_request_id=None, permission=None, api='graph'):
    """Build the error for a failed Graph request from its status, headers and body.

    ``what`` names the request for the user ("GET /v1.0/security/alerts_v2/da63...").
    ``body`` may be text or an already-decoded JSON value (inner $batch responses).
    ``permission``: what the request needs, named by a 403's hint (without it the hint is general).
    ``api``: which API answered ('graph', 'defender'), for the hints of a 401 or a 403.
    """
    headers = dict((k.lower(), v) for k, v in (headers or {}).items())
    error = _parse_error_body(body) or {}
    inner = error.get('innerError') or error.get('innererror') or {}
    # Defender for Endpoint names its correlation id (what its support asks for) ``target``.
    request_id = inner.get('request-id') or headers.get('request-id') or (error.get('target') if api == 'defender' else None)
    client_request_id = inner.get('client-request-id') or headers.get('client-request-id') or client_request_id
    code = error.get('code')

    if error:
        text = '%s failed: HTTP %s %s: %s' % (what, status, code, error.get('message') or '(no message)')
    else:
        kind = headers.get('content-type', 'no content type').split(';')[0]
        text = '%s failed: HTTP %s with a body that is not a Graph error (%s)' % (what, status, kind)
    text += ' (request-id: %s, client-request-id: %s)' % (request_id or 'none', client_request_id or 'none')
    token_hint, permission_hint = API_HINTS.get(api, (TOKEN_HINT, PERMISSION_HINT))
    if status == 401:
        text += '. ' + token_hint
    elif status == 403:
        text += '. ' + (permission_hint % permission if permission else GENERAL_PERMISSION_HINT)
    kind = {401: UnauthorizedError, 403: ForbiddenError, 404: NotFoundError}.get(status, GraphApiError)
    return kind(text, status=status, code=code, request_id=request_id, client_request_id=client_request_id)
