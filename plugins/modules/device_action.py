#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to the msgraph.security collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: device_action
short_description: Run an antivirus scan or collect an investigation package on Microsoft Defender for Endpoint devices
version_added: 1.2.0
description:
  - Asks Defender for Endpoint for a one-shot action on one or many devices - an antivirus scan
    (C(POST /api/machines/{id}/runAntiVirusScan)) or an investigation package
    (C(POST /api/machines/{id}/collectInvestigationPackage)).
  - A device on which the same action is still pending (V(Pending) or V(InProgress)) gets no second one; that
    action is reported (C(requested=false)) and followed. An action request is never sent twice; if its
    answer is lost, the device's action history is read again to find it.
  - Every device is tried; the devices whose action could not be asked for, failed or (with O(wait=true)) did
    not end within O(wait_timeout) are listed in RV(failed_devices), and the task fails after all were tried.
author:
  - msgraph.security maintainers (!UNKNOWN)
requirements:
  - msal
  - requests
options:
  action:
    description: The action to ask for.
    type: str
    required: true
    choices: [run_antivirus_scan, collect_investigation_package]
  scan_type:
    description: With O(action=run_antivirus_scan), a V(quick) or V(full) scan.
    type: str
    choices: [quick, full]
  wait:
    description:
      - Follow each action until it ends. Off by default, as a full scan can take hours; the action ids
        are returned to follow later.
    type: bool
    default: false
  wait_timeout:
    description: With O(wait=true), how many seconds to follow the actions, all together.
    type: int
    default: 600
extends_documentation_fragment:
  - msgraph.security.connection
  - msgraph.security.device_target
  - msgraph.security.device_comment
  - msgraph.security.attributes
  - msgraph.security.attributes.device_action_module
notes:
  - The app needs the WindowsDefenderATP application permissions C(Machine.Read.All) and C(Machine.Scan)
    (scans) or C(Machine.CollectForensics) (investigation packages), with admin consent.
seealso:
  - module: msgraph.security.device
  - name: Run antivirus scan (Defender for Endpoint API)
    description: The API this module calls.
    link: https://learn.microsoft.com/en-us/defender-endpoint/api/run-av-scan
'''

EXAMPLES = r'''
- name: Start a quick scan on two devices (credentials from AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET)
  msgraph.security.device_action:
    device_names: [desktop-4h2k9.contoso.local, wks-hr-114.contoso.local]
    action: run_antivirus_scan
    scan_type: quick
    comment: "Incident 2972395: scan after containment"
  register: scans

- name: Collect an investigation package and wait for it
  msgraph.security.device_action:
    device_names: [desktop-4h2k9.contoso.local]
    action: collect_investigation_package
    comment: "Incident 2972395: forensics"
    wait: true
'''

RETURN = r'''
devices:
  description:
    - Per device, in the order given - C(id), C(dns_name), C(actions) (each with C(id), C(type), C(scope), C(status),
      C(requested), C(requestor), C(created), C(last_update)), C(outcomes), C(summary), C(changed), C(failed),
      as M(msgraph.security.device) returns them.
  returned: always
  type: list
  elements: dict
failed_devices:
  description: The devices that failed, each with C(id), C(dns_name) and C(summary).
  returned: always
  type: list
  elements: dict
action_ids:
  description: The ids of the actions this task asked for.
  returned: always
  type: list
  elements: str
'''

from ansible_collections.msgraph.security.plugins.module_utils._core.graph_module import GraphModule
from ansible_collections.msgraph.security.plugins.module_utils._resources.device_options import DEVICE_COMMENT_OPTIONS, DEVICE_TARGET_OPTIONS
from ansible_collections.msgraph.security.plugins.module_utils._resources.device_response import ONE_SHOT, SCAN_TYPES, one_shot


def main():
    module = GraphModule(
        DEVICE_TARGET_OPTIONS,
        DEVICE_COMMENT_OPTIONS,
        argument_spec=dict(
            action=dict(type='str', required=True, choices=sorted(ONE_SHOT)),
            scan_type=dict(type='str', choices=list(SCAN_TYPES)),
            wait=dict(type='bool', default=False),
            wait_timeout=dict(type='int', default=600),
        ),
        required_one_of=[('device_ids', 'device_names', 'devices')],
        required_if=[('action', 'run_antivirus_scan', ('scan_type',))],
        supports_check_mode=True,
    )
    module.run(lambda client: one_shot(client, module.params, module.check_mode))


if __name__ == '__main__':
    main()
