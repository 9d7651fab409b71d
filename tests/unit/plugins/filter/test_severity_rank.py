"""The severity_rank filter: every level, any case, dict or string, bad input."""
import pytest

from ansible.errors import AnsibleError, AnsibleFilterError

from ansible_collections.msgraph.security.plugins.filter.severity_rank import FilterModule, severity_rank


@pytest.mark.parametrize('severity, rank', [
    ('unknown', 0), ('unknownFutureValue', 0), ('informational', 1), ('low', 2), ('medium', 3), ('high', 4),
    ('Unknown', 0), ('UNKNOWNFUTUREVALUE', 0), ('Informational', 1), ('LOW', 2), ('Medium', 3), ('High', 4),
    ('critical', 0), ('', 0), (None, 0),
])
def test_every_level(severity, rank):
    assert severity_rank(severity) == rank
    assert severity_rank({'id': '1', 'severity': severity}) == rank


@pytest.mark.parametrize('subject, message', [
    ({'id': '1'}, "a dict without a 'severity' key"),
    (3, 'got int'),
    (['high'], 'got list'),
])
def test_a_subject_that_is_no_incident_is_an_error(subject, message):
    with pytest.raises(AnsibleFilterError, match='msgraph.security.severity_rank: .*' + message):
        severity_rank(subject)


def test_registered_under_its_name():
    assert FilterModule().filters() == {'severity_rank': severity_rank}


@pytest.mark.parametrize('expression, expected', [
    ("'Medium' | msgraph.security.severity_rank", 3),
    ("incidents | map('msgraph.security.severity_rank') | list", [4, 0, 1]),
    ("incidents | map('msgraph.security.severity_rank') | max", 4),
])
def test_in_a_template(render, expression, expected):
    incidents = [{'severity': 'high'}, {'severity': 'unknownFutureValue'}, {'severity': 'informational'}]
    assert render(expression, incidents=incidents) == expected


def test_error_in_a_template_names_the_plugin(render):
    with pytest.raises(AnsibleError, match='msgraph.security.severity_rank: .*got int'):
        render('42 | msgraph.security.severity_rank')
