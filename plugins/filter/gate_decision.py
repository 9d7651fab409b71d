# -*- coding: utf-8 -*-
# Copyright: contributors to the msgraph.security collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
name: gate_decision
short_description: Decide whether a play acts on an incident, and say why
version_added: 1.1.0
author:
  - msgraph.security maintainers (!UNKNOWN)
description:
  - The decision of the C(msgraph.security.incident_gate) role, for use in your own plays.
  - An incident passes when its severity is at least O(min_severity) and its status is one of
    O(statuses). Severity is judged first.
  - Returns a dict with C(passed) (bool) and C(reason), one sentence such as
    C(severity low is below medium) or C(status resolved is not one of active, inProgress, awaitingAction),
    with C((merged into incident N)) for a redirected incident.
  - Level and status names are read in any case and written in Graph's spelling in the reason.
options:
  _input:
    description: An incident as returned by M(msgraph.security.incident_info) or the P(msgraph.security.incident#lookup) lookup.
    type: dict
    required: true
  min_severity:
    description:
      - The lowest severity that passes; order is informational < low < medium < high.
      - One of V(unknown), V(unknownFutureValue), V(informational), V(low), V(medium), V(high), in any
        case; V(unknown) lets every severity through. Any other name is an error that lists these.
    type: str
    default: medium
  statuses:
    description:
      - The statuses that pass, each one of V(active), V(inProgress), V(awaitingAction), V(resolved),
        V(redirected), V(unknownFutureValue), in any case. Any other name is an error that lists these.
    type: list
    elements: str
    default: [active, inProgress, awaitingAction]
seealso:
  - plugin: msgraph.security.severity_at_least
    plugin_type: test
  - plugin: msgraph.security.incident_open
    plugin_type: test
'''

EXAMPLES = r'''
- name: Read an incident
  msgraph.security.incident_info:
    incident_id: 2972395
  register: result

- name: Say what would happen to it
  ansible.builtin.debug:
    msg: "{{ 'act' if decision.passed else 'skip' }}: {{ decision.reason }}"
  vars:
    decision: "{{ result.incident | msgraph.security.gate_decision('High', ['active', 'inProgress']) }}"

- name: The open incidents of a list that are at least medium
  ansible.builtin.debug:
    msg: "{{ result.incidents | map('msgraph.security.gate_decision') | selectattr('passed') | length }} of them pass"
'''

RETURN = r'''
_value:
  description: The decision.
  type: dict
  contains:
    passed:
      description: V(true) when the incident passes.
      type: bool
      sample: false
    reason:
      description: Why, in one sentence.
      type: str
      sample: severity low is below medium
'''

from ansible.errors import AnsibleFilterError

from ansible_collections.msgraph.security.plugins.plugin_utils._controller import incident_levels


def gate_decision(incident, min_severity='medium', statuses=incident_levels.OPEN_STATUSES):
    try:
        return incident_levels.gate_decision(incident, min_severity, statuses)
    except (TypeError, ValueError) as error:
        raise AnsibleFilterError('msgraph.security.gate_decision: %s' % error)


class FilterModule(object):
    def filters(self):
        return {'gate_decision': gate_decision}
