"""msgraph.security.incidents: main(queue, args) against the emulator (real MSAL, real HTTPS).

Each test makes changes through the emulator's control API while the source runs and checks the
events against what was changed: every change once, oldest first, with the incident's latest state.
"""
import asyncio
import json
import logging
import os
import traceback

import pytest

from ansible_collections.msgraph.security.plugins.module_utils._core import msal_apps

from .source_runner import later, main_error, run_source, source_args, stamp

FAST = dict(interval=0.3)


@pytest.fixture
def graph(clean_emulator):
    # Each test is a fresh ansible-rulebook process: no MSAL application (token) left by an earlier one.
    msal_apps.clear()
    yield clean_emulator
    clean_emulator.reset()


def ids(events):
    return [event['incident']['id'] for event in events]


def list_requests(graph):
    """Outer GETs of the incident list (one per poll attempt)."""
    return [r for r in graph.requests() if not r['in_batch'] and r['method'] == 'GET'
            and r['path'].endswith('/security/incidents')]


def token_requests(graph):
    return [r for r in graph.requests() if '/oauth2/' in r['path'] and r['method'] == 'POST']


def test_created_then_updated_incidents_give_one_event_each_with_graph_shape(graph):
    async def scenario(run):
        assert await run.quiet(0.8) == []  # the dataset predates the start: nothing to deliver
        new = await later(graph.create_incident, {'severity': 'high', 'displayName': 'Ransomware on srv-file02'})
        created = await run.events(1)
        await later(graph.update_incident, new['id'], {'status': 'inProgress'})
        await later(graph.update_incident, '300', {'assignedTo': 'KaiC@contoso.com'})
        updated = await run.events(2)
        return new, created, updated, await run.quiet(1.0)

    new, created, updated, extra = run_source(source_args(graph, **FAST), scenario)
    # A new incident: every field of `changed` with its value after only (nothing before it to compare with).
    tracked = ('severity', 'status', 'assignedTo', 'classification', 'determination')
    assert created == [{'incident': created[0]['incident'], 'change': 'created',
                        'changed': dict((field, {'after': new.get(field)}) for field in tracked)}]
    assert created[0]['incident']['id'] == new['id'] and created[0]['incident']['severity'] == 'high'
    assert created[0]['incident']['lastUpdateDateTime'] == new['lastUpdateDateTime']  # all 7 digits kept
    assert [(e['incident']['id'], e['change']) for e in updated] == [(new['id'], 'updated'), ('300', 'updated')]
    assert updated[0]['incident']['status'] == 'inProgress'
    assert updated[1]['incident']['assignedTo'] == 'KaiC@contoso.com'
    assert 'alerts' not in created[0]['incident'] and extra == []


def test_incident_changed_twice_between_polls_gives_one_event_with_its_latest_state(graph):
    async def scenario(run):
        await run.quiet(0.5)
        await later(graph.update_incident, '299', {'status': 'active'})
        await later(graph.update_incident, '299', {'status': 'resolved', 'classification': 'falsePositive',
                                                   'determination': 'notMalicious'})
        first = await run.events(1)
        return first, await run.quiet(1.5)

    # A long interval: both changes land between the same two polls.
    first, extra = run_source(source_args(graph, interval=2), scenario)
    assert [(e['incident']['id'], e['change'], e['incident']['status']) for e in first] == [
        ('299', 'updated', 'resolved')]
    assert extra == []


def test_ties_on_last_update_and_the_100ns_digit_are_neither_missed_nor_repeated(graph):
    tie = stamp(1, digit7=5)
    just_after = tie[:-2] + '6Z'  # 100 ns later: a second-precision checkpoint would merge them

    async def scenario(run):
        await run.quiet(0.5)
        a = await later(graph.create_incident, {'displayName': 'a'}, tie)
        b = await later(graph.create_incident, {'displayName': 'b'}, tie)
        first = await run.events(2)
        # Made after the poll that delivered a and b, with their very stamp (Graph can show a change late).
        c = await later(graph.create_incident, {'displayName': 'c'}, tie)
        d = await later(graph.create_incident, {'displayName': 'd'}, just_after)
        second = await run.events(2)
        return (a, b, c, d), first, second, await run.quiet(1.5)

    made, first, second, extra = run_source(source_args(graph, **FAST), scenario)
    a, b, c, d = made
    assert sorted(ids(first)) == sorted([a['id'], b['id']])
    assert ids(second) == [c['id'], d['id']]
    assert all(e['change'] == 'created' for e in first + second) and extra == []


