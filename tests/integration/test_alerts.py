"""Real ansible-playbook runs of the alert plugins (alert_info, alert, alert_comment, the alert lookup) against the emulator."""
import re

import pytest

READER, WRITER = 'alert-reader', 'alert-writer'
SEED = '2972395'


@pytest.fixture
def emulator_writes(emulator):
    """The emulator with its dataset, faults and log as at start, and again after the test wrote."""
    emulator.reset()
    yield emulator
    emulator.reset()


def all_alerts(emulator):
    """Every stored alert, newest first (Graph's order for alerts_v2), through the incidents that hold them."""
    alerts = [a for incident_id in emulator.incident_ids() for a in emulator.incident(incident_id)['alerts']]
    return sorted(alerts, key=lambda a: (a['createdDateTime'], a['id']), reverse=True)


def alert_writes(emulator):
    """PATCH and comment POST requests on alerts that reached Graph, outer or inside $batch."""
    return [r for r in emulator.requests() if r['method'] in ('PATCH', 'POST') and '/security/alerts_v2/' in r['path']]


def test_alerts_read_by_id_by_ids_as_a_list_and_per_incident(ansible_playbook, emulator):
    alerts = all_alerts(emulator)
    many = [a['id'] for a in alerts[3:28]]  # 25: two $batch round trips
    expected = [a['id'] for a in alerts if a['status'] == 'new' and a['severity'] == 'high'
                and a['serviceSource'] == 'microsoftDefenderForEndpoint']
    incident_alerts = [a['id'] for a in emulator.incident(SEED)['alerts']]
    assert expected and len(incident_alerts) > 1
    run = ansible_playbook('alert_read.yml', dict(one=alerts[0]['id'], many=many, expected_list=expected,
                                                  incident_id=SEED, incident_alerts=incident_alerts), app=READER)
    assert run.rc == 0, run


def test_the_same_alert_task_twice_changes_once_and_then_sends_no_write(ansible_playbook, emulator_writes):
    alert = next(a for a in all_alerts(emulator_writes) if a['status'] == 'new' and a['classification'] == 'unknown')
    run = ansible_playbook('alert_write_twice.yml', dict(alert_id=alert['id']), app=WRITER)
    assert run.rc == 0, run
    writes = alert_writes(emulator_writes)
    assert sorted((r['method'], r['path'].rsplit('/', 1)[-1]) for r in writes) == [('PATCH', alert['id']), ('POST', 'comments')]
    stored = next(a for a in emulator_writes.incident(alert['incidentId'])['alerts'] if a['id'] == alert['id'])
    assert (stored['status'], stored['assignedTo'], stored['classification'], stored['determination']) == (
        'inProgress', 'soc-tier1@contoso.com', 'truePositive', 'malware')


def test_alert_check_mode_sends_no_write_and_the_diff_shows_what_would_change(ansible_playbook, emulator_writes):
    alert = next(a for a in all_alerts(emulator_writes) if a['status'] == 'new')
    expected = dict(before=dict(status='new', assignedTo=alert['assignedTo']),
                    after=dict(status='resolved', assignedTo='kaic@contoso.com'))
    if (alert['assignedTo'] or '').lower() == 'kaic@contoso.com':
        expected = dict(before=dict(status='new'), after=dict(status='resolved'))
    emulator_writes.clear_requests()
    run = ansible_playbook('alert_check_diff.yml', dict(alert_id=alert['id'], assigned_to='kaic@contoso.com',
                                                        expected_diff=expected), app=WRITER, args=('--check', '--diff'))
    assert run.rc == 0, run
    assert alert_writes(emulator_writes) == []
    assert [a for a in all_alerts(emulator_writes) if a['id'] == alert['id']] == [alert]
    assert re.search(r'-\s*"status": "new"', run.stdout) and re.search(r'\+\s*"status": "resolved"', run.stdout), run


def test_a_lost_alert_comment_answer_never_ends_with_the_comment_twice(ansible_playbook, emulator_writes):
    alert = all_alerts(emulator_writes)[5]
    emulator_writes.set_faults({'rules': [{'path_regex': '/security/alerts_v2/%s/comments$' % re.escape(alert['id']),
                                           'method': 'POST', 'after': 'drop', 'count': 2}]})
    run = ansible_playbook('alert_lost_comment.yml', dict(alert_id=alert['id']), app=WRITER)
    assert run.rc == 0, run
    posts = [r for r in alert_writes(emulator_writes) if r['method'] == 'POST']
    assert len(posts) == 2  # one unique comment (read again after the loss, not sent again), one repeated
    stored = next(a for a in emulator_writes.incident(alert['incidentId'])['alerts'] if a['id'] == alert['id'])
    assert [c['comment'] for c in stored['comments']] == ['Unique comment, answer lost.', 'Repeated comment, answer lost.']


def test_bulk_alert_update_batches_and_writes_only_what_differs(ansible_playbook, emulator_writes):
    alerts = all_alerts(emulator_writes)
    chosen = [a for a in alerts if a['status'] != 'resolved'][:22] + [a for a in alerts if a['status'] == 'resolved'][:3]
    ids = [a['id'] for a in chosen]
    to_change = [a['id'] for a in chosen if a['status'] != 'resolved']
    emulator_writes.clear_requests()
    run = ansible_playbook('alert_bulk.yml', dict(alert_ids=ids, to_change=to_change), app=WRITER)
    assert run.rc == 0, run
    outer = [r for r in emulator_writes.requests() if '$batch' in r['path']]
    patches = [r for r in alert_writes(emulator_writes) if r['method'] == 'PATCH']
    assert sorted(r['path'].rsplit('/', 1)[-1] for r in patches) == sorted(to_change)
    assert len(outer) == 4  # 25 reads and 22 writes, 20 per $batch
    stored = dict((a['id'], a['status']) for a in all_alerts(emulator_writes))
    assert set(stored[i] for i in ids) == {'resolved'}


@pytest.mark.parametrize('app, action, permission', [
    ('reader-secret', 'read', 'SecurityAlert.Read.All'),
    (READER, 'write', 'SecurityAlert.ReadWrite.All'),
    (READER, 'comment', 'SecurityAlert.ReadWrite.All'),
])
def test_a_403_names_the_alert_permission(ansible_playbook, emulator_writes, app, action, permission):
    alert = all_alerts(emulator_writes)[0]
    run = ansible_playbook('alert_denied.yml', dict(alert_id=alert['id'], action=action), app=app)
    assert run.rc == 2, run
    assert 'HTTP 403' in run.stdout and permission in run.stdout, run
    assert [a for a in all_alerts(emulator_writes) if a['id'] == alert['id']] == [alert]
