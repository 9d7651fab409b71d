#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to the msgraph.security collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: hunting_query
short_description: Run a Microsoft Defender advanced hunting query (KQL) through Microsoft Graph
version_added: 1.2.0
description:
  - Runs one advanced hunting query (C(POST /security/runHuntingQuery)) and returns its rows and
    columns as Graph answers them, for example which devices saw a file named in an incident's evidence.
  - It only reads, so it reports C(changed=false) and runs the same in check mode. Like every read it
    is sent again after a throttled (HTTP 429) or transient (502, 503, 504) answer, after Graph's
    C(Retry-After), within O(max_retries) and O(max_retry_wait).
  - Graph does not page hunting results, so cap the rows in the query with C(take) or C(limit). A result
    over Graph's limit (100,000 rows) fails saying so.
author:
  - msgraph.security maintainers (!UNKNOWN)
requirements:
  - msal
  - requests
options:
  query:
    description:
      - The query, in Kusto Query Language (KQL), for example V(DeviceFileEvents | where SHA256 == "..." | take 50).
      - It is sent as it is. A KQL error fails with Graph's message and request-id.
      - Values inside it stay out of the output when the task is C(no_log), at any verbosity; no message
        of the module repeats the query, and with C(no_log) a KQL error shows Graph's error code and
        request-id without Graph's message (which may quote the query).
    type: str
    required: true
  timespan:
    description:
      - The period the query covers, as an ISO 8601 interval Graph takes, for example V(P7D) (the last 7
        days), V(2026-05-01T00:00:00Z/2026-05-04T00:00:00Z), V(P7D/2026-05-04T00:00:00Z),
        V(2026-05-01T00:00:00Z/P7D) or a start date-time (until now).
      - Unset, Graph covers the last 30 days, which is also as far back as Defender keeps hunting data.
    type: str
extends_documentation_fragment:
  - msgraph.security.connection
  - msgraph.security.attributes
  - msgraph.security.attributes.read_only
notes:
  - The app needs the Microsoft Graph application permission C(ThreatHunting.Read.All) with admin
    consent. Without it the module fails with HTTP 403 and says so.
  - Advanced hunting has a quota per tenant (at least 45 queries a minute, and a CPU budget renewed every
    15 minutes). A throttled query is waited out within O(max_retry_wait), else the module fails naming the quota.
seealso:
  - plugin: msgraph.security.hunting
    plugin_type: lookup
  - name: runHuntingQuery (Microsoft Graph)
    description: The Graph API this module calls.
    link: https://learn.microsoft.com/en-us/graph/api/security-security-runhuntingquery
'''

EXAMPLES = r'''
- name: Read an incident with its alerts and their evidence
  msgraph.security.incident_info:
    incident_id: 9
    expand_alerts: true
  register: found

- name: Which devices saw the files named in its evidence, in the last 7 days
  msgraph.security.hunting_query:
    query: >-
      DeviceFileEvents
      | where SHA256 == "{{ item.fileDetails.sha256 }}"
      | distinct DeviceName, DeviceId
      | take 100
    timespan: P7D
  loop: "{{ found.incident.alerts | map(attribute='evidence', default=[]) | flatten | selectattr('fileDetails', 'defined') }}"
  loop_control:
    label: "{{ item.fileDetails.fileName }}"
  register: seen

- name: List the devices, each once
  ansible.builtin.debug:
    msg: "{{ seen.results | map(attribute='results') | flatten | map(attribute='DeviceName') | unique }}"

- name: A query that names a user under investigation, kept out of the logs
  msgraph.security.hunting_query:
    query: 'DeviceFileEvents | where InitiatingProcessAccountName =~ "meganb" | project Timestamp, DeviceName, FileName | take 20'
  no_log: true
  register: user_files
'''

RETURN = r'''
results:
  description: The rows, each a dict of column name to value, as Graph returns them (date-times as strings).
  returned: success
  type: list
  elements: dict
  sample:
    - DeviceName: fin-lt-042.corp.example.com
      DeviceId: 4f1c2b3a9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b
schema:
  description: The columns, in order, with Graph's type names (such as V(String), V(DateTime), V(Int64)).
  returned: success
  type: list
  elements: dict
  sample:
    - name: DeviceName
      type: String
    - name: DeviceId
      type: String
row_count:
  description: How many rows RV(results) holds.
  returned: success
  type: int
  sample: 1
'''

from ansible_collections.msgraph.security.plugins.module_utils._core.graph_module import GraphModule
from ansible_collections.msgraph.security.plugins.module_utils._resources.hunting import run_hunting_query


def main():
    module = GraphModule(
        argument_spec=dict(query=dict(type='str', required=True), timespan=dict(type='str')),
        supports_check_mode=True,
    )
    params = module.params
    module.run(lambda client: dict(run_hunting_query(client, params['query'], params['timespan'], secret=module.no_log),
                                   changed=False))


if __name__ == '__main__':
    main()
