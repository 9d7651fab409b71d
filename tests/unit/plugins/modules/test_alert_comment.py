"""The alert_comment module's shell: what is refused before any request.

The commenting (and a lost answer) is tested against the emulator in tests/integration/test_alerts.py.
"""
import pytest

from ansible_collections.msgraph.security.plugins.modules import alert_comment

from .module_runner import module_runner
from .test_incident import TOKEN_ONLY


@pytest.fixture
def run(monkeypatch):
    return module_runner(monkeypatch, alert_comment.main, defaults=TOKEN_ONLY)


@pytest.mark.parametrize('args, message', [
    (dict(alert_id='a1', comment='   '), 'comment must be a non-empty string'),
    (dict(alert_id='a1'), 'missing required arguments: comment'),
    (dict(comment='x'), 'one of the following is required: alert_id, alert_ids'),
    (dict(alert_ids=[], comment='x'), 'alert_ids is empty'),
])
def test_bad_options_fail_before_any_request(run, args, message):
    done = run(**args)
    assert done.failed and message in done.result['msg']
    assert 'graph.example.test' not in done.result['msg']
