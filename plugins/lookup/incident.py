# -*- coding: utf-8 -*-
# Copyright: contributors to the msgraph.security collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
name: incident
short_description: Read Microsoft Defender incidents from Microsoft Graph inline
version_added: 1.0.0
description:
  - Returns security incidents from Microsoft Graph, as Graph returns them (camelCase keys).
  - With terms, each term is an incident id; C(lookup) with one id returns that incident and
    C(query) returns the list in the order asked. Several ids are read in one go (JSON batching).
  - With no terms, lists incidents (newest first) narrowed by the filter options.
  - One token and one MSAL application serve all terms of one evaluation, and later evaluations in
    the same process (the items of a task's loop) with the same connection settings. A lookup is
    evaluated again at every use and for every host; to read once, use it in a C(set_fact) task
    with C(run_once).
author:
  - msgraph.security maintainers (!UNKNOWN)
requirements:
  - msal
  - requests
options:
  _terms:
    description: Incident ids. None lists incidents instead.
    type: list
    elements: raw
extends_documentation_fragment:
  - msgraph.security.connection
  - msgraph.security.connection.plugins
  - msgraph.security.lookup_ids
  - msgraph.security.incident_query
seealso:
  - module: msgraph.security.incident_info
'''

EXAMPLES = r'''
- name: Branch on an incident inline (credentials from AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET)
  ansible.builtin.debug:
    msg: "Incident 2972395 is {{ lookup('msgraph.security.incident', '2972395').severity }}"

- name: Read once per play, not once per host
  ansible.builtin.set_fact:
    incident: "{{ lookup('msgraph.security.incident', '2972395', expand_alerts=true) }}"
  run_once: true

- name: Several incidents in one batched call, in the order given; ids that no longer exist are left out
  ansible.builtin.debug:
    msg: "{{ item.id }}: {{ item.status }}"
  loop: "{{ query('msgraph.security.incident', '2972395', '29', on_missing='warn') }}"

- name: Ids of the active high-severity incidents
  ansible.builtin.debug:
    msg: "{{ query('msgraph.security.incident', status=['active'], severity=['high'], max_items=10) | map(attribute='id') }}"
'''

RETURN = r'''
_raw:
  description: The incidents, in the order of the terms, or newest first when listing.
  type: list
  elements: dict
'''

from ansible_collections.msgraph.security.plugins.module_utils._resources.incidents import INCIDENTS, IncidentReader
from ansible_collections.msgraph.security.plugins.plugin_utils._controller.graph_lookup import GraphLookup
from ansible_collections.msgraph.security.plugins.plugin_utils._controller.resource_lookup import read_items


class LookupModule(GraphLookup):

    def lookup(self, terms, options, client):
        return read_items('msgraph.security.incident', INCIDENTS, lambda: IncidentReader(client(), options.get('expand_alerts')),
                          terms, options)
