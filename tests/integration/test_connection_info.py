"""msgraph.security.connection_info and the msgraph.security.verify playbook, run by ansible-playbook
against the emulator with every kind of credential; the token never shows, even at -vvvv."""
import json
import re

import pytest

GRAPH = 'https://graph.microsoft.com'
READ, WRITE = 'SecurityIncident.Read.All', 'SecurityIncident.ReadWrite.All'
CHECKS = ['token', 'audience', 'permissions', 'read', 'count', 'batch', 'evolvable_enums']
# The incident checks all pass; the alerts and hunting rows are probed too, and these apps hold neither
# permission (only alert-reader/alert-writer may read alerts, only hunter-secret may hunt).
INCIDENTS_READY = dict(dict((name, True) for name in CHECKS), alerts_read=False, hunting_read=False)
NO_ALERTS = NO_HUNTING = dict(can_read=False, can_write=False)
# Any JWT (the emulator's tokens are JWTs like Entra ID's): none may ever appear in any output.
JWT = re.compile(r'eyJ[\w-]{5,}\.eyJ[\w-]{5,}\.[\w-]+')


def assert_nothing_leaks(run, emulator, *more):
    assert JWT.search(run.output) is None, run
    assert 'Traceback' not in run.output
    secrets = [app['client_secret'] for app in emulator.apps.values() if 'client_secret' in app]
    secrets += [emulator.apps['reader-cert']['certificate_password']] + list(more)
    for secret in secrets:
        assert secret not in run.output


@pytest.fixture
def connection_info(ansible_playbook, clean_emulator, tmp_path):
    """Run the module with an emulator app (or none) plus extra environment, at -vvvv; return its result."""
    def run(app='reader-secret', env=None, args=(), leak_check=()):
        result_file = tmp_path / 'result.json'
        played = ansible_playbook('connection_info.yml', dict(result_file=str(result_file)), app=app, env=env,
                                  args=['-vvvv'] + list(args))
        assert played.rc == 0, played
        assert_nothing_leaks(played, clean_emulator, *leak_check)
        return json.loads(result_file.read_text())
    return run


def checks(result):
    return dict((check['name'], check['ok']) for check in result['checks'])


def detail(result, name):
    return next(check['detail'] for check in result['checks'] if check['name'] == name)


def token_requests(emulator):
    return [r for r in emulator.requests() if r['path'].endswith('/oauth2/v2.0/token') or r['path'] == '/msi/token']


def test_writer_app_behind_a_reverse_proxy_style_graph_url(connection_info, clean_emulator):
    """graph_url points at the emulator (as at a proxy); the token is still for Microsoft Graph."""
    result = connection_info('writer-secret')
    writer = clean_emulator.apps['writer-secret']
    assert result['graph_url'] == clean_emulator.url != GRAPH
    assert [r['resource'] for r in token_requests(clean_emulator)] == [GRAPH]
    assert result['token'] == dict(audience=GRAPH, tenant_id=clean_emulator.tenant_id, app_id=writer['client_id'],
                                   roles=[WRITE], scopes=[], expires_on=result['token']['expires_on'], expired=False)
    assert re.match(r'^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$', result['token']['expires_on'])
    assert (result['auth_method'], result['cloud'], result['api_version']) == ('client_secret', 'global', 'v1.0')
    assert result['authority_host'] == clean_emulator.url and result['token_audience'] == GRAPH
    assert checks(result) == INCIDENTS_READY
    assert result['can_read'] is True and result['can_write'] is True
    assert result['capabilities'] == {'incidents': dict(can_read=True, can_write=True), 'alerts': NO_ALERTS,
                                      'hunting': NO_HUNTING}
    assert result['summary'].startswith('READY: app %s in tenant %s can read and change incidents'
                                        % (writer['client_id'], clean_emulator.tenant_id))
    # One Graph request per check, nothing written.
    graph = [r for r in clean_emulator.requests() if '/v1.0/' in r['path'] and not r['in_batch']]
    assert [r['method'] for r in graph] == ['GET', 'GET', 'POST', 'GET', 'GET', 'POST']
    assert 'awaitingAction' in graph[3]['query'] and graph[4]['path'] == '/v1.0/security/alerts_v2'
    assert graph[5]['path'] == '/v1.0/security/runHuntingQuery'


