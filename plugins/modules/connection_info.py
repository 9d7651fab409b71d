#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to the msgraph.security collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: connection_info
short_description: Check what the configured credentials can do with Microsoft Defender incidents
version_added: 1.1.0
description:
  - Acquires a token with the connection options, reads its claims, and tries what the collection's
    plugins do, without writing anything. Run it first with a new app registration, managed
    identity or AWX credential.
  - The checks, in order, are C(token) (a token was acquired), C(audience) (the token is for the
    Graph of O(cloud)), C(permissions) (the application permissions the token carries),
    C(read) (one C(GET /security/incidents?$top=1)), C(count) (Graph answers C($count), used to
    read long listings in parallel pages), C(batch) (JSON batching, used to read incidents by id)
    and C(evolvable_enums) (a filter on status C(awaitingAction), which Graph accepts only when the
    request header C(Prefer) with C(include-unknown-enum-members) reaches it).
  - A failing check does not fail the task; it is reported in RV(checks) with what to fix, and
    RV(can_read) is V(false). Use the C(msgraph.security.verify) playbook, or a C(failed_when) on
    RV(can_read), to fail a job. The task fails only for options that are wrong before anything is
    sent (for example conflicting credentials or an unreadable certificate file).
  - The token itself is never returned or shown. Its claims are read without verifying its
    signature, for display only; Graph decides what the token may do.
author:
  - msgraph.security maintainers (!UNKNOWN)
requirements:
  - msal
  - requests
extends_documentation_fragment:
  - msgraph.security.connection
  - msgraph.security.attributes
  - msgraph.security.attributes.read_only
