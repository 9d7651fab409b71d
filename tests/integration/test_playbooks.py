"""The shipped playbooks (msgraph.security.triage and .report) run by FQCN against the emulator.

Credentials reach them only as AWX injects them: through the "Microsoft Graph Security" credential
type (secret, certificate, encrypted certificate) or the built-in Azure Resource Manager one.
"""
import re

import pytest

from awx_injection import emulator_inputs, inject
from emulator_data import RESPONDER, pick

MISSING = '999999912'
BRANCHES = ('TRIAGE HIGH', 'TRIAGE MEDIUM', 'TRIAGE LOW', 'TRIAGE NONE')
OPEN = ('active', 'inProgress', 'awaitingAction')


@pytest.fixture
def writer_env(emulator, tmp_path):
    """What AWX injects for a credential of the app that may write and respond (triage plans its response and
    records its decision)."""
    return inject(emulator_inputs(emulator, RESPONDER), tmp_path / 'awx-writer')


@pytest.fixture
def triage(ansible_playbook, writer_env, emulator):
    def run(incident_id=None, env=None, **variables):
        if incident_id is not None:
            variables['incident_id'] = incident_id
        return ansible_playbook('triage.yml', variables, env=env or writer_env, app=None)
    emulator.reset()
    yield run
    emulator.reset()


def writes(emulator):
    """PATCH and comment POST requests that reached the emulator."""
    return [(r['method'], r['path']) for r in emulator.requests() if r['method'] in ('PATCH', 'POST')
            and '/security/incidents/' in r['path']]


def comments_with(emulator, incident_id, text):
    return [c for c in emulator.incident(incident_id)['comments'] if text in c['comment']]


def branches_run(run):
    """The branch markers printed, in order: only a task that ran prints its marker."""
    return [marker for marker in BRANCHES for dummy in re.findall(r'"msg": "%s ' % marker, run.stdout)]


@pytest.mark.parametrize('severity, status, branch', [
    ('high', 'active', 'TRIAGE HIGH'),
    ('medium', 'inProgress', 'TRIAGE MEDIUM'),
    ('medium', 'awaitingAction', 'TRIAGE MEDIUM'),
    ('low', 'active', 'TRIAGE LOW'),
])
def test_each_severity_takes_its_branch(triage, emulator, severity, status, branch):
    incident_id = pick(emulator, severity, status)
    run = triage(incident_id)
    assert run.rc == 0, run
    assert 'decision=pass' in run.stdout
    assert branches_run(run) == [branch]
    assert '"msg": "%s incident %s' % (branch, incident_id) in run.stdout
    # The decision is recorded on the incident: tag naming the branch, status, one comment saying what ran.
    recorded = emulator.incident(incident_id)
    name = branch.split()[-1].lower()
    assert 'triage:%s' % name in recorded['customTags'] and recorded['status'] == 'inProgress'
    assert len(comments_with(emulator, incident_id, 'msgraph.security.triage: %s severity branch ran' % name)) == 1


def test_running_triage_again_records_nothing_new(triage, emulator):
    incident_id = pick(emulator, 'high', 'active')
    assert triage(incident_id).rc == 0
    emulator.clear_requests()
    run = triage(incident_id)
    assert run.rc == 0, run
    assert branches_run(run) == ['TRIAGE HIGH']
    assert writes(emulator) == []
    assert len(comments_with(emulator, incident_id, 'msgraph.security.triage: high')) == 1


def test_record_false_runs_with_a_read_only_app_and_writes_nothing(triage, emulator, awx_env):
    incident_id = pick(emulator, 'medium', 'active')
    before = emulator.incident(incident_id)
    run = triage(incident_id, env=awx_env, record=False)
    assert run.rc == 0, run
    assert branches_run(run) == ['TRIAGE MEDIUM']
    assert writes(emulator) == [] and emulator.incident(incident_id) == before


def test_read_only_app_that_records_is_told_the_permission(triage, emulator, awx_env):
    run = triage(pick(emulator, 'low', 'active'), env=awx_env)
    assert run.rc == 2, run
    assert branches_run(run) == ['TRIAGE LOW']
    assert 'HTTP 403' in run.stdout and 'SecurityIncident.ReadWrite.All' in run.stdout


def test_informational_is_rejected_by_default_and_goes_low_when_allowed(triage, emulator):
    incident_id = pick(emulator, 'informational', 'active')
    run = triage(incident_id)
    assert run.rc == 0, run
    assert 'decision=reject(end_play) reason=severity informational is below low' in run.stdout
    assert branches_run(run) == []
    assert writes(emulator) == []  # a rejected incident is not touched
    run = triage(incident_id, min_severity='informational')
    assert run.rc == 0, run
    assert branches_run(run) == ['TRIAGE LOW']
    assert '(informational): would tag it for the weekly review' in run.stdout