def test_more_than_a_page_in_one_interval_is_delivered_in_one_poll_oldest_first(graph):
    async def scenario(run):
        await run.quiet(0.5)
        await later(graph.clear_requests)
        made = []
        for n in range(120):
            made.append(await later(graph.create_incident, {'displayName': 'burst %d' % n}))
        events = await run.events(120, timeout=30)
        return made, events, await run.quiet(1.0)

    made, events, extra = run_source(source_args(graph, interval=1.5), scenario)
    assert ids(events) == [m['id'] for m in made] and extra == []
    stamps = [e['incident']['lastUpdateDateTime'] for e in events]
    assert stamps == sorted(stamps)
    # The poll that found them: $count page + one $batch for the other pages (the source repeats the
    # overlap window afterwards, in the same two round trips).
    batches = [r for r in graph.requests() if not r['in_batch'] and r['path'].endswith('/$batch')]
    assert batches and len(list_requests(graph)) >= len(batches)


def test_restart_with_state_file_resumes_without_missing_or_repeating(graph, tmp_path):
    state_file = str(tmp_path / 'checkpoint.json')
    # replay=0: the checkpoint follows the queue (an in-process consumer acts at once), so nothing repeats.
    args = source_args(graph, state_file=state_file, replay=0, **FAST)

    async def first_run(run):
        await run.quiet(0.5)
        one = await later(graph.create_incident, {'displayName': 'before restart'})
        return one, await run.events(1)

    async def second_run(run):
        events = await run.events(3)
        return events, await run.quiet(1.0)

    one, before = run_source(args, first_run)
    saved = json.loads(open(state_file).read())
    assert saved['checkpoint'] == one['lastUpdateDateTime'] and one['id'] in saved['delivered']
    # While the source is stopped: a new incident, an update of the delivered one, an update of an old one.
    two = graph.create_incident({'displayName': 'while stopped'})
    graph.update_incident(one['id'], {'status': 'inProgress'})
    graph.update_incident('298', {'status': 'inProgress'})
    # since is ignored when the state file holds a checkpoint.
    after, extra = run_source(dict(args, since='1s'), second_run)
    assert [(e['incident']['id'], e['change']) for e in after] == [
        (two['id'], 'created'), (one['id'], 'updated'), ('298', 'updated')]
    assert ids(before) == [one['id']] and extra == []


def test_changes_created_delivers_new_incidents_only(graph):
    async def scenario(run):
        await run.quiet(0.5)
        await later(graph.update_incident, '300', {'status': 'inProgress'})
        new = await later(graph.create_incident)
        events = await run.events(1)
        await later(graph.update_incident, new['id'], {'status': 'inProgress'})
        return new, events, await run.quiet(1.2)

    new, events, extra = run_source(source_args(graph, changes='CREATED', **FAST), scenario)
    assert [(e['incident']['id'], e['change']) for e in events] == [(new['id'], 'created')] and extra == []


def test_filters_and_expand_alerts_apply_to_the_stream(graph):
    async def scenario(run):
        await run.quiet(0.5)
        await later(graph.create_incident, {'severity': 'low'})
        high = await later(graph.create_incident, {'severity': 'high'})
        return high, await run.events(1), await run.quiet(1.0)

    high, events, extra = run_source(source_args(graph, severity=['HIGH'], expand_alerts=True, **FAST), scenario)
    assert ids(events) == [high['id']] and extra == []
    assert events[0]['incident']['alerts'] == []  # expanded (a created incident has no alerts yet)


def test_since_duration_reaches_back(graph):
    old = graph.update_incident('297', {'status': 'inProgress'}, at=stamp(-3600))

    async def scenario(run):
        return await run.events(1), await run.quiet(1.0)

    events, extra = run_source(source_args(graph, since='2h', **FAST), scenario)
    assert [(e['incident']['id'], e['incident']['lastUpdateDateTime']) for e in events] == [
        ('297', old['lastUpdateDateTime'])] and extra == []


