#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to the msgraph.security collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: device_info
short_description: Read Microsoft Defender for Endpoint devices with their isolation and app restriction state
version_added: 1.2.0
description:
  - Reads devices from the Defender for Endpoint API (C(GET /api/machines)) by id, by DNS name, as the
    evidence filter lists them, or by a raw OData filter, each with its containment state.
  - Defender has no isolation property on a device. Its state is the newest isolation (or restriction)
    action that Succeeded in its action history (C(GET /api/machineactions)); actions still V(Pending) or
    V(InProgress) are listed in C(pending).
  - A device id or name that matches no device fails the task, naming it.
author:
  - msgraph.security maintainers (!UNKNOWN)
requirements:
  - msal
  - requests
options:
  filter:
    description:
      - A raw OData C($filter) on Defender's machines, such as V(riskScore eq 'High') or
        V(healthStatus ne 'Active'), instead of O(device_ids), O(device_names) and O(devices).
      - Defender filters machines on C(computerDnsName), C(id), C(version), C(deviceValue), C(aadDeviceId),
        C(machineTags), C(lastSeen), C(exposureLevel), C(onboardingStatus), C(lastIpAddress), C(healthStatus),
        C(osPlatform), C(riskScore) and C(rbacGroupId).
    type: str
extends_documentation_fragment:
  - msgraph.security.connection
  - msgraph.security.device_target
  - msgraph.security.attributes
  - msgraph.security.attributes.read_only
notes:
  - The app needs the WindowsDefenderATP application permission C(Machine.Read.All) with admin consent.
seealso:
  - module: msgraph.security.device
  - plugin: msgraph.security.devices
    plugin_type: inventory
'''

EXAMPLES = r'''
- name: The state of two devices (credentials from AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET)
  msgraph.security.device_info:
    device_names: [desktop-4h2k9.contoso.local, srv-file02.contoso.local]
  register: found

- name: Which of them are isolated
  ansible.builtin.debug:
    msg: "{{ found.devices | rejectattr('isolation', 'eq', 'released') | map(attribute='dns_name') | list }}"

- name: Every high-risk device
  msgraph.security.device_info:
    filter: riskScore eq 'High'
'''

RETURN = r'''
devices:
  description:
    - The devices in the order given (by O(filter), in Defender's order), in the shape of the evidence filter's
      devices (C(mde_device_id), C(azure_ad_device_id), C(dns_name), C(os_platform), C(risk_score),
      C(health_status), C(ip_addresses), C(last_ip_address), C(exposure_level), C(machine_tags), C(last_seen)), plus
      C(id), C(isolation) (V(full), V(selective) or V(released)), C(app_execution) (V(restricted) or
      V(unrestricted)) and C(pending) (the actions not yet ended, each with C(id), C(type), C(scope), C(status),
      C(requestor), C(created), C(last_update)).
    - Device names and tags are attacker-influenced text.
  returned: always
  type: list
  elements: dict
  sample:
    - {id: 4f1c2b3a9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b, mde_device_id: 4f1c2b3a9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b,
       dns_name: fin-lt-042.corp.example.com, os_platform: Windows11, risk_score: High, health_status: Active,
       isolation: full, app_execution: unrestricted, pending: []}
'''

from ansible_collections.msgraph.security.plugins.module_utils._core.graph_module import GraphModule
from ansible_collections.msgraph.security.plugins.module_utils._resources.device_options import DEVICE_TARGET_OPTIONS
from ansible_collections.msgraph.security.plugins.module_utils._resources.device_response import describe


def main():
    module = GraphModule(
        DEVICE_TARGET_OPTIONS,
        argument_spec=dict(filter=dict(type='str')),
        required_one_of=[('device_ids', 'device_names', 'devices', 'filter')],
        mutually_exclusive=[('filter', 'device_ids'), ('filter', 'device_names'), ('filter', 'devices')],
        supports_check_mode=True,
    )
    module.run(lambda client: describe(client, module.params))


if __name__ == '__main__':
    main()
