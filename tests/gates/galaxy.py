"""Galaxy gate: build the artifact, check what it holds, install it, smoke-run it, run galaxy-importer.

1. `ansible-galaxy collection build` into a temporary folder.
2. The tarball must hold what users need and none of the development files that galaxy.yml's
   build_ignore keeps out (venvs, tests other than tests/sanity, the emulator, build output...).
3. `ansible-galaxy collection install` of the tarball into a clean path, then tests/gates/smoke.yml
   runs from that copy (module, lookup, filter, tests, role) against the local emulator, so a file
   missing from the artifact fails here.
4. galaxy-importer (the checks Galaxy runs on upload: ansible-doc of every plugin, ansible-lint,
   flake8, changelog, metadata) on the tarball, with tests/gates/galaxy-importer.cfg; any ERROR or
   WARNING it logs, or a failed import, fails the gate.

usage: python tests/gates/galaxy.py --importer-python PATH
  run with the test venv's python (the emulator and ansible-playbook come from it);
  PATH: the python of the venv holding galaxy-importer (.venv-gates).
"""
import argparse
import fnmatch
import glob
import json
import os
import subprocess
import sys
import tarfile
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, ROOT)

from tests.emulator.fixture import start_emulator  # noqa: E402

BIN = os.path.dirname(sys.executable)
NAMESPACE, NAME = 'msgraph', 'security'

# Files the artifact must contain (what users, ansible-builder and Galaxy read).
REQUIRED = [
    'MANIFEST.json', 'FILES.json', 'README.md', 'CHANGELOG.md', 'changelogs/changelog.yaml', 'meta/runtime.yml',
    'meta/execution-environment.yml', 'requirements.txt', 'plugins/modules/incident_info.py',
    'plugins/lookup/incident.py', 'plugins/doc_fragments/connection.py',
]
# Development files that must stay out of it (galaxy.yml's build_ignore).
FORBIDDEN = [
    '.venv*', '.nox*', '.tox*', '.git*', '.ansible/*', '.hypothesis*', '.emulator*', '.pytest_cache*', '.ci*', 'build/*',
    'bench/*', 'demo/*', 'Makefile', 'noxfile.py', 'conftest.py', 'pytest.ini', '*.tar.gz',
    'changelogs/fragments/*', 'changelogs/.plugin-cache.yaml', '*__pycache__*',
]


def development_file(name):
    # Of tests/, only tests/sanity (ansible-test ignore files) belongs in the artifact.
    if name.startswith('tests/') and not name.startswith('tests/sanity/'):
        return True
    return any(fnmatch.fnmatch(name, pattern) for pattern in FORBIDDEN)


def step(title):
    print('\n== %s' % title, flush=True)
    return time.monotonic()


def run(args, env=None, check=True, **kwargs):
    result = subprocess.run(args, env=env, capture_output=True, text=True, timeout=900, check=False, **kwargs)
    if check and result.returncode:
        sys.exit('%s failed (rc=%s):\n%s%s' % (' '.join(args), result.returncode, result.stdout, result.stderr))
    return result


def build(work):
    run([os.path.join(BIN, 'ansible-galaxy'), 'collection', 'build', ROOT, '--output-path', work])
    return glob.glob(os.path.join(work, '%s-%s-*.tar.gz' % (NAMESPACE, NAME)))[0]


