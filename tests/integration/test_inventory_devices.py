"""msgraph.security.devices with the real ansible-inventory and ansible-playbook, against the emulator.

What the inventory should hold is worked out here from the emulator's own records (the incidents a
$filter selects, their alerts' device evidence), not from the plugin: exactly those devices, each once,
in the right groups with the right variables.
"""
import json
import os

import pytest
import yaml

from tests.emulator.data import KNOWN

SEVERITY_RANK = {'informational': 1, 'low': 2, 'medium': 3, 'high': 4}


@pytest.fixture
def graph(emulator):
    emulator.reset()
    yield emulator
    emulator.reset()


def expected_devices(graph, odata_filter):
    """{mde id: {dns, incidents, severity, os}} of the incidents the filter selects, from the emulator's records."""
    devices = {}
    for incident_id in graph.incident_ids(odata_filter):
        incident = graph.incident(incident_id)
        for alert in incident['alerts']:
            for evidence in alert['evidence']:
                if evidence['@odata.type'].endswith('.deviceEvidence'):
                    device = devices.setdefault(evidence['mdeDeviceId'], {
                        'dns': evidence['deviceDnsName'], 'incidents': set(), 'severities': set(),
                        'os': evidence['osPlatform'].lower()})
                    device['incidents'].add(incident_id)
                    device['severities'].add(incident['severity'])
    return devices


def plain(value):
    """ansible-inventory's JSON with its unsafe markers read (ansible-core 2.19 marks all inventory data)."""
    if isinstance(value, dict):
        if list(value) == ['__ansible_unsafe']:
            return value['__ansible_unsafe']
        return dict((key, plain(item)) for key, item in value.items())
    if isinstance(value, list):
        return [plain(item) for item in value]
    return value


def listed(run):
    assert run.rc == 0, run
    return plain(json.loads(run.stdout))


def hosts_of(inventory, group):
    return set(inventory.get(group, {}).get('hosts', []))


def test_list_holds_exactly_the_devices_of_the_matching_incidents_each_once(graph, ansible_inventory):
    expected = expected_devices(graph, "status eq 'active' and (severity eq 'high' or severity eq 'medium')")
    assert any(len(d['severities']) == 2 for d in expected.values())  # the dataset has a device in both
    inventory = listed(ansible_inventory({'plugin': 'msgraph.security.devices', 'status': ['active'],
                                          'severity': ['High', 'medium']}))
    hostvars = inventory['_meta']['hostvars']
    assert sorted(hostvars) == sorted(d['dns'] for d in expected.values())
    for mde_id, device in expected.items():
        host = device['dns']
        variables = hostvars[host]['msgraph_device']
        assert variables['mde_device_id'] == mde_id and variables['dns_name'] == host
        assert sorted(variables['incident_ids']) == sorted(device['incidents'])
        highest = max(device['severities'], key=SEVERITY_RANK.get)
        assert variables['highest_severity'] == highest
        for incident_id in device['incidents']:
            assert host in hosts_of(inventory, 'msgraph_incident_%s' % incident_id)
        # In the group of its highest severity only.
        assert host in hosts_of(inventory, 'msgraph_severity_%s' % highest)
        assert host not in hosts_of(inventory, 'msgraph_severity_%s' % ({'high', 'medium'} - {highest}).pop())
        assert host in hosts_of(inventory, 'msgraph_os_%s' % device['os'])
    # No other incident group than those of the matching incidents.
    incident_groups = set(name for name in inventory if name.startswith('msgraph_incident_'))
    assert incident_groups == set('msgraph_incident_%s' % i for d in expected.values() for i in d['incidents'])


