"""connection_info's shell: its options, check mode, and how a check's result or failure leaves the module.

What the check itself finds (token claims, reads, $batch) is tested in
tests/unit/plugins/module_utils/_core/test_connection_check.py and against the emulator in
tests/integration/test_connection_info.py.
"""
import pytest

from ansible_collections.msgraph.security.plugins.module_utils._core.errors import ForbiddenError
from ansible_collections.msgraph.security.plugins.modules import connection_info

from .module_runner import module_runner

TOKEN_ONLY = dict(access_token='not-a-real-token', graph_url='https://graph.example.test')


@pytest.fixture
def run(monkeypatch):
    runner = module_runner(monkeypatch, connection_info.main)

    def run(check, **args):
        monkeypatch.setattr(connection_info, 'check_connection', check)
        return runner(**args)
    return run


def test_the_check_result_is_the_module_result(run):
    seen = []

    def check(client, capabilities):
        seen.append(client)
        assert [row.name for row in capabilities] == ['incidents', 'alerts', 'hunting']
        return dict(changed=False, can_read_incidents=True)
    done = run(check, _ansible_check_mode=True, **TOKEN_ONLY)
    assert not done.failed
    assert done.result['can_read_incidents'] is True and done.result['changed'] is False
    assert type(seen[0]).__name__ == 'GraphClient'


def test_a_graph_failure_fails_the_module_with_its_details(run):
    def check(client, capabilities):
        raise ForbiddenError('GET /v1.0/security/incidents failed: HTTP 403', status=403, request_id='r-1')
    done = run(check, **TOKEN_ONLY)
    assert done.failed
    assert done.result['msg'] == 'GET /v1.0/security/incidents failed: HTTP 403'
    assert done.result['status'] == 403 and done.result['request_id'] == 'r-1'
    assert 'not-a-real-token' not in str(done.result)


def test_options_of_other_modules_are_refused(run):
    done = run(lambda client, capabilities: {}, incident_id='29', **TOKEN_ONLY)
    assert done.failed
    assert 'Unsupported parameters' in done.result['msg'] and 'incident_id' in done.result['msg']
