"""Real ansible-playbook runs of the module and the lookup against the emulator."""
import json

import pytest

import requests
from emulator_data import connection_vars, emulator_token

SEED = '2972395'


def graph_requests(emulator, method=None, path_part=None):
    """Outer HTTP requests the emulator served (a $batch counts once), without Entra ID's."""
    return [r for r in emulator.requests() if not r['in_batch']
            and ('/security/' in r['path'] or r['path'].endswith('/$batch'))
            and (method is None or r['method'] == method) and (path_part is None or path_part in r['path'])]


def matching_ids(emulator, odata_filter):
    """Ids the emulator's own data says match, newest first (computed without the collection)."""
    response = requests.get(emulator.url + '/_emulator/incidents', params={'$filter': odata_filter},
                            verify=emulator.ca_path, timeout=10)
    response.raise_for_status()
    return response.json()['ids']


@pytest.mark.parametrize('api_version, expect_keys, expect_no_keys', [
    ('v1.0', ['priorityScore', 'incidentWebUrl'], ['recommendedActions', 'recommendedHuntingQueries']),
    ('beta', ['recommendedActions', 'recommendedHuntingQueries'], []),
])
def test_one_incident_in_both_api_versions(ansible_playbook, emulator, api_version, expect_keys, expect_no_keys):
    emulator.clear_requests()
    run = ansible_playbook('get_one.yml', dict(incident_id=int(SEED), api_version=api_version,
                                               expect=dict(severity='medium', status='active'),
                                               expect_keys=expect_keys, expect_no_keys=expect_no_keys))
    assert run.rc == 0, run
    assert 'BRANCH watch' in run.stdout
    gets = graph_requests(emulator, 'GET')
    assert [g['path'] for g in gets] == ['/%s/security/incidents/%s' % (api_version, SEED)] * 2  # module, lookup
    assert all(g['prefer'] == 'include-unknown-enum-members' for g in gets)


def test_awaiting_action_reaches_the_playbook(ansible_playbook, emulator):
    run = ansible_playbook('get_one.yml', dict(incident_id=emulator.known['awaitingAction'],
                                               expect=dict(status='awaitingAction')))
    assert run.rc == 0, run


def test_alerts_are_expanded(ansible_playbook, emulator):
    emulator.clear_requests()
    run = ansible_playbook('get_one.yml', dict(incident_id=SEED, expand_alerts=True, expect_keys=['alerts']))
    assert run.rc == 0, run
    assert all('expand=alerts' in g['query'] for g in graph_requests(emulator, 'GET'))


def test_many_ids_are_batched_twenty_per_round_trip(ansible_playbook, emulator):
    ids = matching_ids(emulator, "severity ne 'unknown'")[:45]
    emulator.clear_requests()
    run = ansible_playbook('get_many.yml', dict(ids=ids))
    assert run.rc == 0, run
    batches = graph_requests(emulator, 'POST', '$batch')
    assert len(batches) == 6  # ceil(45 / 20) for the module, and again for the lookup
    assert graph_requests(emulator) == batches  # no per-id GET besides the batches
    inner = [r for r in emulator.requests() if r['in_batch']]
    assert sorted(r['path'].rsplit('/', 1)[1] for r in inner) == sorted(ids * 2)
    token_requests = [r for r in emulator.requests() if r['path'].endswith('/oauth2/v2.0/token')]
    assert len(token_requests) == 1  # one for the run: the module's task and the lookup's share it


def test_many_ids_with_missing_ones_and_alerts(ansible_playbook, emulator):
    ids = [SEED, '999999901', 29, '999999902']
    run = ansible_playbook('get_many.yml', dict(ids=ids, missing_ids=['999999901', '999999902'], expand_alerts=True))
    assert run.rc == 0, run


