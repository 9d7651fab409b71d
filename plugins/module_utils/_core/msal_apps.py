# -*- coding: utf-8 -*-
# Copyright: contributors to the msgraph.security collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Internal to msgraph.security (not a public API): it may change in any release, even a bugfix one.
"""A small process-level cache of MSAL applications, so a lookup evaluated once per loop item
reuses one application (one OpenID discovery) and its token instead of asking Entra ID again.

Modules run in a process each, so only lookups benefit. An entry is keyed by a keyed hash
(HMAC with a random per-process key) of everything that determines the token: what the
authenticator passes to MSAL (authority, client id, credential, scopes or resource) and the
TLS trust and proxy used. The secret is never part of a readable key, and the hash cannot be
tested against guesses outside this process.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib
import hmac
import json
import os
import threading
from collections import OrderedDict

MAX_APPS = 8  # distinct connection settings kept per process; the least recently used goes first

_KEY = os.urandom(32)
_APPS = OrderedDict()
_LOCK = threading.Lock()


def cache_key(*parts):
    """A keyed digest of JSON-serialisable parts (dicts, lists, strings, numbers, booleans)."""
    data = json.dumps(parts, sort_keys=True, default=str).encode('utf-8')
    return hmac.new(_KEY, data, hashlib.sha256).hexdigest()


def get_or_make(key, make):
    """The entry cached for ``key``, or the one ``make()`` returns (then cached)."""
    with _LOCK:
        if key in _APPS:
            _APPS[key] = _APPS.pop(key)  # most recently used last
            return _APPS[key]
    entry = make()  # outside the lock: it may talk to Entra ID
    with _LOCK:
        _APPS[key] = entry
        while len(_APPS) > MAX_APPS:
            _APPS.popitem(last=False)
    return entry


def forget(key):
    with _LOCK:
        _APPS.pop(key, None)


def clear():
    with _LOCK:
        _APPS.clear()
