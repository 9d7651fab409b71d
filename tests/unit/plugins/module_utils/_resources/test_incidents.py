"""Id checks and $filter building: everything decided before a request leaves the machine."""
import pytest
from urllib.parse import unquote
from hypothesis import given, strategies as st

from ansible_collections.msgraph.security.plugins.module_utils._core.errors import MsGraphError
from ansible_collections.msgraph.security.plugins.module_utils._resources.incidents import (
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
    # ':' is allowed in ids and percent-encoded; what matters is that the segment decodes back to the id.
    assert '/' not in segment and '?' not in segment and '#' not in segment
    assert unquote(segment) == incident_id and segment not in ('.', '..')


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


@pytest.mark.parametrize('value', ['2026-01-31T08:00:00+99:99', '2026-01-31T08:00:00+15:00', '2026-01-31T08:00:00-14:30',
                                   '2026-01-31T08:00:00+05:60'])
def test_offsets_that_do_not_exist_are_refused(value):
    with pytest.raises(MsGraphError, match='^created_after=.*the time-zone offset .* does not exist'):
        odata_datetime('created_after', value)


@pytest.mark.parametrize('value, expected', [('2026-01-31T08:00:00+14:00', '2026-01-30T18:00:00Z'),
                                             ('2026-01-31T08:00:00-12:00', '2026-01-31T20:00:00Z')])
def test_the_extreme_real_offsets_are_accepted(value, expected):
    assert odata_datetime('created_after', value) == expected


@pytest.mark.parametrize('value', ['0001-01-01T00:00:00+01:00', '9999-12-31T23:59:59-01:00'])
def test_dates_that_overflow_in_utc_name_the_option(value):
    with pytest.raises(MsGraphError, match='^updated_after=.*out of range once converted to UTC'):
        odata_datetime('updated_after', value)


@pytest.mark.parametrize('expression', [
    "status eq 'active') or (severity eq 'low'",
    "(status eq 'active'",
    "status eq 'active')",
    "((a eq 'x')",
    "title eq 'it''s",
])
def test_unbalanced_filters_are_refused(expression):
    with pytest.raises(MsGraphError, match='^filter='):
        build_filter({'filter': expression})


@pytest.mark.parametrize('expression', [
    "title eq 'a (b'",          # parentheses inside literals do not count
    "title eq 'it''s (x)' and (severity eq 'low' or severity eq 'high')",
    "contains(title, ')')",
])
def test_balanced_filters_pass_wrapped(expression):
    assert build_filter({'filter': expression}) == '(%s)' % expression


@pytest.mark.parametrize('option', ['assigned_to', 'created_after', 'updated_after', 'filter'])
@pytest.mark.parametrize('value', ['', '   '])
def test_empty_text_filters_are_refused_not_ignored(option, value):
    with pytest.raises(MsGraphError, match='^%s is empty, which would narrow nothing' % option):
        build_filter({option: value})


def test_empty_assigned_to_points_at_unassigned():
    with pytest.raises(MsGraphError, match="assignedTo eq null"):
        build_filter({'assigned_to': ''})


def test_an_empty_list_means_any():
    assert build_filter({'status': [], 'severity': []}) is None


@pytest.mark.parametrize('given, named', [
    ({'severity': ['high']}, 'severity only narrows a listing and would be ignored with incident_id'),
    ({'status': ['active'], 'max_items': 5}, 'status and max_items only narrow a listing'),
    ({'assigned_to': ''}, 'assigned_to only narrows'),
    ({'filter': "x eq 'y'", 'created_after': '2026-01-01', 'updated_after': '2026-01-01'},
     'created_after and updated_after and filter only narrow'),
])
def test_list_filters_with_ids_are_refused(given, named):
    from ansible_collections.msgraph.security.plugins.module_utils._resources.incidents import refuse_list_filters
    with pytest.raises(MsGraphError, match=named):
        refuse_list_filters(given, 'incident_id')


def test_ids_with_expand_alerts_or_empty_lists_are_fine():
    from ansible_collections.msgraph.security.plugins.module_utils._resources.incidents import refuse_list_filters
    refuse_list_filters({'expand_alerts': True, 'status': [], 'severity': None}, 'incident_ids')


def _missing(*ids):
    from ansible_collections.msgraph.security.plugins.module_utils._core.errors import NotFoundError
    return [(i, NotFoundError('GET /v1.0/security/incidents/%s failed: HTTP 404 NotFound' % i, status=404,
                              request_id='r-%s' % i)) for i in ids]


@pytest.mark.parametrize('tolerate', ['fail_on_missing: false', "on_missing='warn' (or 'skip')"])
def test_not_found_names_the_id_and_how_to_tolerate_it(tolerate):
    from ansible_collections.msgraph.security.plugins.module_utils._core.errors import NotFoundError
    from ansible_collections.msgraph.security.plugins.module_utils._resources.incidents import not_found_error
    error = not_found_error(_missing('999'), 1, tolerate)
    assert isinstance(error, NotFoundError)
    assert str(error).startswith('Incident was not found: 999 (GET /v1.0/security/incidents/999 failed: HTTP 404')
    assert str(error).endswith('To report missing incidents instead of failing, set %s.' % tolerate)
    assert 'numeric' not in str(error)
    assert error.details == dict(status=404, request_id='r-999')  # the first missing id's request ids


def test_not_found_counts_and_says_which_ids_are_not_numeric():
    from ansible_collections.msgraph.security.plugins.module_utils._resources.incidents import TOLERATE_IN_MODULE, not_found_error
    text = str(not_found_error(_missing('29a', '999', 'INC-7'), 5, TOLERATE_IN_MODULE))
    assert text.startswith('3 of 5 incidents were not found: 29a (GET ')
    assert '; 999 (GET ' in text and '; INC-7 (GET ' in text
    assert "Graph incident ids are numeric, such as 2972395: '29a', 'INC-7' are not." in text
    assert text.endswith('set fail_on_missing: false.')
    one = str(not_found_error(_missing('abc'), 1, TOLERATE_IN_MODULE))
    assert "Graph incident ids are numeric, such as 2972395: 'abc' is not." in one
