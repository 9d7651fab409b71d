"""msgraph.security.incidents: no stop loses a change; bad items, a full disk, a stuck poll, the retry budget.

The saved checkpoint passes only events known handled (acknowledged when ansible-rulebook offers
feedback, and put on the queue at least `replay` seconds ago): a stop re-delivers the others.
"""
import asyncio
import errno
import json
import logging
import os
import traceback

import pytest

from ansible_collections.msgraph.security.plugins.module_utils._core import msal_apps
from ansible_collections.msgraph.security.plugins.plugin_utils._polling import state_file as state_file_module

from .source_runner import later, main_error, run_source, source_args

FAST = dict(interval=0.3)


@pytest.fixture
def graph(clean_emulator):
    msal_apps.clear()
    yield clean_emulator
    clean_emulator.reset()


def ids(events):
    return [event['incident']['id'] for event in events]


def warnings(caplog):
    return [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]


def test_a_stop_before_the_actions_ran_delivers_the_events_again_after_the_restart(graph, tmp_path):
    args = source_args(graph, state_file=str(tmp_path / 'state.json'), **FAST)  # replay: its default

    async def first_run(run):
        await run.quiet(0.5)
        made = [await later(graph.create_incident, {'severity': 'high'}) for dummy in range(3)]
        return made, await run.events(3)

    async def second_run(run):
        return await run.events(3), await run.quiet(0.8)

    made, before = run_source(args, first_run)
    saved = json.loads((tmp_path / 'state.json').read_text())
    assert saved['checkpoint'] is None and saved['delivered'] == {}  # nothing handled yet: nothing passed
    after, extra = run_source(args, second_run)
    assert ids(before) == ids(after) == [m['id'] for m in made] and extra == []
    assert [e['change'] for e in after] == ['created'] * 3  # still new: the rule fires again


def test_with_feedback_only_acknowledged_events_are_passed(graph, tmp_path):
    state_file = str(tmp_path / 'state.json')

    async def first_run(run):
        await run.quiet(0.5)
        made = [await later(graph.create_incident) for dummy in range(3)]
        events = await run.events(3)
        for event in events[:2]:  # as ansible-rulebook hands back what its rule engine took
            await run.feedback.put(event)
        await run.quiet(0.8)  # a poll or two: the source saves what is acknowledged
        return made, events

    async def second_run(run):
        return await run.events(1), await run.quiet(0.8)

    args = source_args(graph, state_file=state_file, replay=0, feedback=True, **FAST)
    made, before = run_source(args, first_run, feedback=True)
    saved = json.loads(open(state_file).read())
    assert sorted(saved['delivered']) == sorted(m['id'] for m in made[:2])
    after, extra = run_source(args, second_run, feedback=True)
    assert ids(after) == [made[2]['id']] and after[0]['change'] == 'created' and extra == []


def test_an_incident_without_a_creation_time_is_skipped_with_a_warning_naming_it(graph, caplog):
    caplog.set_level(logging.WARNING, logger='msgraph.security.incidents')

    async def scenario(run):
        await run.quiet(0.5)
        good = await later(graph.create_incident, {'displayName': 'fine'})
        # Updated after the creation: the emulator sorts by createdDateTime when it creates one.
        bad = await later(graph.update_incident, '300', {'createdDateTime': None})
        return bad, good, await run.events(1), await run.quiet(1.0)

    bad, good, events, extra = run_source(source_args(graph, **FAST), scenario)
    assert ids(events) == [good['id']] and extra == []
    skipped = [w for w in warnings(caplog) if 'skipped incident %s' % bad['id'] in w]
    assert len(skipped) == 1 and 'createdDateTime is not a time (None)' in skipped[0], warnings(caplog)


