# -*- coding: utf-8 -*-
# Copyright: contributors to the msgraph.security collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Internal to msgraph.security (not a public API): it may change in any release, even a bugfix one.
"""The device modules' shared options, written once: which devices (DEVICE_TARGET_OPTIONS: modules
device_info, device, device_action) and the comment Defender records with every action
(DEVICE_COMMENT_OPTIONS: device, device_action). They become the argument_spec and, through
``make doc-fragments``, the fragments msgraph.security.device_target and msgraph.security.device_comment."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.msgraph.security.plugins.module_utils._resources.machines import MACHINES

DEVICE_TARGET_OPTIONS = {
    'device_ids': dict(type='list', elements='str', description=[
        'Defender for Endpoint machine ids (40 hexadecimal digits, such as V(%s)); the C(mdeDeviceId) of an'
        ' alert\'s device evidence.' % MACHINES.id_example,
    ]),
    'device_names': dict(type='list', elements='str', description=[
        'DNS names of devices (C(computerDnsName)), such as V(fin-lt-042.corp.example.com), compared ignoring case.',
        'Each must name exactly one machine the app can see; a name that names none or several fails the task'
        ' before any action is asked for.',
    ]),
    'devices': dict(type='list', elements='dict', description=[
        'Devices as the C(devices) list of the P(msgraph.security.evidence#filter) filter gives them: each is'
        ' found by its C(mde_device_id), else its C(dns_name).',
        'O(device_ids), O(device_names) and O(devices) may be combined; a device named twice is acted on once.'
        ' Every one is resolved before anything is sent.',
    ]),
}

DEVICE_COMMENT_OPTIONS = {
    'comment': dict(type='str', required=True, description=[
        'Why the action is taken, recorded by Defender with the action (C(requestorComment)) and shown in the'
        ' device\'s action center. Defender requires one on every action.',
    ]),
}
