"""The incident enums are written once (incident_schema); the copies that cannot import them agree."""
import re
from pathlib import Path

import pytest
import yaml

from ansible_collections.msgraph.security.plugins.module_utils._resources import incident_schema as schema
from ansible_collections.msgraph.security.plugins.module_utils._core.errors import OptionError
from ansible_collections.msgraph.security.plugins.module_utils._resources.query_options import QUERY_OPTIONS
from ansible_collections.msgraph.security.plugins.plugin_utils._controller import incident_levels
from tests.emulator import model as graph

ROOT = Path(__file__).resolve().parents[5]


def test_query_options_take_their_values_from_the_schema():
    assert QUERY_OPTIONS['status']['values'] == list(schema.STATUSES)
    assert QUERY_OPTIONS['severity']['values'] == list(schema.SEVERITIES)


def _documented_values(option):
    """The V(...) values an option's description lists (the spec has no choices: those are case-sensitive)."""
    assert 'choices' not in option
    text = ' '.join(option['description'])
    assert 'in any case' in text
    return set(re.findall(r'V\(([A-Za-z]+)\)', text))


def test_the_role_argument_spec_lists_the_schema_values():
    options = yaml.safe_load((ROOT / 'roles/incident_gate/meta/argument_specs.yml').read_text())[
        'argument_specs']['main']['options']
    assert _documented_values(options['incident_gate_min_severity']) == set(schema.SEVERITIES)
    assert _documented_values(options['incident_gate_statuses']) == set(schema.STATUSES) | {'unknownFutureValue'}
    # What the description promises is what the role's check (the gate_decision filter) accepts.
    for level in schema.SEVERITIES:
        assert incident_levels.level_name(level.upper()) == level
    assert incident_levels.status_list([s.upper() for s in schema.STATUSES]) == list(schema.STATUSES)


def test_the_filter_and_tests_know_every_status_and_severity():
    assert set(schema.STATUSES) <= set(incident_levels.STATUSES)
    assert set(schema.SEVERITIES) <= set(incident_levels.LEVELS)


def test_every_value_the_collection_sends_is_one_the_emulated_graph_knows():
    assert set(schema.STATUSES) <= set(graph.STATUSES)
    assert set(schema.SETTABLE_STATUSES) <= set(schema.STATUSES)
    assert set(schema.SEVERITIES) <= set(graph.SEVERITIES)
    assert set(schema.CLASSIFICATIONS) <= set(graph.CLASSIFICATIONS)
    assert set(schema.DETERMINATIONS) <= set(graph.DETERMINATIONS)
    assert set(schema.DETERMINATIONS_BY_CLASSIFICATION) == set(schema.CLASSIFICATIONS)


def test_writable_fields_name_incident_properties():
    assert set(schema.WRITABLE_FIELDS.values()) <= set(graph.V1_PROPERTIES)
    assert set(schema.WRITABLE_ENUMS) <= set(schema.WRITABLE_FIELDS)


@pytest.mark.parametrize('given, expected', [('High', 'high'), (' INPROGRESS ', 'inProgress'), ('active', 'active')])
def test_enum_input_is_read_in_any_case_and_sent_as_graph_spells_it(given, expected):
    assert schema.canonical('x', given, schema.STATUSES + schema.SEVERITIES) == expected


@pytest.mark.parametrize('given', ['hihg', '', None, 3, ['high']])
def test_a_value_that_is_not_a_member_names_the_option_and_the_members(given):
    with pytest.raises(OptionError, match=r"severity=.* is not valid; use one of: informational, low"):
        schema.canonical('severity', given, schema.SEVERITIES)


def test_a_determination_that_does_not_fit_lists_the_ones_that_do():
    with pytest.raises(OptionError, match='determination=malware does not fit classification=falsePositive;'
                                          ' use one of: notMalicious, notEnoughDataToValidate, other'):
        schema.check_determination('falsePositive', 'malware')
    schema.check_determination('truePositive', 'malware')