notes:
  - RV(can_write) is read from the token's C(roles) claim (application permissions) or, for a user's
    delegated token, its C(scp) claim; no write is attempted.
  - A token whose C(exp) is past (by this host's clock) fails the C(token) check with the word
    C(expired); the other checks still run, so that Graph's own answer to it is shown.
  - Every check costs at most one request, five Graph requests in all.
seealso:
  - module: msgraph.security.incident_info
  - name: Microsoft Graph permissions for security incidents
    description: SecurityIncident.Read.All and SecurityIncident.ReadWrite.All.
    link: https://learn.microsoft.com/en-us/graph/api/security-list-incidents#permissions
'''

EXAMPLES = r'''
- name: Check the credentials in AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET
  msgraph.security.connection_info:
  register: connection

- name: Show the verdict and every check
  ansible.builtin.debug:
    msg: "{{ [connection.summary] + (connection.checks | map(attribute='detail') | list) }}"

- name: Stop here unless incidents can be read
  ansible.builtin.assert:
    that: connection.can_read
    fail_msg: "{{ connection.summary }}"
    quiet: true

- name: Branch on the permission to change incidents
  ansible.builtin.debug:
    msg: "{{ 'Incidents can be updated' if connection.can_write else 'Read-only credentials' }}"

- name: Which application permissions does the token carry?
  ansible.builtin.debug:
    var: connection.token.roles
'''

RETURN = r'''
summary:
  description: One sentence saying whether incidents can be read (and changed), or which check failed and why.
  returned: always
  type: str
  sample: >-
    READY: app 5a1e6d3c-1f0b-4c7e-9a52-7d3e8b6c2f10 in tenant 8f3c1d52-6a4e-4c1b-9d7e-2b5a0e4f7c19 can read
    incidents, but not change them (no SecurityIncident.ReadWrite.All) through https://graph.microsoft.com/v1.0.
auth_method:
  description: How the module authenticated.
  returned: always
  type: str
  choices: [client_secret, certificate, managed_identity, access_token]
  sample: client_secret
cloud:
  description: The cloud from O(cloud), by its collection name.
  returned: always
  type: str
  sample: global
graph_url:
  description: Where Graph requests are sent (O(graph_url), else the Graph of O(cloud)).
  returned: always
  type: str
  sample: https://graph.microsoft.com
authority_host:
  description: The Entra ID host tokens are requested from (not used with managed identity or O(access_token)).
  returned: always
  type: str
  sample: https://login.microsoftonline.com
api_version:
  description: The Graph API version requests use.
  returned: always
  type: str
  sample: v1.0
token_audience:
  description: The resource tokens are requested for (not used with O(access_token)).
  returned: always
  type: str
  sample: https://graph.microsoft.com
token:
  description:
    - Claims read from the access token, without verifying it. Every field is V(null) when the token
      is not a JWT.
  returned: always
  type: dict
  contains:
    audience:
      description: The resource the token is for (C(aud)).
      type: str
      sample: https://graph.microsoft.com
    tenant_id:
      description: The tenant that issued the token (C(tid)).
      type: str
      sample: 8f3c1d52-6a4e-4c1b-9d7e-2b5a0e4f7c19
    app_id:
      description: The application (client) ID the token was issued to (C(appid)).
      type: str
      sample: 5a1e6d3c-1f0b-4c7e-9a52-7d3e8b6c2f10
    roles:
      description: The application permissions granted, with admin consent (C(roles)); empty when none.
      type: list
      elements: str
      sample: [SecurityIncident.Read.All]
    scopes:
      description:
        - The delegated permissions of a signed-in user's token (C(scp), space-separated); empty for an
          application's token.
      type: list
      elements: str
      sample: [User.Read, SecurityIncident.ReadWrite.All]
      version_added: 1.2.0
    expires_on:
      description: When the token expires, ISO 8601 in UTC (C(exp)).
      type: str
      sample: "2026-11-27T12:26:02Z"
    expired:
      description: Whether C(exp) is past, by the clock of the host the module runs on.
      type: bool
      sample: false
      version_added: 1.2.0
can_read:
  description: Whether a real read of incidents (one request, C($top=1)) succeeded.
  returned: always
  type: bool
  sample: true
can_write:
  description:
    - Whether the token carries C(SecurityIncident.ReadWrite.All), which changing incidents needs, as an
      application permission or as a delegated one. Nothing is written to find out.
    - V(null) when the token is not a JWT, so its permissions cannot be read.
  returned: always
  type: bool
  sample: false
capabilities:
  description:
    - RV(can_read) and RV(can_write) for each resource the module probes, by resource name. Today the
      one resource is C(incidents), whose values are RV(can_read) and RV(can_write).
  returned: always
  type: dict
  sample: {incidents: {can_read: true, can_write: false}}
  version_added: 1.2.0
checks:
  description:
    - Every step, in order. RV(checks[].ok) is V(false) for a step that failed, with what to fix in
      RV(checks[].detail), and V(null) for a step that could not run.
  returned: always
  type: list
  elements: dict
  contains:
    name:
      description:
        - The step. Checks of resources probed after incidents, when there are, are named
          C(<resource>_<step>), for example C(alerts_read).
      type: str
    ok:
      description: V(true) passed, V(false) failed, V(null) not run or not knowable.
      type: bool
    detail:
      description: What was found, or why the step failed and what to fix (with Graph's request-id).
      type: str
  sample:
    - name: token
      ok: true
      detail: >-
        Using a token (client secret) for https://graph.microsoft.com, for app 5a1e6d3c-1f0b-4c7e-9a52-7d3e8b6c2f10
        in tenant 8f3c1d52-6a4e-4c1b-9d7e-2b5a0e4f7c19, valid until 2026-11-27T12:26:02Z.
    - name: read
      ok: false
      detail: >-
        GET /v1.0/security/incidents failed: HTTP 403 Forbidden: Missing application roles. (request-id: ...).
        The app needs the Microsoft Graph application permission SecurityIncident.Read.All with admin consent...
'''

from ansible_collections.msgraph.security.plugins.module_utils._core.connection_check import check_connection
from ansible_collections.msgraph.security.plugins.module_utils._core.graph_module import GraphModule
from ansible_collections.msgraph.security.plugins.module_utils._resources.capabilities import CAPABILITIES


def main():
    module = GraphModule(supports_check_mode=True)
    module.run(lambda client: check_connection(client, CAPABILITIES))


if __name__ == '__main__':
    main()
