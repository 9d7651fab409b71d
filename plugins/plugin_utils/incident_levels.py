# -*- coding: utf-8 -*-
# Copyright: contributors to the msgraph.security collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Severity ranking and open-status checks shared by the collection's Jinja tests and filters.

Pure Python: errors are ValueError/TypeError, which the plugins turn into AnsibleFilterError.
Names the playbook author writes (levels, statuses) are checked strictly; values that come from
Graph are read leniently (any case, and an unrecognised severity ranks lowest).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from collections.abc import Mapping

from ansible_collections.msgraph.security.plugins.module_utils.incident_schema import STATUSES as FILTER_STATUSES

# Ascending; unknown and unknownFutureValue share the lowest rank, below informational.
SEVERITY_ORDER = ('informational', 'low', 'medium', 'high')
UNRANKED = ('unknown', 'unknownFutureValue')
LEVELS = UNRANKED + SEVERITY_ORDER
_RANKS = dict((name.lower(), rank) for rank, name in enumerate(SEVERITY_ORDER, start=1))

# The statuses list mode filters on, plus what Graph sends for a member it cannot name.
STATUSES = tuple(FILTER_STATUSES) + ('unknownFutureValue',)
OPEN_STATUSES = ('active', 'inProgress', 'awaitingAction')


def _field(subject, key, what):
    """The severity or status of an incident dict, or the subject itself when it is a string."""
    if isinstance(subject, Mapping):
        if key not in subject:
            raise TypeError('expected an incident or a %s string, got a dict without a %r key' % (what, key))
        subject = subject[key]
    if subject is None:
        return ''
    if not isinstance(subject, str):
        raise TypeError('expected an incident (dict) or a %s string, got %s' % (what, type(subject).__name__))
    return subject.strip().lower()


def severity_rank(subject):
    """0 for unknown (or unrecognised) severities, then 1 informational ... 4 high."""
    return _RANKS.get(_field(subject, 'severity', 'severity'), 0)


def level_rank(level):
    """The rank of a level name a playbook asks for; a name that is not a severity is an error."""
    name = level.strip().lower() if isinstance(level, str) else None
    if name in _RANKS:
        return _RANKS[name]
    if name in [u.lower() for u in UNRANKED]:
        return 0
    raise ValueError('%r is not a severity level; use one of: %s' % (level, ', '.join(LEVELS)))


def severity_at_least(subject, level):
    return severity_rank(subject) >= level_rank(level)


def _status_names(statuses):
    if isinstance(statuses, str):
        statuses = [statuses]
    known = dict((s.lower(), s) for s in STATUSES)
    wrong = [s for s in statuses if not isinstance(s, str) or s.strip().lower() not in known]
    if wrong:
        raise ValueError('%s %s; use: %s' % (', '.join(repr(s) for s in wrong),
                                             'is not an incident status' if len(wrong) == 1 else 'are not incident statuses',
                                             ', '.join(STATUSES)))
    return set(s.strip().lower() for s in statuses)


def is_open(subject, statuses=None):
    """Whether the status is one of ``statuses`` (default: active, inProgress, awaitingAction)."""
    return _field(subject, 'status', 'status') in _status_names(OPEN_STATUSES if statuses is None else statuses)
