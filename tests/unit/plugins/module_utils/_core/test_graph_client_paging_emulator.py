"""Paging a collection that gives no @odata.count: GraphClient follows @odata.nextLink to the end.

The emulator withholds the count on request (fault rule "misbehave": "no_count"), so this path
runs end to end: real HTTPS, the emulator's own nextLinks.
"""
import pytest

from ..emulator_client import outer, reader
from ..option_values import options


@pytest.fixture
def no_count(clean_emulator):
    clean_emulator.set_faults({'rules': [{'path_regex': '/security/incidents$', 'misbehave': 'no_count'}]})
    return clean_emulator


def list_gets(emulator):
    return outer(emulator, '/security/incidents')


def test_without_a_count_every_page_is_read_by_next_link(no_count):
    expected = no_count.incident_ids()
    incidents, truncated = reader(no_count).list(options())
    assert [i['id'] for i in incidents] == expected and not truncated
    gets = list_gets(no_count)
    assert len(gets) == -(-len(expected) // 50) and not outer(no_count, '$batch')
    assert all('$skip=%d' % (50 * n) in g['query'] for n, g in enumerate(gets) if n)


def test_without_a_count_max_items_stops_the_walk_and_says_truncated(no_count):
    incidents, truncated = reader(no_count).list(options(max_items=120))
    assert [i['id'] for i in incidents] == no_count.incident_ids()[:120] and truncated
    assert len(list_gets(no_count)) == 3  # pages of 50: 120 needs three, the fourth is never asked


def test_without_a_count_max_items_equal_to_the_matches_is_not_truncated(no_count):
    expected = no_count.incident_ids("severity eq 'high'")
    assert len(expected) > 50  # more than one page
    incidents, truncated = reader(no_count).list(options(severity=['high'], max_items=len(expected)))
    assert [i['id'] for i in incidents] == expected and not truncated


@pytest.mark.parametrize('count', ['count', 'no_count'])
def test_list_mode_expands_alerts_on_every_page(clean_emulator, count):
    if count == 'no_count':
        clean_emulator.set_faults({'rules': [{'path_regex': '/security/incidents$', 'misbehave': 'no_count'}]})
    incidents, dummy = reader(clean_emulator, expand_alerts=True).list(options(max_items=120))
    assert len(incidents) == 120
    for incident in incidents[::7]:  # every page, a few per page: the emulator's stored alerts
        assert incident['alerts'] == clean_emulator.incident(incident['id'])['alerts']
