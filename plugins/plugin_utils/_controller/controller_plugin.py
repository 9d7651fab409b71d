# -*- coding: utf-8 -*-
# Copyright: contributors to the msgraph.security collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Internal to msgraph.security (not a public API): it may change in any release, even a bugfix one.
"""What every controller-side plugin of the collection (lookups, inventory plugins) does around its work.

ControllerPlugin is a mixin placed before the Ansible base class, for example
``class GraphLookup(ControllerPlugin, LookupBase)`` or
``class InventoryModule(ControllerPlugin, BaseInventoryPlugin, Constructable, Cacheable)``.
It checks that requests is installed, refuses option names the plugin does not document (Ansible
would ignore them), resolves the options (direct, msgraph_* variables, env, ini) and shows at -vvv
where each connection option came from (never its value), builds the Graph client on the run's shared
tokens (run_tokens), and turns every MsGraphError into the plugin type's Ansible error (``plugin_error``)
prefixed with the plugin's name.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from contextlib import contextmanager

from ansible import constants as C
from ansible.errors import AnsibleError
from ansible.utils.display import Display

from ansible_collections.msgraph.security.plugins.module_utils._core.connection_options import CONNECTION_OPTIONS
from ansible_collections.msgraph.security.plugins.module_utils._core.errors import MsGraphError
from ansible_collections.msgraph.security.plugins.module_utils._core.graph_client import GraphClient
from ansible_collections.msgraph.security.plugins.module_utils._core.option_adapter import OptionAdapter
from ansible_collections.msgraph.security.plugins.module_utils._core.run_tokens import make_store, share
from ansible_collections.msgraph.security.plugins.module_utils._core.transport import HAS_REQUESTS
from ansible_collections.msgraph.security.plugins.plugin_utils._controller.option_docs import VARS_PREFIX

display = Display()


def run_store():
    """The run's token store (in Ansible's local temporary directory of this run), or None when it cannot be made."""
    try:
        return make_store(C.DEFAULT_LOCAL_TMP)
    except OSError:
        return None


def token_words(used, audience):
    if used == 'acquired':
        return 'acquired a token for %s, shared with the rest of this run' % audience
    return 'used the token for %s shared in this run' % audience


class ControllerPlugin(object):
    # The Ansible error of the plugin type: AnsibleLookupError for lookups, AnsibleParserError for
    # inventory plugins (the inventory manager reports it as "Failed to parse ...").
    plugin_error = AnsibleError
    # Documented names a user cannot set as options (a lookup's terms).
    not_user_options = ('_terms',)

    @property
    def graph_plugin_name(self):
        return 'msgraph.security.' + self._load_name.split('.')[-1]

    def require_libraries(self):
        if not HAS_REQUESTS:
            raise self.plugin_error('%s needs the Python library requests on the controller'
                                    ' (pip install requests).' % self.graph_plugin_name)

    def refuse_unknown_options(self, given):
        known = set(C.config.get_configuration_definitions(self.plugin_type, self._load_name)) - set(self.not_user_options)
        unknown = sorted(set(given) - known)
        if unknown:
            # Ansible would ignore them: a misspelled filter would silently return everything.
            raise self.plugin_error('%s: unknown option%s %s; known options: %s.' % (
                self.graph_plugin_name, 's' if len(unknown) > 1 else '', ', '.join(unknown), ', '.join(sorted(known))))

    def resolve_options(self, direct, variables=None):
        """Refuse unknown names in ``direct``, then resolve every option; returns the OptionAdapter modules also use.

        ``variables`` are the play (or extra) variables: only the msgraph_<option> ones are read.
        """
        self.refuse_unknown_options(direct)
        self.set_options(var_options=self.connection_variables(variables), direct=direct)
        self.show_origins()
        return OptionAdapter(self.get_option)

    def connection_variables(self, variables):
        return dict((name, self.render_variable(value)) for name, value in (variables or {}).items()
                    if name.startswith(VARS_PREFIX))

    def render_variable(self, value):
        """A plugin type that receives variables unrendered templates them here (lookups do)."""
        return value

    def show_origins(self):
        """-vvv: where each connection option set came from (direct, var, env, ini), never its value."""
        if display.verbosity < 3 or not hasattr(self, 'get_option_and_origin'):
            return
        origins = []
        for option in CONNECTION_OPTIONS:
            value, origin = self.get_option_and_origin(option)
            if value is not None and origin != 'default':
                origins.append('%s from %s' % (option, origin))
        display.vvv('%s: connection options: %s' % (self.graph_plugin_name, '; '.join(origins) or 'all defaults'))

    def graph_client(self, options):
        return share(GraphClient.from_options(options), run_store(), self.say_token)

    def say_token(self, used, audience):
        display.vvv('%s: %s' % (self.graph_plugin_name, token_words(used, audience)))

    @contextmanager
    def graph_errors(self):
        """Every MsGraphError inside becomes the plugin type's error, naming the plugin."""
        try:
            yield
        except MsGraphError as error:
            raise self.plugin_error('%s: %s' % (self.graph_plugin_name, error))