def test_a_state_directory_that_becomes_unwritable_stops_with_one_clear_message(graph, tmp_path, monkeypatch):
    state_file = str(tmp_path / 'state.json')
    real_replace = os.replace

    def read_only(source, target):
        if target == state_file and os.path.exists(state_file):  # the first save works, later ones fail
            raise OSError(errno.EROFS, os.strerror(errno.EROFS))
        return real_replace(source, target)

    monkeypatch.setattr(state_file_module.os, 'replace', read_only)

    async def make_one():
        await asyncio.sleep(1.0)
        await later(graph.create_incident)

    async def go():
        from .source_runner import load_main
        main = load_main()
        maker = asyncio.ensure_future(make_one())
        try:
            await asyncio.wait_for(main(asyncio.Queue(), source_args(graph, state_file=state_file, replay=0, **FAST)), 30)
        except Exception as error:  # noqa: BLE001 - inspected below
            return error
        finally:
            maker.cancel()
        raise AssertionError('main returned')

    error = asyncio.run(go())
    assert 'state_file=%s: the checkpoint cannot be saved (Read-only file system)' % state_file in str(error)
    frames = [frame.filename for frame in traceback.extract_tb(error.__traceback__)]
    assert not [name for name in frames if '/plugin_utils/' in name or '/module_utils/' in name], frames


def test_a_poll_failing_again_and_again_says_once_that_the_source_is_stuck_and_why(graph, caplog):
    caplog.set_level(logging.WARNING, logger='msgraph.security.incidents')

    async def scenario(run):
        await run.quiet(0.5)
        await later(graph.set_faults, {'rules': [{'path_regex': 'security/incidents$', 'status': 503}]})
        await run.quiet(6.0)
        await later(graph.reset_faults)

    run_source(source_args(graph, max_retries=0, interval=0.5), scenario)
    stuck = [w for w in warnings(caplog) if 'the source is stuck' in w]
    assert len(stuck) == 1 and 'HTTP 503' in stuck[0] and 'no event comes until one succeeds' in stuck[0], warnings(caplog)
    assert len([w for w in warnings(caplog) if 'poll failed' in w]) >= 4


def test_a_tenant_failing_expand_alerts_still_gets_its_events_with_alerts(graph, caplog):
    caplog.set_level(logging.WARNING, logger='msgraph.security.incidents')

    async def scenario(run):
        await run.quiet(0.5)
        await later(graph.set_faults, {'rules': [
            {'path_regex': 'security/incidents$', 'query_regex': r'\$expand=alerts', 'status': 500}]})
        new = await later(graph.create_incident, {'severity': 'high'})
        return new, await run.events(1), await run.quiet(1.0)

    new, events, extra = run_source(source_args(graph, expand_alerts=True, max_retries=0, **FAST), scenario)
    assert ids(events) == [new['id']] and events[0]['incident']['alerts'] == [] and extra == []
    assert not [w for w in warnings(caplog) if 'stuck' in w or 'poll failed' in w], warnings(caplog)


def test_the_retry_budget_is_refilled_for_each_poll(graph, caplog):
    caplog.set_level(logging.WARNING, logger='msgraph.security.incidents')

    async def scenario(run):
        await run.quiet(0.5)
        for dummy in range(3):  # one 429 per poll: 1 s of the 2 s budget each time
            await later(graph.set_faults, {'rules': [
                {'path_regex': 'security/incidents$', 'method': 'GET', 'status': 429, 'retry_after': 1, 'count': 1}]})
            while (await later(graph.faults))['rules'][0]['remaining']:
                await asyncio.sleep(0.05)
            await asyncio.sleep(1.8)  # the 1 s wait, its retry, and the next poll: one 429 per poll
        new = await later(graph.create_incident)
        return new, await run.events(1)

    new, events = run_source(source_args(graph, max_retries=3, max_retry_wait=2, **FAST), scenario)
    assert ids(events) == [new['id']]
    assert not [w for w in warnings(caplog) if 'poll failed' in w], warnings(caplog)


def test_two_sources_with_other_filters_cannot_share_a_state_file(graph, tmp_path):
    state_file = str(tmp_path / 'shared.json')

    async def one_poll(run):
        await run.quiet(0.6)

    run_source(source_args(graph, severity=['high'], state_file=state_file, **FAST), one_poll)
    text = str(main_error(source_args(graph, severity=['low'], state_file=state_file, **FAST)))
    assert 'state_file=%s holds the checkpoint of another source (it differs in filters' % state_file in text, text
    assert "'severity': ['high']" in text and "'severity': ['low']" in text
    # The same filter written in another case or order is the same source: it resumes.
    run_source(source_args(graph, severity=['HIGH'], state_file=state_file, **FAST), one_poll)
