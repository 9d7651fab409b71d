# -*- coding: utf-8 -*-
# Copyright: contributors to the msgraph.security collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Internal to msgraph.security (not a public API): it may change in any release, even a bugfix one.
"""Reading security incidents: id checks, $filter building, and the three read modes."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re
from datetime import datetime, timedelta

from ansible.module_utils.six import binary_type, integer_types, string_types
from ansible.module_utils.six.moves.urllib.parse import quote

from ansible_collections.msgraph.security.plugins.module_utils._core.errors import (
    READ_PERMISSION,
    IncompleteAnswerError,
    MsGraphError,
    NotFoundError,
    OptionError,
)
from ansible_collections.msgraph.security.plugins.module_utils._resources.incident_schema import (
    SEVERITIES,
    STATUSES,
    canonical_list,
)

INCIDENTS_PATH = '/security/incidents'
PAGE_SIZE = 50  # the safe $top for incidents (the maximum is not documented)
ITEMS = ('incident', 'incidents')
# Graph incident ids are numeric strings ("2972395"); the schema says string, so allow the
# characters of other id styles too, but nothing that could change the URL's meaning.
_ID_PATTERN = re.compile(r'^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}\Z')
_DATE_PATTERN = re.compile(
    r'^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?\Z')
# Real time-zone offsets run from -12:00 to +14:00.
_MAX_OFFSET = timedelta(hours=14)
# The options that narrow list mode; with ids they would be ignored, so they are refused.
LIST_FILTERS = ('status', 'severity', 'assigned_to', 'created_after', 'updated_after', 'filter', 'max_items')


def normalize_id(value):
    """An incident id as a string, or OptionError saying why it is not one.

    YAML turns 29 into an int, so whole numbers are accepted and read as "29".
    """
    if isinstance(value, bool):
        raise OptionError('Invalid incident id %r: expected a string such as "2972395".' % (value,))
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, integer_types):
        if value < 0:
            raise OptionError('Invalid incident id %d: ids are not negative.' % value)
        return str(value)
    if isinstance(value, binary_type):
        value = value.decode('utf-8', 'replace')
    if not isinstance(value, string_types):
        raise OptionError('Invalid incident id %r (%s): expected a string such as "2972395".'
                          % (value, type(value).__name__))
    if not _ID_PATTERN.match(value):
        shown = value if len(value) <= 60 else value[:60] + '...'
        raise OptionError(
            'Invalid incident id %r: an id is 1 to 128 letters, digits, ".", "_", ":" or "-" and'
            ' starts with a letter or digit (Graph incident ids look like "2972395").' % shown)
    if value in ('.', '..'):
        raise OptionError('Invalid incident id %r.' % value)
    return value


# The settings that report a missing incident instead of failing, named in the not-found message.
TOLERATE_IN_MODULE = 'fail_on_missing: false'
TOLERATE_IN_LOOKUP = "on_missing='warn' (or 'skip')"


def not_found_error(missing, asked, tolerate):
    """The failure for incidents that do not exist, for every plugin that reads or writes by id.

    ``missing``: [(id, NotFoundError)]; ``asked``: how many ids were asked for; ``tolerate``: the
    setting that reports missing ids instead of failing (TOLERATE_IN_MODULE, TOLERATE_IN_LOOKUP).
    Names each id with Graph's answer, says how to tolerate them and, when an id is not a number,
    that Graph incident ids are (a typo such as "INC-296" or "296a" then explains itself).
    """
    text = '%s not found: %s.' % (
        'Incident was' if asked == 1 else '%d of %d incidents were' % (len(missing), asked),
        '; '.join('%s (%s)' % item for item in missing))
    odd = [incident_id for incident_id, dummy in missing if not incident_id.isdigit()]
    if odd:
        text += ' Graph incident ids are numeric, such as 2972395: %s %s not.' % (
            ', '.join(repr(i) for i in odd), 'is' if len(odd) == 1 else 'are')
    text += ' To report missing incidents instead of failing, set %s.' % tolerate
    details = missing[0][1].details if isinstance(missing[0][1], MsGraphError) else {}
    return NotFoundError(text, **details)


def incident_path(incident_id, expand_alerts=False):
    """The path of one incident below the API root, the id URL-encoded as a path segment."""
    path = '%s/%s' % (INCIDENTS_PATH, quote(incident_id, safe=''))
    return path + '?$expand=alerts' if expand_alerts else path


def odata_string(value):
    """An OData string literal: single-quoted, quotes doubled."""
    return "'%s'" % value.replace("'", "''")


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


def check_filter_values(options):
    """Refuse a text filter given empty: it would narrow nothing and list everything.

    An empty list (status: []) reads as "any", as Ansible users write it with default([]).
    """
    for name in ('assigned_to', 'created_after', 'updated_after', 'filter'):
        value = options.get(name)
        if isinstance(value, string_types) and not value.strip():
            hint = (" To list incidents nobody is assigned to, use filter: 'assignedTo eq null'."
                    if name == 'assigned_to' else '')
            raise OptionError('%s is empty, which would narrow nothing and list every incident. Leave it unset'
                              ' (in a template: default(omit)) to not filter on it.%s' % (name, hint))


def refuse_list_filters(options, ids_option):
    """List filters with ids would be ignored without a word: refuse them, naming both."""
    given = [name for name in LIST_FILTERS if options.get(name) not in (None, [])]
    if given:
        several = len(given) > 1
        raise OptionError('%s only narrow%s a listing and would be ignored with %s; remove %s, or drop %s'
                          ' to list incidents.' % (' and '.join(given), '' if several else 's', ids_option,
                                                   'them' if several else 'it', ids_option))


def _any_of(option, prop, values, allowed):
    values = canonical_list(option, values, allowed)
    clause = ' or '.join('%s eq %s' % (prop, odata_string(v)) for v in values)
    return '(%s)' % clause if len(values) > 1 else clause


def build_filter(options):
    """The $filter for list mode from the filter options, or None."""
    check_filter_values(options)
    clauses = []
    if options.get('status'):
        clauses.append(_any_of('status', 'status', options.get('status'), STATUSES))
    if options.get('severity'):
        clauses.append(_any_of('severity', 'severity', options.get('severity'), SEVERITIES))
    if options.get('assigned_to'):
        clauses.append('assignedTo eq %s' % odata_string(options.get('assigned_to')))
    if options.get('created_after'):
        clauses.append('createdDateTime ge %s' % odata_datetime('created_after', options.get('created_after')))
    if options.get('updated_after'):
        clauses.append('lastUpdateDateTime ge %s' % odata_datetime('updated_after', options.get('updated_after')))
    if options.get('filter'):
        check_balanced('filter', options.get('filter'))
        clauses.append('(%s)' % options.get('filter'))
    return ' and '.join(clauses) or None


def _same_id(incident_id, incident):
    """Graph answered the incident asked for, not another one (a server that mixed up answers)."""
    if isinstance(incident, dict) and str(incident.get('id')) != incident_id:
        raise IncompleteAnswerError('Asked for incident %s, Graph answered incident %s; nothing is returned.'
                                    % (incident_id, incident.get('id')))
    return incident


class IncidentReader:
    """The read modes of the module and the lookup, on one GraphClient."""

    def __init__(self, client, expand_alerts=False):
        self.client = client
        self.expand_alerts = expand_alerts

    def read_ids(self, incident_ids):
        """[(id, incident or NotFoundError)] in the order asked.

        Several ids go through $batch (20 per round trip); one id is a plain GET, which is
        one round trip either way and smaller.
        """
        if len(incident_ids) == 1:
            try:
                path = incident_path(incident_ids[0], self.expand_alerts)
                found = {incident_ids[0]: self.client.get(path, permission=READ_PERMISSION)}
            except NotFoundError as error:
                found = {incident_ids[0]: error}
        else:
            paths = dict((incident_id, incident_path(incident_id, self.expand_alerts)) for incident_id in incident_ids)
            answers = self.client.get_batch(list(paths.values()), permission=READ_PERMISSION)
            found = dict((incident_id, answers[path]) for incident_id, path in paths.items())
        return [(incident_id, _same_id(incident_id, found[incident_id])) for incident_id in incident_ids]

    def list(self, options):
        """Incidents matching the filter options, newest first: (incidents, truncated)."""
        max_items = options.get('max_items')
        if max_items is not None and max_items < 1:
            raise OptionError('max_items=%s must be 1 or more (unset it to get all incidents).' % max_items)
        params = {'$top': min(PAGE_SIZE, max_items or PAGE_SIZE)}
        query = build_filter(options)
        if query:
            params['$filter'] = query
        if self.expand_alerts:
            params['$expand'] = 'alerts'
        return self.client.get_all_pages(INCIDENTS_PATH, params, max_items, ITEMS, READ_PERMISSION)