def test_idle_polls_cost_one_request_each_and_one_token_for_all(graph):
    async def scenario(run):
        await run.quiet(2.0)

    run_source(source_args(graph, **FAST), scenario)
    polls = list_requests(graph)
    assert len(polls) >= 4
    assert len(token_requests(graph)) == 1
    assert not [r for r in graph.requests() if r['path'].endswith('/$batch')]


def test_throttling_and_server_errors_are_waited_out_and_logged(graph, caplog):
    caplog.set_level(logging.WARNING, logger='msgraph.security.incidents')

    async def scenario(run):
        await run.quiet(0.5)
        new = await later(graph.create_incident)
        # More failures than max_retries=1 lets the client absorb: the source itself must wait and retry.
        await later(graph.set_faults, {'rules': [
            {'path_regex': 'security/incidents$', 'method': 'GET', 'status': 429, 'retry_after': 0, 'count': 3},
            {'path_regex': 'security/incidents$', 'method': 'GET', 'status': 503, 'count': 3}]})
        return new, await run.events(1, timeout=30), await run.quiet(1.0)

    new, events, extra = run_source(source_args(graph, max_retries=1, **FAST), scenario)
    assert ids(events) == [new['id']] and extra == []
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any('HTTP 429' in w and 'retrying' in w for w in warnings), warnings
    assert any('HTTP 503' in w for w in warnings), warnings
    assert any('Graph answered again' in w for w in warnings), warnings


def test_outage_does_not_stop_the_source_and_loses_nothing(graph, caplog):
    caplog.set_level(logging.WARNING, logger='msgraph.security.incidents')

    async def scenario(run):
        await run.quiet(0.5)
        await later(graph.set_faults, {'rules': [{'path_regex': '.', 'status': 503}]})  # Graph and Entra ID down
        made = [await later(graph.create_incident) for dummy in range(3)]
        assert await run.quiet(3.0) == []
        await later(graph.reset_faults)
        return made, await run.events(3), await run.quiet(1.0)

    made, events, extra = run_source(source_args(graph, max_retries=0, **FAST), scenario)
    assert ids(events) == [m['id'] for m in made] and extra == []
    assert len([r for r in caplog.records if 'poll failed' in r.getMessage()]) >= 2


def test_expired_token_is_renewed_and_the_poll_goes_on(graph):
    async def scenario(run):
        await run.quiet(0.6)
        await later(graph.expire_tokens)
        new = await later(graph.create_incident)
        return new, await run.events(1), await run.quiet(0.6)

    new, events, extra = run_source(source_args(graph, **FAST), scenario)
    assert ids(events) == [new['id']] and extra == []
    assert len(token_requests(graph)) == 2  # the first token, and one renewal after the 401


def test_changes_made_while_the_pages_are_read_are_delivered_once(graph):
    """Two updates between a poll's $count page and its $batch of the other pages: the first on a page
    already read, the second (a newer stamp) on a page still to come. The poll sees only the second; a
    checkpoint moved to its stamp with `ge` alone would skip the first for ever."""
    tie = stamp(1)  # one stamp for all: whatever the window, the poll lists more than a page
    made = [graph.create_incident({'displayName': 'page filler %d' % n}, tie) for n in range(70)]
    newest_created, oldest_created = made[-1], made[0]  # on the first page / on the $batch page

    async def scenario(run):
        first = await run.events(70, timeout=30)
        await later(graph.set_faults, {'rules': [{'path_regex': r'/\$batch$', 'method': 'POST', 'delay_ms': 1200}]})
        seen = len(await later(list_requests, graph))
        while len(await later(list_requests, graph)) == seen:  # wait for a first page to be served
            await asyncio.sleep(0.01)
        on_read_page = await later(graph.update_incident, newest_created['id'], {'status': 'inProgress'})
        on_later_page = await later(graph.update_incident, oldest_created['id'], {'status': 'inProgress'})
        events = await run.events(2, timeout=30)
        await later(graph.reset_faults)
        return first, (on_read_page, on_later_page), events, await run.quiet(2.0)

    first, changed, events, extra = run_source(source_args(graph, since='1m', **FAST), scenario)
    assert sorted(ids(first)) == sorted(m['id'] for m in made)
    # Each once, in its latest state; the one the racing poll missed comes with the next poll.
    assert sorted((e['incident']['id'], e['change'], e['incident']['lastUpdateDateTime']) for e in events) == sorted(
        (c['id'], 'updated', c['lastUpdateDateTime']) for c in changed)
    assert extra == []


