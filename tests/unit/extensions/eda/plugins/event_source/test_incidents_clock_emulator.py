"""msgraph.security.incidents follows Graph's clock: skew, stamps and checkpoints in the future (real emulator)."""
import json
import logging
import re

import pytest

from ansible_collections.msgraph.security.plugins.module_utils._core import msal_apps

from .source_runner import later, run_source, source_args, stamp

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


def test_local_clock_ahead_of_graph_loses_nothing_at_the_first_start(graph, caplog):
    caplog.set_level(logging.WARNING, logger='msgraph.security.incidents')
    graph.set_clock_skew(-60)  # Graph 60 s behind the local clock: its stamps are "in the past" here
    # Changed 30 s before the start by Graph's clock (90 s by the local one): before the start, not delivered.
    graph.update_incident('297', {'status': 'inProgress'}, at=stamp(-90))

    async def scenario(run):
        early = await run.quiet(0.8)
        made = [await later(graph.create_incident, {'displayName': 'right after the start %d' % n}) for n in range(3)]
        return early, made, await run.events(3), await run.quiet(0.8)

    early, made, events, extra = run_source(source_args(graph, **FAST), scenario)
    assert early == [] and ids(events) == [m['id'] for m in made] and extra == []
    # The Date header has whole seconds: the offset is measured to about a second.
    assert any(re.search(r'local clock is (59|60|61)s ahead of Graph', w) for w in warnings(caplog)), warnings(caplog)


def test_one_incident_stamped_in_the_future_does_not_blind_the_source(graph, tmp_path, caplog):
    caplog.set_level(logging.WARNING, logger='msgraph.security.incidents')
    state_file = tmp_path / 'state.json'

    async def scenario(run):
        await run.quiet(0.5)
        future = await later(graph.create_incident, {'displayName': 'clock gone wrong'}, stamp(600))
        first = await run.events(1)
        await run.quiet(0.8)  # polls after it: the window must not have moved 8 minutes ahead
        later_ones = [await later(graph.create_incident, {'displayName': 'normal %d' % n}) for n in range(2)]
        return future, first, later_ones, await run.events(2), await run.quiet(0.8)

    future, first, made, events, extra = run_source(source_args(graph, state_file=str(state_file), replay=0, **FAST),
                                                    scenario)
    assert ids(first) == [future['id']]
    # The checkpoint a restart resumes from stays at Graph's time, not 10 minutes ahead.
    saved = json.loads(state_file.read_text())
    assert saved['checkpoint'] < future['lastUpdateDateTime'] and saved['delivered'][future['id']] == future['lastUpdateDateTime']
    assert ids(events) == [m['id'] for m in made] and extra == []
    assert any('incident %s is stamped' % future['id'] in w and 'ahead of Graph' in w for w in warnings(caplog))


def test_a_checkpoint_in_the_future_warns_and_still_delivers(graph, tmp_path, caplog):
    caplog.set_level(logging.WARNING, logger='msgraph.security.incidents')
    state_file = tmp_path / 'state.json'
    ahead = stamp(600)
    state_file.write_text(json.dumps({'version': 1, 'changes': 'all', 'origin': stamp(-60), 'checkpoint': ahead,
                                      'delivered': {}}))

    async def scenario(run):
        await run.quiet(0.5)
        new = await later(graph.create_incident, {'displayName': 'after a checkpoint in the future'})
        return new, await run.events(1), await run.quiet(0.6)

    new, events, extra = run_source(source_args(graph, state_file=str(state_file), **FAST), scenario)
    assert ids(events) == [new['id']] and extra == []
    assert any('checkpoint (%s) is ahead of Graph' % ahead in w for w in warnings(caplog)), warnings(caplog)