def test_a_play_on_an_incident_group_runs_on_exactly_its_hosts(graph, ansible_inventory):
    incident_id = KNOWN['evidence']
    incident = graph.incident(incident_id)
    devices = dict((e['mdeDeviceId'], e['deviceDnsName']) for a in incident['alerts'] for e in a['evidence']
                   if e['@odata.type'].endswith('.deviceEvidence'))
    run = ansible_inventory({'plugin': 'msgraph.security.devices', 'incident_ids': [incident_id],
                             'compose': {'ansible_connection': "'local'"}}, args=('-e', 'target=msgraph_incident_%s'
                                                                                  % incident_id),
                            playbook='inventory_hosts.yml')
    assert run.rc == 0, run
    ran = sorted(line.split('"msg": "ON ', 1)[1].split('"', 1)[0] for line in run.stdout.splitlines()
                 if '"msg": "ON ' in line)
    assert ran == sorted('%s ID %s DNS %s' % (dns, mde_id, dns) for mde_id, dns in devices.items()), run


def test_the_cache_serves_a_second_list_without_a_request_and_a_filter_change_reads_afresh(
        graph, ansible_inventory, tmp_path):
    config = {'plugin': 'msgraph.security.devices', 'severity': ['high'], 'cache': True,
              'cache_plugin': 'ansible.builtin.jsonfile', 'cache_connection': str(tmp_path / 'cache'),
              'cache_timeout': 600}
    first = listed(ansible_inventory(config))
    graph.clear_requests()
    assert listed(ansible_inventory(config)) == first
    assert graph.requests() == []
    cached = ''.join(path.read_text() for path in (tmp_path / 'cache').iterdir())
    assert graph.env('reader-secret')['AZURE_CLIENT_SECRET'] not in cached and 'access_token' not in cached
    assert listed(ansible_inventory(dict(config, severity=['low']))) != first  # another filter: read afresh
    assert graph.requests()
    graph.clear_requests()
    listed(ansible_inventory(dict(config, cache=False)))
    assert graph.requests()


def test_machines_source_lists_defenders_machines_narrowed_by_filter(graph, ansible_inventory):
    inventory = listed(ansible_inventory({'plugin': 'msgraph.security.devices', 'source': 'machines',
                                          'filter': "riskScore eq 'High'", 'hostnames': ['mde_device_id']}))
    hostvars = inventory['_meta']['hostvars']
    assert hostvars and all(v['msgraph_device']['risk_score'] == 'High' for v in hostvars.values())
    assert all(host == v['msgraph_device']['mde_device_id'] for host, v in hostvars.items())
    machines = [r for r in graph.requests() if r['path'] == '/api/machines']
    assert len(machines) == 1 and '%24filter=riskScore' in machines[0]['query'].replace('$', '%24')


def test_alerts_source_takes_the_devices_of_the_matching_alerts(graph, ansible_inventory):
    alert = graph.create_alert('300', {'severity': 'high', 'title': 'the inventory reads me'})
    device = next(e for e in alert['evidence'] if e['@odata.type'].endswith('.deviceEvidence'))
    inventory = listed(ansible_inventory({'plugin': 'msgraph.security.devices', 'source': 'alerts',
                                          'severity': ['high'], 'max_incidents': 1}, app='alert-reader'))
    assert list(inventory['_meta']['hostvars']) == [device['deviceDnsName']]
    assert device['deviceDnsName'] in hosts_of(inventory, 'msgraph_incident_300')


def test_hostile_device_text_is_never_a_host_name_nor_run_as_a_template(graph, ansible_inventory, tmp_path):
    mark = tmp_path / 'ran'
    hostile = "{{ lookup('pipe', 'touch %s') }}.contoso.local" % mark
    alert = graph.create_alert('300', {'evidence': [{
        '@odata.type': '#microsoft.graph.security.deviceEvidence', 'mdeDeviceId': 'ab' * 20,
        'deviceDnsName': hostile, 'osPlatform': 'Windows11', 'roles': [], 'tags': [], 'verdict': 'malicious',
        'remediationStatus': 'none'}]})
    run = ansible_inventory({'plugin': 'msgraph.security.devices', 'incident_ids': ['300'],
                             'compose': {'ansible_connection': "'local'"}},
                            args=('-e', 'target=%s' % ('ab' * 20)), playbook='inventory_hosts.yml')
    assert run.rc == 0, run
    assert not mark.exists(), run
    assert 'ON %s ID %s DNS %s' % ('ab' * 20, 'ab' * 20, hostile) in run.stdout, run  # shown as text, never run
    assert alert['incidentId'] == '300'


