#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to the msgraph.security collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: user
short_description: Contain Entra ID users - disable sign-in, revoke sessions, confirm compromise or dismiss risk
version_added: 1.2.0
description:
  - Acts on one or many Entra ID users through Microsoft Graph - C(PATCH /users/{id}) (O(account_enabled)),
    C(POST /users/{id}/revokeSignInSessions) (O(revoke_sessions)) and Identity Protection's
    C(riskyUsers/confirmCompromised) or C(riskyUsers/dismiss) (O(risk)), in that order.
  - Every user is read first; a user that does not exist fails the task before anything is changed.
  - The account and risk parts are idempotent, as Graph shows their state - a disabled account is not
    disabled again, a compromise already confirmed is not confirmed again. Revoking sessions is an action,
    done each time it is asked for; RV(users[].sessions_revoked) says it was done.
  - Every user is tried; the users for whom a part failed are listed in RV(failed_users), and the task fails after
    all were tried.
author:
  - msgraph.security maintainers (!UNKNOWN)
requirements:
  - msal
  - requests
options:
  user_ids:
    description: Entra ID users by object id (a GUID) or user principal name.
    type: list
    elements: str
  users:
    description:
      - Users as the C(users) list of the P(msgraph.security.evidence#filter) filter gives them, found by their
        C(azure_ad_user_id), else their C(user_principal_name). May be combined with O(user_ids).
    type: list
    elements: dict
  account_enabled:
    description: V(false) blocks sign-in (the account is disabled); V(true) allows it again.
    type: bool
  revoke_sessions:
    description:
      - Invalidate the users' refresh tokens and session cookies, so that they must sign in again.
      - Access tokens already issued stay valid until they expire (about an hour); pair it with
        O(account_enabled=false). Revocation can take a few minutes to apply.
    type: bool
    default: false
  risk:
    description:
      - V(compromised) confirms the users compromised (Identity Protection sets their risk to high, which
        risk-based Conditional Access acts on); V(dismissed) dismisses their risk.
      - Needs Entra ID P2.
    type: str
    choices: [compromised, dismissed]
extends_documentation_fragment:
  - msgraph.security.connection
  - msgraph.security.attributes
  - msgraph.security.attributes.user_module
notes:
  - "Microsoft Graph application permissions, with admin consent, per part: reading the users C(User.Read.All);
    O(account_enabled) C(User.EnableDisableAccount.All); O(revoke_sessions) C(User.RevokeSessions.All); O(risk)
    C(IdentityRiskyUser.ReadWrite.All) (it also reads the risk state). A missing one fails that part with HTTP
    403 naming it."
  - Disabling a user who holds a privileged admin role needs the app to hold a higher role itself. A user synced
    from Active Directory should be disabled there too, or the sync may enable the account again.
seealso:
  - module: msgraph.security.device
  - name: revokeSignInSessions (Microsoft Graph)
    description: One of the Graph APIs this module calls.
    link: https://learn.microsoft.com/en-us/graph/api/user-revokesigninsessions
'''

EXAMPLES = r'''
- name: Read an incident with its alerts (credentials from AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET)
  msgraph.security.incident_info:
    incident_id: 2972395
    expand_alerts: true
  register: result

- name: Revoke the sessions of the incident's users and confirm them compromised
  msgraph.security.user:
    users: "{{ (result.incident | msgraph.security.evidence).users }}"
    revoke_sessions: true
    risk: compromised
  register: contained

- name: Disable one account
  msgraph.security.user:
    user_ids: [meganb@contoso.com]
    account_enabled: false
'''

RETURN = r'''
users:
  description: Per user, in the order given.
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: "The user's object id."
      type: str
    user_principal_name:
      description: "The user principal name."
      type: str
    display_name:
      description: "The display name."
      type: str
    account_enabled:
      description: "Whether sign-in is allowed, after the task (in check mode, as it would be)."
      type: bool
    risk_state:
      description: The Identity Protection risk state after the task (V(none) when there is no risk record); null unless O(risk) is set.
      type: str
    sessions_revoked:
      description: "Whether the sessions were revoked by this task."
      type: bool
    outcomes:
      description: "What became of each part, in words (V(account disabled), V(planned: revoke the sign-in sessions))"
      type: list
      elements: str
    summary:
      description: "The user's name and id with its outcomes, one line for a comment."
      type: str
    changed:
      description: "Whether anything was done (in check mode, would be)."
      type: bool
    failed:
      description: "Whether a part failed for this user."
      type: bool
failed_users:
  description: The users for whom a part failed, each with C(id), C(user_principal_name) and C(summary).
  returned: always
  type: list
  elements: dict
diff:
  description: By user id, C(account_enabled) and C(risk_state) before and after, where they change.
  returned: always
  type: dict
'''

from ansible_collections.msgraph.security.plugins.module_utils._core.graph_module import GraphModule
from ansible_collections.msgraph.security.plugins.module_utils._resources.users import RISK, contain


def main():
    module = GraphModule(
        argument_spec=dict(
            user_ids=dict(type='list', elements='str'),
            users=dict(type='list', elements='dict'),
            account_enabled=dict(type='bool'),
            revoke_sessions=dict(type='bool', default=False),
            risk=dict(type='str', choices=sorted(RISK)),
        ),
        required_one_of=[('user_ids', 'users')],
        supports_check_mode=True,
    )
    module.run(lambda client: contain(client, module.params, module.check_mode))


if __name__ == '__main__':
    main()
