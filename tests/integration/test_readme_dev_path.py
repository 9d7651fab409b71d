"""The README's commands for using a git checkout by hand, run as written in a shell.

The README block starts the emulator (`make emulator`, in its own terminal), then sources
`.emulator/emulator.env` and runs ansible-doc and ansible-playbook by the collection's names. The test
reads that block from README.md, runs the emulator as `make emulator` does in a copy of the checkout
(so that `.emulator/` is where the README says, without touching a developer's own), and feeds the
other lines to bash with an environment that knows nothing of the collection or of the venv.
"""
import os
import re
import shutil
import signal
import subprocess
import sys
import time

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
NOT_COPIED = shutil.ignore_patterns('.git', '.venv', '.venv-*', '.nox', 'build', '.emulator', '.pytest_cache',
                                    '.hypothesis', '__pycache__', '*.tar.gz', 'output')


def readme_block():
    """The sh block of README.md that sources the emulator's env file, as lines."""
    with open(os.path.join(ROOT, 'README.md')) as handle:
        blocks = re.findall(r'```sh\n(.*?)```', handle.read(), re.S)
    found = [b for b in blocks if 'source .emulator/emulator.env' in b]
    assert len(found) == 1, 'README.md must have one sh block sourcing .emulator/emulator.env'
    return [line for line in found[0].splitlines() if line.strip()]


def make_emulator_recipe():
    with open(os.path.join(ROOT, 'Makefile')) as handle:
        return re.search(r'^emulator: .*\n\t(.*)$', handle.read(), re.M).group(1)


@pytest.fixture
def checkout(tmp_path):
    copy = tmp_path / 'msgraph-security'
    shutil.copytree(ROOT, str(copy), ignore=NOT_COPIED, symlinks=True)
    return copy


def test_the_readme_commands_work_from_a_checkout(checkout, tmp_path):
    lines = readme_block()
    assert lines[0] == 'make emulator'
    # What `make emulator` runs, with this interpreter standing for $(PY) (.venv/bin/python).
    assert make_emulator_recipe() == '$(PY) -m tests.emulator'
    home = tmp_path / 'home'
    home.mkdir()
    clean = dict(HOME=str(home), PATH='/usr/local/bin:/usr/bin:/bin', LANG='C.UTF-8')
    log = open(str(tmp_path / 'emulator.log'), 'wb')
    emulator = subprocess.Popen([sys.executable, '-m', 'tests.emulator'], cwd=str(checkout), env=clean,
                                stdout=log, stderr=subprocess.STDOUT)
    try:
        env_file = checkout / '.emulator' / 'emulator.env'
        deadline = time.monotonic() + 30
        while not env_file.exists() and emulator.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        assert env_file.exists(), (tmp_path / 'emulator.log').read_text()
        script = 'set -e\n' + '\n'.join(lines[1:]) + '\n'
        run = subprocess.run(['bash', '-c', script], cwd=str(checkout), env=clean, capture_output=True, text=True,
                             timeout=600, check=False)
    finally:
        emulator.send_signal(signal.SIGTERM)
        emulator.wait(timeout=15)
        log.close()
    stdout = re.sub(r'\x1b\[[0-9;]*m', '', run.stdout)  # ansible-doc bolds names even without a terminal
    output = stdout + run.stderr
    assert run.returncode == 0, output
    assert 'could not be found' not in output and 'ERROR!' not in output
    # ansible-doc rendered the module from the checkout.
    assert re.search(r'> (MODULE msgraph\.security\.incident_info|MSGRAPH\.SECURITY\.INCIDENT_INFO) +\(%s/build/dev/'
                     % re.escape(str(checkout)), stdout), output
    assert 'Reads security incidents' in stdout, output
    # The shipped triage playbook, by its FQCN: the gate read the incident and one branch ran.
    assert re.search(r'INCIDENT GATE id=2972395 .* decision=pass', stdout), output
    assert re.search(r'"msg": "TRIAGE (HIGH|MEDIUM|LOW) incident 2972395', run.stdout), output
    # The demo playbook, by its path.
    assert 'The lookup sees severity' in run.stdout, output
    assert run.stdout.count('failed=0') == 2, output
