# -*- coding: utf-8 -*-
# Copyright: contributors to the msgraph.security collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Internal to msgraph.security (not a public API): it may change in any release, even a bugfix one.
"""Security alerts (alerts_v2) described once (ALERTS), their list filters, and the reader the plugins use.

Graph filters alerts on eight properties only (anything else is HTTP 400), and incidentId is not one
of them: the alerts of one incident are read through the incident (``$expand=alerts``).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.module_utils.six import string_types

from ansible_collections.msgraph.security.plugins.module_utils._core.errors import OptionError
from ansible_collections.msgraph.security.plugins.module_utils._core.odata import any_of, check_balanced, odata_datetime
from ansible_collections.msgraph.security.plugins.module_utils._core.reader import Reader, same_id
from ansible_collections.msgraph.security.plugins.module_utils._core.resource import Resource, field
from ansible_collections.msgraph.security.plugins.module_utils._resources.incident_schema import CLASSIFICATIONS, DETERMINATIONS
from ansible_collections.msgraph.security.plugins.module_utils._resources.incidents import INCIDENTS

STATUSES = ('new', 'inProgress', 'resolved')
SEVERITIES = ('unknown', 'informational', 'low', 'medium', 'high')
# Evolvable: a value not listed here is passed to Graph as given.
SERVICE_SOURCES = ('unknown', 'microsoftDefenderForEndpoint', 'microsoftDefenderForIdentity', 'microsoftDefenderForCloudApps',
                   'microsoftDefenderForOffice365', 'microsoft365Defender', 'azureAdIdentityProtection',
                   'microsoftAppGovernance', 'dataLossPrevention', 'microsoftDefenderForCloud')
# Option -> (Graph property, kind, members) of what a PATCH may set (security-alert-update).
WRITABLE = {
    'status': ('status', 'enum', STATUSES),
    'assigned_to': ('assignedTo', 'principal', None),
    'classification': ('classification', 'enum', CLASSIFICATIONS),
    'determination': ('determination', 'enum', DETERMINATIONS),
}
LIST_FILTERS = ('status', 'severity', 'service_source', 'created_after', 'updated_after', 'filter', 'max_items')
# With incident_id the list is the incident's alerts: Graph's $filter cannot narrow it.
INCIDENT_EXCLUSIVE = ('status', 'severity', 'service_source', 'created_after', 'updated_after', 'filter')

ALERTS = Resource(
    name='alert', plural='alerts', path='/security/alerts_v2',
    id_example='da637551227677560813_-961444813',
    page_size=1000, max_skip=500,  # Graph's $top and $skip maxima for alerts (security-error-codes)
    read_permission='SecurityAlert.Read.All', write_permission='SecurityAlert.ReadWrite.All',
    enums={'status': STATUSES, 'severity': SEVERITIES},
    filters=LIST_FILTERS + ('incident_id',),
    fields=dict((option, field(*spec)) for option, spec in WRITABLE.items()),
    comments='comments', comment_type='microsoft.graph.security.alertComment',
)

TOLERATE_IN_MODULE = 'fail_on_missing: false'


def build_filter(options):
    """The $filter for list mode from the filter options, or None."""
    for name in ('service_source', 'created_after', 'updated_after', 'filter'):
        value = options.get(name)
        if isinstance(value, string_types) and not value.strip():
            raise OptionError('%s is empty, which would narrow nothing and list every alert. Leave it unset'
                              ' (in a template: default(omit)) to not filter on it.' % name)
    clauses = []
    for name in ('status', 'severity'):
        if options.get(name):
            clauses.append(any_of(name, name, options.get(name), ALERTS.enums[name]))
    if options.get('service_source'):
        clauses.append(any_of('service_source', 'serviceSource', options.get('service_source'), SERVICE_SOURCES))
    if options.get('created_after'):
        clauses.append('createdDateTime ge %s' % odata_datetime('created_after', options.get('created_after')))
    if options.get('updated_after'):
        clauses.append('lastUpdateDateTime ge %s' % odata_datetime('updated_after', options.get('updated_after')))
    if options.get('filter'):
        check_balanced('filter', options.get('filter'))
        clauses.append('(%s)' % options.get('filter'))
    return ' and '.join(clauses) or None


class AlertReader(Reader):
    """The read modes of the alert module and lookup, on one GraphClient."""

    def __init__(self, client):
        super(AlertReader, self).__init__(client, ALERTS)

    def list(self, options):
        """Alerts matching the filter options, newest first, or those of one incident: (alerts, truncated)."""
        if options.get('incident_id') is not None:
            return self.of_incident(options)
        return super(AlertReader, self).list(build_filter(options), options.get('max_items'))

    def of_incident(self, options):
        given = [name for name in INCIDENT_EXCLUSIVE if options.get(name) not in (None, [])]
        if given:
            raise OptionError('incident_id reads the alerts of one incident, which Graph cannot narrow with a $filter;'
                              ' remove %s (filter the result in the play instead).' % ', '.join(given))
        max_items = options.get('max_items')
        if max_items is not None and max_items < 1:
            raise OptionError('max_items=%s must be 1 or more (unset it to get all alerts).' % max_items)
        incident_id = INCIDENTS.normalize_id(options.get('incident_id'))
        incident = same_id(INCIDENTS, incident_id, self.client.get(
            INCIDENTS.item_path(incident_id, expand=True), permission=INCIDENTS.read_permission))
        alerts = list(incident.get('alerts') or [])
        return (alerts[:max_items], len(alerts) > max_items) if max_items else (alerts, False)
