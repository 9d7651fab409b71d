# -*- coding: utf-8 -*-
# Copyright: contributors to the msgraph.security collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Internal to msgraph.security (not a public API): it may change in any release, even a bugfix one.
"""The options that choose which incidents to read, shared by the module and the lookup.

Like connection_options, this table is the single definition: the module's argument_spec,
the lookup's documentation (doc fragment msgraph.security.incident_query) and the filter
builder's validation all come from it.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.msgraph.security.plugins.module_utils._resources.incident_schema import SEVERITIES, STATUSES

QUERY_OPTIONS = {
    'status': dict(
        type='list',
        elements='str',
        values=list(STATUSES),
        description='List mode: only incidents with one of these statuses.',
    ),
    'severity': dict(
        type='list',
        elements='str',
        values=list(SEVERITIES),
        description='List mode: only incidents with one of these severities.',
    ),
    'assigned_to': dict(
        type='str',
        description=[
            'List mode: only incidents assigned to this user (user principal name, as Graph shows it).',
            'An empty value is refused rather than ignored (it would list every incident): leave the option unset'
            ' (in a template, V(default(omit))) to list incidents assigned to anyone, or use'
            " O(filter=assignedTo eq null) for incidents assigned to nobody.",
        ],
    ),
    'created_after': dict(
        type='str',
        description=[
            'List mode: only incidents created at or after this time.',
            'An ISO 8601 date or date-time such as V(2026-01-31) or V(2026-01-31T08:00:00+01:00); without an offset it is UTC.',
            'Offsets run from V(-12:00) to V(+14:00); a time that falls outside years 1 to 9999 in UTC is refused.',
        ],
    ),
    'updated_after': dict(
        type='str',
        description=[
            'List mode: only incidents last updated at or after this time (C(lastUpdateDateTime)).',
            'Same format as O(created_after).',
        ],
    ),
    'filter': dict(
        type='str',
        description=[
            'List mode: a raw OData C($filter) expression for anything the other filters do not cover,'
            " for example V(classification eq 'truePositive').",
            'It is combined with the other filters by C(and), inside parentheses: parentheses outside string'
            ' literals must balance, or it is refused.',
        ],
    ),
    'max_items': dict(
        type='int',
        description=[
            'List mode: return at most this many incidents (newest first). Unset returns all that match.',
            'When more incidents match, the module says so in its C(truncated) result and the lookup warns.',
            'The list-mode options are refused together with incident ids, which they would not narrow.',
        ],
    ),
    'expand_alerts': dict(
        type='bool',
        default=False,
        description=[
            "Include each incident's alerts (with their evidence) in the C(alerts) key, in every mode.",
            'Large tenants answer HTTP 500 to a filtered list with C($expand=alerts), however often it is asked'
            ' again; then the list is read without it and each incident again with its alerts through JSON'
            ' batching (more requests, same result).',
        ],
    ),
}
