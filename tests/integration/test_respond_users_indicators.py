"""Real ansible-playbook runs of the user and indicator modules against the emulator (Graph users, Identity
Protection, Defender for Endpoint indicators)."""
import re

import pytest


SHA256 = '4f2a8d6c1b9e3f7a5c0d8e2b6a4f1c9d7e3b5a8c2f6d0e4b9a1c7f3e5d8b2a6c'


def user_writes(emulator):
    return [(r['method'], r['path']) for r in emulator.requests()
            if r['method'] in ('PATCH', 'POST') and re.search(r'/(users|identityProtection)/', r['path'])]


def indicator_requests(emulator):
    return [r for r in emulator.requests() if '/indicators' in r['path']]


def test_disabling_revoking_and_confirming_is_done_once_where_graph_shows_the_state(respond, emulator):
    users = emulator.users()[:2]
    upns = [u['userPrincipalName'] for u in users]
    result, run = respond('user', user_ids=upns, account_enabled=False, revoke_sessions=True, risk='compromised')
    assert result['changed'] and not result.get('failed'), run
    assert [(u['user_principal_name'], u['account_enabled'], u['risk_state'], u['sessions_revoked']) for u in result['users']] == [
        (upn, False, 'confirmedCompromised', True) for upn in upns]
    assert result['users'][0]['outcomes'] == ['account disabled', 'sign-in sessions revoked', 'compromise confirmed (risk high)']
    stored = dict((u['userPrincipalName'], u) for u in emulator.users())
    assert all(stored[upn]['accountEnabled'] is False and stored[upn]['revocations'] == 1 for upn in upns)
    assert all(stored[upn]['risk']['riskState'] == 'confirmedCompromised' for upn in upns)
    emulator.clear_requests()
    again, run = respond('user', user_ids=[u['id'] for u in users], account_enabled=False, risk='compromised')
    assert again['changed'] is False and user_writes(emulator) == [], run
    assert again['users'][0]['outcomes'] == ['account already disabled, nothing sent',
                                             'risk state already confirmedCompromised, nothing sent']


def test_user_check_mode_changes_nothing_and_says_planned(respond, emulator):
    user = emulator.users()[0]
    result, run = respond('user', args=('--check', '--diff'), user_ids=[user['id']], account_enabled=False,
                          revoke_sessions=True)
    assert result['changed'] and user_writes(emulator) == [], run
    assert result['users'][0]['outcomes'] == ['planned: disable the account', 'planned: revoke the sign-in sessions']
    assert result['users'][0]['sessions_revoked'] is False
    assert result['diff'] == dict(before={user['id']: {'account_enabled': True}}, after={user['id']: {'account_enabled': False}})
    assert emulator.users()[0]['accountEnabled'] is True


def test_an_unknown_user_fails_before_anything_is_changed(respond, emulator):
    known = emulator.users()[0]['userPrincipalName']
    result, run = respond('user', user_ids=[known, 'nobody@contoso.com'], account_enabled=False)
    assert result['failed'] is True and 'No Entra ID user nobody@contoso.com' in result['msg'], run
    assert user_writes(emulator) == [] and emulator.users()[0]['accountEnabled'] is True
    result, run = respond('user', user_ids=['not a user'], revoke_sessions=True)
    assert result['failed'] is True and "user_ids: 'not a user' is neither" in result['msg'], run


def test_each_part_names_the_permission_it_lacks(respond, emulator):
    user = emulator.users()[0]
    result, run = respond('user', app='writer-secret', user_ids=[user['id']], revoke_sessions=True)
    assert result['failed'] is True and 'HTTP 403' in result['msg'] and 'User.Read.All' in result['msg'], run


def test_an_indicator_is_submitted_once_changed_in_place_and_deleted(respond, emulator):
    task = dict(value=SHA256.upper(), type='file_sha256', action='block', title='Dropper', description='Incident 2972395',
                severity='high', expiration='2030-01-01T00:00:00Z')
    result, run = respond('indicator', args=('--check',), **task)
    assert result['changed'] and emulator.indicators() == [], run
    result, run = respond('indicator', **task)
    assert result['changed'] and result['indicator']['indicatorType'] == 'FileSha256', run
    emulator.clear_requests()
    again, run = respond('indicator', **dict(task, value=SHA256))
    assert again['changed'] is False, run
    assert [r['method'] for r in indicator_requests(emulator)] == ['GET']
    moved, run = respond('indicator', **dict(task, severity='medium'))
    assert moved['changed'] and moved['diff'] == dict(before={'severity': 'High'}, after={'severity': 'Medium'}), run
    assert moved['deleted_ids'] == []
    replaced, run = respond('indicator', **dict(task, action='audit'))
    assert replaced['deleted_ids'] == [result['indicator']['id']] and replaced['indicator']['action'] == 'Audit', run
    assert [(i['indicatorValue'].lower(), i['action']) for i in emulator.indicators()] == [(SHA256, 'Audit')]
    gone, run = respond('indicator', value=SHA256, type='file_sha256', state='absent')
    assert gone['changed'] and emulator.indicators() == [], run


@pytest.mark.parametrize('task, message', [
    (dict(value='10.0.0.0/8', type='ip_address'), "value '10.0.0.0/8' is not of type ip_address"),
    (dict(value='contoso-support.example', type='domain_name', expiration='2020-01-01'), 'expiration 2020-01-01 is in the past'),
    (dict(value='a' * 40, type='file_sha256'), 'is not of type file_sha256'),
])
def test_a_bad_indicator_fails_before_anything_is_sent(respond, emulator, task, message):
    result, run = respond('indicator', **dict(dict(action='block', title='t', description='d'), **task))
    assert result['failed'] is True and message in result['msg'], run
    assert indicator_requests(emulator) == []
    assert [r for r in emulator.requests() if r['path'].endswith('/token')] == []
