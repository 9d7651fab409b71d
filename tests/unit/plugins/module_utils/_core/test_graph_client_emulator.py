"""The shared client against the emulator: real MSAL, real HTTPS with certificate checks.

These drive GraphClient directly (no Ansible process), so each fault is cheap to provoke.
"""
import pytest

from ansible_collections.msgraph.security.plugins.module_utils._core.errors import GraphApiError, MsGraphError
from ansible_collections.msgraph.security.plugins.module_utils._core.graph_client import GraphClient
from ansible_collections.msgraph.security.plugins.module_utils._resources.incidents import IncidentReader

from ..emulator_client import outer, reader
from ..option_values import options


@pytest.fixture
def graph(clean_emulator):
    return clean_emulator


def test_list_reads_every_page_without_duplicates_in_two_round_trips(graph):
    expected = graph.incident_ids()
    assert len(expected) > 20 * 50 // 4  # several pages
    incidents, truncated = reader(graph).list(options())
    assert [i['id'] for i in incidents] == expected and not truncated
    # The first page says the $count; the other pages come together in one $batch.
    assert [r['method'] for r in graph.requests() if not r['in_batch'] and '/oauth2/' not in r['path']
            and 'openid' not in r['path']] == ['GET', 'POST']
    pages = [r['query'] for r in graph.requests() if r['in_batch']]
    assert len(pages) == -(-len(expected) // 50) - 1


def test_list_with_a_filter_pages_the_filtered_set(graph):
    expected = graph.incident_ids("status eq 'active'")
    incidents, truncated = reader(graph).list(options(status=['active']))
    assert [i['id'] for i in incidents] == expected and not truncated


def test_max_items_bounds_the_pages_read_and_says_truncated(graph):
    incidents, truncated = reader(graph).list(options(max_items=60))
    assert [i['id'] for i in incidents] == graph.incident_ids()[:60] and truncated
    assert len([r for r in graph.requests() if r['in_batch']]) == 1


def test_a_page_without_value_fails_the_whole_list(graph):
    graph.set_faults({'rules': [{'path_regex': '/security/incidents$', 'query_regex': r'\$skip=100',
                                 'in_batch': True, 'status': 200, 'body': 'not_graph_json'}]})
    with pytest.raises(MsGraphError, match='without a "value" list'):
        reader(graph).list(options())


class ShiftingPages(GraphClient):
    """Pages as Graph serves them when two incidents arrive between the first page and the rest."""

    def __init__(self):
        pass

    def get(self, path_or_url, params=None, permission=None):
        return {'@odata.count': 120, '@odata.nextLink': 'next', 'value': [{'id': str(n)} for n in range(50)]}

    def get_batch(self, paths, permission=None):
        return dict((path, {'value': [{'id': str(n)} for n in range(48 + 50 * i, min(120, 98 + 50 * i))]})
                    for i, path in enumerate(paths))


def test_pages_that_shift_while_listing_are_detected():
    with pytest.raises(MsGraphError, match='changed while they were being listed'):
        ShiftingPages().get_all_pages('/security/incidents', {'$top': 50})


def inner_attempts(emulator, incident_id):
    """The emulator's log entries of one incident's inner $batch requests, in arrival order."""
    return [r for r in emulator.requests() if r['in_batch'] and r['path'].endswith('/incidents/' + incident_id)]


def test_batch_resends_only_the_throttled_inner_requests(graph):
    ids = graph.incident_ids()[:45]
    throttled = ids[3]
    graph.set_faults({'rules': [{'path_regex': '/security/incidents/%s$' % throttled, 'in_batch': True,
                                 'count': 2, 'status': 429, 'retry_after': 2}]})
    results = reader(graph).read_ids(ids)
    assert [i for i, incident in results] == ids
    assert all(incident['id'] == i for i, incident in results)
    inner = [r['path'].rsplit('/', 1)[1] for r in graph.requests() if r['in_batch']]
    assert inner.count(throttled) == 3 and all(inner.count(i) == 1 for i in ids if i != throttled)
    assert len(outer(graph, '$batch')) == 3 + 2
    # Each resend waited the inner Retry-After (2 s), read from when the emulator saw the
    # attempts: backoff alone would have waited 0.5 to 1.5 s.
    arrivals = [r['arrived'] for r in inner_attempts(graph, throttled)]
    assert [later - earlier >= 2 for earlier, later in zip(arrivals, arrivals[1:])] == [True, True], arrivals


def test_batch_asks_for_evolvable_enums_in_every_inner_request(graph):
    results = dict(reader(graph).read_ids(['2972395', graph.known['awaitingAction']]))
    assert results[graph.known['awaitingAction']]['status'] == 'awaitingAction'
    assert all(r['prefer'] == 'include-unknown-enum-members' for r in graph.requests() if r['in_batch'])


def test_entra_id_outage_is_explained(graph):
    graph.set_faults({'rules': [{'path_regex': '/oauth2/v2.0/token$', 'status': 503, 'body': 'aad'}]})
    with pytest.raises(MsGraphError, match='Token request to .* failed'):
        reader(graph, max_retries=1, max_retry_wait=5).read_ids(['29'])


def test_throttling_that_outlasts_the_retries_fails_with_the_request_id(graph):
    ids = graph.incident_ids()[:3]
    graph.set_faults({'rules': [{'path_regex': '/security/incidents/%s$' % ids[1], 'in_batch': True,
                                 'status': 429, 'retry_after': 0}]})
    with pytest.raises(GraphApiError) as error:
        reader(graph, max_retries=2).read_ids(ids)
    assert 'HTTP 429' in str(error.value) and '(in $batch)' in str(error.value)
    assert len(inner_attempts(graph, ids[1])) == 1 + 2  # the first try and max_retries resends, no more
    assert 'request-id: ' in str(error.value) and 'request-id: none' not in str(error.value)


@pytest.mark.parametrize('status', [429, 502, 503, 504])
def test_transient_errors_are_retried(graph, status):
    graph.set_faults({'rules': [{'path_regex': '/security/incidents/2972395$', 'count': 1, 'status': status,
                                 'retry_after': 0}]})
    assert reader(graph).read_ids(['2972395'])[0][1]['id'] == '2972395'
    assert [r['status'] for r in outer(graph, '/security/incidents/')] == [status, 200]


def test_retry_after_longer_than_the_budget_fails_at_once(graph):
    graph.set_faults({'rules': [{'path_regex': '/security/incidents', 'status': 429, 'retry_after': 120}]})
    with pytest.raises(MsGraphError, match=r'retry after 120s .*max_retry_wait'):
        reader(graph, max_retry_wait=10).list(options())
    assert len(outer(graph, '/security/incidents')) == 1  # given up at once, not after waiting


@pytest.mark.parametrize('body', ['html', 'truncated', 'empty'])
def test_a_page_that_is_not_json_fails_clearly(graph, body):
    graph.set_faults({'rules': [{'path_regex': '/security/incidents$', 'count': 1, 'status': 200, 'body': body}]})
    with pytest.raises(MsGraphError, match='not a JSON object'):
        reader(graph).list(options())


def test_an_error_body_that_is_not_graph_shaped_keeps_the_status(graph):
    graph.set_faults({'rules': [{'path_regex': '/security/incidents/29$', 'status': 500, 'body': 'not_graph_json'}]})
    with pytest.raises(GraphApiError, match='HTTP 500 with a body that is not a Graph error'):
        reader(graph).read_ids(['29'])


def test_interrupted_paging_returns_nothing(graph):
    """The second page fails: the whole read fails, no partial list comes back."""
    graph.set_faults({'rules': [{'path_regex': '/security/incidents$', 'query_regex': r'\$skip=50', 'status': 500}]})
    with pytest.raises(GraphApiError, match=r'HTTP 500.*\(in \$batch\)|\(in \$batch\) failed: HTTP 500'):
        reader(graph, max_retries=0).list(options())


def test_next_link_to_another_host_is_refused():
    client = GraphClient.from_options(options(access_token='t', graph_url='https://graph.example.test'))
    for link in ('https://evil.example.test/v1.0/security/incidents?$skip=50',
                 'http://graph.example.test/v1.0/security/incidents?$skip=50',
                 'https://graph.example.test:444/v1.0/security/incidents',
                 'https://graph.example.test/beta/security/incidents',
                 'https://graph.example.test.evil.test/v1.0/security/incidents'):
        with pytest.raises(MsGraphError, match='Refusing to follow @odata.nextLink'):
            client.get(link)


def test_expired_token_is_renewed_once(graph):
    client = reader(graph)
    assert client.read_ids(['29'])[0][1]['id'] == '29'
    graph.expire_tokens()
    assert client.read_ids(['29'])[0][1]['id'] == '29'
    assert [r['status'] for r in graph.requests() if r['path'].endswith('/token')] == [200, 200]
    assert [r['status'] for r in outer(graph, '/security/incidents/29')] == [200, 401, 200]


def test_a_second_401_after_renewal_fails_clearly(graph):
    graph.set_faults({'rules': [{'path_regex': '/security/incidents/29$', 'status': 401}]})
    with pytest.raises(GraphApiError, match='HTTP 401 .*check that it was issued'):
        reader(graph).read_ids(['29'])
    assert len([r for r in graph.requests() if r['path'].endswith('/token')]) == 2
    assert len(outer(graph, '/security/incidents/29')) == 2


def test_a_bad_static_token_fails_after_one_try(graph):
    with pytest.raises(GraphApiError, match='HTTP 401 InvalidAuthenticationToken.*check that it was issued'):
        IncidentReader(GraphClient.from_options(options(
            access_token='not-a-token', graph_url=graph.url, ca_path=graph.ca_path))).read_ids(['29'])
    assert len(outer(graph, '/security/incidents/29')) == 1


def test_certificate_with_password(graph):
    app = graph.apps['reader-cert']
    client = reader(graph, 'reader-cert', client_certificate_path=app['protected_certificate_path'],
                    client_certificate_password=app['certificate_password'])
    assert client.read_ids(['2972395'])[0][1]['severity'] == 'medium'


@pytest.mark.parametrize('identity', ['managed-identity', 'managed-identity-user'])
def test_managed_identity(graph, monkeypatch, identity):
    env = graph.env(identity)
    monkeypatch.setenv('IDENTITY_ENDPOINT', env['IDENTITY_ENDPOINT'])
    monkeypatch.setenv('IDENTITY_HEADER', env['IDENTITY_HEADER'])
    client = IncidentReader(GraphClient.from_options(options(
        managed_identity=True, client_id=env.get('AZURE_CLIENT_ID'), graph_url=graph.url, ca_path=graph.ca_path)))
    assert client.read_ids(['29'])[0][1]['id'] == '29'
    msi = [r for r in graph.requests() if r['path'] == '/msi/token']
    assert len(msi) == 1 and (('client_id=' in msi[0]['query']) == (identity == 'managed-identity-user'))


def test_wrong_secret_is_explained_and_not_echoed(graph):
    with pytest.raises(MsGraphError) as error:
        reader(graph, client_secret='wrong-secret-value-123').read_ids(['29'])
    assert 'invalid_client' in str(error.value) and 'AADSTS7000215' in str(error.value)
    assert 'wrong-secret-value-123' not in str(error.value)


def test_unknown_tenant_is_explained(graph):
    with pytest.raises(MsGraphError, match='Token request to .* failed'):
        reader(graph, tenant_id='00000000-0000-0000-0000-00000000dead').read_ids(['29'])


def test_untrusted_certificate_points_to_ca_path(graph):
    with pytest.raises(MsGraphError, match='could not be verified.*set ca_path.*validate_certs=false'):
        reader(graph, ca_path=None).read_ids(['29'])


def test_ca_path_wins_over_requests_ca_bundle(graph, monkeypatch):
    import certifi
    monkeypatch.setenv('REQUESTS_CA_BUNDLE', certifi.where())
    assert reader(graph).read_ids(['29'])[0][1]['id'] == '29'


def test_connection_refused_and_read_timeout(graph):
    with pytest.raises(MsGraphError, match='could not connect'):
        IncidentReader(GraphClient.from_options(options(
            access_token='t', graph_url='https://127.0.0.1:9', max_retries=0))).read_ids(['29'])
    graph.set_faults({'rules': [{'path_regex': '/security/incidents/29$', 'status': 200, 'delay_ms': 3000}]})
    with pytest.raises(MsGraphError, match='no answer within the timeout'):
        reader(graph, timeout=1, max_retries=0).read_ids(['29'])


def test_managed_identity_token_refused_by_graph_is_renewed_once(graph, monkeypatch):
    # ManagedIdentityClient cannot drop a cached token: renewal must not send the refused one again.
    env = graph.env('managed-identity')
    monkeypatch.setenv('IDENTITY_ENDPOINT', env['IDENTITY_ENDPOINT'])
    monkeypatch.setenv('IDENTITY_HEADER', env['IDENTITY_HEADER'])
    client = IncidentReader(GraphClient.from_options(options(
        managed_identity=True, graph_url=graph.url, ca_path=graph.ca_path)))
    assert client.read_ids(['29'])[0][1]['id'] == '29'
    graph.expire_tokens()
    assert client.read_ids(['29'])[0][1]['id'] == '29'
    assert len([r for r in graph.requests() if r['path'] == '/msi/token']) == 2
    assert [r['status'] for r in outer(graph, '/security/incidents/29')] == [200, 401, 200]
