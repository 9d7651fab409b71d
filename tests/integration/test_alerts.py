"""Real ansible-playbook runs of the alert plugins (alert_info, alert, alert_comment, the alert lookup) against the emulator."""
import re

import pytest

READER, WRITER = 'alert-reader', 'alert-writer'
SEED = '2972395'


@pytest.fixture
def emulator_writes(emulator):
    """The emulator with its dataset, faults and log as at start, and again after the test wrote."""
    emulator.reset()
    yield emulator
    emulator.reset()


def all_alerts(emulator):
    """Every stored alert, newest first (Graph's order for alerts_v2), through the incidents that hold them."""
    alerts = [a for incident_id in emulator.incident_ids() for a in emulator.incident(incident_id)['alerts']]
    return sorted(alerts, key=lambda a: (a['createdDateTime'], a['id']), reverse=True)


def alert_writes(emulator):
    """PATCH and comment POST requests on alerts that reached Graph, outer or inside $batch."""
    return [r for r in emulator.requests() if r['method'] in ('PATCH', 'POST') and '/security/alerts_v2/' in r['path']]


def test_alerts_read_by_id_by_ids_as_a_list_and_per_incident(ansible_playbook, emulator):
    alerts = all_alerts(emulator)
    many = [a['id'] for a in alerts[3:28]]  # 25: two $batch round trips
    expected = [a['id'] for a in alerts if a['status'] == 'new' and a['severity'] == 'high'
                and a['serviceSource'] == 'microsoftDefenderForEndpoint']
    incident_alerts = [a['id'] for a in emulator.incident(SEED)['alerts']]
    assert expected and len(incident_alerts) > 1
    run = ansible_playbook('alert_read.yml', dict(one=alerts[0]['id'], many=many, expected_list=expected,
                                                  incident_id=SEED, incident_alerts=incident_alerts), app=READER)
    open("/tmp/alerts/out.txt", "w").write(run.stdout)
    assert run.rc == 0, run
