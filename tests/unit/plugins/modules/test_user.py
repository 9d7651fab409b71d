"""The user module's shell: what is refused before any request (the parts: tests/integration/test_respond_users_indicators.py)."""
import pytest

from ansible_collections.msgraph.security.plugins.modules import user

from .module_runner import module_runner
from .test_incident import TOKEN_ONLY


@pytest.fixture
def run(monkeypatch):
    return module_runner(monkeypatch, user.main, defaults=TOKEN_ONLY)


@pytest.mark.parametrize('args, message', [
    (dict(user_ids=['meganb@contoso.com']), 'Set account_enabled, revoke_sessions or risk'),
    (dict(revoke_sessions=True), 'one of the following is required: user_ids, users'),
    (dict(user_ids=["x' or 1 eq 1"], revoke_sessions=True), 'is neither a user object id'),
    (dict(users=[{'display_name': 'Megan'}], revoke_sessions=True), 'users[0] is not a user of msgraph.security.evidence'),
    (dict(user_ids=['meganb@contoso.com'], risk='high'), 'value of risk must be one of'),
])
def test_bad_options_fail_before_any_request(run, args, message):
    done = run(**args)
    assert done.failed and message in done.result['msg'], done.result
