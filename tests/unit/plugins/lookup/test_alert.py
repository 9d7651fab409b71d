"""The alert lookup's own logic: terms read from alerts_v2, list-mode refusals, on_missing.

Rendered through a real Templar with the stand-in Graph client of conftest.py (it serves any item by id).
"""
import pytest

from ansible.errors import AnsibleError

Q = "query('msgraph.security.alert'%s)"


def test_ids_are_read_from_alerts_v2_in_one_batch_in_the_order_given(render, graph):
    assert [a['id'] for a in render(Q % ", '31', '29'")] == ['31', '29']
    assert graph.batches == [['/security/alerts_v2/31', '/security/alerts_v2/29']]


def test_one_id_is_one_get(render, graph):
    assert render("lookup('msgraph.security.alert', '30')")['id'] == '30'
    assert graph.gets == ['/security/alerts_v2/30']


def test_a_missing_alert_fails_naming_it_and_how_to_tolerate_it(render, graph):
    with pytest.raises(AnsibleError) as error:
        render(Q % ", '29', 'da404_-1'")
    assert '1 of 2 alerts were not found: da404_-1' in str(error.value)
    assert "on_missing='warn'" in str(error.value)


def test_on_missing_warn_leaves_the_id_out_with_a_warning(render, graph, warnings):
    assert [a['id'] for a in render(Q % ", '29', 'da404_-1', on_missing='warn'")] == ['29']
    assert len(warnings) == 1 and 'alert da404_-1 was not found' in warnings[0]


@pytest.mark.parametrize('options, message', [
    (", '29', status=['new']", r'would be ignored with alert ids \(terms\)'),
    (", incident_id='29', severity=['high']", 'incident_id reads the alerts of one incident'),
    (", status=['active']", 'status'),
])
def test_refused_options_send_nothing(render, graph, options, message):
    with pytest.raises(AnsibleError, match=message):
        render(Q % options)
    assert graph.gets == [] and graph.batches == [] and graph.listings == []
