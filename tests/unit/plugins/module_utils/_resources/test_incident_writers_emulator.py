"""IncidentWriter and IncidentCommenter on a real GraphClient against the emulator (no Ansible process):
the $batch paths whose faults are cheap to provoke here - a lost $batch answer, an inner write refused."""
import pytest

from ansible_collections.msgraph.security.plugins.module_utils._core.errors import AnswerLostError, MsGraphError
from ansible_collections.msgraph.security.plugins.module_utils._resources.incident_comments import IncidentCommenter
from ansible_collections.msgraph.security.plugins.module_utils._resources.incident_writes import IncidentWriter

from ..emulator_client import connect

IDS = ['300', '299', '298']


@pytest.fixture
def graph(clean_emulator):
    clean_emulator.reset()
    yield clean_emulator
    clean_emulator.reset()


def texts(graph, incident_id):
    return [c['comment'] for c in graph.incident(incident_id)['comments']]


def test_a_lost_batch_of_comments_is_read_again_and_not_posted_twice(graph):
    # The answer of the $batch carrying the POSTs is dropped after they were stored.
    graph.set_faults({'rules': [{'path_regex': '/comments$', 'in_batch': True, 'after': 'drop', 'count': 1}]})
    result = IncidentCommenter(connect(graph, 'writer-secret')).apply(
        dict(incident_ids=IDS, comment='Batched, answer lost.', unique=True, fail_on_missing=True))
    assert result['changed'] and result['changed_ids'] == IDS
    for incident_id in IDS:
        assert texts(graph, incident_id).count('Batched, answer lost.') == 1
        assert [c['comment'] for c in result['comments'][incident_id]] == texts(graph, incident_id)
    # One POST $batch was sent (its answer lost), then the comments were read again; none was resent.
    assert len([r for r in graph.requests() if r['in_batch'] and r['method'] == 'POST']) == 3


def test_a_lost_batch_of_comments_without_unique_fails_naming_the_incidents(graph):
    graph.set_faults({'rules': [{'path_regex': '/comments$', 'in_batch': True, 'after': 'drop', 'count': 1}]})
    with pytest.raises(AnswerLostError) as caught:
        IncidentCommenter(connect(graph, 'writer-secret')).apply(
            dict(incident_ids=IDS, comment='Repeated.', unique=False, fail_on_missing=True))
    assert 'unique=false' in str(caught.value) and '300, 299, 298' in str(caught.value)
    assert caught.value.details['uncertain_ids'] == IDS
    assert [texts(graph, i).count('Repeated.') for i in IDS] == [1, 1, 1]  # stored once, never resent


def test_check_mode_comments_nothing_and_says_where_it_would(graph):
    commenter = IncidentCommenter(connect(graph, 'writer-secret'), check_mode=True)
    result = commenter.apply(dict(incident_ids=IDS, comment='Would add.', unique=True, fail_on_missing=True))
    assert result['changed_ids'] == IDS and all('Would add.' not in texts(graph, i) for i in IDS)
    assert not [r for r in graph.requests() if r['method'] == 'POST' and '/comments' in r['path']]


def test_an_inner_write_refused_fails_saying_which_incidents_were_written(graph):
    graph.set_faults({'rules': [{'path_regex': '/security/incidents/299$', 'method': 'PATCH', 'in_batch': True,
                                 'status': 400, 'message': 'Refused for the test.'}]})
    with pytest.raises(MsGraphError) as caught:
        IncidentWriter(connect(graph, 'writer-secret')).apply(
            dict(incident_ids=IDS, custom_tags=['batch-test'], fail_on_missing=True))
    assert '1 of 3 incident updates failed: 299 (PATCH' in str(caught.value)
    assert 'These were updated: 300, 298.' in str(caught.value)
    assert caught.value.details['changed'] is True and caught.value.details['changed_ids'] == ['300', '298']
    assert ['batch-test' in graph.incident(i)['customTags'] for i in IDS] == [True, False, True]
