"""The msgraph.security.incidents event source in the real ansible-rulebook, from the installed collection.

The shipped rulebook (msgraph.security.triage_high_incidents) runs the msgraph.security.triage playbook
when a high-severity incident appears in the emulator; credentials come from the environment only.
"""
import json
import re
import signal

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
    """Incident ids the triage playbook printed its high-severity branch for, in order."""
    return re.findall(r'TRIAGE HIGH incident (\d+)', run.output)


def test_new_high_incident_runs_triage_once_and_others_do_not(graph, collections_path, tmp_path):
    state_file = tmp_path / 'checkpoint.json'
    # The responder app: triage plans its response and records its decision on the incident (tag, comment, status).
    run = start_rulebook(collections_path, TRIAGE_RULEBOOK, str(tmp_path), env=graph.env('responder-secret'),
                         # replay 0: the checkpoint follows the queue, so that it can be compared below.
                         variables={'msgraph_incidents_interval': 1, 'msgraph_incidents_state_file': str(state_file),
                                    'msgraph_incidents_replay': 0})
    try:
        run.wait_for('msgraph.security.incidents: polling %s/v1.0' % graph.url)
        graph.create_incident({'severity': 'medium', 'displayName': 'medium: no triage'})
        high = graph.create_incident({'severity': 'high', 'displayName': 'high: triage'})
        graph.update_incident('300', {'status': 'inProgress'})  # high, but an update: no triage
        run.wait_for('TRIAGE HIGH incident %s' % high['id'], timeout=120)
        second = graph.create_incident({'severity': 'high', 'displayName': 'second high'})
        run.wait_for('TRIAGE HIGH incident %s' % second['id'], timeout=120)
    finally:
        run.stop()
    assert triaged(run) == [high['id'], second['id']], run.output[-8000:]
    saved = json.loads(state_file.read_text())
    # The last change the source saw: the second incident's creation, or triage's recording on one of
    # the two incidents when the source polled once more before the stop (such an update is seen but,
    # not being a creation, starts no triage).
    seen_last = set([second['lastUpdateDateTime']] + [graph.incident(i['id'])['lastUpdateDateTime'] for i in (high, second)])
    assert saved['checkpoint'] in seen_last and saved['checkpoint'] >= second['lastUpdateDateTime']
    assert 'triage:high' in graph.incident(high['id'])['customTags']  # recorded; its update starts no new triage
    assert graph.env('responder-secret')['AZURE_CLIENT_SECRET'] not in run.output


def test_misconfigured_source_stops_ansible_rulebook_with_one_clear_message(graph, collections_path, tmp_path):
    rulebook = tmp_path / 'bad.yml'
    rulebook.write_text('''---
- name: Misspelled argument
  hosts: localhost
  sources:
    - msgraph.security.incidents:
        severty: [high]
  rules:
    - name: Any change
      condition: event.change is defined
      action:
        print_event:
''')
    run = start_rulebook(collections_path, str(rulebook), str(tmp_path), env=graph.env('reader-secret'))
    rc = run.wait_exit(120)
    assert rc != 0
    # ansible-rulebook reports a failed source twice (engine, then app): both carry the source's one message.
    errors = [line for line in run.output.splitlines() if 'OptionError' in line]
    assert errors and all('unknown argument severty; the arguments are:' in line for line in errors), run.output[-6000:]
    assert 'Traceback' not in run.output
    assert graph.env('reader-secret')['AZURE_CLIENT_SECRET'] not in run.output
    # ansible-rulebook lists the frames of what main raised: the source's main only, not the core.
    assert not re.search(r'(module_utils|plugin_utils)/\w+\.py:\d+', run.output), run.output[-6000:]


def test_wrong_secret_stops_ansible_rulebook_without_the_secret(graph, collections_path, tmp_path):
    env = dict(graph.env('reader-secret'), AZURE_CLIENT_SECRET='not-the-secret-' + 'x' * 12)
    run = start_rulebook(collections_path, TRIAGE_RULEBOOK, str(tmp_path), env=env,
                         variables={'msgraph_incidents_interval': 1})
    assert run.wait_exit(120) != 0
    assert 'AuthenticationError' in run.output and 'invalid_client' in run.output, run.output[-6000:]
    assert env['AZURE_CLIENT_SECRET'] not in run.output
    # The default state file (relative to the working directory) keeps the first start as the origin:
    # once the secret is fixed, changes made since then are still delivered.
    saved = json.loads((tmp_path / 'msgraph-incidents-triage_high_incidents-all-severities.json').read_text())
    assert saved['checkpoint'] is None and saved['delivered'] == {}


def start_triage(graph, collections_path, workdir, state_file, **variables):
    """The shipped rulebook with the responder app (triage plans its response and records it), polling every second."""
    values = {'msgraph_incidents_interval': 1, 'msgraph_incidents_state_file': str(state_file)}
    values.update(variables)
    return start_rulebook(collections_path, TRIAGE_RULEBOOK, str(workdir), env=graph.env('responder-secret'),
                          variables=values)


def wait_triaged(run, incident_ids, timeout):
    for incident_id in incident_ids:
        run.wait_for('TRIAGE HIGH incident %s' % incident_id, timeout=timeout)


@pytest.mark.parametrize('stop, count', [(signal.SIGTERM, 6), (signal.SIGINT, 4), (signal.SIGKILL, 4)],
                         ids=['SIGTERM', 'SIGINT', 'SIGKILL'])
def test_no_stop_loses_a_new_high_incident(graph, collections_path, tmp_path, stop, count):
    """New high incidents, a stop while triage works through them, a restart: every one is triaged."""
    state_file = tmp_path / 'checkpoint.json'
    run = start_triage(graph, collections_path, tmp_path, state_file)
    try:
        run.wait_for('msgraph.security.incidents: polling %s/v1.0' % graph.url)
        made = [graph.create_incident({'severity': 'high', 'displayName': 'burst %d' % n})['id'] for n in range(count)]
        wait_triaged(run, made[:1], timeout=120)  # mid-way: triage has started on the burst
    finally:
        run.stop(stop)
    before = triaged(run)
    assert len(set(before)) < count, 'the stop came too late to test anything'
    again = start_triage(graph, collections_path, tmp_path, state_file)
    try:
        wait_triaged(again, [i for i in made if i not in before], timeout=200)
    finally:
        again.stop()
    after = triaged(again)
    missed = sorted(set(made) - set(before) - set(after), key=int)
    assert not missed, (missed, run.output[-4000:], again.output[-4000:])
    repeated = len(before) + len(after) - count
    # Repeats are the events put on the queue within `replay` seconds of the stop: at most the burst once more.
    assert 0 <= repeated <= count
    print('stop %s: %d made, %d triaged before, %d after, missed 0, repeated %d' % (
        stop.name, count, len(before), len(after), repeated))
