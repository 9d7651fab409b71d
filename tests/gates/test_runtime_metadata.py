"""meta/runtime.yml: the action group names every module; requires_ansible is the oldest core the matrix tests."""
import ast
import glob
import os

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _runtime():
    with open(os.path.join(ROOT, 'meta', 'runtime.yml')) as handle:
        return yaml.safe_load(handle)


def test_action_group_lists_every_module():
    modules = sorted(os.path.splitext(os.path.basename(path))[0]
                     for path in glob.glob(os.path.join(ROOT, 'plugins', 'modules', '*.py'))
                     if not path.endswith('__init__.py'))
    assert modules
    assert sorted(_runtime()['action_groups']['graph']) == modules


def test_requires_ansible_is_the_oldest_core_in_the_matrix():
    with open(os.path.join(ROOT, 'noxfile.py')) as handle:
        tree = ast.parse(handle.read())
    matrix = next(node.value for node in tree.body if isinstance(node, ast.Assign)
                  and getattr(node.targets[0], 'id', None) == 'MATRIX')
    cores = sorted(ast.literal_eval(matrix), key=lambda version: tuple(int(part) for part in version.split('.')))
    assert _runtime()['requires_ansible'] == '>=%s.0' % cores[0]


def test_the_user_agent_names_the_version_galaxy_yml_releases():
    # Graph support reads the User-Agent; it must not lag behind the release.
    from ansible_collections.msgraph.security.plugins.module_utils._core.transport import USER_AGENT
    with open(os.path.join(ROOT, 'galaxy.yml')) as handle:
        version = yaml.safe_load(handle)['version']
    assert USER_AGENT.endswith('/' + version)
