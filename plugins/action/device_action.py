# -*- coding: utf-8 -*-
# Copyright: contributors to the msgraph.security collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Runs the msgraph.security.device_action module with the run's shared token (see plugin_utils/_controller/graph_action.py)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.msgraph.security.plugins.plugin_utils._controller.graph_action import GraphAction

ActionModule = GraphAction
