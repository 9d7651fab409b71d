# -*- coding: utf-8 -*-
# Copyright: contributors to the msgraph.security collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Internal to msgraph.security (not a public API): it may change in any release, even a bugfix one.
"""The msgraph.security.alerts event source: alerts (alerts_v2) described on the generic polling engine."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.msgraph.security.plugins.module_utils._resources.alert_options import ALERT_QUERY_OPTIONS
from ansible_collections.msgraph.security.plugins.module_utils._resources.alerts import AlertReader, build_filter
from ansible_collections.msgraph.security.plugins.plugin_utils._polling.engine import PollingEngine


class AlertSource(PollingEngine):
    name = 'msgraph.security.alerts'
    event_key = 'alert'
    plural = 'alerts'
    query_table = ALERT_QUERY_OPTIONS
    # The list filters of alert_info that make sense for a stream of changes (the window is the source's).
    query_names = ('status', 'severity', 'service_source', 'filter')
    build_filter = staticmethod(build_filter)

    def reader(self):
        return AlertReader(self.client)
