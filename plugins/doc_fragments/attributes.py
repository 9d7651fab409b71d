# -*- coding: utf-8 -*-
# Copyright: contributors to the msgraph.security collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The attributes of the collection's modules, written once.

Every module extends C(msgraph.security.attributes) (its action group) and the section saying how it
behaves in check and diff mode: C(msgraph.security.attributes.read_only) for the modules that only
read, or the section of its kind of write. A section is not named like a fragment file
(C(msgraph.security.attributes.incident_update) would load the fragment incident_update instead).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    DOCUMENTATION = r'''
attributes:
  action_group:
    support: full
    membership:
      - msgraph.security.graph
    description: Use C(group/msgraph.security.graph) in C(module_defaults) to set connection options once.
'''

    READ_ONLY = r'''
attributes:
  check_mode:
    support: full
    description: The module only reads, so it runs the same in check mode.
  diff_mode:
    support: none
    description: Nothing changes, so there is no diff.
'''

    INCIDENT_MODULE = r'''
attributes:
  check_mode:
    support: full
    description: The incidents are read and compared; nothing is written. RV(incident) shows the incident as it would be.
  diff_mode:
    support: full
    description: RV(diff) holds the fields that change (Graph property names), before and after.
'''

    INCIDENT_COMMENT_MODULE = r'''
attributes:
  check_mode:
    support: full
    description: The incidents are read and C(changed) says where the comment would be added; nothing is posted.
  diff_mode:
    support: none
    description: Comments are only ever added; RV(changed_ids) says where.
'''

    ALERT_MODULE = r'''
attributes:
  check_mode:
    support: full
    description: The alerts are read and compared; nothing is written. RV(alert) shows the alert as it would be.
  diff_mode:
    support: full
    description: RV(diff) holds the fields that change (Graph property names), before and after.
'''

    ALERT_COMMENT_MODULE = r'''
attributes:
  check_mode:
    support: full
    description: The alerts are read and C(changed) says where the comment would be added; nothing is posted.
  diff_mode:
    support: none
    description: Comments are only ever added; RV(changed_ids) says where.
'''

    DEVICE_MODULE = r'''
attributes:
  check_mode:
    support: full
    description:
      - The devices and their action history are read; no action is asked for. Each device's result shows
        the actions that would be asked for with status V(planned), and the state they would reach.
  diff_mode:
    support: full
    description: RV(diff) holds, by device id, the isolation and app execution state before and after.
'''

    DEVICE_ACTION_MODULE = r'''
attributes:
  check_mode:
    support: full
    description: The devices and their pending actions are read; nothing is asked for. Planned actions have status V(planned).
  diff_mode:
    support: none
    description: One-shot actions change no state a diff could show; RV(devices) says what was asked for.
'''

    USER_MODULE = r'''
attributes:
  check_mode:
    support: full
    description: The users and their risk are read; nothing is changed or revoked. RV(users) says what would be done.
  diff_mode:
    support: full
    description: RV(diff) holds, by user id, the account state and risk state before and after.
'''

    INDICATOR_MODULE = r'''
attributes:
  check_mode:
    support: full
    description: The indicator is looked up and compared; nothing is submitted or deleted.
  diff_mode:
    support: full
    description: RV(diff) holds the indicator's fields (Defender's names) before and after.
'''
