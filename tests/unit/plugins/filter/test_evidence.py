"""The evidence filter: entities of an incident's alerts, deduplicated, each with the alerts naming it."""
import copy

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.msgraph.security.plugins.filter.evidence import FilterModule, evidence

SEC = '#microsoft.graph.security.'
DEVICE_ID = '4f1c2b3a9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b'
SHA256 = '9c8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b'
A1, A2, A3 = 'da638801122334455667_-1029384756', 'da638801122334455668_-1029384757', 'ca0f1e2d3c4b5a69788796a5b4c3d2e1f0'


def common(kind, **fields):
    item = {'@odata.type': SEC + kind, 'createdDateTime': '2026-05-04T09:12:41.5123456Z', 'verdict': 'suspicious',
            'remediationStatus': 'none', 'remediationStatusDetails': None, 'roles': [], 'detailedRoles': [], 'tags': []}
    item.update(fields)
    return item


def device(**more):
    fields = dict(mdeDeviceId=DEVICE_ID, azureAdDeviceId='aaaabbbb-cccc-dddd-eeee-ffff00001111',
                  deviceDnsName='fin-lt-042.corp.example.com', osPlatform='Windows11', osBuild=22631, healthStatus='active',
                  riskScore='high', onboardingStatus='onboarded', rbacGroupId=12, rbacGroupName='Finance laptops',
                  ipInterfaces=['10.20.30.40', 'fe80::1c2d:3e4f:5a6b:7c8d'],
                  loggedOnUsers=[{'@odata.type': '#microsoft.graph.loggedOnUser', 'accountName': 'jdoe', 'domainName': 'CORP'}])
    fields.update(more)
    return common('deviceEvidence', **fields)


def user(name, oid, sid):
    return common('userEvidence', userAccount={
        'accountName': name, 'domainName': 'CORP', 'userPrincipalName': '%s@example.com' % name,
        'azureAdUserId': oid, 'userSid': sid, 'displayName': name.title()})


JDOE = user('jdoe', '99998888-7777-6666-5555-444433332222', 'S-1-5-21-1111111111-2222222222-3333333333-1105')
ASMITH = user('asmith', '11112222-3333-4444-5555-666677778888', 'S-1-5-21-1111111111-2222222222-3333333333-1230')
FILE = common('fileEvidence', verdict='malicious', remediationStatus='prevented', detectionStatus='blocked', mdeDeviceId=DEVICE_ID,
              fileDetails={'sha1': '3b5f0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b', 'sha256': SHA256, 'fileName': 'invoice_viewer.exe',
                           'filePath': 'C:\\Users\\jdoe\\AppData\\Local\\Temp', 'fileSize': 482304,
                           'filePublisher': None, 'signer': None, 'issuer': None})
PROCESS = common('processEvidence', processId=7312, parentProcessId=944, mdeDeviceId=DEVICE_ID,
                 processCommandLine='"invoice_viewer.exe" /silent', processCreationDateTime='2026-05-04T09:10:58.004Z',
                 detectionStatus='detected', imageFile=FILE['fileDetails'],
                 parentProcessImageFile={'fileName': 'explorer.exe', 'filePath': 'C:\\Windows'}, userAccount=JDOE['userAccount'])
REGISTRY = common('registryKeyEvidence', registryKey='SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run', registryHive='HKEY_CURRENT_USER')


def alert(alert_id, *items):
    return {'@odata.type': SEC + 'alert', 'id': alert_id, 'providerAlertId': alert_id, 'incidentId': '4711',
            'status': 'new', 'severity': 'high', 'title': 'Ransomware-linked binary launched from a user profile',
            'comments': [], 'systemTags': [], 'evidence': list(items)}


def incident():
    """Three alerts: the device in two of them (once with a newer IP), jdoe in two, asmith in one."""
    return {'@odata.type': SEC + 'incident', 'id': '4711', 'status': 'active', 'severity': 'high',
            'incidentWebUrl': 'https://security.microsoft.com/incidents/4711', 'alerts': [
                alert(A1, device(), JDOE, FILE, PROCESS),
                alert(A2, device(ipInterfaces=['10.20.30.41']), JDOE, ASMITH,
                      common('ipEvidence', ipAddress='203.0.113.9', countryLetterCode='NL')),
                alert(A3, ASMITH, common('urlEvidence', url='https://invoice-view.example.net/doc?id=8812'),
                      common('mailboxEvidence', primaryAddress='asmith@example.com', upn='asmith@example.com',
                             displayName='Asmith', userAccount=ASMITH['userAccount']), REGISTRY),
            ]}


def test_the_same_device_twice_and_two_users_give_two_users_and_one_device_each_with_its_alerts():
    found = evidence(incident())
    assert found['devices'] == [dict(
        mde_device_id=DEVICE_ID, azure_ad_device_id='aaaabbbb-cccc-dddd-eeee-ffff00001111',
        dns_name='fin-lt-042.corp.example.com', os_platform='Windows11', risk_score='high', health_status='active',
        ip_addresses=['10.20.30.40', 'fe80::1c2d:3e4f:5a6b:7c8d', '10.20.30.41'], alert_ids=[A1, A2])]
    assert found['users'] == [
        dict(user_principal_name='jdoe@example.com', azure_ad_user_id='99998888-7777-6666-5555-444433332222',
             account_name='jdoe', domain_name='CORP', sid='S-1-5-21-1111111111-2222222222-3333333333-1105',
             display_name='Jdoe', alert_ids=[A1, A2]),
        dict(user_principal_name='asmith@example.com', azure_ad_user_id='11112222-3333-4444-5555-666677778888',
             account_name='asmith', domain_name='CORP', sid='S-1-5-21-1111111111-2222222222-3333333333-1230',
             display_name='Asmith', alert_ids=[A2, A3])]


