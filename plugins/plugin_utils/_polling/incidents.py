# -*- coding: utf-8 -*-
# Copyright: contributors to the msgraph.security collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Internal to msgraph.security (not a public API): it may change in any release, even a bugfix one.
"""The msgraph.security.incidents event source: incidents described on the generic polling engine."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.msgraph.security.plugins.module_utils._core.connection_options import CONNECTION_OPTIONS
from ansible_collections.msgraph.security.plugins.module_utils._resources.incident_schema import canonical
from ansible_collections.msgraph.security.plugins.module_utils._resources.incidents import IncidentReader, build_filter
from ansible_collections.msgraph.security.plugins.module_utils._resources.query_options import QUERY_OPTIONS
from ansible_collections.msgraph.security.plugins.plugin_utils._polling.arguments import POLLING_OPTIONS
from ansible_collections.msgraph.security.plugins.plugin_utils._polling.changes import ChangeMemory
from ansible_collections.msgraph.security.plugins.plugin_utils._polling.engine import PollingEngine
from ansible_collections.msgraph.security.plugins.plugin_utils._polling.incident_event import shape_event

NAME = 'msgraph.security.incidents'
# The list filters of incident_info that make sense for a stream of changes.
QUERY_ARGUMENTS = ('status', 'severity', 'assigned_to', 'filter', 'expand_alerts')
STAMP_FIELDS = {'all': 'lastUpdateDateTime', 'created': 'createdDateTime'}
CHANGES = ('all', 'created')

# The incident source's own arguments, in the shape of the collection's option tables.
SOURCE_OPTIONS = dict(POLLING_OPTIONS, changes=dict(
    type='str',
    default='all',
    values=list(CHANGES),
    description=[
        'V(all): an event for every new and every updated incident (C(lastUpdateDateTime)).',
        'V(created): an event for new incidents only (C(createdDateTime)).',
    ],
))


def tables():
    """The option tables of the source, in the order its documentation lists them."""
    query = dict((name, QUERY_OPTIONS[name]) for name in QUERY_ARGUMENTS)
    return (SOURCE_OPTIONS, query, CONNECTION_OPTIONS)


class IncidentSource(PollingEngine):
    name = NAME
    event_key = 'incident'
    stamp_fields = STAMP_FIELDS
    created_field = 'createdDateTime'
    query_names = QUERY_ARGUMENTS

    def __init__(self, args):
        super(IncidentSource, self).__init__(args)
        self.reader = IncidentReader(self.client, self.options['expand_alerts'])
        # What each incident's last event held, for the events' `changed`: live, and as far as handled.
        self.memory = ChangeMemory(self.extra_state, self.state_file)
        self.saved_memory = ChangeMemory(self.saved.memory, self.state_file)

    def tables(self):
        return tables()

    def check_options(self, options):
        options['changes'] = canonical('changes', options['changes'], CHANGES)
        # The filters are checked now (enum values in any case), not at the first poll.
        build_filter(options)

    def shape_event(self, item, change):
        return shape_event(item, change, self.memory)

    def remember(self, item, ticks):
        return {item.get('id'): self.memory.remember(item, ticks)}

    def forget(self):
        self.memory.prune(self.checkpoint.newest)
        self.saved_memory.prune(self.saved.newest)

    def describe_changes(self):
        return '%s incidents' % ('new and updated' if self.changes == 'all' else 'new')

    def read(self, query_filter):
        query = dict((name, self.options[name]) for name in ('status', 'severity', 'assigned_to'))
        query['filter'] = query_filter
        incidents, dummy = self.reader.list(query)
        return incidents

    def stuck_reason(self, error):
        if self.options['expand_alerts'] and isinstance(error.details.get('status'), int):
            # The reader already falls back to the list without $expand=alerts (large tenants fail it).
            return '%s (with expand_alerts: true, the list is read without $expand=alerts when Graph fails it, then' \
                   ' the alerts through $batch: this failed as well)' % error
        return str(error)


async def run(queue, args):
    """Poll incidents until cancelled."""
    await IncidentSource(args).run(queue)
