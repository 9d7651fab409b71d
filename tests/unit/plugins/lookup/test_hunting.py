"""The hunting lookup's own logic: one query as the term, its rows, timespan, refusals.

Rendered through a real Templar, with a stand-in Graph client; against the emulator: tests/integration/test_hunting.py.
"""
import importlib

import pytest

from ansible.errors import AnsibleError

PACKAGE = 'ansible_collections.msgraph.security.plugins.'
ROWS = [{'DeviceName': 'srv-file02'}, {'DeviceName': 'wks-hr-114'}]


@pytest.fixture
def graph(render, monkeypatch):
    """Records each request; answers two rows."""
    sent = []

    class Client:
        @staticmethod
        def from_options(options):
            return Client()

        def request(self, method, path, body=None, resend=None, permission=None):
            sent.append((method, path, body, resend, permission))
            return {'schema': [{'name': 'DeviceName', 'type': 'String'}], 'results': ROWS}

    monkeypatch.setattr(importlib.import_module(PACKAGE + 'plugin_utils._controller.controller_plugin'), 'GraphClient', Client)
    return sent


def test_the_rows_of_one_query(render, graph):
    assert render("query('msgraph.security.hunting', 'DeviceInfo | take 2', timespan='P1D')") == ROWS
    assert graph == [('POST', '/security/runHuntingQuery', {'Query': 'DeviceInfo | take 2', 'Timespan': 'P1D'}, True,
                      'ThreatHunting.Read.All')]


def test_without_timespan_graph_decides(render, graph):
    render("query('msgraph.security.hunting', 'DeviceInfo')")
    assert graph[0][2] == {'Query': 'DeviceInfo'}


@pytest.mark.parametrize('terms, expected', [
    ("", 'give exactly one query (KQL) as the term; 0 were given'),
    (", 'a', 'b'", 'give exactly one query (KQL) as the term; 2 were given'),
    (", ' '", 'query must be a KQL query'),
    (", 'DeviceInfo', timespan='soon'", "Invalid timespan 'soon'"),
    (", 'DeviceInfo', timespan_='P1D'", 'unknown option timespan_'),
])
def test_refused_before_anything_is_sent(render, graph, terms, expected):
    with pytest.raises(AnsibleError, match='msgraph.security.hunting: .*' + expected.replace('(', r'\(').replace(')', r'\)')):
        render("query('msgraph.security.hunting'%s)" % terms)
    assert graph == []
