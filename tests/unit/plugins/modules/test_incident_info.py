"""incident_info's own logic (read): modes, fail_on_missing, the result's shape, with a stand-in reader.

The module against the emulator, through AnsibleModule: test_incident_info_emulator.py.
"""
import pytest

from ansible_collections.msgraph.security.plugins.module_utils._core.errors import NotFoundError, OptionError
from ansible_collections.msgraph.security.plugins.module_utils._resources.incidents import IncidentReader
from ansible_collections.msgraph.security.plugins.modules.incident_info import read

STORED = {'29': {'id': '29', 'severity': 'high'}, '30': {'id': '30', 'severity': 'low'}}


class Reader(IncidentReader):
    """The real reader's split of found and missing, over a stand-in for Graph (read_ids)."""

    def __init__(self):
        super().__init__(client=None)
        self.asked = []

    def read_ids(self, ids):
        self.asked.append(ids)
        return [(i, STORED.get(i) or NotFoundError('GET /v1.0/security/incidents/%s failed: HTTP 404' % i,
                                                   status=404, request_id='r-' + i)) for i in ids]

    def list(self, options):
        self.asked.append(options)
        return list(STORED.values()), True


def params(**given):
    return dict(dict(incident_id=None, incident_ids=None, fail_on_missing=True), **given)


def test_one_id():
    reader = Reader()
    assert read(params(incident_id=29), reader) == dict(
        changed=False, found=True, incident=STORED['29'], incidents=[STORED['29']], missing=[])
    assert reader.asked == [['29']]


def test_many_ids_in_the_order_given():
    assert read(params(incident_ids=['30', 29]), Reader())['incidents'] == [STORED['30'], STORED['29']]


def test_list_mode_passes_the_options_and_says_truncated():
    reader = Reader()
    result = read(params(status=['active']), reader)
    assert result == dict(changed=False, incidents=list(STORED.values()), truncated=True)
    assert reader.asked[0]['status'] == ['active']


def test_missing_fails_by_default_with_the_hint_and_the_status():
    with pytest.raises(NotFoundError) as error:
        read(params(incident_ids=['29', '404', 'x1']), Reader())
    assert str(error.value).startswith('2 of 3 incidents were not found: 404 (GET ')
    assert "Graph incident ids are numeric, such as 2972395: 'x1' is not." in str(error.value)
    assert str(error.value).endswith('set fail_on_missing: false.')
    assert error.value.details == dict(status=404, request_id='r-404')


def test_missing_reported_with_fail_on_missing_false():
    one = read(params(incident_id='404', fail_on_missing=False), Reader())
    assert (one['found'], one['incident'], one['incidents'], one['missing']) == (False, None, [], ['404'])
    many = read(params(incident_ids=['404', '30'], fail_on_missing=False), Reader())
    assert (many['incidents'], many['missing']) == ([STORED['30']], ['404'])
    assert 'found' not in many


def test_an_invalid_id_is_refused_before_reading():
    reader = Reader()
    with pytest.raises(OptionError, match="Invalid incident id '../x'"):
        read(params(incident_ids=['29', '../x']), reader)
    assert reader.asked == []
