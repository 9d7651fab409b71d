#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to the msgraph.security collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: alert_comment
short_description: Comment on Microsoft Defender alerts, once
version_added: 1.2.0
description:
  - Adds a comment to one alert (O(alert_id)) or many (O(alert_ids)) through Microsoft Graph
    (C(POST /security/alerts_v2/{id}/comments)). Graph keeps every comment posted.
  - With O(unique=true) (the default) the module reads the alert's comments first and adds nothing where
    a comment with exactly this text is already there, so running the task again changes nothing.
  - A comment whose answer is lost on the network is never sent again blindly. With O(unique=true) the
    module reads the comments again and posts only where the comment is still absent; with O(unique=false)
    it fails and says so.
  - Many alerts are read and commented on through JSON batching (20 requests per round trip).
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
      - Add the comment only to alerts that do not already carry a comment with exactly this text.
      - When V(false), the comment is added every time the task runs. If the answer is lost, the task fails
        with C(changed=true) and lists the alerts in C(uncertain_ids), since the comment may be there.
    type: bool
    default: true
extends_documentation_fragment:
  - msgraph.security.connection
  - msgraph.security.alert_target
  - msgraph.security.attributes
  - msgraph.security.attributes.alert_comment_module
notes:
  - The app needs the Microsoft Graph application permission C(SecurityAlert.ReadWrite.All) with admin
    consent. With only C(SecurityAlert.Read.All) the post fails with HTTP 403 and says so.
seealso:
  - module: msgraph.security.alert
  - name: Create comment on an alert (Microsoft Graph)
    description: The Graph API this module calls.
    link: https://learn.microsoft.com/en-us/graph/api/security-alert-post-comments
'''

EXAMPLES = r'''
- name: Say what the playbook did (added once, however often the play runs)
  msgraph.security.alert_comment:
    alert_id: da561376006189377120_-842908347
    comment: "Triage playbook: device isolated."
  register: noted

- name: Show the alert's comments
  ansible.builtin.debug:
    msg: "{{ noted.comments | map(attribute='comment') | list }}"
'''

RETURN = r'''
comments:
  description:
    - The comments of the alert after the call (in check mode, as they are now), oldest first.
    - In O(alert_ids) mode, a dictionary from each alert id found to its list of comments.
  returned: always
  type: raw
  sample:
    - comment: "Triage playbook: device isolated."
      createdByDisplayName: API-App:9b2f6c1d-8e3a-4d7f-b1c5-3a6e9d2f8c17
      createdDateTime: "2026-11-27T10:02:11.4471810Z"
found:
  description: Whether the alert exists, in O(alert_id) mode.
  returned: when O(alert_id) is set
  type: bool
  sample: true
changed_ids:
  description: The ids of the alerts the comment was added to (in check mode, would be added to).
  returned: always
  type: list
  elements: str
  sample: [da561376006189377120_-842908347]
missing:
  description: The ids asked for that do not exist (only with O(fail_on_missing=false)).
  returned: always
  type: list
  elements: str
  sample: []
'''

from ansible_collections.msgraph.security.plugins.module_utils._core.graph_module import GraphModule
from ansible_collections.msgraph.security.plugins.module_utils._resources.alerts import ALERTS
from ansible_collections.msgraph.security.plugins.module_utils._resources.alert_options import ALERT_TARGET_OPTIONS
from ansible_collections.msgraph.security.plugins.module_utils._resources.alert_writes import AlertCommenter


def main():
    module = GraphModule(
        ALERT_TARGET_OPTIONS,
        argument_spec=dict(
            comment=dict(type='str', required=True),
            unique=dict(type='bool', default=True),
        ),
        mutually_exclusive=[ALERTS.id_options],
        required_one_of=[ALERTS.id_options],
        supports_check_mode=True,
    )
    module.run(lambda client: AlertCommenter(client, module.check_mode).apply(module.params))


if __name__ == '__main__':
    main()