def test_reader_app_may_read_not_write(connection_info, clean_emulator):
    result = connection_info('reader-secret')
    assert checks(result) == INCIDENTS_READY
    assert result['can_read'] is True and result['can_write'] is False
    assert result['token']['roles'] == [READ]
    assert 'not change them (no %s)' % WRITE in result['summary']
    assert 'modules that write need %s with admin consent' % WRITE in detail(result, 'permissions')


@pytest.mark.parametrize('app, alerts', [('alert-writer', dict(can_read=True, can_write=True)),
                                         ('alert-reader', dict(can_read=True, can_write=False))])
def test_alerts_are_reported_per_capability(connection_info, app, alerts):
    result = connection_info(app)
    assert checks(result) == dict(INCIDENTS_READY, alerts_read=True)
    assert result['capabilities'] == {'incidents': dict(can_read=True, can_write=alerts['can_write']), 'alerts': alerts,
                                      'hunting': NO_HUNTING}
    if not alerts['can_write']:
        assert 'Alerts can be read, not changed: modules that write need SecurityAlert.ReadWrite.All' in detail(
            result, 'permissions')


def test_app_without_permission_is_told_what_to_grant(connection_info):
    result = connection_info('no-permission')
    assert checks(result) == dict(token=True, audience=True, permissions=False, read=False, count=None, batch=None,
                                  evolvable_enums=None, alerts_read=False, hunting_read=False)
    assert result['token']['roles'] == [] and result['can_read'] is False and result['can_write'] is False
    assert 'The token carries no application permission' in detail(result, 'permissions')
    assert 'Grant admin consent' in detail(result, 'permissions')
    assert 'HTTP 403 Forbidden' in detail(result, 'read') and 'request-id: ' in detail(result, 'read')
    assert detail(result, 'batch') == 'Needs the read check to pass.'
    assert result['summary'].startswith('NOT READY: incidents cannot be read. The permissions check failed:')


def test_hunter_app_may_run_hunting_queries(connection_info, clean_emulator):
    result = connection_info('hunter-secret')
    assert checks(result) == dict(INCIDENTS_READY, hunting_read=True)
    assert result['capabilities']['hunting'] == dict(can_read=True, can_write=False)
    assert detail(result, 'hunting_read') == 'POST /security/runHuntingQuery with a harmless hunting query answered.'
    posts = [r for r in clean_emulator.requests() if r['path'].endswith('/security/runHuntingQuery')]
    assert [r['status'] for r in posts] == [200]


def test_certificate_app(connection_info, clean_emulator):
    result = connection_info('reader-cert')
    assert result['auth_method'] == 'certificate'
    assert result['token']['app_id'] == clean_emulator.apps['reader-cert']['client_id']
    assert result['can_read'] is True and result['can_write'] is False
    assert [r['client_auth'] for r in token_requests(clean_emulator)] == ['assertion:PS256']


def test_managed_identity(connection_info, clean_emulator):
    result = connection_info('managed-identity', env={'MSGRAPH_MANAGED_IDENTITY': 'true'})
    assert result['auth_method'] == 'managed_identity'
    assert result['token']['app_id'] == clean_emulator.managed_identity['system']['client_id']
    assert [r['resource'] for r in token_requests(clean_emulator)] == [GRAPH]
    assert result['can_read'] is True and checks(result)['read'] is True


def test_ready_access_token(connection_info, clean_emulator):
    app = clean_emulator.apps['writer-secret']
    token = clean_emulator.session().post(clean_emulator.authority + '/oauth2/v2.0/token', timeout=10, data={
        'grant_type': 'client_credentials', 'client_id': app['client_id'], 'client_secret': app['client_secret'],
        'scope': GRAPH + '/.default'}).json()['access_token']
    clean_emulator.clear_requests()
    result = connection_info(app=None, env=dict(clean_emulator.env('reader-secret'), MSGRAPH_ACCESS_TOKEN=token),
                             leak_check=[token])
    assert result['auth_method'] == 'access_token' and token_requests(clean_emulator) == []
    assert result['token']['app_id'] == app['client_id'] and result['can_write'] is True
    assert 'Using the access_token given' in detail(result, 'token')
    assert token not in json.dumps(result)


