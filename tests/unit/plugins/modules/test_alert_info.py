"""The alert_info module's shell: what is refused before any request.

The reads are tested against the emulator in tests/unit/plugins/module_utils/_resources/test_alerts_emulator.py
and tests/integration/test_alerts.py.
"""
import pytest

from ansible_collections.msgraph.security.plugins.modules import alert_info

from .module_runner import module_runner
from .test_incident import TOKEN_ONLY


@pytest.fixture
def run(monkeypatch):
    return module_runner(monkeypatch, alert_info.main, defaults=TOKEN_ONLY)


@pytest.mark.parametrize('args, message', [
    (dict(alert_id='da1_-2', status=['new']), 'would be ignored with alert_id'),
    (dict(alert_ids=['a1'], incident_id='29'), 'would be ignored with alert_ids'),
    (dict(incident_id='29', filter="status eq 'new'"), 'incident_id reads the alerts of one incident'),
    (dict(status=['active']), 'status'),
    (dict(alert_id='../x'), 'Invalid alert id'),
    (dict(max_items=0), 'max_items=0 must be 1 or more'),
    (dict(alert_id='a', alert_ids=['b']), 'mutually exclusive'),
])
def test_bad_options_fail_before_any_request(run, args, message):
    done = run(**args)
    assert done.failed and message in done.result['msg']
    assert 'graph.example.test' not in done.result['msg']
