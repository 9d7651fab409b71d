"""The alert module's shell: what is refused before any request, check mode handed on.

The writes are tested against the emulator in tests/integration/test_alerts.py.
"""
import pytest

from ansible_collections.msgraph.security.plugins.module_utils._resources import alert_writes
from ansible_collections.msgraph.security.plugins.modules import alert

from .module_runner import module_runner
from .test_incident import TOKEN_ONLY


@pytest.fixture
def run(monkeypatch):
    return module_runner(monkeypatch, alert.main, defaults=TOKEN_ONLY)


@pytest.mark.parametrize('args, message', [
    (dict(alert_id='a1'), 'Nothing to set'),
    (dict(alert_id='a1', status='active'), 'status'),
    (dict(alert_id='a1', classification='falsePositive', determination='malware'), 'does not fit classification=falsePositive'),
    (dict(alert_id='a1', assigned_to='   '), 'only blanks'),
    (dict(status='new'), 'one of the following is required: alert_id, alert_ids'),
])
def test_bad_options_fail_before_any_request(run, args, message):
    done = run(**args)
    assert done.failed and message in done.result['msg']
    assert 'graph.example.test' not in done.result['msg']


def test_check_mode_reaches_the_writer(run, monkeypatch):
    seen = {}

    def apply(self, params, only_from=None):
        seen.update(check_mode=self.check_mode, resource=self.resource.path)
        return dict(changed=True, alerts=[], changed_ids=['a1'], missing=[])
    monkeypatch.setattr(alert_writes.AlertWriter, 'apply', apply)
    done = run(_ansible_check_mode=True, alert_id='a1', status='resolved')
    assert not done.failed and seen == dict(check_mode=True, resource='/security/alerts_v2')
