"""What is sent again after a transient failure, and what is not, against the emulator.

Token requests and reads are resent whatever their method (a $batch of GETs is a read sent as
POST, and so is a request marked resend=True); a comment POST is resent only when Graph surely
never saw it (the connection was refused), and a 3xx is neither followed nor left unexplained."""
import time

import pytest
import urllib3.util.connection

from ansible_collections.msgraph.security.plugins.module_utils._core.errors import (
    AnswerLostError,
    MsGraphError,
    TransportError,
)
from ansible_collections.msgraph.security.plugins.module_utils._core.graph_client import GraphRequest

from ..emulator_client import connect, outer

INCIDENT = '/security/incidents/2972395'
OTHER = '/v1.0/security/incidents/29'
READS = {'requests': [{'id': '1', 'method': 'GET', 'url': INCIDENT}]}


@pytest.fixture
def graph(clean_emulator):
    yield clean_emulator
    clean_emulator.reset()


def logged(emulator, method, path_end, wait_for=1):
    """Requests of this method to this path in the log, waiting for delayed or dropped ones to be logged."""
    deadline = time.monotonic() + 10
    while True:
        found = [r for r in emulator.requests() if r['method'] == method and r['path'].endswith(path_end)
                 and not r['in_batch']]
        if len(found) >= wait_for or time.monotonic() > deadline:
            return found
        time.sleep(0.1)


def drop(path_regex, method='POST'):
    return {'rules': [{'path_regex': path_regex, 'method': method, 'after': 'drop', 'count': 1}]}


def unavailable(path_regex, method='POST', body='graph'):
    return {'rules': [{'path_regex': path_regex, 'method': method, 'status': 503, 'retry_after': 0, 'count': 1,
                       'body': body}]}


# -- token requests -----------------------------------------------------------------

@pytest.mark.parametrize('faults', [unavailable('/oauth2/v2.0/token$', body='aad'), drop('/oauth2/v2.0/token$')],
                         ids=['503', 'dropped answer'])
def test_a_token_post_is_resent_after_a_transient_failure(graph, faults):
    graph.set_faults(faults)
    assert connect(graph, max_retries=2).get(INCIDENT)['id'] == '2972395'
    assert len(logged(graph, 'POST', '/oauth2/v2.0/token', 2)) == 2


# -- reads sent as POST -------------------------------------------------------------

@pytest.mark.parametrize('faults', [unavailable(r'/\$batch$'), drop(r'/\$batch$')], ids=['503', 'dropped answer'])
def test_a_read_only_batch_is_resent_after_a_transient_failure(graph, faults):
    client = connect(graph, max_retries=2)
    client.auth.token()
    graph.set_faults(faults)
    answers = client.batch([GraphRequest('GET', INCIDENT), GraphRequest('GET', '/security/incidents/29')])
    assert [answer['id'] for answer in answers] == ['2972395', '29']
    assert len(logged(graph, 'POST', '/$batch', 2)) == 2


@pytest.mark.parametrize('faults', [unavailable(r'/\$batch$'), drop(r'/\$batch$')], ids=['503', 'dropped answer'])
def test_a_post_marked_resend_is_resent_after_a_transient_failure(graph, faults):
    client = connect(graph, max_retries=2)
    client.auth.token()
    graph.set_faults(faults)
    answer = client.request('POST', '/$batch', body=READS, resend=True)
    assert answer['responses'][0]['body']['id'] == '2972395'
    assert len(logged(graph, 'POST', '/$batch', 2)) == 2


def test_the_same_post_unmarked_is_not_resent_after_a_dropped_answer(graph):
    client = connect(graph, max_retries=2)
    client.auth.token()
    graph.set_faults(drop(r'/\$batch$'))
    with pytest.raises(AnswerLostError, match='may or may not have been applied'):
        client.request('POST', '/$batch', body=READS)
    assert len(logged(graph, 'POST', '/$batch')) == 1


# -- a comment whose connection was refused --------------------------------------------

class RefuseFirst:
    """urllib3's connection factory, refusing the first ``count`` connections (as a closed port
    does: nothing was sent), then connecting for real."""

    def __init__(self, real, count=1):
        self.real, self.count, self.refused = real, count, 0

    def __call__(self, *args, **kwargs):
        if self.refused < self.count:
            self.refused += 1
            raise ConnectionRefusedError(111, 'Connection refused')
        return self.real(*args, **kwargs)


def comment(emulator, **values):
    return connect(emulator, 'writer-secret', **values).request(
        'POST', INCIDENT + '/comments', body={'comment': 'refused once, sent once'})


def test_a_comment_whose_connection_was_refused_is_resent_and_posted_once(graph, monkeypatch):
    connect(graph, 'writer-secret').auth.token()  # the token is cached; the next client opens a new connection
    refuse = RefuseFirst(urllib3.util.connection.create_connection)
    monkeypatch.setattr(urllib3.util.connection, 'create_connection', refuse)
    answer = comment(graph, max_retries=2)
    assert refuse.refused == 1
    assert answer['value'][-1]['comment'] == 'refused once, sent once'
    assert len(logged(graph, 'POST', INCIDENT + '/comments')) == 1
    assert [c['comment'] for c in graph.incident('2972395')['comments']].count('refused once, sent once') == 1


def test_a_comment_whose_connection_is_always_refused_is_not_reported_as_a_lost_answer(graph, monkeypatch):
    connect(graph, 'writer-secret').auth.token()
    monkeypatch.setattr(urllib3.util.connection, 'create_connection',
                        RefuseFirst(urllib3.util.connection.create_connection, count=99))
    with pytest.raises(TransportError, match='could not connect') as caught:
        comment(graph, max_retries=1)
    assert not isinstance(caught.value, AnswerLostError)


# -- redirects ------------------------------------------------------------------------

@pytest.mark.parametrize('status', [301, 302, 307, 308])
def test_a_redirect_is_not_followed_and_is_explained(graph, status):
    client = connect(graph)
    graph.set_faults({'rules': [{'path_regex': INCIDENT + '$', 'status': status, 'count': 1,
                                 'location': OTHER + '?sig=secret-in-the-query'}]})
    with pytest.raises(MsGraphError) as caught:
        client.get(INCIDENT)
    text = str(caught.value)
    assert 'GET /v1.0%s was redirected (HTTP %d) to %s%s;' % (INCIDENT, status, graph.url, OTHER) in text
    assert 'redirects are not followed, so that the access token is never sent anywhere but' in text
    assert 'graph_url may name the wrong host' in text and 'secret-in-the-query' not in text
    assert caught.value.details['status'] == status
    assert not [r for r in graph.requests() if r['path'] == OTHER]


def test_a_redirected_batch_is_not_followed_either(graph):
    client = connect(graph)
    client.auth.token()
    graph.set_faults({'rules': [{'path_regex': r'/\$batch$', 'status': 307, 'count': 1, 'location': '/v1.0/$batch'}]})
    with pytest.raises(MsGraphError, match=r'POST /v1.0/\$batch was redirected \(HTTP 307\)'):
        client.get_batch([INCIDENT])
    assert len(outer(graph, '$batch')) == 1
