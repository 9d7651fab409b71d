"""The EXAMPLES users read in ansible-doc run as written, against the emulator.

Every plugin file under plugins/ is found here, so a new plugin's examples run without a list to keep.
"""
import json
import os
import subprocess
import sys

import pytest
import yaml
from emulator_data import RESPONDER, connection_vars

BIN = os.path.dirname(sys.executable)
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PLUGIN_DIRS = {'module': 'modules', 'lookup': 'lookup', 'filter': 'filter', 'test': 'test'}


def find_plugins():
    """(type, FQCN) of every plugin file of the collection."""
    found = []
    for plugin_type, directory in sorted(PLUGIN_DIRS.items()):
        for name in sorted(os.listdir(os.path.join(ROOT, 'plugins', directory))):
            if name.endswith('.py') and not name.startswith('_'):
                found.append((plugin_type, 'msgraph.security.' + name[:-3]))
    return found


PLUGINS = find_plugins()
# The app an example runs with, when writer-secret (which may change incidents) may not run it.
EXAMPLE_APPS = dict([(name, 'hunter-secret') for name in ('msgraph.security.hunting_query', 'msgraph.security.hunting')]
                    + [(name, 'alert-writer') for name in ('msgraph.security.alert', 'msgraph.security.alert_comment',
                                                           'msgraph.security.alert_info')]
                    + [('msgraph.security.' + name, RESPONDER)
                       for name in ('device', 'device_action', 'device_info', 'user', 'indicator')])


def test_every_kind_of_plugin_is_found():
    kinds = set(plugin_type for plugin_type, dummy in PLUGINS)
    assert kinds == set(PLUGIN_DIRS)
    assert ('module', 'msgraph.security.incident_info') in PLUGINS and ('test', 'msgraph.security.incident_open') in PLUGINS


def examples(collections_path, plugin_type, name):
    output = subprocess.run([os.path.join(BIN, 'ansible-doc'), '-t', plugin_type, '--json', name],
                            env=dict(os.environ, ANSIBLE_COLLECTIONS_PATH=collections_path),
                            check=True, capture_output=True, text=True).stdout
    return json.loads(output)[name]['examples']


@pytest.mark.parametrize('plugin_type, name', PLUGINS)
def test_examples_run_as_written(ansible_playbook, collections_path, emulator, tmp_path, plugin_type, name):
    content = yaml.safe_load(examples(collections_path, plugin_type, name))
    if not all('hosts' in item for item in content):  # a task list: run it in a play on localhost
        content = [{'name': 'EXAMPLES of %s' % name, 'hosts': 'localhost', 'gather_facts': False, 'tasks': content}]
    playbook = tmp_path / 'examples.yml'
    playbook.write_text(yaml.safe_dump(content, sort_keys=False))
    # The module_defaults example names tenant_id, client_id and client_secret variables. The app may
    # write, for the examples of modules that change incidents; the dataset is restored afterwards.
    try:
        run = ansible_playbook(str(playbook), connection_vars(emulator), app=EXAMPLE_APPS.get(name, 'writer-secret'))
    finally:
        emulator.reset()
    assert run.rc == 0, run
    assert 'failed=0' in run.stdout
