# -*- coding: utf-8 -*-
# Copyright: contributors to the msgraph.security collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Internal to msgraph.security (not a public API): it may change in any release, even a bugfix one.
"""What every lookup of the collection does around its own work.

A lookup subclasses GraphLookup and implements ``lookup(terms, options, client)``. The shared
controller-side work (missing library, unknown options, option resolution, -vvv origins, error
mapping) is ControllerPlugin's; here only what is particular to lookups: the terms, the play
variables that arrive unrendered, and AnsibleLookupError.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.errors import AnsibleLookupError
from ansible.plugins.lookup import LookupBase

from ansible_collections.msgraph.security.plugins.plugin_utils._controller.controller_plugin import ControllerPlugin


class GraphLookup(ControllerPlugin, LookupBase):

    plugin_error = AnsibleLookupError

    def run(self, terms, variables=None, **kwargs):
        self.require_libraries()
        options = self.resolve_options(kwargs, variables)
        with self.graph_errors():
            return self.lookup(_flatten(terms), options, lambda: self.graph_client(options))

    def lookup(self, terms, options, client):
        """The lookup's own work; ``client()`` builds the Graph client when it is needed."""
        raise NotImplementedError

    def render_variable(self, value):
        # Lookups receive play variables unrendered.
        return self._templar.template(value)


def _flatten(terms):
    """query('...', ids) passes the list as one term: read it as the ids it holds."""
    flat = []
    for term in terms or []:
        flat.extend(term if isinstance(term, (list, tuple)) else [term])
    return flat
