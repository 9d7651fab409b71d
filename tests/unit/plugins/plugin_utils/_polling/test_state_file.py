"""The state file of the polling engine: atomic, exact, what it is a checkpoint of, its mode, a full disk."""
import errno
import json
import os
import stat

import pytest

from ansible_collections.msgraph.security.plugins.module_utils._core.errors import OptionError
from ansible_collections.msgraph.security.plugins.plugin_utils._polling import state_file
from ansible_collections.msgraph.security.plugins.plugin_utils._polling.stamps import TICKS_PER_SECOND, to_stamp, to_ticks

T0 = '2026-11-27T10:00:00.0000000Z'
IDENTITY = {'graph_url': 'https://graph.example/v1.0', 'tenant_id': 't1', 'filters': {'severity': ['high']}}


def at(seconds, digit7=0):
    return to_stamp(to_ticks(T0) + seconds * TICKS_PER_SECOND + digit7)


def load_checkpoint(path, changes, origin, identity=None):
    return state_file.load(path, changes, identity or IDENTITY, 'lastUpdateDateTime', 'createdDateTime', origin)


def save_checkpoint(path, checkpoint, identity=None):
    state_file.save(path, checkpoint, 'all', identity or IDENTITY)


def test_state_file_round_trip_is_atomic_and_exact(tmp_path):
    path = str(tmp_path / 'state.json')
    checkpoint, resumed = load_checkpoint(path, 'all', to_ticks(at(0)))
    assert not resumed and checkpoint.newest is None
    checkpoint.delivered_one(to_ticks(at(3, 7)), '42')
    save_checkpoint(path, checkpoint)
    assert os.listdir(str(tmp_path)) == ['state.json']  # no temporary file left behind
    saved = json.loads(open(path).read())
    assert saved['checkpoint'] == '2026-11-27T10:00:03.0000007Z' and saved['delivered'] == {'42': saved['checkpoint']}
    again, resumed = load_checkpoint(path, 'all', to_ticks(at(999)))
    assert resumed and again.newest == checkpoint.newest and again.origin == to_ticks(at(0))


def test_state_file_errors_are_option_errors(tmp_path):
    path = tmp_path / 'state.json'
    path.write_text(json.dumps({'version': 99}))
    with pytest.raises(OptionError, match='not a checkpoint this source wrote'):
        load_checkpoint(str(path), 'all', 0)
    with pytest.raises(OptionError, match='does not exist or is not writable'):
        load_checkpoint(str(tmp_path / 'missing' / 'state.json'), 'all', 0)


def test_memory_is_saved_and_restored_verbatim(tmp_path):
    path = str(tmp_path / 'state.json')
    checkpoint, dummy = load_checkpoint(path, 'all', to_ticks(at(0)))
    checkpoint.memory.update({'7': {'severity': 'medium'}, 'n': [1, 2]})
    save_checkpoint(path, checkpoint)
    assert load_checkpoint(path, 'all', 0)[0].memory == {'7': {'severity': 'medium'}, 'n': [1, 2]}


@pytest.mark.parametrize('other, named', [
    (dict(IDENTITY, filters={'severity': ['low']}), 'filters'),
    (dict(IDENTITY, tenant_id='t2'), 'tenant_id'),
    (dict(IDENTITY, graph_url='https://graph.microsoft.us/v1.0'), 'graph_url'),
])
def test_a_state_file_of_another_source_is_refused_naming_what_differs(tmp_path, other, named):
    path = str(tmp_path / 'state.json')
    checkpoint, dummy = load_checkpoint(path, 'all', to_ticks(at(0)))
    save_checkpoint(path, checkpoint)
    with pytest.raises(OptionError, match=r'checkpoint of another source \(it differs in %s' % named):
        load_checkpoint(path, 'all', 0, identity=other)
    assert load_checkpoint(path, 'all', 0)[1]  # the same source resumes


def test_a_version_1_file_without_identity_is_adopted(tmp_path):
    path = tmp_path / 'state.json'
    path.write_text(json.dumps({'version': 1, 'changes': 'all', 'origin': at(0), 'checkpoint': at(5),
                                'delivered': {'9': at(5)}}))
    checkpoint, resumed = load_checkpoint(str(path), 'all', 0)
    assert resumed and checkpoint.delivered == {'9': to_ticks(at(5))}


def test_the_state_file_keeps_its_mode_across_saves(tmp_path):
    path = str(tmp_path / 'state.json')
    checkpoint, dummy = load_checkpoint(path, 'all', to_ticks(at(0)))
    save_checkpoint(path, checkpoint)
    os.chmod(path, 0o640)
    checkpoint.delivered_one(to_ticks(at(3)), '1')
    save_checkpoint(path, checkpoint)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o640


def test_a_full_disk_is_one_clear_option_error_and_leaves_no_temporary_file(tmp_path, monkeypatch):
    path = str(tmp_path / 'state.json')
    checkpoint, dummy = load_checkpoint(path, 'all', to_ticks(at(0)))
    save_checkpoint(path, checkpoint)

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    monkeypatch.setattr(state_file.os, 'fsync', full)
    with pytest.raises(OptionError, match='state_file=.*cannot be saved .No space left on device.*resumes'):
        save_checkpoint(path, checkpoint)
    assert os.listdir(str(tmp_path)) == ['state.json']
