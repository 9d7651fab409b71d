# -*- coding: utf-8 -*-
# Copyright: contributors to the msgraph.security collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Errors of the shared client, each carrying a message a user can act on.

Plugins catch MsGraphError and show ``str(error)`` (the module also returns ``details``);
nothing here ever holds a credential, a token or a request header.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

PERMISSION_HINT = (
    'The app needs the Microsoft Graph application permission SecurityIncident.Read.All'
    ' (or SecurityIncident.ReadWrite.All) with admin consent: Entra admin center >'
    ' App registrations > your app > API permissions > Add a permission > Microsoft Graph >'
    ' Application permissions, then "Grant admin consent".'
)
TOKEN_HINT = (
    'Graph did not accept the access token: check that it was issued for this cloud'
    ' (graph_url) and has not expired.'
)


class MsGraphError(Exception):
    """A failure explained in words; ``details`` holds machine-readable context."""

    def __init__(self, message, **details):
        super(MsGraphError, self).__init__(message)
        self.message = message
        self.details = dict((k, v) for k, v in details.items() if v is not None)

    def __str__(self):
        return self.message


class GraphApiError(MsGraphError):
    """Graph answered with an HTTP error status."""

    @property
    def status(self):
        return self.details.get('status')


def _parse_error_body(text):
    """Graph's error body, or None when the body is not Graph-shaped JSON."""
    try:
        body = json.loads(text) if isinstance(text, (str, bytes)) else text
    except ValueError:
        return None
    if isinstance(body, dict) and isinstance(body.get('error'), dict):
        return body['error']
    return None


def graph_api_error(what, status, headers, body, client_request_id=None):
    """Build the error for a failed Graph request from its status, headers and body.

    ``what`` names the request for the user ("GET /v1.0/security/incidents/29").
    ``body`` may be text or an already-decoded JSON value (inner $batch responses).
    """
    headers = dict((k.lower(), v) for k, v in (headers or {}).items())
    error = _parse_error_body(body) or {}
    inner = error.get('innerError') or error.get('innererror') or {}
    request_id = inner.get('request-id') or headers.get('request-id')
    client_request_id = inner.get('client-request-id') or headers.get('client-request-id') or client_request_id
    code = error.get('code')

    if error:
        text = '%s failed: HTTP %s %s: %s' % (what, status, code, error.get('message') or '(no message)')
    else:
        kind = headers.get('content-type', 'no content type').split(';')[0]
        text = '%s failed: HTTP %s with a body that is not a Graph error (%s)' % (what, status, kind)
    text += ' (request-id: %s, client-request-id: %s)' % (request_id or 'none', client_request_id or 'none')
    if status == 401:
        text += '. ' + TOKEN_HINT
    elif status == 403:
        text += '. ' + PERMISSION_HINT
    return GraphApiError(text, status=status, code=code, request_id=request_id,
                         client_request_id=client_request_id)
