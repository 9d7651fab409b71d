"""The severity_at_least test: every pair of levels, any case, dict or string subject, bad input."""
import itertools

import pytest

from ansible.errors import AnsibleError, AnsibleFilterError

from ansible_collections.msgraph.security.plugins.module_utils._resources.incident_schema import SEVERITIES
from ansible_collections.msgraph.security.plugins.plugin_utils._controller import incident_levels
from ansible_collections.msgraph.security.plugins.test import severity_at_least as plugin
from ansible_collections.msgraph.security.plugins.test.severity_at_least import severity_at_least

ASCENDING = ['informational', 'low', 'medium', 'high']
LOWEST = ['unknown', 'unknownFutureValue']


@pytest.mark.parametrize('severity, level', list(itertools.product(LOWEST + ASCENDING, repeat=2)))
def test_every_severity_against_every_level(severity, level):
    rank = dict((name, i + 1) for i, name in enumerate(ASCENDING))
    expected = rank.get(severity, 0) >= rank.get(level, 0)
    assert severity_at_least(severity, level) is expected
    assert severity_at_least({'id': '1', 'severity': severity}, level) is expected


@pytest.mark.parametrize('severity, level', [('Medium', 'medium'), ('HIGH', 'Medium'), ('medium', 'MEDIUM'),
                                             (' high ', 'high'), ('UnknownFutureValue', 'UNKNOWN')])
def test_case_and_whitespace_are_ignored(severity, level):
    assert severity_at_least({'severity': severity}, level)


@pytest.mark.parametrize('severity', ['critical', '', None, 'Unknown'])
def test_unrecognised_or_empty_severities_rank_lowest(severity):
    assert not severity_at_least({'severity': severity}, 'informational')
    assert severity_at_least({'severity': severity}, 'unknown')


@pytest.mark.parametrize('level', ['critical', 'med', '', 'none', 3, None, ['high']])
def test_an_unknown_level_is_an_error_listing_the_valid_ones(level):
    with pytest.raises(AnsibleFilterError) as error:
        severity_at_least('high', level)
    assert 'is not a severity level; use one of: unknown, unknownFutureValue, informational, low, medium, high' \
        in str(error.value)


@pytest.mark.parametrize('subject, message', [
    ({'id': '1', 'status': 'active'}, "a dict without a 'severity' key"),
    (4, 'got int'),
    (['high'], 'got list'),
    (True, 'got bool'),
])
def test_a_subject_that_is_no_incident_is_an_error(subject, message):
    with pytest.raises(AnsibleFilterError, match=message):
        severity_at_least(subject, 'low')


def test_every_severity_the_module_filters_on_has_a_rank():
    assert set(SEVERITIES) <= set(incident_levels.LEVELS)


def test_registered_under_its_name():
    assert plugin.TestModule().tests() == {'severity_at_least': severity_at_least}


@pytest.mark.parametrize('expression, expected', [
    ("incident is msgraph.security.severity_at_least('medium')", True),
    ("incident is msgraph.security.severity_at_least('high')", False),
    ("incident is not msgraph.security.severity_at_least('high')", True),
    ("'Low' is msgraph.security.severity_at_least('informational')", True),
    ("incidents | select('msgraph.security.severity_at_least', 'medium') | map(attribute='id') | list", ['1', '3']),
])
def test_in_a_template(render, expression, expected):
    incidents = [{'id': '1', 'severity': 'high'}, {'id': '2', 'severity': 'low'}, {'id': '3', 'severity': 'Medium'}]
    assert render(expression, incident={'id': '7', 'severity': 'Medium'}, incidents=incidents) == expected


def test_error_in_a_template_names_the_plugin(render):
    with pytest.raises(AnsibleError, match="msgraph.security.severity_at_least: 'hihg' is not a severity level"):
        render("'high' is msgraph.security.severity_at_least('hihg')")
