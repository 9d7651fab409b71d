# -*- coding: utf-8 -*-
# Copyright: contributors to the msgraph.security collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Internal to msgraph.security (not a public API): it may change in any release, even a bugfix one.
"""The ``incident`` module's work: the generic writer on INCIDENTS, plus the rules only incidents have.

Those rules, checked before anything is written: the determination must fit the classification the
incident will hold (the Defender portal's pairing, a convention Graph is not known to enforce; other
and unknown fit any), a resolving comment only goes with an incident that will be resolved, and a
redirected (merged) incident is not moved to another status unless move_redirected says so.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.msgraph.security.plugins.module_utils._core import writer
from ansible_collections.msgraph.security.plugins.module_utils._core.errors import OptionError
from ansible_collections.msgraph.security.plugins.module_utils._core.odata import canonical_list, known_member
from ansible_collections.msgraph.security.plugins.module_utils._resources.incident_schema import STATUSES, check_determination
from ansible_collections.msgraph.security.plugins.module_utils._resources.incidents import INCIDENTS


def target_ids(params):
    """The ids asked for, normalized, each once, in the order first asked: (ids, single)."""
    return writer.target_ids(INCIDENTS, params)


def check_wanted(wanted, params=None):
    """The rules that need no incident: the pair when both are given, a resolving comment with its status."""
    if 'classification' in wanted and 'determination' in wanted:
        check_determination(wanted['classification'], wanted['determination'])
    if 'display_name' in wanted and not wanted['display_name'].strip():
        raise OptionError('display_name=%r is empty: an incident always has a name; leave display_name unset to keep it.'
                          % wanted['display_name'])
    if 'resolving_comment' in wanted and wanted.get('status', 'resolved') != 'resolved':
        raise OptionError('resolving_comment goes with status=resolved, not status=%s: drop one of them.' % wanted['status'])


def desired_fields(params):
    """{option: value} for the fields the task sets, enums in Graph's spelling; OptionError if invalid."""
    wanted = writer.desired_fields(INCIDENTS, params)
    check_wanted(wanted)
    return wanted


def check_plan(plan, wanted, params=None):
    """The rules checked against the incident as read and as it will be (OptionError naming it)."""
    params = params or {}
    incident, incident_id = plan.item, plan.item_id
    status = writer.final_value(INCIDENTS, incident, wanted, 'status')
    if 'status' in plan.body and known_member(incident.get('status'), STATUSES) == 'redirected' \
            and not params.get('move_redirected'):
        raise OptionError('Incident %s is redirected (merged into another incident); status=%s would move it back.'
                          ' Set move_redirected: true to do so. Nothing was written.' % (incident_id, wanted['status']))
    if 'resolving_comment' in wanted and status != 'resolved':
        raise OptionError('Incident %s is %s and this task does not resolve it: resolving_comment goes with'
                          ' status=resolved. Nothing was written.' % (incident_id, incident.get('status')))
    if ('classification' in wanted) != ('determination' in wanted):
        other = 'classification' if 'determination' in wanted else 'determination'
        try:
            check_determination(writer.final_value(INCIDENTS, incident, wanted, 'classification'),
                                writer.final_value(INCIDENTS, incident, wanted, 'determination'))
        except OptionError as error:
            raise OptionError('Incident %s: %s (that is its current %s: set %s too).'
                              % (incident_id, str(error).rstrip('.'), other, other))


def plan_update(incident, wanted, purge_custom_tags=False, params=None):
    """The Plan that brings ``incident`` to ``wanted``; OptionError when the incident's rules refuse it."""
    plan = writer.plan_update(INCIDENTS, incident, wanted, purge_custom_tags)
    check_plan(plan, wanted, params)
    return plan


def only_from_statuses(params):
    """The statuses the incidents must have now to be changed (only_from_status), or None for any."""
    statuses = params.get('only_from_status')
    if statuses is None:
        return None
    if not statuses:
        raise OptionError('only_from_status is empty, so no incident could be changed; leave it unset to change'
                          ' incidents in any status.')
    return canonical_list('only_from_status', statuses, STATUSES)


class IncidentWriter(writer.Writer):
    """The ``incident`` module's work on one GraphClient."""

    def __init__(self, client, check_mode=False):
        super(IncidentWriter, self).__init__(client, INCIDENTS, check_mode, check_wanted, check_plan, state='status')

    def apply(self, params, only_from=None):
        """The incident module's run: ``only_from`` comes from its only_from_status option."""
        return super(IncidentWriter, self).apply(params, only_from or only_from_statuses(params))
