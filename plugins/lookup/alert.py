# -*- coding: utf-8 -*-
# Copyright: contributors to the msgraph.security collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
name: alert
short_description: Read Microsoft Defender alerts from Microsoft Graph inline
version_added: 1.2.0
description:
  - Returns security alerts (C(/security/alerts_v2)) from Microsoft Graph, as Graph returns them (camelCase
    keys, with their C(evidence)).
  - With terms, each term is an alert id; C(lookup) with one id returns that alert and C(query) returns the
    list in the order asked. Several ids are read in one go (JSON batching).
  - With no terms, lists alerts (newest first) narrowed by the filter options, or the alerts of one
    incident (O(incident_id)).
  - A lookup is evaluated again at every use and for every host; to read once, use it in a C(set_fact)
    task with C(run_once).
author:
  - msgraph.security maintainers (!UNKNOWN)
requirements:
  - msal
  - requests
options:
  _terms:
    description: Alert ids. None lists alerts instead.
    type: list
    elements: str
extends_documentation_fragment:
  - msgraph.security.connection
  - msgraph.security.connection.plugins
  - msgraph.security.lookup_ids
  - msgraph.security.alert_query
seealso:
  - module: msgraph.security.alert_info
'''

EXAMPLES = r'''
- name: Branch on an alert inline (credentials from AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET)
  ansible.builtin.debug:
    msg: "Alert is {{ lookup('msgraph.security.alert', 'da561376006189377120_-842908347').status }}"

- name: The titles of an incident's alerts, read once per play
  ansible.builtin.set_fact:
    alert_titles: "{{ query('msgraph.security.alert', incident_id='2972395') | map(attribute='title') | list }}"
  run_once: true
'''

RETURN = r'''
_raw:
  description: The alerts, in the order of the terms, or newest first when listing.
  type: list
  elements: dict
'''

from ansible_collections.msgraph.security.plugins.module_utils._resources.alerts import ALERTS, AlertReader
from ansible_collections.msgraph.security.plugins.plugin_utils._controller.graph_lookup import GraphLookup
from ansible_collections.msgraph.security.plugins.plugin_utils._controller.resource_lookup import read_items


class LookupModule(GraphLookup):

    def lookup(self, terms, options, client):
        return read_items('msgraph.security.alert', ALERTS, lambda: AlertReader(client()), terms, options)
