"""The triage playbook's high branch responds (real ansible-playbook): with response=plan it sends no action and
records "planned"; with response=apply it contains exactly the incident's devices and users, once, and records
what was done with the machine action ids."""
import re

import pytest

from emulator_data import RESPONDER


@pytest.fixture
def triage(ansible_playbook, emulator):
    def run(incident_id, **variables):
        return ansible_playbook('triage.yml', dict(variables, incident_id=incident_id), app=RESPONDER)
    emulator.reset()
    emulator.set_machine_actions(pending_seconds=0.3, progress_seconds=0.3)
    yield run
    emulator.reset()


def evidence_of(emulator, incident_id):
    """(Defender machine ids, Entra user object ids) named by the incident's alerts, from the emulator's record."""
    devices, users = set(), set()
    for alert in emulator.incident(incident_id)['alerts']:
        for item in alert.get('evidence') or []:
            kind = item.get('@odata.type', '')
            if kind.endswith('.deviceEvidence') and item.get('mdeDeviceId'):
                devices.add(item['mdeDeviceId'])
            if kind.endswith('.userEvidence') and (item.get('userAccount') or {}).get('azureAdUserId'):
                users.add(item['userAccount']['azureAdUserId'])
    return devices, users


def high_with_evidence(emulator):
    """The newest open high incident whose alerts name devices and users."""
    for incident_id in emulator.incident_ids("severity eq 'high' and status eq 'active'"):
        devices, users = evidence_of(emulator, incident_id)
        if devices and users:
            return incident_id, devices, users
    raise AssertionError('the emulator has no open high incident with devices and users in its evidence')


def comments(emulator, incident_id):
    return [c['comment'] for c in emulator.incident(incident_id)['comments'] if 'msgraph.security.triage: high' in c['comment']]


def response_writes(emulator):
    return [r for r in emulator.requests() if r['method'] in ('POST', 'PATCH')
            and re.search(r'/api/(v1\.0/)?machines/|/users/|/identityProtection/', r['path'])]


def test_plan_sends_no_action_and_records_what_was_planned(triage, emulator):
    incident_id, devices, users = high_with_evidence(emulator)
    run = triage(incident_id)
    assert run.rc == 0, run
    assert response_writes(emulator) == [] and emulator.machine_actions() == []
    [comment] = comments(emulator, incident_id)
    assert 'response=plan' in comment
    for device_id in devices:
        assert re.search(r'\(%s\): planned: isolate \(full\)' % device_id, comment), comment
    for user_id in users:
        assert re.search(r'\(%s\): planned: revoke the sign-in sessions; planned: confirm the compromise' % user_id, comment) \
            or re.search(r'\(%s\): planned: revoke the sign-in sessions; risk state already confirmedCompromised' % user_id, comment), comment
    assert 'Succeeded' not in comment and 'revoked' not in comment.replace('planned: revoke', '')


def test_apply_contains_exactly_the_incidents_devices_and_users_once_even_when_run_twice(triage, emulator):
    incident_id, devices, users = high_with_evidence(emulator)
    run = triage(incident_id, response='apply')
    assert run.rc == 0, run
    actions = emulator.machine_actions()
    assert sorted(a['machineId'] for a in actions) == sorted(devices)
    assert {(a['type'], a['scope'], a['status']) for a in actions} == {('Isolate', 'Full', 'Succeeded')}
    stored = dict((u['id'], u) for u in emulator.users())
    assert all(stored[u]['revocations'] == 1 and stored[u]['risk']['riskState'] == 'confirmedCompromised' for u in users)
    [comment] = comments(emulator, incident_id)
    assert 'planned' not in comment
    for action in actions:
        assert '(%s): isolated (full): action %s Succeeded' % (action['machineId'], action['id']) in comment, comment
    run = triage(incident_id, response='apply')
    assert run.rc == 0, run
    assert len(emulator.machine_actions()) == len(devices)
    latest = comments(emulator, incident_id)[-1]
    assert latest.count('already isolated (full), nothing sent') == len(devices), latest


def test_a_failed_isolation_is_recorded_as_failed_and_fails_the_job(triage, emulator):
    incident_id, devices, dummy = high_with_evidence(emulator)
    failing = sorted(devices)[0]
    emulator.set_machine_actions(fail=[failing])
    run = triage(incident_id, response='apply')
    assert run.rc == 2 and 'the response failed in part' in run.stdout, run
    [comment] = comments(emulator, incident_id)
    assert re.search(r'\(%s\): FAILED: isolate \(full\): action [0-9a-f-]+ Failed' % failing, comment), comment
