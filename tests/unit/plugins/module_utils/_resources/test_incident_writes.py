"""The pure planning of incident writes: which options are valid, what a PATCH must carry."""
import pytest

from ansible_collections.msgraph.security.plugins.module_utils._core.errors import OptionError
from ansible_collections.msgraph.security.plugins.module_utils._resources.incident_comments import comment_text, has_comment
from ansible_collections.msgraph.security.plugins.module_utils._resources.incident_writes import (
    desired_fields,
    plan_update,
    target_ids,
)

INCIDENT = {
    'id': '29', 'status': 'active', 'assignedTo': 'KaiC@contoso.com', 'classification': 'unknown',
    'determination': 'unknown', 'customTags': ['Demo', 'VIP'], 'description': None, 'resolvingComment': None,
}


def plan(purge=False, incident=None, **options):
    planned = plan_update(incident or INCIDENT, desired_fields(options), purge)
    return planned.body, planned.before, planned.after


def test_enums_are_read_in_any_case_and_sent_as_graph_spells_them():
    assert desired_fields(dict(status=' INPROGRESS', classification='TruePositive', determination='MALWARE')) == \
        dict(status='inProgress', classification='truePositive', determination='malware')


@pytest.mark.parametrize('options, message', [
    (dict(status='redirected'), r"status='redirected' is not valid; use one of: active, inProgress, resolved"),
    (dict(status='closed'), r"status='closed' is not valid"),
    (dict(classification='bad'), r"classification='bad' is not valid; use one of: unknown, falsePositive"),
    (dict(determination='clean'), r"determination='clean' is not valid"),
    (dict(classification='falsePositive', determination='malware'),
     'determination=malware does not fit classification=falsePositive; use one of: notMalicious'),
    (dict(custom_tags=['ok', '']), 'custom_tags must be non-empty strings'),
    (dict(), 'Nothing to set: give at least one of assigned_to, classification'),
])
def test_invalid_options_are_refused_with_what_to_use(options, message):
    with pytest.raises(OptionError, match=message):
        desired_fields(options)


def test_only_the_fields_that_differ_are_planned():
    body, before, after = plan(status='Active', assigned_to='kaic@CONTOSO.com', classification='truePositive',
                               determination='malware')
    assert body == dict(classification='truePositive', determination='malware')
    assert before == dict(classification='unknown', determination='unknown') and after == body


def test_nothing_differs_plans_nothing():
    assert plan(status='active', custom_tags=['VIP'], description='') == ({}, {}, {})


def test_tags_are_added_to_the_existing_ones_as_a_set():
    body, before, after = plan(custom_tags=['triage:high', 'VIP', 'triage:high'])
    assert body == dict(customTags=['Demo', 'VIP', 'triage:high'])
    assert before == dict(customTags=['Demo', 'VIP'])


def test_purge_leaves_exactly_the_tags_given_and_ignores_order():
    assert plan(purge=True, custom_tags=['VIP', 'Demo'])[0] == {}
    assert plan(purge=True, custom_tags=['VIP'])[0] == dict(customTags=['VIP'])
    assert plan(purge=True, custom_tags=[])[0] == dict(customTags=[])


def test_empty_assigned_to_unassigns_with_null_and_is_a_no_op_when_unassigned():
    body, before, after = plan(assigned_to='')
    assert body == dict(assignedTo=None) and before == dict(assignedTo='KaiC@contoso.com') and after == dict(assignedTo=None)
    assert plan(assigned_to='', incident=dict(INCIDENT, assignedTo=None))[0] == {}


def test_a_determination_is_checked_against_the_classification_already_on_the_incident():
    with pytest.raises(OptionError, match=r'Incident 29: determination=malware does not fit classification=unknown;'
                                          r' use one of: unknown .*set classification too'):
        plan(determination='malware')
    positive = dict(INCIDENT, classification='TruePositive')  # older PascalCase on the incident
    assert plan(determination='phishing', incident=positive)[0] == dict(determination='phishing')
    assert plan(determination='malware', incident=dict(INCIDENT, classification=None))[0] == dict(determination='malware')


def test_a_classification_given_with_the_determination_wins_over_the_incidents():
    assert plan(classification='falsePositive', determination='notMalicious')[0] == \
        dict(classification='falsePositive', determination='notMalicious')


