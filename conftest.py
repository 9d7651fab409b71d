"""Make the repository importable as ansible_collections.msgraph.security, and load the emulator fixture."""
import os
import sys

import pytest

from tests.dev_collection import ensure_link

sys.path.insert(0, ensure_link())

pytest_plugins = ['tests.emulator.fixture', 'tests.proxy_fixture']


@pytest.fixture(autouse=True)
def _own_user_cache(tmp_path):
    """Each test has its own user cache directory (XDG_CACHE_HOME), inherited by the processes it starts:
    the OpenID configuration the collection keeps across runs (discovery_cache) never passes between tests."""
    before = os.environ.get('XDG_CACHE_HOME')
    os.environ['XDG_CACHE_HOME'] = str(tmp_path / 'user-cache')
    yield
    if before is None:
        os.environ.pop('XDG_CACHE_HOME', None)
    else:
        os.environ['XDG_CACHE_HOME'] = before
