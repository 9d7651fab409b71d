#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to the msgraph.security collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: device
short_description: Isolate Microsoft Defender for Endpoint devices, restrict their apps, or release them
version_added: 1.2.0
description:
  - Brings one or many devices to the containment state the task describes, through the Defender for
    Endpoint API (C(POST /api/machines/{id}/isolate), C(unisolate), C(restrictCodeExecution),
    C(unrestrictCodeExecution)).
  - Idempotent. A device has no isolation property in Defender, so its state is read from its action
    history - the newest isolation or restriction action that Succeeded. A device already in the state
    asked for gets no action; a device whose same action is still pending gets no second one (that action
    is followed instead). Defender refuses a second action while one is pending, and duplicate requests are
    known to end wrongly, so an action request is never sent twice.
  - An action asked for is queued by Defender and carried out when the device is online. With O(wait=true)
    each action is followed until it ends, within O(wait_timeout) for all of them.
  - Every device is tried. A device whose action cannot be asked for, fails, or does not end within
    O(wait_timeout) is listed in RV(failed_devices), and the task fails after all devices were tried, with every
    device's result.
  - If the answer to an action request is lost, the device's action history is read again, and an action that
    was not there before is taken as the request's. If none is visible yet, the device is failed and the
    request is not sent again; run the task again, as it reads the history first.
author:
  - msgraph.security maintainers (!UNKNOWN)
requirements:
  - msal
  - requests
options:
  isolation:
    description:
      - V(full) cuts the device off the network except for the Defender service; V(selective) keeps Outlook,
        Teams and Skype working (Windows 10 1709 and later); V(released) ends the isolation.
      - A device isolated one way is not switched to the other; release it first.
    type: str
    choices: [full, selective, released]
  app_execution:
    description:
      - V(restricted) lets only Microsoft-signed programs run on the device; V(unrestricted) lifts that.
      - At least one of O(isolation) and O(app_execution) is required.
    type: str
    choices: [restricted, unrestricted]
  wait:
    description: Follow each action until it ends (V(Succeeded), V(Failed), V(TimeOut), V(Cancelled)).
    type: bool
    default: true
  wait_timeout:
    description:
      - How many seconds to follow the actions, all together. An action not ended by then fails its device
        (it stays queued in Defender and is reported with its id).
      - An offline device stays V(Pending) until it comes online.
    type: int
    default: 300
extends_documentation_fragment:
  - msgraph.security.connection
  - msgraph.security.device_target
  - msgraph.security.device_comment
  - msgraph.security.attributes
  - msgraph.security.attributes.device_module
notes:
  - The app needs the WindowsDefenderATP application permissions C(Machine.Read.All) (the devices and their
    action history), C(Machine.Isolate) (isolation) and C(Machine.RestrictExecution) (app execution), with
    admin consent. The token is requested for the Defender for Endpoint resource of O(cloud), with the same
    credentials as for Graph; a missing permission fails the device with HTTP 403 naming it.
  - Full isolation needs Windows 10 1703 or later, Windows 11 or a supported Linux; a device behind a full
    VPN tunnel may lose the Defender service once isolated.
seealso:
  - module: msgraph.security.device_info
  - module: msgraph.security.device_action
  - name: Isolate machine (Defender for Endpoint API)
    description: The API this module calls.
    link: https://learn.microsoft.com/en-us/defender-endpoint/api/isolate-machine
'''

EXAMPLES = r'''
- name: Read an incident with its alerts (credentials from AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET)
  msgraph.security.incident_info:
    incident_id: 2972395
    expand_alerts: true
  register: result

- name: Isolate the incident's devices and wait until Defender has done it
  msgraph.security.device:
    devices: "{{ (result.incident | msgraph.security.evidence).devices }}"
    isolation: full
    comment: "Incident 2972395: contained by Ansible"
  register: contained

- name: Say what was done per device
  ansible.builtin.debug:
    msg: "{{ contained.devices | map(attribute='summary') | list }}"

- name: Release a device and lift its app restriction
  msgraph.security.device:
    device_names: [desktop-4h2k9.contoso.local]
    isolation: released
    app_execution: unrestricted
    comment: False positive, released
'''

RETURN = r'''
devices:
  description: Per device, in the order given, what was found, asked for and reached.
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: "The Defender machine id."
      type: str
    dns_name:
      description: "The device's DNS name (C(computerDnsName)); attacker-influenced text."
      type: str
    isolation:
      description:
        - V(full), V(selective) or V(released) as the action history shows it at the end (in check mode, as the
          planned actions would leave it).
      type: str
    app_execution:
      description: "V(restricted) or V(unrestricted) - like C(isolation)."
      type: str
    actions:
      description:
        - The actions of this task on the device - asked for (C(requested=true)), or found pending and followed
          (C(requested=false)); in check mode the planned ones, with C(id=null) and C(status=planned).
        - Each with C(id), C(type), C(scope), C(status), C(requestor), C(created), C(last_update).
      type: list
      elements: dict
    outcomes:
      description: "What became of each part, in words: V(planned: isolate (full)), V(isolated (full): action ... Succeeded)."
      type: list
      elements: str
    summary:
      description: "The device's name and id with its outcomes, one line for a comment or a report."
      type: str
    changed:
      description: "Whether an action was asked for (in check mode, would be)."
      type: bool
    failed:
      description: "Whether this device failed."
      type: bool
  sample:
    - id: 4f1c2b3a9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b
      dns_name: fin-lt-042.corp.example.com
      isolation: full
      app_execution: unrestricted
      actions:
        - {id: 7f6e1c0a-58b2-4f3d-9a8e-2c1b0d4e6f70, type: Isolate, scope: Full, status: Succeeded, requested: true,
           requestor: 5a1e6d3c-1f0b-4c7e-9a52-7d3e8b6c2f10, created: "2026-12-02T08:00:01.1234567Z",
           last_update: "2026-12-02T08:00:40.7654321Z"}
      outcomes: ["isolated (full): action 7f6e1c0a-58b2-4f3d-9a8e-2c1b0d4e6f70 Succeeded"]
      summary: "fin-lt-042.corp.example.com (4f1c2b3a9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b): isolated (full): action 7f6e1c0a-... Succeeded"
      changed: true
      failed: false
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
diff:
  description: By device id, the O(isolation) and O(app_execution) that change, before and after.
  returned: always
  type: dict
  sample: {before: {4f1c2b3a9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b: {isolation: released}},
           after: {4f1c2b3a9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b: {isolation: full}}}
'''

from ansible_collections.msgraph.security.plugins.module_utils._core.graph_module import GraphModule
from ansible_collections.msgraph.security.plugins.module_utils._resources.device_options import DEVICE_COMMENT_OPTIONS, DEVICE_TARGET_OPTIONS
from ansible_collections.msgraph.security.plugins.module_utils._resources.device_response import CONTAINMENT, contain


def main():
    module = GraphModule(
        DEVICE_TARGET_OPTIONS,
        DEVICE_COMMENT_OPTIONS,
        argument_spec=dict(
            isolation=dict(type='str', choices=list(CONTAINMENT['isolation'])),
            app_execution=dict(type='str', choices=list(CONTAINMENT['app_execution'])),
            wait=dict(type='bool', default=True),
            wait_timeout=dict(type='int', default=300),
        ),
        required_one_of=[('device_ids', 'device_names', 'devices'), ('isolation', 'app_execution')],
        supports_check_mode=True,
    )
    module.run(lambda client: contain(client, module.params, module.check_mode))


if __name__ == '__main__':
    main()
