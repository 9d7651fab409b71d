"""Running one ansible-playbook the way a user would, and measuring it.

Each run is a real `ansible-playbook` process with a clean environment (credentials only through
AZURE_* / MSGRAPH_* variables, as AWX injects them). Wall time is measured around the process,
peak memory comes from os.wait4() (the largest resident set of ansible-playbook and the worker
and module processes it waited for), round trips from the emulator's request log.
"""
import json
import os
import subprocess
import sys
import tempfile
import time

BENCH = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(BENCH)
PLAYBOOKS = os.path.join(BENCH, 'playbooks')
BIN = os.path.dirname(sys.executable)
# Variables a developer's shell may carry that would change what a run sees.
_SCRUB = ('AZURE_', 'MSGRAPH_', 'ANSIBLE_', 'REQUESTS_CA_BUNDLE', 'CURL_CA_BUNDLE', 'HTTPS_PROXY', 'https_proxy',
          'IDENTITY_', 'MSI_', 'IMDS_', 'PYTHONPATH', 'BENCH_')


def install_collection(work_dir):
    """Build the tarball and install it, as a user gets the collection; returns the collections path."""
    galaxy = os.path.join(BIN, 'ansible-galaxy')
    subprocess.run([galaxy, 'collection', 'build', ROOT, '--output-path', work_dir, '--force'],
                   check=True, capture_output=True)
    tarball = next(name for name in os.listdir(work_dir) if name.startswith('msgraph-security-'))
    installed = os.path.join(work_dir, 'collections')
    subprocess.run([galaxy, 'collection', 'install', os.path.join(work_dir, tarball), '-p', installed, '--force'],
                   check=True, capture_output=True)
    return installed


class Run:
    """The measurements of one ansible-playbook run."""

    def __init__(self, rc, wall, maxrss_kib, requests, task_times, output):
        self.rc = rc
        self.wall = wall
        self.peak_mib = maxrss_kib / 1024.0
        self.requests = requests
        self.round_trips = sum(1 for entry in requests if not entry['in_batch'])
        self.task_times = task_times
        self.output = output


class Runner:
    """Runs playbooks from bench/playbooks against one emulator."""

    def __init__(self, emulator, collections_path, work_dir):
        self.emulator = emulator
        self.collections_path = collections_path
        self.work_dir = work_dir

    def environment(self, app='reader-secret', env=None):
        environment = dict((k, v) for k, v in os.environ.items() if not k.startswith(_SCRUB))
        environment.update(self.emulator.env(app))
        environment.update({
            'ANSIBLE_COLLECTIONS_PATH': self.collections_path,
            'ANSIBLE_COLLECTIONS_SCAN_SYS_PATH': 'false',
            'ANSIBLE_LOCAL_TEMP': os.path.join(self.work_dir, 'ansible-tmp'),
            # The bench's own user cache: the OpenID configuration is kept across its runs, as for a user.
            'XDG_CACHE_HOME': os.path.join(self.work_dir, 'user-cache'),
            'ANSIBLE_NOCOLOR': '1',
            'ANSIBLE_FORCE_COLOR': '0',
            'ANSIBLE_PYTHON_INTERPRETER': sys.executable,
            'ANSIBLE_LOCALHOST_WARNING': 'false',
            'ANSIBLE_INVENTORY_UNPARSED_WARNING': 'false',
            'ANSIBLE_CALLBACK_PLUGINS': os.path.join(BENCH, 'callback_plugins'),
            'ANSIBLE_CALLBACKS_ENABLED': 'bench_timer',
            'PATH': BIN + os.pathsep + os.environ.get('PATH', ''),
        })
        for key, value in (env or {}).items():
            if value is None:
                environment.pop(key, None)
            else:
                environment[key] = value
        return environment

    def run(self, playbook, extra_vars=None, env=None, inventory=None, app='reader-secret'):
        """Run one playbook with ``app``'s credentials; the emulator's request log covers exactly this run."""
        fd, timer_file = tempfile.mkstemp(prefix='tasks-', suffix='.json', dir=self.work_dir)
        os.close(fd)
        vars_file = os.path.join(self.work_dir, 'extra-vars.json')
        with open(vars_file, 'w') as handle:
            json.dump(extra_vars or {}, handle)
        command = [os.path.join(BIN, 'ansible-playbook'), os.path.join(PLAYBOOKS, playbook), '-e', '@' + vars_file]
        if inventory:
            command += ['-i', os.path.join(PLAYBOOKS, inventory)]
        environment = self.environment(app, env=dict(env or {}, BENCH_TIMER_FILE=timer_file))
        log_path = os.path.join(self.work_dir, 'last-run.log')
        self.emulator.clear_requests()
        with open(log_path, 'wb') as log:
            start = time.perf_counter()
            process = subprocess.Popen(command, env=environment, stdout=log, stderr=subprocess.STDOUT,
                                       stdin=subprocess.DEVNULL, cwd=self.work_dir)
            dummy, status, usage = os.wait4(process.pid, 0)
            wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        requests = self.emulator.requests()
        with open(log_path, errors='replace') as log:
            output = log.read()
        try:
            with open(timer_file) as handle:
                task_times = json.load(handle)
        except ValueError:
            task_times = []
        os.unlink(timer_file)
        return Run(process.returncode, wall, usage.ru_maxrss, requests, task_times, output)