def test_minimum_severity_from_the_survey_rejects_lower_ones(triage, emulator):
    run = triage(pick(emulator, 'low', 'active'), min_severity='medium')
    assert run.rc == 0, run
    assert 'reason=severity low is below medium, nothing more is done' in run.stdout
    assert branches_run(run) == []


def test_resolved_incident_runs_no_branch(triage, emulator):
    run = triage(pick(emulator, 'high', 'resolved'))
    assert run.rc == 0, run
    assert 'decision=reject(end_play) reason=status resolved is not one of' in run.stdout
    assert branches_run(run) == []


@pytest.mark.parametrize('on_reject', ['end_play', 'fail', 'continue'])
def test_mistyped_incident_id_fails_the_job_in_every_mode(triage, on_reject):
    run = triage(MISSING, on_reject=on_reject)
    assert run.rc == 2, run
    assert 'Incident %s was not found in Microsoft Graph (HTTP 404): check the incident id.' % MISSING in run.stdout
    assert 'INCIDENT GATE' not in run.stdout
    assert branches_run(run) == []


def test_severity_names_from_a_survey_are_read_in_any_case(triage, emulator):
    run = triage(pick(emulator, 'medium', 'active'), min_severity='High')
    assert run.rc == 0, run
    assert 'decision=reject(end_play) reason=severity medium is below high, nothing more is done' in run.stdout
    run = triage(pick(emulator, 'high', 'active'), min_severity='HIGH')
    assert run.rc == 0, run
    assert branches_run(run) == ['TRIAGE HIGH']


def test_continue_on_a_resolved_incident_prints_why_nothing_ran(triage, emulator):
    incident_id = pick(emulator, 'medium', 'resolved')
    run = triage(incident_id, on_reject='continue')
    assert run.rc == 0, run
    assert branches_run(run) == ['TRIAGE NONE']
    assert writes(emulator) == []  # the play went on, and left the rejected incident alone
    assert '"msg": "TRIAGE NONE incident %s: status resolved is not one of' % incident_id in run.stdout


@pytest.mark.parametrize('variables, message', [
    (dict(), 'missing required arguments: incident_id'),
    (dict(incident_id='300', min_severity='urgent'),
     "min_severity: 'urgent' is not a severity level; use one of: unknown, unknownFutureValue, informational, low,"
     " medium, high"),
    (dict(incident_id='300', on_reject='ignore'), 'value of on_reject must be one of: end_play, fail, continue, got: ignore'),
])
def test_bad_extra_vars_are_rejected_before_graph_is_called(triage, emulator, variables, message):
    emulator.clear_requests()
    run = triage(**variables)
    assert run.rc == 2, run
    assert message in run.stdout
    assert 'INCIDENT GATE' not in run.stdout
    assert [r for r in emulator.requests() if '/security/' in r['path']] == []


@pytest.mark.parametrize('app, protected', [('reader-cert', False), ('reader-cert', True)])
def test_certificate_injected_as_a_file(triage, emulator, tmp_path, app, protected):
    env = inject(emulator_inputs(emulator, app, protected=protected), tmp_path / 'awx')
    assert env['AZURE_CLIENT_CERTIFICATE_PATH'].startswith(str(tmp_path / 'awx' / 'env'))
    assert env['AZURE_CLIENT_SECRET'] == ''
    emulator.clear_requests()
    # reader-cert may not write, nor respond (the high branch's response needs more permissions).
    run = triage(pick(emulator, 'medium', 'active'), env=env, record=False)
    assert run.rc == 0, run
    assert branches_run(run) == ['TRIAGE MEDIUM']
    tokens = [r for r in emulator.requests() if r['path'].endswith('/oauth2/v2.0/token') and r['status'] == 200]
    assert len(tokens) == 1


def test_azure_resource_manager_credential_works(triage, emulator):
    """AWX's built-in Azure credential injects AZURE_SECRET and AZURE_TENANT, plus the emulator endpoints."""
    env = emulator.env('reader-secret')
    azure_rm = dict(AZURE_CLIENT_ID=env['AZURE_CLIENT_ID'], AZURE_SECRET=env['AZURE_CLIENT_SECRET'],
                    AZURE_TENANT=env['AZURE_TENANT_ID'], AZURE_SUBSCRIPTION_ID='00000000-0000-0000-0000-000000000000',
                    AZURE_CLOUD_ENVIRONMENT='AzureCloud', MSGRAPH_URL=env['MSGRAPH_URL'],
                    AZURE_AUTHORITY_HOST=env['AZURE_AUTHORITY_HOST'], MSGRAPH_CA_PATH=env['MSGRAPH_CA_PATH'])
    run = triage(pick(emulator, 'medium', 'inProgress'), env=azure_rm, record=False)
    assert run.rc == 0, run
    assert branches_run(run) == ['TRIAGE MEDIUM']
    assert env['AZURE_CLIENT_SECRET'] not in run.output


