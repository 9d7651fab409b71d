"""Copy the collection's source files into DEST/ansible_collections/msgraph/security.

ansible-test must run from a path ending in ansible_collections/NAMESPACE/NAME, and the repository
root is not one. The copy holds what git would commit (tracked plus untracked files that .gitignore
does not exclude), so venvs, build output and caches stay out of it.

usage: python tests/gates/collection_tree.py DEST   (prints the collection path)
"""
import os
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# Used only where there is no git checkout (a source tarball): everything but these.
_SKIP_DIRS = {'.git', '.venv', '.nox', '.tox', 'build', '.emulator', '.pytest_cache', '.hypothesis', '__pycache__',
              'output'}


def source_files():
    try:
        listed = subprocess.run(['git', 'ls-files', '--cached', '--others', '--exclude-standard', '-z'], cwd=ROOT,
                                check=True, capture_output=True).stdout.decode('utf-8')
        return [path for path in listed.split('\0') if path and os.path.isfile(os.path.join(ROOT, path))]
    except (OSError, subprocess.CalledProcessError):
        files = []
        for directory, dirs, names in os.walk(ROOT):
            dirs[:] = [name for name in dirs if name not in _SKIP_DIRS and not name.startswith('.venv')]
            files.extend(os.path.relpath(os.path.join(directory, name), ROOT) for name in names)
        return files


def main(dest):
    namespace, name = 'msgraph', 'security'
    target = os.path.join(os.path.abspath(dest), 'ansible_collections', namespace, name)
    if os.path.isdir(target):
        shutil.rmtree(target)
    for path in source_files():
        os.makedirs(os.path.dirname(os.path.join(target, path)), exist_ok=True)
        shutil.copy2(os.path.join(ROOT, path), os.path.join(target, path))
    print(target)


if __name__ == '__main__':
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
