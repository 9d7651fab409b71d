"""The ansible-core version matrix: the whole pytest suite on each core the collection supports.

    make matrix                  # all of them
    .venv/bin/nox -s core-2.16   # one of them

Each session gets its own virtual environment under .nox/ with requirements.txt,
tests/requirements.txt and that ansible-core release, then runs `pytest tests` (unit and
integration tests: the collection is built, installed and driven by that core's ansible-playbook).
The emulator's self-tests (tests/emulator_tests) do not depend on ansible-core: `make pytest` runs them.

ansible-core 2.16 to 2.19 run on Python 3.11; 2.20 and later need Python 3.12+. The 2.21 session
uses Python 3.13 (or 3.12) from PATH or pyenv and is skipped, saying so, where neither exists.
meta/runtime.yml's requires_ansible states the oldest core tested here.
"""
import glob
import os
import shutil
import subprocess
import sys

import nox

# make test already runs the whole suite on 2.19: .venv's Python 3.11 gets the newest core that runs on it,
# which is 2.19 (2.20 needs Python 3.12). So `make matrix` (and CI) adds the oldest and the newest core;
# `.venv/bin/nox -s core-2.19` still runs 2.19 in a venv of its own.
nox.options.sessions = ['core-2.16', 'core-2.21']
nox.options.reuse_existing_virtualenvs = True
nox.options.error_on_missing_interpreters = True

# ansible-core release -> the Python versions it is tested on, preferred first.
MATRIX = {
    '2.16': ('3.11',),
    '2.19': ('3.11',),
    '2.21': ('3.13', '3.12'),
}


def _version_of(python):
    try:
        out = subprocess.run([python, '-c', 'import sys; print("%d.%d" % sys.version_info[:2])'],
                             capture_output=True, text=True, timeout=30, check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    return out.strip()


def find_python(version):
    """An interpreter of this X.Y version: the one running nox, PATH, or pyenv's versions folder."""
    if '%d.%d' % sys.version_info[:2] == version:
        return sys.executable
    candidates = [shutil.which('python' + version)]
    pyenv_root = os.environ.get('PYENV_ROOT') or os.path.expanduser('~/.pyenv')
    if shutil.which('pyenv'):
        try:
            pyenv_root = subprocess.run(['pyenv', 'root'], capture_output=True, text=True, timeout=30,
                                        check=True).stdout.strip() or pyenv_root
        except (OSError, subprocess.SubprocessError):
            pass
    candidates += sorted(glob.glob(os.path.join(pyenv_root, 'versions', version + '.*', 'bin', 'python3')),
                         reverse=True)
    for candidate in candidates:
        # A pyenv shim exists for every version pyenv knows but fails for one not selected: run it.
        if candidate and _version_of(candidate) == version:
            return candidate
    return None


def _interpreter(core):
    for version in MATRIX[core]:
        python = find_python(version)
        if python:
            return python
    return None


def _run_suite(session, core):
    session.install('-r', 'requirements.txt', '-r', 'tests/requirements.txt', 'ansible-core==%s.*' % core)
    session.run('python', '-c', 'import ansible, sys; print("ansible-core %s on Python %s" % '
                '(ansible.__version__, sys.version.split()[0]))')
    # The integration tests run ansible-playbook from this venv's bin: make it the first on PATH.
    session.run('python', '-m', 'pytest', 'tests', '-n', 'auto', '-p', 'no:cacheprovider', *session.posargs,
                env={'PATH': os.path.join(session.virtualenv.location, 'bin') + os.pathsep + os.environ['PATH']})


def _define(core):
    python = _interpreter(core)
    name = 'core-%s' % core
    if python is None:
        @nox.session(name=name, python=False)
        def missing(session):
            session.skip('SKIPPED ansible-core %s: it needs Python %s and no such interpreter was found on PATH '
                         'or under pyenv (install one, e.g. `pyenv install %s`)'
                         % (core, ' or '.join(MATRIX[core]), MATRIX[core][0]))
        return missing

    @nox.session(name=name, python=python)
    def suite(session):
        _run_suite(session, core)
    return suite


for _core in MATRIX:
    globals()['core_' + _core.replace('.', '_')] = _define(_core)
