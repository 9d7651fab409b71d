"""Id checks and $filter building: everything decided before a request leaves the machine."""
import pytest
from hypothesis import given, strategies as st

from ansible_collections.msgraph.security.plugins.module_utils.errors import MsGraphError
from ansible_collections.msgraph.security.plugins.module_utils.incidents import (
    build_filter, incident_path, normalize_id, odata_datetime, odata_string)


@pytest.mark.parametrize('value, expected', [
    ('2972395', '2972395'),
    (29, '29'),             # YAML int
    (29.0, '29'),           # YAML float that is a whole number
    ('abc-12_3.4:5', 'abc-12_3.4:5'),
])
def test_valid_ids_are_strings(value, expected):
    assert normalize_id(value) == expected


@pytest.mark.parametrize('value', [
    '', ' ', ' 29', '29 ', '../users', '29/alerts', '%2F', '?$select=x', '29#x', '29\n', '29\x00',
    'a' * 129, 'ünïcödé', '.', '..', 29.5, -1, True, None, ['29'], {'id': 29},
])
def test_hostile_or_odd_ids_are_rejected_with_a_reason(value):
    with pytest.raises(MsGraphError) as error:
        normalize_id(value)
    assert 'incident id' in str(error.value)


def test_path_encodes_the_id_as_one_segment():
    assert incident_path('2972395') == '/security/incidents/2972395'
    assert incident_path('29', expand_alerts=True) == '/security/incidents/29?$expand=alerts'


@given(st.text())
def test_any_text_is_rejected_or_stays_inside_one_path_segment(text):
    try:
        incident_id = normalize_id(text)
    except MsGraphError:
        return
    path = incident_path(incident_id)
    segment = path[len('/security/incidents/'):]
    assert '/' not in segment and '?' not in segment and '#' not in segment and '%' not in segment
    assert segment not in ('.', '..')


@given(st.text())
def test_string_literals_round_trip(text):
    literal = odata_string(text)
    assert literal.startswith("'") and literal.endswith("'")
    inner = literal[1:-1]
    assert "'" not in inner.replace("''", '')  # every quote inside is doubled
    assert inner.replace("''", "'") == text


def test_filter_from_all_helpers():
    query = build_filter({
        'status': ['active', 'inProgress'], 'severity': ['high'], 'assigned_to': "o'brien@contoso.com",
        'created_after': '2026-01-31', 'updated_after': '2026-02-01T10:00:00+02:00',
        'filter': "classification eq 'truePositive'",
    })
    assert query == (
        "(status eq 'active' or status eq 'inProgress') and severity eq 'high'"
        " and assignedTo eq 'o''brien@contoso.com' and createdDateTime ge 2026-01-31T00:00:00Z"
        " and lastUpdateDateTime ge 2026-02-01T08:00:00Z and (classification eq 'truePositive')")


def test_no_filter_options_means_no_filter():
    assert build_filter({}) is None


@pytest.mark.parametrize('option, values', [('status', ['open']), ('severity', ['critical', 'high'])])
def test_unknown_enum_names_are_rejected_with_the_valid_list(option, values):
    with pytest.raises(MsGraphError) as error:
        build_filter({option: values})
    assert values[0] in str(error.value)
    assert ('awaitingAction' if option == 'status' else 'informational') in str(error.value)


@pytest.mark.parametrize('value, expected', [
    ('2026-01-31', '2026-01-31T00:00:00Z'),
    ('2026-01-31T23:30:00Z', '2026-01-31T23:30:00Z'),
    ('2026-01-31T23:30:00.1234567Z', '2026-01-31T23:30:00Z'),
    ('2026-01-31T23:30:00-0100', '2026-02-01T00:30:00Z'),
    ('2026-01-31 08:00', '2026-01-31T08:00:00Z'),
])
def test_dates_become_utc_literals(value, expected):
    assert odata_datetime('created_after', value) == expected


@pytest.mark.parametrize('value', ['yesterday', '2026-13-01', '2026-02-30', '31/01/2026', "2026-01-01' or 1 eq 1"])
def test_dates_that_are_not_dates_name_the_option(value):
    with pytest.raises(MsGraphError) as error:
        odata_datetime('updated_after', value)
    assert 'updated_after' in str(error.value)
