"""More than one API per connection: Graph and the Defender for Endpoint API with one set of
credentials and one MSAL application, a token per audience, each reused and renewed on its own.

The emulator's Graph refuses any token that is not for Graph, and its Defender API any token
that is not for Defender (both 401), so a request that succeeds proves it carried its own API's
token."""
import pytest

from ansible_collections.msgraph.security.plugins.module_utils._core.errors import MsGraphError, OptionError

from ..emulator_client import connect, outer

GRAPH_AUDIENCE = 'https://graph.microsoft.com'
DEFENDER_AUDIENCE = 'https://api.securitycenter.microsoft.com'
INCIDENTS = '/security/incidents'


def token_requests(emulator):
    return outer(emulator, '/oauth2/v2.0/token')


def both(emulator, app='reader-secret', **values):
    graph = connect(emulator, app, defender_url=emulator.url, **values)
    return graph, graph.api('defender')


@pytest.mark.parametrize('app', ['reader-secret', 'reader-cert'])
def test_one_client_talks_to_two_apis_with_a_token_each_and_two_token_requests_in_all(clean_emulator, app):
    graph, defender = both(clean_emulator, app)
    for dummy in range(3):
        assert graph.get(INCIDENTS, {'$top': 1})['value']
        assert defender.get('/machines')['value'][0]['computerDnsName']
    asked = token_requests(clean_emulator)
    assert sorted(r['resource'] for r in asked) == [DEFENDER_AUDIENCE, GRAPH_AUDIENCE]
    # Each API was reached under its own root: Graph's version path, Defender's /api.
    paths = [r['path'] for r in clean_emulator.requests() if r['path'].startswith(('/v1.0/', '/api/'))]
    assert paths == ['/v1.0/security/incidents', '/api/machines'] * 3


def test_one_msal_application_serves_both_apis(clean_emulator):
    graph, defender = both(clean_emulator)
    graph.get(INCIDENTS, {'$top': 1})
    defender.get('/machines')
    assert defender.auth is graph.auth and defender.session is graph.session
    assert len(outer(clean_emulator, 'openid-configuration')) == 1


def test_a_401_renews_only_the_token_of_the_api_that_refused_it(clean_emulator):
    graph, defender = both(clean_emulator)
    graph.get(INCIDENTS, {'$top': 1})
    defender.get('/machines')
    clean_emulator.set_faults({'rules': [{'path_regex': '^/api/machines$', 'status': 401, 'count': 1}]})
    assert defender.get('/machines')['value']
    graph.get(INCIDENTS, {'$top': 1})
    asked = [r['resource'] for r in token_requests(clean_emulator)]
    # The renewal asked for a Defender token only; Graph's token was kept.
    assert sorted(asked[:2]) == [DEFENDER_AUDIENCE, GRAPH_AUDIENCE] and asked[2:] == [DEFENDER_AUDIENCE]


def test_defender_url_changes_where_requests_go_never_the_audience(clean_emulator):
    graph, defender = both(clean_emulator, token_audience='https://graph.microsoft.com/.default')
    assert defender.endpoint.api_root == clean_emulator.url + '/api'
    assert defender.endpoint.audience == DEFENDER_AUDIENCE
    defender.get('/machines')
    assert [r['resource'] for r in token_requests(clean_emulator)] == [DEFENDER_AUDIENCE]


def test_a_ready_graph_token_is_never_sent_to_defender(clean_emulator):
    graph, defender = both(clean_emulator, access_token=clean_emulator.env('reader-secret').get(
        'MSGRAPH_ACCESS_TOKEN', 'eyJ0eXAi.a-graph-token.sig'))
    with pytest.raises(OptionError, match=r'access_token \(MSGRAPH_ACCESS_TOKEN\) is a Microsoft Graph token'):
        defender.get('/machines')
    assert clean_emulator.requests() == []


def test_a_bad_defender_url_is_refused_before_anything_is_sent(clean_emulator):
    with pytest.raises(OptionError, match=r'defender_url=http://api\.security\.microsoft\.com must be'):
        connect(clean_emulator, defender_url='http://api.security.microsoft.com')
    assert clean_emulator.requests() == []


def test_an_unknown_api_name_is_an_error_not_a_traceback(clean_emulator):
    with pytest.raises(MsGraphError, match='No API named hunting; known: defender, graph'):
        connect(clean_emulator).api('hunting')


def test_a_redirect_from_defender_names_defender_url(clean_emulator):
    clean_emulator.set_faults({'rules': [{'path_regex': '^/api/machines$', 'status': 302, 'count': 1}]})
    with pytest.raises(MsGraphError, match=r'redirects are not followed.*defender_url may name the wrong host'):
        both(clean_emulator)[1].get('/machines')
    assert len([r for r in clean_emulator.requests() if r['path'] == '/api/machines']) == 1


def test_a_managed_identity_gets_a_token_per_api_too(clean_emulator, monkeypatch):
    for name, value in clean_emulator.env('managed-identity').items():
        if name.startswith('IDENTITY_'):
            monkeypatch.setenv(name, value)
    graph, defender = both(clean_emulator, 'managed-identity', managed_identity=True)
    for dummy in range(2):
        graph.get(INCIDENTS, {'$top': 1})
        defender.get('/machines')
    assert sorted(r['resource'] for r in outer(clean_emulator, '/msi/token')) == [DEFENDER_AUDIENCE, GRAPH_AUDIENCE]


def test_a_defender_refusal_explains_itself_in_defender_terms(clean_emulator):
    clean_emulator.set_faults({'rules': [{'path_regex': '^/api/machines$', 'status': 403}]})
    with pytest.raises(MsGraphError) as caught:
        both(clean_emulator)[1].get('/machines', permission='Machine.Read.All')
    assert 'WindowsDefenderATP application permission Machine.Read.All' in str(caught.value)
    assert 'Microsoft Graph' not in str(caught.value)


def test_a_defender_token_refused_twice_gets_the_defender_hint(clean_emulator):
    clean_emulator.set_faults({'rules': [{'path_regex': '^/api/machines$', 'status': 401}]})
    with pytest.raises(MsGraphError, match='The Defender for Endpoint API did not accept the access token'):
        both(clean_emulator)[1].get('/machines')
