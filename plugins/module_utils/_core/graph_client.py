# -*- coding: utf-8 -*-
# Copyright: contributors to the msgraph.security collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Internal to msgraph.security (not a public API): it may change in any release, even a bugfix one.
"""A small Microsoft Graph client: requests of any method, JSON batching and paging, with Graph's error rules.

It knows no resource: callers say what a request needs (its permission, whether it may be
resent, the page size and what the items are called). One client talks to one API; client.api()
gives a client for another API of the same connection (apis.py). Every request carries a fresh
client-request-id and ``Prefer: include-unknown-enum-members`` (so evolvable enum members
such as status awaitingAction arrive as themselves, not as unknownFutureValue).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import posixpath
import time
import uuid
from collections import namedtuple

from ansible.module_utils.six.moves.urllib.parse import quote, unquote, urlencode, urlsplit

from ansible_collections.msgraph.security.plugins.module_utils._core.auth import select_authenticator
from ansible_collections.msgraph.security.plugins.module_utils._core.errors import (
    GraphApiError,
    IncompleteAnswerError,
    ListingChangedError,
    MsGraphError,
    NotFoundError,
    graph_api_error,
)
from ansible_collections.msgraph.security.plugins.module_utils._core.settings import Settings
from ansible_collections.msgraph.security.plugins.module_utils._core.transport import (
    RETRY_STATUSES,
    GraphSession,
    backoff_delay,
    requests,
    retry_after_seconds,
    transport_error,
)

BATCH_LIMIT = 20  # Graph's maximum number of requests in one $batch
MAX_PAGES = 10000  # a nextLink walk longer than this is a server loop, not a real collection
PREFER = {'Prefer': 'include-unknown-enum-members'}
# Methods whose repetition ends the same: resent after transient failures (see transport.py).
# A POST (a comment) is not: it would be applied twice. A read sent as POST says resend=True.
IDEMPOTENT_METHODS = ('GET', 'PATCH', 'PUT', 'DELETE')


def may_resend(method, resend=None):
    """Whether a request may be sent again after a transient failure: by method unless told."""
    return method.upper() in IDEMPOTENT_METHODS if resend is None else bool(resend)


class GraphRequest(namedtuple('GraphRequest', ['method', 'path', 'body', 'resend', 'permission'])):
    """One request for ``GraphClient.batch``: a path below the API root, with its query.

    ``resend``: None decides by method; True marks a read sent as POST. ``permission``: the
    permission the request needs, named when Graph answers 403.
    """

    def __new__(cls, method, path, body=None, resend=None, permission=None):
        return super(GraphRequest, cls).__new__(cls, method.upper(), path, body, resend, permission)

    @property
    def idempotent(self):
        return may_resend(self.method, self.resend)


class GraphClient:

    # The longest nextLink walk read before giving up; an attribute so that a test can make it small.
    max_pages = MAX_PAGES

    def __init__(self, settings, session, authenticator, endpoint=None):
        self.settings = settings
        self.session = session
        self.auth = authenticator
        self.endpoint = endpoint or settings.endpoint('graph')

    def api(self, name):
        """A client for API ``name`` ('graph', 'defender') of this connection: the same session,
        retry budget, credentials and MSAL application, its own base URL and token audience."""
        return GraphClient(self.settings, self.session, self.auth, self.settings.endpoint(name))

    @classmethod
    def from_options(cls, options):
        """The one entry point plugins use: options -> checked settings -> session -> auth."""
        settings = Settings(options)
        session = GraphSession(settings)
        return cls(settings, session, select_authenticator(settings, session))

    # --- single requests -------------------------------------------------------------

    def _send(self, method, url, resend, **kwargs):
        """Send one request with auth; on 401 renew the token once and try again."""
        what = '%s %s' % (method, urlsplit(url).path)
        for attempt in (1, 2):
            client_request_id = str(uuid.uuid4())
            headers = {
                'Authorization': 'Bearer ' + self._token(),
                'Accept': 'application/json',
                'Prefer': PREFER['Prefer'],
                'client-request-id': client_request_id,
            }
            try:
                # Redirects are not followed: the token must reach the Graph root only.
                response = self.session.request(method, url, headers=headers, resend=resend, allow_redirects=False,
                                                **kwargs)
            except requests.exceptions.RequestException as exc:
                raise transport_error(exc, what, resend)
            if response.status_code == 401 and attempt == 1 and self._renew():
                continue
            if 300 <= response.status_code < 400:
                target = urlsplit(response.headers.get('Location') or '')
                raise MsGraphError(
                    '%s was redirected (HTTP %s) to %s; redirects are not followed, so that the access token'
                    ' is never sent anywhere but %s. %s may name the wrong host, or a proxy is answering'
                    ' in its place (request-id: %s, client-request-id: %s).' % (
                        what, response.status_code, target._replace(query='').geturl() or 'no Location',
                        self.endpoint.root, self.endpoint.url_option, response.headers.get('request-id', 'none'),
                        client_request_id),
                    status=response.status_code)
            return response, what, client_request_id

    def _token(self):
        # Graph's token is asked for as before (no audience): a ready access_token serves Graph only.
        graph = self.endpoint.name == 'graph'
        return self.auth.token() if graph else self.auth.token(self.endpoint.audience)

    def _renew(self):
        return self.auth.renew() if self.endpoint.name == 'graph' else self.auth.renew(self.endpoint.audience)

    def request(self, method, path_or_url, params=None, body=None, resend=None, permission=None):
        """Send one request and return the JSON object answered ({} for 204).

        Raises GraphApiError (NotFoundError, ForbiddenError naming ``permission``, ...) for an HTTP
        error status, or another MsGraphError. A request that may not be resent (a POST, unless
        ``resend``) is never sent again after its answer is lost: AnswerLostError.
        """
        method = method.upper()
        response, what, client_request_id = self._send(
            method, self._url(path_or_url), may_resend(method, resend), params=params, json=body)
        if response.status_code == 204:
            return {}
        if response.status_code not in (200, 201):
            raise graph_api_error(what, response.status_code, response.headers, response.text, client_request_id,
                                  permission=permission, api=self.endpoint.name)
        return _json_object(response, what, client_request_id)

    def get(self, path_or_url, params=None, permission=None):
        """GET a JSON object; raises GraphApiError (NotFoundError included) or MsGraphError."""
        return self.request('GET', path_or_url, params, permission=permission)

    def _url(self, path_or_url):
        """A path below the API root, or a nextLink that must stay under it.

        The bearer token goes to the configured Graph root only: a nextLink pointing
        anywhere else (another host, scheme, port or API version) is refused.
        """
        if not path_or_url.startswith(('http://', 'https://')):
            return self.endpoint.api_root + path_or_url
        link, root = urlsplit(path_or_url), urlsplit(self.endpoint.api_root)
        # "/v1.0/../beta/..." (or its percent-encoded form) climbs out of the API version.
        path = posixpath.normpath(unquote(link.path))
        if (link.scheme, link.netloc) != (root.scheme, root.netloc) or not path.startswith(root.path + '/'):
            raise IncompleteAnswerError(
                'Refusing to follow @odata.nextLink %s: it leaves the %s root %s, and the access'
                ' token must not be sent there. The result would be incomplete, so nothing is returned.'
                % (urlsplit(path_or_url)._replace(query='').geturl(), _short(self.endpoint), self.endpoint.api_root))
        return path_or_url

    # --- paging ------------------------------------------------------------------------

    def get_all_pages(self, path, params, max_items=None, items=('item', 'items'), permission=None, max_skip=None):
        """Every item of a collection, or the first max_items: (items, truncated).

        ``params`` carries the caller's page size as ``$top``; ``items`` names one and many of
        what is listed, for the messages.

        The first page asks for $count. When more pages are needed, they are fetched by $skip
        inside $batch requests (up to 20 pages per round trip) instead of one nextLink after
        the other, unless a page would start past ``max_skip`` (the largest $skip the collection takes):
        then nextLinks are followed. Any failed page fails the whole read: nothing partial is returned, and a list
        with an item twice (pages that shifted, or a server repeating itself) is never returned.
        """
        first = self.get(path, dict(params, **{'$count': 'true'}), permission=permission)
        names, items = items, _page_items(first, path)
        total, page_size = first.get('@odata.count'), len(items)
        wanted = None if not isinstance(total, int) else total if max_items is None else min(total, max_items)
        # The last page would start at the largest multiple of page_size below wanted.
        last_skip = (wanted - 1) // page_size * page_size if wanted and page_size else 0
        too_deep = max_skip is not None and last_skip > max_skip
        if not first.get('@odata.nextLink') or not isinstance(total, int) or not page_size or too_deep:
            return self._follow_next_links(first, items, path, max_items, names, permission)
        paths = [self._relative(path, dict(params, **{'$top': page_size, '$skip': skip}))
                 for skip in range(page_size, wanted, page_size)]
        pages = self.get_batch(paths, permission=permission)
        last = first
        for page_path in paths:
            last = pages[page_path]
            if isinstance(last, MsGraphError):
                raise last
            items.extend(_page_items(last, path))
        if last.get('@odata.nextLink') and (max_items is None or len(items) < max_items):
            # The last page says more exist than @odata.count said: read on rather than stop short.
            return self._follow_next_links(last, items, path, max_items, names, permission)
        if len(items) < wanted:
            # Items were deleted between the pages, shifting them.
            raise ListingChangedError(
                'The %s changed while they were being listed (%d expected, %d read); the result would'
                ' be incomplete, so nothing is returned. Run the task again.' % (names[1], wanted, len(items)))
        return _distinct(items[:wanted], path, names), total > wanted

    def _follow_next_links(self, page, items, path, max_items, names, permission):
        """Page by page, for collections that do not say their $count (or said too few)."""
        followed = set()
        while True:
            link = page.get('@odata.nextLink')
            if max_items is not None and len(items) >= max_items:
                return _distinct(items[:max_items], path, names), bool(link) or len(items) > max_items
            if not link:
                return _distinct(items, path, names), False
            key = self._url(link)
            if key in followed:
                raise IncompleteAnswerError(
                    'GET %s: @odata.nextLink leads back to a page already read; the server is looping, so the'
                    ' list would never end and nothing is returned.' % path)
            if len(followed) >= self.max_pages:
                raise IncompleteAnswerError(
                    'GET %s: @odata.nextLink still leads on after %d pages; the server is looping, so the list'
                    ' would never end and nothing is returned.' % (path, self.max_pages))
            followed.add(key)
            page = self.get(key, permission=permission)
            items.extend(_page_items(page, path))

    def _relative(self, path, params):
        """A path with its query, as $batch wants it (relative to the version root)."""
        return '%s?%s' % (path, urlencode(sorted(params.items()), quote_via=quote, safe="$'(),:"))

    # --- JSON batching -----------------------------------------------------------------

    def get_batch(self, paths, permission=None):
        """GET many paths through $batch. Returns {path: object or NotFoundError}; other errors raise."""
        unique = list(dict.fromkeys(paths))
        results = self.batch([GraphRequest('GET', path, permission=permission) for path in unique])
        for result in results:
            if isinstance(result, GraphApiError) and not isinstance(result, NotFoundError):
                raise result
        return dict(zip(unique, results))

    def batch(self, graph_requests):
        """Send GraphRequests through $batch (20 per request): their answers, in the order given.

        Each answer is the JSON object Graph returned (or {}), or a GraphApiError for an inner
        request that failed. Inner requests throttled (429), or failing transiently when they are
        idempotent, are sent again, alone, after their Retry-After, within the same retry count and
        wait budget as everything else.
        """
        results = [None] * len(graph_requests)
        for start in range(0, len(graph_requests), BATCH_LIMIT):
            pending = dict((str(n), n) for n in range(start, min(start + BATCH_LIMIT, len(graph_requests))))
            retries = 0
            while pending:
                throttled, delays = {}, []
                answers = self._post_batch(dict((rid, graph_requests[n]) for rid, n in pending.items()))
                for request_id, response in answers.items():
                    n, status = pending[request_id], response['status']
                    request = graph_requests[n]
                    resend = status == 429 or (status in RETRY_STATUSES and request.idempotent)
                    if resend and retries < self.settings.max_retries:
                        throttled[request_id] = n
                        delays.append((retry_after_seconds(_header(response.get('headers'), 'retry-after')),
                                       status, response))
                    else:
                        results[n] = self._inner_result(request, response)
                if throttled:
                    retries += 1
                    self._wait(delays, retries)
                pending = throttled
        return results

    def _inner_result(self, request, response):
        status, body = response['status'], response.get('body')
        what = '%s %s/%s (in $batch)' % (request.method, urlsplit(self.endpoint.api_root).path,
                                         request.path.lstrip('/'))
        if status in (200, 201) and isinstance(body, dict):
            return body
        if status == 204:
            return {}
        if 200 <= status < 300:
            raise IncompleteAnswerError('%s answered HTTP %s with a body that is not a JSON object.' % (what, status))
        return graph_api_error(what, status, response.get('headers'), body, permission=request.permission)

    def _post_batch(self, pending):
        # Inner requests carry their own headers: the outer Prefer does not reach them.
        inner = []
        for request_id, request in pending.items():
            item = {'id': request_id, 'method': request.method, 'url': request.path, 'headers': dict(PREFER)}
            if request.body is not None:
                item['body'] = request.body
                item['headers']['Content-Type'] = 'application/json'
            inner.append(item)
        resend = all(request.idempotent for request in pending.values())
        response, what, client_request_id = self._send('POST', self.endpoint.api_root + '/$batch', resend,
                                                       json={'requests': inner})
        if response.status_code != 200:
            raise graph_api_error(what, response.status_code, response.headers, response.text, client_request_id,
                                  permission=_common_permission(pending.values()))
        answers = _json_object(response, what, client_request_id).get('responses')
        by_id = {}
        for answer in answers if isinstance(answers, list) else []:
            if isinstance(answer, dict) and answer.get('id') in by_id:
                raise IncompleteAnswerError(
                    '%s answered request %s twice; which answer is right cannot be known, so nothing is returned'
                    ' (request-id: %s, client-request-id: %s).' % (
                        what, answer['id'], response.headers.get('request-id', 'none'), client_request_id))
            if isinstance(answer, dict) and answer.get('id') in pending:
                by_id[answer['id']] = {'status': _int(answer.get('status')), 'headers': answer.get('headers') or {},
                                       'body': answer.get('body')}
        if set(by_id) != set(pending):
            raise IncompleteAnswerError(
                '%s answered %d of %d requests; the result would be incomplete, so nothing is returned'
                ' (request-id: %s, client-request-id: %s).' % (
                    what, len(by_id), len(pending), response.headers.get('request-id', 'none'), client_request_id))
        return by_id

    def _wait(self, delays, retries):
        """Sleep before resending throttled inner requests: the longest Retry-After asked,
        else exponential backoff with jitter, charged to the shared wait budget."""
        delay, status, response = max(delays, key=lambda item: item[0] or 0)
        if delay is None:
            delay = backoff_delay(retries)
        self.session.budget.spend(delay, status, _header(response.get('headers'), 'request-id'))
        time.sleep(delay)


def _short(endpoint):
    """'Graph' in messages that said so before other APIs existed, else the API's label."""
    return 'Graph' if endpoint.name == 'graph' else endpoint.label


