# -*- coding: utf-8 -*-
# Copyright: contributors to the msgraph.security collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Internal to msgraph.security (not a public API): it may change in any release, even a bugfix one.
"""Stamps of a polling source: ISO 8601 times as integer 100 ns ticks, and Graph's own clock.

Graph stamps items with 100 ns precision (7 fractional digits); stamps are compared here as
integer ticks, never as floats or datetimes (which keep 6 digits).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import calendar
import datetime
import email.utils
import re
import time

from ansible.module_utils.six import string_types

from ansible_collections.msgraph.security.plugins.module_utils._core.errors import OptionError
from ansible_collections.msgraph.security.plugins.module_utils._core.odata import offset_delta

TICKS_PER_SECOND = 10 ** 7
_EPOCH_TICKS_FIELDS = re.compile(
    r'^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7})\d*)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?\Z',
    re.IGNORECASE)
_DURATION = re.compile(r'^(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?\Z')


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


def http_date_ticks(text):
    """An HTTP Date header (whole seconds, GMT) as ticks, or None when absent or not a date."""
    try:
        moment = email.utils.parsedate_to_datetime(text) if text else None
    except (TypeError, ValueError, IndexError):
        moment = None
    if moment is None or moment.tzinfo is None:
        return None
    return int(calendar.timegm(moment.utctimetuple())) * TICKS_PER_SECOND


def is_stamp(value):
    """Whether Graph's ``value`` is a time the source can order by (a bad one is skipped, not fatal)."""
    try:
        to_ticks(value)
    except ValueError:
        return False
    return True
