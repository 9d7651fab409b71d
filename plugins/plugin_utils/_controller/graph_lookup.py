# -*- coding: utf-8 -*-
# Copyright: contributors to the msgraph.security collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Internal to msgraph.security (not a public API): it may change in any release, even a bugfix one.
"""What every lookup of the collection does around its own work.

A lookup subclasses GraphLookup and implements ``lookup(terms, options, client)``. The base
resolves the options (direct, msgraph_* variables, ini, env), refuses option names it does not
know, checks that requests is installed, builds the Graph client, and turns every MsGraphError
into an AnsibleLookupError prefixed with the lookup's name.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible import constants as C
from ansible.errors import AnsibleLookupError
from ansible.plugins.lookup import LookupBase
from ansible.utils.display import Display

from ansible_collections.msgraph.security.plugins.module_utils._core.connection_options import CONNECTION_OPTIONS
from ansible_collections.msgraph.security.plugins.module_utils._core.errors import MsGraphError
from ansible_collections.msgraph.security.plugins.module_utils._core.graph_client import GraphClient
from ansible_collections.msgraph.security.plugins.module_utils._core.option_adapter import OptionAdapter
from ansible_collections.msgraph.security.plugins.module_utils._core.transport import HAS_REQUESTS
from ansible_collections.msgraph.security.plugins.plugin_utils._controller.option_docs import VARS_PREFIX

display = Display()


class GraphLookup(LookupBase):

    def run(self, terms, variables=None, **kwargs):
        name = 'msgraph.security.' + self._load_name.split('.')[-1]
        if not HAS_REQUESTS:
            raise AnsibleLookupError('%s needs the Python library requests on the controller'
                                     ' (pip install requests).' % name)
        known = set(C.config.get_configuration_definitions('lookup', self._load_name)) - {'_terms'}
        unknown = sorted(set(kwargs) - known)
        if unknown:
            # Ansible would ignore them: a misspelled filter would silently return everything.
            raise AnsibleLookupError('%s: unknown option%s %s; known options: %s.' % (
                name, 's' if len(unknown) > 1 else '', ', '.join(unknown), ', '.join(sorted(known))))
        self.set_options(var_options=self._connection_vars(variables), direct=kwargs)
        self._show_origins(name)
        options = OptionAdapter(self.get_option)
        try:
            return self.lookup(_flatten(terms), options, lambda: GraphClient.from_options(options))
        except MsGraphError as error:
            raise AnsibleLookupError('%s: %s' % (name, error))

    def lookup(self, terms, options, client):
        """The lookup's own work; ``client()`` builds the Graph client when it is needed."""
        raise NotImplementedError

    def _show_origins(self, name):
        """-vvv: where each connection option set came from (direct, var, env, ini), never its value."""
        if display.verbosity < 3 or not hasattr(self, 'get_option_and_origin'):
            return
        origins = []
        for option in CONNECTION_OPTIONS:
            value, origin = self.get_option_and_origin(option)
            if value is not None and origin != 'default':
                origins.append('%s from %s' % (option, origin))
        display.vvv('%s: connection options: %s' % (name, '; '.join(origins) or 'all defaults'))

    def _connection_vars(self, variables):
        """The msgraph_<option> variables, templated: lookups receive play variables unrendered."""
        return dict((name, self._templar.template(value)) for name, value in (variables or {}).items()
                    if name.startswith(VARS_PREFIX))


def _flatten(terms):
    """query('...', ids) passes the list as one term: read it as the ids it holds."""
    flat = []
    for term in terms or []:
        flat.extend(term if isinstance(term, (list, tuple)) else [term])
    return flat
