"""The alerts_v2 reader against the emulator: Graph's $skip limit, its filters, the alerts of one incident."""
import pytest

from ansible_collections.msgraph.security.plugins.module_utils._core.errors import GraphApiError, OptionError
from ansible_collections.msgraph.security.plugins.module_utils._resources.alerts import ALERTS, AlertReader, build_filter

from ..emulator_client import connect, outer

READER = 'alert-reader'


def test_a_list_deeper_than_skip_500_follows_next_links_and_reads_every_alert(clean_emulator):
    client = connect(clean_emulator, READER)
    first = client.get(ALERTS.path, {'$top': 1, '$count': 'true'}, permission=ALERTS.read_permission)
    total = first['@odata.count']
    assert total > 550, 'the emulator needs more than 550 alerts'
    # Pages of 50: the last ones start past $skip=500, which Graph refuses (HTTP 400).
    items, truncated = client.get_all_pages(ALERTS.path, {'$top': 50}, None, ALERTS.items, ALERTS.read_permission,
                                            ALERTS.max_skip)
    assert len(items) == total and len(set(i['id'] for i in items)) == total and not truncated
    with pytest.raises(GraphApiError) as caught:
        client.get(ALERTS.path, {'$top': 50, '$skip': 550}, permission=ALERTS.read_permission)
    assert caught.value.status == 400


def test_a_list_of_pages_of_1000_whose_second_page_starts_past_skip_500_follows_next_links(clean_emulator):
    """1,200 alerts in pages of 1,000 (the reader's): the second page would be $skip=1000, which Graph refuses."""
    made = clean_emulator.create_alerts(1200, '300', {'severity': 'low'})
    reader = AlertReader(connect(clean_emulator, READER))
    alerts, truncated = reader.list(dict(filter='createdDateTime ge %s' % made[0]['createdDateTime']))
    assert sorted(a['id'] for a in alerts) == sorted(a['id'] for a in made) and not truncated
    pages = [r for r in clean_emulator.requests() if r['path'].endswith('/security/alerts_v2')]
    assert all(r['status'] == 200 for r in pages) and len(pages) == 2


def test_filters_reach_graph_and_narrow_the_list(clean_emulator):
    reader = AlertReader(connect(clean_emulator, READER))
    alerts, truncated = reader.list(dict(status=['new'], service_source=['MicrosoftDefenderForOffice365']))
    assert alerts and not truncated
    assert set((a['status'], a['serviceSource']) for a in alerts) == {('new', 'microsoftDefenderForOffice365')}


def test_the_alerts_of_an_incident_are_read_through_the_incident(clean_emulator):
    clean_emulator.clear_requests()
    alerts, truncated = AlertReader(connect(clean_emulator, READER)).list(dict(incident_id=2972395))
    assert [a['id'] for a in alerts] == [a['id'] for a in clean_emulator.incident('2972395')['alerts']]
    assert [r['path'] for r in outer(clean_emulator, '/security/')] == ['/v1.0/security/incidents/2972395']
    assert not truncated


def test_incident_id_with_a_filter_is_refused_before_anything_is_sent():
    with pytest.raises(OptionError, match='incident_id .* remove status'):
        AlertReader(None).list(dict(incident_id='29', status=['new']))


def test_build_filter_spells_members_as_graph_does():
    assert build_filter(dict(status=['New', 'inprogress'], severity=['HIGH'])) == (
        "(status eq 'new' or status eq 'inProgress') and severity eq 'high'")
    with pytest.raises(OptionError, match='service_source is empty'):
        build_filter(dict(service_source=' '))
