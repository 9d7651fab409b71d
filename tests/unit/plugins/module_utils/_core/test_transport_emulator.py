"""Proxy, through a real local proxy: both Entra ID and Graph traffic take it."""
import pytest

from ansible_collections.msgraph.security.plugins.module_utils._core.errors import MsGraphError

from ..emulator_client import reader

DEAD_PROXY = 'http://127.0.0.1:9'


def test_token_and_graph_traffic_go_through_the_proxy(clean_emulator, proxy):
    before = len(proxy.connects())
    assert reader(clean_emulator, proxy=proxy.url).read_ids(['29'])[0][1]['id'] == '29'
    emulator_host = clean_emulator.url.split('://')[1]
    assert emulator_host in proxy.connects()[before:]


def test_token_request_uses_the_proxy(clean_emulator):
    with pytest.raises(MsGraphError, match='Token request .* could not go through the proxy'):
        reader(clean_emulator, proxy=DEAD_PROXY, max_retries=0).read_ids(['29'])
    assert clean_emulator.requests() == []


def test_graph_request_uses_the_proxy(clean_emulator):
    with pytest.raises(MsGraphError, match='GET /v1.0/security/incidents/29 failed: could not go through the proxy'):
        reader(clean_emulator, access_token='t', proxy=DEAD_PROXY, max_retries=0).read_ids(['29'])
    assert clean_emulator.requests() == []


def test_https_proxy_from_the_environment_is_honoured(clean_emulator, monkeypatch):
    monkeypatch.setenv('HTTPS_PROXY', DEAD_PROXY)
    monkeypatch.delenv('NO_PROXY', raising=False)
    monkeypatch.delenv('no_proxy', raising=False)
    with pytest.raises(MsGraphError, match='could not go through the proxy'):
        reader(clean_emulator, access_token='t', max_retries=0).read_ids(['29'])
