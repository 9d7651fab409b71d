"""Real ansible-playbook runs of the write modules (incident, incident_comment) against the emulator."""
import re
import threading
import time

import pytest

from emulator_data import RESPONDER

WRITER = 'writer-secret'
SEED = '2972395'


@pytest.fixture
def emulator_writes(emulator):
    """The emulator with its dataset, faults and log as at start, and again after the test wrote."""
    emulator.reset()
    yield emulator
    emulator.reset()


def graph_writes(emulator):
    """PATCH and comment POST requests that reached Graph, outer or inside $batch."""
    return [r for r in emulator.requests() if r['method'] in ('PATCH', 'POST') and '/security/incidents/' in r['path']]


def test_the_same_task_twice_changes_once_and_then_sends_no_write(ansible_playbook, emulator_writes):
    incident = emulator_writes.known['highActive']
    run = ansible_playbook('write_twice.yml', dict(incident_id=int(incident)), app=WRITER)
    assert run.rc == 0, run
    writes = graph_writes(emulator_writes)
    # One PATCH and one comment POST in all: the first update and the first comment; the repeats sent none.
    assert sorted((r['method'], r['path'].rsplit('/', 1)[-1]) for r in writes) == [('PATCH', incident), ('POST', 'comments')]
    stored = emulator_writes.incident(incident)
    assert stored['status'] == 'inProgress' and stored['assignedTo'] == 'soc-tier1@contoso.com'
    assert 'triage:high' in stored['customTags']
    assert [c['comment'] for c in stored['comments']].count('Triage playbook: host isolated.') == 1


def test_check_mode_sends_no_write_and_the_diff_shows_exactly_what_would_change(ansible_playbook, emulator_writes):
    before = emulator_writes.incident(SEED)
    assert before['status'] == 'active' and before['classification'] == 'truePositive' and 'Demo' in before['customTags']
    expected = dict(before=dict(status='active', determination=before['determination'], resolvingComment=None),
                    after=dict(status='resolved', determination='malware', resolvingComment='Malware removed.'))
    emulator_writes.clear_requests()
    run = ansible_playbook('check_diff.yml', dict(incident_id=SEED, expected_diff=expected), app=WRITER,
                           args=('--check', '--diff'))
    assert run.rc == 0, run
    assert graph_writes(emulator_writes) == []
    assert emulator_writes.incident(SEED) == before
    # What --diff prints for the task (and AWX shows): the changed fields only.
    assert re.search(r'-\s*"status": "active"', run.stdout) and re.search(r'\+\s*"status": "resolved"', run.stdout), run


def test_a_lost_comment_answer_never_ends_with_the_comment_twice(ansible_playbook, emulator_writes):
    incident = emulator_writes.known['mediumInProgress']
    # Each of the two comment POSTs is stored, then its connection dropped without an answer.
    emulator_writes.set_faults({'rules': [{'path_regex': '/security/incidents/%s/comments$' % incident,
                                           'method': 'POST', 'after': 'drop', 'count': 2}]})
    run = ansible_playbook('lost_comment.yml', dict(incident_id=incident), app=WRITER)
    assert run.rc == 0, run
    posts = [r for r in graph_writes(emulator_writes) if r['method'] == 'POST']
    assert len(posts) == 2 and all(r['dropped'] for r in posts)  # neither was sent a second time
    texts = [c['comment'] for c in emulator_writes.incident(incident)['comments']]
    assert texts.count('Unique comment, answer lost.') == 1
    assert texts.count('Repeated comment, answer lost.') == 1  # stored although the module had to fail


def test_bad_input_sends_nothing_and_a_read_only_app_is_told_the_permission(ansible_playbook, emulator_writes):
    incident = emulator_writes.known['highActive']
    unclassified = emulator_writes.incident_ids("classification eq 'unknown' and status eq 'active'")[0]
    before = emulator_writes.incident(incident)
    run = ansible_playbook('write_failures.yml', dict(incident_id=incident, unclassified_id=unclassified),
                           app='reader-secret')
    assert run.rc == 0, run
    assert 'Traceback (most recent call last)' not in run.output
    served = [(r['method'], r['path'], r['status']) for r in emulator_writes.requests() if '/security/' in r['path']]
    # Only the three tasks that got past the option checks reached Graph: the misfit read its incident
    # and wrote nothing; the read-only app's PATCH and POST were refused.
    assert served == [
        ('GET', '/v1.0/security/incidents/%s' % unclassified, 200),
        ('GET', '/v1.0/security/incidents/%s' % incident, 200),
        ('PATCH', '/v1.0/security/incidents/%s' % incident, 403),
        ('GET', '/v1.0/security/incidents/%s' % incident, 200),
        ('POST', '/v1.0/security/incidents/%s/comments' % incident, 403),
    ]
    assert emulator_writes.incident(incident) == before


