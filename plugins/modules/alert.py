#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to the msgraph.security collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: alert
short_description: Set the status, assignment, classification and determination of Microsoft Defender alerts
version_added: 1.2.0
description:
  - Brings one alert (O(alert_id)) or many (O(alert_ids)) to the state the task describes, through
    Microsoft Graph (C(PATCH /security/alerts_v2/{id})).
  - Idempotent. The module reads each alert, compares only the fields the task sets (enum values ignoring
    case, O(assigned_to) ignoring case), and sends only the fields that differ. When nothing differs it
    sends no write and reports C(changed=false).
  - Every option is checked before anything is sent; a classification and determination that do not fit
    together in the alert as it will be fail before any write.
  - Many alerts are read and written through JSON batching (20 requests per round trip); only the alerts
    that need a change are written.
author:
  - msgraph.security maintainers (!UNKNOWN)
requirements:
  - msal
  - requests
extends_documentation_fragment:
  - msgraph.security.connection
  - msgraph.security.alert_target
  - msgraph.security.alert_update
  - msgraph.security.attributes
  - msgraph.security.attributes.alert_module
notes:
  - The app needs the Microsoft Graph application permission C(SecurityAlert.ReadWrite.All) with admin
    consent. With only C(SecurityAlert.Read.All) the write fails with HTTP 403 and the message names the
    missing permission and Graph's C(request-id).
  - Graph offers no conditional write (no ETag) for alerts. On one machine writers take turns per alert (a
    lock file per alert, from the read to the write); a change made elsewhere between the read and the write
    is reported in RV(changed_by_others) with a warning.
seealso:
  - module: msgraph.security.alert_info
  - module: msgraph.security.alert_comment
  - name: Update alert (Microsoft Graph)
    description: The Graph API this module calls.
    link: https://learn.microsoft.com/en-us/graph/api/security-alert-update
'''

EXAMPLES = r'''
- name: Take an alert on (credentials from AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET)
  msgraph.security.alert:
    alert_id: da561376006189377120_-842908347
    status: inProgress
    assigned_to: KaiC@contoso.com
  register: taken

- name: Read the alerts of an incident
  msgraph.security.alert_info:
    incident_id: 2972395
  register: of_incident

- name: Resolve the alerts of that incident as a true positive
  msgraph.security.alert:
    alert_ids: "{{ of_incident.alerts | map(attribute='id') | list }}"
    status: resolved
    classification: truePositive
    determination: malware
'''

RETURN = r'''
alert:
  description:
    - The alert after the change as Graph answered it, in O(alert_id) mode; the alert as read when nothing
      changed; in check mode, the alert as read with the planned changes applied.
  returned: when O(alert_id) is set and the alert exists
  type: dict
  sample: {id: da561376006189377120_-842908347, status: inProgress, assignedTo: KaiC@contoso.com}
found:
  description: Whether the alert exists, in O(alert_id) mode.
  returned: when O(alert_id) is set
  type: bool
  sample: true
alerts:
  description: The alerts (as in RV(alert)), in the order asked; missing ones left out.
  returned: always
  type: list
  elements: dict
changed_ids:
  description: The ids of the alerts written (in check mode, that would be written).
  returned: always
  type: list
  elements: str
  sample: [da561376006189377120_-842908347]
changed_by_others:
  description: For each alert written whose answer shows another writer changed it meanwhile, those properties.
  returned: always
  type: dict
  sample: {}
missing:
  description: The ids asked for that do not exist (only with O(fail_on_missing=false)).
  returned: always
  type: list
  elements: str
  sample: []
diff:
  description:
    - The fields that change, by their Graph property names, as they were and as they become.
    - In O(alert_ids) mode, C(before) and C(after) map each changed alert's id to its fields.
  returned: always
  type: dict
  sample:
    before: {status: new}
    after: {status: inProgress}
'''

from ansible_collections.msgraph.security.plugins.module_utils._core.graph_module import GraphModule
from ansible_collections.msgraph.security.plugins.module_utils._resources.alerts import ALERTS
from ansible_collections.msgraph.security.plugins.module_utils._resources.alert_options import ALERT_TARGET_OPTIONS, ALERT_UPDATE_OPTIONS
from ansible_collections.msgraph.security.plugins.module_utils._resources.alert_writes import AlertWriter


def main():
    module = GraphModule(
        ALERT_TARGET_OPTIONS,
        ALERT_UPDATE_OPTIONS,
        mutually_exclusive=[ALERTS.id_options],
        required_one_of=[ALERTS.id_options],
        supports_check_mode=True,
    )
    module.run(lambda client: AlertWriter(client, module.check_mode).apply(module.params))


if __name__ == '__main__':
    main()
