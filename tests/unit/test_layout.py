"""Every plugin has a unit test file where the layout says (tests/unit/plugins/<type>/test_<name>.py)."""
import os

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PLUGIN_DIRS = ('modules', 'lookup', 'filter', 'test')


def plugin_files():
    return [(directory, name[:-3]) for directory in PLUGIN_DIRS
            for name in sorted(os.listdir(os.path.join(ROOT, 'plugins', directory)))
            if name.endswith('.py') and not name.startswith('_')]


@pytest.mark.parametrize('directory, name', plugin_files())
def test_each_plugin_has_its_unit_test_file(directory, name):
    path = os.path.join(ROOT, 'tests', 'unit', 'plugins', directory, 'test_%s.py' % name)
    assert os.path.isfile(path), 'plugins/%s/%s.py has no unit tests: add %s' % (directory, name, os.path.relpath(path, ROOT))
