# -*- coding: utf-8 -*-
# Copyright: contributors to the msgraph.security collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Internal to msgraph.security (not a public API): it may change in any release, even a bugfix one.
"""The polling loop of the msgraph.security.incidents event source (ansible-rulebook).

One GraphClient (one connection pool, one MSAL application and its token cache) serves every
poll; its blocking calls run in a worker thread so the rule engine's event loop stays free.
Failures that may pass (network, throttling beyond the retry budget, 5xx, a listing that changed
while it was read, an Entra ID outage) are logged and retried with a backoff up to ``interval``:
the source never exits for them and, since the checkpoint moves only with delivered events,
loses and repeats nothing. Anything else (options, credentials, permissions, a $filter Graph
refuses) stops the source at once with the error's own message.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import asyncio
import logging

from ansible_collections.msgraph.security.plugins.module_utils._core.errors import MsGraphError
from ansible_collections.msgraph.security.plugins.module_utils._core.graph_client import GraphClient
from ansible_collections.msgraph.security.plugins.module_utils._resources.incidents import IncidentReader
from ansible_collections.msgraph.security.plugins.plugin_utils._polling.changes import ChangeMemory
from ansible_collections.msgraph.security.plugins.plugin_utils._polling.incident_event import shape_event
from ansible_collections.msgraph.security.plugins.plugin_utils._polling.incident_poller import (
    load_checkpoint,
    resolve_arguments,
    save_checkpoint,
    to_stamp,
)

LOG = logging.getLogger('msgraph.security.incidents')
FIRST_BACKOFF = 1.0  # seconds before the first retry; doubled each time, at most the interval


class IncidentSource:
    """One running source: its options, its client and its checkpoint."""

    def __init__(self, args):
        self.options = resolve_arguments(args)
        self.interval = self.options['interval']
        self.state_file = self.options['state_file']
        self.checkpoint, self.resumed = load_checkpoint(self.state_file, self.options['changes'],
                                                        self.options['since'])
        self.client = GraphClient.from_options(self.options)
        self.reader = IncidentReader(self.client, self.options['expand_alerts'])
        self.failures = 0
        self.saved = self.resumed
        # eventtext: what each incident's last event held, for the events' `changed` (kept in the state file).
        self.memory = ChangeMemory(self.checkpoint.extra_state, self.state_file)

    def describe(self):
        return 'polling %s every %gs for %s incidents %s %s%s' % (
            self.client.settings.api_root, self.interval,
            'new and updated' if self.options['changes'] == 'all' else 'new',
            'from the checkpoint in' if self.resumed else 'changed since',
            self.state_file if self.resumed else to_stamp(self.checkpoint.window_start()),
            '' if self.resumed or not self.state_file else ' (checkpoint kept in %s)' % self.state_file)

    def _list(self):
        """Blocking: every incident in the poll window that matches the filters."""
        # The retry wait budget (max_retry_wait) is per poll, not for the life of the source.
        self.client.session.budget.refill()
        query = dict((name, self.options[name]) for name in ('status', 'severity', 'assigned_to'))
        query['filter'] = self.checkpoint.poll_filter(self.options['filter'])
        incidents, dummy = self.reader.list(query)
        return incidents

    async def _read(self):
        """The window's incidents, retrying (and saying so) until Graph answers."""
        while True:
            try:
                incidents = await asyncio.to_thread(self._list)
            except MsGraphError as error:
                if not error.transient:
                    raise
                self.failures += 1
                delay = min(self.interval, FIRST_BACKOFF * 2 ** (self.failures - 1))
                LOG.warning('msgraph.security.incidents: poll failed (attempt %d), retrying in %gs; nothing is'
                            ' lost meanwhile: %s', self.failures, delay, error)
                await asyncio.sleep(delay)
                continue
            if self.failures:
                LOG.warning('msgraph.security.incidents: Graph answered again after %d failed attempts;'
                            ' resuming from %s.', self.failures, to_stamp(self.checkpoint.window_start()))
                self.failures = 0
            return incidents

    async def poll(self, queue):
        """One poll: deliver every change not yet delivered, oldest first, then save the checkpoint."""
        incidents = await self._read()
        delivered = 0
        for ticks, change, incident in self.checkpoint.pending(incidents):
            # eventtext: the event's shape (inert text, `changed`); the engine's shape_event hook at merge.
            await queue.put(shape_event(incident, change, self.memory))
            self.memory.remember(incident, ticks)
            self.checkpoint.delivered_one(ticks, incident.get('id'))
            delivered += 1
        self.checkpoint.prune()
        self.memory.prune(self.checkpoint.newest)
        if delivered:
            LOG.info('msgraph.security.incidents: %d change%s delivered, up to %s.', delivered,
                     '' if delivered == 1 else 's', to_stamp(self.checkpoint.newest))
        # Saved after the first poll too, so that a restart starts from this first window, not from its own now.
        if self.state_file and (delivered or not self.saved):
            await asyncio.to_thread(save_checkpoint, self.state_file, self.checkpoint)
            self.saved = True
        return delivered

    def save(self):
        if self.state_file:
            save_checkpoint(self.state_file, self.checkpoint)

    def close(self):
        self.client.session.close()


async def run(queue, args):
    """Poll until cancelled. MsGraphError (configuration, credentials, permission) ends it."""
    source = IncidentSource(args)
    LOG.info('msgraph.security.incidents: %s.', source.describe())
    try:
        while True:
            await source.poll(queue)
            await asyncio.sleep(source.interval)
    finally:
        # Cancelled (ansible-rulebook stops) or failed: keep what was delivered up to here.
        source.save()
        source.close()
