"""msgraph.security.hunting_query and the msgraph.security.hunting lookup, run by ansible-playbook against the
emulator: rows and schema as Graph answers them, a KQL error, the size limit, the quota (429), 403, no_log."""
import json
import re
import time

import pytest
from ansible.release import __version__ as ansible_version

from tests.emulator.fixture import start_emulator

HUNTER = 'hunter-secret'
FILE_QUERY = 'DeviceFileEvents | where SHA256 == "%s" | distinct DeviceName, DeviceId | take 50'
QUOTA = 'API calls quota exceeded! maximum allowed 45 per 00:01:00'

CORE = tuple(int(part) for part in ansible_version.split('.')[:2])


@pytest.fixture
def hunt(ansible_playbook, tmp_path):
    """Run playbooks/hunting.yml with ``kql``; (run, result) where result is None when the play failed."""
    def run(kql, app=HUNTER, args=(), env=None, **extra):
        result_file, vars_file = tmp_path / 'result.json', tmp_path / 'kql.json'
        if result_file.exists():
            result_file.unlink()
        # From a file, as a play gets its queries (not on the command line, which -vvvv prints).
        vars_file.write_text(json.dumps(dict(kql=kql)))
        played = ansible_playbook('hunting.yml', dict(extra, result_file=str(result_file)), app=app,
                                  args=['-e', '@%s' % vars_file] + list(args), env=env)
        assert 'Traceback' not in played.output, played
        return played, json.loads(result_file.read_text()) if result_file.exists() else None
    return run


def graph_answer(emulator, body, app=HUNTER):
    """What Graph itself answers to a hunting query, asked directly with the app's token."""
    registration, session = emulator.apps[app], emulator.session()
    token = session.post(emulator.authority + '/oauth2/v2.0/token', timeout=10, data={
        'grant_type': 'client_credentials', 'client_id': registration['client_id'],
        'client_secret': registration['client_secret'], 'scope': emulator.scope}).json()['access_token']
    return session.post(emulator.url + '/v1.0/security/runHuntingQuery', json=body, timeout=30,
                        headers={'Authorization': 'Bearer ' + token})


def file_sha256(emulator, incident_id='9'):
    alerts = emulator.incident(incident_id)['alerts']
    return next(e['fileDetails']['sha256'] for a in alerts for e in a['evidence'] if 'fileDetails' in e)


def hunting_posts(emulator):
    return [r for r in emulator.requests() if r['path'].endswith('/security/runHuntingQuery')]


def test_rows_and_schema_as_graph_returns_them_module_and_lookup(hunt, clean_emulator):
    kql = FILE_QUERY % file_sha256(clean_emulator)
    run, result = hunt(kql)
    assert run.rc == 0, run
    answer = graph_answer(clean_emulator, {'Query': kql}).json()
    module = result['module']
    assert module['changed'] is False and module['results'] == answer['results'] != []
    assert module['schema'] == answer['schema'] == [dict(name='DeviceName', type='String'), dict(name='DeviceId', type='String')]
    assert module['row_count'] == len(answer['results'])
    assert result['lookup'] == answer['results']
    # The module's and the lookup's POSTs (the direct one came after them).
    assert [r['method'] for r in hunting_posts(clean_emulator)][:2] == ['POST', 'POST']


def test_timespan_is_sent_and_check_mode_runs_the_query(hunt, clean_emulator):
    kql = FILE_QUERY % file_sha256(clean_emulator)
    run, result = hunt(kql, timespan='2020-01-01T00:00:00Z/2020-01-02T00:00:00Z', args=['--check'])
    assert run.rc == 0, run
    assert result['module']['results'] == [] and result['module']['row_count'] == 0 and result['lookup'] == []
    run, result = hunt(kql, timespan='P30D', args=['--check'], with_lookup=False)
    assert run.rc == 0 and result['module']['row_count'] > 0, run


def test_a_bad_timespan_is_refused_before_anything_is_sent(hunt, clean_emulator):
    run, result = hunt('DeviceInfo | take 1', timespan='last week', with_lookup=False)
    assert run.rc != 0 and result is None
    assert "Invalid timespan 'last week': an ISO 8601 interval such as P7D" in run.output
    assert hunting_posts(clean_emulator) == []


def test_a_kql_error_shows_graphs_message_and_request_id(hunt, clean_emulator):
    run, dummy = hunt('DeviceFileEvents | summarize count() by DeviceName', with_lookup=False)
    assert run.rc != 0
    posts = hunting_posts(clean_emulator)
    assert [r['status'] for r in posts] == [400]  # a KQL error is not sent again
    assert ("POST /v1.0/security/runHuntingQuery failed: HTTP 400 BadRequest: Syntax error: Query could not be parsed"
            " at 'summarize count() by DeviceName'.") in run.output
    assert 'request-id: %s' % posts[0]['request_id'] in run.output


