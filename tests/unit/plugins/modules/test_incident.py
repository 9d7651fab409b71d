"""The incident module's shell: its options, what is refused before any request, check mode handed on.

The planning is tested in tests/unit/plugins/module_utils/_resources/test_incident_writes.py, the writes against
the emulator in test_incident_writers_emulator.py and tests/integration/test_incident_writes.py.
"""
import pytest

from ansible_collections.msgraph.security.plugins.module_utils._resources import incident_writes
from ansible_collections.msgraph.security.plugins.modules import incident

from .module_runner import module_runner

# A token and a Graph host that does not exist: any request sent would fail as a transport error.
TOKEN_ONLY = dict(access_token='not-a-real-token', graph_url='https://graph.example.test')


@pytest.fixture
def run(monkeypatch):
    return module_runner(monkeypatch, incident.main, defaults=TOKEN_ONLY)


@pytest.mark.parametrize('args, message', [
    (dict(incident_id='29', status='closed'), "status='closed' is not valid; use one of: active, inProgress, resolved"),
    (dict(incident_id='29', classification='falsePositive', determination='malware'),
     'determination=malware does not fit classification=falsePositive'),
    (dict(incident_id='29'), 'Nothing to set'),
    (dict(incident_id='../29', status='active'), 'Invalid incident id'),
    (dict(status='active'), 'one of the following is required: incident_id, incident_ids'),
    (dict(incident_id='29', incident_ids=['30'], status='active'), 'mutually exclusive'),
])
def test_bad_options_fail_before_any_request(run, args, message):
    done = run(**args)
    assert done.failed and message in done.result['msg']
    assert 'graph.example.test' not in done.result['msg']  # nothing was sent
    assert 'not-a-real-token' not in str(done.result)


def test_check_mode_and_the_options_reach_the_writer(run, monkeypatch):
    seen = {}

    def apply(self, params):
        seen.update(check_mode=self.check_mode, params=params)
        return dict(changed=True, incidents=[], changed_ids=['29'], missing=[], diff={})
    monkeypatch.setattr(incident_writes.IncidentWriter, 'apply', apply)
    done = run(_ansible_check_mode=True, incident_id=29, status='Resolved', custom_tags=['a'])
    assert not done.failed and done.result['changed_ids'] == ['29']
    assert seen['check_mode'] is True
    assert seen['params']['status'] == 'Resolved' and seen['params']['purge_custom_tags'] is False
    assert seen['params']['fail_on_missing'] is True
