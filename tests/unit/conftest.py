"""Unit tests that need the running emulator say so in their file name (test_<name>_emulator.py).

The rest of tests/unit runs in-process without it; a test that asks for the emulator fixtures in a
module named otherwise fails, saying why, so the split stays true.
"""
import pytest

EMULATOR_FIXTURES = {'emulator', 'clean_emulator'}


def _misnamed(item):
    return ('tests/unit/' in str(item.path).replace('\\', '/')
            and EMULATOR_FIXTURES & set(getattr(item, 'fixturenames', ()))
            and not item.path.name.endswith('_emulator.py'))


def pytest_collection_modifyitems(config, items):
    for item in items:
        if _misnamed(item):
            item.add_marker(pytest.mark.usefixtures('_emulator_test_misnamed'))
            item.fixturenames.insert(0, '_emulator_test_misnamed')


@pytest.fixture
def _emulator_test_misnamed(request):
    pytest.fail('%s uses the emulator: unit test modules that do are named test_*_emulator.py'
                % request.node.path.name, pytrace=False)
