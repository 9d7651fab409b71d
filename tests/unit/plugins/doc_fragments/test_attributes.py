"""Every module's attributes, as ansible-doc assembles them from the attributes fragment."""
import os

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))))
MODULES = sorted(name[:-3] for name in os.listdir(os.path.join(ROOT, 'plugins', 'modules')) if name.endswith('.py'))
READ_ONLY = {'connection_info', 'incident_info'}


def attributes(module):
    from ansible.plugins.loader import fragment_loader
    from ansible.utils.plugin_docs import get_docstring
    doc = get_docstring(os.path.join(ROOT, 'plugins', 'modules', module + '.py'), fragment_loader,
                        collection_name='msgraph.security', is_module=True)[0]
    return doc.get('attributes', {})


@pytest.mark.parametrize('module', MODULES)
def test_every_module_documents_check_diff_and_its_action_group(render, module):
    found = attributes(module)
    assert sorted(found) == ['action_group', 'check_mode', 'diff_mode']
    assert found['action_group']['membership'] == ['msgraph.security.graph']
    assert found['check_mode']['support'] == 'full'
    assert all(item.get('description') and item.get('support') for item in found.values())


@pytest.mark.parametrize('module', sorted(READ_ONLY))
def test_read_only_modules_say_they_only_read(render, module):
    found = attributes(module)
    assert found['check_mode']['description'] == 'The module only reads, so it runs the same in check mode.'
    assert found['diff_mode'] == dict(support='none', description='Nothing changes, so there is no diff.')


def test_the_incident_module_diffs_and_the_comment_module_does_not(render):
    assert attributes('incident')['diff_mode']['support'] == 'full'
    assert 'RV(incident)' in attributes('incident')['check_mode']['description']
    assert attributes('incident_comment')['diff_mode']['support'] == 'none'
    assert 'nothing is posted' in attributes('incident_comment')['check_mode']['description']
