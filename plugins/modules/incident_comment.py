#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to the msgraph.security collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: incident_comment
short_description: Comment on Microsoft Defender incidents, once
version_added: 1.1.0
description:
  - Adds a comment to one incident (O(incident_id)) or many (O(incident_ids)) through Microsoft Graph
    (C(POST /security/incidents/{id}/comments)). Graph keeps every comment posted; comments cannot be
    edited or removed.
  - With O(unique=true) (the default) the module reads the incident's comments first and adds nothing
    where a comment with exactly this text is already there, so running the task again changes nothing.
  - A comment whose answer is lost on the network (it may or may not have been added) is never sent
    again blindly. With O(unique=true) the module reads the comments again and posts only where the
    comment is still absent; with O(unique=false) it fails and says so.
  - Many incidents are read and commented on through JSON batching (20 requests per round trip).
  - On one machine, commenters take turns per incident (a lock held from the read to the post), so
    that forks of one run or plays running at once post a unique comment once. Writers on other
    controllers do not share the lock, so two of them may both post a unique comment at the same moment.
author:
  - msgraph.security maintainers (!UNKNOWN)
requirements:
  - msal
  - requests
options:
  comment:
    description:
      - The text of the comment. Required and not empty.
    type: str
    required: true
  unique:
    description:
      - Add the comment only to incidents that do not already carry a comment with exactly this text.
      - When V(false), the comment is added every time the task runs. If the answer is lost, the task fails
        with C(changed=true) and lists the incidents in C(uncertain_ids), since the comment may be there.
    type: bool
    default: true
extends_documentation_fragment:
  - msgraph.security.connection
  - msgraph.security.incident_target
  - msgraph.security.attributes
  - msgraph.security.attributes.incident_comment_module
notes:
  - The app needs the Microsoft Graph application permission C(SecurityIncident.ReadWrite.All) with
    admin consent. With only C(SecurityIncident.Read.All) the post fails with HTTP 403 and the message
    names the missing permission and Graph's C(request-id).
seealso:
  - module: msgraph.security.incident
  - name: Create comment on an incident (Microsoft Graph)
    description: The Graph API this module calls.
    link: https://learn.microsoft.com/en-us/graph/api/security-incident-post-comments
'''

EXAMPLES = r'''
- name: Say what the playbook did (added once, however often the play runs)
  msgraph.security.incident_comment:
    incident_id: 2972395
    comment: "Triage playbook: host isolated, user notified."
  register: noted

- name: Show the incident's comments
  ansible.builtin.debug:
    msg: "{{ noted.comments | map(attribute='comment') | list }}"

- name: Comment on several incidents
  msgraph.security.incident_comment:
    incident_ids: [300, 299]
    comment: Linked to change ticket CHG0042871.
  register: linked

- name: Show the comments of one of them
  ansible.builtin.debug:
    var: linked.comments['300']

- name: Add a status line every run (unique false)
  msgraph.security.incident_comment:
    incident_id: 2972395
    comment: "Checked by the nightly run {{ now(utc=true).strftime('%Y-%m-%d') }}"
    unique: false
'''

RETURN = r'''
comments:
  description:
    - The comments of the incident after the call (in check mode, as they are now), oldest first, each
      with C(comment), C(createdByDisplayName) and C(createdDateTime).
    - In O(incident_ids) mode, a dictionary from each incident id found to its list of comments.
  returned: always
  type: raw
  sample:
    - comment: "Triage playbook: host isolated, user notified."
      createdByDisplayName: API-App:9b2f6c1d-8e3a-4d7f-b1c5-3a6e9d2f8c17
      createdDateTime: "2026-11-27T10:02:11.4471810Z"
found:
  description: Whether the incident exists, in O(incident_id) mode.
  returned: when O(incident_id) is set
  type: bool
  sample: true
changed_ids:
  description: The ids of the incidents the comment was added to (in check mode, would be added to).
  returned: always
  type: list
  elements: str
  sample: ["2972395"]
missing:
  description: The ids asked for that do not exist (only with O(fail_on_missing=false)).
  returned: always
  type: list
  elements: str
  sample: []
'''

from ansible_collections.msgraph.security.plugins.module_utils._core.graph_module import GraphModule
from ansible_collections.msgraph.security.plugins.module_utils._resources.incidents import INCIDENTS
from ansible_collections.msgraph.security.plugins.module_utils._resources.incident_comments import IncidentCommenter
from ansible_collections.msgraph.security.plugins.module_utils._resources.write_options import TARGET_OPTIONS


def main():
    module = GraphModule(
        TARGET_OPTIONS,
        argument_spec=dict(
            comment=dict(type='str', required=True),
            unique=dict(type='bool', default=True),
        ),
        mutually_exclusive=[INCIDENTS.id_options],
        required_one_of=[INCIDENTS.id_options],
        supports_check_mode=True,
    )
    module.run(lambda client: IncidentCommenter(client, module.check_mode).apply(module.params))


if __name__ == '__main__':
    main()
