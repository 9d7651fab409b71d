"""Unit tests of the $filter parser and the dataset (no emulator process)."""

import collections

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.emulator import data, model
from tests.emulator.odata import FilterError, parse_filter, parse_datetime_ticks

FIELDS = model.filter_fields(include_unknown_enum_members=True)
KNOWN_PROPS = model.properties("beta")


def select(flt, records):
    predicate = parse_filter(flt, FIELDS, KNOWN_PROPS)
    return [r["id"] for r in records if predicate(r)]


RECORDS = [
    {"id": "1", "status": "active", "severity": "high", "assignedTo": None,
     "createdDateTime": "2026-01-01T00:00:00.0000000Z"},
    {"id": "2", "status": "resolved", "severity": "low", "assignedTo": "o'brien@contoso.com",
     "createdDateTime": "2026-01-01T00:00:00.0000001Z"},
    {"id": "3", "status": "inProgress", "severity": "medium", "assignedTo": "KaiC@contoso.com",
     "createdDateTime": "2025-06-30T23:59:59.9999999Z"},
]


@pytest.mark.parametrize("flt, expected", [
    ("status eq 'active'", ["1"]),
    ("status ne 'active'", ["2", "3"]),
    ("status eq 'active' or severity eq 'low'", ["1", "2"]),
    ("status eq 'active' or severity eq 'low' and status eq 'inProgress'", ["1"]),  # and binds tighter
    ("(status eq 'active' or severity eq 'low') and not (severity eq 'high')", ["2"]),
    ("not status eq 'active'", ["2", "3"]),
    ("assignedTo eq null", ["1"]),
    ("assignedTo ne null", ["2", "3"]),
    ("assignedTo eq 'O''Brien@Contoso.com'", ["2"]),  # '' escapes a quote; e-mail compare ignores case
    ("createdDateTime gt 2026-01-01T00:00:00Z", ["2"]),  # the 7th fractional digit counts
    ("createdDateTime ge 2026-01-01T00:00:00Z", ["1", "2"]),
    ("createdDateTime lt 2026-01-01T01:00:00+01:00", ["3"]),  # offsets are honoured
    ("createdDateTime le 2026-01-01T00:00:00.0000000Z", ["1", "3"]),
    ("  status   EQ  'active'  ", ["1"]),
])
def test_filter_semantics(flt, expected):
    assert select(flt, RECORDS) == expected


@pytest.mark.parametrize("flt, fragment", [
    ("", "empty"),
    ("status eq", "Expected a value"),
    ("status 'active'", "comparison operator"),
    ("status in ('active')", "'in' is not supported"),
    ("priorityScore gt 50", "cannot be used in a $filter"),
    ("nope eq 'x'", "Could not find a property named 'nope'"),
    ("status eq 'Active'", "not a valid enumeration"),
    ("createdDateTime ge 2026-01-01", "is a date"),
    ("createdDateTime ge 2026-13-01T00:00:00Z", "not a valid DateTimeOffset"),
    ("assignedTo eq 5", "incompatible types"),
    ("createdDateTime gt null", "cannot compare"),
    ("status eq 'active')", "unexpected ')'"),
    ("assignedTo eq 'unterminated", "Unterminated"),
])
def test_filter_errors(flt, fragment):
    with pytest.raises(FilterError) as info:
        parse_filter(flt, FIELDS, KNOWN_PROPS)
    assert fragment in str(info.value)


def test_evolvable_member_needs_opt_in():
    plain = model.filter_fields(include_unknown_enum_members=False)
    with pytest.raises(FilterError):
        parse_filter("status eq 'awaitingAction'", plain, KNOWN_PROPS)
    parse_filter("status eq 'unknownFutureValue'", plain, KNOWN_PROPS)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_parser_only_ever_raises_filter_error(text):
    try:
        predicate = parse_filter(text, FIELDS, KNOWN_PROPS)
    except FilterError:
        return
    [predicate(r) for r in RECORDS]


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=1, max_size=30))
def test_any_string_round_trips_through_quoting(value):
    literal = "'" + value.replace("'", "''") + "'"
    predicate = parse_filter(f"assignedTo eq {literal}", FIELDS, KNOWN_PROPS)
    assert predicate({"assignedTo": value})


