# -*- coding: utf-8 -*-
# Copyright: contributors to the msgraph.security collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Internal to msgraph.security (not a public API): it may change in any release, even a bugfix one.
"""What a polling source delivered: a checkpoint of stamps, and the ledger of events not yet handled.

Each poll lists ``<stamp field> ge <window start>``; the window starts OVERLAP seconds before the
newest stamp delivered. The overlap re-reads recent changes on purpose: a change made while a
multi-page listing is read (or that Graph shows a little late) can carry a stamp older than one
already delivered; it is found by the next poll instead of being skipped. What was delivered in
the window is remembered (id -> newest stamp delivered), so nothing is delivered twice: an item is
delivered when its stamp is newer than the one delivered for it.

Graph's clock rules the window: the newest stamp counts at most up to Graph's time (one item
stamped in the future cannot move the window past changes not yet seen), and a window starting
after Graph's time (a checkpoint in the future) is moved back to it.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import collections

from ansible_collections.msgraph.security.plugins.plugin_utils._polling.stamps import TICKS_PER_SECOND, to_stamp, to_ticks

# Seconds of recent changes every poll reads again (see the module docstring).
OVERLAP = 120


class Checkpoint:
    """The newest stamp delivered, and the stamp delivered per item in the overlap window."""

    def __init__(self, field, origin, newest=None, delivered=None, created_field=None, memory=None):
        self.field = field
        self.created_field = created_field
        self.origin = origin
        self.newest = newest
        self.delivered = dict(delivered or {})
        self.memory = dict(memory or {})  # saved and restored verbatim, for the source's own use
        self.clock = None  # Graph's time at the last answer, in ticks (None: not known yet)

    def copy(self):
        other = Checkpoint(self.field, self.origin, self.newest, self.delivered, self.created_field, self.memory)
        other.clock = self.clock
        return other

    def ahead_of_graph(self):
        """Whether the window as saved would start after Graph's time (a checkpoint in the future)."""
        return self.clock is not None and self._start() > self.clock

    def _start(self):
        if self.newest is None:
            return self.origin
        return max(self.origin, self.newest - OVERLAP * TICKS_PER_SECOND)

    def window_start(self):
        """The lowest stamp the next poll asks for: never before the first poll's start, never after Graph's now."""
        start = self._start()
        if self.ahead_of_graph():
            return self.clock - OVERLAP * TICKS_PER_SECOND
        return start

    def poll_filter(self, user_filter):
        """The $filter clause selecting the window, with the user's own ``filter`` kept apart by parentheses."""
        clause = '%s ge %s' % (self.field, to_stamp(self.window_start()))
        return '(%s) and %s' % (user_filter, clause) if user_filter else clause

    def pending(self, items):
        """The changes not yet delivered among those listed, oldest first: [(stamp ticks, change, item)].

        An item listed twice (it changed while the pages were read) counts with its newest state.
        A change is ``created`` when the item was not delivered in the window and was created at or
        after the window start (always, when the stamp field is the creation stamp); else ``updated``.
        Items must carry a valid stamp (the engine skips the others first).
        """
        start = self.window_start()
        newest_by_id = {}
        for item in items:
            ticks = to_ticks(item.get(self.field))
            item_id = item.get('id')
            if ticks <= self.delivered.get(item_id, -1):
                continue
            if item_id not in newest_by_id or ticks > newest_by_id[item_id][0]:
                newest_by_id[item_id] = (ticks, item)
        pending = []
        for item_id, (ticks, item) in newest_by_id.items():
            created = self.created_field is None or (
                item_id not in self.delivered and to_ticks(item.get(self.created_field)) >= start)
            pending.append((ticks, 'created' if created else 'updated', item))
        pending.sort(key=lambda entry: (entry[0], entry[2].get('id')))
        return pending

    def delivered_one(self, ticks, item_id):
        self.delivered[item_id] = ticks
        # Graph's time caps the newest stamp: an item stamped in the future must not blind the window.
        counted = ticks if self.clock is None else min(ticks, self.clock)
        if self.newest is None or counted > self.newest:
            self.newest = counted

    def prune(self):
        """Forget what the next poll cannot list again (before its window)."""
        start = self.window_start()
        self.delivered = dict((key, ticks) for key, ticks in self.delivered.items() if ticks >= start)


class Ledger:
    """Events put on the queue and not yet known handled, oldest first.

    ``saved`` is the checkpoint a restart may resume from: it passes an event only once the event is
    handled, that is acknowledged by ansible-rulebook (when feedback is on) and put on the queue at
    least ``replay`` seconds ago. A stop of any kind then loses nothing; what was not handled yet
    is delivered again after the restart. The saved ``memory`` gains an event's memo only then, so
    that an event delivered again is shaped as it was the first time.
    """

    def __init__(self, saved, replay, feedback):
        self.saved = saved
        self.replay = replay
        self.feedback = feedback
        self.waiting = collections.deque()  # [ticks, id, put at (monotonic seconds), acknowledged, key, memo]

    def put(self, ticks, item_id, now, key=None, memo=None):
        self.waiting.append([ticks, item_id, now, not self.feedback, key, memo])

    def acknowledge(self, key):
        """ansible-rulebook handed an event back: the oldest waiting one with that key (id and stamp)."""
        for entry in self.waiting:
            if not entry[3] and entry[4] == key:
                entry[3] = True
                return True
        return False

    def settle(self, now, clock=None):
        """Move ``saved`` past the events now handled, in order; True when it moved."""
        moved = False
        if clock is not None:
            self.saved.clock = clock
        while self.waiting and self.waiting[0][3] and self.waiting[0][2] <= now - self.replay:
            ticks, item_id, dummy, dummy2, dummy3, memo = self.waiting.popleft()
            self.saved.delivered_one(ticks, item_id)
            self.saved.memory.update(memo or {})
            moved = True
        if moved:
            self.saved.prune()
        return moved