def test_bulk_writes_only_the_incidents_that_differ_in_batches_keeping_order(ansible_playbook, emulator_writes):
    resolved = emulator_writes.incident_ids("status eq 'resolved'")[:70]
    active = emulator_writes.incident_ids("status eq 'active'")[:30]
    # Interleave so that the changed incidents are spread over every batch, then add two missing ids.
    found = []
    for n in range(100):
        found.append(active.pop(0) if n % 10 in (1, 4, 7) else resolved.pop(0))
    ids = found[:50] + ['404404'] + found[50:] + ['404405']
    to_change = [i for i in found if emulator_writes.incident(i)['status'] == 'active']
    assert len(to_change) == 30
    # Throttle two inner PATCHes once: they are sent again, as reads are.
    emulator_writes.set_faults({'rules': [{'method': 'PATCH', 'in_batch': True, 'status': 429, 'retry_after': 0,
                                           'count': 2}]})
    run = ansible_playbook('bulk_update.yml', dict(ids=ids, found_ids=found, missing_ids=['404404', '404405'],
                                                   to_change=to_change), app=WRITER)
    assert run.rc == 0, run
    patched = [r for r in emulator_writes.requests() if r['method'] == 'PATCH']
    assert all(r['in_batch'] for r in patched)
    applied = [r['path'].rsplit('/', 1)[-1] for r in patched if r['status'] == 200]
    assert sorted(applied) == sorted(to_change) and len(applied) == 30  # exactly 30, each once
    assert len([r for r in patched if r['status'] == 429]) == 2
    outer = [r for r in emulator_writes.requests() if not r['in_batch'] and r['path'].endswith('/$batch')]
    # Strict run: 6 read batches, no write. Lenient run: 6 read batches, 2 write batches, 1-2 resends of the throttled.
    assert 14 <= len(outer) <= 16, outer
    assert all(emulator_writes.incident(i)['status'] == 'resolved' for i in found)


def _inventory(tmp_path, name, count):
    path = tmp_path / ('%s.ini' % name)
    path.write_text('\n'.join('%s-%02d ansible_connection=local' % (name, n) for n in range(count)) + '\n')
    return str(path)


def _reports(run):
    return dict((host, (tag == 'True', comment == 'True'))
                for host, tag, comment in re.findall(r'REPORT (\S+) tag=(\w+) comment=(\w+)', run.stdout))


def _concurrent(ansible_playbook, tmp_path, incident, prefix, count):
    return ansible_playbook('concurrent_writes.yml', dict(incident_id=incident, prefix=prefix), app=WRITER,
                            args=('-i', _inventory(tmp_path, prefix, count), '-f', str(count)))


def test_twenty_forks_tagging_one_incident_keep_every_tag_and_report_truly(ansible_playbook, emulator_writes, tmp_path):
    incident = emulator_writes.known['lowActive']
    run = _concurrent(ansible_playbook, tmp_path, incident, 'fork', 20)
    assert run.rc == 0, run
    reports = _reports(run)
    assert len(reports) == 20, run
    tags = emulator_writes.incident(incident)['customTags']
    assert sorted(t for t in tags if t.startswith('fork-')) == sorted('fork-%s' % host for host in reports)
    assert all(tag for tag, dummy in reports.values())  # each host's tag was new, each says changed
    texts = [c['comment'] for c in emulator_writes.incident(incident)['comments']]
    assert texts.count('fork: one comment for all hosts.') == 1
    assert sum(comment for dummy, comment in reports.values()) == 1  # one host posted it; the others saw it


def test_two_plays_at_once_lose_nothing(ansible_playbook, emulator_writes, tmp_path):
    incident = emulator_writes.known['lowActive']
    runs = {}
    threads = [threading.Thread(target=lambda p=prefix: runs.update({p: _concurrent(ansible_playbook, tmp_path, incident, p, 5)}))
               for prefix in ('play1', 'play2')]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(run.rc == 0 for run in runs.values()), runs
    tags = emulator_writes.incident(incident)['customTags']
    for prefix, run in runs.items():
        assert sorted(t for t in tags if t.startswith(prefix + '-')) == sorted('%s-%s' % (prefix, h) for h in _reports(run))
        assert len(_reports(run)) == 5


def test_triage_never_reopens_an_incident_resolved_while_the_branch_ran(ansible_playbook, emulator_writes):
    incident = emulator_writes.known['highActive']
    path = r'/security/incidents/%s$' % incident
    # The gate's read passes untouched; the recording step's read waits, and the analyst resolves meanwhile.
    emulator_writes.set_faults({'rules': [{'path_regex': path, 'method': 'GET', 'count': 1},
                                          {'path_regex': path, 'method': 'GET', 'count': 1, 'delay_ms': 3000}]})
    done = {}
    thread = threading.Thread(target=lambda: done.update(run=ansible_playbook('triage.yml', dict(incident_id=incident),
                                                                              app=RESPONDER)))
    thread.start()
    deadline = time.time() + 60
    while time.time() < deadline and not [r for r in emulator_writes.requests() if r['path'].endswith('/' + incident)]:
        time.sleep(0.05)
    emulator_writes.update_incident(incident, {'status': 'resolved', 'resolvingComment': 'Closed by an analyst.'})
    thread.join()
    run = done['run']
    assert run.rc == 0, run
    stored = emulator_writes.incident(incident)
    assert stored['status'] == 'resolved' and 'triage:high' not in stored['customTags']
    assert 'was closed while the branch ran' in run.stdout, run
    assert not [r for r in graph_writes(emulator_writes) if r['method'] == 'PATCH']


def test_severity_display_name_and_summary_are_set_once_with_check_mode_and_diff(ansible_playbook, emulator_writes):
    incident = emulator_writes.known['lowActive']
    before = emulator_writes.incident(incident)
    assert before['severity'] == 'low'
    wanted = dict(severity='High', display_name='Credential theft on srv-dc01', summary='Escalated: domain controller involved.')
    expected = dict(before=dict(severity='low', displayName=before['displayName'], summary=before['summary']),
                    after=dict(severity='high', displayName=wanted['display_name'], summary=wanted['summary']))
    emulator_writes.clear_requests()
    run = ansible_playbook('rerate.yml', dict(wanted, incident_id=incident, expected_diff=expected), app=WRITER)
    assert run.rc == 0, run
    patches = [r for r in graph_writes(emulator_writes) if r['method'] == 'PATCH']
    assert len(patches) == 1  # check mode and the repeat sent none
    stored = emulator_writes.incident(incident)
    assert (stored['severity'], stored['displayName'], stored['summary']) == ('high', wanted['display_name'], wanted['summary'])
