"""The device_action module's shell: what is refused before any request (actions: tests/integration/test_respond_devices.py)."""
import pytest

from ansible_collections.msgraph.security.plugins.modules import device_action

from .module_runner import module_runner
from .test_incident import TOKEN_ONLY


@pytest.fixture
def run(monkeypatch):
    return module_runner(monkeypatch, device_action.main, defaults=TOKEN_ONLY)


@pytest.mark.parametrize('args, message', [
    (dict(device_ids=['a' * 40], action='run_antivirus_scan', comment='x'), 'action is run_antivirus_scan but all of the following are missing: scan_type'),
    (dict(device_ids=['a' * 40], action='collect_investigation_package', scan_type='quick', comment='x'),
     'scan_type goes with action=run_antivirus_scan only'),
    (dict(device_ids=['a' * 40], action='offboard', comment='x'), 'value of action must be one of'),
])
def test_bad_options_fail_before_any_request(run, args, message):
    done = run(**args)
    assert done.failed and message in done.result['msg'], done.result
