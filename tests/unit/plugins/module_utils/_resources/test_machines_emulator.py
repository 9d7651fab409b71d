"""Defender's machine list against the emulator: paged by $top/$skip (no count, no nextLink), 404 as empty."""
import pytest

from ansible_collections.msgraph.security.plugins.module_utils._core.errors import ForbiddenError, OptionError
from ansible_collections.msgraph.security.plugins.module_utils._resources.machines import (
    MACHINES,
    device_of_machine,
    list_machines,
)

from ..emulator_client import connect, outer


def defender(emulator, app='reader-secret'):
    return connect(emulator, app).api('defender')


def test_a_fleet_past_one_page_is_read_whole_in_the_pages_it_needs(clean_emulator):
    total = clean_emulator.set_fleet(MACHINES.page_size + 40)
    machines = list_machines(defender(clean_emulator))
    assert len(machines) == total and len(set(m['id'] for m in machines)) == total
    pages = outer(clean_emulator, '/api/machines')
    assert [r['query'] for r in pages] == ['%24top=10000', '%24top=10000&%24skip=10000']


def test_the_filter_is_sent_as_given_and_narrows(clean_emulator):
    machines = list_machines(defender(clean_emulator), "osPlatform eq 'WindowsServer2022'")
    assert machines and all(m['osPlatform'] == 'WindowsServer2022' for m in machines)
    with pytest.raises(OptionError, match='filter'):
        list_machines(defender(clean_emulator), "(osPlatform eq 'Linux'")


def test_a_tenant_without_machines_is_an_empty_list(clean_emulator):
    clean_emulator.set_faults({'rules': [{'path_regex': '^/api/machines$', 'status': 404, 'count': 1}]})
    assert list_machines(defender(clean_emulator)) == []


def test_an_app_without_the_defender_permission_is_told_which_one(clean_emulator):
    with pytest.raises(ForbiddenError, match='Machine.Read.All'):
        list_machines(defender(clean_emulator, 'alert-reader'))


def test_a_machine_in_the_shape_of_the_evidence_devices():
    machine = {'id': '1e5bc9d7e413ddd7902c2932e418702b84d0cc07', 'computerDnsName': 'fin-lt-042.corp.example.com',
               'osPlatform': 'Windows11', 'healthStatus': 'Active', 'riskScore': 'High', 'exposureLevel': 'Medium',
               'aadDeviceId': '80fe8ff8-2624-418e-9591-41f0491218f9', 'lastIpAddress': '10.20.1.7',
               'ipAddresses': [{'ipAddress': '10.20.1.7', 'macAddress': '00155D0A1B2C', 'operationalStatus': 'Up'},
                               {'ipAddress': 'fe80::1', 'operationalStatus': 'Up'}],
               'machineTags': ['finance'], 'lastSeen': '2026-11-30T08:12:44.1234567Z'}
    device = device_of_machine(machine)
    assert device['mde_device_id'] == machine['id'] and device['dns_name'] == 'fin-lt-042.corp.example.com'
    assert device['ip_addresses'] == ['10.20.1.7', 'fe80::1'] and device['last_ip_address'] == '10.20.1.7'
    assert device['risk_score'] == 'High' and device['machine_tags'] == ['finance']
