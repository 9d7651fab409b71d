#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to the msgraph.security collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: indicator
short_description: Block, allow or alert on a file hash, IP address, domain, URL or certificate in Microsoft Defender for Endpoint
version_added: 1.2.0
description:
  - Brings one Defender for Endpoint indicator (C(/api/indicators)) to the state the task describes.
  - Idempotent by O(value) and O(type). The indicator with that value and type is looked up; when it holds
    what the task sets, nothing is sent. Otherwise it is submitted (Defender creates or updates it); fields
    the task does not set keep their values.
  - A new O(action) for an existing indicator replaces it (delete, then submit), as Defender is known to
    misbehave when only the action of an indicator changes; RV(deleted_ids) names the indicator replaced.
  - The value is checked against its type, and O(expiration) must be in the future, before anything is sent.
author:
  - msgraph.security maintainers (!UNKNOWN)
requirements:
  - msal
  - requests
options:
  value:
    description: The file hash, IP address, domain name, URL or certificate thumbprint. Compared ignoring case.
    type: str
    required: true
  type:
    description:
      - What O(value) is. V(ip_address) takes one address (no range); V(url) an http or https URL.
    type: str
    required: true
    choices: [file_sha1, file_sha256, file_md5, certificate_thumbprint, ip_address, domain_name, url]
  action:
    description:
      - What Defender does when it meets the value. V(block_and_remediate) applies to files; V(audit)
        alerts without blocking (it needs O(generate_alert), which it sets).
      - Defender's pages say V(alert) and V(alert_and_block) are older actions, kept for existing indicators.
      - Required with O(state=present).
    type: str
    choices: [alert, warn, block, audit, block_and_remediate, alert_and_block, allowed]
  title:
    description: The indicator's title, shown in alerts. Required with O(state=present).
    type: str
  description:
    description: What the indicator is for. Required with O(state=present).
    type: str
  severity:
    description: The severity of the alerts it raises.
    type: str
    choices: [informational, low, medium, high]
  expiration:
    description:
      - When the indicator expires, as an ISO 8601 date or date-time such as V(2027-01-31T00:00:00Z) (UTC without
        an offset). It must be in the future. Unset, the indicator does not expire.
    type: str
  recommended_actions:
    description: What the analyst should do about an alert from it.
    type: str
  rbac_group_names:
    description: The device groups it applies to (all devices when unset).
    type: list
    elements: str
  generate_alert:
    description: Whether meeting the value raises an alert.
    type: bool
  state:
    description: V(present) submits the indicator; V(absent) deletes every indicator with this value and type.
    type: str
    choices: [present, absent]
    default: present
extends_documentation_fragment:
  - msgraph.security.connection
  - msgraph.security.attributes
  - msgraph.security.attributes.indicator_module
notes:
  - The app needs the WindowsDefenderATP application permission C(Ti.ReadWrite.All) with admin consent
    (C(Ti.ReadWrite) sees and manages only the indicators the app created itself).
  - Defender takes at most 15,000 active indicators per tenant. Enforcement on devices follows within minutes.
seealso:
  - module: msgraph.security.device
  - name: Submit or update indicator (Defender for Endpoint API)
    description: The API this module calls.
    link: https://learn.microsoft.com/en-us/defender-endpoint/api/post-ti-indicator
'''

EXAMPLES = r'''
- name: Block a file by its SHA-256 until 2030 (credentials from AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET)
  msgraph.security.indicator:
    value: 4f2a8d6c1b9e3f7a5c0d8e2b6a4f1c9d7e3b5a8c2f6d0e4b9a1c7f3e5d8b2a6c
    type: file_sha256
    action: block_and_remediate
    title: "Incident 2972395: dropper"
    description: Blocked by the triage playbook
    severity: high
    expiration: "2030-01-01T00:00:00Z"

- name: Remove the block of a domain
  msgraph.security.indicator:
    value: login.contoso-support.example
    type: domain_name
    state: absent
'''

RETURN = r'''
indicator:
  description:
    - The indicator as Defender answered it (in check mode, as it would be submitted; unchanged, as it was read);
      null with O(state=absent).
  returned: always
  type: dict
  sample: {id: "995", indicatorValue: login.contoso-support.example, indicatorType: DomainName, action: Block,
           title: Phishing domain, severity: High, expirationTime: "2027-01-31T00:00:00Z"}
deleted_ids:
  description: The ids of the indicators deleted (O(state=absent)) or replaced (a new O(action)); in check mode, that would be.
  returned: always
  type: list
  elements: str
diff:
  description: The fields that change, by Defender's names, before and after.
  returned: always
  type: dict
'''

from ansible_collections.msgraph.security.plugins.module_utils._core.graph_module import GraphModule
from ansible_collections.msgraph.security.plugins.module_utils._resources.indicators import ACTIONS, SEVERITIES, TYPES, apply


def main():
    module = GraphModule(
        argument_spec=dict(
            value=dict(type='str', required=True),
            type=dict(type='str', required=True, choices=sorted(TYPES)),
            action=dict(type='str', choices=sorted(ACTIONS)),
            title=dict(type='str'),
            description=dict(type='str'),
            severity=dict(type='str', choices=sorted(SEVERITIES)),
            expiration=dict(type='str'),
            recommended_actions=dict(type='str'),
            rbac_group_names=dict(type='list', elements='str'),
            generate_alert=dict(type='bool'),
            state=dict(type='str', choices=['present', 'absent'], default='present'),
        ),
        required_if=[('state', 'present', ('action', 'title', 'description'))],
        supports_check_mode=True,
    )
    module.run(lambda client: apply(client, module.params, module.check_mode))


if __name__ == '__main__':
    main()
