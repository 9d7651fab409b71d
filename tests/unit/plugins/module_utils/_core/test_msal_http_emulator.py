"""Token endpoints that answer something other than what MSAL expects: every failure reads like
the others (who was asked, the HTTP status, what kind of body came back), with no body quoted,
no traceback and nothing logged by MSAL to the console."""
import logging

import pytest

from ansible_collections.msgraph.security.plugins.module_utils._core.errors import AuthenticationError

from ..emulator_client import connect

# (fault body, status) -> what the message must say about the answer
ANSWERS = {
    ('html', 200): 'answered HTTP 200 with a text/html body',
    ('html', 503): 'answered HTTP 503 with a text/html body',
    ('empty', 200): 'answered HTTP 200 with an empty body',
    ('truncated', 200): 'answered HTTP 200 with a body that is not valid JSON although labelled application/json',
    ('not_graph_json', 200): 'answered HTTP 200 with a JSON object that is neither a token nor an error',
}
APPS = {
    'reader-secret': ('/oauth2/v2.0/token$', 'POST https://', 'Token request to https://'),
    'reader-cert': ('/oauth2/v2.0/token$', 'POST https://', '(certificate) failed'),
    'managed-identity': ('/msi/token$', 'GET https://', 'Managed identity token request (system-assigned) failed'),
}


@pytest.fixture
def app_env(monkeypatch, clean_emulator, request):
    app = request.param
    for name, value in clean_emulator.env(app).items():
        if name.startswith('IDENTITY_'):
            monkeypatch.setenv(name, value)
    return app


@pytest.mark.parametrize('app_env', sorted(APPS), indirect=True)
@pytest.mark.parametrize('body, status', sorted(ANSWERS))
def test_token_endpoint_answers_are_described(clean_emulator, app_env, body, status, capsys, caplog):
    path, request_line, asked = APPS[app_env]
    clean_emulator.set_faults({'rules': [{'path_regex': path, 'status': status, 'body': body}]})
    settings = {'managed_identity': True} if app_env.startswith('managed') else {}
    caplog.set_level(logging.DEBUG)
    with pytest.raises(AuthenticationError) as caught:
        connect(clean_emulator, app_env, max_retries=0, **settings).auth.token()
    message = str(caught.value)
    assert asked in message
    assert ANSWERS[(body, status)] in message
    assert request_line in message
    assert 'Expecting value' not in message
    assert caught.value.transient is (status >= 500)
    out = capsys.readouterr()
    assert 'Traceback' not in out.err + out.out
    assert not [r for r in caplog.records if r.name.startswith('msal')], 'MSAL records reached the root logger'
