"""Run the real ansible-rulebook (a Java-backed rule engine) as a subprocess and read its output as it comes."""
import os
import shutil
import signal
import subprocess
import sys
import threading
import time

import pytest

BIN = os.path.dirname(sys.executable)
RULEBOOK = os.path.join(BIN, 'ansible-rulebook')
# Variables a developer's shell may carry that would change what a run sees.
_SCRUB = ('AZURE_', 'MSGRAPH_', 'ANSIBLE_', 'REQUESTS_CA_BUNDLE', 'CURL_CA_BUNDLE', 'HTTPS_PROXY', 'https_proxy')


def require_rulebook():
    """ansible-rulebook is in tests/requirements.txt, so `make test` has it; a venv without it skips, saying why."""
    if not os.path.exists(RULEBOOK):
        pytest.skip('ansible-rulebook is not installed in %s (pip install -r tests/requirements.txt)' % BIN)
    if not java_home():
        pytest.skip('ansible-rulebook needs Java 17+: no java on PATH and JAVA_HOME unset')


def java_home():
    """JAVA_HOME, or the JDK that the java on PATH belongs to (.../bin/java)."""
    if os.environ.get('JAVA_HOME'):
        return os.environ['JAVA_HOME']
    java = shutil.which('java')
    return os.path.dirname(os.path.dirname(os.path.realpath(java))) if java else None


class RulebookRun:
    """A running ansible-rulebook; ``wait_for(text)`` blocks until its output has it."""

    def __init__(self, command, env, cwd):
        self.process = subprocess.Popen(command, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                        text=True, start_new_session=True)
        self._lines = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self):
        for line in self.process.stdout:
            self._lines.append(line)

    @property
    def output(self):
        return ''.join(self._lines)

    def wait_for(self, text, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in self.output:
                return
            if self.process.poll() is not None:
                self._reader.join(5)
                if text in self.output:
                    return
                raise AssertionError('ansible-rulebook exited (rc=%s) without printing %r:\n%s'
                                     % (self.process.returncode, text, self.output[-8000:]))
            time.sleep(0.1)
        raise AssertionError('no %r within %ss:\n%s' % (text, timeout, self.output[-8000:]))

    def wait_exit(self, timeout=60):
        rc = self.process.wait(timeout)
        self._reader.join(5)
        return rc

    def stop(self, sig=signal.SIGINT):
        """SIGINT (Ctrl+C), SIGTERM (a container stop) or SIGKILL to the process group; waits for the exit."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, sig)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self._reader.join(5)


def start_rulebook(collections_path, rulebook, workdir, env=None, variables=None, args=()):
    """ansible-rulebook -i localhost --rulebook RULEBOOK [--vars FILE] -v [ARGS], in ``workdir``, with ``env`` added."""
    import yaml
    inventory = os.path.join(workdir, 'inventory.yml')
    with open(inventory, 'w') as handle:
        handle.write('all:\n  hosts:\n    localhost:\n      ansible_connection: local\n')
    command = [RULEBOOK, '-i', inventory, '--rulebook', rulebook, '-v']
    if variables:
        vars_file = os.path.join(workdir, 'vars.yml')
        with open(vars_file, 'w') as handle:
            yaml.safe_dump(variables, handle)
        command += ['--vars', vars_file]
    command += list(args)
    environment = dict((k, v) for k, v in os.environ.items() if not k.startswith(_SCRUB))
    environment.update({
        'ANSIBLE_COLLECTIONS_PATH': collections_path,
        'ANSIBLE_COLLECTIONS_SCAN_SYS_PATH': 'false',
        'ANSIBLE_LOCAL_TEMP': os.path.join(workdir, 'tmp'),
        'ANSIBLE_NOCOLOR': '1',
        'ANSIBLE_FORCE_COLOR': '0',
        'ANSIBLE_PYTHON_INTERPRETER': sys.executable,
        'ANSIBLE_LOCALHOST_WARNING': 'false',
        'JAVA_HOME': java_home(),
        # ansible-rulebook finds collections with ansible-galaxy and runs playbooks with ansible-playbook.
        'PATH': BIN + os.pathsep + os.environ.get('PATH', ''),
    })
    environment.update(env or {})
    return RulebookRun(command, environment, workdir)
