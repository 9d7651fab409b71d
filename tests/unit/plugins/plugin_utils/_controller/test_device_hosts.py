"""The devices inventory's pure logic: devices from incidents and alerts, host names, groups."""
import copy

from ansible_collections.msgraph.security.plugins.plugin_utils._controller import device_hosts

DEVICE = {'@odata.type': '#microsoft.graph.security.deviceEvidence', 'mdeDeviceId': '668304cd9fd7bf83acd991a82dad5fe7b8539ed2',
          'deviceDnsName': 'srv-sql03.contoso.local', 'osPlatform': 'WindowsServer2022', 'riskScore': 'medium',
          'healthStatus': 'active', 'azureAdDeviceId': '04822104-14fb-e411-f663-4762bbc8adcc', 'roles': [], 'tags': []}
USER = {'@odata.type': '#microsoft.graph.security.userEvidence', 'userAccount': {'accountName': 'MeganB'}}


def alert(alert_id, incident_id, severity, *evidence):
    return {'@odata.type': '#microsoft.graph.security.alert', 'id': alert_id, 'incidentId': incident_id,
            'severity': severity, 'evidence': [copy.deepcopy(e) for e in evidence]}


def incident(incident_id, severity, *alerts):
    return {'id': incident_id, 'severity': severity, 'alerts': list(alerts)}


def test_a_device_named_by_two_incidents_is_one_device_with_both_and_the_higher_severity():
    other = dict(DEVICE, mdeDeviceId='ab' * 20, deviceDnsName='wks-hr-114.contoso.local', osPlatform='Windows11')
    devices = device_hosts.devices_of_incidents([
        incident('152', 'medium', alert('a1', '152', 'high', DEVICE, USER)),
        incident('184', 'high', alert('a2', '184', 'low', DEVICE), alert('a3', '184', 'low', other)),
    ])
    assert [(d['dns_name'], d['incident_ids'], d['alert_ids'], d['highest_severity']) for d in devices] == [
        ('srv-sql03.contoso.local', ['152', '184'], ['a1', 'a2'], 'high'),  # the incidents' severities, not the alerts'
        ('wks-hr-114.contoso.local', ['184'], ['a3'], 'high'),
    ]


def test_from_alerts_the_alerts_own_severity_and_incident():
    devices = device_hosts.devices_of_alerts([alert('a1', '7', 'low', DEVICE), alert('a2', '9', 'medium', DEVICE)])
    assert [(d['incident_ids'], d['highest_severity']) for d in devices] == [(['7', '9'], 'medium')]
    assert device_hosts.devices_of_alerts([]) == [] and device_hosts.devices_of_incidents([]) == []


def test_host_names_follow_the_preferences_and_two_machines_never_become_one_host():
    devices = [{'dns_name': 'srv-sql03.contoso.local', 'mde_device_id': 'aa'},
               {'dns_name': 'SRV-SQL03.contoso.local', 'mde_device_id': 'bb'},  # a second machine of the same name
               {'dns_name': '{{ evil }}', 'mde_device_id': 'cc'},
               {'dns_name': None, 'mde_device_id': None, 'last_ip_address': None}]
    named, skipped = device_hosts.host_names(devices, ['dns_name', 'mde_device_id'], lambda name: '{' not in name)
    assert [name for name, dummy in named] == ['srv-sql03.contoso.local', 'bb', 'cc']
    assert skipped == [devices[3]]


def test_groups_of_a_device():
    device = {'highest_severity': 'High', 'incident_ids': ['152', '184'], 'os_platform': 'WindowsServer2022'}
    assert device_hosts.group_names(device, 'msgraph_') == [
        'msgraph_severity_high', 'msgraph_incident_152', 'msgraph_incident_184', 'msgraph_os_windowsserver2022']
    assert device_hosts.group_names({'incident_ids': [], 'os_platform': None}, 'x_') == []
