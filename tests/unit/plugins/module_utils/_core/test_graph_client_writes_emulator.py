"""The client's write path against the emulator: one request method, $batch of any method, and a
resend policy per method (a PATCH may be sent twice, a comment POST must not be)."""
import time

import pytest

from ansible_collections.msgraph.security.plugins.module_utils._core.errors import (
    AnswerLostError,
    ForbiddenError,
    GraphApiError,
    NotFoundError,
)
from ansible_collections.msgraph.security.plugins.module_utils._core.graph_client import GraphRequest

from ..emulator_client import connect

INCIDENT = '/security/incidents/2972395'


@pytest.fixture
def graph(clean_emulator):
    yield clean_emulator
    clean_emulator.reset()


def attempts(graph, method, path_end, wait_for=1):
    """Requests of this method to this path in the log, waiting for delayed ones to be logged."""
    deadline = time.monotonic() + 10
    while True:
        found = [r for r in graph.requests() if r['method'] == method and r['path'].endswith(path_end)]
        if len(found) >= wait_for or time.monotonic() > deadline:
            return found
        time.sleep(0.1)


def test_a_write_refused_for_permission_names_the_permission_the_request_needs(graph):
    graph.set_faults({'rules': [{'path_regex': INCIDENT + '$', 'method': 'PATCH', 'status': 403,
                                 'message': 'Missing application roles.'}]})
    with pytest.raises(ForbiddenError) as caught:
        connect(graph).request('PATCH', INCIDENT, body={'status': 'inProgress'},
                               permission='SecurityIncident.ReadWrite.All')
    assert 'SecurityIncident.ReadWrite.All' in str(caught.value) and 'request-id: ' in str(caught.value)
    assert 'SecurityIncident.Read.All ' not in str(caught.value)


def test_a_read_refused_for_permission_names_the_read_permission(graph):
    with pytest.raises(ForbiddenError, match=r'permission SecurityIncident\.Read\.All with admin consent'):
        connect(graph, 'no-permission').get(INCIDENT, permission='SecurityIncident.Read.All')


def test_a_refusal_without_a_named_permission_gives_the_general_hint(graph):
    with pytest.raises(ForbiddenError) as caught:
        connect(graph, 'no-permission').get(INCIDENT)
    assert 'add the application permission the API names' in str(caught.value)
    assert 'SecurityIncident' not in str(caught.value).split('failed:', maxsplit=1)[0]


def test_errors_are_types_not_only_messages(graph):
    with pytest.raises(NotFoundError) as caught:
        connect(graph).get('/security/incidents/404404')
    assert caught.value.status == 404 and not caught.value.transient


@pytest.mark.parametrize('method, sends', [('PATCH', 2), ('POST', 1)])
def test_a_503_is_resent_for_a_patch_but_not_for_a_post(graph, method, sends):
    graph.set_faults({'rules': [{'path_regex': INCIDENT + '$', 'method': method, 'count': 1, 'status': 503,
                                 'retry_after': 0}]})
    with pytest.raises(GraphApiError):
        # The resent PATCH reaches the emulator's handler, which refuses the reader app (403).
        connect(graph, max_retries=2).request(method, INCIDENT, body={'status': 'inProgress'})
    assert len(attempts(graph, method, INCIDENT, sends)) == sends


def test_a_429_is_resent_even_for_a_post_because_graph_did_not_process_it(graph):
    graph.set_faults({'rules': [{'path_regex': INCIDENT + '$', 'method': 'POST', 'count': 1, 'status': 429,
                                 'retry_after': 0}]})
    with pytest.raises(GraphApiError):
        connect(graph, max_retries=2).request('POST', INCIDENT, body={})
    assert [r['status'] for r in attempts(graph, 'POST', INCIDENT, 2)][0] == 429
    assert len(attempts(graph, 'POST', INCIDENT, 2)) == 2


def test_a_post_whose_answer_is_lost_is_not_resent_and_says_it_may_have_been_applied(graph):
    graph.set_faults({'rules': [{'path_regex': INCIDENT + '$', 'method': 'POST', 'status': 503, 'delay_ms': 2500}]})
    with pytest.raises(AnswerLostError, match='may or may not have been applied'):
        connect(graph, timeout=1, max_retries=3).request('POST', INCIDENT, body={})
    time.sleep(2)  # let the delayed answer land in the log before counting
    assert len(attempts(graph, 'POST', INCIDENT)) == 1


def test_batch_carries_any_method_and_answers_in_the_order_asked(graph):
    answers = connect(graph).batch([GraphRequest('GET', INCIDENT), GraphRequest('GET', '/security/incidents/404404'),
                                    GraphRequest('PATCH', INCIDENT, {'status': 'inProgress'})])
    assert answers[0]['id'] == '2972395'
    assert isinstance(answers[1], NotFoundError)
    assert isinstance(answers[2], GraphApiError)  # the reader app may not write: 403 for the PATCH
    inner = [r for r in graph.requests() if r['in_batch']]
    assert sorted(r['method'] for r in inner) == ['GET', 'GET', 'PATCH']


def test_a_batch_holding_a_post_is_not_resent_when_its_answer_is_lost(graph):
    graph.set_faults({'rules': [{'path_regex': r'/\$batch$', 'status': 503, 'delay_ms': 2500}]})
    with pytest.raises(AnswerLostError):
        connect(graph, timeout=1, max_retries=3).batch([GraphRequest('POST', INCIDENT + '/comments', {'comment': 'x'}),
                                                        GraphRequest('GET', INCIDENT)])
    time.sleep(2)
    assert len(attempts(graph, 'POST', '/$batch')) == 1
