"""The check logic of connection_info, with a stand-in Graph client (the real runs are in
tests/integration/test_connection_info.py)."""
import pytest

from ansible_collections.msgraph.security.plugins.module_utils._core.auth import MissingLibraryError
from ansible_collections.msgraph.security.plugins.module_utils._core.connection_check import check_connection as check_with
from ansible_collections.msgraph.security.plugins.module_utils._core.errors import (
    AuthenticationError,
    ForbiddenError,
    GraphApiError,
    OptionError,
    UnauthorizedError,
)
from ansible_collections.msgraph.security.plugins.module_utils._core.settings import Settings
from ansible_collections.msgraph.security.plugins.module_utils._resources.capabilities import CAPABILITIES

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


# The engine is tested on the incident row alone; later rows are tested by test_a_later_row_is_probed_under_its_own_names.
INCIDENT_ROW = CAPABILITIES[:1]


def check_connection(client):
    return check_with(client, INCIDENT_ROW)


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
    assert result['token'] == dict(audience=None, tenant_id=None, app_id=None, roles=None, scopes=None, expires_on=None,
                                   expired=None)
    assert dict(oks(result))['audience'] is None and dict(oks(result))['permissions'] is None
    assert result['can_read'] is True and result['can_write'] is None
    assert 'whether it may change them cannot be read from this token' in result['summary']
    assert 'opaque' not in repr(result)


def delegated_token(scopes, exp=1798761600):
    return jwt({'aud': 'https://graph.microsoft.com', 'tid': 'tenant-1', 'appid': 'app-1', 'idtyp': 'user',
                'scp': ' '.join(scopes), 'exp': exp})


def test_delegated_write_scope_can_write():
    result = check_connection(Client(delegated_token(['User.Read', WRITE])))
    assert result['token']['roles'] == [] and result['token']['scopes'] == ['User.Read', WRITE]
    assert result['can_write'] is True and result['capabilities'] == {'incidents': dict(can_read=True, can_write=True)}
    assert dict(oks(result))['permissions'] is True
    assert 'The token carries %s (delegated).' % WRITE in result['checks'][2]['detail']
    assert 'can read and change incidents' in result['summary']


def test_delegated_read_scope_reads_only():
    result = check_connection(Client(delegated_token([READ])))
    assert result['can_write'] is False and 'modules that write need %s' % WRITE in result['checks'][2]['detail']


def test_delegated_token_without_an_incident_scope_is_told_what_to_grant():
    result = check_connection(Client(delegated_token(['User.Read'])))
    assert dict(oks(result))['permissions'] is False
    assert result['checks'][2]['detail'].startswith('The token carries only User.Read.')


def test_expired_token_says_expired():
    client = Client(delegated_token([READ], exp=1600000000), method='access_token',
                    get={'read': UnauthorizedError('GET failed: HTTP 401', status=401)})
    result = check_connection(client)
    token = result['checks'][0]
    assert token['ok'] is False and 'valid until' not in token['detail']
    assert 'which expired at 2020-09-13T12:26:40Z' in token['detail'] and 'give a new access_token' in token['detail']
    assert result['token']['expired'] is True and result['can_read'] is False
    assert result['checks'][3]['detail'] == 'GET failed: HTTP 401 The token has expired (see the token check).'
    assert result['summary'].startswith('NOT READY: incidents cannot be read. The token check failed: Using the access_token')


def test_a_later_row_is_probed_under_its_own_names():
    from ansible_collections.msgraph.security.plugins.module_utils._core.capability import capability
    alerts = capability('alerts', 'alert', 'alerts', '/security/alerts_v2', 'SecurityAlert.Read.All',
                        'SecurityAlert.ReadWrite.All', 'Microsoft Defender XDR', probes=('read', 'count'))
    client = Client(token_for([READ]), get={'read': ForbiddenError('GET failed: HTTP 403', status=403)})
    result = check_with(client, INCIDENT_ROW + (alerts,))
    names = [check['name'] for check in result['checks']]
    assert names == ['token', 'audience', 'permissions', 'read', 'count', 'batch', 'evolvable_enums',
                     'alerts_read', 'alerts_count']
    assert result['capabilities']['alerts'] == dict(can_read=False, can_write=False)
    assert dict(oks(result))['alerts_count'] is None and result['checks'][-1]['detail'] == 'Needs the alerts_read check to pass.'
    assert 'Alerts cannot be read: that needs SecurityAlert.Read.All.' in result['checks'][2]['detail']


def test_a_row_must_start_with_read():
    from ansible_collections.msgraph.security.plugins.module_utils._core.capability import capability
    with pytest.raises(ValueError, match='probes must start with read'):
        capability('x', 'x', 'xs', '/x', 'R', 'W', 'P', probes=('count',))
