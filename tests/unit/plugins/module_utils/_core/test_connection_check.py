"""The check logic of connection_info, with a stand-in Graph client (the real runs are in
tests/integration/test_connection_info.py)."""
import pytest

from ansible_collections.msgraph.security.plugins.module_utils._core.auth import MissingLibraryError
from ansible_collections.msgraph.security.plugins.module_utils._core.connection_check import check_connection
from ansible_collections.msgraph.security.plugins.module_utils._core.errors import (
    AuthenticationError,
    ForbiddenError,
    GraphApiError,
    OptionError,
)
from ansible_collections.msgraph.security.plugins.module_utils._core.settings import Settings

from ..option_values import options
from .test_token_claims import jwt

READ, WRITE = 'SecurityIncident.Read.All', 'SecurityIncident.ReadWrite.All'


class Auth:
    def __init__(self, method, token):
        self.method, self._token = method, token

    def token(self):
        if isinstance(self._token, Exception):
            raise self._token
        return self._token


class Client:
    """Answers every GET with one incident and @odata.count unless told otherwise."""

    def __init__(self, token, method='client_secret', get=None, batch=None, **settings):
        self.settings = Settings(options(**settings))
        self.auth = Auth(method, token)
        self.calls = []
        self._get, self._batch = get or {}, batch

    def get(self, path, params=None, permission=None):
        self.calls.append(('GET', params))
        name = 'enums' if '$filter' in params else 'count' if '$count' in params else 'read'
        answer = self._get.get(name, {'value': [{'id': '1'}], '@odata.count': 1})
        if isinstance(answer, Exception):
            raise answer
        return answer

    def batch(self, requests):
        self.calls.append(('BATCH', [r.path for r in requests]))
        return [self._batch or {'value': []}]


def token_for(roles, aud='https://graph.microsoft.com'):
    return jwt({'aud': aud, 'tid': 'tenant-1', 'appid': 'app-1', 'roles': roles, 'exp': 1798761600})


def oks(result):
    return [(check['name'], check['ok']) for check in result['checks']]


def test_reader_passes_every_check_with_one_request_each():
    client = Client(token_for([READ]))
    result = check_connection(client)
    assert all(ok for dummy, ok in oks(result)) and len(result['checks']) == 7
    assert result['can_read'] is True and result['can_write'] is False
    assert result['token']['roles'] == [READ] and result['auth_method'] == 'client_secret'
    assert [call[0] for call in client.calls] == ['GET', 'GET', 'BATCH', 'GET']
    assert result['summary'].startswith('READY: app app-1 in tenant tenant-1 can read incidents, but not change')


def test_writer_can_write():
    result = check_connection(Client(token_for([WRITE])))
    assert result['can_write'] is True and 'can read and change incidents' in result['summary']


def test_no_token_skips_everything_else():
    error = AuthenticationError('Token request to https://login.microsoftonline.com failed: invalid_client: AADSTS7000215')
    result = check_connection(Client(error))
    skipped = ('audience', 'permissions', 'read', 'count', 'batch', 'evolvable_enums')
    assert oks(result) == [('token', False)] + [(name, None) for name in skipped]
    assert result['token']['audience'] is None and result['can_read'] is False and result['can_write'] is None
    assert result['summary'] == 'NOT READY: incidents cannot be read. The token check failed: ' + str(error)


@pytest.mark.parametrize('error', [OptionError('client_certificate_path=x cannot be read'),
                                   MissingLibraryError('msal', 'tb')])
def test_bad_input_is_raised_not_reported(error):
    with pytest.raises(type(error)):
        check_connection(Client(error))


def test_forbidden_with_the_role_in_the_token_points_past_the_permission():
    result = check_connection(Client(token_for([READ]), get={'read': ForbiddenError('GET failed: HTTP 403', status=403)}))
    read = result['checks'][3]
    assert read['ok'] is False and 'Microsoft Defender XDR license' in read['detail']
    assert [ok for dummy, ok in oks(result)][4:] == [None, None, None]


def test_token_of_another_cloud_names_that_cloud():
    result = check_connection(Client(token_for([READ], aud='https://graph.microsoft.us')))
    audience = result['checks'][1]
    assert audience['ok'] is False
    assert 'the Graph of cloud=usgov; set cloud=usgov (MSGRAPH_CLOUD)' in audience['detail']
    assert result['can_read'] is True and 'Warnings: audience: ' in result['summary']


def test_graph_app_id_is_a_graph_audience():
    result = check_connection(Client(token_for([READ], aud='00000003-0000-0000-c000-000000000000')))
    assert result['checks'][1]['ok'] is True


def test_given_token_of_another_api():
    result = check_connection(Client(token_for([], aud='api://something'), method='access_token'))
    assert 'Acquire the token for https://graph.microsoft.com/.default' in result['checks'][1]['detail']


def test_count_and_batch_failures_are_reported_not_raised():
    inner = GraphApiError('GET /v1.0/security/incidents?$top=1 (in $batch) failed: HTTP 400', status=400)
    result = check_connection(Client(token_for([READ]), get={'count': {'value': []}}, batch=inner))
    assert dict(oks(result))['count'] is False and 'without @odata.count' in result['checks'][4]['detail']
    assert dict(oks(result))['batch'] is False and result['checks'][5]['detail'].startswith('GET /v1.0/')
    assert dict(oks(result))['evolvable_enums'] is True and result['can_read'] is True


def test_opaque_token_leaves_claims_unknown():
    result = check_connection(Client('opaque', method='access_token'))
    assert result['token'] == dict(audience=None, tenant_id=None, app_id=None, roles=None, expires_on=None)
    assert dict(oks(result))['audience'] is None and dict(oks(result))['permissions'] is None
    assert result['can_read'] is True and result['can_write'] is None
    assert 'whether it may change them cannot be read from this token' in result['summary']
    assert 'opaque' not in repr(result)
