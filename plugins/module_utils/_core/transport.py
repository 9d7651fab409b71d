# -*- coding: utf-8 -*-
# Copyright: contributors to the msgraph.security collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Internal to msgraph.security (not a public API): it may change in any release, even a bugfix one.
"""The HTTP session shared by MSAL and the Graph client within one plugin run.

One requests.Session means one connection pool (no TLS handshake per request), one set of
TLS/proxy/timeout settings for Entra ID and Graph alike, and urllib3's Retry for 429 and
transient errors, bounded by a total wait budget.

Two retry policies share that pool. Reads, PATCHes (the same fields sent twice end the same)
and token requests are resent after any transient failure. A request that must not be applied
twice (a comment POST) is resent only when it surely was not processed: the connection was
never made, or Graph answered 429. When its answer is lost, AnswerLostError says so.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import email.utils
import random
import time
import traceback

from ansible_collections.msgraph.security.plugins.module_utils._core.errors import (
    AnswerLostError,
    RetryBudgetError,
    TransportError,
)

try:
    import requests
    from requests.adapters import HTTPAdapter
    from urllib3.exceptions import ConnectTimeoutError, NewConnectionError, TimeoutError as Urllib3Timeout
    from urllib3.util.retry import Retry
except ImportError:
    requests = None  # other module_utils import the name; they only use it once HAS_REQUESTS was checked
    HAS_REQUESTS = False
    REQUESTS_IMPORT_ERROR = traceback.format_exc()
    Retry = HTTPAdapter = _Session = Urllib3Timeout = NewConnectionError = ConnectTimeoutError = object
else:
    _Session = requests.Session
    HAS_REQUESTS = True
    REQUESTS_IMPORT_ERROR = None

RETRY_STATUSES = (429, 502, 503, 504)
# Resent after any transient failure: reads, PATCH (same fields, same end state), token POSTs.
RESENDABLE_METHODS = frozenset(['GET', 'HEAD', 'PATCH', 'PUT', 'DELETE', 'POST'])
# Exponential backoff when Graph gives no Retry-After: factor * 2**(retry-1) + jitter, capped.
BACKOFF_FACTOR = 0.5
BACKOFF_JITTER = 0.5
BACKOFF_MAX = 30.0
USER_AGENT = 'msgraph.security-ansible-collection/1.1.0'


class WaitBudget:
    """The seconds one plugin run may still spend waiting before a retry (max_retry_wait)."""

    def __init__(self, seconds):
        self.seconds = float(seconds)
        self.left = self.seconds

    def refill(self):
        """A new run on the same session (each poll of the event source) gets the whole budget again."""
        self.left = self.seconds

    def spend(self, delay, status=None, request_id=None):
        if delay > self.left:
            raise RetryBudgetError(
                'Graph asked to retry after %ds (HTTP %s, request-id: %s) but only %ds of the'
                ' retry budget are left; giving up instead of waiting. Raise max_retry_wait to'
                ' wait longer.' % (delay, status or 'error', request_id or 'none', self.left),
                status=status, request_id=request_id)
        self.left -= delay


def retry_after_seconds(value):
    """The wait a Retry-After asks for, in seconds (delta-seconds or an HTTP-date), or None when
    it is absent or not valid HTTP (negative, garbage): then exponential backoff applies."""
    text = str(value).strip() if value is not None else ''
    if text.isdigit():
        return float(text)
    moment = email.utils.parsedate_tz(text) if text else None
    if moment is None:
        return None
    return max(0.0, email.utils.mktime_tz(moment) - time.time())


class BudgetedRetry(Retry):
    """urllib3 Retry that honours Retry-After, backs off with jitter, within a WaitBudget."""

    budget = None

    def parse_retry_after(self, retry_after):
        # urllib3 raises on a Retry-After it cannot read, failing a request that backoff would save.
        return retry_after_seconds(retry_after)

    def new(self, **kw):
        retry = super(BudgetedRetry, self).new(**kw)
        retry.budget = self.budget
        return retry

    def sleep(self, response=None):
        delay = self.get_retry_after(response) if response is not None else None
        if delay is None:
            delay = self.get_backoff_time()
        headers = response.headers if response is not None else {}
        self.budget.spend(delay, getattr(response, 'status', None), headers.get('request-id'))
        if delay > 0:
            time.sleep(delay)


class GraphSession(_Session):
    """A requests.Session that applies the collection's TLS, proxy and timeout to every call.

    verify/proxies are passed per request because requests lets REQUESTS_CA_BUNDLE and
    HTTPS_PROXY from the environment override the session's own attributes.
    """

    def __init__(self, settings):
        super(GraphSession, self).__init__()
        self.budget = WaitBudget(settings.max_retry_wait)
        self._per_request = {'verify': settings.verify, 'timeout': settings.timeout}
        if settings.proxy:
            self._per_request['proxies'] = {'http': settings.proxy, 'https': settings.proxy}
        self.headers['User-Agent'] = USER_AGENT
        self._resend = True
        self._adapters = {
            True: HTTPAdapter(max_retries=self._retry(settings, RETRY_STATUSES, settings.max_retries)),
            # Resent only when surely not processed: no connection made (connect), or HTTP 429.
            False: HTTPAdapter(max_retries=self._retry(settings, (429,), 0)),
        }
        # One connection pool for both policies.
        self._adapters[False].poolmanager = self._adapters[True].poolmanager
        self._adapters[False].proxy_manager = self._adapters[True].proxy_manager
        self.mount('https://', self._adapters[True])

    def _retry(self, settings, statuses, read):
        retry = BudgetedRetry(
            total=settings.max_retries,
            read=read,
            other=read,
            status_forcelist=statuses,
            allowed_methods=RESENDABLE_METHODS if read else None,
            backoff_factor=BACKOFF_FACTOR,
            backoff_jitter=BACKOFF_JITTER,
            backoff_max=BACKOFF_MAX,
            raise_on_status=False,
            # urllib3 would otherwise resend any 503 carrying Retry-After, whatever the method;
            # BudgetedRetry.sleep honours Retry-After itself.
            respect_retry_after_header=bool(read),
        )
        retry.budget = self.budget
        return retry

    def get_adapter(self, url):
        return self._adapters[self._resend] if url.lower().startswith('https://') else \
            super(GraphSession, self).get_adapter(url)

    def request(self, method, url, resend=True, **kwargs):
        """``resend=False`` for a request that must not be applied twice (see the module docstring)."""
        for key, value in self._per_request.items():
            if kwargs.get(key) is None:
                kwargs[key] = value
        self._resend = resend
        try:
            return super(GraphSession, self).request(method, url, **kwargs)
        finally:
            self._resend = True


def backoff_delay(retry):
    """urllib3's backoff for the n-th retry, for retries urllib3 does not see ($batch inner requests)."""
    return min(BACKOFF_MAX, BACKOFF_FACTOR * (2 ** (retry - 1)) + random.random() * BACKOFF_JITTER)