@pytest.mark.parametrize('statuses', [list(OPEN), ['active']])
def test_report_lists_open_incidents_by_severity(ansible_playbook, emulator, awx_env, statuses):
    status_filter = ' or '.join("status eq '%s'" % status for status in statuses)
    expected = dict((level, emulator.incident_ids("(%s) and severity eq '%s'" % (status_filter, level)))
                    for level in ('high', 'medium', 'low', 'informational', 'unknown'))
    run = ansible_playbook('report.yml', dict(statuses=statuses), env=awx_env, app=None)
    assert run.rc == 0, run
    sections = re.findall(r'"(HIGH|MEDIUM|LOW|INFORMATIONAL|UNKNOWN): (\d+) incident\(s\)"', run.stdout)
    assert sections == [(level.upper(), str(len(ids))) for level, ids in expected.items()]
    for level, ids in expected.items():
        block = run.stdout.split('"%s: ' % level.upper(), 1)[1].split('\n    ]', 1)[0]
        assert re.findall(r'"  (\d+) \[', block) == ids  # newest first, as Graph lists them
    total = sum(len(ids) for ids in expected.values())
    assert total > 0
    assert 'REPORT %d incident(s) with status %s' % (total, ', '.join(statuses)) in run.stdout


def test_report_says_when_max_items_cut_the_list(ansible_playbook, awx_env):
    run = ansible_playbook('report.yml', dict(max_items=5), env=awx_env, app=None)
    assert run.rc == 0, run
    assert 'REPORT 5 incident(s) with status active, inProgress, awaitingAction (more match: raise max_items)' in run.stdout


@pytest.mark.parametrize('given, statuses', [
    ('statuses=active', ['active']),
    ('statuses=active,inProgress', ['active', 'inProgress']),
    ('statuses=Active,AWAITINGACTION', ['active', 'awaitingAction']),
    ('{"statuses": " active , resolved "}', ['active', 'resolved']),
])
def test_report_reads_statuses_given_as_a_string_on_the_command_line(ansible_playbook, emulator, awx_env, given, statuses):
    """-e statuses=active is a string: it is read as the comma-separated list it means, in any case."""
    expected = emulator.incident_ids(' or '.join("status eq '%s'" % status for status in statuses))
    run = ansible_playbook('report.yml', env=awx_env, app=None, args=['-e', given])
    assert run.rc == 0, run
    listed = re.findall(r'"  (\d+) \[(\w+)\] ', run.stdout)
    assert sorted(i for i, dummy in listed) == sorted(expected)
    assert set(s for dummy, s in listed) == set(statuses)
    assert re.search(r'REPORT %d incident\(s\) with status [\w, ]+"' % len(expected), run.stdout)
    assert 'status a, c, t' not in run.stdout


def test_report_refuses_an_unknown_status_name(ansible_playbook, awx_env):
    run = ansible_playbook('report.yml', env=awx_env, app=None, args=['-e', 'statuses=active,open'])
    assert run.rc == 2, run
    assert "status='open' is not valid; use one of: active, inProgress, awaitingAction, resolved, redirected" in run.stdout


@pytest.fixture
def close(ansible_playbook, writer_env, emulator):
    def run(args=(), **variables):
        return ansible_playbook('close.yml', variables, env=writer_env, app=None, args=args)
    emulator.reset()
    yield run
    emulator.reset()


def test_close_resolves_with_classification_determination_and_comment(close, emulator):
    incident_id = pick(emulator, 'high', 'active')
    before = emulator.incident(incident_id)
    wanted = dict(incident_id=incident_id, classification='TruePositive', determination='malware',
                  resolving_comment='Malware removed, credentials reset.')
    checked = close(args=('--check', '--diff'), **wanted)
    assert checked.rc == 0, checked
    assert 'CLOSE incident %s: resolved as truePositive/malware (check mode: nothing written)' % incident_id in checked.stdout
    assert '+    "status": "resolved"' in checked.stdout and writes(emulator) == []
    assert emulator.incident(incident_id) == before
    closed = close(**wanted)
    assert closed.rc == 0, closed
    stored = emulator.incident(incident_id)
    assert (stored['status'], stored['classification'], stored['determination'], stored['resolvingComment']) == \
        ('resolved', 'truePositive', 'malware', 'Malware removed, credentials reset.')
    emulator.clear_requests()
    again = close(**wanted)
    assert again.rc == 0, again
    assert 'CLOSE incident %s: already resolved as truePositive/malware' % incident_id in again.stdout
    assert writes(emulator) == []


def test_close_with_a_determination_that_does_not_fit_writes_nothing(close, emulator):
    run = close(incident_id=pick(emulator, 'high', 'active'), classification='falsePositive', determination='malware',
                resolving_comment='x')
    assert run.rc == 2, run
    assert 'determination=malware does not fit classification=falsePositive; use one of: notMalicious' in run.stdout
    assert [r for r in emulator.requests() if '/security/' in r['path']] == []
