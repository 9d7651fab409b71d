"""A server that answers wrongly with HTTP 200: the client fails clearly, never returns a plausible wrong list.

The emulator's "misbehave" fault rules bend its answers one way each (tests/emulator/misbehave.py).
"""
import pytest

from ansible_collections.msgraph.security.plugins.module_utils._core.errors import MsGraphError

from ..emulator_client import reader
from ..option_values import options

LOOPING = 'leads back to a page already read'


def misbehave(emulator, modes, path_regex='/security/incidents$', **rule):
    emulator.set_faults({'rules': [dict(path_regex=path_regex, misbehave=modes, **rule)]})


def test_pages_repeating_items_in_skip_mode_are_detected(clean_emulator):
    misbehave(clean_emulator, 'repeat_items')
    with pytest.raises(MsGraphError, match='changed while they were being listed'):
        reader(clean_emulator).list(options())


def test_a_next_link_to_itself_fails(clean_emulator):
    clean_emulator.set_faults({'rules': [
        # Twice a page points at itself, then the walk could go on: a client that does not notice
        # returns the page three times instead of hanging the suite.
        {'path_regex': '/security/incidents$', 'count': 2, 'misbehave': ['no_count', 'next_link_self']},
        {'path_regex': '/security/incidents$', 'misbehave': 'no_count'}]})
    with pytest.raises(MsGraphError, match=LOOPING):
        reader(clean_emulator).list(options())


def test_a_next_link_to_an_earlier_page_fails(clean_emulator):
    clean_emulator.set_faults({'rules': [
        {'path_regex': '/security/incidents$', 'query_regex': r'\$skip=100', 'count': 1,
         'misbehave': ['no_count', 'next_link_first']},
        {'path_regex': '/security/incidents$', 'misbehave': 'no_count'}]})
    with pytest.raises(MsGraphError, match=LOOPING):
        reader(clean_emulator).list(options())


def test_pages_repeating_items_in_next_link_mode_fail(clean_emulator):
    misbehave(clean_emulator, ['no_count', 'repeat_items'])
    with pytest.raises(MsGraphError, match='returned incident .* twice'):
        reader(clean_emulator).list(options())


def test_a_count_lower_than_the_total_is_not_taken_for_a_complete_list(clean_emulator):
    misbehave(clean_emulator, 'count_low')
    try:
        incidents, truncated = reader(clean_emulator).list(options())
    except MsGraphError:
        return  # refusing is right too
    assert [i['id'] for i in incidents] == clean_emulator.incident_ids() and not truncated


def test_a_duplicated_batch_response_id_fails(clean_emulator):
    misbehave(clean_emulator, 'batch_duplicate_id', path_regex=r'/\$batch$')
    with pytest.raises(MsGraphError, match='answered request 0 twice'):
        reader(clean_emulator).read_ids(clean_emulator.incident_ids()[:3])


def test_a_batch_body_for_another_incident_fails(clean_emulator):
    ids = clean_emulator.incident_ids()[:3]
    misbehave(clean_emulator, 'batch_wrong_body', path_regex=r'/\$batch$')
    with pytest.raises(MsGraphError, match='Asked for incident %s, Graph answered incident %s' % (ids[0], ids[1])):
        reader(clean_emulator).read_ids(ids)
