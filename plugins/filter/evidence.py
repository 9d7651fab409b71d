# -*- coding: utf-8 -*-
# Copyright: contributors to the msgraph.security collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
name: evidence
short_description: The devices, users, files, IPs, URLs, mailboxes and processes an incident's alerts name
version_added: 1.2.0
author:
  - msgraph.security maintainers (!UNKNOWN)
description:
  - Turns the C(evidence) of Microsoft Defender alerts into lists of entities, each entity once however
    many alerts name it, with the ids of those alerts in C(alert_ids).
  - The input is an incident read with C(expand_alerts=true) (M(msgraph.security.incident_info), the
    P(msgraph.security.incident#lookup) lookup), an alert (its C(evidence) key), or a list of either.
  - Evidence is recognised by its exact C(@odata.type). A type this filter does not know is kept whole
    under C(other), with its C(@odata.type), never dropped.
  - Entities are the same when they share an identity - devices C(mdeDeviceId) (else C(azureAdDeviceId),
    the DNS name), users C(azureAdUserId) (else the SID, the UPN, domain and account name), files
    C(sha256) (else C(sha1), C(md5), path and name), IPs their address, URLs their text, mailboxes their
    primary address, processes their device, process id and creation time. Where alerts disagree on a
    field, the first value that is set is kept; lists (C(ip_addresses), C(mde_device_ids)) are merged.
  - The output is data taken from the alerts, which attackers can shape (file names, command lines,
    URLs). It is safe to use in C(when), C(loop) and module options, as Ansible never renders data as
    a template. Do not build a template from it (for example by passing it to the
    C(ansible.builtin.template) lookup as template text or marking it trusted).
  - An input that is not a dict or list, or an incident without its alerts, fails naming what was given.
options:
  _input:
    description: An incident with C(alerts), an alert, or a list of incidents and alerts.
    type: raw
    required: true
seealso:
  - module: msgraph.security.incident_info
'''

EXAMPLES = r'''
- name: Read an incident with its alerts (credentials from AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET)
  msgraph.security.incident_info:
    incident_id: 2972395
    expand_alerts: true
  register: result

- name: The entities involved
  ansible.builtin.set_fact:
    involved: "{{ result.incident | msgraph.security.evidence }}"

- name: The devices to isolate, with the alerts that name each
  ansible.builtin.debug:
    msg: "{{ item.dns_name }} ({{ item.mde_device_id }}), risk {{ item.risk_score }}: alerts {{ item.alert_ids | join(', ') }}"
  loop: "{{ involved.devices }}"

- name: The SHA-256 of every file of every incident listed
  ansible.builtin.debug:
    msg: "{{ (result.incidents | msgraph.security.evidence).files | map(attribute='sha256') | list }}"
'''

RETURN = r'''
_value:
  description:
    - One list per kind; every entity has C(alert_ids), the ids of the alerts that name it, in the order met.
    - C(devices) - C(mde_device_id), C(azure_ad_device_id), C(dns_name), C(os_platform), C(risk_score),
      C(health_status), C(ip_addresses).
    - C(users) - C(user_principal_name), C(azure_ad_user_id), C(account_name), C(domain_name), C(sid), C(display_name).
    - C(files) - C(sha256), C(sha1), C(md5), C(name), C(path), C(size), C(detection_status), C(mde_device_ids).
    - C(ips) - C(address), C(country). C(urls) - C(url).
    - C(mailboxes) - C(primary_address), C(upn), C(display_name), C(user) (as in C(users), or null).
    - C(processes) - C(process_id), C(command_line), C(created), C(mde_device_id), C(detection_status),
      C(image_file) and C(parent_image_file) (as in C(files)), C(parent_process_id), C(user).
    - C(other) - the evidence items of any other type as Graph sent them, C(@odata.type) included.
    - A field Graph did not send is null.
  type: dict
  sample:
    devices:
      - {mde_device_id: 4f1c2b3a9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b, dns_name: fin-lt-042.corp.example.com,
         os_platform: Windows11, risk_score: high, health_status: active, ip_addresses: [10.20.30.40],
         azure_ad_device_id: aaaabbbb-cccc-dddd-eeee-ffff00001111, alert_ids: [da638801122334455667_-1029384756]}
    users: []
    files: []
    ips: []
    urls: []
    mailboxes: []
    processes: []
    other: []
'''

from ansible.errors import AnsibleFilterError

from ansible_collections.msgraph.security.plugins.plugin_utils._controller import evidence as _evidence


def evidence(subject):
    try:
        return _evidence.entities(subject)
    except TypeError as error:
        raise AnsibleFilterError('msgraph.security.evidence: %s' % error)


class FilterModule(object):
    def filters(self):
        return {'evidence': evidence}
