"""The evidence filter in a real ansible-playbook run, on an incident read with its alerts from the emulator."""
import json

SEED = '2972395'
DEVICE = '#microsoft.graph.security.deviceEvidence'


def named_by(alerts, odata_type, value_of):
    """{value: [ids of the alerts naming it]} from the emulator's own alerts (computed without the collection)."""
    found = {}
    for alert in alerts:
        for item in alert['evidence']:
            if item['@odata.type'] == odata_type and alert['id'] not in found.setdefault(value_of(item), []):
                found[value_of(item)].append(alert['id'])
    return found


def test_the_seed_incident_gives_each_device_once_with_every_alert_naming_it(ansible_playbook, emulator, tmp_path):
    alerts = emulator.incident(SEED)['alerts']
    out = tmp_path / 'involved.json'
    run = ansible_playbook('evidence.yml', dict(incident_id=SEED, out_path=str(out)))
    assert run.rc == 0, run
    involved = json.loads(out.read_text())
    devices = named_by(alerts, DEVICE, lambda item: item['mdeDeviceId'])
    assert len(alerts) == 3 and [len(ids) for ids in devices.values()] == [3]  # one device, in all three alerts
    assert [(d['mde_device_id'], d['alert_ids']) for d in involved['devices']] == list(devices.items())
    device = next(item for item in alerts[0]['evidence'] if item['@odata.type'] == DEVICE)
    assert (involved['devices'][0]['dns_name'], involved['devices'][0]['os_platform']) == (device['deviceDnsName'], device['osPlatform'])
    processes = [(item['processId'], item['processCommandLine'], [alert['id']]) for alert in alerts for item in alert['evidence']
                 if item['@odata.type'] == '#microsoft.graph.security.processEvidence']
    assert processes and [(p['process_id'], p['command_line'], p['alert_ids']) for p in involved['processes']] == processes
    urls = named_by(alerts, '#microsoft.graph.security.urlEvidence', lambda item: item['url'])
    assert dict((u['url'], u['alert_ids']) for u in involved['urls']) == urls
    assert 'ISOLATE %s named by 3 alerts' % involved['devices'][0]['mde_device_id'] in run.stdout
    assert involved['users'] == involved['files'] == involved['other'] == []


def test_one_device_twice_and_two_users_each_with_their_alerts_and_an_unknown_type_kept_unrendered(
        ansible_playbook, emulator, tmp_path):
    incident = emulator.known['evidence']
    alerts = emulator.incident(incident)['alerts']
    first, second, third = (alert['id'] for alert in alerts)
    out = tmp_path / 'involved.json'
    run = ansible_playbook('evidence.yml', dict(incident_id=incident, out_path=str(out)))
    assert run.rc == 0, run
    involved = json.loads(out.read_text())
    devices = named_by(alerts, DEVICE, lambda item: item['mdeDeviceId'])
    assert [(d['mde_device_id'], d['alert_ids']) for d in involved['devices']] == list(devices.items())
    assert list(devices.values()) == [[first, second]]
    users = named_by(alerts, '#microsoft.graph.security.userEvidence', lambda item: item['userAccount']['azureAdUserId'])
    assert [(u['azure_ad_user_id'], u['alert_ids']) for u in involved['users']] == list(users.items())
    assert [(u['user_principal_name'], u['alert_ids']) for u in involved['users']] == [
        ('meganb@contoso.com', [first, third]), ('alexw@contoso.com', [second])]
    [registry] = [item for item in alerts[1]['evidence'] if item['@odata.type'].endswith('registryValueEvidence')]
    assert involved['other'] == [dict(registry, alert_ids=[second])]
    # The planted text reaches the play as it was sent: shown, never evaluated.
    assert "{{ lookup('pipe', 'id') }}" in registry['registryValue']
    assert registry['registryValue'].replace('"', '\\"') in run.stdout and 'uid=' not in run.stdout
    assert 'ISOLATE %s named by 2 alerts' % involved['devices'][0]['mde_device_id'] in run.stdout
