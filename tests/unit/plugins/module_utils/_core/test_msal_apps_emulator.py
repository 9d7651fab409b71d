"""The per-process cache of MSAL applications: reused for the same settings, bounded, and keyed
without the secret in readable form."""
from ansible_collections.msgraph.security.plugins.module_utils._core import msal_apps

from ..emulator_client import connect, outer


def test_same_settings_reuse_the_application_and_its_token(clean_emulator):
    first = connect(clean_emulator).auth.token()
    second = connect(clean_emulator).auth.token()
    assert first == second
    assert len(outer(clean_emulator, 'openid-configuration')) == 1
    assert len(outer(clean_emulator, '/oauth2/v2.0/token')) == 1


def test_other_settings_get_their_own_application(clean_emulator):
    connect(clean_emulator).auth.token()
    connect(clean_emulator, 'reader-cert').auth.token()
    connect(clean_emulator, api_version='beta').auth.token()  # the API version does not change the token
    assert len(outer(clean_emulator, '/oauth2/v2.0/token')) == 2


def test_a_failed_token_request_is_not_cached(clean_emulator):
    clean_emulator.set_faults({'rules': [{'path_regex': '/oauth2/v2.0/token$', 'status': 200, 'body': 'html',
                                          'count': 1}]})
    try:
        connect(clean_emulator, max_retries=0).auth.token()
    except Exception:  # noqa: BLE001 - the failure itself is tested in test_msal_http
        pass
    assert connect(clean_emulator).auth.token()


def test_the_cache_is_bounded_least_recently_used_first():
    for n in range(msal_apps.MAX_APPS + 3):
        msal_apps.get_or_make('key%d' % n, lambda n=n: n)
    assert len(msal_apps._APPS) == msal_apps.MAX_APPS
    assert 'key0' not in msal_apps._APPS and 'key%d' % (msal_apps.MAX_APPS + 2) in msal_apps._APPS


def test_the_key_holds_no_readable_secret():
    secret = 'Kx9~a-client-secret-value'
    key = msal_apps.cache_key('client secret', {'client_credential': secret})
    assert secret not in key and len(key) == 64
    assert key == msal_apps.cache_key('client secret', {'client_credential': secret})
    assert key != msal_apps.cache_key('client secret', {'client_credential': secret + 'x'})


def test_managed_identity_tokens_are_reused_too(clean_emulator, monkeypatch):
    for name, value in clean_emulator.env('managed-identity').items():
        if name.startswith('IDENTITY_'):
            monkeypatch.setenv(name, value)
    first = connect(clean_emulator, 'managed-identity', managed_identity=True).auth.token()
    assert connect(clean_emulator, 'managed-identity', managed_identity=True).auth.token() == first
    assert len(outer(clean_emulator, '/msi/token')) == 1


def test_the_key_follows_what_is_passed_to_msal(clean_emulator):
    """The scope (token_audience) and the credential are part of the key; where requests go is not."""
    key = connect(clean_emulator).auth._cache_key()
    assert connect(clean_emulator, token_audience='https://api.example.com').auth._cache_key() != key
    assert connect(clean_emulator, client_secret='another-secret').auth._cache_key() != key
    assert connect(clean_emulator, api_version='beta').auth._cache_key() == key
