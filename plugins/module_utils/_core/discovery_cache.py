# -*- coding: utf-8 -*-
# Copyright: contributors to the msgraph.security collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Internal to msgraph.security (not a public API): it may change in any release, even a bugfix one.
"""Entra ID's OpenID configuration kept across runs, through MSAL's own ``http_cache``.

MSAL caches the discovery GETs it makes (a day) and, for throttling, the error answers to token
POSTs (seconds). Only the GETs are written to the file, so that no error answer outlives its process;
they hold no token and no secret (MSAL says so of its http_cache). The file is the user's only (0600 in
a 0700 directory) and written atomically; one that cannot be read is ignored, as MSAL advises.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import pickle
import tempfile

_INDEX = '_index_'  # MSAL's ExpiringMapping keeps its expiry index under this key


def path():
    base = os.environ.get('XDG_CACHE_HOME') or os.path.join(os.path.expanduser('~'), '.cache')
    return os.path.join(base, 'msgraph.security', 'msal_http_cache')


def load():
    """The persisted cache as a dict MSAL can use, or an empty one."""
    try:
        with open(path(), 'rb') as handle:
            cache = pickle.load(handle)  # our own file, in the user's own 0700 directory
    except Exception:  # noqa: BLE001 - a missing, partial or foreign file: start afresh, as MSAL advises
        return {}
    return cache if isinstance(cache, dict) else {}


def _discovery_keys(cache):
    return set(key for key in cache if isinstance(key, str) and key.startswith('GET '))


def stamps(cache):
    """When each discovery entry of ``cache`` was stored and until when: it changes only when MSAL fetched one."""
    timestamps = cache.get(_INDEX, ([], {}))[1]
    return dict((key, tuple(timestamps.get(key) or ())) for key in _discovery_keys(cache))


def _discovery_only(cache):
    keep = _discovery_keys(cache)
    sequence, timestamps = cache.get(_INDEX, ([], {}))
    kept = dict((key, cache[key]) for key in keep)
    kept[_INDEX] = ([entry for entry in sequence if entry[2] in keep],
                    dict((key, value) for key, value in timestamps.items() if key in keep))
    return kept


def save(cache):
    """Write the discovery entries of ``cache``; a cache that cannot be written is only slower next time."""
    directory = os.path.dirname(path())
    try:
        os.makedirs(directory, mode=0o700, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=directory, prefix='.msal_http_cache.')  # mode 0600
        with os.fdopen(fd, 'wb') as handle:
            pickle.dump(_discovery_only(cache), handle)
        os.replace(temporary, path())
    except (OSError, pickle.PicklingError, TypeError, ValueError):
        pass
