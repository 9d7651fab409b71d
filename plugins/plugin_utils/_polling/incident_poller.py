# -*- coding: utf-8 -*-
# Copyright: contributors to the msgraph.security collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Internal to msgraph.security (not a public API): it may change in any release, even a bugfix one.
"""The logic of the msgraph.security.incidents event source, apart from the event loop.

Arguments are checked against the collection's option tables (plus the source's own
SOURCE_OPTIONS); incidents are listed through IncidentReader; what was delivered is kept in a
Checkpoint that can be saved in a state file.

Exactly once. Graph stamps incidents with 100 ns precision (7 fractional digits); stamps are
compared here as integer 100 ns ticks, never as floats or datetimes (which keep 6 digits).
Each poll lists ``<field> ge <window start>`` where the field is lastUpdateDateTime (or
createdDateTime for changes=created) and the window starts OVERLAP seconds before the newest
stamp delivered. The overlap re-reads recent changes on purpose: a change made while a
multi-page listing is read (or that Graph shows a little late) can carry a stamp older than one
already delivered; it is found by the next poll instead of being skipped. What was delivered in
the window is remembered (id -> newest stamp delivered), so nothing is delivered twice: an
incident is delivered when its stamp is newer than the one delivered for it.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import calendar
import datetime
import json
import math
import os
import re
import tempfile
import time

from ansible.module_utils.six import string_types

from ansible_collections.msgraph.security.plugins.module_utils._core.connection_options import CONNECTION_OPTIONS
from ansible_collections.msgraph.security.plugins.module_utils._core.errors import OptionError
from ansible_collections.msgraph.security.plugins.module_utils._resources.incident_schema import canonical
from ansible_collections.msgraph.security.plugins.module_utils._resources.incidents import build_filter, offset_delta
from ansible_collections.msgraph.security.plugins.module_utils._resources.query_options import QUERY_OPTIONS

# The list filters of incident_info that make sense for a stream of changes.
QUERY_ARGUMENTS = ('status', 'severity', 'assigned_to', 'filter', 'expand_alerts')
CHANGES = ('all', 'created')

# The source's own arguments, in the shape of the collection's option tables.
SOURCE_OPTIONS = {
    'interval': dict(
        type='float',
        default=60,
        description='Seconds between two polls of Graph.',
    ),
    'changes': dict(
        type='str',
        default='all',
        values=list(CHANGES),
        description=[
            'V(all): an event for every new and every updated incident (C(lastUpdateDateTime)).',
            'V(created): an event for new incidents only (C(createdDateTime)).',
        ],
    ),
    'since': dict(
        type='str',
        description=[
            'Where the first poll starts: an ISO 8601 time such as V(2026-01-31T08:00:00Z), or a'
            ' duration back from now such as V(90s), V(15m), V(2h), V(7d) or V(1h30m).',
            'Unset: the moment the source starts. Ignored when O(state_file) holds a checkpoint.',
        ],
    ),
    'state_file': dict(
        type='path',
        description=[
            'A file where the checkpoint is kept (written atomically after each poll and on'
            ' shutdown). A restart resumes from it: no change is missed or delivered again.',
            'Its directory must exist and be writable.',
        ],
    ),
}

# Seconds of recent changes every poll reads again (see the module docstring).
OVERLAP = 120
STATE_VERSION = 1
TICKS_PER_SECOND = 10 ** 7
_EPOCH_TICKS_FIELDS = re.compile(
    r'^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7})\d*)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?\Z',
    re.IGNORECASE)
_DURATION = re.compile(r'^(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?\Z')
_TRUE = ('true', 'yes', 'on', '1')
_FALSE = ('false', 'no', 'off', '0', '')


# --- timestamps ------------------------------------------------------------------------------

def to_ticks(text, option=None):
    """An ISO 8601 time as 100 ns ticks since the epoch, UTC; no precision lost.

    ``option`` names the argument in the error; without it, the value came from Graph.
    """
    match = _EPOCH_TICKS_FIELDS.match(text.strip()) if isinstance(text, string_types) else None
    try:
        if not match:
            raise ValueError(text)
        year, month, day, hour, minute, second, fraction, offset = match.groups()
        moment = datetime.datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0),
                                   int(second or 0))
    except ValueError:
        if option:
            raise OptionError('%s=%r is not a time: use ISO 8601 such as 2026-01-31T08:00:00Z, or a duration'
                              ' back from now such as 2h, 30m or 7d.' % (option, text))
        raise ValueError('Graph returned %r where a DateTimeOffset was expected' % (text,))
    # Graph writes Z; an offset comes from ``since``, checked as the list filters check theirs.
    seconds = calendar.timegm(moment.timetuple()) - int(offset_delta(option or 'since', text, offset).total_seconds())
    return seconds * TICKS_PER_SECOND + int((fraction or '').ljust(7, '0'))


def to_stamp(ticks):
    """100 ns ticks as Graph writes them, and as an OData DateTimeOffset literal: 7 fractional digits, Z."""
    seconds, fraction = divmod(ticks, TICKS_PER_SECOND)
    moment = datetime.datetime(1970, 1, 1) + datetime.timedelta(seconds=seconds)
    return '%s.%07dZ' % (moment.strftime('%Y-%m-%dT%H:%M:%S'), fraction)


def now_ticks():
    return int(round(time.time() * TICKS_PER_SECOND))


def parse_since(value, now=None):
    """``since`` as ticks: an ISO 8601 time or a duration back from ``now``; unset is now."""
    now = now_ticks() if now is None else now
    if value is None or (isinstance(value, string_types) and not value.strip()):
        return now
    if isinstance(value, (datetime.datetime, datetime.date)):  # YAML reads an unquoted time as one
        value = value.isoformat()
    text = str(value).strip()
    duration = _DURATION.match(text.lower())
    if duration and any(duration.groups()):
        weeks, days, hours, minutes, seconds = (int(part or 0) for part in duration.groups())
        back = (((weeks * 7 + days) * 24 + hours) * 60 + minutes) * 60 + seconds
        return now - back * TICKS_PER_SECOND
    ticks = to_ticks(text, 'since')
    if ticks > now:
        raise OptionError('since=%s is in the future; give a past time or a duration such as 2h.' % text)
    return ticks


# --- arguments -------------------------------------------------------------------------------

def _tables():
    query = dict((name, QUERY_OPTIONS[name]) for name in QUERY_ARGUMENTS)
    return (CONNECTION_OPTIONS, query, SOURCE_OPTIONS)


def _from_env(definition):
    for name in definition.get('env') or ():
        if os.environ.get(name) not in (None, ''):
            return os.environ[name]
    return None


def _convert(name, definition, value):
    kind = definition.get('type', 'str')
    if kind == 'bool':
        if isinstance(value, bool):
            return value
        if isinstance(value, string_types) and value.strip().lower() in _TRUE + _FALSE:
            return value.strip().lower() in _TRUE
        raise OptionError('%s=%r must be true or false.' % (name, value))
    if kind == 'float':
        try:
            number = None if isinstance(value, bool) else float(value)
        except (TypeError, ValueError):
            number = None
        if number is None or number <= 0 or not math.isfinite(number):
            raise OptionError('%s=%r must be a number of seconds above zero.' % (name, value))
        return number
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


def resolve_arguments(args):
    """The source's arguments checked and completed: defaults and environment variables from the tables.

    Unknown names stop the source: a misspelled filter would otherwise deliver every incident.
    """
    tables = _tables()
    known = set(name for table in tables for name in table)
    unknown = sorted(set(args or {}) - known)
    if unknown:
        raise OptionError('msgraph.security.incidents: unknown argument%s %s; the arguments are: %s.' % (
            's' if len(unknown) > 1 else '', ', '.join(unknown), ', '.join(sorted(known))))
    resolved = {}
    for table in tables:
        for name, definition in table.items():
            value = (args or {}).get(name)
            if value is None:
                value = _from_env(definition)
            if value is None:
                value = definition.get('default')
            resolved[name] = None if value is None else _convert(name, definition, value)
    resolved['changes'] = canonical('changes', resolved['changes'], CHANGES)
    resolved['since'] = parse_since(resolved['since'])
    # The filters are checked now (enum values in any case), not at the first poll.
    build_filter(resolved)
    return resolved


# --- the checkpoint --------------------------------------------------------------------------

class Checkpoint:
    """What was delivered: the newest stamp, and the stamp delivered per incident in the overlap window."""

    def __init__(self, changes, origin, newest=None, delivered=None, extra_state=None):
        self.changes = changes
        self.field = 'createdDateTime' if changes == 'created' else 'lastUpdateDateTime'
        self.origin = origin
        self.newest = newest
        self.delivered = dict(delivered or {})
        # eventtext: state other parts keep across restarts (the events' change memory), saved verbatim as 'memory'.
        self.extra_state = dict(extra_state or {})

    def window_start(self):
        """The lowest stamp the next poll asks for: never before the first poll's start."""
        if self.newest is None:
            return self.origin
        return max(self.origin, self.newest - OVERLAP * TICKS_PER_SECOND)

    def poll_filter(self, user_filter):
        """The $filter clause selecting the window, with the user's own ``filter`` kept apart by parentheses."""
        clause = '%s ge %s' % (self.field, to_stamp(self.window_start()))
        return '(%s) and %s' % (user_filter, clause) if user_filter else clause

    def pending(self, incidents):
        """The changes not yet delivered among those listed, oldest first: [(stamp ticks, change, incident)].

        An incident listed twice (it changed while the pages were read) counts with its newest state.
        A change is ``created`` when the incident was not delivered in the window and was created at
        or after the window start (or after the source's first start); else ``updated``.
        """
        start = self.window_start()
        newest_by_id = {}
        for incident in incidents:
            ticks = to_ticks(incident.get(self.field))
            incident_id = incident.get('id')
            if ticks <= self.delivered.get(incident_id, -1):
                continue
            if incident_id not in newest_by_id or ticks > newest_by_id[incident_id][0]:
                newest_by_id[incident_id] = (ticks, incident)
        pending = []
        for incident_id, (ticks, incident) in newest_by_id.items():
            created = self.changes == 'created' or (
                incident_id not in self.delivered and to_ticks(incident.get('createdDateTime')) >= start)
            pending.append((ticks, 'created' if created else 'updated', incident))
        pending.sort(key=lambda item: (item[0], item[2].get('id')))
        return pending

    def delivered_one(self, ticks, incident_id):
        self.delivered[incident_id] = ticks
        if self.newest is None or ticks > self.newest:
            self.newest = ticks

    def prune(self):
        """Forget what the next poll cannot list again (before its window)."""
        start = self.window_start()
        self.delivered = dict((key, ticks) for key, ticks in self.delivered.items() if ticks >= start)

    # --- the state file --------------------------------------------------------------------

    def to_json(self):
        return {
            'version': STATE_VERSION,
            'changes': self.changes,
            'origin': to_stamp(self.origin),
            'checkpoint': None if self.newest is None else to_stamp(self.newest),
            'delivered': dict((key, to_stamp(ticks)) for key, ticks in sorted(self.delivered.items())),
            'memory': self.extra_state,  # eventtext
        }

    @classmethod
    def from_json(cls, data, path):
        try:
            if data.get('version') != STATE_VERSION:
                raise ValueError('version %r, expected %d' % (data.get('version'), STATE_VERSION))
            newest = data.get('checkpoint')
            # eventtext: a file written before the memory existed has none.
            memory = data.get('memory', {})
            if not isinstance(memory, dict):
                raise ValueError('memory is not a mapping')
            return cls(data['changes'], to_ticks(data['origin']),
                       None if newest is None else to_ticks(newest),
                       dict((key, to_ticks(value)) for key, value in data.get('delivered', {}).items()), memory)
        except (AttributeError, KeyError, TypeError, ValueError) as exc:
            raise OptionError('state_file=%s is not a checkpoint this source wrote (%s); move it away to start'
                              ' from since.' % (path, exc))


