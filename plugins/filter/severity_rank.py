# -*- coding: utf-8 -*-
# Copyright: contributors to the msgraph.security collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
name: severity_rank
short_description: The rank of an incident's severity, for sorting and comparing
version_added: 1.0.0
author:
  - msgraph.security maintainers (!UNKNOWN)
description:
  - Turns the severity of a Microsoft Defender incident into a number.
  - V(0) for C(unknown), C(unknownFutureValue) and any severity Graph may add later, V(1) C(informational),
    V(2) C(low), V(3) C(medium), V(4) C(high). Case is ignored.
  - To compare with a level, the P(msgraph.security.severity_at_least#test) test reads better.
options:
  _input:
    description:
      - An incident as returned by M(msgraph.security.incident_info) or the P(msgraph.security.incident#lookup)
        lookup (its C(severity) key is used), or a severity string.
    type: raw
    required: true
seealso:
  - plugin: msgraph.security.severity_at_least
    plugin_type: test
'''

EXAMPLES = r'''
- name: Read an incident (credentials from AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET)
  msgraph.security.incident_info:
    incident_id: 2972395
  register: result

- name: The highest severity rank among the incidents listed (4 when one of them is high)
  ansible.builtin.debug:
    msg: "{{ result.incidents | map('msgraph.security.severity_rank') | max }}"

- name: Prints 3
  ansible.builtin.debug:
    msg: "{{ 'Medium' | msgraph.security.severity_rank }}"
'''

RETURN = r'''
_value:
  description: The rank, from V(0) (unknown) to V(4) (high).
  type: int
'''

from ansible.errors import AnsibleFilterError

from ansible_collections.msgraph.security.plugins.plugin_utils._controller import incident_levels


def severity_rank(subject):
    try:
        return incident_levels.severity_rank(subject)
    except TypeError as error:
        raise AnsibleFilterError('msgraph.security.severity_rank: %s' % error)


class FilterModule(object):
    def filters(self):
        return {'severity_rank': severity_rank}
