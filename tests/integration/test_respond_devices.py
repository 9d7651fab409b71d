"""Real ansible-playbook runs of device_info, device and device_action against the emulator's Defender for Endpoint API."""
import re

import pytest

from emulator_data import RESPONDER


def machines(emulator, count):
    return emulator.machines()[:count]


def action_posts(emulator):
    """Machine action requests that reached Defender."""
    return [r for r in emulator.requests() if r['method'] == 'POST' and re.search(r'/api/(v1\.0/)?machines/[^/]+/\w+$', r['path'])]


def test_isolating_follows_each_action_to_succeeded_and_a_second_run_sends_nothing(respond, emulator):
    two = machines(emulator, 2)
    result, run = respond('device', device_names=[m['computerDnsName'].upper() for m in two], isolation='full',
                          comment='Incident 2972395: contain')
    assert not result.get('failed') and result['changed'], run
    assert [d['id'] for d in result['devices']] == [m['id'] for m in two]
    for device in result['devices']:
        assert device['isolation'] == 'full' and device['failed'] is False
        assert [(a['type'], a['scope'], a['status'], a['requested']) for a in device['actions']] == [('Isolate', 'Full', 'Succeeded', True)]
        assert device['summary'] == '%s (%s): isolated (full): action %s Succeeded' % (
            device['dns_name'], device['id'], device['actions'][0]['id'])
    stored = emulator.machine_actions()
    assert sorted((a['machineId'], a['type'], a['scope'], a['requestorComment']) for a in stored) == sorted(
        (m['id'], 'Isolate', 'Full', 'Incident 2972395: contain') for m in two)
    assert result['diff'] == dict(before=dict((m['id'], {'isolation': 'released'}) for m in two),
                                  after=dict((m['id'], {'isolation': 'full'}) for m in two))
    emulator.clear_requests()
    again, run = respond('device', device_ids=[m['id'] for m in two], isolation='full', comment='Incident 2972395: contain')
    assert again['changed'] is False and not again.get('failed'), run
    assert action_posts(emulator) == []
    assert [d['outcomes'] for d in again['devices']] == [['already isolated (full), nothing sent']] * 2
    released, run = respond('device', device_ids=[two[0]['id']], isolation='released', comment='False positive')
    assert released['changed'] and released['devices'][0]['isolation'] == 'released', run
    info, run = respond('device_info', device_ids=[m['id'] for m in two])
    assert [(d['id'], d['isolation'], d['app_execution'], d['pending']) for d in info['devices']] == [
        (two[0]['id'], 'released', 'unrestricted', []), (two[1]['id'], 'full', 'unrestricted', [])]


def test_check_mode_sends_no_action_and_says_planned(respond, emulator):
    one = machines(emulator, 1)[0]
    result, run = respond('device', args=('--check', '--diff'), device_ids=[one['id']], isolation='selective',
                          app_execution='restricted', comment='plan only')
    assert result['changed'] and not result.get('failed'), run
    device = result['devices'][0]
    assert device['outcomes'] == ['planned: isolate (selective)', 'planned: restrict app execution']
    assert [(a['id'], a['status']) for a in device['actions']] == [(None, 'planned'), (None, 'planned')]
    assert (device['isolation'], device['app_execution']) == ('selective', 'restricted')
    assert action_posts(emulator) == [] and emulator.machine_actions() == []
    assert result['action_ids'] == []


def test_a_device_that_fails_is_listed_and_fails_the_task_after_the_others_were_done(respond, emulator):
    three = machines(emulator, 3)
    emulator.set_machine_actions(fail=[three[1]['id']])
    result, run = respond('device', device_ids=[m['id'] for m in three], isolation='full', comment='contain')
    assert result['failed'] is True, run
    assert [f['id'] for f in result['failed_devices']] == [three[1]['id']]
    statuses = [d['actions'][0]['status'] for d in result['devices']]
    assert statuses == ['Succeeded', 'Failed', 'Succeeded']
    assert '1 of 3 devices failed' in result['msg'] and three[1]['id'] in result['msg']
    assert len(action_posts(emulator)) == 3


def test_an_offline_device_times_out_and_its_pending_action_is_not_requested_again(respond, emulator):
    one = machines(emulator, 1)[0]
    emulator.set_machine_actions(offline=[one['id']])
    result, run = respond('device', device_ids=[one['id']], isolation='full', comment='contain', wait_timeout=2)
    assert result['failed'] is True, run
    device = result['devices'][0]
    assert device['actions'][0]['status'] == 'Pending' and 'still Pending after wait_timeout (2s)' in device['summary']
    emulator.clear_requests()
    again, run = respond('device', device_ids=[one['id']], isolation='full', comment='contain', wait=False)
    assert not again.get('failed') and again['changed'] is False, run
    assert again['devices'][0]['actions'][0]['requested'] is False
    assert 'requested earlier' in again['devices'][0]['summary']
    assert action_posts(emulator) == [] and len(emulator.machine_actions()) == 1