def check_contents(tarball):
    with tarfile.open(tarball) as archive:
        names = [member.name for member in archive.getmembers() if member.isfile()]
    missing = [name for name in REQUIRED if name not in names]
    unwanted = sorted(name for name in names if development_file(name))
    if missing or unwanted:
        sys.exit('artifact %s:\n  missing: %s\n  development files (add them to build_ignore in galaxy.yml): %s'
                 % (os.path.basename(tarball), missing, unwanted))
    print('%s: %d files, %d KiB; required files present, no development files'
          % (os.path.basename(tarball), len(names), os.path.getsize(tarball) // 1024))


def smoke(tarball, work):
    path = os.path.join(work, 'collections')
    run([os.path.join(BIN, 'ansible-galaxy'), 'collection', 'install', tarball, '-p', path])
    env = dict((key, value) for key, value in os.environ.items()
               if not key.startswith(('ANSIBLE_', 'AZURE_', 'MSGRAPH_', 'IDENTITY_')))
    with start_emulator(os.path.join(work, 'emulator')) as emulator:
        env.update(emulator.env('reader-secret'))
        env.update(ANSIBLE_COLLECTIONS_PATH=path, ANSIBLE_COLLECTIONS_SCAN_SYS_PATH='false',
                   ANSIBLE_LOCAL_TEMP=os.path.join(work, 'tmp'), ANSIBLE_NOCOLOR='1',
                   ANSIBLE_PYTHON_INTERPRETER=sys.executable, ANSIBLE_LOCALHOST_WARNING='false',
                   ANSIBLE_INVENTORY_UNPARSED_WARNING='false', PATH=BIN + os.pathsep + env.get('PATH', ''))
        # Run from an empty folder: nothing next to the playbook may stand in for the installed copy.
        playbook = os.path.join(work, 'smoke.yml')
        with open(os.path.join(ROOT, 'tests', 'gates', 'smoke.yml')) as source, open(playbook, 'w') as target:
            target.write(source.read())
        result = run([os.path.join(BIN, 'ansible-playbook'), playbook], env=env, check=False, cwd=work)
    print(result.stdout[-3000:])
    if result.returncode or '[WARNING]' in result.stderr or '[DEPRECATION WARNING]' in result.stderr:
        sys.exit('smoke playbook from the installed collection failed (rc=%s):\n%s'
                 % (result.returncode, result.stderr))


def importer(tarball, work, python):
    gates_bin = os.path.dirname(python)
    env = dict(os.environ, GALAXY_IMPORTER_CONFIG=os.path.join(ROOT, 'tests', 'gates', 'galaxy-importer.cfg'),
               GALAXY_IMPORTER_ANSIBLE_LOCAL_TMP=os.path.join(work, 'importer-tmp'),
               # galaxy-importer finds ansible-doc, ansible-lint and flake8 on PATH.
               PATH=gates_bin + os.pathsep + os.environ.get('PATH', ''))
    for key in [key for key in env if key.startswith('ANSIBLE_')]:
        del env[key]
    folder = os.path.join(work, 'importer')
    os.makedirs(folder)
    result = run([python, '-m', 'galaxy_importer.main', tarball], env=env, check=False, cwd=folder)
    output = result.stdout + result.stderr
    print(output.strip())
    findings = [line for line in output.splitlines() if line.startswith(('ERROR', 'WARNING', 'CRITICAL'))
                or 'Traceback' in line]
    results = os.path.join(folder, 'importer_result.json')
    if result.returncode or findings or 'Importer processing completed successfully' not in output \
            or not os.path.exists(results):
        sys.exit('galaxy-importer failed (rc=%s), %d finding(s):\n%s' % (result.returncode, len(findings),
                                                                         '\n'.join(findings)))
    with open(results) as handle:
        contents = json.load(handle).get('contents', [])
    print('galaxy-importer: %d content items, no errors or warnings' % len(contents))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--importer-python', required=True, help="python of the venv with galaxy-importer")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix='msgraph-galaxy-') as work:
        times = []
        start = step('ansible-galaxy collection build')
        tarball = build(work)
        check_contents(tarball)
        times.append(('build + contents', time.monotonic() - start))
        start = step('install the tarball into a clean path, smoke playbook against the emulator')
        smoke(tarball, work)
        times.append(('install + smoke', time.monotonic() - start))
        start = step('galaxy-importer')
        importer(tarball, work, os.path.abspath(args.importer_python))
        times.append(('galaxy-importer', time.monotonic() - start))
    print('\ngalaxy gate passed (%s)' % ', '.join('%s %.0fs' % item for item in times))


if __name__ == '__main__':
    main()
