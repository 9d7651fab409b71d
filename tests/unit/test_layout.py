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


# -- the README's Layout block ----------------------------------------------

NAMED_TREES = ('plugins', 'extensions')


def layout_block():
    """The lines of the fenced block under README.md's '## Layout' heading."""
    with open(os.path.join(ROOT, 'README.md')) as readme:
        text = readme.read()
    section = text.split('\n## Layout\n', 1)[1]
    return section.split('```\n', 2)[1].splitlines()


def named_paths(lines):
    """The paths the block names: each line is '<indent><name>  <what it holds>', a folder's name ends in '/',
    and an indented name is inside the folder above it with less indent."""
    folders, paths = [], set()
    for line in lines:
        if not line.strip():
            continue
        indent = len(line) - len(line.lstrip(' '))
        name = line.split()[0]
        folders = [(depth, folder) for depth, folder in folders if depth < indent]
        path = ''.join(folder for dummy, folder in folders) + name
        paths.add(path.rstrip('/'))
        if name.endswith('/'):
            folders.append((indent, name))
    return paths


def tree_paths():
    """Every file and folder under plugins/ and extensions/, package markers and caches aside."""
    found = set()
    for top in NAMED_TREES:
        for folder, dirs, files in os.walk(os.path.join(ROOT, top)):
            dirs[:] = [d for d in dirs if d != '__pycache__']
            relative = os.path.relpath(folder, ROOT).replace(os.sep, '/')
            found.add(relative)
            found.update('%s/%s' % (relative, name) for name in files if name != '__init__.py' and not name.endswith('.pyc'))
    return found


def test_named_paths_read_the_indentation_as_folders():
    assert named_paths(['a/  x', '  b/  y', '    c.py  z', '  d.py  w', 'e/f/  v', '  g.yml  u']) == {
        'a', 'a/b', 'a/b/c.py', 'a/d.py', 'e/f', 'e/f/g.yml'}


def test_the_readme_layout_names_every_file_and_folder_of_plugins_and_extensions():
    missing = sorted(tree_paths() - named_paths(layout_block()))
    assert not missing, 'README.md, section Layout, does not name: %s' % ', '.join(missing)


def test_the_readme_layout_names_no_path_that_is_gone():
    named = named_paths(layout_block())
    gone = sorted(path for path in named if path.split('/')[0] in NAMED_TREES and not os.path.exists(os.path.join(ROOT, path)))
    assert not gone, 'README.md, section Layout, names paths that do not exist: %s' % ', '.join(gone)
