"""Make the repository importable as ansible_collections.msgraph.security, and load the emulator fixture."""
import sys

from tests.dev_collection import ensure_link

sys.path.insert(0, ensure_link())

pytest_plugins = ['tests.emulator.fixture', 'tests.proxy_fixture']
