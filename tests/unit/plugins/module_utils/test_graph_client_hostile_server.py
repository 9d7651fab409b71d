"""A server that answers wrongly with HTTP 200: the client must fail, never return a plausible wrong list.

The emulator's "misbehave" fault rules bend its answers one way each. The strict xfails are
issue 11 ("nothing silently wrong"): today the client returns a wrong answer for them; when it
learns to refuse one, that test passes, xfail(strict) turns it red, and its marker goes.
"""
import pytest

from ansible_collections.msgraph.security.plugins.module_utils.errors import MsGraphError

from .emulator_client import reader
from .option_values import options

ISSUE_11 = 'issue 11: the client returns a wrong answer that looks right'


def misbehave(emulator, modes, path_regex='/security/incidents$', **rule):
    emulator.set_faults({'rules': [dict(path_regex=path_regex, misbehave=modes, **rule)]})


def test_pages_repeating_items_in_skip_mode_are_detected(clean_emulator):
    misbehave(clean_emulator, 'repeat_items')
    with pytest.raises(MsGraphError, match='changed while they were being listed'):
        reader(clean_emulator).list(options())


@pytest.mark.xfail(strict=True, reason=ISSUE_11 + ': a nextLink back to the same page is followed')
def test_a_next_link_to_itself_fails(clean_emulator):
    clean_emulator.set_faults({'rules': [
        # Twice a page points at itself (then the walk would go on: no endless loop in the suite).
        {'path_regex': '/security/incidents$', 'count': 2, 'misbehave': ['no_count', 'next_link_self']},
        {'path_regex': '/security/incidents$', 'misbehave': 'no_count'}]})
    with pytest.raises(MsGraphError):
        reader(clean_emulator).list(options())


@pytest.mark.xfail(strict=True, reason=ISSUE_11 + ': a nextLink back to the first page is followed')
def test_a_next_link_to_an_earlier_page_fails(clean_emulator):
    clean_emulator.set_faults({'rules': [
        {'path_regex': '/security/incidents$', 'query_regex': r'\$skip=100', 'count': 1,
         'misbehave': ['no_count', 'next_link_first']},
        {'path_regex': '/security/incidents$', 'misbehave': 'no_count'}]})
    with pytest.raises(MsGraphError):
        reader(clean_emulator).list(options())


@pytest.mark.xfail(strict=True, reason=ISSUE_11 + ': repeated items in nextLink mode are returned twice')
def test_pages_repeating_items_in_next_link_mode_fail(clean_emulator):
    misbehave(clean_emulator, ['no_count', 'repeat_items'])
    with pytest.raises(MsGraphError):
        reader(clean_emulator).list(options())


@pytest.mark.xfail(strict=True, reason=ISSUE_11 + ': a low @odata.count gives a short list, truncated false')
def test_a_count_lower_than_the_total_is_not_a_complete_list(clean_emulator):
    misbehave(clean_emulator, 'count_low')
    try:
        incidents, truncated = reader(clean_emulator).list(options())
    except MsGraphError:
        return  # refusing is fine too
    assert [i['id'] for i in incidents] == clean_emulator.incident_ids() or truncated


@pytest.mark.xfail(strict=True, reason=ISSUE_11 + ': a duplicated $batch response id is "last one wins"')
def test_a_duplicated_batch_response_id_fails(clean_emulator):
    misbehave(clean_emulator, 'batch_duplicate_id', path_regex=r'/\$batch$')
    with pytest.raises(MsGraphError):
        reader(clean_emulator).read_ids(clean_emulator.incident_ids()[:3])


@pytest.mark.xfail(strict=True, reason=ISSUE_11 + ': a $batch body for another incident is returned as asked')
def test_a_batch_body_for_another_incident_fails(clean_emulator):
    misbehave(clean_emulator, 'batch_wrong_body', path_regex=r'/\$batch$')
    with pytest.raises(MsGraphError):
        reader(clean_emulator).read_ids(clean_emulator.incident_ids()[:3])