@pytest.fixture
def restored(clean_emulator):
    """The emulator's dataset as at start after the test wrote."""
    yield clean_emulator
    clean_emulator.reset()


def test_delegated_token_with_the_write_scope_can_write_as_graph_then_agrees(connection_info, clean_emulator, restored):
    token = clean_emulator.user_token('writer-secret')
    clean_emulator.clear_requests()
    result = connection_info(app=None, env=dict(clean_emulator.env('reader-secret'), MSGRAPH_ACCESS_TOKEN=token),
                             leak_check=[token])
    assert result['can_write'] is True and checks(result) == INCIDENTS_READY
    assert result['token']['roles'] == [] and WRITE in result['token']['scopes']
    assert result['capabilities']['incidents'] == dict(can_read=True, can_write=True)
    assert 'The token carries %s (delegated).' % WRITE in detail(result, 'permissions')
    assert 'can read and change incidents (%s)' % WRITE in result['summary']
    # What the verdict promises, Graph does: the same token may write.
    answer = clean_emulator.session().patch(clean_emulator.url + '/v1.0/security/incidents/2972395', timeout=10,
                                            headers={'Authorization': 'Bearer ' + token}, json={'customTags': ['x']})
    assert answer.status_code == 200, answer.text


def test_expired_access_token_is_called_expired(connection_info, clean_emulator):
    token = clean_emulator.expired_token('reader-secret')
    result = connection_info(app=None, env=dict(clean_emulator.env('reader-secret'), MSGRAPH_ACCESS_TOKEN=token),
                             leak_check=[token])
    assert checks(result)['token'] is False and result['token']['expired'] is True
    assert 'valid until' not in detail(result, 'token')
    assert re.search(r"which expired at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ \(by this host's clock\), so Graph refuses it:"
                     r' give a new access_token\.', detail(result, 'token')), detail(result, 'token')
    assert 'the token is expired' in detail(result, 'read') and result['can_read'] is False
    assert detail(result, 'read').endswith('The token has expired (see the token check).')
    assert result['summary'].startswith('NOT READY: incidents cannot be read. The token check failed: ')


def test_access_token_that_is_not_a_jwt(connection_info, clean_emulator):
    opaque = 'opaque-token-value-1234567890'
    result = connection_info(app=None, env=dict(clean_emulator.env('reader-secret'), MSGRAPH_ACCESS_TOKEN=opaque),
                             leak_check=[opaque])
    assert result['token'] == dict(audience=None, tenant_id=None, app_id=None, roles=None, scopes=None, expires_on=None,
                                   expired=None)
    assert checks(result)['audience'] is None and checks(result)['permissions'] is None
    assert checks(result)['read'] is False and 'HTTP 401 InvalidAuthenticationToken' in detail(result, 'read')
    assert result['can_read'] is False and result['can_write'] is None


def test_usgov_cloud_asks_for_graph_microsoft_us(connection_info, clean_emulator):
    result = connection_info('reader-secret', env={'MSGRAPH_CLOUD': 'usgov'})
    assert [r['resource'] for r in token_requests(clean_emulator)] == ['https://graph.microsoft.us']
    assert result['cloud'] == 'usgov' and result['token']['audience'] == 'https://graph.microsoft.us'
    assert checks(result) == INCIDENTS_READY


@pytest.mark.parametrize('app', ['reader-secret', 'reader-cert', 'managed-identity'])
def test_explicit_audience_entra_does_not_know(connection_info, clean_emulator, app):
    env = {'MSGRAPH_TOKEN_AUDIENCE': 'https://graph-proxy.corp.example/'}
    if app == 'managed-identity':
        env['MSGRAPH_MANAGED_IDENTITY'] = 'true'
    result = connection_info(app, env=env)
    assert checks(result)['token'] is False and result['can_read'] is False
    text = detail(result, 'token')
    assert 'AADSTS500011' in text
    assert ('The token was requested for https://graph-proxy.corp.example because token_audience'
            ' (MSGRAPH_TOKEN_AUDIENCE) says so; Entra ID knows no such resource in this tenant. Unset token_audience'
            ' so that the token is for the Graph of cloud=global (https://graph.microsoft.com)') in text
    assert checks(result)['read'] is None and detail(result, 'read') == 'Needs a token.'
    assert [r['resource'] for r in token_requests(clean_emulator)] == ['https://graph-proxy.corp.example']