def test_event_loop_stays_free_while_graph_is_slow(graph):
    async def scenario(run):
        await later(graph.set_faults, {'rules': [{'path_regex': 'security/incidents$', 'delay_ms': 1500}]})
        ticks = 0
        for dummy in range(20):
            await asyncio.sleep(0.05)
            ticks += 1
        return ticks

    assert run_source(source_args(graph, **FAST), scenario, timeout=5) == 20


# --- misconfiguration: stop at once, one clear message, no secret --------------------------

def secret_of(graph):
    return graph.env('reader-secret')['AZURE_CLIENT_SECRET']


@pytest.mark.parametrize('extra, words', [
    ({'severty': ['high']}, ['unknown argument severty', 'severity']),
    ({'severity': ['urgent']}, ['severity', 'urgent', 'high']),
    ({'changes': 'deleted'}, ['changes', 'created']),
    ({'since': 'yesterday'}, ['since', 'ISO 8601', '2h']),
    ({'since': '2999-01-01T00:00:00Z'}, ['since', 'future']),
    ({'interval': 0}, ['interval', 'above zero']),
    ({'state_file': '/nonexistent/dir/state.json'}, ['state_file', '/nonexistent/dir', 'writable']),
    ({'filter': "severity eq 'urgent'"}, ['HTTP 400', 'request-id']),
])
def test_bad_arguments_stop_the_source_with_one_clear_message(graph, extra, words):
    error = main_error(source_args(graph, **extra))
    text = str(error)
    assert all(word in text for word in words), text
    assert secret_of(graph) not in text
    # ansible-rulebook logs the frames of what main raises: only main's own, not the core's.
    frames = [frame.filename for frame in traceback.extract_tb(error.__traceback__)]
    assert not [name for name in frames if '/module_utils/' in name or '/plugin_utils/' in name], frames


def test_state_file_of_another_mode_or_not_ours_is_refused(graph, tmp_path):
    other = tmp_path / 'other.json'
    other.write_text(json.dumps({'version': 1, 'changes': 'all', 'origin': stamp(), 'checkpoint': None,
                                 'delivered': {}}))
    assert 'changes=all' in str(main_error(source_args(graph, changes='created', state_file=str(other))))
    other.write_text('{not json')
    assert 'is not JSON' in str(main_error(source_args(graph, state_file=str(other))))


@pytest.mark.parametrize('app, changes, words', [
    ('no-permission', {}, ['HTTP 403', 'SecurityIncident.Read.All']),
    ('reader-secret', {'client_secret': 'wrong-secret-value'}, ['Token request', 'invalid_client']),
    (None, {}, ['No credentials', 'AZURE_CLIENT_SECRET']),
])
def test_credentials_and_permissions_stop_the_source_without_secrets(graph, monkeypatch, app, changes, words):
    for name in list(os.environ):
        if name.startswith(('AZURE_', 'MSGRAPH_')):
            monkeypatch.delenv(name)
    args = source_args(graph, app or 'reader-secret', **changes)
    if app is None:
        args = dict((k, v) for k, v in args.items() if k not in ('client_secret', 'client_id'))
    text = str(main_error(args))
    assert all(word in text for word in words), text
    assert secret_of(graph) not in text and 'wrong-secret-value' not in text


def test_environment_variables_of_the_option_table_are_used(graph, monkeypatch):
    for name, value in graph.env('reader-secret').items():
        monkeypatch.setenv(name, value)

    async def scenario(run):
        await run.quiet(0.5)
        new = await later(graph.create_incident)
        return new, await run.events(1)

    new, events = run_source(dict(FAST), scenario)
    assert ids(events) == [new['id']]
