# -*- coding: utf-8 -*-
# Copyright: contributors to the msgraph.security collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Internal to msgraph.security (not a public API): it may change in any release, even a bugfix one.
"""Text from Graph made inert before it goes into an event: it can never start a Jinja template.

ansible-rulebook's run_playbook writes the event into the extra vars of the playbook it starts, and
ansible-playbook takes extra vars as trusted templates: a title such as ``{{ lookup('pipe', ...) }}``
would run on the controller as soon as the playbook reads it (on ansible-core 2.16, as soon as it
reads any key of ansible_eda). Incident text is written by whoever triggered the alerts, so every
string of the event, keys included, is rewritten so that no templar can see a template in it:

- a ``{`` directly followed by ``{``, ``%`` or ``#`` (what opens a Jinja expression, statement or
  comment) becomes ``\uff5b`` (U+FF5B FULLWIDTH LEFT CURLY BRACKET): ``{{ x }}`` arrives as ``\uff5b{ x }}``;
- ``#jinja2:`` in any case (a header that lets a template choose other delimiters) becomes
  ``\uff03jinja2:`` (U+FF03 FULLWIDTH NUMBER SIGN).

Nothing else changes: other characters, numbers, booleans, nulls and the shape of the event are as
Graph sent them. This relies only on Jinja's own default delimiters, which every ansible-core
uses, not on how a given core decides what to template.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible.module_utils.six import string_types

SAFE_BRACE = u'\uff5b'
SAFE_HASH = u'\uff03'
_OPENERS = re.compile(u'\\{(?=[{%#])')
_OVERRIDE_HEADER = re.compile(u'#(?=jinja2:)', re.IGNORECASE)


def inert_text(text):
    """One string with every template opener broken, readable otherwise."""
    return _OVERRIDE_HEADER.sub(SAFE_HASH, _OPENERS.sub(SAFE_BRACE, text))


def inert(value):
    """A copy of ``value`` (JSON-shaped: dicts, lists, scalars) with every string, keys too, made inert."""
    if isinstance(value, string_types):
        return inert_text(value)
    if isinstance(value, dict):
        return dict((inert(key), inert(item)) for key, item in value.items())
    if isinstance(value, (list, tuple)):
        return [inert(item) for item in value]
    return value
