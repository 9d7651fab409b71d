# -*- coding: utf-8 -*-
# Copyright: contributors to the msgraph.security collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Internal to msgraph.security (not a public API): it may change in any release, even a bugfix one.
"""Graph's time, from the Date header of its answers: the clock a polling window is set by.

A local clock ahead of Graph would start the first window after changes Graph stamps just then;
one behind it would deliver old changes. The Date header has whole seconds: ``earliest`` is the
lower bound of Graph's time (where a window may start), ``latest`` the upper bound (the newest
stamp that is not in the future).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import time

from ansible_collections.msgraph.security.plugins.plugin_utils._polling.stamps import TICKS_PER_SECOND, http_date_ticks, now_ticks


class GraphClock:
    """Fed by a requests response hook on the client's session."""

    def __init__(self, monotonic=time.monotonic):
        self._monotonic = monotonic
        self._seen = None  # (Graph ticks, monotonic seconds when received)

    def attach(self, session):
        session.hooks.setdefault('response', []).append(self._hook)

    def _hook(self, response, *args, **kwargs):
        ticks = http_date_ticks(response.headers.get('Date'))
        if ticks is not None:
            self._seen = (ticks, self._monotonic())
        return response

    def known(self):
        return self._seen is not None

    def _now(self):
        if self._seen is None:
            return now_ticks()  # no Date seen yet (a proxy that drops it): the local clock
        ticks, received = self._seen
        return ticks + int((self._monotonic() - received) * TICKS_PER_SECOND)

    def earliest(self):
        return self._now()

    def latest(self):
        return self._now() + (TICKS_PER_SECOND if self._seen else 0)

    def local_offset_seconds(self):
        """How far the local clock is ahead of Graph's (negative: behind), rounded to seconds."""
        # Graph's time is within the second after its Date: measured from the middle of it.
        return None if self._seen is None else int(round((now_ticks() - self._now()) / float(TICKS_PER_SECOND) - 0.5))
