# -*- coding: utf-8 -*-
# Copyright: contributors to the msgraph.security collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Internal to msgraph.security (not a public API): it may change in any release, even a bugfix one.
"""OData pieces every resource shares: literals, date-times in UTC, enum members in any case, filter checks."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re
from datetime import datetime, timedelta

from ansible.module_utils.six import string_types

from ansible_collections.msgraph.security.plugins.module_utils._core.errors import OptionError

_DATE_PATTERN = re.compile(
    r'^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?\Z')
# Real time-zone offsets run from -12:00 to +14:00.
_MAX_OFFSET = timedelta(hours=14)


def canonical(option, value, allowed):
    """``value`` in Graph's spelling when it names one of ``allowed`` in any case; else OptionError."""
    if isinstance(value, string_types):
        for name in allowed:
            if name.lower() == value.strip().lower():
                return name
    raise OptionError('%s=%r is not valid; use one of: %s (any case).' % (option, value, ', '.join(allowed)))


def canonical_list(option, values, allowed):
    return [canonical(option, value, allowed) for value in values or []]


def same_enum(a, b):
    """Graph values compared as Graph does not promise a case: ignoring it."""
    if isinstance(a, string_types) and isinstance(b, string_types):
        return a.lower() == b.lower()
    return a == b


def known_member(value, allowed):
    """``value`` in Graph's spelling when it is one of ``allowed`` in any case, else None."""
    for name in allowed:
        if same_enum(name, value):
            return name
    return None


def odata_string(value):
    """An OData string literal: single-quoted, quotes doubled."""
    return "'%s'" % value.replace("'", "''")


def any_of(option, prop, values, allowed):
    """``prop eq 'a' or prop eq 'b'`` for the members given, in parentheses when there are several."""
    values = canonical_list(option, values, allowed)
    clause = ' or '.join('%s eq %s' % (prop, odata_string(v)) for v in values)
    return '(%s)' % clause if len(values) > 1 else clause


def offset_delta(option, value, offset):
    """The time-zone offset of an ISO 8601 time ("+01:00", "-0530"; "Z" or none is UTC) as a
    timedelta east of UTC, or OptionError for an offset that does not exist."""
    if not offset or offset.upper() == 'Z':
        return timedelta(0)
    digits = offset[1:].replace(':', '')
    shift = timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
    if int(digits[2:]) > 59 or shift > _MAX_OFFSET:
        raise OptionError('%s=%r: the time-zone offset %s does not exist; offsets run from -12:00'
                          ' to +14:00.' % (option, value, offset))
    return -shift if offset[0] == '-' else shift


def odata_datetime(option, value):
    """An ISO 8601 date or date-time as an OData DateTimeOffset literal in UTC."""
    text = str(value).strip()
    match = _DATE_PATTERN.match(text)
    try:
        if not match:
            raise ValueError(text)
        year, month, day, hour, minute, second, offset = match.groups()
        moment = datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0))
        moment -= offset_delta(option, value, offset)
    except ValueError:
        raise OptionError(
            '%s=%r is not a date: use ISO 8601 such as 2026-01-31 or 2026-01-31T08:00:00Z.' % (option, value))
    except OverflowError:
        raise OptionError('%s=%r is out of range once converted to UTC (years 1 to 9999).' % (option, value))
    return moment.strftime('%Y-%m-%dT%H:%M:%SZ')


def check_balanced(option, expression):
    """OptionError unless the parentheses outside string literals balance.

    The raw filter is wrapped in parentheses and joined by "and": an unbalanced one could close
    that wrapper and turn "and" into "or".
    """
    depth, in_string, index = 0, False, 0
    while index < len(expression):
        char = expression[index]
        if in_string:
            if char == "'" and expression[index + 1:index + 2] == "'":
                index += 1  # '' is a quote inside the literal
            elif char == "'":
                in_string = False
        elif char == "'":
            in_string = True
        elif char == '(':
            depth += 1
        elif char == ')':
            depth -= 1
            if depth < 0:
                break
        index += 1
    if in_string:
        raise OptionError('%s=%r has a string literal that is not closed (a quote inside a literal is written'
                          " '')." % (option, expression))
    if depth:
        raise OptionError('%s=%r: its parentheses do not balance (outside string literals); it is combined'
                          ' with the other filters by "and" inside parentheses, so it must balance.'
                          % (option, expression))
