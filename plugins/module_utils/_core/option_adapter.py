# -*- coding: utf-8 -*-
# Copyright: contributors to the msgraph.security collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Internal to msgraph.security (not a public API): it may change in any release, even a bugfix one.
"""One way to read options, whether they come from a module or from a lookup.

The shared client only ever calls ``options.get(name)``; the module passes its params, a
lookup passes its ``get_option`` (see plugin_utils/_controller/graph_lookup.py). Environment
fallbacks are declared in the option tables and applied by Ansible on both sides.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.module_utils.basic import env_fallback

# Where each key of an option table goes: the module argument_spec, the documentation, or both.
# ``values`` lists enum members that are accepted in any case (checked by the resource's schema),
# so they are documented in words instead of as case-sensitive choices.
SPEC, DOC = 'spec', 'doc'
TABLE_KEYS = {
    'type': (SPEC, DOC),
    'elements': (SPEC, DOC),
    'default': (SPEC, DOC),
    'choices': (SPEC, DOC),
    'required': (SPEC, DOC),
    'aliases': (SPEC, DOC),
    'no_log': (SPEC,),
    'description': (DOC,),
    'env': (DOC,),
    'values': (DOC,),
    'version_added': (DOC,),
}


def keys_for(where, definition):
    """The items of an option definition that go to ``where`` (SPEC or DOC); unknown keys are a bug."""
    unknown = set(definition) - set(TABLE_KEYS)
    if unknown:
        raise KeyError('option table keys not in TABLE_KEYS: %s' % ', '.join(sorted(unknown)))
    return dict((key, value) for key, value in definition.items() if where in TABLE_KEYS[key])


def argument_spec(*tables):
    """Build a module argument_spec from option tables, with their environment fallbacks."""
    spec = {}
    for table in tables:
        for name, definition in table.items():
            option = keys_for(SPEC, definition)
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
