"""The incident_open test: each status, default and custom statuses, any case, bad input."""
import pytest

from ansible.errors import AnsibleError, AnsibleFilterError

from ansible_collections.msgraph.security.plugins.module_utils._resources.incident_schema import STATUSES
from ansible_collections.msgraph.security.plugins.plugin_utils._controller import incident_levels
from ansible_collections.msgraph.security.plugins.test import incident_open as plugin
from ansible_collections.msgraph.security.plugins.test.incident_open import incident_open


@pytest.mark.parametrize('status, expected', [
    ('active', True), ('inProgress', True), ('awaitingAction', True),
    ('resolved', False), ('redirected', False), ('unknownFutureValue', False),
    ('Active', True), ('INPROGRESS', True), ('Resolved', False),
    ('someFutureStatus', False), ('', False), (None, False),
])
def test_default_open_statuses(status, expected):
    assert incident_open(status) is expected
    assert incident_open({'id': '1', 'status': status}) is expected


@pytest.mark.parametrize('statuses, status, expected', [
    (['active'], 'active', True),
    (['active'], 'inProgress', False),
    (['resolved', 'redirected'], 'Resolved', True),
    (['AwaitingAction'], 'awaitingAction', True),
    ('resolved', 'resolved', True),
    ([], 'active', False),
])
def test_custom_statuses(statuses, status, expected):
    assert incident_open({'status': status}, statuses) is expected


@pytest.mark.parametrize('statuses, named', [
    (['closed'], "'closed' is not an incident status"),
    (['active', 'open', 'done'], "'open', 'done' are not incident statuses"),
    (['in_progress'], "'in_progress' is not"),
    ([3], '3 is not'),
])
def test_an_unknown_status_name_is_an_error_listing_the_valid_ones(statuses, named):
    with pytest.raises(AnsibleFilterError) as error:
        incident_open('active', statuses)
    assert named in str(error.value)
    assert 'use: active, inProgress, awaitingAction, resolved, redirected, unknownFutureValue' in str(error.value)


@pytest.mark.parametrize('subject, message', [
    ({'id': '1', 'severity': 'high'}, "a dict without a 'status' key"),
    (1, 'got int'),
])
def test_a_subject_that_is_no_incident_is_an_error(subject, message):
    with pytest.raises(AnsibleFilterError, match=message):
        incident_open(subject)


def test_every_status_the_module_filters_on_is_known():
    assert set(STATUSES) <= set(incident_levels.STATUSES)


def test_registered_under_its_name():
    assert plugin.TestModule().tests() == {'incident_open': incident_open}


@pytest.mark.parametrize('expression, expected', [
    ('incident is msgraph.security.incident_open', True),
    ("incident is msgraph.security.incident_open(['inProgress'])", False),
    ("incidents | select('msgraph.security.incident_open') | map(attribute='id') | list", ['2', '3']),
    ("incidents | reject('msgraph.security.incident_open') | map(attribute='id') | list", ['1']),
])
def test_in_a_template(render, expression, expected):
    incidents = [{'id': '1', 'status': 'resolved'}, {'id': '2', 'status': 'awaitingAction'}, {'id': '3', 'status': 'Active'}]
    assert render(expression, incident={'status': 'active'}, incidents=incidents) == expected


def test_error_in_a_template_names_the_plugin(render):
    with pytest.raises(AnsibleError, match="msgraph.security.incident_open: 'closed' is not an incident status"):
        render("'active' is msgraph.security.incident_open(['closed'])")
