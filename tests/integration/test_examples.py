"""The EXAMPLES users read in ansible-doc run as written, against the emulator."""
import json
import os
import subprocess
import sys

import pytest
import yaml
from emulator_data import connection_vars

BIN = os.path.dirname(sys.executable)

PLUGINS = [('module', 'msgraph.security.incident_info'), ('module', 'msgraph.security.connection_info'),
           ('lookup', 'msgraph.security.incident'),
           ('lookup', 'msgraph.security.token')]


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
    # The module_defaults example names tenant_id, client_id and client_secret variables.
    run = ansible_playbook(str(playbook), connection_vars(emulator))
    assert run.rc == 0, run
    assert 'failed=0' in run.stdout
