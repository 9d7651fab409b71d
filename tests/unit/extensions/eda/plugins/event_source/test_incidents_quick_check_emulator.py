"""The quick check without ansible-rulebook (`python incidents.py ARGS`), and a source process killed outright."""
import os
import signal

import pytest

from .source_runner import QuickCheck, source_args


@pytest.fixture
def graph(clean_emulator):
    yield clean_emulator
    clean_emulator.reset()


def test_quick_check_says_what_it_does_with_no_events_and_ends_cleanly_on_ctrl_c(graph):
    check = QuickCheck(source_args(graph, interval=0.5))
    try:
        check.wait(lambda: 'nothing new since' in ''.join(check.err))
        assert 'msgraph.security.incidents: polling %s/v1.0' % graph.url in ''.join(check.err)
        new = graph.create_incident()
        check.wait(lambda: len(check.out) >= 1)
    finally:
        rc = check.stop(signal.SIGINT)
    assert [e['incident']['id'] for e in check.events()] == [new['id']]
    assert rc == 0 and 'stopped' in ''.join(check.err) and 'Traceback' not in ''.join(check.err), ''.join(check.err)


def test_a_killed_source_process_loses_nothing_and_repeats_only_what_was_not_handled(graph, tmp_path):
    args = source_args(graph, interval=0.5, state_file=str(tmp_path / 'state.json'))
    check = QuickCheck(args)
    try:
        check.wait(lambda: os.path.exists(str(tmp_path / 'state.json')))
        made = [graph.create_incident()['id'] for dummy in range(3)]
        check.wait(lambda: len(check.out) >= 3)
    finally:
        check.stop(signal.SIGKILL)
    while_down = graph.create_incident()['id']
    again = QuickCheck(args)
    try:
        again.wait(lambda: len(again.out) >= 4)
    finally:
        again.stop(signal.SIGINT)
    before = [e['incident']['id'] for e in check.events()]
    after = [e['incident']['id'] for e in again.events()]
    assert before == made and after == made + [while_down]  # the 3 not yet handled come again, and the new one
