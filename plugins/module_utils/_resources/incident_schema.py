# -*- coding: utf-8 -*-
# Copyright: contributors to the msgraph.security collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Internal to msgraph.security (not a public API): it may change in any release, even a bugfix one.
"""The incident's enums and writable fields, written once.

The option tables, the write modules, the Jinja tests and filter, the role's argument spec and
the tests all take their values from here (tests/unit/plugins/module_utils/test_incident_schema.py
ties the copies that cannot import it, YAML and the emulator, to these).

Graph spells enum members in camelCase; older examples use PascalCase ("Active", "TruePositive").
Input is therefore read in any case and turned into Graph's spelling by ``canonical``.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.msgraph.security.plugins.module_utils._core.errors import OptionError
from ansible_collections.msgraph.security.plugins.module_utils._core import odata

# The enum helpers, named here too for the plugins that take the incident's enums from this file.
canonical = odata.canonical
canonical_list = odata.canonical_list
same_enum = odata.same_enum

# What list mode filters on. awaitingAction is set by Defender Experts, redirected on merges.
STATUSES = ('active', 'inProgress', 'awaitingAction', 'resolved', 'redirected')
# What a client may set (PATCH).
SETTABLE_STATUSES = ('active', 'inProgress', 'resolved')
SEVERITIES = ('informational', 'low', 'medium', 'high', 'unknown')
CLASSIFICATIONS = ('unknown', 'falsePositive', 'truePositive', 'informationalExpectedActivity')

# Which determinations fit which classification (the Defender portal's grouping).
DETERMINATIONS_BY_CLASSIFICATION = {
    'truePositive': ('multiStagedAttack', 'maliciousUserActivity', 'malware', 'phishing',
                     'compromisedAccount', 'unwantedSoftware', 'apt', 'other'),
    'informationalExpectedActivity': ('securityTesting', 'lineOfBusinessApplication', 'confirmedActivity',
                                      'securityPersonnel', 'other'),
    'falsePositive': ('notMalicious', 'notEnoughDataToValidate', 'other'),
    'unknown': ('unknown',),
}
DETERMINATIONS = tuple(sorted(set(d for ds in DETERMINATIONS_BY_CLASSIFICATION.values() for d in ds)))

# Option name -> Graph property, for every field a PATCH may carry.
WRITABLE_FIELDS = {
    'status': 'status',
    'assigned_to': 'assignedTo',
    'classification': 'classification',
    'determination': 'determination',
    'custom_tags': 'customTags',
    'description': 'description',
    'resolving_comment': 'resolvingComment',
    'severity': 'severity',
    'display_name': 'displayName',
    'summary': 'summary',
}
# Writable fields holding an enum: compared in any case, sent as Graph spells them.
WRITABLE_ENUMS = {
    'status': SETTABLE_STATUSES,
    'classification': CLASSIFICATIONS,
    'determination': DETERMINATIONS,
    'severity': SEVERITIES,
}


# Determinations that fit any classification (the pairing above is the portal's convention, not a rule
# Graph is known to enforce, so the catch-all ones are let through).
FIT_ANY = ('other', 'unknown')


def check_determination(classification, determination):
    """OptionError when ``determination`` does not fit ``classification`` (both canonical)."""
    fitting = DETERMINATIONS_BY_CLASSIFICATION.get(classification)
    if determination and determination not in FIT_ANY and fitting is not None and determination not in fitting:
        raise OptionError('determination=%s does not fit classification=%s; use one of: %s.'
                          % (determination, classification, ', '.join(fitting)))
