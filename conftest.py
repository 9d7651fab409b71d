"""Make the repository importable as ansible_collections.msgraph.security for the tests."""
import os
import sys

ROOT = os.path.dirname(os.path.abspath(__file__))
COLLECTIONS_DIR = os.path.join(ROOT, 'build', 'dev')
_link = os.path.join(COLLECTIONS_DIR, 'ansible_collections', 'msgraph', 'security')
if not os.path.islink(_link):
    os.makedirs(os.path.dirname(_link), exist_ok=True)
    os.symlink(ROOT, _link)
sys.path.insert(0, COLLECTIONS_DIR)