def transport_error(exc, what, resend=True):
    """Explain a requests exception (never includes request headers).

    With ``resend=False``, a failure after the connection was made means the request may have
    been applied: AnswerLostError.
    """
    reason = _innermost(exc)
    if not resend and not isinstance(reason, (NewConnectionError, ConnectTimeoutError)) \
            and not isinstance(exc, (requests.exceptions.SSLError, requests.exceptions.ProxyError)):
        return AnswerLostError(
            '%s was sent but its answer was lost (%s): it may or may not have been applied, and it is'
            ' not sent again because applying it twice would not end the same.' % (what, reason))
    if isinstance(exc, requests.exceptions.SSLError):
        return TransportError(
            '%s failed: the TLS certificate could not be verified (%s). If a private CA or a'
            ' TLS-inspecting proxy signs it, set ca_path to that CA bundle. validate_certs=false'
            ' would let anyone on the path read your credentials and tokens.' % (what, reason))
    if isinstance(exc, requests.exceptions.ProxyError):
        return TransportError('%s failed: could not go through the proxy (%s). Check proxy or HTTPS_PROXY.'
                              % (what, reason))
    # With retries on, urllib3 reports a read timeout as a ConnectionError whose cause is a
    # timeout; a refused connection is a NewConnectionError, which urllib3 files under timeouts.
    timed_out = isinstance(exc, requests.exceptions.Timeout) or isinstance(reason, Urllib3Timeout)
    if timed_out and not isinstance(reason, NewConnectionError):
        return TransportError('%s failed: no answer within the timeout (%s). Raise timeout if the network is slow.'
                              % (what, reason))
    if isinstance(exc, requests.exceptions.ConnectionError):
        return TransportError('%s failed: could not connect or the connection broke (%s).' % (what, reason))
    return TransportError('%s failed: %s' % (what, reason))


def _innermost(exc):
    """The root cause reads best ("certificate verify failed", "Connection refused")."""
    reason = exc
    for dummy in range(5):
        inner = getattr(reason, 'reason', None)
        if not isinstance(inner, BaseException) and reason.args and isinstance(reason.args[0], BaseException):
            inner = reason.args[0]
        if not isinstance(inner, BaseException):
            break
        reason = inner
    return reason
