"""The incident writers' rules against the emulator: what the incident will hold, what is sent, what is reported."""
import pytest

from ansible_collections.msgraph.security.plugins.module_utils._core import commenter as commenter_module
from ansible_collections.msgraph.security.plugins.module_utils._core import reader as reader_module
from ansible_collections.msgraph.security.plugins.module_utils._core.errors import AnswerLostError, MsGraphError, OptionError
from ansible_collections.msgraph.security.plugins.module_utils._resources.incident_comments import IncidentCommenter
from ansible_collections.msgraph.security.plugins.module_utils._resources.incident_writes import IncidentWriter

from ..emulator_client import connect

IDS = ['300', '299']


@pytest.fixture
def graph(clean_emulator):
    clean_emulator.reset()
    yield clean_emulator
    clean_emulator.reset()


def write(graph, check_mode=False, **params):
    return IncidentWriter(connect(graph, 'writer-secret'), check_mode).apply(dict(dict(fail_on_missing=True), **params))


def comment(graph, **params):
    return IncidentCommenter(connect(graph, 'writer-secret')).apply(dict(dict(fail_on_missing=True), **params))


def writes(graph):
    return [r for r in graph.requests() if r['method'] in ('PATCH', 'POST') and '/security/incidents/' in r['path']]


def test_unassigning_sends_null_and_graph_keeps_no_owner(graph):
    result = write(graph, incident_id='300', assigned_to='')
    assert result['changed'] and result['incident']['assignedTo'] is None
    assert graph.incident('300')['assignedTo'] is None  # the emulator refuses "": null was sent


def test_an_assignee_is_trimmed_and_blanks_are_refused_before_anything_is_sent(graph):
    graph.clear_requests()
    with pytest.raises(OptionError, match=r"assigned_to='   ' is only blanks"):
        write(graph, incident_id='300', assigned_to='   ')
    assert graph.requests() == []
    write(graph, incident_id='300', assigned_to='  soc-tier1@contoso.com ')
    assert graph.incident('300')['assignedTo'] == 'soc-tier1@contoso.com'


def test_changing_only_the_classification_is_checked_against_the_determination_it_keeps(graph):
    graph.update_incident('300', {'classification': 'truePositive', 'determination': 'malware'})
    with pytest.raises(OptionError, match=r'Incident 300: determination=malware does not fit classification=falsePositive;'
                                          r' .*that is its current determination: set determination too'):
        write(graph, incident_id='300', classification='falsePositive')
    assert graph.incident('300')['classification'] == 'truePositive' and writes(graph) == []
    # other and unknown fit any classification (the pairing is the portal's convention, not Graph's rule).
    graph.update_incident('300', {'classification': 'truePositive', 'determination': 'other'})
    assert write(graph, incident_id='300', classification='falsePositive')['changed']
    graph.update_incident('299', {'classification': 'unknown', 'determination': 'unknown'})
    assert write(graph, incident_id='299', classification='truePositive')['changed']


def test_a_resolving_comment_only_goes_with_a_resolved_incident(graph):
    graph.clear_requests()
    with pytest.raises(OptionError, match='resolving_comment goes with status=resolved, not status=inProgress'):
        write(graph, incident_id='300', status='inProgress', resolving_comment='Done.')
    assert graph.requests() == []  # refused before the incident was read
    with pytest.raises(OptionError, match='Incident 300 is active and this task does not resolve it'):
        write(graph, incident_id='300', resolving_comment='Done.')
    assert writes(graph) == [] and graph.incident('300')['resolvingComment'] != 'Done.'
    assert write(graph, incident_id='296', resolving_comment='Done.')['changed']  # already resolved


def test_a_redirected_incident_is_not_moved_back_without_move_redirected(graph):
    redirected = graph.known['redirected']
    with pytest.raises(OptionError, match='Incident %s is redirected .*move_redirected: true' % redirected):
        write(graph, incident_ids=['300', redirected], status='active')
    assert writes(graph) == [] and graph.incident(redirected)['status'] == 'redirected'
    # Its tags may still change; its status only when asked explicitly.
    assert write(graph, incident_id=redirected, custom_tags=['merged'])['changed']
    assert write(graph, incident_id=redirected, status='active', move_redirected=True)['changed']
    assert graph.incident(redirected)['status'] == 'active'


def test_only_from_status_leaves_the_other_incidents_alone_and_reports_them(graph):
    resolved = graph.known['resolved']
    result = write(graph, incident_ids=['300', resolved], status='inProgress', only_from_status=['Active', 'inProgress'])
    assert result['changed_ids'] == ['300'] and result['skipped_ids'] == [resolved]
    assert graph.incident(resolved)['status'] == 'resolved' and graph.incident('300')['status'] == 'inProgress'
    assert [i['id'] for i in result['incidents']] == ['300', resolved]
    with pytest.raises(OptionError, match='only_from_status is empty'):
        write(graph, incident_id='300', status='active', only_from_status=[])


