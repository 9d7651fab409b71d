"""Run the collection's lookups as a playbook's template does, with a stand-in Graph client.

The lookup, its bases (plugin_utils/_controller/graph_lookup.py, controller_plugin.py) and the read logic run for real; only
GraphClient.from_options is replaced, by a FakeGraph that serves canned incidents and records
what it was asked. The plugins' emulator-backed behaviour is in tests/integration.
"""
import importlib

import pytest

PACKAGE = 'ansible_collections.msgraph.security.plugins.'


class FakeGraph:
    """What IncidentReader and the token lookup ask of a GraphClient, from a dict of incidents."""

    def __init__(self, incidents, not_found, token):
        self.incidents = incidents
        self.not_found = not_found
        self.options = None
        self.gets, self.batches, self.listings = [], [], []
        self.auth = type('Auth', (), {'token': staticmethod(lambda: token)})()

    def _one(self, path):
        incident_id = path.split('?')[0].rsplit('/', 1)[1]
        if incident_id in self.incidents:
            return self.incidents[incident_id]
        return self.not_found('GET /v1.0%s failed: HTTP 404 NotFound: no such incident' % path, status=404,
                              request_id='req-' + incident_id)

    def get(self, path, params=None, permission=None):
        self.gets.append(path)
        found = self._one(path)
        if isinstance(found, Exception):
            raise found
        return found

    def get_batch(self, paths, permission=None):
        self.batches.append(list(paths))
        return dict((path, self._one(path)) for path in paths)

    def get_all_pages(self, path, params, max_items, items=None, permission=None, max_skip=None):
        self.listings.append(dict(path=path, params=params, max_items=max_items))
        items = sorted(self.incidents.values(), key=lambda i: -int(i['id']))
        return (items[:max_items], len(items) > max_items) if max_items else (items, False)


@pytest.fixture
def graph(render, monkeypatch):
    """The FakeGraph every lookup of this test builds; ``graph.options`` is what the lookup resolved."""
    errors = importlib.import_module(PACKAGE + 'module_utils._core.errors')  # the module the lookups import
    fake = FakeGraph(dict((str(i), dict(id=str(i), severity=s, status='active'))
                          for i, s in ((29, 'high'), (30, 'low'), (31, 'medium'))),
                     errors.NotFoundError, token='tok-123')
    base = importlib.import_module(PACKAGE + 'plugin_utils._controller.controller_plugin')

    class Client:
        @staticmethod
        def from_options(options):
            fake.options = options
            return fake

    monkeypatch.setattr(base, 'GraphClient', Client)
    return fake


@pytest.fixture
def warnings(render, monkeypatch):
    """The warnings the lookups display (through the resource lookup's display)."""
    shown = []
    plugin = importlib.import_module(PACKAGE + 'plugin_utils._controller.resource_lookup')
    monkeypatch.setattr(plugin.display, 'warning', lambda text, *a, **k: shown.append(text))
    return shown
