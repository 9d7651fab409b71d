# -*- coding: utf-8 -*-
# Copyright: contributors to the msgraph.security collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
name: token
short_description: A Microsoft Graph access token, for another tool or a host without the credentials
version_added: 1.0.0
description:
  - Returns a Microsoft Graph access token for the configured credentials (client secret,
    certificate or managed identity), acquired through MSAL.
  - >-
    The collection's own tasks, lookups and inventory plugins need no wiring to share a token: within a
    run they share one already (see O(share_tokens)). This lookup is for the token itself, for example to
    pass as O(msgraph.security.incident_info#module:access_token) to tasks on hosts that do not hold the
    credentials, or to another tool. It comes from the run's shared tokens too.
  - Store it with C(set_fact) (with C(no_log) and C(run_once)). Tokens live about an hour, so acquire one per play.
author:
  - msgraph.security maintainers (!UNKNOWN)
requirements:
  - msal
  - requests
options:
  _terms:
    description: Not used.
extends_documentation_fragment:
  - msgraph.security.connection
  - msgraph.security.connection.plugins
notes:
  - The token is a secret. Keep C(no_log) on the task that stores it.
seealso:
  - module: msgraph.security.incident_info
  - plugin: msgraph.security.incident
    plugin_type: lookup
'''

EXAMPLES = r'''
- name: Many incident reads with one token
  hosts: localhost
  gather_facts: false
  tasks:
    - name: Acquire one Graph token for the play (credentials from AZURE_* variables)
      ansible.builtin.set_fact:
        graph_token: "{{ lookup('msgraph.security.token') }}"
      no_log: true
      run_once: true

    - name: Read incidents with that token
      module_defaults:
        group/msgraph.security.graph:
          access_token: "{{ graph_token }}"
      block:
        - name: Read the first incident
          msgraph.security.incident_info:
            incident_id: 2972395
          register: first

        - name: Read another incident
          msgraph.security.incident_info:
            incident_id: 29
          register: second
'''

RETURN = r'''
_raw:
  description: One element, the access token.
  type: list
  elements: str
'''

from ansible_collections.msgraph.security.plugins.plugin_utils._controller.graph_lookup import GraphLookup


class LookupModule(GraphLookup):

    def lookup(self, terms, options, client):
        return [client().auth.token()]
