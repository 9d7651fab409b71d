# -*- coding: utf-8 -*-
# Copyright: contributors to the msgraph.security collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Internal to msgraph.security (not a public API): it may change in any release, even a bugfix one.
"""The options of the write modules, written once.

TARGET_OPTIONS (which incidents: modules incident and incident_comment) and UPDATE_OPTIONS
(the fields of an incident a play may set: module incident) become the modules' argument_spec
and, through ``make doc-fragments``, the doc fragments msgraph.security.incident_target and
msgraph.security.incident_update. Enum values come from incident_schema.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.msgraph.security.plugins.module_utils._resources.incidents import INCIDENTS
from ansible_collections.msgraph.security.plugins.module_utils._resources.incident_schema import (
    CLASSIFICATIONS,
    DETERMINATIONS,
    DETERMINATIONS_BY_CLASSIFICATION,
    SETTABLE_STATUSES,
    SEVERITIES,
    STATUSES,
)

# One sentence per classification: which determinations fit it.
_FITTING = ['With C(%s): %s.' % (classification, ', '.join('V(%s)' % d for d in DETERMINATIONS_BY_CLASSIFICATION[classification]))
            for classification in CLASSIFICATIONS]

TARGET_OPTIONS = INCIDENTS.target_options()

UPDATE_OPTIONS = {
    'status': dict(
        type='str',
        values=list(SETTABLE_STATUSES),
        description=[
            'The status the incident should have. Defender sets the other statuses (C(redirected),'
            ' C(awaitingAction)) itself.',
        ],
    ),
    'assigned_to': dict(
        type='str',
        description=[
            'Who the incident should be assigned to, usually a user principal name such as V(KaiC@contoso.com).',
            'Compared ignoring case, without surrounding blanks. V("") unassigns the incident (Graph is sent'
            ' C(null), its "no owner"); text made only of blanks is refused.',
        ],
    ),
    'classification': dict(
        type='str',
        values=list(CLASSIFICATIONS),
        description='The classification the incident should have.',
    ),
    'determination': dict(
        type='str',
        values=list(DETERMINATIONS),
        description=[
            'The determination the incident should have.',
            'The pair is checked against what the incident will hold, whichever of O(classification) and'
            ' O(determination) the task changes: a determination must fit the classification (O(classification)'
            ' when given, else the one already on the incident), and a new O(classification) must fit the'
            ' determination already there. When it does not, the module fails before writing anything and'
            ' lists the ones that fit.',
            'The pairing is the Defender portal\'s convention, not a rule Graph is known to enforce; V(other) and'
            ' V(unknown) fit any classification, and an incident whose classification the collection does not'
            ' know is not checked.',
        ] + _FITTING,
    ),
    'custom_tags': dict(
        type='list',
        elements='str',
        description=[
            'Custom tags the incident should carry, compared as a set (order and repetition do not matter).',
            'Tags are compared ignoring case, as the Defender portal treats them: V(vip) is already there when'
            ' the incident carries V(VIP), and the spelling on the incident is kept.',
            'With O(purge_custom_tags=false) they are added to the tags already there; with'
            ' O(purge_custom_tags=true) the incident ends with exactly these.',
        ],
    ),
    'purge_custom_tags': dict(
        type='bool',
        default=False,
        description=[
            'Remove the custom tags not listed in O(custom_tags).',
            'With O(custom_tags=[]) this removes every custom tag. Ignored when O(custom_tags) is not set.',
        ],
    ),
    'description': dict(
        type='str',
        description="The incident's description (free text).",
    ),
    'severity': dict(
        type='str',
        values=list(SEVERITIES),
        description=[
            'The severity the incident should have: re-rating an incident as triage learns more.',
            'Compared ignoring case with the severity the incident has (Graph may send V(High) or V(high)).',
        ],
    ),
    'display_name': dict(
        type='str',
        description=[
            "The incident's name (its C(displayName)), free text; compared exactly.",
            'An incident always has a name: V("") or only blanks is refused before anything is sent.',
        ],
    ),
    'summary': dict(
        type='str',
        description=[
            "The incident's summary (free text); compared exactly. V(\"\") clears it.",
        ],
    ),
    'resolving_comment': dict(
        type='str',
        description=[
            'The comment explaining how the incident was resolved.',
            'Only with an incident that will be resolved: with O(status=resolved), or on an incident already'
            ' resolved. With another O(status), or on an incident that stays open, the module fails before'
            ' writing anything.',
        ],
    ),
    'only_from_status': dict(
        type='list',
        elements='str',
        description=[
            'Change only the incidents whose current status is one of these (any case; %s).'
            % ', '.join('V(%s)' % status for status in STATUSES),
            'The others are left alone and listed in RV(skipped_ids), so that a recording step never reopens an'
            ' incident an analyst resolved while the play ran. Unset: incidents in any status are changed.',
        ],
    ),
    'move_redirected': dict(
        type='bool',
        default=False,
        description=[
            'A C(redirected) incident was merged into another one; set V(true) to change its O(status) anyway.',
            'When V(false) a task that would change the status of a redirected incident fails before'
            ' writing anything. Its other fields may change either way.',
        ],
    ),
}