def test_ticks_keep_seven_digits():
    assert parse_datetime_ticks("2026-01-01T00:00:00.0000001Z") - parse_datetime_ticks(
        "2026-01-01T00:00:00Z") == 1


# -- dataset ---------------------------------------------------------------------

def test_dataset_covers_every_case():
    incidents = data.INCIDENTS
    assert len(incidents) == data.GENERATED + 1
    assert {i["severity"] for i in incidents.values()} >= {"unknown", "informational", "low", "medium", "high"}
    assert {i["status"] for i in incidents.values()} == {"active", "resolved", "inProgress", "redirected",
                                                         "awaitingAction"}
    k = data.KNOWN
    expect = {
        "highActive": ("high", "active"), "mediumInProgress": ("medium", "inProgress"),
        "lowActive": ("low", "active"), "awaitingAction": (None, "awaitingAction"),
        "resolved": (None, "resolved"), "redirected": (None, "redirected"),
        "informational": ("informational", None), "unknownSeverity": ("unknown", None),
        "seed": ("medium", "active"),
    }
    for key, (severity, status) in expect.items():
        incident = incidents[k[key]]
        assert severity in (None, incident["severity"]) and status in (None, incident["status"]), key
    assert incidents[k["redirected"]]["redirectIncidentId"] == k["redirectTarget"]
    assert incidents[k["obrien"]]["assignedTo"] == "o'brien@contoso.com"
    assert incidents[k["unassigned"]]["assignedTo"] is None
    a, b = (incidents[i]["lastUpdateDateTime"] for i in k["sameLastUpdate"])
    assert a == b


def test_dataset_shape():
    ids = list(data.INCIDENTS)
    created = [data.INCIDENTS[i]["createdDateTime"] for i in ids]
    assert created == sorted(created, reverse=True)  # stored newest first
    for incident in data.INCIDENTS.values():
        assert set(model.properties("beta")) <= set(incident)
        assert incident["id"].isdigit()
        assert (incident["status"] == "redirected") == (incident["redirectIncidentId"] is not None)
        alerts = data.ALERTS[incident["id"]]
        assert 1 <= len(alerts) <= 3
        assert all(len(a["evidence"]) >= 2 and a["incidentId"] == incident["id"] for a in alerts)
    generated = [i for i in data.INCIDENTS.values() if i["id"] != data.SEED_ID]
    years = collections.Counter(i["createdDateTime"][:4] for i in generated)
    assert set(years) == {"2025", "2026"}


def test_matching_ids_helper():
    ids = data.matching_ids("severity eq 'high' and status eq 'active'")
    assert data.KNOWN["highActive"] in ids
    assert all(data.INCIDENTS[i]["severity"] == "high" for i in ids)
    assert data.KNOWN["awaitingAction"] not in data.matching_ids(
        "status ne 'awaitingAction'", include_unknown_enum_members=True)


def test_resized_dataset_keeps_its_shape():
    incidents, alerts = data._build(700)
    assert len(incidents) == 701 and set(alerts) == set(incidents)
    assert data.SEED_ID in incidents
    assert {str(n) for n in range(1, 701)} <= set(incidents)
    created = [i["createdDateTime"] for i in incidents.values()]
    assert created == sorted(created, reverse=True)
    for incident in incidents.values():
        assert (incident["status"] == "redirected") == (incident["redirectIncidentId"] is not None)
    for key, incident_id in data.KNOWN.items():
        for one in (incident_id if isinstance(incident_id, tuple) else (incident_id,)):
            assert one in incidents, key
    assert incidents[data.KNOWN["highActive"]]["severity"] == "high"
    with pytest.raises(ValueError):
        data.resize(data.GENERATED)  # fewer than the known cases need; nothing changed
    assert len(data.INCIDENTS) == data.GENERATED + 1
