"""The token lookup: one token from the client, options resolved as for every lookup, clear failures.

Rendered through a real Templar, with a stand-in Graph client (conftest.py).
"""
import importlib

import pytest

from ansible.errors import AnsibleError

from tests.unit.plugins.lookup.conftest import PACKAGE


def test_returns_the_token_of_the_configured_credentials(render, graph):
    assert render("lookup('msgraph.security.token')") == 'tok-123'
    assert render("query('msgraph.security.token')") == ['tok-123']
    assert graph.gets == graph.batches == graph.listings == []  # a token, no Graph request


def test_connection_options_reach_the_client(render, graph):
    render("lookup('msgraph.security.token', tenant_id='t-direct', cloud='usgov')", msgraph_client_id='c-vars')
    assert (graph.options.get('tenant_id'), graph.options.get('client_id'), graph.options.get('cloud')) == (
        't-direct', 'c-vars', 'usgov')


def test_an_unknown_option_is_refused(render, graph):
    with pytest.raises(AnsibleError, match='msgraph.security.token: unknown option tenant; known options: '):
        render("lookup('msgraph.security.token', tenant='t')")
    assert graph.options is None


def test_a_query_option_of_the_incident_lookup_is_unknown_here(render, graph):
    with pytest.raises(AnsibleError, match='msgraph.security.token: unknown option incident_id'):
        render("lookup('msgraph.security.token', incident_id='29')")


def test_a_failure_to_get_a_token_is_a_lookup_error_naming_the_lookup(render, graph, monkeypatch):
    errors = importlib.import_module(PACKAGE + 'module_utils._core.errors')

    def refuse():
        raise errors.AuthenticationError('Entra ID refused the client secret (invalid_client)')
    monkeypatch.setattr(graph.auth, 'token', refuse)
    with pytest.raises(AnsibleError, match=r'msgraph.security.token: Entra ID refused the client secret \(invalid_client\)'):
        render("lookup('msgraph.security.token')")


def test_without_requests_it_says_what_to_install(render, graph, monkeypatch):
    monkeypatch.setattr(importlib.import_module(PACKAGE + 'plugin_utils._controller.controller_plugin'), 'HAS_REQUESTS', False)
    with pytest.raises(AnsibleError, match=r'msgraph.security.token needs the Python library requests on the'
                                           r' controller \(pip install requests\)'):
        render("lookup('msgraph.security.token')")
