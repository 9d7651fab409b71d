# -*- coding: utf-8 -*-
# Copyright: contributors to the msgraph.security collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
name: devices
short_description: The devices of Microsoft Defender incidents, alerts or machines as Ansible hosts
version_added: 1.2.0
description:
  - Makes Ansible hosts of the devices a Defender incident is about, so that a playbook can go to the machines
    themselves (collect logs, kill a process, patch, reboot).
  - With O(source=incidents) (the default), the devices named in the evidence of the alerts of the incidents that
    match the filters (read with C($expand=alerts)); with O(source=alerts), of the matching alerts; with
    O(source=machines), Defender for Endpoint's machine list (C(GET /api/machines)), narrowed by O(filter).
  - Each device is one host, however many alerts and incidents name it. Its groups are
    C(<group_prefix>severity_<highest severity of the incidents, or alerts, naming it>),
    C(<group_prefix>incident_<id>) for each of those incidents, and C(<group_prefix>os_<OS platform in lower case>),
    plus those of O(groups) and O(keyed_groups). Group names are sanitised as Ansible requires.
  - Its variables are one dict, C(msgraph_device) (C(mde_device_id), C(dns_name), C(os_platform), C(risk_score),
    C(health_status), C(ip_addresses), C(last_ip_address), C(azure_ad_device_id), C(incident_ids), C(alert_ids),
    C(highest_severity)). Device text is attacker-influenced, so the variable is marked unsafe and never evaluated as
    a template; use O(compose) to set C(ansible_host) or connection variables from it.
  - The configuration file must end with C(msgraph_devices.yml) or C(msgraph_devices.yaml).
  - Unknown options, filters a source does not take and filter values Graph would refuse stop the inventory before
    anything is sent, naming the option.
  - The app needs C(SecurityIncident.Read.All) (source incidents), C(SecurityAlert.Read.All) (alerts) or the
    Defender for Endpoint permission C(Machine.Read.All) (machines).
author:
  - msgraph.security maintainers (!UNKNOWN)
requirements:
  - msal
  - requests
options:
  plugin:
    description: The name of this plugin; it makes the file an inventory source of it.
    required: true
    type: str
    choices: [msgraph.security.devices]
  source:
    description:
      - Where the devices come from.
      - V(incidents) and V(alerts) read Microsoft Graph; V(machines) reads the Defender for Endpoint API (see
        O(defender_url)).
    type: str
    choices: [incidents, alerts, machines]
    default: incidents
  incident_ids:
    description:
      - 'Source V(incidents): the devices of these incidents only (read through JSON batching, 20 per round trip).
        An id that does not exist fails the inventory, naming it. Refused with the list filters.'
    type: list
    elements: str
  status:
    description:
      - 'Sources V(incidents) and V(alerts): only items with one of these statuses (as M(msgraph.security.incident_info)
        and M(msgraph.security.alert_info) name them, in any case).'
    type: list
    elements: str
  severity:
    description:
      - 'Sources V(incidents) and V(alerts): only items with one of these severities (V(informational), V(low),
        V(medium), V(high), V(unknown); in any case).'
    type: list
    elements: str
  created_after:
    description:
      - 'Sources V(incidents) and V(alerts): only items created at or after this ISO 8601 date or time, such as
        V(2026-01-31) or V(2026-01-31T08:00:00Z).'
    type: str
  updated_after:
    description:
      - 'Sources V(incidents) and V(alerts): only items last updated at or after this time.'
    type: str
  filter:
    description:
      - 'A raw OData C($filter) for the list of the source: incidents, alerts, or machines (for example
        V(riskScore eq ''High''), V(healthStatus eq ''Active'') or V(osPlatform eq ''Linux'')).'
      - It is combined with the other filters by C(and), inside parentheses; parentheses outside string literals must
        balance, or it is refused.
    type: str
  max_incidents:
    description:
      - 'Sources V(incidents) and V(alerts): read at most this many items, newest first. When more match, a warning
        says so: the inventory then holds the devices of the newest only.'
    type: int
  hostnames:
    description:
      - The host name of a device is the first of these fields that it has and that is a valid host name (letters,
        digits, C(.), C(_), C(:), C(-)); a name another device already took moves a device on to its next field.
      - A device with none of them is skipped, and a warning counts it.
      - Put V(mde_device_id) first when DNS names collide in your tenant.
    type: list
    elements: str
    default: [dns_name, mde_device_id, last_ip_address]
  group_prefix:
    description: The prefix of the groups this plugin makes (severity, incident, OS).
    type: str
    default: msgraph_
extends_documentation_fragment:
  - msgraph.security.connection
  - msgraph.security.connection.plugins
  - ansible.builtin.constructed
  - ansible.builtin.inventory_cache
notes:
  - Credentials come best from the environment (an AWX credential injects E(AZURE_TENANT_ID), E(AZURE_CLIENT_ID),
    E(AZURE_CLIENT_SECRET)) or from a template in the file, such as a vault lookup, which is rendered; secrets are
    never put in host variables or in the cache.
  - With O(cache=true), the devices read are cached (C(ansible.builtin.jsonfile) and O(cache_connection) make it
    survive the process), keyed by the file and by its query options, so editing a filter reads afresh; the groups
    and O(compose) are applied again at every run.
seealso:
  - module: msgraph.security.incident_info
  - plugin: msgraph.security.evidence
    plugin_type: filter
'''

EXAMPLES = r'''
---
# demo.msgraph_devices.yml: the devices of the open high-severity incidents, reachable by their DNS name
plugin: msgraph.security.devices
status: [active, inProgress]
severity: [high]
compose:
  ansible_host: msgraph_device.dns_name

---
# incident.msgraph_devices.yml: the devices of one incident, grouped by Defender's risk score too
plugin: msgraph.security.devices
incident_ids: ['2972395']
keyed_groups:
  - key: msgraph_device.risk_score | lower
    prefix: risk

---
# fleet.msgraph_devices.yml: Defender's high-risk Linux machines, cached for an hour between runs
plugin: msgraph.security.devices
source: machines
filter: "riskScore eq 'High' and osPlatform eq 'Linux'"
hostnames: [dns_name, mde_device_id]
cache: true
cache_plugin: ansible.builtin.jsonfile
cache_connection: /var/tmp/msgraph_devices
cache_timeout: 3600
'''

from ansible_collections.msgraph.security.plugins.plugin_utils._controller.device_inventory import DeviceInventory


class InventoryModule(DeviceInventory):

    NAME = 'msgraph.security.devices'
