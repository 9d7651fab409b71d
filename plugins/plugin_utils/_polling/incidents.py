# -*- coding: utf-8 -*-
# Copyright: contributors to the msgraph.security collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Internal to msgraph.security (not a public API): it may change in any release, even a bugfix one.
"""The msgraph.security.incidents event source: incidents described on the generic polling engine."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.msgraph.security.plugins.module_utils._resources.incidents import IncidentReader, build_filter
from ansible_collections.msgraph.security.plugins.module_utils._resources.query_options import QUERY_OPTIONS
from ansible_collections.msgraph.security.plugins.plugin_utils._polling.engine import PollingEngine


class IncidentSource(PollingEngine):
    name = 'msgraph.security.incidents'
    event_key = 'incident'
    plural = 'incidents'
    query_table = QUERY_OPTIONS
    # The list filters of incident_info that make sense for a stream of changes.
    query_names = ('status', 'severity', 'assigned_to', 'filter', 'expand_alerts')
    build_filter = staticmethod(build_filter)

    def reader(self):
        return IncidentReader(self.client, self.options['expand_alerts'])

    def stuck_reason(self, error):
        if self.options['expand_alerts'] and isinstance(error.details.get('status'), int):
            # The reader already falls back to the list without $expand=alerts (large tenants fail it).
            return '%s (with expand_alerts: true, the list is read without $expand=alerts when Graph fails it, then' \
                   ' the alerts through $batch: this failed as well)' % error
        return str(error)
