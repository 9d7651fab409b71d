"""The incident lookup's own logic: terms, on_missing, list mode, option resolution and refusal.

Rendered through a real Templar (lookup/query by FQCN), with a stand-in Graph client (conftest.py).
"""
import pytest

from ansible.errors import AnsibleError

Q = "query('msgraph.security.incident'%s)"


def ids(result):
    return [incident['id'] for incident in result]


def test_ids_are_read_in_one_batch_in_the_order_given(render, graph):
    assert ids(render(Q % ", '31', 29")) == ['31', '29']
    assert graph.batches == [['/security/incidents/31', '/security/incidents/29']]


def test_a_list_given_as_one_term_is_read_as_the_ids_it_holds(render, graph):
    assert ids(render(Q % ', wanted', wanted=['30', 29])) == ['30', '29']
    assert ids(render(Q % ", wanted, '31'", wanted=['30'])) == ['30', '31']
    assert graph.batches[0] == ['/security/incidents/30', '/security/incidents/29']


def test_one_id_is_one_get_and_lookup_returns_the_incident(render, graph):
    assert render("lookup('msgraph.security.incident', 29)") == dict(id='29', severity='high', status='active')
    assert graph.gets == ['/security/incidents/29'] and graph.batches == []


def test_expand_alerts_asks_for_the_alerts(render, graph):
    render(Q % ", '29', expand_alerts=true")
    assert graph.gets == ['/security/incidents/29?$expand=alerts']


def test_a_missing_id_fails_by_default_naming_it_and_how_to_tolerate_it(render, graph):
    with pytest.raises(AnsibleError) as error:
        render(Q % ", '29', '404', 'INC-9'")
    text = str(error.value)
    assert 'msgraph.security.incident: 2 of 3 incidents were not found: 404 (GET /v1.0/security/incidents/404' in text
    assert "Graph incident ids are numeric, such as 2972395: 'INC-9' is not." in text
    assert "To report missing incidents instead of failing, set on_missing='warn' (or 'skip')." in text


def test_on_missing_warn_leaves_the_id_out_with_a_warning(render, graph, warnings):
    assert ids(render(Q % ", '29', '404', '30', on_missing='warn'")) == ['29', '30']
    assert len(warnings) == 1
    assert warnings[0].startswith('msgraph.security.incident: incident 404 was not found: GET /v1.0/security/incidents/404')


def test_on_missing_skip_leaves_the_id_out_silently(render, graph, warnings):
    assert render(Q % ", '404', on_missing='skip'") == []
    assert warnings == []


def test_on_missing_takes_only_its_choices(render, graph):
    with pytest.raises(AnsibleError, match='on_missing'):
        render(Q % ", '29', on_missing='ignore'")
    assert graph.options is None


def test_no_terms_lists_with_the_filter_options(render, graph, warnings):
    result = render(Q % ", status=['Active'], severity='high', max_items=2")
    assert ids(result) == ['31', '30']
    assert warnings == ['msgraph.security.incident: more incidents match than max_items=2; only the newest 2 are returned.']
    [listing] = graph.listings
    assert listing['path'] == '/security/incidents' and listing['max_items'] == 2
    assert listing['params'] == {'$top': 2, '$filter': "status eq 'active' and severity eq 'high'"}


def test_no_truncation_no_warning(render, graph, warnings):
    assert len(render(Q % '')) == 3
    assert warnings == []


@pytest.mark.parametrize('options, unknown', [
    (", severty=['high']", 'unknown option severty;'),
    (", max_item=5, onmissing='skip'", 'unknown options max_item, onmissing;'),
])
def test_a_misspelt_option_is_refused_naming_the_known_ones(render, graph, options, unknown):
    with pytest.raises(AnsibleError) as error:
        render(Q % options)
    assert 'msgraph.security.incident: ' + unknown in str(error.value)
    assert 'known options: ' in str(error.value) and 'severity' in str(error.value) and 'max_items' in str(error.value)
    assert graph.options is None and graph.listings == []  # nothing was asked of Graph


def test_an_invalid_id_is_refused_before_graph_is_asked(render, graph):
    with pytest.raises(AnsibleError, match=r"msgraph.security.incident: Invalid incident id '\.\./users'"):
        render(Q % ", '../users'")
    assert graph.gets == graph.batches == []


def test_connection_options_come_from_msgraph_variables_and_direct_options(render, graph):
    render(Q % ", '29', client_id='direct-client'", msgraph_tenant_id='tenant-from-vars',
           msgraph_client_id='client-from-vars', msgraph_timeout=7)
    assert graph.options.get('tenant_id') == 'tenant-from-vars'
    assert graph.options.get('client_id') == 'direct-client'  # a direct option beats the variable
    assert graph.options.get('timeout') == 7