def load_checkpoint(path, changes, since):
    """The checkpoint saved in ``path``, or a new one starting at ``since`` when there is none yet."""
    if not path:
        return Checkpoint(changes, since), False
    directory = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(directory) or not os.access(directory, os.W_OK):
        raise OptionError('state_file=%s: the directory %s does not exist or is not writable.' % (path, directory))
    try:
        with open(path) as handle:
            text = handle.read()
    except (IOError, OSError) as exc:
        if not os.path.exists(path):
            return Checkpoint(changes, since), False
        raise OptionError('state_file=%s cannot be read: %s' % (path, exc.strerror or exc))
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise OptionError('state_file=%s is not JSON (%s); move it away to start from since.' % (path, exc))
    checkpoint = Checkpoint.from_json(data if isinstance(data, dict) else {}, path)
    if checkpoint.changes != changes:
        raise OptionError('state_file=%s holds the checkpoint of changes=%s, not changes=%s; use another'
                          ' state_file for this rulebook source.' % (path, checkpoint.changes, changes))
    return checkpoint, True


def save_checkpoint(path, checkpoint):
    """Write the state file atomically: a reader (or a restart after a crash) sees the old or the new one."""
    directory = os.path.dirname(os.path.abspath(path))
    handle, temporary = tempfile.mkstemp(prefix='.%s.' % os.path.basename(path), dir=directory)
    try:
        with os.fdopen(handle, 'w') as out:
            json.dump(checkpoint.to_json(), out, indent=1, sort_keys=True)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise
