"""Paging never returns a short list as complete, and a nextLink walk has an end.

Both against the emulator: a real incident leaves the filtered set between the first page and
the $skip pages (so every later page starts one item further on and one item is never served),
and a server whose nextLinks lead on and on without repeating a page."""
import pytest

from ansible_collections.msgraph.security.plugins.module_utils._core.errors import IncompleteAnswerError, ListingChangedError
from ansible_collections.msgraph.security.plugins.module_utils._core.graph_client import GraphClient

from ..emulator_client import connect, outer

PATH = '/security/incidents'
ACTIVE = "status eq 'active'"
ITEMS = ('incident', 'incidents')


@pytest.fixture
def graph(clean_emulator):
    yield clean_emulator
    clean_emulator.reset()


def test_a_short_skip_page_is_not_returned_as_a_complete_list(graph):
    active = graph.incident_ids(ACTIVE)
    page = 5
    assert len(active) > 2 * page, 'the emulator needs more active incidents than two pages'
    client = connect(graph)

    def get_batch_after_a_change(paths, permission=None):
        # Between the first page and the others, an incident of the first page is resolved.
        graph.update_incident(active[0], {'status': 'resolved'})
        return GraphClient.get_batch(client, paths, permission)

    client.get_batch = get_batch_after_a_change
    with pytest.raises(ListingChangedError) as caught:
        client.get_all_pages(PATH, {'$top': page, '$filter': ACTIVE}, items=ITEMS)
    assert str(caught.value).startswith('The incidents changed while they were being listed (%d expected, %d read)'
                                        % (len(active), len(active) - 1))
    assert outer(graph, '$batch'), 'the pages after the first were read by $skip in $batch'


def test_the_same_listing_without_a_change_is_complete(graph):
    active = graph.incident_ids(ACTIVE)
    items, truncated = connect(graph).get_all_pages(PATH, {'$top': 5, '$filter': ACTIVE}, items=ITEMS)
    assert [item['id'] for item in items] == active and not truncated


def test_a_next_link_walk_past_the_page_limit_fails(graph):
    graph.set_faults({'rules': [{'path_regex': PATH + '$', 'misbehave': 'no_count'}]})
    client = connect(graph)
    client.max_pages = 3
    with pytest.raises(IncompleteAnswerError, match=r'@odata.nextLink still leads on after 3 pages'):
        client.get_all_pages(PATH, {'$top': 2}, items=ITEMS)
    assert len(outer(graph, PATH)) == 4  # the first page and three nextLinks, not one more


def test_a_next_link_walk_within_the_page_limit_is_read_to_the_end(graph):
    graph.set_faults({'rules': [{'path_regex': PATH + '$', 'misbehave': 'no_count'}]})
    active = graph.incident_ids(ACTIVE)
    client = connect(graph)
    client.max_pages = -(-len(active) // 5) - 1  # exactly the nextLinks this list needs
    items, truncated = client.get_all_pages(PATH, {'$top': 5, '$filter': ACTIVE}, items=ITEMS)
    assert [item['id'] for item in items] == active and not truncated
