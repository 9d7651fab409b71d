# -*- coding: utf-8 -*-
# Copyright: contributors to the msgraph.security collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Internal to msgraph.security (not a public API): it may change in any release, even a bugfix one.
"""The polling loop of an ansible-rulebook event source on Graph, knowing no resource.

A source describes its resource (a subclass of a few lines): its name and event key, its query
option table and the names it takes, its build_filter and its reader. The engine keeps the rest: one
GraphClient for every poll (its blocking calls in a worker thread, so the rule engine's loop stays
free), the checkpoint and its state file, the overlap, Graph's clock, acknowledgements, and the
error handling. Failures that may pass (network, throttling beyond the retry budget, 5xx, a listing
that changed while it was read, an Entra ID outage) are logged and retried with a backoff up to
``interval``; anything else (options, credentials, permissions, a $filter Graph refuses, a state
file that cannot be saved) stops the source at once with the error's own message.

No stop loses a change: the state file only passes events known handled (see checkpoint.Ledger);
a restart delivers the others again.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import asyncio
import logging
import time

from ansible_collections.msgraph.security.plugins.module_utils._core.connection_options import CONNECTION_OPTIONS
from ansible_collections.msgraph.security.plugins.module_utils._core.errors import MsGraphError, OptionError
from ansible_collections.msgraph.security.plugins.module_utils._core.graph_client import GraphClient
from ansible_collections.msgraph.security.plugins.module_utils._core.odata import canonical
from ansible_collections.msgraph.security.plugins.plugin_utils._polling import arguments, state_file
from ansible_collections.msgraph.security.plugins.plugin_utils._polling.arguments import CHANGES, polling_options
from ansible_collections.msgraph.security.plugins.plugin_utils._polling.changes import ChangeMemory
from ansible_collections.msgraph.security.plugins.plugin_utils._polling.checkpoint import Ledger
from ansible_collections.msgraph.security.plugins.plugin_utils._polling.clock import GraphClock
from ansible_collections.msgraph.security.plugins.plugin_utils._polling.event_text import inert
from ansible_collections.msgraph.security.plugins.plugin_utils._polling.stamps import (
    TICKS_PER_SECOND,
    is_stamp,
    now_ticks,
    parse_since,
    to_stamp,
)

FIRST_BACKOFF = 1.0  # seconds before the first retry; doubled each time, at most the interval
STUCK_AFTER = 3  # failed polls in a row before one warning says the source is stuck, and why
FUTURE_TOLERANCE = 30  # seconds a stamp may be ahead of Graph's clock before a warning


def _canonical(value):
    """A filter as the identity records it: list values in any case and order are the same filter."""
    if isinstance(value, list):
        return sorted(set(item.lower() for item in value))
    return value


class PollingEngine:
    """One running source. Subclasses set the class attributes and implement ``read``."""

    name = None  # the source's FQCN, in messages and as the logger's name
    event_key = None  # the key of the item in an event ({event_key: item, 'change': ...})
    plural = None  # the items, in messages
    # Graph's security resources (incidents, alerts) stamp creation and last update alike.
    stamp_fields = {'all': 'lastUpdateDateTime', 'created': 'createdDateTime'}  # {changes: the field a window selects on}
    created_field = 'createdDateTime'  # the creation stamp, to tell created from updated
    query_table = None  # the resource's query option table (its list modules' and lookups')
    query_names = ()  # the query options of the resource that the source takes (its identity too)

    def __init__(self, args):
        self.log = logging.getLogger(self.name)
        self.options, feedback_queue = self.resolve(args)
        self.feedback_queue = feedback_queue
        self.interval = self.options['interval']
        self.state_file = self.options['state_file']
        self.changes = self.options['changes']
        self.field = self.stamp_fields[self.changes]
        self.since = self.options['since']
        self.started = time.monotonic()
        local_origin = parse_since(self.since)  # checked now; set again by Graph's clock at the first answer
        self.client = GraphClient.from_options(self.options)
        self.list_reader = self.reader()
        self.clock = GraphClock()
        self.clock.attach(self.client.session)
        created = None if self.field == self.created_field else self.created_field
        self.saved, self.resumed = state_file.load(self.state_file, self.changes, self.identity(), self.field,
                                                   created, local_origin)
        self.checkpoint = self.saved.copy()
        # What each item's last event held, for the events' `changed`: live, and as far as handled.
        self.memory = ChangeMemory(self.checkpoint.memory, self.event_key, self.state_file)
        self.saved_memory = ChangeMemory(self.saved.memory, self.event_key, self.state_file)
        self.ledger = Ledger(self.saved, self.options['replay'], feedback_queue is not None)
        self.failures = 0
        self.stuck = False
        self.warned = set()
        self.saved_once = self.resumed
        self.save_failed = False

    @classmethod
    def resolve(cls, args):
        """(options, feedback queue or None): the arguments checked and completed, before anything is sent."""
        options, feedback_queue = arguments.resolve(cls.name, cls.tables(), args)
        options['changes'] = canonical('changes', options['changes'], CHANGES)
        cls.build_filter(options)  # the filters are checked now (enum values in any case), not at the first poll
        return options, feedback_queue

    @classmethod
    def tables(cls):
        """The option tables of the source, in the order its documentation lists them."""
        query = dict((name, cls.query_table[name]) for name in cls.query_names)
        return (polling_options(cls.plural), query, CONNECTION_OPTIONS)

    # --- what a resource source provides ----------------------------------------------------

    @staticmethod
    def build_filter(options):
        """The resource's $filter from the query options; OptionError for a bad one."""
        raise NotImplementedError

    def reader(self):
        """The resource's Reader on ``self.client``; its ``list(options)`` builds the $filter from the query options."""
        raise NotImplementedError

    def read(self, query_filter):
        """Blocking: every item whose stamp is in the window (``query_filter``) and matches the filters."""
        query = dict((name, self.options[name]) for name in self.query_names)
        query['filter'] = query_filter  # the window, already combined with the user's filter
        items, dummy = self.list_reader.list(query)
        return items

    def probe(self):
        """Blocking: one cheap answer from Graph, for its clock (a window far ahead of any stamp is empty)."""
        self.read('%s ge %s' % (self.field, to_stamp(now_ticks() + 3650 * 86400 * TICKS_PER_SECOND)))

    def stuck_reason(self, error):
        """Why polls keep failing, in words for the one 'stuck' warning."""
        return str(error)

    def shape_event(self, item, change):
        """{event_key: item, 'change', 'changed'}: every string made inert (event_text) after the comparison."""
        return inert({self.event_key: item, 'change': change, 'changed': self.memory.changed(item)})

    def identity(self):
        """What the checkpoint is a checkpoint of; a state file with another one is refused."""
        return {
            'graph_url': self.client.settings.api_root,
            'tenant_id': self.options.get('tenant_id'),
            'filters': dict((name, _canonical(self.options.get(name))) for name in self.query_names),
        }

    # --- the loop -------------------------------------------------------------------------

    def describe(self):
        return 'polling %s every %gs for %s %s %s%s' % (
            self.client.settings.api_root, self.interval, self.describe_changes(),
            'from the checkpoint in' if self.resumed else 'changed since',
            self.state_file if self.resumed else (self.since or 'the start, by Graph\'s clock'),
            '' if self.resumed or not self.state_file else ' (checkpoint kept in %s)' % self.state_file)

    def describe_changes(self):
        return '%s %s' % ('new and updated' if self.changes == 'all' else 'new', self.plural)

    def _list(self, first):
        """Blocking: the window's items. The first answer sets the origin by Graph's clock."""
        # The retry wait budget (max_retry_wait) is per poll, not for the life of the source.
        self.client.session.budget.refill()
        if first and not self.resumed:
            self.probe()
            # The moment the source started (before it said so in the log), on Graph's clock.
            started = self.clock.earliest() - int((time.monotonic() - self.started) * TICKS_PER_SECOND)
            origin = parse_since(self.since, started)
            self.checkpoint.origin = self.saved.origin = origin
            self._warn_clock()
        self.checkpoint.clock = self.saved.clock = self.clock.latest()
        return self.read(self.checkpoint.poll_filter(self.options.get('filter')))

    def _warn_clock(self):
        offset = self.clock.local_offset_seconds()
        if offset is not None and abs(offset) >= FUTURE_TOLERANCE:
            self.log.warning('%s: the local clock is %ds %s Graph\'s; the source follows Graph\'s clock.',
                             self.name, abs(offset), 'ahead of' if offset > 0 else 'behind')

    async def _read(self, first):
        """The window's items, retrying (and saying so) until Graph answers."""
        while True:
            try:
                items = await asyncio.to_thread(self._list, first)
            except MsGraphError as error:
                if not error.transient:
                    raise
                self.failures += 1
                delay = min(self.interval, FIRST_BACKOFF * 2 ** (self.failures - 1))
                self.log.warning('%s: poll failed (attempt %d), retrying in %gs; nothing is lost meanwhile: %s',
                                 self.name, self.failures, delay, error)
                if self.failures >= STUCK_AFTER and not self.stuck:
                    self.stuck = True
                    self.log.warning('%s: the source is stuck: %d polls in a row failed, and no event comes until one'
                                     ' succeeds: %s', self.name, self.failures, self.stuck_reason(error))
                await asyncio.sleep(delay)
                continue
            if self.failures:
                self.log.warning('%s: Graph answered again after %d failed attempts; resuming from %s.', self.name,
                                 self.failures, to_stamp(self.checkpoint.window_start()))
                self.failures = 0
                self.stuck = False
            return items

    def _warn_once(self, key, message, *args):
        if key not in self.warned:
            self.warned.add(key)
            self.log.warning(message, *args)

    def _usable(self, items):
        """Items whose stamps are times, with one warning per bad item (skipped, never a crash loop)."""
        fields = [name for name in (self.field, self.checkpoint.created_field) if name]
        usable = []
        for item in items:
            bad = [name for name in fields if not is_stamp(item.get(name))]
            if bad:
                self._warn_once(('bad', item.get('id'), tuple(item.get(name) for name in bad)),
                                '%s: skipped %s %s: %s is not a time (%s); it is delivered once Graph stamps it.',
                                self.name, self.event_key, item.get('id'), ', '.join(bad),
                                ', '.join('%r' % (item.get(name),) for name in bad))
                continue
            usable.append(item)
        return usable

    def _warn_future(self, ticks, item):
        ahead = (ticks - self.checkpoint.clock) // TICKS_PER_SECOND
        if ahead > FUTURE_TOLERANCE:
            self._warn_once(('future', item.get('id'), ticks),
                            '%s: %s %s is stamped %s, %ds ahead of Graph\'s clock; it is delivered, but the window does'
                            ' not move past changes not yet seen.', self.name, self.event_key, item.get('id'),
                            to_stamp(ticks), ahead)

    async def poll(self, queue, first=False):
        """One poll: deliver every change not yet delivered, oldest first, then save what is handled."""
        items = await self._read(first)
        if self.checkpoint.ahead_of_graph():
            self._warn_once(('checkpoint-future', self.checkpoint.newest),
                            '%s: the checkpoint (%s) is ahead of Graph\'s clock (%s); polling from Graph\'s clock'
                            ' minus the overlap instead, so that nothing is missed.', self.name,
                            to_stamp(self.checkpoint.newest if self.checkpoint.newest is not None
                                     else self.checkpoint.origin), to_stamp(self.checkpoint.clock))
        delivered = 0
        for ticks, change, item in self.checkpoint.pending(self._usable(items)):
            self._warn_future(ticks, item)
            event = self.shape_event(item, change)
            await queue.put(event)
            self.checkpoint.delivered_one(ticks, item.get('id'))
            remembered = {item.get('id'): self.memory.remember(item, ticks)}
            self.ledger.put(ticks, item.get('id'), time.monotonic(), self.ack_key(event), remembered)
            delivered += 1
        self.checkpoint.prune()
        self.memory.prune(self.checkpoint.newest)
        self.saved_memory.prune(self.saved.newest)
        if delivered:
            self.log.info('%s: %d change%s delivered, up to %s.', self.name, delivered, '' if delivered == 1 else 's',
                          to_stamp(self.checkpoint.newest))
        else:
            self.log.debug('%s: polled, nothing new since %s.', self.name, to_stamp(self.checkpoint.window_start()))
        await self.save_handled(always=not self.saved_once)
        return delivered

    def ack_key(self, event):
        """What identifies an event handed back by ansible-rulebook: its item's id and stamp."""
        item = event.get(self.event_key) if isinstance(event, dict) else None
        if not isinstance(item, dict):
            return None
        return (item.get('id'), item.get(self.field))

    async def acknowledgements(self):
        """ansible-rulebook hands back each event its rule engine has handled (feedback: true)."""
        while True:
            event = await self.feedback_queue.get()
            self.ledger.acknowledge(self.ack_key(event))

    async def save_handled(self, always=False):
        """Save the checkpoint as far as events are handled (and the first one, so a restart keeps the origin)."""
        moved = self.ledger.settle(time.monotonic(), self.checkpoint.clock)
        if self.state_file and (moved or always):
            await asyncio.to_thread(self._save)
            self.saved_once = True

    def _save(self):
        try:
            state_file.save(self.state_file, self.saved, self.changes, self.identity())
        except OptionError:
            self.save_failed = True
            raise

    def save_on_stop(self):
        if not self.state_file or self.save_failed:
            return
        self.ledger.settle(time.monotonic())
        try:
            self._save()
        except OptionError as error:
            self.log.error('%s: %s', self.name, error)

    def close(self):
        self.client.session.close()

    async def run(self, queue):
        """Poll until cancelled. MsGraphError (configuration, credentials, permission, state file) ends it."""
        self.log.info('%s: %s.', self.name, self.describe())
        acks = asyncio.ensure_future(self.acknowledgements()) if self.feedback_queue is not None else None
        try:
            first = True
            while True:
                await self.poll(queue, first)
                first = False
                await asyncio.sleep(self.interval)
                if acks is not None:
                    await self.save_handled()
        finally:
            if acks is not None:
                acks.cancel()
            # Cancelled (ansible-rulebook stops) or failed: keep what is handled up to here, no more.
            self.save_on_stop()
            self.close()
