"""Fixtures shared by the emulator's self-tests: a token and a Graph caller."""
import msal
import pytest


@pytest.fixture
def reader_token(emulator):
    app = emulator.apps["reader-secret"]
    client = msal.ConfidentialClientApplication(
        app["client_id"], client_credential=app["client_secret"], authority=emulator.authority,
        instance_discovery=False, http_client=emulator.session())
    return client.acquire_token_for_client([emulator.scope])["access_token"]


@pytest.fixture
def call(emulator, reader_token):
    """call(method, path_or_url, **kwargs): a Graph request with the reader's token; the log starts empty."""
    http = emulator.session()

    def send(method, path_or_url, **kwargs):
        url = path_or_url if path_or_url.startswith("https://") else emulator.url + path_or_url
        headers = {"Authorization": "Bearer " + reader_token, "Prefer": "include-unknown-enum-members"}
        return http.request(method, url, headers=headers, timeout=kwargs.pop("timeout", 30), **kwargs)
    emulator.clear_requests()
    return send
