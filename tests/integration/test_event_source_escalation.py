"""The shipped rulebook triages an incident when it BECOMES high, however it got there, once (real ansible-rulebook).

Created medium or low and raised to high later (an ``updated`` change) is triaged once; triage's own
recording (status, tag, comment) on the incident is an update too, and it starts no second triage.
"""
import re
import time

import pytest

from tests.rulebook_runner import require_rulebook, start_rulebook

TRIAGE_RULEBOOK = 'msgraph.security.triage_high_incidents'


@pytest.fixture
def graph(emulator):
    require_rulebook()
    emulator.reset()
    yield emulator
    emulator.reset()


def triaged(run):
    return re.findall(r'TRIAGE HIGH incident (\d+)', run.output)


def wait_delivered(run, stamp, timeout=30):
    """Until the source logs a delivery up to ``stamp`` or later (it logs the newest stamp of each poll)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any(seen >= stamp for seen in re.findall(r'delivered, up to (\S+)\.', run.output)):
            return
        time.sleep(0.2)


def test_incidents_raised_to_high_are_triaged_once_and_the_recording_does_not_trigger_again(
        graph, collections_path, tmp_path):
    run = start_rulebook(collections_path, TRIAGE_RULEBOOK, str(tmp_path), env=graph.env('responder-secret'),
                         variables={'msgraph_incidents_interval': 1,
                                    'msgraph_incidents_state_file': str(tmp_path / 'checkpoint.json')})
    try:
        run.wait_for('msgraph.security.incidents: polling %s/v1.0' % graph.url)
        medium = graph.create_incident({'severity': 'medium', 'displayName': 'medium, raised later'})
        low = graph.create_incident({'severity': 'low', 'displayName': 'low, raised later'})
        wait_delivered(run, low['lastUpdateDateTime'])  # both seen as they were created, not yet high
        raised = [graph.update_incident(incident['id'], {'severity': 'high'}) for incident in (medium, low)]
        for incident in raised:
            run.wait_for('TRIAGE HIGH incident %s' % incident['id'], timeout=120)
        # Both recordings (status inProgress and tag, then the comment) done: wait until the source saw them.
        deadline = time.monotonic() + 120
        recorded = []
        while time.monotonic() < deadline and not all(incident.get('comments') for incident in recorded or [{}]):
            time.sleep(0.3)
            recorded = [graph.incident(incident['id']) for incident in raised]
        wait_delivered(run, max(incident['lastUpdateDateTime'] for incident in recorded), timeout=60)
        time.sleep(3)  # room for a triage the recording would wrongly start
    finally:
        run.stop()
    assert [incident['customTags'] for incident in recorded] == [['triage:high'], ['triage:high']]
    assert sorted(triaged(run)) == sorted([medium['id'], low['id']]), run.output[-8000:]
