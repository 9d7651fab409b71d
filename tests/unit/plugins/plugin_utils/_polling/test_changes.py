"""The event source's memory of what it delivered per incident: ``changed`` and its bounds."""
import json

import pytest

from ansible_collections.msgraph.security.plugins.module_utils._core.errors import OptionError
from ansible_collections.msgraph.security.plugins.plugin_utils._polling import changes, state_file
from ansible_collections.msgraph.security.plugins.plugin_utils._polling.changes import ChangeMemory

DAY = 86400 * 10 ** 7
IDENTITY = {'graph_url': 'https://graph.example/v1.0', 'tenant_id': 't1', 'filters': {}}


def incident(incident_id, **fields):
    return dict({'id': incident_id, 'severity': 'low', 'status': 'active', 'assignedTo': None,
                 'classification': 'unknown', 'determination': 'unknown'}, **fields)


def test_changed_compares_with_the_last_delivered_values_in_any_case():
    memory = ChangeMemory({})
    memory.remember(incident('1', severity='medium', assignedTo='Kai@contoso.com'), 10)
    assert memory.changed(incident('1', severity='high', assignedTo='KAI@contoso.com')) == {
        'severity': {'before': 'medium', 'after': 'high'}}
    memory.remember(incident('1', severity='high', assignedTo=None), 20)
    assert memory.changed(incident('1', severity='high', assignedTo=None, status='resolved')) == {
        'status': {'before': 'active', 'after': 'resolved'}}


def test_old_entries_are_forgotten_beyond_the_retention_and_the_oldest_beyond_the_cap(monkeypatch):
    store = {}
    memory = ChangeMemory(store)
    now = 400 * DAY
    memory.remember(incident('old'), now - (changes.RETENTION_DAYS + 1) * DAY)
    memory.remember(incident('kept'), now - (changes.RETENTION_DAYS - 1) * DAY)
    memory.prune(now)
    assert sorted(store) == ['kept']
    assert memory.changed(incident('old')) == dict((f, {'after': v}) for f, v in incident('old').items() if f != 'id')
    monkeypatch.setattr(changes, 'MAX_ITEMS', 2)
    for number in range(4):
        memory.remember(incident(str(number)), now - number)
    memory.prune(now)
    assert sorted(store) == ['0', '1']


def test_a_memory_this_source_did_not_write_is_refused():
    with pytest.raises(OptionError, match='state_file=/x/s.json: the memory of incident 7'):
        ChangeMemory({'7': {'at': '2026-01-01', 'values': {}}}, 'incident', '/x/s.json')


def test_a_state_file_written_before_the_memory_existed_still_loads_and_then_keeps_one(tmp_path):
    path = str(tmp_path / 'state.json')
    (tmp_path / 'state.json').write_text(
        '{"version": 1, "changes": "all", "origin": "2026-01-01T00:00:00.0000000Z", "checkpoint": null, "delivered": {}}')

    def load():
        return state_file.load(path, 'all', IDENTITY, 'lastUpdateDateTime', 'createdDateTime', 0)
    checkpoint, resumed = load()
    assert resumed and checkpoint.memory == {}
    ChangeMemory(checkpoint.memory).remember(incident('5', severity='high'), 42)
    state_file.save(path, checkpoint, 'all', IDENTITY)
    again, dummy = load()
    assert ChangeMemory(again.memory).changed(incident('5', severity='low')) == {
        'severity': {'before': 'high', 'after': 'low'}}
    (tmp_path / 'state.json').write_text(json.dumps(dict(json.loads((tmp_path / 'state.json').read_text()), memory=[])))
    with pytest.raises(OptionError, match='memory is not a mapping'):
        load()