@pytest.mark.parametrize('config, app, words', [
    ({'severty': ['high']}, 'reader-secret', 'unknown option severty'),
    ({'source': 'machines', 'severity': ['high']}, 'reader-secret', 'source=machines does not take severity'),
    ({'status': ['closed']}, 'reader-secret', 'status'),
    ({'incident_ids': ['29'], 'severity': ['high']}, 'reader-secret', 'incident_ids'),
    ({'hostnames': ['fqdn']}, 'reader-secret', 'hostnames: unknown fqdn'),
    ({'incident_ids': ['../300']}, 'reader-secret', "Invalid incident id '../300'"),
], ids=['unknown-option', 'filter-the-source-does-not-take', 'bad-status', 'ids-and-filters', 'bad-hostname',
        'bad-id'])
def test_bad_options_are_refused_by_name_before_anything_is_sent(graph, ansible_inventory, config, app, words):
    graph.clear_requests()
    run = ansible_inventory(dict({'plugin': 'msgraph.security.devices'}, **config), app=app)
    assert run.rc != 0 and words in run.output, run
    assert 'Traceback' not in run.output
    assert [r for r in graph.requests() if r['path'].startswith(('/v1.0/', '/api/'))] == []


def test_an_incident_that_does_not_exist_fails_the_inventory_naming_it(graph, ansible_inventory):
    run = ansible_inventory({'plugin': 'msgraph.security.devices', 'incident_ids': ['300', '999999']})
    assert run.rc != 0 and 'incident_ids: incident not found: 999999 (' in run.output, run
    assert 'remove it from incident_ids' in run.output and 'request-id' in run.output
    assert 'Traceback' not in run.output


def test_a_missing_permission_names_it_and_wrong_credentials_show_no_secret(graph, ansible_inventory):
    run = ansible_inventory({'plugin': 'msgraph.security.devices', 'source': 'machines'}, app='alert-reader')
    assert run.rc != 0 and 'Machine.Read.All' in run.output and '403' in run.output, run
    secret = 'not-the-secret-' + 'q' * 16
    run = ansible_inventory({'plugin': 'msgraph.security.devices'}, args=('--list', '-vvvv'),
                            env={'AZURE_CLIENT_SECRET': secret})
    assert run.rc != 0 and 'invalid_client' in run.output, run
    assert secret not in run.output and 'Traceback' not in run.output


def test_every_example_runs_as_written(graph, ansible_inventory, tmp_path):
    source = open(os.path.join(os.path.dirname(__file__), '..', '..', 'plugins', 'inventory', 'devices.py')).read()
    examples = list(yaml.safe_load_all(source.split("EXAMPLES = r'''", 1)[1].split("'''", 1)[0]))
    assert len(examples) == 3
    for number, config in enumerate(examples):
        if 'cache_connection' in config:
            config['cache_connection'] = str(tmp_path / 'cache')  # not /var/tmp on the test machine
        run = ansible_inventory(config, name='example%d' % number)
        assert run.rc == 0 and 'WARNING' not in run.output, (config, run)


def test_no_secret_and_no_token_at_vvvv(graph, ansible_inventory):
    run = ansible_inventory({'plugin': 'msgraph.security.devices', 'severity': ['high']}, args=('--graph', '-vvvv'))
    assert run.rc == 0 and '@msgraph_severity_high' in run.output, run
    assert graph.env('reader-secret')['AZURE_CLIENT_SECRET'] not in run.output
    assert 'eyJ' not in run.output  # no JWT (an access token) either
    assert 'client_secret from env' in run.output  # -vvv says where the secret came from, not what it is
