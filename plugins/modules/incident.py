#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to the msgraph.security collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: incident
short_description: Set the status, assignment, classification, severity, name and tags of Microsoft Defender incidents
version_added: 1.1.0
description:
  - Brings one incident (O(incident_id)) or many (O(incident_ids)) to the state the task describes,
    through Microsoft Graph (C(PATCH /security/incidents/{id})).
  - Idempotent. The module reads each incident, compares only the fields the task sets (enum values
    ignoring case, O(custom_tags) as a set), and sends only the fields that differ. When nothing
    differs it sends no write and reports C(changed=false).
  - Every option is checked before anything is sent, and a classification and determination that do
    not fit together in the incident as it will be fail before any write, listing the determinations
    that fit. O(resolving_comment) only goes with an incident that will be resolved.
  - O(only_from_status) restricts the change to incidents in the given statuses; the others are left
    alone and listed in RV(skipped_ids).
  - Many incidents are read and written through JSON batching (20 requests per round trip); only
    the incidents that need a change are written. Throttled inner requests are retried after Graph's
    C(Retry-After), within O(max_retries) and O(max_retry_wait).
author:
  - msgraph.security maintainers (!UNKNOWN)
requirements:
  - msal
  - requests
extends_documentation_fragment:
  - msgraph.security.connection
  - msgraph.security.incident_target
  - msgraph.security.incident_update
  - msgraph.security.attributes
  - msgraph.security.attributes.incident_module
notes:
  - The app needs the Microsoft Graph application permission C(SecurityIncident.ReadWrite.All) with
    admin consent. With only C(SecurityIncident.Read.All) the write fails with HTTP 403 and the message
    names the missing permission and Graph's C(request-id).
  - Graph offers no conditional write (no ETag) for incidents. On one machine, writers take turns per
    incident (a lock file per incident, held from the read to the write, in a directory only the user
    may enter under the system temporary directory), so forks of one run and plays running at once on
    the same controller never erase each other's changes.
  - Writers elsewhere (the portal, another controller, another tool) are not serialised, and without
    ETags nothing can prevent this; a change they make between the task's read and its write to a
    field the task sets is overwritten; for O(custom_tags), whose list Graph replaces as a whole, a tag added elsewhere in
    that moment is lost. When Graph's answer shows that another writer changed the incident in between,
    the module warns and lists the fields in RV(changed_by_others).
  - The classification/determination pairing is the Defender portal's convention, not a rule Graph is
    known to enforce. V(other) and V(unknown) fit any classification.
  - A C(redirected) incident (merged into another) keeps its status unless O(move_redirected=true).
  - Fields Graph changes on every write (C(lastUpdateDateTime), C(lastModifiedBy)) are never compared.
seealso:
  - module: msgraph.security.incident_comment
  - module: msgraph.security.incident_info
  - name: Update incident (Microsoft Graph)
    description: The Graph API this module calls.
    link: https://learn.microsoft.com/en-us/graph/api/security-incident-update
'''

EXAMPLES = r'''
- name: Take an incident on (credentials from AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET)
  msgraph.security.incident:
    incident_id: 2972395
    status: inProgress
    assigned_to: KaiC@contoso.com
    custom_tags: [triage:high]
  register: taken

- name: Show what changed
  ansible.builtin.debug:
    var: taken.diff

- name: Resolve it as a true positive
  msgraph.security.incident:
    incident_id: 2972395
    status: resolved
    classification: truePositive
    determination: malware
    resolving_comment: Malware removed from the device; user credentials reset.

- name: Tag many incidents and leave exactly these tags on them
  msgraph.security.incident:
    incident_ids: [300, 299, 298]
    custom_tags: [Finance, reviewed]
    purge_custom_tags: true
  register: tagged

- name: Show which incidents were written
  ansible.builtin.debug:
    var: tagged.changed_ids

- name: Mark an incident in progress unless an analyst closed it meanwhile
  msgraph.security.incident:
    incident_id: 2972395
    status: inProgress
    only_from_status: [active, awaitingAction]
  register: taken_on

- name: Re-rate an incident as triage learns more, and say why in its name and summary
  msgraph.security.incident:
    incident_id: 2972395
    severity: high
    display_name: Raspberry Robin on three endpoints, domain controller reached
    summary: Escalated from medium - lateral movement to srv-dc01 confirmed.

- name: Unassign an incident, tolerating that it may no longer exist
  msgraph.security.incident:
    incident_id: 292
    assigned_to: ""
    fail_on_missing: false
'''

RETURN = r'''
incident:
  description:
    - The incident after the change as Graph answered it, in O(incident_id) mode; the incident as read
      when nothing changed.
    - In check mode, the incident as read with the planned changes applied.
  returned: when O(incident_id) is set and the incident exists
  type: dict
  sample:
    id: "2972395"
    status: inProgress
    assignedTo: KaiC@contoso.com
    customTags: [Demo, "triage:high"]
    lastUpdateDateTime: "2026-11-27T10:02:11.4471810Z"
found:
  description: Whether the incident exists, in O(incident_id) mode.
  returned: when O(incident_id) is set
  type: bool
  sample: true
incidents:
  description: The incidents (as in RV(incident)), in the order asked; missing ones left out.
  returned: always
  type: list
  elements: dict
changed_ids:
  description: The ids of the incidents written (in check mode, that would be written).
  returned: always
  type: list
  elements: str
  sample: ["2972395"]
skipped_ids:
  description: The ids of the incidents left alone because their status is not in O(only_from_status).
  returned: always
  type: list
  elements: str
  sample: ["296"]
changed_by_others:
  description:
    - For each incident written whose answer shows that another writer changed it between this task's
      read and its write, the Graph properties that differ from what was read (a warning says so too).
  returned: always
  type: dict
  sample: {"2972395": [description]}
missing:
  description: The ids asked for that do not exist (only with O(fail_on_missing=false)).
  returned: always
  type: list
  elements: str
  sample: []
diff:
  description:
    - The fields that change, by their Graph property names, as they were and as they become.
    - In O(incident_ids) mode, C(before) and C(after) map each changed incident's id to its fields.
  returned: always
  type: dict
  sample:
    before: {status: active, customTags: [Demo]}
    after: {status: inProgress, customTags: [Demo, "triage:high"]}
'''

from ansible_collections.msgraph.security.plugins.module_utils._core.graph_module import GraphModule
from ansible_collections.msgraph.security.plugins.module_utils._resources.incidents import INCIDENTS
from ansible_collections.msgraph.security.plugins.module_utils._resources.incident_writes import IncidentWriter
from ansible_collections.msgraph.security.plugins.module_utils._resources.write_options import TARGET_OPTIONS, UPDATE_OPTIONS


def main():
    module = GraphModule(
        TARGET_OPTIONS,
        UPDATE_OPTIONS,
        mutually_exclusive=[INCIDENTS.id_options],
        required_one_of=[INCIDENTS.id_options],
        supports_check_mode=True,
    )
    module.run(lambda client: IncidentWriter(client, module.check_mode).apply(module.params))


if __name__ == '__main__':
    main()