def test_audience_of_another_api_is_named(connection_info):
    result = connection_info('reader-secret', env={'MSGRAPH_TOKEN_AUDIENCE': 'https://management.azure.com'})
    assert checks(result)['token'] is True and checks(result)['audience'] is False
    assert ('The token is for https://management.azure.com, but Microsoft Graph of cloud=global accepts only tokens'
            ' for https://graph.microsoft.com. token_audience (MSGRAPH_TOKEN_AUDIENCE) asks for it')\
        in detail(result, 'audience')
    assert 'HTTP 401' in detail(result, 'read') and result['can_read'] is False
    assert result['summary'].startswith('NOT READY: incidents cannot be read. The audience check failed:')


def test_prefer_header_dropped_is_a_warning(connection_info, clean_emulator):
    # What a proxy that drops Prefer looks like: the awaitingAction filter is refused.
    clean_emulator.set_faults({'rules': [{'path_regex': '/security/incidents$', 'query_regex': 'awaitingAction',
                                          'status': 400, 'code': 'BadRequest', 'message': 'Invalid filter clause'}]})
    result = connection_info('reader-secret')
    assert checks(result)['evolvable_enums'] is False and result['can_read'] is True
    assert 'may be dropping the Prefer header' in detail(result, 'evolvable_enums')
    assert result['summary'].startswith('READY: ') and 'Warnings: evolvable_enums: ' in result['summary']


def test_bad_options_fail_the_task(ansible_playbook, clean_emulator, tmp_path):
    env = dict(clean_emulator.env('reader-secret'),
               AZURE_CLIENT_CERTIFICATE_PATH=clean_emulator.apps['reader-cert']['certificate_path'])
    run = ansible_playbook('connection_info.yml', dict(result_file=str(tmp_path / 'r.json')), app=None, env=env)
    assert run.rc == 2 and 'Conflicting credentials: client_secret' in run.stdout, run
    assert clean_emulator.requests() == []


def test_check_mode(connection_info):
    assert connection_info('reader-secret', args=['--check'])['can_read'] is True


# -- the verify playbook -----------------------------------------------------------------

def test_verify_passes_with_a_reader_credential_from_awx(ansible_playbook, clean_emulator, awx_env):
    run = ansible_playbook('verify.yml', env=awx_env, app=None, args=['-vvvv'])
    assert run.rc == 0, run
    assert 'READY: app %s' % clean_emulator.apps['reader-secret']['client_id'] in run.stdout
    assert 'read | True | GET /security/incidents?$top=1' not in run.stdout  # ok/FAILED words, not Python's
    assert re.search(r'read \| ok \| GET /security/incidents\?\$top=1 answered', run.stdout), run
    assert_nothing_leaks(run, clean_emulator)


def test_verify_fails_and_says_why(ansible_playbook, clean_emulator):
    run = ansible_playbook('verify.yml', app='no-permission', args=['-vvvv'])
    assert run.rc == 2, run
    assert 'NOT READY: incidents cannot be read. The permissions check failed:' in run.stdout
    assert 'Microsoft Graph application permission SecurityIncident.Read.All with admin consent' in run.stdout
    assert re.search(r'batch \| not run \| Needs the read check to pass\.', run.stdout), run
    assert_nothing_leaks(run, clean_emulator)


def test_verify_without_any_credential_still_gives_a_verdict(ansible_playbook, clean_emulator):
    run = ansible_playbook('verify.yml', app=None, env={'MSGRAPH_URL': clean_emulator.url})
    assert run.rc == 2, run
    assert '"msg": "NOT READY: the checks could not run. No credentials to authenticate to Microsoft Graph.' in run.stdout, run
    assert 'Traceback' not in run.output
    assert clean_emulator.requests() == []


def test_verify_with_an_unknown_audience(ansible_playbook, clean_emulator):
    run = ansible_playbook('verify.yml', app='reader-secret',
                           env={'MSGRAPH_TOKEN_AUDIENCE': 'https://graph-proxy.corp.example'})
    assert run.rc == 2, run
    assert 'NOT READY: incidents cannot be read. The token check failed:' in run.stdout
    assert 'invalid_resource: AADSTS500011' in run.stdout
