"""msgraph.security.alerts: main(queue, args) against the emulator (real MSAL, real HTTPS).

The alerts source runs on the incidents source's polling engine; these tests check what is the
alerts' own: their endpoint and filters, Graph's paging limits for alerts ($skip at most 500), the
event's shape, hostile alert text made inert, a restart from the state file, the permission named.
"""
import json
from urllib.parse import parse_qs

import pytest

from ansible_collections.msgraph.security.plugins.module_utils._core import msal_apps

from .source_runner import later, main_error, run_source, source_args

FAST = dict(interval=0.3)
TRACKED = ('severity', 'status', 'assignedTo', 'classification', 'determination')


@pytest.fixture
def graph(clean_emulator):
    msal_apps.clear()  # each test is a fresh ansible-rulebook process: no token left by an earlier one
    yield clean_emulator
    clean_emulator.reset()


def alerts_source(graph, scenario, app='alert-reader', timeout=60, **values):
    return run_source(source_args(graph, app, **dict(FAST, **values)), scenario, timeout=timeout, source='alerts')


def alert_pages(graph):
    """The query of every page of the alert list read (alone or inside $batch), in order."""
    return [dict((k, v[0]) for k, v in parse_qs(r['query']).items()) for r in graph.requests()
            if r['method'] == 'GET' and r['path'].endswith('/security/alerts_v2')]


def test_created_then_updated_alerts_give_one_event_each_with_graph_shape(graph):
    async def scenario(run):
        assert await run.quiet(0.8) == []  # the dataset predates the start
        new = await later(graph.create_alert, '300', {'severity': 'high', 'title': 'Suspicious PowerShell'})
        created = await run.events(1)
        await later(graph.update_alert, new['id'], {'status': 'inProgress', 'assignedTo': 'soc-tier2@contoso.com'})
        updated = await run.events(1)
        return new, created, updated, await run.quiet(1.0)

    new, created, updated, extra = alerts_source(graph, scenario)
    assert created == [{'alert': created[0]['alert'], 'change': 'created',
                        'changed': dict((field, {'after': new.get(field)}) for field in TRACKED)}]
    alert = created[0]['alert']
    assert (alert['id'], alert['incidentId'], alert['title']) == (new['id'], '300', 'Suspicious PowerShell')
    assert alert['lastUpdateDateTime'] == new['lastUpdateDateTime'] and alert['evidence']  # evidence as Graph sends it
    assert [(e['alert']['id'], e['change']) for e in updated] == [(new['id'], 'updated')]
    assert updated[0]['changed'] == {'status': {'before': 'new', 'after': 'inProgress'},
                                     'assignedTo': {'before': new['assignedTo'], 'after': 'soc-tier2@contoso.com'}}
    assert extra == []


def test_filters_and_created_only(graph):
    async def scenario(run):
        await run.quiet(0.5)
        low = await later(graph.create_alert, '300', {'severity': 'low'})
        other = await later(graph.create_alert, '300', {'severity': 'high', 'serviceSource': 'microsoftDefenderForOffice365'})
        wanted = await later(graph.create_alert, '300', {'severity': 'high'})
        got = await run.events(1)
        await later(graph.update_alert, wanted['id'], {'status': 'resolved'})  # an update: not a creation
        return low, other, wanted, got, await run.quiet(1.5)

    low, other, wanted, got, extra = alerts_source(graph, scenario, severity=['High'], changes='created',
                                                   service_source='microsoftDefenderForEndpoint')
    assert [e['alert']['id'] for e in got] == [wanted['id']] and extra == []
    sent = alert_pages(graph)[-1]['$filter']
    assert "severity eq 'high'" in sent and "serviceSource eq 'microsoftDefenderForEndpoint'" in sent
    assert 'createdDateTime ge ' in sent


def test_a_burst_past_graphs_skip_limit_is_delivered_once_each(graph):
    """2,100 alerts in one interval: $top 1000, and pages past $skip=500 through their nextLink."""
    async def scenario(run):
        await run.quiet(0.5)
        made = await later(graph.create_alerts, 2100, '300', {'severity': 'medium'})
        got = await run.events(len(made), timeout=90)
        return made, got, await run.quiet(1.5)

    made, got, extra = alerts_source(graph, scenario, timeout=150, interval=2)
    assert sorted(e['alert']['id'] for e in got) == sorted(a['id'] for a in made) and extra == []
    pages = alert_pages(graph)
    assert any('$skiptoken' in page for page in pages), pages  # past $skip=500: Graph's nextLink
    assert max(int(page.get('$skip', 0)) for page in pages) <= 500 and max(int(page['$top']) for page in pages) <= 1000


def test_hostile_alert_text_is_inert_in_the_event(graph):
    title = "Invoice {{ lookup('pipe', 'id') }}"
    command = 'powershell -enc {% raw %}x{# c #}'

    async def scenario(run):
        await run.quiet(0.5)
        new = await later(graph.create_alert, '300', {'title': title, 'evidence': [{
            '@odata.type': '#microsoft.graph.security.processEvidence', 'processCommandLine': command,
            'remediationStatus': 'none', 'verdict': 'suspicious', 'roles': [], 'tags': []}]})
        return new, await run.events(1)

    new, got = alerts_source(graph, scenario)
    alert = got[0]['alert']
    assert alert['title'] == "Invoice \uff5b{ lookup('pipe', 'id') }}"
    assert alert['evidence'][0]['processCommandLine'] == 'powershell -enc \uff5b% raw %}x\uff5b# c #}'
    assert '{{' not in json.dumps(got) and '{%' not in json.dumps(got)


def test_a_restart_resumes_from_the_state_file(graph, tmp_path):
    state_file = str(tmp_path / 'alerts.json')

    async def first(run):
        await run.quiet(0.5)
        made = await later(graph.create_alert, '300')
        return made, await run.events(1)

    async def second(run):
        return await run.events(1), await run.quiet(1.0)

    made, got = alerts_source(graph, first, state_file=state_file, replay=0)
    later_one = graph.create_alert('300', {'title': 'while stopped'})
    msal_apps.clear()
    again, extra = alerts_source(graph, second, state_file=state_file, replay=0)
    assert [e['alert']['id'] for e in got] == [made['id']]
    assert [e['alert']['id'] for e in again] == [later_one['id']] and extra == []
    saved = json.loads(open(state_file).read())
    assert saved['checkpoint'] == later_one['lastUpdateDateTime']


def test_an_incidents_state_file_is_refused(graph, tmp_path):
    state_file = str(tmp_path / 'checkpoint.json')

    async def incidents(run):
        await run.quiet(0.5)

    run_source(source_args(graph, 'alert-reader', state_file=state_file, **FAST), incidents)
    error = main_error(source_args(graph, 'alert-reader', state_file=state_file), source='alerts')
    assert 'state_file' in str(error) and type(error).__name__ == 'OptionError'


def test_an_app_without_the_alert_permission_stops_at_once_naming_it(graph):
    error = main_error(source_args(graph, 'reader-secret', **FAST), source='alerts')
    assert 'SecurityAlert.Read.All' in str(error) and '403' in str(error), error
    assert graph.env('reader-secret')['AZURE_CLIENT_SECRET'] not in str(error)
