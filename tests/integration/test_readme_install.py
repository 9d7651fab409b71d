"""The README's install instructions for Galaxy users name the Python requirements the collection ships.

ansible-galaxy installs no Python libraries, so the README points at the collection's own
requirements.txt; a README that listed packages by hand would fall behind it (it did: two of three).
"""
import os
import re
import subprocess
import sys

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def requirement_names(text):
    return set(re.split(r'[<>=!~ ;\[]', line, maxsplit=1)[0].strip().lower()
               for line in text.splitlines() if line.strip() and not line.strip().startswith('#'))


def test_every_pip_install_in_the_readme_installs_all_of_requirements_txt():
    with open(os.path.join(ROOT, 'README.md')) as handle:
        readme = handle.read()
    with open(os.path.join(ROOT, 'requirements.txt')) as handle:
        needed = requirement_names(handle.read())
    commands = re.findall(r'pip install ([^\n`]*)', readme)
    assert commands, 'the README says how to install the Python requirements'
    for command in commands:
        if '-r ' in command:
            assert re.search(r'-r \S*ansible_collections/msgraph/security/requirements\.txt', command), command
        else:
            assert needed <= set(word.lower() for word in command.split()), (command, needed)


def test_the_installed_collection_carries_the_requirements_file_the_readme_names(collections_path):
    """The README's path, under an install from the tarball, is the root requirements.txt; pip reads it."""
    installed = os.path.join(collections_path, 'ansible_collections', 'msgraph', 'security', 'requirements.txt')
    with open(installed) as handle, open(os.path.join(ROOT, 'requirements.txt')) as root:
        assert handle.read() == root.read()
    # What the README's pip line does, offline: every requirement resolves (they are installed here).
    checked = subprocess.run([sys.executable, '-m', 'pip', 'install', '--no-index', '--dry-run', '-r', installed],
                             capture_output=True, text=True, check=False)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    with open(os.path.join(ROOT, 'meta', 'execution-environment.yml')) as handle:
        assert yaml.safe_load(handle)['dependencies']['python'] == 'requirements.txt'


def test_the_readme_leads_with_installing_and_using_then_development():
    """The README ships in the Galaxy tarball, which has no tests and no emulator: make targets come later."""
    with open(os.path.join(ROOT, 'README.md')) as handle:
        readme = handle.read()
    headings = re.findall(r'(?m)^## (.+)$', readme)
    assert headings[0] == 'Installing'
    first_make = readme.index('make ')
    for using in ('## Installing', '## Using it with a real tenant', '## What is in it'):
        assert readme.index(using) < first_make, using


def test_the_readme_first_playbook_runs(ansible_playbook, emulator, tmp_path):
    """incident.yml from "Using it with a real tenant", run as given, with credentials from the environment."""
    with open(os.path.join(ROOT, 'README.md')) as handle:
        playbook = re.search(r'```yaml\n(# incident\.yml\n.*?)```', handle.read(), re.S).group(1)
    path = tmp_path / 'incident.yml'
    path.write_text(playbook)
    for incident_id in ('2972395', emulator.incident_ids("severity eq 'high' and status eq 'active'")[0]):
        stored = emulator.incident(incident_id)
        acts = stored['severity'] == 'high' and stored['status'] == 'active'
        run = ansible_playbook(str(path), dict(incident_id=incident_id))
        assert run.rc == 0, run
        assert ('"msg": "Contain incident %s: ' % incident_id in run.stdout) is acts, run
        assert re.search(r'ok=%d +changed=0 +unreachable=0 +failed=0 +skipped=%d' % (2 if acts else 1, 0 if acts else 1),
                         run.stdout), run
