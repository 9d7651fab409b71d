# -*- coding: utf-8 -*-
# Copyright: contributors to the msgraph.security collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
name: severity_at_least
short_description: Is an incident's severity at or above a level
version_added: 1.0.0
author:
  - msgraph.security maintainers (!UNKNOWN)
description:
  - Compares the severity of a Microsoft Defender incident with a minimum level.
  - The order is C(informational) < C(low) < C(medium) < C(high). C(unknown) and C(unknownFutureValue)
    rank below C(informational), as does any severity value Graph may add later.
  - Comparison ignores case, so payloads carrying C(Medium) or C(HIGH) work.
positional: level
options:
  _input:
    description:
      - An incident as returned by M(msgraph.security.incident_info) or the P(msgraph.security.incident#lookup)
        lookup (its C(severity) key is used), or a severity string.
    type: raw
    required: true
  level:
    description:
      - The minimum severity.
      - One of V(unknown), V(unknownFutureValue), V(informational), V(low), V(medium), V(high), in any case.
        Any other name is an error that lists these.
    type: str
    required: true
seealso:
  - plugin: msgraph.security.severity_rank
    plugin_type: filter
  - plugin: msgraph.security.incident_open
    plugin_type: test
'''

EXAMPLES = r'''
- name: Read an incident (credentials from AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET)
  msgraph.security.incident_info:
    incident_id: 2972395
  register: result

- name: Act only on medium and high incidents
  ansible.builtin.debug:
    msg: "Incident {{ result.incident.id }} needs attention"
  when: result.incident is msgraph.security.severity_at_least('medium')

- name: Keep the high-severity incidents of a list
  ansible.builtin.set_fact:
    urgent: "{{ result.incidents | select('msgraph.security.severity_at_least', 'high') }}"

- name: A severity string works as well (true)
  ansible.builtin.assert:
    that: "'Medium' is msgraph.security.severity_at_least('low')"
'''

RETURN = r'''
_value:
  description: V(true) when the severity ranks at or above O(level).
  type: bool
'''

from ansible.errors import AnsibleFilterError

from ansible_collections.msgraph.security.plugins.plugin_utils._controller import incident_levels


def severity_at_least(subject, level):
    try:
        return incident_levels.severity_at_least(subject, level)
    except (TypeError, ValueError) as error:
        raise AnsibleFilterError('msgraph.security.severity_at_least: %s' % error)


class TestModule(object):
    def tests(self):
        return {'severity_at_least': severity_at_least}
