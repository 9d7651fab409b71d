# -*- coding: utf-8 -*-
# Copyright: contributors to the msgraph.security collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Internal to msgraph.security (not a public API): it may change in any release, even a bugfix one.
"""The arguments of a polling event source, checked against option tables.

A source's arguments come from its rulebook as plain values: the tables (the collection's
connection options, the resource's query options, the polling options below) give their types,
defaults and environment variables. ansible-rulebook adds ``feedback`` (the rulebook asked for
acknowledgements) and ``eda_feedback_queue`` (the queue they come back on).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import math
import os

from ansible.module_utils.six import string_types

from ansible_collections.msgraph.security.plugins.module_utils._core.errors import OptionError

_TRUE = ('true', 'yes', 'on', '1')
_FALSE = ('false', 'no', 'off', '0', '')
# Given by ansible-rulebook, not by the user's table: feedback is the rulebook's own switch.
FEEDBACK_QUEUE = 'eda_feedback_queue'
RULEBOOK_ARGUMENTS = ('feedback', FEEDBACK_QUEUE)
# Numbers of seconds that may be 0 (every other one must be above zero).
ZERO_ALLOWED = ('replay',)
# What a source delivers: every change, or creations only (the stamp field of each is the engine's).
CHANGES = ('all', 'created')

# The polling options every source takes, in the shape of the collection's option tables.
POLLING_OPTIONS = {
    'interval': dict(
        type='float',
        default=60,
        description='Seconds between two polls of Graph.',
    ),
    'since': dict(
        type='str',
        description=[
            'Where the first poll starts: an ISO 8601 time such as V(2026-01-31T08:00:00Z), or a'
            ' duration back from now such as V(90s), V(15m), V(2h), V(7d) or V(1h30m), on Graph\'s clock.',
            'Unset: the moment the source starts, by Graph\'s clock (the C(Date) of its first answer), so that a'
            ' local clock ahead of Graph loses nothing. Ignored when O(state_file) holds a checkpoint.',
        ],
    ),
    'state_file': dict(
        type='path',
        description=[
            'A file where the checkpoint is kept (written atomically, its mode kept). A restart resumes from it.',
            'It records what it is the checkpoint of (Graph URL, tenant, filters, O(changes)): a source with other'
            ' settings refuses it. Its directory must exist and be writable.',
        ],
    ),
    'replay': dict(
        type='float',
        default=300,
        description=[
            'Seconds an event is taken to need before its rule\'s action has surely run. The saved checkpoint'
            ' only passes events put on the queue at least this long ago (and, with C(feedback: true), that'
            ' ansible-rulebook acknowledged), so that no stop (SIGTERM, SIGINT, SIGKILL, a crash) loses one:'
            ' after a restart the younger ones are delivered again, in their latest state.',
            'V(0): the checkpoint follows the queue (acknowledgements, with feedback): nothing is repeated, and'
            ' an action still pending at a stop is lost.',
        ],
    ),
}


def polling_options(plural):
    """The polling options of a source of ``plural`` (incidents, alerts): POLLING_OPTIONS and ``changes``."""
    return dict(POLLING_OPTIONS, changes=dict(
        type='str',
        default='all',
        values=list(CHANGES),
        description=[
            'V(all): an event for every new and every updated %s (C(lastUpdateDateTime)).' % plural[:-1],
            'V(created): an event for new %s only (C(createdDateTime)).' % plural,
        ],
    ))


def _from_env(definition):
    for name in definition.get('env') or ():
        if os.environ.get(name) not in (None, ''):
            return os.environ[name]
    return None


def _number(name, value):
    try:
        number = None if isinstance(value, bool) else float(value)
    except (TypeError, ValueError):
        number = None
    zero = name in ZERO_ALLOWED
    if number is None or not math.isfinite(number) or number < 0 or (number == 0 and not zero):
        raise OptionError('%s=%r must be a number of seconds %s.' % (name, value, '(0 or more)' if zero else 'above zero'))
    return number


def convert(name, definition, value):
    """``value`` as the table's type says, or an OptionError naming ``name``."""
    kind = definition.get('type', 'str')
    if kind == 'bool':
        if isinstance(value, bool):
            return value
        if isinstance(value, string_types) and value.strip().lower() in _TRUE + _FALSE:
            return value.strip().lower() in _TRUE
        raise OptionError('%s=%r must be true or false.' % (name, value))
    if kind == 'float':
        return _number(name, value)
    if kind == 'int':
        try:
            number = None if isinstance(value, (bool, float)) else int(value)
        except (TypeError, ValueError):
            number = None
        if number is None:
            raise OptionError('%s=%r must be a whole number.' % (name, value))
        return number  # the core checks its range (Settings)
    if kind == 'list':
        values = [part.strip() for part in value.split(',')] if isinstance(value, string_types) else value
        if not isinstance(values, list) or not all(isinstance(part, string_types) for part in values):
            raise OptionError('%s=%r must be a list of strings.' % (name, value))
        return [part for part in values if part]
    if not isinstance(value, string_types):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or kind == 'path':
            raise OptionError('%s=%r must be a string.' % (name, value))
        value = str(value)  # a numeric id or tenant typed without quotes
    return os.path.expanduser(value) if kind == 'path' else value


def resolve(source_name, tables, args):
    """The arguments checked and completed from ``tables``: defaults and environment variables.

    Unknown names stop the source: a misspelled filter would otherwise deliver every item.
    Returns (options, feedback queue or None).
    """
    args = dict(args or {})
    feedback_queue = args.pop(FEEDBACK_QUEUE, None)
    for name in RULEBOOK_ARGUMENTS:
        args.pop(name, None)
    known = set(name for table in tables for name in table)
    unknown = sorted(set(args) - known)
    if unknown:
        raise OptionError('%s: unknown argument%s %s; the arguments are: %s.' % (
            source_name, 's' if len(unknown) > 1 else '', ', '.join(unknown), ', '.join(sorted(known))))
    resolved = {}
    for table in tables:
        for name, definition in table.items():
            value = args.get(name)
            if value is None:
                value = _from_env(definition)
            if value is None:
                value = definition.get('default')
            resolved[name] = None if value is None else convert(name, definition, value)
    return resolved, feedback_queue
