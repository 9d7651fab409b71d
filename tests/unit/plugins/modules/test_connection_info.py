"""connection_info's shell: its options, check mode, and how a check's result or failure leaves the module.

What the check itself finds (token claims, reads, $batch) is tested in
tests/unit/plugins/module_utils/test_connection_check.py and against the emulator in
tests/integration/test_connection_info.py.
"""
import pytest

from ansible.module_utils import basic

from ansible_collections.msgraph.security.plugins.module_utils.errors import ForbiddenError
from ansible_collections.msgraph.security.plugins.modules import connection_info

from .test_incident_info_emulator import Exited, module_args

TOKEN_ONLY = dict(access_token='not-a-real-token', graph_url='https://graph.example.test')


@pytest.fixture
def run(monkeypatch):
    def exit_json(self, **result):
        raise Exited(result, failed=False)

    def fail_json(self, msg, **result):
        result['msg'] = msg
        raise Exited(result, failed=True)

    monkeypatch.setattr(basic.AnsibleModule, 'exit_json', exit_json)
    monkeypatch.setattr(basic.AnsibleModule, 'fail_json', fail_json)
    for name in ('AZURE_TENANT_ID', 'AZURE_CLIENT_ID', 'AZURE_CLIENT_SECRET', 'AZURE_CLIENT_CERTIFICATE_PATH'):
        monkeypatch.delenv(name, raising=False)

    def run(check, **args):
        monkeypatch.setattr(connection_info, 'check_connection', check)
        with module_args(args), pytest.raises(Exited) as exited:
            connection_info.main()
        return exited.value
    return run


def test_the_check_result_is_the_module_result(run):
    seen = []

    def check(client):
        seen.append(client)
        return dict(changed=False, can_read_incidents=True)
    done = run(check, _ansible_check_mode=True, **TOKEN_ONLY)
    assert not done.failed
    assert done.result['can_read_incidents'] is True and done.result['changed'] is False
    assert type(seen[0]).__name__ == 'GraphClient'


def test_a_graph_failure_fails_the_module_with_its_details(run):
    def check(client):
        raise ForbiddenError('GET /v1.0/security/incidents failed: HTTP 403', status=403, request_id='r-1')
    done = run(check, **TOKEN_ONLY)
    assert done.failed
    assert done.result['msg'] == 'GET /v1.0/security/incidents failed: HTTP 403'
    assert done.result['status'] == 403 and done.result['request_id'] == 'r-1'
    assert 'not-a-real-token' not in str(done.result)


def test_options_of_other_modules_are_refused(run):
    done = run(lambda client: {}, incident_id='29', **TOKEN_ONLY)
    assert done.failed
    assert 'Unsupported parameters' in done.result['msg'] and 'incident_id' in done.result['msg']