def test_target_ids_are_normalized_and_each_kept_once_in_order():
    assert target_ids(dict(incident_ids=[30, '29', 30])) == (['30', '29'], False)
    assert target_ids(dict(incident_id=29)) == (['29'], True)
    for params in (dict(), dict(incident_id=1, incident_ids=[2]), dict(incident_ids=[])):
        with pytest.raises(OptionError):
            target_ids(params)
    with pytest.raises(OptionError, match='Invalid incident id'):
        target_ids(dict(incident_ids=['../x']))


def test_comment_text_and_exact_match():
    with pytest.raises(OptionError, match='comment must be a non-empty string'):
        comment_text(dict(comment='  '))
    comments = [{'comment': 'Contained.'}]
    assert has_comment(comments, 'Contained.')
    assert not has_comment(comments, 'contained.') and not has_comment(comments, 'Contained')
    assert not has_comment(None, 'x')


def test_an_enum_on_the_incident_in_another_spelling_is_the_same_value():
    incident = dict(INCIDENT, status='INPROGRESS', classification='TruePositive', determination='Malware')
    assert plan(status='inProgress', classification='truePositive', determination='malware', incident=incident) == ({}, {}, {})
    assert plan(status='active', incident=incident)[0] == dict(status='active')


@pytest.mark.parametrize('classification', ['unknownFutureValue', 'aMemberAddedLater', None, 'absent'])
def test_a_determination_is_not_refused_against_a_classification_the_schema_does_not_know(classification):
    incident = dict(INCIDENT, classification=classification)
    if classification == 'absent':
        del incident['classification']
    assert plan(determination='malware', incident=incident)[0] == dict(determination='malware')


def test_a_new_classification_is_checked_against_the_determination_the_incident_keeps():
    kept = dict(INCIDENT, classification='truePositive', determination='Malware')
    with pytest.raises(OptionError, match=r'Incident 29: determination=malware does not fit classification=falsePositive;'
                                          r' .*that is its current determination: set determination too'):
        plan(classification='falsePositive', incident=kept)
    # In any spelling on the incident, a fitting determination passes; other and unknown fit anything.
    assert plan(classification='falsePositive', incident=dict(kept, determination='NotMalicious'))[0] == \
        dict(classification='falsePositive')
    for determination in ('other', 'unknown', 'Other'):
        assert plan(classification='falsePositive', incident=dict(kept, determination=determination))[0] == \
            dict(classification='falsePositive')


def test_a_resolving_comment_with_another_status_is_refused_before_reading():
    with pytest.raises(OptionError, match='resolving_comment goes with status=resolved, not status=active'):
        desired_fields(dict(status='active', resolving_comment='Fixed.'))
    assert desired_fields(dict(status='Resolved', resolving_comment='Fixed.'))['status'] == 'resolved'


# -- severity, display_name, summary (writable on the current v1.0 update page) ---------------------

RATED = dict(INCIDENT, severity='High', displayName='Ransomware on fin-lt-042', summary=None)


def test_severity_is_read_in_any_case_compared_with_the_incidents_and_sent_as_graph_spells_it():
    assert plan(incident=RATED, severity='HIGH') == ({}, {}, {})  # High on the incident is high
    assert plan(incident=RATED, severity='Medium') == (dict(severity='medium'), dict(severity='High'), dict(severity='medium'))


def test_a_severity_that_is_not_one_lists_the_ones_that_are():
    with pytest.raises(OptionError, match=r"severity='critical' is not valid; use one of: informational, low, medium, high, unknown"):
        desired_fields(dict(severity='critical'))


def test_display_name_and_summary_are_compared_as_text_and_only_what_differs_is_planned():
    assert plan(incident=RATED, display_name='Ransomware on fin-lt-042', summary='') == ({}, {}, {})
    body, before, after = plan(incident=RATED, display_name='Ransomware on fin-lt-042 (contained)', summary='Host isolated.')
    assert body == after == dict(displayName='Ransomware on fin-lt-042 (contained)', summary='Host isolated.')
    assert before == dict(displayName='Ransomware on fin-lt-042', summary=None)


@pytest.mark.parametrize('name', ['', '   '])
def test_an_empty_display_name_is_refused_before_anything_is_read(name):
    with pytest.raises(OptionError, match=r"display_name=.* is empty: an incident always has a name"):
        desired_fields(dict(display_name=name))
