# -*- coding: utf-8 -*-
# Copyright: contributors to the msgraph.security collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
name: incident_open
short_description: Is an incident still open
version_added: 1.0.0
author:
  - msgraph.security maintainers (!UNKNOWN)
description:
  - True when the status of a Microsoft Defender incident is one of O(statuses), by default
    C(active), C(inProgress) or C(awaitingAction).
  - Comparison ignores case, so payloads carrying C(Active) work.
  - C(awaitingAction) only reaches a play as itself when Graph is asked for evolvable enum members,
    which M(msgraph.security.incident_info) and the lookup do.
positional: statuses
options:
  _input:
    description:
      - An incident as returned by M(msgraph.security.incident_info) or the P(msgraph.security.incident#lookup)
        lookup (its C(status) key is used), or a status string.
    type: raw
    required: true
  statuses:
    description:
      - The statuses that count as open.
      - Each one of V(active), V(inProgress), V(awaitingAction), V(resolved), V(redirected),
        V(unknownFutureValue), in any case. Any other name is an error that lists these.
    type: list
    elements: str
    default: [active, inProgress, awaitingAction]
seealso:
  - plugin: msgraph.security.severity_at_least
    plugin_type: test
'''

EXAMPLES = r'''
- name: Read an incident (credentials from AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET)
  msgraph.security.incident_info:
    incident_id: 2972395
  register: result

- name: Skip incidents that are already closed
  ansible.builtin.debug:
    msg: "Incident {{ result.incident.id }} is {{ result.incident.status }}"
  when: result.incident is msgraph.security.incident_open

- name: Only incidents nobody has picked up yet
  ansible.builtin.debug:
    msg: "Untouched: {{ result.incidents | select('msgraph.security.incident_open', ['active']) | map(attribute='id') }}"
'''

RETURN = r'''
_value:
  description: V(true) when the status is one of O(statuses).
  type: bool
'''

from ansible.errors import AnsibleFilterError

from ansible_collections.msgraph.security.plugins.plugin_utils._controller import incident_levels


def incident_open(subject, statuses=None):
    try:
        return incident_levels.is_open(subject, statuses)
    except (TypeError, ValueError) as error:
        raise AnsibleFilterError('msgraph.security.incident_open: %s' % error)


class TestModule(object):
    def tests(self):
        return {'incident_open': incident_open}
