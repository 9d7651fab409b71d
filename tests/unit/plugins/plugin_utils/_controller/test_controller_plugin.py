"""The controller-side plugin base on its own: a fake lookup and a fake inventory plugin stand on it.

The fakes declare their options in Ansible's configuration as a documented plugin would (so Ansible's
own option resolution runs); the Graph client is never built here.
"""
import pytest

from ansible import constants as C
from ansible.errors import AnsibleLookupError, AnsibleParserError
from ansible.plugins.inventory import BaseInventoryPlugin, Cacheable, Constructable
from ansible.plugins.lookup import LookupBase
from ansible.release import __version__ as ansible_version

from ansible_collections.msgraph.security.plugins.module_utils._core.connection_options import CONNECTION_OPTIONS
from ansible_collections.msgraph.security.plugins.module_utils._core.errors import AuthenticationError
from ansible_collections.msgraph.security.plugins.plugin_utils._controller import controller_plugin
from ansible_collections.msgraph.security.plugins.plugin_utils._controller.controller_plugin import ControllerPlugin

CORE = tuple(int(part) for part in ansible_version.split('.')[:2])


def definitions(**extra):
    """What ansible-doc's loader would register for a plugin extending the connection fragments."""
    defs = dict((name, dict(type='str', env=[{'name': env} for env in reversed(option.get('env', []))],
                            vars=[{'name': 'msgraph_' + name}]))
                for name, option in CONNECTION_OPTIONS.items())
    defs.update(extra)
    return defs


class LookupModule(ControllerPlugin, LookupBase):
    plugin_error = AnsibleLookupError

    def run(self, terms, variables=None, **kwargs):
        return []


class InventoryModule(ControllerPlugin, BaseInventoryPlugin, Constructable, Cacheable):
    plugin_error = AnsibleParserError
    not_user_options = ()


def make(cls, name, **extra):
    C.config.initialize_plugin_configuration_definitions(cls().plugin_type, name, definitions(**extra))
    plugin = cls()
    plugin._load_name = name
    return plugin


@pytest.fixture
def lookup():
    return make(LookupModule, 'msgraph.security.fake', _terms=dict(type='list'), max_items=dict(type='int'))


@pytest.fixture
def inventory():
    return make(InventoryModule, 'msgraph.security.fakeinv', plugin=dict(type='str', required=True))


def test_direct_beats_variable_beats_environment(lookup, monkeypatch):
    monkeypatch.setenv('AZURE_TENANT_ID', 't-env')
    monkeypatch.setenv('AZURE_CLIENT_ID', 'c-env')
    monkeypatch.setenv('AZURE_CLIENT_SECRET', 's-env')
    options = lookup.resolve_options(dict(tenant_id='t-direct', max_items=3),
                                     dict(msgraph_tenant_id='t-var', msgraph_client_id='c-var', other='x'))
    assert [options.get(name) for name in ('tenant_id', 'client_id', 'client_secret', 'max_items')] == [
        't-direct', 'c-var', 's-env', 3]


def test_variables_pass_through_the_render_hook(lookup):
    lookup.render_variable = lambda value: value.upper()
    options = lookup.resolve_options({}, dict(msgraph_tenant_id='t-var'))
    assert options.get('tenant_id') == 'T-VAR'


def test_an_unknown_option_is_refused_before_anything_is_resolved(lookup):
    refusal = r'^msgraph\.security\.fake: unknown options tenant, top; known options: access_token, .*max_items.*\.$'
    with pytest.raises(AnsibleLookupError, match=refusal) as error:
        lookup.resolve_options(dict(tenant='t', top=1))
    assert '_terms' not in str(error.value)
    assert lookup._options == {}


def test_the_inventory_plugin_refuses_with_its_own_error_and_knows_its_plugin_key(inventory):
    assert inventory.resolve_options(dict(plugin='msgraph.security.fakeinv')).get('plugin') == 'msgraph.security.fakeinv'
    with pytest.raises(AnsibleParserError, match=r'^msgraph\.security\.fakeinv: unknown option filters; known options: .*plugin'):
        inventory.resolve_options(dict(plugin='msgraph.security.fakeinv', filters='x'))


@pytest.mark.parametrize('fixture, error', [('lookup', AnsibleLookupError), ('inventory', AnsibleParserError)])
def test_a_missing_requests_is_the_plugin_types_error_saying_what_to_install(request, fixture, error, monkeypatch):
    plugin = request.getfixturevalue(fixture)
    monkeypatch.setattr(controller_plugin, 'HAS_REQUESTS', False)
    with pytest.raises(error, match=r'^msgraph\.security\.fake(inv)? needs the Python library requests on the controller'
                                    r' \(pip install requests\)\.$'):
        plugin.require_libraries()


@pytest.mark.parametrize('fixture, error', [('lookup', AnsibleLookupError), ('inventory', AnsibleParserError)])
def test_graph_errors_become_the_plugin_types_error_naming_the_plugin(request, fixture, error):
    plugin = request.getfixturevalue(fixture)
    with pytest.raises(error, match=r'^msgraph\.security\.fake(inv)?: Entra ID refused the client secret$'):
        with plugin.graph_errors():
            raise AuthenticationError('Entra ID refused the client secret')


def test_other_errors_are_not_rewritten(lookup):
    with pytest.raises(KeyError):
        with lookup.graph_errors():
            raise KeyError('a bug stays a bug')


def test_verbose_output_names_where_each_connection_option_came_from_never_its_value(lookup, monkeypatch):
    shown = []
    monkeypatch.setattr(controller_plugin.display, 'verbosity', 3)
    monkeypatch.setattr(controller_plugin.display, 'vvv', lambda text, *a, **k: shown.append(text))
    monkeypatch.setenv('AZURE_CLIENT_SECRET', 'very-secret-value')
    lookup.resolve_options(dict(tenant_id='t-direct'), dict(msgraph_client_id='c-var'))
    assert len(shown) == 1
    assert shown[0].startswith('msgraph.security.fake: connection options: ')
    assert 'client_secret from env: AZURE_CLIENT_SECRET' in shown[0]
    if CORE >= (2, 19):  # older cores record no origin for direct and variable options (they say 'default')
        assert 'tenant_id from Direct' in shown[0]
        assert 'client_id from var: msgraph_client_id' in shown[0]
    assert not any(value in shown[0] for value in ('t-direct', 'c-var', 'very-secret-value'))


def test_quiet_below_vvv(lookup, monkeypatch):
    shown = []
    monkeypatch.setattr(controller_plugin.display, 'verbosity', 2)
    monkeypatch.setattr(controller_plugin.display, 'vvv', lambda text, *a, **k: shown.append(text))
    lookup.resolve_options(dict(tenant_id='t-direct'))
    assert shown == []
