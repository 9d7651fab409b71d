# -*- coding: utf-8 -*-
# Copyright: contributors to the msgraph.security collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""One way to read options, whether they come from a module or from a lookup.

The shared client only ever calls ``options.get(name)``; the module passes its params, a
lookup passes its ``get_option`` (see plugin_utils/lookup_options.py). Environment
fallbacks are declared in the option tables and applied by Ansible on both sides.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.module_utils.basic import env_fallback

# Keys of the option tables that are documentation or plugin configuration, not argument_spec.
_DOC_ONLY_KEYS = ('description', 'env')


def argument_spec(*tables):
    """Build a module argument_spec from option tables, with their environment fallbacks."""
    spec = {}
    for table in tables:
        for name, definition in table.items():
            option = dict((k, v) for k, v in definition.items() if k not in _DOC_ONLY_KEYS)
            if definition.get('env'):
                option['fallback'] = (env_fallback, definition['env'])
            spec[name] = option
    return spec


class OptionAdapter:
    """Reads option values through a getter function."""

    def __init__(self, getter):
        self._getter = getter

    @classmethod
    def from_dict(cls, params):
        """For modules: ``OptionAdapter.from_dict(module.params)``."""
        return cls(params.get)

    def get(self, name):
        return self._getter(name)
