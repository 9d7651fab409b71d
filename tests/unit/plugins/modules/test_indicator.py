"""The indicator module's shell: what is refused before any request (the API: tests/integration/test_respond_users_indicators.py)."""
import pytest

from ansible_collections.msgraph.security.plugins.modules import indicator

from .module_runner import module_runner
from .test_incident import TOKEN_ONLY

BLOCK = dict(action='block', title='t', description='d')


@pytest.fixture
def run(monkeypatch):
    return module_runner(monkeypatch, indicator.main, defaults=TOKEN_ONLY)


@pytest.mark.parametrize('args, message', [
    (dict(value='203.0.113.7', type='ip_address'), 'state is present but all of the following are missing: action'),
    (dict(BLOCK, value='203.0.113.7', type='ipv4'), 'value of type must be one of'),
    (dict(BLOCK, value='203.0.113.0/24', type='ip_address'), "value '203.0.113.0/24' is not of type ip_address"),
    (dict(BLOCK, value='contoso.example', type='domain_name', expiration='yesterday'), "expiration='yesterday' is not a date"),
])
def test_bad_options_fail_before_any_request(run, args, message):
    done = run(**args)
    assert done.failed and message in done.result['msg'], done.result
