"""The gate_decision filter: the incident_gate role's decision, every branch, any case, bad input."""
import pytest

from ansible.errors import AnsibleError, AnsibleFilterError

from ansible_collections.msgraph.security.plugins.filter.gate_decision import FilterModule, gate_decision
from ansible_collections.msgraph.security.plugins.module_utils._resources.incident_schema import SEVERITIES, STATUSES

OPEN = 'active, inProgress, awaitingAction'


def incident(severity, status, **more):
    return dict(id='296', severity=severity, status=status, **more)


@pytest.mark.parametrize('severity, status, min_severity, reason', [
    ('high', 'active', 'medium', 'severity high is at least medium and status active is one of ' + OPEN),
    ('medium', 'awaitingAction', 'medium', 'severity medium is at least medium and status awaitingAction is one of ' + OPEN),
    ('informational', 'inProgress', 'informational',
     'severity informational is at least informational and status inProgress is one of ' + OPEN),
    ('unknownFutureValue', 'active', 'unknown', 'severity unknownFutureValue is at least unknown and status active is one of ' + OPEN),
])
def test_open_incidents_at_or_above_the_level_pass(severity, status, min_severity, reason):
    assert gate_decision(incident(severity, status), min_severity) == dict(passed=True, reason=reason)


@pytest.mark.parametrize('severity, status, reason', [
    ('low', 'active', 'severity low is below medium'),
    ('unknown', 'active', 'severity unknown is below medium'),
    ('someNewSeverity', 'active', 'severity someNewSeverity is below medium'),
    ('low', 'resolved', 'severity low is below medium'),  # severity is judged first
    ('high', 'resolved', 'status resolved is not one of ' + OPEN),
    ('high', 'unknownFutureValue', 'status unknownFutureValue is not one of ' + OPEN),
    ('high', None, 'status None is not one of ' + OPEN),
])
def test_rejections_say_why(severity, status, reason):
    assert gate_decision(incident(severity, status)) == dict(passed=False, reason=reason)


def test_a_merged_incident_names_the_one_it_went_into():
    decision = gate_decision(incident('medium', 'redirected', redirectIncidentId='301'))
    assert decision == dict(passed=False, reason='status redirected is not one of %s (merged into incident 301)' % OPEN)


@pytest.mark.parametrize('min_severity, statuses, reason', [
    ('High', ['Active'], 'severity high is at least high and status active is one of active'),
    (' MEDIUM ', ['INPROGRESS', 'active'], 'severity high is at least medium and status active is one of inProgress, active'),
    ('medium', 'active', 'severity high is at least medium and status active is one of active'),
])
def test_names_in_any_case_are_written_as_graph_spells_them(min_severity, statuses, reason):
    assert gate_decision(incident('high', 'active'), min_severity, statuses) == dict(passed=True, reason=reason)


def test_values_from_graph_are_compared_in_any_case_and_shown_as_sent():
    assert gate_decision(incident('HIGH', 'Active'), 'medium')['reason'].startswith('severity HIGH is at least medium and status Active')


def test_statuses_that_are_not_default_open_can_pass():
    assert gate_decision(incident('high', 'resolved'), 'low', ['resolved'])['passed'] is True
    assert gate_decision(incident('high', 'active'), 'low', [])['passed'] is False


def test_every_schema_value_is_accepted():
    for level in SEVERITIES:
        gate_decision(incident('high', 'active'), level.upper())
    gate_decision(incident('high', 'active'), 'low', [s.upper() for s in STATUSES])


@pytest.mark.parametrize('subject, min_severity, statuses, message', [
    (incident('high', 'active'), 'critical', None,
     "min_severity: 'critical' is not a severity level; use one of: unknown, unknownFutureValue, informational, low,"
     " medium, high"),
    (incident('high', 'active'), None, None, 'min_severity: None is not a severity level'),
    (incident('high', 'active'), 'low', ['active', 'open'],
     "statuses: 'open' is not an incident status; use: active, inProgress, awaitingAction, resolved, redirected"),
    (None, 'low', None, 'expected an incident \\(dict\\), got NoneType'),
    ('high', 'low', None, 'expected an incident \\(dict\\), got str'),
])
def test_bad_input_is_an_error_naming_the_argument_and_the_valid_values(subject, min_severity, statuses, message):
    args = (subject, min_severity) + ((statuses,) if statuses is not None else ())
    with pytest.raises(AnsibleFilterError, match='msgraph.security.gate_decision: ' + message):
        gate_decision(*args)


def test_registered_under_its_name():
    assert FilterModule().filters() == {'gate_decision': gate_decision}


@pytest.mark.parametrize('expression, expected', [
    ('incident | msgraph.security.gate_decision', dict(passed=False, reason='severity low is below medium')),
    ("incident | msgraph.security.gate_decision('Low', ['Active'])",
     dict(passed=True, reason='severity low is at least low and status active is one of active')),
    ("incidents | map('msgraph.security.gate_decision', 'high') | selectattr('passed') | map(attribute='reason') | list",
     ['severity high is at least high and status active is one of ' + OPEN]),
])
def test_in_a_template(render, expression, expected):
    incidents = [incident('high', 'active'), incident('high', 'resolved'), incident('medium', 'active')]
    assert render(expression, incident=incident('low', 'active'), incidents=incidents) == expected


def test_error_in_a_template_names_the_plugin(render):
    with pytest.raises(AnsibleError, match="msgraph.security.gate_decision: min_severity: 'severe' is not a severity"):
        render("incident | msgraph.security.gate_decision('severe')", incident=incident('low', 'active'))