def test_tags_compare_ignoring_case_as_the_portal_does(graph):
    graph.update_incident('300', {'customTags': ['Demo', 'VIP']})
    graph.clear_requests()
    result = write(graph, incident_id='300', custom_tags=['demo', 'vip'])
    assert not result['changed'] and writes(graph) == []
    assert not write(graph, incident_id='300', custom_tags=['VIP', 'DEMO'], purge_custom_tags=True)['changed']
    result = write(graph, incident_id='300', custom_tags=['new', 'NEW', 'Vip'])
    assert result['changed'] and graph.incident('300')['customTags'] == ['Demo', 'VIP', 'new']


def test_an_enum_spelled_differently_on_the_incident_is_the_same_value(graph):
    graph.update_incident('300', {'status': 'InProgress', 'classification': 'TRUEPOSITIVE'})
    graph.clear_requests()
    assert not write(graph, incident_id='300', status='inprogress', classification='truePositive')['changed']
    assert writes(graph) == []
    with pytest.raises(OptionError, match='determination=notMalicious does not fit classification=truePositive'):
        write(graph, incident_id='300', determination='notMalicious')


@pytest.fixture
def swap_after_the_read(graph, monkeypatch):
    """From the write on, the first answer of each $batch carries another request's body (reads stay right)."""
    read_found = reader_module.Reader.read_found

    def then_swap(self, *args, **kwargs):
        found = read_found(self, *args, **kwargs)
        graph.set_faults({'rules': [{'path_regex': r'/\$batch$', 'method': 'POST', 'misbehave': 'batch_wrong_body'}]})
        return found

    monkeypatch.setattr(reader_module.Reader, 'read_found', then_swap)


def test_swapped_write_answers_in_a_batch_are_detected(graph, swap_after_the_read):
    with pytest.raises(MsGraphError) as caught:
        write(graph, incident_ids=IDS, custom_tags=['swapped'])
    assert 'Asked for incident 300, Graph answered incident 299' in str(caught.value)
    assert caught.value.details['changed'] is True and caught.value.details['changed_ids'] == IDS


def test_swapped_comment_answers_in_a_batch_are_detected(graph, swap_after_the_read):
    with pytest.raises(MsGraphError) as caught:
        comment(graph, incident_ids=['2972395', '300'], comment='Whose list is this?')
    assert 'comment list that is not its own' in str(caught.value) and caught.value.details['changed'] is True


def test_a_lost_batch_of_comments_without_unique_reports_changed(graph):
    graph.set_faults({'rules': [{'path_regex': '/comments$', 'in_batch': True, 'after': 'drop', 'count': 1}]})
    with pytest.raises(AnswerLostError) as caught:
        comment(graph, incident_ids=IDS, comment='Maybe posted.', unique=False)
    # The comments were stored: the failure must not read as "nothing changed".
    assert caught.value.details['changed'] is True and caught.value.details['changed_ids'] == IDS


def test_a_lost_comment_that_never_arrived_is_posted_after_the_re_read(graph, monkeypatch):
    sent = commenter_module.Commenter._send
    calls = []

    def lose_first(self, ids, text, before):
        calls.append(list(ids))
        if len(calls) == 1:  # lost before Graph stored it: the re-read finds no comment
            raise AnswerLostError('POST /comments was sent but its answer was lost')
        return sent(self, ids, text, before)

    monkeypatch.setattr(commenter_module.Commenter, '_send', lose_first)
    result = comment(graph, incident_id='300', comment='Posted after all.', unique=True)
    assert calls == [['300'], ['300']] and result['changed']
    assert [c['comment'] for c in graph.incident('300')['comments']].count('Posted after all.') == 1


def test_a_write_that_shows_another_writers_change_says_so(graph, monkeypatch):
    from ansible_collections.msgraph.security.plugins.module_utils._core import writer as writer_module
    send = writer_module.send_each

    def another_writer_first(*args, **kwargs):
        graph.update_incident('300', {'description': 'Changed by an analyst meanwhile.'})
        return send(*args, **kwargs)

    monkeypatch.setattr(writer_module, 'send_each', another_writer_first)
    result = write(graph, incident_id='300', status='inProgress')
    assert result['changed'] and result['changed_by_others'] == {'300': ['description']}
    assert 'Incident 300 was changed by another writer' in result['warnings'][0]
