"""The source tree as an installed collection: build/dev/ansible_collections/msgraph/security -> repo root.

Used by the unit tests (import path), by `make demo` and by the emulator's env file
(ANSIBLE_COLLECTIONS_PATH); the
integration tests install the built tarball instead.
"""
import os

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
COLLECTIONS_PATH = os.path.join(ROOT, 'build', 'dev')


def ensure_link():
    link = os.path.join(COLLECTIONS_PATH, 'ansible_collections', 'msgraph', 'security')
    if not os.path.islink(link):
        os.makedirs(os.path.dirname(link), exist_ok=True)
        try:
            os.symlink(ROOT, link)
        except FileExistsError:  # another process (an xdist worker, the emulator) made it first
            pass
    return COLLECTIONS_PATH
