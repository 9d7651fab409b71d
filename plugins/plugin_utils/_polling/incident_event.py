# -*- coding: utf-8 -*-
# Copyright: contributors to the msgraph.security collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Internal to msgraph.security (not a public API): it may change in any release, even a bugfix one.
"""The event the msgraph.security.incidents source puts on the queue for one incident change."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.msgraph.security.plugins.plugin_utils._polling.event_text import inert


def shape_event(incident, change, memory):
    """{'incident', 'change', 'changed'}, every string made inert (event_text) after the comparison with the raw values."""
    return inert({'incident': incident, 'change': change, 'changed': memory.changed(incident)})
