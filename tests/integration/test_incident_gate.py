"""The incident_gate role in real ansible-playbook runs against the emulator.

Credentials reach the runs only as AWX's "Microsoft Graph Security" credential type injects them.
Each test asserts which tasks ran through the gate's summary line and the AFTER GATE marker
printed by the task that follows the role (tests/integration/playbooks/gate.yml).
"""
import re

import pytest

from emulator_data import pick

MISSING = '999999911'
SEED = '2972395'


@pytest.fixture
def gate(ansible_playbook, awx_env):
    def run(incident_id=None, args=(), **variables):
        if incident_id is not None:
            variables['incident_gate_incident_id'] = incident_id
        return ansible_playbook('gate.yml', variables, env=awx_env, app=None, args=args)
    return run


def summary(run):
    lines = re.findall(r'"msg": "(INCIDENT GATE [^\n]*)"', run.stdout)
    assert len(lines) == 1, run
    return lines[0].replace('\\"', '"')


def incident_gets(emulator):
    return [r for r in emulator.requests() if r['method'] == 'GET' and '/security/incidents' in r['path']]


@pytest.mark.parametrize('severity, status', [
    ('high', 'active'),
    ('medium', 'inProgress'),
    ('medium', 'awaitingAction'),
])
def test_open_incident_at_or_above_medium_passes(gate, emulator, severity, status):
    incident_id = pick(emulator, severity, status)
    emulator.clear_requests()
    run = gate(incident_id)
    assert run.rc == 0, run
    line = summary(run)
    assert line.startswith('INCIDENT GATE id=%s title="' % incident_id)
    assert 'severity=%s status=%s decision=pass reason=severity %s is at least medium' % (severity, status, severity) in line
    assert 'AFTER GATE host=localhost passed=True id=%s' % incident_id in run.stdout
    assert len(incident_gets(emulator)) == 1


@pytest.mark.parametrize('severity, status, reason', [
    ('low', 'active', 'severity low is below medium'),
    ('informational', 'active', 'severity informational is below medium'),
    ('unknown', None, 'severity unknown is below medium'),
    ('high', 'resolved', 'status resolved is not one of active, inProgress, awaitingAction'),
    ('medium', 'redirected', 'status redirected is not one of active, inProgress, awaitingAction (merged into incident'),
])
def test_rejected_incident_ends_the_play_and_the_job_succeeds(gate, emulator, severity, status, reason):
    incident_id = pick(emulator, severity, status)
    if status == 'redirected':
        reason += ' %s)' % emulator.incident(incident_id)['redirectIncidentId']
    run = gate(incident_id)
    assert run.rc == 0, run
    line = summary(run)
    assert 'decision=reject(end_play) reason=' in line
    assert reason + ', nothing more is done' in line
    assert 'AFTER GATE' not in run.stdout
    assert 'failed=0' in run.stdout


@pytest.mark.parametrize('on_reject, rc, after', [('end_play', 0, False), ('fail', 2, False), ('continue', 0, True)])
def test_on_reject_modes_for_a_resolved_incident(gate, emulator, on_reject, rc, after):
    incident_id = pick(emulator, 'high', 'resolved')
    run = gate(incident_id, incident_gate_on_reject=on_reject)
    assert run.rc == rc, run
    assert 'decision=reject(%s)' % on_reject in summary(run)
    failed = 'Incident %s rejected by the incident gate: status resolved is not one of' % incident_id
    assert (failed in run.stdout) is (on_reject == 'fail')
    assert ('AFTER GATE host=localhost passed=False id=%s reason=status resolved' % incident_id in run.stdout) is after


@pytest.mark.parametrize('on_reject', ['end_play', 'fail', 'continue'])
def test_missing_incident_fails_the_play_in_every_mode(gate, on_reject):
    """A mistyped id is an error (a failed AWX job), not a policy rejection (a successful one)."""
    run = gate(MISSING, incident_gate_on_reject=on_reject)
    assert run.rc == 2, run
    assert ('Incident %s was not found in Microsoft Graph (HTTP 404): check the incident id. A missing incident fails'
            ' the play whatever incident_gate_on_reject says.' % MISSING) in run.stdout
    assert 'INCIDENT GATE' not in run.stdout and 'AFTER GATE' not in run.stdout
    assert 'failed=1' in run.stdout


def test_missing_id_that_is_not_a_number_says_ids_are_numeric(gate):
    run = gate('INC-296')
    assert run.rc == 2, run
    assert ('Incident INC-296 was not found in Microsoft Graph (HTTP 404): check the incident id (Graph incident ids'
            ' are numeric, such as 2972395).' in run.stdout)


@pytest.mark.parametrize('variables, reason', [
    (dict(incident_gate_min_severity='High'), 'severity high is at least high and status active is one of'
                                              ' active, inProgress, awaitingAction'),
    (dict(incident_gate_min_severity='MEDIUM', incident_gate_statuses=['Active', 'INPROGRESS']),
     'severity high is at least medium and status active is one of active, inProgress'),
])
def test_level_and_status_names_are_read_in_any_case(gate, emulator, variables, reason):
    incident_id = pick(emulator, 'high', 'active')
    run = gate(incident_id, **variables)
    assert run.rc == 0, run
    assert 'decision=pass reason=' + reason in summary(run)
    assert 'AFTER GATE host=localhost passed=True id=%s' % incident_id in run.stdout


