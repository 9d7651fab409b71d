"""Changelog gate: antsibull-changelog's fragments and changelog.yaml are valid, CHANGELOG.md is current,
and every plugin, module and role says in which release it was added and is listed in that release.

- `antsibull-changelog lint` (fragments) and `lint-changelog-yaml` (changelogs/changelog.yaml);
- in a copy of the collection, `antsibull-changelog generate --reload-plugins`: the CHANGELOG.md it
  writes must equal the committed one (regenerate with `make changelog` after editing changelog.yaml);
- from the plugin cache that run refreshed: each plugin, module and role has version_added, and
  when that version is released, the release lists it.

usage: python tests/gates/changelog.py   (the python of a venv with antsibull-changelog and ansible-core)
"""
import os
import shutil
import subprocess
import sys
import tempfile

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, ROOT)

from tests.gates.collection_tree import main as copy_tree  # noqa: E402

BIN = os.path.dirname(sys.executable)
CHANGELOG = 'CHANGELOG.md'


def run(args, cwd, env):
    result = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=600, check=False)
    output = (result.stdout + result.stderr).strip()
    if result.returncode or output and args[1].startswith('lint'):
        sys.exit('%s: rc=%s\n%s' % (' '.join(args[:2]), result.returncode, output))
    print('%s: ok' % ' '.join(os.path.basename(arg) for arg in args[:2]))


def released_objects(release):
    """(type, name) of everything a release of changelog.yaml lists as new."""
    listed = set((('module', entry['name']) for entry in release.get('modules', [])))
    for kind in ('plugins', 'objects'):
        for plugin_type, entries in (release.get(kind) or {}).items():
            listed.update((plugin_type, entry['name']) for entry in entries)
    return listed


def main():
    env = dict((key, value) for key, value in os.environ.items() if not key.startswith('ANSIBLE_'))
    env['PATH'] = BIN + os.pathsep + env.get('PATH', '')
    tool = os.path.join(BIN, 'antsibull-changelog')
    run([tool, 'lint'], ROOT, env)
    run([tool, 'lint-changelog-yaml', os.path.join('changelogs', 'changelog.yaml')], ROOT, env)

    with tempfile.TemporaryDirectory(prefix='msgraph-changelog-') as work:
        copy = os.path.join(work, 'ansible_collections', 'msgraph', 'security')
        copy_tree(work)
        shutil.copy(os.path.join(ROOT, 'changelogs', 'changelog.yaml'), os.path.join(copy, 'changelogs'))
        env['ANSIBLE_COLLECTIONS_PATH'] = work
        run([tool, 'generate', '--reload-plugins'], copy, env)
        with open(os.path.join(copy, CHANGELOG)) as handle:
            generated = handle.read()
        with open(os.path.join(copy, 'changelogs', '.plugin-cache.yaml')) as handle:
            cache = yaml.safe_load(handle)
    with open(os.path.join(ROOT, CHANGELOG)) as handle:
        if handle.read() != generated:
            sys.exit('%s is not what antsibull-changelog generates from changelogs/changelog.yaml: run make changelog'
                     % CHANGELOG)
    print('%s is current' % CHANGELOG)

    with open(os.path.join(ROOT, 'changelogs', 'changelog.yaml')) as handle:
        releases = yaml.safe_load(handle)['releases']
    problems = []
    for kind in ('plugins', 'objects'):
        for plugin_type, plugins in (cache.get(kind) or {}).items():
            for name, details in (plugins or {}).items():
                version = details.get('version_added')
                if not version:
                    problems.append('%s %s has no version_added' % (plugin_type, name))
                elif version in releases and (plugin_type, name) not in released_objects(releases[version]):
                    problems.append('%s %s: version_added %s, but release %s in changelogs/changelog.yaml does not '
                                    'list it (antsibull-changelog release --version %s --update-existing '
                                    '--reload-plugins)' % (plugin_type, name, version, version, version))
                else:
                    print('%s %s: added in %s' % (plugin_type, name, version))
    if problems:
        sys.exit('\n'.join(problems))
    print('changelog gate passed')


if __name__ == '__main__':
    main()
