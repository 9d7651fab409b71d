# -*- coding: utf-8 -*-
# Copyright: contributors to the msgraph.security collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Internal to msgraph.security (not a public API): it may change in any release, even a bugfix one.
"""Severity ranking and open-status checks shared by the collection's Jinja tests and filters.

Pure Python: errors are ValueError/TypeError, which the plugins turn into AnsibleFilterError.
Names the playbook author writes (levels, statuses) are checked strictly; values that come from
Graph are read leniently (any case, and an unrecognised severity ranks lowest).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from collections.abc import Mapping

from ansible_collections.msgraph.security.plugins.module_utils._resources.incident_schema import STATUSES as FILTER_STATUSES

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


def level_name(level):
    """A level name a playbook gives, in Graph's spelling; ValueError naming the valid ones otherwise."""
    level_rank(level)
    return [name for name in LEVELS if name.lower() == level.strip().lower()][0]


def status_list(statuses):
    """Status names a playbook gives (a list, or one name), in Graph's spelling, checked."""
    _status_names(statuses)
    by_lower = dict((s.lower(), s) for s in STATUSES)
    return [by_lower[s.strip().lower()] for s in ([statuses] if isinstance(statuses, str) else statuses)]


def gate_decision(incident, min_severity='medium', statuses=OPEN_STATUSES):
    """Whether the incident_gate role lets the play act on ``incident``, and why, in one sentence.

    Passes when the severity is at least ``min_severity`` and the status one of ``statuses``
    (names in any case). Severity is judged first, so a closed low incident reads "below". A
    missing incident is not a decision: the role fails on it before asking.
    """
    if not isinstance(incident, Mapping):
        raise TypeError('expected an incident (dict), got %s' % type(incident).__name__)
    try:
        level = level_name(min_severity)
    except ValueError as error:
        raise ValueError('min_severity: %s' % error)
    try:
        wanted = status_list(statuses)
    except ValueError as error:
        raise ValueError('statuses: %s' % error)
    severity, status = incident.get('severity'), incident.get('status')
    if not severity_at_least(incident, level):
        return dict(passed=False, reason='severity %s is below %s' % (severity, level))
    if not is_open(incident, wanted):
        merged = incident.get('redirectIncidentId')
        return dict(passed=False, reason='status %s is not one of %s%s' % (
            status, ', '.join(wanted), ' (merged into incident %s)' % merged if merged else ''))
    return dict(passed=True, reason='severity %s is at least %s and status %s is one of %s' % (
        severity, level, status, ', '.join(wanted)))
