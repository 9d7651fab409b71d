# -*- coding: utf-8 -*-
# Copyright: contributors to the msgraph.security collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Internal to msgraph.security (not a public API): it may change in any release, even a bugfix one.
"""Renders the option tables of module_utils into doc fragment YAML.

``make doc-fragments`` (tests/gates/doc_fragments.py) writes what these render into
plugins/doc_fragments/*.py, and a test fails when a fragment differs from its table, so what
ansible-doc shows is what the plugins accept: the tables in module_utils stay the only place an
option is defined. The fragments hold the rendered YAML as string literals because ansible-test
sanity (yamllint) and other documentation tools read doc fragments without importing them.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import yaml

from ansible_collections.msgraph.security.plugins.module_utils._core.option_adapter import DOC, keys_for

# Lookups also read connection options from these sources (see the PLUGINS fragment).
INI_SECTION = 'msgraph_security'
VARS_PREFIX = 'msgraph_'
# Ansible resolves plugin options in this order, first found wins (ansible.config.manager); it is
# the order of every Ansible setting (ANSIBLE_* beats ansible.cfg), and it lets AWX's injected
# credential beat a project's ansible.cfg. Kept deliberately, and shown at -vvv.
PRECEDENCE_NOTES = [
    'Where a connection option comes from, first found wins: the option given to the lookup, then the'
    ' C(msgraph_<option>) variable (for example C(msgraph_tenant_id)), then its environment variable, then'
    ' the C([msgraph_security]) section of C(ansible.cfg) (key: the option name), then the default.'
    ' This is the precedence of every Ansible setting: an environment variable overrides C(ansible.cfg),'
    ' so an AWX credential (injected as environment variables) wins over a project\'s C(ansible.cfg).',
    'With C(-vvv) the lookup prints where each connection option was taken from (the source, never the value),'
    ' so a stray environment variable in a shell can be spotted.',
]


def _as_list(text):
    return list(text) if isinstance(text, (list, tuple)) else [text]


def _env_sentence(names):
    first, rest = names[0], names[1:]
    sentence = 'If not set, the environment variable E(%s) is used' % first
    if rest:
        sentence += ', then ' + ', then '.join('E(%s)' % name for name in rest)
    return sentence + '.'


class _IndentedDumper(yaml.SafeDumper):
    """Indents list items under their key, as hand-written Ansible documentation does."""

    def increase_indent(self, flow=False, indentless=False):
        return super(_IndentedDumper, self).increase_indent(flow, False)


def _dump(data):
    return yaml.dump(data, Dumper=_IndentedDumper, sort_keys=False, default_flow_style=False, width=110)


def render_options(table):
    """The DOCUMENTATION fragment: descriptions, types and defaults of every option."""
    options = {}
    for name, definition in table.items():
        doc = keys_for(DOC, definition)
        description = _as_list(doc.pop('description'))
        if doc.get('values'):
            description.append('Values (in any case): %s.' % ', '.join('V(%s)' % v for v in doc.pop('values')))
        if doc.get('env'):
            description.append(_env_sentence(doc.pop('env')))
        options[name] = dict(description=description, **doc)
    return _dump({'options': options})


def render_plugin_sources(table):
    """The PLUGINS fragment: the env, ini and vars sources lookups resolve options from."""
    options = {}
    for name, definition in table.items():
        options[name] = {
            # Ansible's config takes the last env entry that is set: list the preferred one last.
            'env': [{'name': env} for env in reversed(definition.get('env', []))],
            'ini': [{'section': INI_SECTION, 'key': name}],
            'vars': [{'name': VARS_PREFIX + name}],
        }
    return _dump({'options': options, 'notes': PRECEDENCE_NOTES})