LIST_CASES = [
    (dict(status=['active'], severity=['high']), None),
    (dict(severity=['low', 'informational'], expand_alerts=True), None),
    (dict(status=['active', 'inProgress', 'awaitingAction']), 120),
    (dict(), 7),
]
TRUNCATION_WARNING = 'msgraph.security.incident: more incidents match than max_items='


def expected_list(emulator, filters, max_items):
    """(ids the list must return, whether more match) from the emulator's own data."""
    clauses = []
    for option in ('status', 'severity'):
        if filters.get(option):
            clauses.append('(%s)' % ' or '.join("%s eq '%s'" % (option, v) for v in filters[option]))
    everything = matching_ids(emulator, ' and '.join(clauses))
    expected = everything[:max_items] if max_items else everything
    assert len(expected) > 0
    return expected, len(everything) > len(expected)


def run_list(ansible_playbook, emulator, filters, max_items):
    expected, truncated = expected_list(emulator, filters, max_items)
    run = ansible_playbook('list.yml', dict(filters, max_items=max_items, expected_ids=expected,
                                            expected_truncated=truncated))
    assert run.rc == 0, run
    # The lookup warns when it returns fewer than match (it has no "truncated" to say it with).
    assert (TRUNCATION_WARNING in run.output.replace('\n', ' ')) == truncated, run
    return expected


