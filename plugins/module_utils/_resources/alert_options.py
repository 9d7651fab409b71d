# -*- coding: utf-8 -*-
# Copyright: contributors to the msgraph.security collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Internal to msgraph.security (not a public API): it may change in any release, even a bugfix one.
"""The alert plugins' options, written once: which alerts to read (ALERT_QUERY_OPTIONS: module
alert_info, lookup alert), which alerts a write acts on (ALERT_TARGET_OPTIONS: modules alert and
alert_comment) and the fields a play may set (ALERT_UPDATE_OPTIONS: module alert). They become the
argument_spec and, through ``make doc-fragments``, the fragments msgraph.security.alert_*."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.msgraph.security.plugins.module_utils._resources.alerts import ALERTS, SERVICE_SOURCES, SEVERITIES, STATUSES
from ansible_collections.msgraph.security.plugins.module_utils._resources.incident_schema import CLASSIFICATIONS, DETERMINATIONS

ALERT_QUERY_OPTIONS = {
    'status': dict(type='list', elements='str', values=list(STATUSES),
                   description='List mode: only alerts with one of these statuses.'),
    'severity': dict(type='list', elements='str', values=list(SEVERITIES),
                     description='List mode: only alerts with one of these severities.'),
    'service_source': dict(type='list', elements='str', values=list(SERVICE_SOURCES),
                           description='List mode: only alerts from one of these products (C(serviceSource)).'),
    'incident_id': dict(
        type='raw',
        description=[
            'List mode: the alerts of this incident, read through the incident (C($expand=alerts)), in Graph\'s order.',
            'Graph does not filter alerts on C(incidentId), so the other filters are refused with it; this read'
            ' also needs C(SecurityIncident.Read.All).',
        ],
    ),
    'created_after': dict(type='str', description=[
        'List mode: only alerts created at or after this time.',
        'An ISO 8601 date or date-time such as V(2026-01-31) or V(2026-01-31T08:00:00+01:00); without an offset it is UTC.',
    ]),
    'updated_after': dict(type='str', description=[
        'List mode: only alerts last updated at or after this time (C(lastUpdateDateTime)). Same format as O(created_after).',
    ]),
    'filter': dict(type='str', description=[
        'List mode: a raw OData C($filter) expression, combined with the other filters by C(and).',
        'Graph filters alerts only on C(assignedTo), C(classification), C(determination), C(createdDateTime),'
        ' C(lastUpdateDateTime), C(severity), C(serviceSource) and C(status); other properties give HTTP 400.',
    ]),
    'max_items': dict(type='int', description=[
        'List mode: return at most this many alerts (newest first). Unset returns all that match.',
        'When more alerts match, the module says so in its C(truncated) result and the lookup warns.',
        'The list-mode options are refused together with alert ids, which they would not narrow.',
    ]),
}

ALERT_TARGET_OPTIONS = ALERTS.target_options()

ALERT_UPDATE_OPTIONS = {
    'status': dict(type='str', values=list(STATUSES), description='The status the alert should have.'),
    'assigned_to': dict(type='str', description=[
        'Who the alert should be assigned to, usually a user principal name. Compared ignoring case.',
        'V("") unassigns the alert (Graph is sent C(null)); text made only of blanks is refused.',
    ]),
    'classification': dict(type='str', values=list(CLASSIFICATIONS), description='The classification the alert should have.'),
    'determination': dict(type='str', values=list(DETERMINATIONS), description=[
        'The determination the alert should have; it must fit the classification the alert will hold, as for'
        ' incidents (module M(msgraph.security.incident) lists the pairs). V(other) and V(unknown) fit any.',
    ]),
}
