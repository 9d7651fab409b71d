"""Defender machine actions, indicators and Graph users in the emulator: the rules the response modules rely on."""
import time

import msal
import pytest

DEFENDER_SCOPE = 'https://api.securitycenter.microsoft.com/.default'


def token(emulator, app, scope):
    registration = emulator.apps[app]
    client = msal.ConfidentialClientApplication(
        registration['client_id'], client_credential=registration['client_secret'], authority=emulator.authority,
        instance_discovery=False, http_client=emulator.session())
    return client.acquire_token_for_client([scope])['access_token']


@pytest.fixture
def defender(emulator):
    """defender(method, path, app='responder-secret', **kwargs): a Defender API request; the emulator is reset after."""
    http = emulator.session()
    emulator.reset()
    emulator.set_machine_actions(pending_seconds=0.2, progress_seconds=0.2)

    def send(method, path, app='responder-secret', scope=DEFENDER_SCOPE, **kwargs):
        return http.request(method, emulator.url + path, headers={'Authorization': 'Bearer ' + token(emulator, app, scope)},
                            timeout=30, **kwargs)
    yield send
    emulator.reset()


def test_an_action_moves_from_pending_to_succeeded_and_a_second_one_is_refused_while_pending(defender, emulator):
    machine = emulator.machines()[0]
    first = defender('POST', '/api/machines/%s/isolate' % machine['id'], json={'Comment': 'c', 'IsolationType': 'Full'})
    assert first.status_code == 201 and first.json()['status'] == 'Pending' and first.json()['scope'] == 'Full'
    second = defender('POST', '/api/machines/%s/unisolate' % machine['id'], json={'Comment': 'c'})
    assert second.status_code == 400 and second.json()['error']['code'] == 'ActiveRequestAlreadyExists'
    time.sleep(0.5)
    read = defender('GET', '/api/machineactions/%s' % first.json()['id'])
    assert read.json()['status'] == 'Succeeded'
    listed = defender('GET', '/api/machineactions', params={'$filter': "machineId eq '%s' and type eq 'Isolate'" % machine['id']})
    assert [a['id'] for a in listed.json()['value']] == [first.json()['id']]


def test_a_failing_machine_fails_and_an_offline_one_stays_pending(defender, emulator):
    failing, offline = emulator.machines()[:2]
    emulator.set_machine_actions(fail=[failing['id']], offline=[offline['id']])
    for machine in (failing, offline):
        assert defender('POST', '/api/machines/%s/runAntiVirusScan' % machine['id'],
                        json={'Comment': 'c', 'ScanType': 'Quick'}).status_code == 201
    time.sleep(0.5)
    assert sorted((a['machineId'], a['status']) for a in emulator.machine_actions()) == sorted(
        [(failing['id'], 'Failed'), (offline['id'], 'Pending')])


@pytest.mark.parametrize('verb, body, code', [
    ('isolate', {'comment': 'lower case'}, 'InvalidRequestBody'),
    ('isolate', {'IsolationType': 'Full'}, 'MissingRequiredParameter'),
    ('isolate', {'Comment': 'c', 'IsolationType': 'full'}, 'InvalidRequestBody'),
    ('runAntiVirusScan', {'Comment': 'c'}, 'MissingRequiredParameter'),
])
def test_bodies_are_case_sensitive_and_complete(defender, emulator, verb, body, code):
    answer = defender('POST', '/api/machines/%s/%s' % (emulator.machines()[0]['id'], verb), json=body)
    assert answer.status_code == 400 and answer.json()['error']['code'] == code
    assert emulator.machine_actions() == []


def test_each_verb_needs_its_role_and_each_api_its_audience(defender, emulator):
    machine = emulator.machines()[0]
    refused = defender('POST', '/api/machines/%s/isolate' % machine['id'], app='reader-secret', json={'Comment': 'c'})
    assert refused.status_code == 403 and 'Machine.Isolate' in refused.json()['error']['message']
    graph_token = defender('POST', '/api/machines/%s/isolate' % machine['id'], scope='https://graph.microsoft.com/.default',
                           json={'Comment': 'c'})
    assert graph_token.status_code == 401
    user = emulator.users()[0]
    assert defender('GET', '/v1.0/users/%s' % user['id']).status_code == 401  # a Defender token on Graph


def test_indicators_are_checked_created_or_updated_by_value_and_deleted(defender, emulator):
    body = {'indicatorValue': 'contoso-support.example', 'indicatorType': 'DomainName', 'action': 'Block',
            'title': 't', 'description': 'd'}
    first = defender('POST', '/api/indicators', json=body)
    again = defender('POST', '/api/indicators', json=dict(body, indicatorValue='CONTOSO-support.example', severity='High'))
    assert first.status_code == again.status_code == 200 and first.json()['id'] == again.json()['id']
    assert defender('POST', '/api/indicators', json=dict(body, indicatorType='IpAddress')).json()['error']['code'] == 'InvalidIpAddress'
    assert defender('POST', '/api/indicators', json=dict(body, expirationTime='2020-01-01T00:00:00Z')).status_code == 400
    assert defender('DELETE', '/api/indicators/%s' % first.json()['id']).status_code == 204
    assert defender('DELETE', '/api/indicators/%s' % first.json()['id']).status_code == 404


def test_users_are_disabled_revoked_and_confirmed_compromised(defender, emulator):
    user = emulator.users()[0]
    graph = 'https://graph.microsoft.com/.default'
    assert defender('PATCH', '/v1.0/users/%s' % user['userPrincipalName'].upper(), scope=graph,
                    json={'accountEnabled': False}).status_code == 204
    assert defender('POST', '/v1.0/users/%s/revokeSignInSessions' % user['id'], scope=graph).json()['value'] is True
    assert defender('POST', '/v1.0/identityProtection/riskyUsers/confirmCompromised', scope=graph,
                    json={'userIds': [user['userPrincipalName']]}).status_code == 400  # object ids only
    assert defender('POST', '/v1.0/identityProtection/riskyUsers/confirmCompromised', scope=graph,
                    json={'userIds': [user['id']]}).status_code == 204
    stored = next(u for u in emulator.users() if u['id'] == user['id'])
    assert (stored['accountEnabled'], stored['revocations'], stored['risk']['riskState']) == (False, 1, 'confirmedCompromised')
    refused = defender('POST', '/v1.0/users/%s/revokeSignInSessions' % user['id'], app='writer-secret', scope=graph)
    assert refused.status_code == 403 and 'User.RevokeSessions.All' in refused.json()['error']['message']
