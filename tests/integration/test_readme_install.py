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
