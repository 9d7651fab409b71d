"""Integration fixtures: the collection as users get it (built, installed) and real ansible-playbook runs."""
import itertools
import json
import os
import subprocess
import sys

import pytest

from awx_injection import emulator_inputs, inject
from emulator_data import RESPONDER

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.dirname(sys.executable)
_RESULTS = itertools.count()
PLAYBOOKS = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'playbooks')
# Variables a developer's shell may carry that would change what a run sees.
_SCRUB = ('AZURE_', 'MSGRAPH_', 'ANSIBLE_', 'REQUESTS_CA_BUNDLE', 'CURL_CA_BUNDLE', 'HTTPS_PROXY', 'https_proxy',
          'IDENTITY_', 'MSI_', 'IMDS_')


@pytest.fixture(scope='session')
def collection_tarball(tmp_path_factory):
    """The collection as ansible-galaxy builds it for Galaxy, built once per test session."""
    work = tmp_path_factory.mktemp('galaxy')
    subprocess.run([os.path.join(BIN, 'ansible-galaxy'), 'collection', 'build', ROOT, '--output-path', str(work)],
                   check=True, capture_output=True)
    return next(work.glob('msgraph-security-*.tar.gz'))


@pytest.fixture(scope='session')
def collections_path(collection_tarball):
    """The tarball installed: a file missing from the artifact fails here."""
    installed = collection_tarball.parent / 'collections'
    subprocess.run([os.path.join(BIN, 'ansible-galaxy'), 'collection', 'install', str(collection_tarball),
                    '-p', str(installed)], check=True, capture_output=True)
    return str(installed)


class PlaybookRun:
    def __init__(self, completed):
        self.rc = completed.returncode
        self.stdout = completed.stdout
        self.stderr = completed.stderr
        self.output = completed.stdout + completed.stderr

    def __repr__(self):
        return 'rc=%s\n--- stdout\n%s\n--- stderr\n%s' % (self.rc, self.stdout[-6000:], self.stderr[-3000:])


@pytest.fixture
def ansible_playbook(collections_path, emulator, tmp_path):
    """Run a playbook from tests/integration/playbooks against the emulator.

    Credentials reach it only through the environment, as AWX injects them.
    """
    def run(name, extra_vars=None, env=None, app='reader-secret', args=()):
        command = [os.path.join(BIN, 'ansible-playbook'), os.path.join(PLAYBOOKS, name),
                   '-e', json.dumps(extra_vars or {})] + list(args)
        return run_ansible(command, ansible_environment(collections_path, emulator, tmp_path, app, env))
    return run


def ansible_environment(collections_path, emulator, tmp_path, app='reader-secret', env=None):
    """The environment of an ansible command: the installed collection, the emulator's app, nothing from the shell."""
    environment = dict((k, v) for k, v in os.environ.items() if not k.startswith(_SCRUB))
    environment.update(emulator.env(app) if app else {})
    environment.update({
        'ANSIBLE_COLLECTIONS_PATH': collections_path,
        'ANSIBLE_COLLECTIONS_SCAN_SYS_PATH': 'false',
        'ANSIBLE_LOCAL_TEMP': str(tmp_path / 'tmp'),
        'ANSIBLE_NOCOLOR': '1',
        'ANSIBLE_FORCE_COLOR': '0',
        'ANSIBLE_PYTHON_INTERPRETER': sys.executable,
        'ANSIBLE_LOCALHOST_WARNING': 'false',
        'ANSIBLE_INVENTORY_UNPARSED_WARNING': 'false',
        'PATH': BIN + os.pathsep + os.environ.get('PATH', ''),
    })
    environment.update(env or {})
    return environment


def run_ansible(command, environment):
    return PlaybookRun(subprocess.run(command, env=environment, capture_output=True, text=True, timeout=300,
                                      check=False))


@pytest.fixture
def ansible_inventory(collections_path, emulator, tmp_path):
    """Run ansible-inventory (or, with ``playbook``, ansible-playbook) on an inventory file written from
    ``config`` (a dict) as ``<name>.msgraph_devices.yml``; a source that cannot be parsed fails the command."""
    def run(config, args=('--list',), env=None, app='reader-secret', name='test', playbook=None):
        path = tmp_path / ('%s.msgraph_devices.yml' % name)
        path.write_text(json.dumps(config))
        environment = ansible_environment(collections_path, emulator, tmp_path, app,
                                          dict({'ANSIBLE_INVENTORY_UNPARSED_FAILED': 'true'}, **(env or {})))
        if playbook:
            command = [os.path.join(BIN, 'ansible-playbook'), '-i', str(path), os.path.join(PLAYBOOKS, playbook)]
        else:
            command = [os.path.join(BIN, 'ansible-inventory'), '-i', str(path)]
        return run_ansible(command + list(args), environment)
    return run


@pytest.fixture
def awx_env(emulator, tmp_path):
    """The environment AWX's "Microsoft Graph Security" credential injects for the emulator's secret app."""
    return inject(emulator_inputs(emulator), tmp_path / 'awx')


@pytest.fixture
def respond(ansible_playbook, emulator, tmp_path):
    """respond(module, app=..., args=(), **task_args) -> (registered result, the run); the emulator is reset around it."""
    def run(module, app=RESPONDER, args=(), **task_args):
        path = tmp_path / ('result-%d.json' % next(_RESULTS))
        played = ansible_playbook('respond_task.yml', dict(module=module, task_args=task_args, result_path=str(path)),
                                  app=app, args=args)
        assert played.rc == 0, played
        return json.loads(path.read_text()), played
    emulator.reset()
    emulator.set_machine_actions(pending_seconds=0.3, progress_seconds=0.3)
    yield run
    emulator.reset()