def test_files_ips_urls_mailboxes_and_processes_carry_what_a_responder_acts_on():
    found = evidence(incident())
    assert found['files'] == [dict(sha256=SHA256, sha1='3b5f0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b', md5=None,
                                   name='invoice_viewer.exe', path='C:\\Users\\jdoe\\AppData\\Local\\Temp', size=482304,
                                   detection_status='blocked', mde_device_ids=[DEVICE_ID], alert_ids=[A1])]
    assert found['ips'] == [dict(address='203.0.113.9', country='NL', alert_ids=[A2])]
    assert found['urls'] == [dict(url='https://invoice-view.example.net/doc?id=8812', alert_ids=[A3])]
    assert [(m['primary_address'], m['user']['azure_ad_user_id'], m['alert_ids']) for m in found['mailboxes']] == [
        ('asmith@example.com', '11112222-3333-4444-5555-666677778888', [A3])]
    [process] = found['processes']
    assert (process['command_line'], process['process_id'], process['mde_device_id'], process['image_file']['sha256'],
            process['parent_image_file']['name'], process['user']['user_principal_name'], process['alert_ids']) == (
        '"invoice_viewer.exe" /silent', 7312, DEVICE_ID, SHA256, 'explorer.exe', 'jdoe@example.com', [A1])


def test_an_unknown_evidence_type_is_kept_whole_under_other():
    found = evidence(incident())
    assert found['other'] == [dict(REGISTRY, alert_ids=[A3])]
    future = common('teamsMessageEvidence', messageId='1716383300731')
    assert evidence(alert(A1, future))['other'] == [dict(future, alert_ids=[A1])]


def test_an_alert_a_list_of_alerts_and_a_list_of_incidents_read_alike():
    one = incident()
    mixed = [one['alerts'][0], dict(one, alerts=one['alerts'][1:])]
    assert evidence(one['alerts']) == evidence(one) == evidence([one]) == evidence(mixed)
    assert evidence(one['alerts'][2])['users'][0]['alert_ids'] == [A3]
    assert evidence([one, copy.deepcopy(one)])['devices'][0]['alert_ids'] == [A1, A2]


def test_identities_are_compared_ignoring_case_and_first_set_value_wins():
    upper = device(mdeDeviceId=DEVICE_ID.upper(), riskScore=None, osPlatform='Windows10')
    found = evidence([alert(A1, device(riskScore=None)), alert(A2, upper, device())])
    assert len(found['devices']) == 1
    assert (found['devices'][0]['risk_score'], found['devices'][0]['os_platform'], found['devices'][0]['alert_ids']) == (
        'high', 'Windows11', [A1, A2])


def test_evidence_without_an_identity_is_kept_apart_not_merged_or_dropped():
    blank = device(mdeDeviceId=None, azureAdDeviceId=None, deviceDnsName=None)
    assert [d['alert_ids'] for d in evidence([alert(A1, blank), alert(A2, copy.deepcopy(blank))])['devices']] == [[A1], [A2]]


def test_alerts_with_no_evidence_give_empty_lists_of_every_kind():
    found = evidence({'@odata.type': SEC + 'alert', 'id': A1, 'evidence': None})
    assert found == dict((kind, []) for kind in ('devices', 'users', 'files', 'ips', 'urls', 'mailboxes', 'processes', 'other'))


def test_the_odata_type_is_matched_with_or_without_its_hash():
    item = device()
    item['@odata.type'] = item['@odata.type'].lstrip('#')
    assert evidence(alert(A1, item))['devices'][0]['alert_ids'] == [A1]


@pytest.mark.parametrize('subject, message', [
    ('2972395', 'must be an incident (with alerts), an alert, or a list of them, not str'),
    (None, 'not NoneType None'),
    ({'@odata.type': SEC + 'incident', 'id': '2972395', 'status': 'active'},
     'is an incident without alerts (id 2972395): read it with expand_alerts: true'),
    ({'id': '2972395', 'incidentWebUrl': 'https://security.microsoft.com/incidents/2972395', 'alerts': None},
     'has alerts=None, not a list of alerts: read the incident with expand_alerts: true'),
    ({'changed': False, 'incidents': []}, 'a registered incident_info result: give it result.incidents'),
    ({'alerts': ['x']}, 'alert 0, is not an alert'),
    ([[alert(A1)]], 'item 0, must be an incident'),
    (alert(A1, 'device'), 'Alert %s evidence item 0 is ' % A1),
    (dict(alert(A1), evidence={'x': 1}), 'has evidence='),
])
def test_bad_input_fails_naming_what_was_given(subject, message):
    with pytest.raises(AnsibleFilterError, match='msgraph.security.evidence') as raised:
        evidence(subject)
    assert message in str(raised.value)


def test_the_input_is_not_changed():
    one = incident()
    before = copy.deepcopy(one)
    found = evidence(one)
    found['devices'][0]['ip_addresses'].append('x')
    found['other'][0]['roles'].append('x')
    assert one == before


def test_the_filter_is_registered_under_its_name():
    assert FilterModule().filters() == {'evidence': evidence}
