# -*- coding: utf-8 -*-
# Copyright: contributors to the msgraph.security collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Internal to msgraph.security (not a public API): it may change in any release, even a bugfix one.
"""What changed in an incident or alert since its last event: the ``changed`` mapping of the event sources.

Graph says only that an item was updated, not what changed. A source remembers, per item, the
values of the fields users branch on (TRACKED: incidents and alerts both have them) as they were in
the last event it delivered, and puts in each event ``changed: {field: {before: old, after: new}}``
for those that differ (string values compared in any case). An item the source has no memory of
(new, first seen since the memory began, or forgotten) gets every tracked field with ``after``
only, no ``before`` key, so ``changed.severity.after == "high"`` holds whenever an item is high and
was not known high.

The memory lives in the state file (under 'memory') so that it survives restarts. It is bounded:
an item whose last event is older than RETENTION_DAYS (counted in Graph's stamps, from the newest
delivered) is forgotten, and beyond MAX_ITEMS the oldest are.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.module_utils.six import string_types

from ansible_collections.msgraph.security.plugins.module_utils._core.errors import OptionError

TRACKED = ('severity', 'status', 'assignedTo', 'classification', 'determination')
RETENTION_DAYS = 30
MAX_ITEMS = 20000
_TICKS_PER_DAY = 86400 * 10 ** 7


def _same(before, after):
    if isinstance(before, string_types) and isinstance(after, string_types):
        return before.lower() == after.lower()
    return before == after


class ChangeMemory:
    """Per item id: the stamp (100 ns ticks) of its last event and its TRACKED values then.

    ``store`` is the dict saved in the state file; it is changed in place, so whoever saves it
    saves the memory. Layout: {id: {"at": ticks, "values": {field: value}}}.
    """

    def __init__(self, store, noun='incident', state_file=None):
        self.store = store
        for item_id, entry in store.items():
            if not (isinstance(entry, dict) and isinstance(entry.get('at'), int) and isinstance(entry.get('values'), dict)):
                raise OptionError('state_file=%s: the memory of %s %s is not one this source wrote; move the'
                                  ' file away to start from since.' % (state_file, noun, item_id))

    def changed(self, item):
        """{field: {before, after}} for the TRACKED fields that differ from the last event's (all of them, after only, when unknown)."""
        entry = self.store.get(item.get('id'))
        if entry is None:
            return dict((field, {'after': item.get(field)}) for field in TRACKED)
        before = entry['values']
        return dict((field, {'before': before.get(field), 'after': item.get(field)}) for field in TRACKED
                    if not _same(before.get(field), item.get(field)))

    def remember(self, item, ticks):
        """Called once the event is delivered, as the checkpoint is; returns the entry (the engine saves it once handled)."""
        entry = {'at': ticks, 'values': dict((field, item.get(field)) for field in TRACKED)}
        self.store[item.get('id')] = entry
        return entry

    def prune(self, newest):
        """Forget items whose last event is older than the retention, then the oldest beyond MAX_ITEMS."""
        if newest is None:
            return
        oldest_kept = newest - RETENTION_DAYS * _TICKS_PER_DAY
        by_age = sorted(self.store, key=lambda key: self.store[key]['at'], reverse=True)
        for position, item_id in enumerate(by_age):
            if position >= MAX_ITEMS or self.store[item_id]['at'] < oldest_kept:
                del self.store[item_id]
