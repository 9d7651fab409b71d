"""The incident_comment module's shell: its options, what is refused before any request, check mode handed on.

The commenting is tested against the emulator in tests/unit/plugins/module_utils/_resources/test_incident_writers_emulator.py
and tests/integration/test_incident_writes.py.
"""
import pytest

from ansible_collections.msgraph.security.plugins.module_utils._resources import incident_comments
from ansible_collections.msgraph.security.plugins.modules import incident_comment

from .module_runner import module_runner
from .test_incident import TOKEN_ONLY


@pytest.fixture
def run(monkeypatch):
    return module_runner(monkeypatch, incident_comment.main, defaults=TOKEN_ONLY)


@pytest.mark.parametrize('args, message', [
    (dict(incident_id='29', comment='   '), 'comment must be a non-empty string'),
    (dict(incident_id='29'), 'missing required arguments: comment'),
    (dict(comment='x'), 'one of the following is required: incident_id, incident_ids'),
    (dict(incident_ids=[], comment='x'), 'incident_ids is empty'),
])
def test_bad_options_fail_before_any_request(run, args, message):
    done = run(**args)
    assert done.failed and message in done.result['msg']
    assert 'graph.example.test' not in done.result['msg']


def test_check_mode_and_unique_reach_the_commenter(run, monkeypatch):
    seen = {}

    def apply(self, params):
        seen.update(check_mode=self.check_mode, params=params)
        return dict(changed=True, comments=[], changed_ids=['29'], missing=[])
    monkeypatch.setattr(incident_comments.IncidentCommenter, 'apply', apply)
    done = run(_ansible_check_mode=True, incident_id=29, comment='Seen.')
    assert not done.failed and done.result['changed_ids'] == ['29']
    assert seen['check_mode'] is True and seen['params']['unique'] is True