@pytest.mark.parametrize('severity, status, variables', [
    ('low', 'active', dict(incident_gate_min_severity='low')),
    ('informational', 'active', dict(incident_gate_min_severity='informational')),
    ('unknown', None, dict(incident_gate_min_severity='unknown', incident_gate_statuses=[
        'active', 'inProgress', 'awaitingAction', 'resolved', 'redirected'])),
    ('high', 'resolved', dict(incident_gate_statuses=['resolved'])),
])
def test_minimum_severity_and_statuses_are_honoured(gate, emulator, severity, status, variables):
    incident_id = pick(emulator, severity, status)
    run = gate(incident_id, **variables)
    assert run.rc == 0, run
    assert 'decision=pass' in summary(run)
    assert 'AFTER GATE host=localhost passed=True id=%s' % incident_id in run.stdout


def test_graph_is_read_once_for_all_hosts(gate, emulator, tmp_path):
    inventory = tmp_path / 'hosts.ini'
    inventory.write_text(''.join('web%d ansible_connection=local\n' % n for n in range(1, 5)))
    incident_id = pick(emulator, 'high', 'active')
    emulator.clear_requests()
    run = gate(incident_id, gate_hosts='all', args=['-i', str(inventory)])
    assert run.rc == 0, run
    summary(run)  # printed once, not once per host
    for n in range(1, 5):
        assert 'AFTER GATE host=web%d passed=True id=%s' % (n, incident_id) in run.stdout
    assert [r['path'].rsplit('/', 1)[1] for r in incident_gets(emulator)] == [incident_id]


def test_connection_from_role_variables_only(ansible_playbook, emulator):
    env = emulator.env('reader-secret')
    connection = dict(tenant_id=env['AZURE_TENANT_ID'], client_id=env['AZURE_CLIENT_ID'],
                      client_secret=env['AZURE_CLIENT_SECRET'], graph_url=emulator.url,
                      authority_host=emulator.url, ca_path=emulator.ca_path)
    run = ansible_playbook('gate.yml', dict(incident_gate_incident_id=SEED,
                                            incident_gate_connection=connection), app=None, args=['-v'])
    assert run.rc == 0, run
    assert 'AFTER GATE host=localhost passed=True' in run.stdout
    assert env['AZURE_CLIENT_SECRET'] not in run.output


@pytest.mark.parametrize('variables, message', [
    (dict(), 'missing required arguments: incident_gate_incident_id'),
    (dict(incident_gate_incident_id='300', incident_gate_on_reject='skip'),
     'value of incident_gate_on_reject must be one of: end_play, fail, continue, got: skip'),
])
def test_bad_inputs_are_rejected_by_the_argument_spec(gate, emulator, variables, message):
    emulator.clear_requests()
    run = gate(**variables)
    assert run.rc == 2, run
    assert 'Validation of arguments failed' in run.stdout
    assert message in run.stdout
    assert 'INCIDENT GATE' not in run.stdout and 'AFTER GATE' not in run.stdout
    assert incident_gets(emulator) == []


@pytest.mark.parametrize('variables, message', [
    (dict(incident_gate_min_severity='critical'),
     "msgraph.security.gate_decision: min_severity: 'critical' is not a severity level; use one of: unknown,"
     " unknownFutureValue, informational, low, medium, high"),
    (dict(incident_gate_statuses=['Active', 'open']),
     "msgraph.security.gate_decision: statuses: 'open' is not an incident status; use: active, inProgress,"
     " awaitingAction, resolved, redirected, unknownFutureValue"),
    (dict(incident_gate_statuses=[]),
     'incident_gate_statuses is empty, so every incident would be rejected: name at least one status that passes'),
])
def test_unknown_level_or_status_names_fail_before_graph_is_called(gate, emulator, variables, message):
    emulator.clear_requests()
    run = gate('300', **variables)
    assert run.rc == 2, run
    assert message in run.stdout
    assert 'INCIDENT GATE' not in run.stdout and 'AFTER GATE' not in run.stdout
    assert incident_gets(emulator) == []
    assert emulator.requests() == []  # not even a token was asked for


@pytest.mark.parametrize('connection, message', [
    (dict(tenant='x'), 'Unsupported parameters for (msgraph.security.incident_info) module: tenant.'),
    (dict(timeout='soon'), "argument 'timeout' is of type"),
])
def test_bad_connection_options_are_rejected_by_the_module(gate, emulator, connection, message):
    emulator.clear_requests()
    run = gate(incident_gate_incident_id='300', incident_gate_connection=connection)
    assert run.rc == 2, run
    assert message in run.stdout
    assert 'AFTER GATE' not in run.stdout
    assert emulator.requests() == []


def test_invalid_incident_id_fails_with_the_module_message(gate, emulator):
    emulator.clear_requests()
    run = gate('../etc', incident_gate_on_reject='continue')
    assert run.rc == 2, run
    assert "Invalid incident id '../etc'" in run.stdout
    assert 'AFTER GATE' not in run.stdout
    assert emulator.requests() == []
