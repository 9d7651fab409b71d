#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to the msgraph.security collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: alert_info
short_description: Read Microsoft Defender alerts from Microsoft Graph
version_added: 1.2.0
description:
  - Reads security alerts (C(GET /security/alerts_v2)) from Microsoft Graph, with their C(evidence)
    (the devices, users, files, IP addresses, URLs and mailboxes involved).
  - Three modes. O(alert_id) reads one alert, O(alert_ids) reads many in one go (JSON batching, 20 per
    request), and with neither it lists alerts, newest first, narrowed by the filter options, or the
    alerts of one incident (O(incident_id)).
  - Lists are read 1000 alerts per page (Graph's maximum for alerts); past Graph's C($skip) limit of 500
    the module follows C(@odata.nextLink) instead of skipping.
  - Throttled (HTTP 429) and transiently failing requests are retried after Graph's C(Retry-After),
    within O(max_retries) and O(max_retry_wait).
author:
  - msgraph.security maintainers (!UNKNOWN)
requirements:
  - msal
  - requests
extends_documentation_fragment:
  - msgraph.security.connection
  - msgraph.security.alert_target
  - msgraph.security.alert_query
  - msgraph.security.attributes
  - msgraph.security.attributes.read_only
notes:
  - The app needs the Microsoft Graph application permission C(SecurityAlert.Read.All) with admin
    consent (O(incident_id) also C(SecurityIncident.Read.All)). A missing permission fails with HTTP 403
    and says so.
seealso:
  - module: msgraph.security.alert
  - plugin: msgraph.security.alert
    plugin_type: lookup
  - name: List alerts_v2 (Microsoft Graph)
    description: The Graph API this module calls.
    link: https://learn.microsoft.com/en-us/graph/api/security-list-alerts_v2
'''

EXAMPLES = r'''
- name: Read one alert (credentials from AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET)
  msgraph.security.alert_info:
    alert_id: da561376006189377120_-842908347
  register: result

- name: The devices the alert names
  ansible.builtin.debug:
    msg: "{{ (result.alert | msgraph.security.evidence).devices | map(attribute='dns_name') | list }}"

- name: The alerts of one incident
  msgraph.security.alert_info:
    incident_id: 2972395
  register: of_incident

- name: New high-severity alerts from Defender for Endpoint
  msgraph.security.alert_info:
    status: [new]
    severity: [high]
    service_source: [microsoftDefenderForEndpoint]
    max_items: 50
  register: fresh
'''

RETURN = r'''
alert:
  description: The alert as Graph returns it (camelCase keys, with C(evidence)), in O(alert_id) mode.
  returned: when O(alert_id) is set and the alert exists
  type: dict
  sample:
    id: da561376006189377120_-842908347
    incidentId: "2972395"
    status: new
    severity: high
    serviceSource: microsoftDefenderForEndpoint
    evidence: []
found:
  description: Whether the alert exists, in O(alert_id) mode.
  returned: when O(alert_id) is set
  type: bool
  sample: true
alerts:
  description:
    - The alerts read, in every mode, so that a loop works whatever the mode.
    - In O(alert_ids) mode in the order asked (missing ones left out); in list mode newest first.
  returned: always
  type: list
  elements: dict
missing:
  description: The ids asked for that do not exist (only with O(fail_on_missing=false)).
  returned: when O(alert_id) or O(alert_ids) is set
  type: list
  elements: str
  sample: []
truncated:
  description: In list mode, V(true) when more alerts match than O(max_items) allowed to return.
  returned: in list mode
  type: bool
  sample: false
'''

from ansible_collections.msgraph.security.plugins.module_utils._core.graph_module import GraphModule
from ansible_collections.msgraph.security.plugins.module_utils._resources.alert_options import ALERT_QUERY_OPTIONS, ALERT_TARGET_OPTIONS
from ansible_collections.msgraph.security.plugins.module_utils._resources.alerts import ALERTS, TOLERATE_IN_MODULE, AlertReader


def read(params, reader):
    if params['alert_ids'] is None and params['alert_id'] is None:
        alerts, truncated = reader.list(params)
        return dict(changed=False, alerts=alerts, truncated=truncated)
    single = params['alert_id'] is not None
    ALERTS.refuse_list_filters(params, 'alert_id' if single else 'alert_ids')
    ids = list(dict.fromkeys(ALERTS.normalize_id(value) for value in ([params['alert_id']] if single else params['alert_ids'])))
    found, missing = reader.read_found(ids, params['fail_on_missing'], TOLERATE_IN_MODULE)
    result = dict(changed=False, alerts=[alert for dummy, alert in found], missing=[alert_id for alert_id, dummy in missing])
    if single:
        result.update(found=not missing, alert=result['alerts'][0] if result['alerts'] else None)
    return result


def main():
    module = GraphModule(
        ALERT_TARGET_OPTIONS,
        ALERT_QUERY_OPTIONS,
        mutually_exclusive=[ALERTS.id_options],
        supports_check_mode=True,
    )
    module.run(lambda client: read(module.params, AlertReader(client)))


if __name__ == '__main__':
    main()
