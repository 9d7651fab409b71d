"""expand_alerts where Graph answers HTTP 500 to a filtered list with $expand=alerts (large tenants do, persistently)."""
import pytest

from ansible_collections.msgraph.security.plugins.module_utils._core.errors import GraphApiError

from ..emulator_client import reader

# Exactly the failing request: the list (not one incident) with both $filter and $expand=alerts.
LIST_WITH_EXPAND = {'path_regex': r'/security/incidents$', 'query_regex': r'^(?=.*\$filter=)(?=.*\$expand=alerts)',
                    'method': 'GET', 'status': 500, 'message': 'Internal server error (the tenant is too large).'}


@pytest.fixture
def graph(clean_emulator):
    clean_emulator.reset()
    yield clean_emulator
    clean_emulator.reset()


def test_the_alerts_are_read_another_way_when_the_expanded_list_fails(graph):
    options = dict(status=['active'], severity=['high', 'medium'], max_items=None)
    expected, expected_truncated = reader(graph, expand_alerts=True).list(options)
    assert expected and all('alerts' in i for i in expected)
    graph.set_faults({'rules': [LIST_WITH_EXPAND]})
    graph.clear_requests()
    incidents, truncated = reader(graph, expand_alerts=True, max_retries=1, max_retry_wait=2).list(options)
    assert (incidents, truncated) == (expected, expected_truncated)
    # The list failed (and was asked again within max_retries), then each incident was read with its alerts.
    failed = [r for r in graph.requests() if r['status'] == 500]
    assert 1 <= len(failed) <= 2
    inner = [r for r in graph.requests() if r['in_batch'] and 'expand=alerts' in r['query'].replace('%24', '$')]
    assert sorted(r['path'].rsplit('/', 1)[-1] for r in inner) == sorted(i['id'] for i in expected)


def test_a_list_without_expand_still_fails_as_graph_answered(graph):
    graph.set_faults({'rules': [dict(LIST_WITH_EXPAND, query_regex=r'\$filter=')]})
    with pytest.raises(GraphApiError) as caught:
        reader(graph, expand_alerts=True, max_retries=0).list(dict(status=['active']))
    assert caught.value.status == 500
