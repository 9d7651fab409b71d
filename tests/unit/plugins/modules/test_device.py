"""The device module's shell: what is refused before any request.

The actions are tested against the emulator in tests/integration/test_respond_devices.py."""
import re

import pytest

from ansible_collections.msgraph.security.plugins.modules import device

from .module_runner import module_runner
from .test_incident import TOKEN_ONLY


@pytest.fixture
def run(monkeypatch):
    return module_runner(monkeypatch, device.main, defaults=TOKEN_ONLY)


# message: a regular expression the failure's msg must contain.
@pytest.mark.parametrize('args, message', [
    (dict(device_ids=['a' * 40], comment='x'), 'one of the following is required: isolation, app_execution'),
    (dict(isolation='full', comment='x'), 'one of the following is required: device_ids, device_names, devices'),
    (dict(device_ids=['a' * 40], isolation='isolated', comment='x'), 'value of isolation must be one of'),
    (dict(device_ids=['a' * 40], isolation='full'), 'missing required arguments: comment'),
    (dict(device_ids=['a' * 40], isolation='full', comment=' '), 'comment is required and may not be blank'),
    (dict(device_ids=['xyz'], isolation='full', comment='x'), "device_ids: 'xyz' is not a Defender machine id"),
    (dict(device_names=['bad name'], isolation='full', comment='x'), "device_names: 'bad name' is not a DNS name"),
    (dict(devices=['wks-1'], isolation='full', comment='x'), r"value for option 'devices' is of type (<class ')?str"),  # 2.16 names the type as <class 'str'>
])
def test_bad_options_fail_before_any_request(run, args, message):
    done = run(**args)
    assert done.failed and re.search(message, done.result['msg']), done.result