def test_an_isolation_already_made_in_the_portal_is_kept_and_another_pending_kind_is_not_overridden(respond, emulator):
    first, second = machines(emulator, 2)
    emulator.seed_machine_action(first['id'], 'Isolate', scope='Full', status='Succeeded')
    emulator.seed_machine_action(second['id'], 'Unisolate', status='Pending')
    emulator.set_machine_actions(offline=[second['id']])
    result, run = respond('device', device_ids=[first['id'], second['id']], isolation='full', comment='contain')
    assert result['failed'] is True, run
    kept, blocked = result['devices']
    assert kept['outcomes'] == ['already isolated (full), nothing sent'] and kept['failed'] is False
    assert blocked['failed'] and 'a Unisolate action' in blocked['summary'] and 'still Pending' in blocked['summary']
    assert action_posts(emulator) == []


def test_a_lost_answer_to_an_isolation_request_is_looked_for_and_never_resent(respond, emulator):
    one = machines(emulator, 1)[0]
    emulator.set_faults({'rules': [{'path_regex': '/api/machines/%s/isolate$' % one['id'], 'method': 'POST',
                                    'after': 'drop', 'count': 1}]})
    result, run = respond('device', device_ids=[one['id']], isolation='full', comment='contain')
    assert not result.get('failed'), run
    assert result['devices'][0]['actions'][0]['status'] == 'Succeeded' and result['devices'][0]['actions'][0]['requested']
    assert len(action_posts(emulator)) == 1 and len(emulator.machine_actions()) == 1


def test_an_answer_that_leaves_it_unknown_fails_the_device_without_sending_it_again(respond, emulator):
    one = machines(emulator, 1)[0]
    emulator.set_faults({'rules': [{'path_regex': '/api/machines/%s/isolate$' % one['id'], 'method': 'POST',
                                    'status': 503, 'count': 1}]})
    result, run = respond('device', device_ids=[one['id']], isolation='full', comment='contain')
    assert result['failed'] is True, run
    assert 'not requested again' in result['devices'][0]['summary']
    assert len(action_posts(emulator)) == 1 and emulator.machine_actions() == []


def test_one_shot_actions_are_not_asked_twice_while_pending(respond, emulator):
    one = machines(emulator, 1)[0]
    emulator.set_machine_actions(offline=[one['id']])
    result, run = respond('device_action', device_ids=[one['id']], action='run_antivirus_scan', scan_type='quick',
                          comment='scan')
    assert result['changed'] and result['devices'][0]['actions'][0]['status'] == 'Pending', run
    again, run = respond('device_action', device_ids=[one['id']], action='run_antivirus_scan', scan_type='quick',
                         comment='scan')
    assert again['changed'] is False and again['devices'][0]['actions'][0]['requested'] is False, run
    assert len(emulator.machine_actions()) == 1
    other, run = respond('device_action', device_ids=[one['id']], action='run_antivirus_scan', scan_type='full',
                         comment='scan')
    assert other['failed'] is True and 'still Pending' in other['msg'], run
    package, run = respond('device_action', device_names=[emulator.machines()[1]['computerDnsName']],
                           action='collect_investigation_package', comment='forensics', wait=True)
    assert package['devices'][0]['actions'][0]['status'] == 'Succeeded', run


@pytest.mark.parametrize('task_args, message', [
    (dict(device_names=['no-such-host.contoso.local'], isolation='full', comment='x'),
     'No Defender for Endpoint machine matches device_names no-such-host.contoso.local'),
    (dict(device_ids=['not-an-id'], isolation='full', comment='x'), "device_ids: 'not-an-id' is not a Defender machine id"),
    (dict(devices=[{'dns_name': None, 'mde_device_id': None}], isolation='full', comment='x'), 'devices[0] has neither'),
    (dict(device_ids=['1e5bc9d7e413ddd7902c2932e418702b84d0cc07'], isolation='full', comment='  '), 'comment is required'),
])
def test_bad_devices_fail_before_any_action_is_asked_for(respond, emulator, task_args, message):
    result, run = respond('device', **task_args)
    assert result['failed'] is True and message in result['msg'], run
    assert action_posts(emulator) == []
    assert 'Traceback' not in run.output


def test_a_graph_only_app_is_told_the_defender_permission_and_a_reader_the_isolate_one(respond, emulator):
    one = machines(emulator, 1)[0]
    result, run = respond('device', app='writer-secret', device_ids=[one['id']], isolation='full', comment='x')
    assert result['failed'] is True and 'HTTP 403' in result['msg'] and 'Machine.Read.All' in result['msg'], run
    assert 'WindowsDefenderATP' in result['msg']
    result, run = respond('device', app='reader-secret', device_ids=[one['id']], isolation='full', comment='x')
    assert result['failed'] is True and 'Machine.Isolate' in result['msg'], run
    assert emulator.machine_actions() == []


def test_tokens_of_each_audience_go_only_to_their_api_and_never_show(respond, emulator):
    one = machines(emulator, 1)[0]
    result, run = respond('device', args=('-vvvv',), device_ids=[one['id']], isolation='full', comment='contain')
    assert not result.get('failed'), run
    assert 'eyJ' not in run.output and emulator.apps[RESPONDER]['client_secret'] not in run.output
    requests = emulator.requests()
    assert [r for r in requests if r['status'] == 401] == []
    assert {r['resource'] for r in requests if r['path'].endswith('/oauth2/v2.0/token')} == {'https://api.securitycenter.microsoft.com'}