def _common_permission(graph_requests):
    """What a whole $batch answered 403 needs: the permissions its requests name, each once."""
    named = list(dict.fromkeys(request.permission for request in graph_requests if request.permission))
    return ' and '.join(named) or None


def _distinct(items, path, names):
    """The items, unless one of them is there twice: then the pages were not a consistent list."""
    seen = set()
    for item in items:
        key = item.get('id') if isinstance(item, dict) else None
        if key in seen:
            raise ListingChangedError(
                'GET %s returned %s %s twice: the %s changed while they were being listed, or the'
                ' server repeated a page. The result would be wrong, so nothing is returned. Run the task again.'
                % (path, names[0], key, names[1]))
        seen.add(key)
    return items


def _page_items(page, path):
    value = page.get('value')
    if not isinstance(value, list):
        raise IncompleteAnswerError('GET %s answered a page without a "value" list; the result would be'
                                    ' incomplete, so nothing is returned.' % path)
    return value


def _json_object(response, what, client_request_id):
    try:
        body = response.json()
    except ValueError:
        body = None
    if not isinstance(body, dict):
        kind = response.headers.get('content-type', 'no content type').split(';')[0]
        raise IncompleteAnswerError(
            '%s answered HTTP %s with a body that is not a JSON object (%s); a proxy or a truncated'
            ' answer may be in the way (request-id: %s, client-request-id: %s).' % (
                what, response.status_code, kind, response.headers.get('request-id', 'none'), client_request_id))
    return body


def _header(headers, name):
    for key, value in (headers or {}).items():
        if key.lower() == name:
            return value
    return None


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0