def test_a_result_over_the_size_limit_fails_saying_how_to_cap_it(hunt, clean_emulator):
    run, dummy = hunt('DeviceNetworkEvents | project DeviceName, RemoteIP', with_lookup=False)
    assert run.rc != 0
    assert 'HTTP 400 BadRequest: Query execution has exceeded the allowed result size' in run.output
    assert 'Advanced hunting returns at most 100,000 rows' in run.output and 'take or limit' in run.output


def test_403_names_the_hunting_permission(hunt, clean_emulator):
    run, dummy = hunt('DeviceInfo | take 1', app='reader-secret', with_lookup=False)
    assert run.rc != 0
    assert 'HTTP 403 Forbidden' in run.output
    assert 'The app needs the Microsoft Graph application permission ThreatHunting.Read.All' in run.output


def test_a_quota_429_is_waited_out_within_the_retry_budget(hunt, clean_emulator):
    clean_emulator.set_faults({'rules': [{'path_regex': 'runHuntingQuery$', 'status': 429, 'retry_after': 1,
                                          'count': 1, 'code': 'TooManyRequests', 'message': QUOTA}]})
    run, result = hunt('DeviceInfo | take 2', with_lookup=False)
    assert run.rc == 0, run
    assert result['module']['row_count'] == 2
    assert [r['status'] for r in hunting_posts(clean_emulator)] == [429, 200]


@pytest.fixture
def own_emulator(tmp_path):
    """An emulator of its own, whose hunting quota the test may use up."""
    with start_emulator(tmp_path / 'own-emulator') as running:
        yield running


def use_up_the_quota(emulator):
    """45 queries in this clock minute (started early enough in it that the play runs before the next)."""
    if time.time() % 60 > 40:
        time.sleep(60 - time.time() % 60 + 0.5)
    for dummy in range(45):
        assert graph_answer(emulator, {'Query': 'DeviceInfo | take 1'}).status_code == 200


@pytest.mark.parametrize('limits, expected', [
    # The budget cannot cover the wait Graph asks for: fail at once, naming the quota.
    ({'MSGRAPH_MAX_RETRY_WAIT': '0'}, r'Graph asked to retry after \d+s \(HTTP 429, request-id: [0-9a-f-]{36}\)'),
    # No retries left: Graph's own 429 message names the quota.
    ({'MSGRAPH_MAX_RETRIES': '0'}, r'HTTP 429 TooManyRequests: ' + re.escape(QUOTA)),
])
def test_a_quota_429_beyond_the_retry_budget_fails_naming_the_quota(hunt, own_emulator, limits, expected):
    use_up_the_quota(own_emulator)
    run, dummy = hunt('DeviceInfo | take 1', with_lookup=False, env=dict(own_emulator.env(HUNTER), **limits))
    assert run.rc != 0
    assert re.search(expected, run.output), run
    assert 'Advanced hunting has a quota per tenant (at least 45 queries a minute' in run.output
    answer = graph_answer(own_emulator, {'Query': 'DeviceInfo | take 1'})
    assert answer.status_code == 429 and answer.json()['error']['message'] == QUOTA
    assert 1 <= int(answer.headers['Retry-After']) <= 60


SECRET = 'Pa55w0rd!-hunting-7Rq2Zx'
ANSWERED = 'DeviceFileEvents | where InitiatingProcessAccountName == "%s" | take 5' % SECRET
REFUSED = 'DeviceFileEvents | search "%s"' % SECRET  # a KQL error whose message quotes the query


@pytest.mark.parametrize('kql, plugins', [
    (ANSWERED, {}),
    (REFUSED, {}),  # the module fails
    (REFUSED, {'with_module': False}),  # the lookup fails
])
def test_no_log_keeps_the_query_out_of_the_output_at_vvvv(hunt, clean_emulator, kql, plugins):
    run, dummy = hunt(kql, hide=True, args=['-vvvv'], **plugins)
    assert 'TASK [Run the query]' in run.output and SECRET not in run.output, run
    if kql is REFUSED:
        assert run.rc != 0
        if CORE >= (2, 19):  # these cores print a no_log task's failure message; older ones hide all of it
            assert "HTTP 400 BadRequest; Graph's message is withheld because the task is no_log" in run.output
            assert 'request-id: %s' % hunting_posts(clean_emulator)[-1]['request_id'] in run.output
    # Without no_log the same run shows it (so the test above can fail), where the core prints it: 2.21
    # no longer returns a module's invocation, so a query that succeeds is not printed there at all.
    shown, dummy = hunt(kql, args=['-vvvv'], **plugins)
    assert SECRET in shown.output or (kql is ANSWERED and CORE >= (2, 21))
