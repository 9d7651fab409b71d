# -*- coding: utf-8 -*-
# Copyright: contributors to the msgraph.security collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Internal to msgraph.security (not a public API): it may change in any release, even a bugfix one.
"""What sits between MSAL and the network: the HTTP client it is given, and its logging.

MSAL raises bare JSON errors ("Expecting value: line 1 column 1") when Entra ID or a managed
identity endpoint answers something that is not JSON, and logs the body with a traceback. The
client here remembers the last answer so that the failure can be described like any other
(who was asked, the HTTP status, what kind of body came back), and ``quiet_msal_logging``
keeps MSAL's log records (which may quote response bodies) out of the console.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import logging
from contextlib import contextmanager

from ansible.module_utils.six.moves.urllib.parse import urlsplit

MSAL_LOGGER = 'msal'


class MsalHttpClient:
    """The http_client MSAL is built with: sends through the session of the current plugin run
    (which may change when a cached MSAL application is reused) and keeps the last answer."""

    def __init__(self, session):
        self.session = session
        self.last = None

    def post(self, url, **kwargs):
        return self._keep(self.session.post(url, **kwargs))

    def get(self, url, **kwargs):
        return self._keep(self.session.get(url, **kwargs))

    def close(self):
        """MSAL may close its client; the session belongs to the plugin run, which closes it."""

    def _keep(self, response):
        self.last = response
        return response


@contextmanager
def quiet_msal_logging():
    """Within the block, MSAL's records go nowhere (not to Python's last-resort stderr handler).

    Only the ``msal`` logger is touched, and only for the duration of the block: a handler the
    user attached to it still receives the records.
    """
    logger = logging.getLogger(MSAL_LOGGER)
    handler = logging.NullHandler()
    propagate = logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        yield
    finally:
        logger.propagate = propagate
        logger.removeHandler(handler)


def describe_answer(response, json_object_ok=True):
    """'POST https://host/path answered HTTP 200 with a text/html body', or None when
    the answer was a well-formed JSON object and ``json_object_ok`` (the failure lies elsewhere).

    The body itself is never quoted: an answer from a token endpoint may hold a token.
    """
    if response is None:
        return None
    kind = (response.headers.get('content-type') or '').split(';')[0].strip() or 'no content type'
    text = response.text or ''
    if not text.strip():
        shape = 'an empty body (%s)' % kind
    else:
        try:
            body = json.loads(text)
        except ValueError:
            shape = ('a body that is not valid JSON although labelled %s (truncated?)' % kind
                     if 'json' in kind else 'a %s body' % kind)
        else:
            if isinstance(body, dict) and response.status_code < 400 and json_object_ok:
                return None
            shape = ('JSON that is not an object' if not isinstance(body, dict) else
                     'a JSON object that is neither a token nor an error (%s)' % kind)
    request = getattr(response, 'request', None)
    method = getattr(request, 'method', None) or 'request to'
    url = urlsplit(response.url or '')._replace(query='', fragment='').geturl()
    request_id = response.headers.get('x-ms-request-id') or response.headers.get('request-id')
    return '%s %s answered HTTP %s with %s%s' % (
        method, url, response.status_code, shape, ' (request-id: %s)' % request_id if request_id else '')


def is_error_answer(response):
    """Whether the answer is an error as Entra ID ("error") or a managed identity endpoint
    ("statusCode") writes it; MSAL also turns other JSON into an error of its own invention."""
    try:
        body = json.loads(response.text or '')
    except ValueError:
        return False
    return isinstance(body, dict) and ('error' in body or 'statusCode' in body)
