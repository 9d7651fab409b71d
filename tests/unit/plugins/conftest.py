"""Render Jinja expressions the way a playbook does, so the plugins are found by their FQCN.

Ansible resolves FQCNs through its collection finder, which must own the ansible_collections
package. The rest of the unit tests import it plainly from sys.path, so the finder is installed
only for the test module that asks for it and the plain modules are put back afterwards.
"""
import sys

import pytest

from ansible.parsing.dataloader import DataLoader
from ansible.template import Templar

try:
    from ansible.template import trust_as_template
except ImportError:  # ansible-core < 2.19 templates every string
    def trust_as_template(text):
        return text
    from ansible.template import AnsibleNativeEnvironment
    NATIVE = dict(environment_class=AnsibleNativeEnvironment)
else:  # 2.19 and later keep the types of what a template returns
    NATIVE = None

from tests.dev_collection import COLLECTIONS_PATH


def _collection_modules():
    return dict((name, module) for name, module in sys.modules.items()
                if name == 'ansible_collections' or name.startswith('ansible_collections.'))


@pytest.fixture(scope='module')
def render():
    from ansible.plugins.loader import init_plugin_loader
    from ansible.utils.collection_loader._collection_finder import _AnsibleCollectionFinder

    plain = _collection_modules()
    for name in plain:
        del sys.modules[name]
    init_plugin_loader([COLLECTIONS_PATH])

    def render(expression, **variables):
        templar = Templar(loader=DataLoader(), variables=variables)  # ansible-core < 2.19 requires a loader
        if NATIVE:  # before 2.19, native types (an int stays an int) only with jinja2_native
            templar = templar.copy_with_new_env(**NATIVE)
        return templar.template(trust_as_template('{{ %s }}' % expression))
    try:
        yield render
    finally:
        _AnsibleCollectionFinder._remove()
        for name in _collection_modules():
            del sys.modules[name]
        sys.modules.update(plain)


@pytest.fixture(autouse=True)
def fresh_msal_apps():
    """Each test starts without MSAL applications cached by an earlier test in this process
    (a cached token would hide the Entra ID behaviour a test sets up)."""
    from ansible_collections.msgraph.security.plugins.module_utils._core import msal_apps
    msal_apps.clear()
    yield
    msal_apps.clear()
