"""The per-item write locks: private directory, names without secrets, exclusive while held, ordered."""
import fcntl
import os
from types import SimpleNamespace

import pytest

from ansible_collections.msgraph.security.plugins.module_utils._core import write_lock
from ansible_collections.msgraph.security.plugins.module_utils._core.errors import MsGraphError
from ansible_collections.msgraph.security.plugins.module_utils._resources.incidents import INCIDENTS

SECRET = 'very-secret-value'


@pytest.fixture
def tmp_root(tmp_path, monkeypatch):
    monkeypatch.setattr(write_lock.tempfile, 'gettempdir', lambda: str(tmp_path))
    return tmp_path


def client(tenant='contoso.onmicrosoft.com'):
    options = {'tenant_id': tenant, 'client_secret': SECRET}
    return SimpleNamespace(settings=SimpleNamespace(api_root='https://graph.microsoft.com/v1.0', options=options))


def held(path):
    """Whether another open file of ``path`` would have to wait."""
    handle = os.open(str(path), os.O_RDWR)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return False
    except OSError:
        return True
    finally:
        os.close(handle)


def test_an_item_is_locked_while_held_and_released_after(tmp_root):
    with write_lock.ItemLocks(client(), INCIDENTS, ['29', '30', '29']):
        directory = tmp_root / ('msgraph.security-locks-%d' % os.getuid())
        files = sorted(directory.iterdir())
        assert len(files) == 2 and all(held(f) for f in files)
        assert oct(directory.stat().st_mode & 0o777) == '0o700'
        assert all(SECRET not in f.name and 'contoso' not in f.name for f in files)
    assert not any(held(f) for f in files)


def test_the_same_item_of_another_tenant_is_another_lock(tmp_root):
    with write_lock.ItemLocks(client('a'), INCIDENTS, ['29']):
        with write_lock.ItemLocks(client('b'), INCIDENTS, ['29']):
            assert len(list((tmp_root / ('msgraph.security-locks-%d' % os.getuid())).iterdir())) == 2


def test_a_directory_others_may_use_is_refused(tmp_root):
    directory = tmp_root / ('msgraph.security-locks-%d' % os.getuid())
    directory.mkdir(mode=0o777)
    os.chmod(str(directory), 0o777)
    with pytest.raises(MsGraphError, match='only this user may use'):
        with write_lock.ItemLocks(client(), INCIDENTS, ['29']):
            pass


def test_a_writer_waits_for_the_one_holding_the_item_then_gives_up_clearly(tmp_root, monkeypatch):
    monkeypatch.setattr(write_lock, 'WAIT_SECONDS', 0.2)
    with write_lock.ItemLocks(client(), INCIDENTS, ['29']):
        with pytest.raises(MsGraphError, match='Another writer on this machine has held the same item'):
            with write_lock.ItemLocks(client(), INCIDENTS, ['29']):
                pass
