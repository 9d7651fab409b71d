#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to the msgraph.security collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: incident_info
short_description: Read Microsoft Defender incidents from Microsoft Graph
version_added: 1.0.0
description:
  - Reads security incidents (C(GET /security/incidents)) from Microsoft Graph so that a play can
    branch on their O(status) and O(severity).
  - Three modes. O(incident_id) reads one incident, O(incident_ids) reads many in one go (JSON
    batching, 20 per request), and with neither it lists incidents, newest first, narrowed by the
    filter options.
  - Every request asks Graph for evolvable enum members, so a status of C(awaitingAction) reaches
    the play as itself rather than as C(unknownFutureValue).
  - Throttled (HTTP 429) and transiently failing requests are retried after Graph's C(Retry-After),
    within O(max_retries) and O(max_retry_wait).
author:
  - msgraph.security maintainers (!UNKNOWN)
requirements:
  - msal
  - requests
options:
  incident_id:
    description:
      - The id of one incident, for example V(2972395). A YAML number such as V(29) is read as V("29").
      - Mutually exclusive with O(incident_ids).
    type: raw
  incident_ids:
    description:
      - The ids of several incidents. They come back in RV(incidents) in the order asked.
      - Mutually exclusive with O(incident_id).
    type: list
    elements: raw
  fail_on_missing:
    description:
      - Fail when an incident asked for by id does not exist (HTTP 404), naming it.
      - When V(false), a missing O(incident_id) gives RV(found=false) and missing O(incident_ids)
        are listed in RV(missing).
    type: bool
    default: true
extends_documentation_fragment:
  - msgraph.security.connection
  - msgraph.security.incident_query
  - msgraph.security.attributes
  - msgraph.security.attributes.read_only
notes:
  - The app needs the Microsoft Graph application permission C(SecurityIncident.Read.All) with admin
    consent. A missing permission fails with HTTP 403 and says so.
  - Failures show the HTTP status, Graph's error code and message, and the C(request-id) and
    C(client-request-id) Microsoft support asks for.
seealso:
  - plugin: msgraph.security.incident
    plugin_type: lookup
  - name: Get incident (Microsoft Graph)
    description: The Graph API this module calls.
    link: https://learn.microsoft.com/en-us/graph/api/security-incident-get
'''

EXAMPLES = r'''
- name: Read one incident (credentials from AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET)
  msgraph.security.incident_info:
    incident_id: 2972395
  register: result

- name: Contain only high-severity incidents that are still active
  ansible.builtin.debug:
    msg: "Would contain incident {{ result.incident.id }}: {{ result.incident.displayName }}"
  when: result.incident.severity == 'high' and result.incident.status == 'active'

- name: Read several incidents with their alerts, tolerating ids that no longer exist
  msgraph.security.incident_info:
    incident_ids: [2972395, 29, 30]
    expand_alerts: true
    fail_on_missing: false
  register: several

- name: Show which ids were not found
  ansible.builtin.debug:
    var: several.missing

- name: List the 20 newest active high or medium incidents
  msgraph.security.incident_info:
    status: [active]
    severity: [high, medium]
    max_items: 20
  register: open_incidents

- name: Loop over them (incidents is a list in every mode)
  ansible.builtin.debug:
    msg: "{{ item.id }} {{ item.severity }} {{ item.displayName }}"
  loop: "{{ open_incidents.incidents }}"

- name: Set credentials once for the play, explicitly
  module_defaults:
    group/msgraph.security.graph:
      tenant_id: "{{ tenant_id }}"
      client_id: "{{ client_id }}"
      client_secret: "{{ client_secret }}"
  block:
    - name: Incidents updated since the first of the year, raw OData for the classification
      msgraph.security.incident_info:
        updated_after: "2026-01-01"
        filter: "classification eq 'truePositive'"
      register: recent
'''

RETURN = r'''
incident:
  description:
    - The incident as Graph returns it (camelCase keys), in O(incident_id) mode.
    - Includes C(alerts) when O(expand_alerts=true).
  returned: when O(incident_id) is set and the incident exists
  type: dict
  sample:
    id: "2972395"
    displayName: Multi-stage incident involving Initial access & Command and control on multiple endpoints
    status: active
    severity: medium
    classification: truePositive
    determination: multiStagedAttack
    assignedTo: KaiC@contoso.com
    createdDateTime: "2021-08-13T08:43:35.5533333Z"
    lastUpdateDateTime: "2021-09-30T09:35:45.1133333Z"
    incidentWebUrl: https://security.microsoft.com/incidents/2972395?tid=12f988bf-16f1-11af-11ab-1d7cd011db47
found:
  description: Whether the incident exists, in O(incident_id) mode.
  returned: when O(incident_id) is set
  type: bool
  sample: true
incidents:
  description:
    - The incidents read, in every mode, so that a loop works whatever the mode.
    - In O(incident_ids) mode in the order asked (missing ones left out); in list mode newest first.
  returned: always
  type: list
  elements: dict
missing:
  description: The ids asked for that do not exist (only with O(fail_on_missing=false)).
  returned: when O(incident_id) or O(incident_ids) is set
  type: list
  elements: str
  sample: ["30"]
truncated:
  description: In list mode, V(true) when more incidents match than O(max_items) allowed to return.
  returned: in list mode
  type: bool
  sample: false
'''

from ansible_collections.msgraph.security.plugins.module_utils._core.graph_module import GraphModule
from ansible_collections.msgraph.security.plugins.module_utils._resources.incidents import (
    INCIDENTS,
    TOLERATE_IN_MODULE,
    IncidentReader,
    normalize_id,
    refuse_list_filters,
)
from ansible_collections.msgraph.security.plugins.module_utils._resources.query_options import QUERY_OPTIONS


def read(params, reader):
    if params['incident_ids'] is None and params['incident_id'] is None:
        incidents, truncated = reader.list(params)
        return dict(changed=False, incidents=incidents, truncated=truncated)

    single = params['incident_id'] is not None
    refuse_list_filters(params, 'incident_id' if single else 'incident_ids')
    ids = [normalize_id(value) for value in ([params['incident_id']] if single else params['incident_ids'])]
    found, missing = reader.read_found(ids, params['fail_on_missing'], TOLERATE_IN_MODULE)
    result = dict(changed=False, incidents=[incident for dummy, incident in found],
                  missing=[incident_id for incident_id, dummy in missing])
    if single:
        result.update(found=not missing, incident=result['incidents'][0] if result['incidents'] else None)
    return result


def main():
    module = GraphModule(
        QUERY_OPTIONS,
        argument_spec=dict(
            incident_id=dict(type='raw'),
            incident_ids=dict(type='list', elements='raw'),
            fail_on_missing=dict(type='bool', default=True),
        ),
        mutually_exclusive=[INCIDENTS.id_options],
        supports_check_mode=True,
    )
    module.run(lambda client: read(module.params, IncidentReader(client, module.params['expand_alerts'])))


if __name__ == '__main__':
    main()
