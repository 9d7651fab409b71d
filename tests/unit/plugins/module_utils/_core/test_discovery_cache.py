"""The OpenID configuration kept across runs: only MSAL's discovery GETs are written, and only when new."""
import os
import stat

from ansible_collections.msgraph.security.plugins.module_utils._core import discovery_cache

GET = 'GET https://login.example/tenant/v2.0/.well-known/openid-configuration hash=x 2xx'
POST = 'POST https://login.example/tenant/oauth2/v2.0/token hash=y 400'


def msal_cache():
    """What MSAL's ExpiringMapping leaves in its http_cache: entries and their index under '_index_'."""
    return {GET: {'token_endpoint': 'https://login.example/t'}, POST: {'error': 'invalid_request'},
            '_index_': ([[200, 100, GET], [160, 100, POST]], {GET: [200, 100], POST: [160, 100]})}


def test_only_the_discovery_answers_are_written_in_a_file_of_the_users_own(tmp_path, monkeypatch):
    monkeypatch.setenv('XDG_CACHE_HOME', str(tmp_path))
    discovery_cache.save(msal_cache())
    loaded = discovery_cache.load()
    assert set(loaded) == {GET, '_index_'} and loaded['_index_'] == ([[200, 100, GET]], {GET: [200, 100]})
    assert stat.S_IMODE(os.stat(discovery_cache.path()).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(os.path.dirname(discovery_cache.path())).st_mode) == 0o700


def test_stamps_change_only_when_a_discovery_entry_is_stored_again():
    cache = msal_cache()
    before = discovery_cache.stamps(cache)
    cache['_index_'][1][POST] = [300, 250]  # a throttling record: not written, not a change
    assert discovery_cache.stamps(cache) == before
    cache['_index_'][1][GET] = [400, 300]  # fetched again after it expired
    assert discovery_cache.stamps(cache) != before


def test_a_file_that_cannot_be_read_is_an_empty_cache(tmp_path, monkeypatch):
    monkeypatch.setenv('XDG_CACHE_HOME', str(tmp_path))
    os.makedirs(os.path.dirname(discovery_cache.path()))
    with open(discovery_cache.path(), 'wb') as handle:
        handle.write(b'not a pickle')
    assert discovery_cache.load() == {}
