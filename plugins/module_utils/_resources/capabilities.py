# -*- coding: utf-8 -*-
# Copyright: contributors to the msgraph.security collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Internal to msgraph.security (not a public API): it may change in any release, even a bugfix one.
"""The rows connection_info probes, one per resource; the first one decides its verdict
(can_read, can_write, summary). A new resource adds a row here, not code."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.msgraph.security.plugins.module_utils._core.capability import capability
from ansible_collections.msgraph.security.plugins.module_utils._resources import hunting
from ansible_collections.msgraph.security.plugins.module_utils._resources.alerts import ALERTS
from ansible_collections.msgraph.security.plugins.module_utils._resources.incidents import INCIDENTS

CAPABILITIES = (
    capability(INCIDENTS.plural, INCIDENTS.name, INCIDENTS.plural, INCIDENTS.path,
               read_permission=INCIDENTS.read_permission, write_permission=INCIDENTS.write_permission,
               product='Microsoft Defender XDR', evolvable=('status', 'awaitingAction')),
    capability(ALERTS.plural, ALERTS.name, ALERTS.plural, ALERTS.path,
               read_permission=ALERTS.read_permission, write_permission=ALERTS.write_permission,
               product='Microsoft Defender XDR', probes=('read',)),
    capability('hunting', 'hunting query', 'hunting queries', hunting.PATH, read_permission=hunting.PERMISSION,
               write_permission=None, product='Microsoft Defender XDR', probes=('read',),
               read_body={'Query': hunting.PROBE_QUERY, 'Timespan': 'P1D'}),
)