@pytest.mark.parametrize('filters, max_items', LIST_CASES)
def test_list_mode_filters_and_pages(ansible_playbook, emulator, filters, max_items):
    expected = run_list(ansible_playbook, emulator, filters, max_items)
    # Per run (module, then lookup): the first page with $count, then the other pages by $skip
    # inside one $batch (20 pages per round trip).
    pages = -(-len(expected) // 50)
    assert len(graph_requests(emulator, 'GET', '/security/incidents')) == 2
    assert len(graph_requests(emulator, 'POST', '$batch')) == 2 * -(-(pages - 1) // 20)
    assert len([r for r in emulator.requests() if r['in_batch']]) == 2 * (pages - 1)


@pytest.mark.parametrize('filters, max_items', [LIST_CASES[1], LIST_CASES[2]])
def test_list_mode_without_a_count_follows_next_links(ansible_playbook, emulator, filters, max_items):
    """Where Graph gives no @odata.count, module and lookup page by @odata.nextLink, to the end or to max_items."""
    emulator.set_faults({'rules': [{'path_regex': '/security/incidents$', 'misbehave': 'no_count'}]})
    expected = run_list(ansible_playbook, emulator, filters, max_items)
    assert len(graph_requests(emulator, 'GET', '/security/incidents')) == 2 * -(-len(expected) // 50)
    assert graph_requests(emulator, 'POST') == []


def test_filter_helpers_quote_values(ansible_playbook, emulator):
    expected = matching_ids(emulator, "assignedTo eq 'o''brien@contoso.com' and createdDateTime ge 2025-06-01T00:00:00Z")
    assert expected
    run = ansible_playbook('list.yml', dict(assigned_to="o'brien@contoso.com", created_after='2025-06-01',
                                            expected_ids=expected, lookup_too=False))
    assert run.rc == 0, run


def test_missing_incident_fails_or_reports(ansible_playbook, emulator):
    run = ansible_playbook('missing.yml', dict(missing_id=999999903, present_id=SEED))
    assert run.rc == 0, run
    assert '[WARNING]: msgraph.security.incident: incident 999999903 was not found' in run.output.replace('\n', ' ')


def test_app_without_permission_gets_the_consent_hint(ansible_playbook, emulator):
    run = ansible_playbook('failure.yml', app='no-permission')
    assert run.rc == 2, run
    assert 'HTTP 403 Forbidden: Missing application roles' in run.stdout
    assert 'SecurityIncident.Read.All' in run.stdout and 'Grant admin consent' in run.stdout
    assert 'request-id: ' in run.stdout and 'Traceback' not in run.output


def test_certificate_auth(ansible_playbook, emulator):
    emulator.clear_requests()
    run = ansible_playbook('get_one.yml', dict(incident_id=SEED), app='reader-cert')
    assert run.rc == 0, run
    # One token for the run, asked for with the certificate (a signed assertion), shared by the play's tasks.
    tokens = [r for r in emulator.requests() if r['path'].endswith('/token') and r['status'] == 200]
    assert len(tokens) == 1 and tokens[0]['client_auth'].startswith('assertion:')


def test_awx_azure_credential_names(ansible_playbook, emulator):
    """AWX's Azure Resource Manager credential injects AZURE_SECRET, AZURE_TENANT, AZURE_CLOUD_ENVIRONMENT."""
    env = emulator.env('reader-secret')
    awx = {'AZURE_CLIENT_ID': env['AZURE_CLIENT_ID'], 'AZURE_SECRET': env['AZURE_CLIENT_SECRET'],
           'AZURE_TENANT': env['AZURE_TENANT_ID'], 'AZURE_SUBSCRIPTION_ID': '00000000-0000-0000-0000-000000000000',
           'AZURE_CLOUD_ENVIRONMENT': 'AzureCloud', 'MSGRAPH_URL': env['MSGRAPH_URL'],
           'AZURE_AUTHORITY_HOST': env['AZURE_AUTHORITY_HOST'], 'MSGRAPH_CA_PATH': env['MSGRAPH_CA_PATH']}
    run = ansible_playbook('get_one.yml', dict(incident_id=SEED), app=None, env=awx)
    assert run.rc == 0, run


def test_module_defaults_through_the_action_group(ansible_playbook, emulator):
    run = ansible_playbook('module_defaults.yml', connection_vars(emulator), app=None)
    assert run.rc == 0, run


def test_lookup_options_from_variables(ansible_playbook, emulator):
    run = ansible_playbook('lookup_vars.yml', connection_vars(emulator), app=None)
    assert run.rc == 0, run


def test_secrets_never_reach_the_output(ansible_playbook, emulator):
    env = emulator.env('reader-secret')
    run = ansible_playbook('failure.yml', dict(incident_id='999999904'), args=['-vvvv'])
    assert run.rc == 2, run
    assert env['AZURE_CLIENT_SECRET'] not in run.output
    assert json.dumps(env['AZURE_CLIENT_SECRET'])[1:-1] not in run.output


def test_one_token_serves_many_tasks(ansible_playbook, emulator):
    ids = emulator.incident_ids()[:10]
    emulator.clear_requests()
    run = ansible_playbook('token_reuse.yml', dict(ids=ids), args=['-v'])
    assert run.rc == 0, run
    log = emulator.requests()
    assert len(log) == 12  # OpenID configuration + token, then one GET per read
    assert len([r for r in log if r['path'].endswith('/token')]) == 1
    assert "the output has been hidden due to the fact that 'no_log: true'" in run.stdout  # the token task


def test_enum_values_in_any_case_select_like_graph_spelling(ansible_playbook, emulator):
    run = ansible_playbook('enum_any_case.yml')
    assert run.rc == 0, run
    assert 'ok=4' in run.stdout, run


def test_access_token_runs_never_import_msal(ansible_playbook, emulator, tmp_path):
    """The README: with access_token no MSAL call is made and msal is never imported (module and lookup)."""
    guard = tmp_path / 'no_msal'
    guard.mkdir()
    (guard / 'msal.py').write_text("raise ImportError('msal was imported although an access_token was given')\n")
    env = dict((k, v) for k, v in emulator.env('reader-secret').items() if k != 'AZURE_CLIENT_SECRET')
    env.update(MSGRAPH_ACCESS_TOKEN=emulator_token(emulator), PYTHONPATH=str(guard))
    emulator.clear_requests()
    run = ansible_playbook('get_one.yml', dict(incident_id=SEED), app=None, env=env)
    assert run.rc == 0, run
    assert [r['path'] for r in emulator.requests()] == ['/v1.0/security/incidents/' + SEED] * 2  # no token request
