"""The device_info module's shell: what is refused before any request (reads: tests/integration/test_respond_devices.py)."""
import pytest

from ansible_collections.msgraph.security.plugins.modules import device_info

from .module_runner import module_runner
from .test_incident import TOKEN_ONLY


@pytest.fixture
def run(monkeypatch):
    return module_runner(monkeypatch, device_info.main, defaults=TOKEN_ONLY)


@pytest.mark.parametrize('args, message', [
    (dict(), 'one of the following is required: device_ids, device_names, devices, filter'),
    (dict(filter="riskScore eq 'High'", device_ids=['a' * 40]), 'mutually exclusive'),
    (dict(filter="riskScore eq 'High"), 'string literal that is not closed'),
])
def test_bad_options_fail_before_any_request(run, args, message):
    done = run(**args)
    assert done.failed and message in done.result['msg'], done.result
