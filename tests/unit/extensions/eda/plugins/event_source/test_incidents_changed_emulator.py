"""msgraph.security.incidents: what each event says changed (``changed``), across polls and restarts, against the emulator."""
import json

import pytest

from ansible_collections.msgraph.security.plugins.module_utils._core import msal_apps

from .source_runner import later, main_error, run_source, source_args, stamp

FAST = dict(interval=0.3)
TRACKED = ('severity', 'status', 'assignedTo', 'classification', 'determination')


@pytest.fixture
def graph(clean_emulator):
    msal_apps.clear()
    yield clean_emulator
    clean_emulator.reset()


def test_updates_say_what_changed_before_and_after_and_other_updates_say_nothing(graph):
    async def scenario(run):
        await run.quiet(0.5)
        new = await later(graph.create_incident, {'severity': 'medium', 'displayName': 'escalates'})
        events = await run.events(1)
        await later(graph.update_incident, new['id'], {'severity': 'high'})
        events += await run.events(1)
        # What a triage recording does: a tag only, then status and assignment.
        await later(graph.update_incident, new['id'], {'customTags': ['triage:high']})
        events += await run.events(1)
        await later(graph.update_incident, new['id'], {'status': 'inProgress', 'assignedTo': 'ZoeM@contoso.com'})
        events += await run.events(1)
        return new, events

    new, events = run_source(source_args(graph, **FAST), scenario)
    assert [e['change'] for e in events] == ['created', 'updated', 'updated', 'updated']
    assert events[0]['changed']['severity'] == {'after': 'medium'}
    assert events[1]['changed'] == {'severity': {'before': 'medium', 'after': 'high'}}
    assert events[2]['changed'] == {}
    assert events[3]['changed'] == {'status': {'before': new['status'], 'after': 'inProgress'},
                                    'assignedTo': {'before': new['assignedTo'], 'after': 'ZoeM@contoso.com'}}


def test_an_incident_first_seen_by_an_update_has_every_field_after_only(graph):
    async def scenario(run):
        await run.quiet(0.5)
        await later(graph.update_incident, '300', {'status': 'inProgress'})
        return await run.events(1)

    events = run_source(source_args(graph, **FAST), scenario)
    incident = events[0]['incident']
    assert events[0]['change'] == 'updated'
    assert events[0]['changed'] == dict((field, {'after': incident.get(field)}) for field in TRACKED)


def test_the_memory_survives_a_restart_in_the_state_file(graph, tmp_path):
    state_file = str(tmp_path / 'checkpoint.json')
    args = source_args(graph, state_file=state_file, replay=0, **FAST)  # each event handled once on the queue

    async def first_run(run):
        await run.quiet(0.5)
        one = await later(graph.create_incident, {'severity': 'low', 'displayName': 'low first'})
        return one, await run.events(1)

    async def second_run(run):
        return await run.events(1)

    one, dummy = run_source(args, first_run)
    saved = json.loads(open(state_file).read())
    assert saved['memory'][one['id']]['values']['severity'] == 'low'
    graph.update_incident(one['id'], {'severity': 'high'})  # while the source is stopped
    after = run_source(args, second_run)
    assert after[0]['changed'] == {'severity': {'before': 'low', 'after': 'high'}}


def test_an_event_delivered_again_after_a_stop_says_what_changed_as_the_first_time(graph, tmp_path):
    # The raise to high is delivered, then the source stops before the event counts as handled (replay):
    # the saved memory must not hold it yet, or the event delivered again would say nothing changed
    # and the shipped rulebook would never triage the escalation.
    state_file = str(tmp_path / 'checkpoint.json')
    handled_at_once = source_args(graph, state_file=state_file, replay=0, **FAST)
    not_yet_handled = source_args(graph, state_file=state_file, **FAST)  # replay: its default, 300 s

    async def created(run):
        await run.quiet(0.5)
        return await later(graph.create_incident, {'severity': 'medium', 'displayName': 'medium first'}), \
            await run.events(1)

    async def one_event(run):
        return await run.events(1)

    incident, dummy = run_source(handled_at_once, created)
    graph.update_incident(incident['id'], {'severity': 'high'})
    first = run_source(not_yet_handled, one_event)
    again = run_source(not_yet_handled, one_event)
    assert first[0]['changed'] == {'severity': {'before': 'medium', 'after': 'high'}}
    assert again[0]['incident']['id'] == incident['id'] and again[0]['changed'] == first[0]['changed']


def test_a_memory_not_written_by_the_source_is_refused_with_the_file_named(graph, tmp_path):
    state_file = tmp_path / 'checkpoint.json'
    base = {'version': 1, 'changes': 'all', 'origin': stamp(), 'checkpoint': None, 'delivered': {}}
    for memory in (['not', 'a', 'mapping'], {'7': {'at': 'yesterday', 'values': {}}}):
        state_file.write_text(json.dumps(dict(base, memory=memory)))
        text = str(main_error(source_args(graph, state_file=str(state_file))))
        assert 'state_file=%s' % state_file in text and 'memory' in text, text
