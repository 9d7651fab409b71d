"""Unit tests that need the running emulator say so in their file name (test_<name>_emulator.py).

The rest of tests/unit runs in-process without it; a test module that asks for the emulator fixtures
under another name is a collection error, so the split stays true.
"""
import pytest

EMULATOR_FIXTURES = {'emulator', 'clean_emulator'}


def pytest_collection_modifyitems(config, items):
    misnamed = sorted(set(
        str(item.path) for item in items
        if 'tests/unit/' in str(item.path).replace('\\', '/')
        and EMULATOR_FIXTURES & set(getattr(item, 'fixturenames', ()))
        and not item.path.name.endswith('_emulator.py')))
    if misnamed:
        raise pytest.UsageError('unit test modules using the emulator must be named test_*_emulator.py: '
                                + ', '.join(misnamed))
