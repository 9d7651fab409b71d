"""Reading an access token's claims for display: never verified, never failing, null when unreadable."""
import base64
import json

import pytest

from ansible_collections.msgraph.security.plugins.module_utils._core.token_claims import NO_CLAIMS, read_claims


def segment(data):
    raw = data if isinstance(data, bytes) else json.dumps(data).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b'=').decode()


def jwt(payload):
    return '%s.%s.%s' % (segment({'alg': 'RS256', 'typ': 'JWT'}), segment(payload), 'c2lnbmF0dXJl')


def test_v1_app_token_claims():
    claims = read_claims(jwt({'aud': 'https://graph.microsoft.com', 'tid': 'tenant', 'appid': 'app',
                              'roles': ['SecurityIncident.Read.All'], 'exp': 1798761600}), now=1798761599)
    assert claims == dict(audience='https://graph.microsoft.com', tenant_id='tenant', app_id='app',
                          roles=['SecurityIncident.Read.All'], scopes=[], expires_on='2027-01-01T00:00:00Z',
                          expired=False)


def test_v2_token_names_the_app_azp_and_no_roles_means_none_granted():
    claims = read_claims(jwt({'aud': '00000003-0000-0000-c000-000000000000', 'azp': 'app2', 'exp': 0}))
    assert claims['app_id'] == 'app2' and claims['roles'] == [] and claims['expires_on'] == '1970-01-01T00:00:00Z'


def test_padding_is_restored():
    # Payload lengths that need one and two '=' of padding must both decode.
    for filler in ('', 'x', 'xy'):
        assert read_claims(jwt({'aud': 'a', 'f': filler}))['audience'] == 'a'


@pytest.mark.parametrize('token', [
    None, '', 'opaque-token', 'a.b', 'a.b.c.d.e',  # not a JWS (a JWE has five parts)
    'x.%s.y' % segment(b'not json'), 'x.%s.y' % segment([1, 2]), 'x.!!!.y', 'x.%s.y' % segment(b'\xff\xfe'),
])
def test_unreadable_tokens_give_nulls(token):
    assert read_claims(token) == NO_CLAIMS


@pytest.mark.parametrize('exp', ['soon', True, 10 ** 20, None])
def test_odd_claim_values_are_not_trusted(exp):
    claims = read_claims(jwt({'aud': ['a', 'b'], 'roles': 'SecurityIncident.Read.All', 'exp': exp}))
    assert claims['audience'] is None and claims['roles'] == [] and claims['expires_on'] is None


def test_delegated_token_carries_its_scopes_in_scp():
    claims = read_claims(jwt({'aud': 'https://graph.microsoft.com', 'appid': 'app', 'idtyp': 'user',
                              'scp': 'SecurityIncident.ReadWrite.All  User.Read', 'exp': 1798761600}))
    assert claims['roles'] == [] and claims['scopes'] == ['SecurityIncident.ReadWrite.All', 'User.Read']


@pytest.mark.parametrize('now, expired', [(1798761599, False), (1798761600, True), (1798765200, True)])
def test_expiry_is_read_against_the_clock(now, expired):
    assert read_claims(jwt({'aud': 'a', 'exp': 1798761600}), now=now)['expired'] is expired


def test_odd_scp_is_no_scope():
    assert read_claims(jwt({'aud': 'a', 'scp': ['x']}))['scopes'] == []
