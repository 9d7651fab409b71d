# -*- coding: utf-8 -*-
# Copyright: contributors to the msgraph.security collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Internal to msgraph.security (not a public API): it may change in any release, even a bugfix one.
"""The tokens one Ansible run shares across its tasks, forks, hosts, lookups and inventory plugins.

Ansible gives every run a local temporary directory (``DEFAULT_LOCAL_TMP``, mode 0700) that its
worker processes inherit and that it removes when the run ends. The store is a directory in it: one
file per token (mode 0600, written atomically), named by an HMAC of the connection settings and the
audience under a key made for this run, so no name says anything of the settings and the secret is
held nowhere. Acquiring takes an exclusive ``flock`` on the entry's lock file: forks that start
together wait for the first one's token instead of each asking Entra ID.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import fcntl
import hashlib
import hmac
import json
import os
import tempfile
import time
from contextlib import contextmanager

from ansible import constants as C
from ansible.utils.display import Display

from ansible_collections.msgraph.security.plugins.module_utils._core.token_claims import payload

display = Display()

DIRECTORY = 'msgraph-tokens'
MARGIN = 300  # seconds before expiry a shared token is no longer handed out (a task may run that long)


def _store_directory():
    directory = os.path.join(C.DEFAULT_LOCAL_TMP, DIRECTORY)
    os.makedirs(directory, mode=0o700, exist_ok=True)
    return directory


def _run_key(directory):
    """The key of this run's names: made by the first process that needs it, read by the others."""
    path = os.path.join(directory, 'key')
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        for dummy in range(50):  # the maker writes 32 bytes right after creating the file
            with open(path, 'rb') as handle:
                key = handle.read()
            if len(key) == 32:
                return key
            time.sleep(0.01)
        raise OSError('the token store key %s is incomplete' % path)
    key = os.urandom(32)
    with os.fdopen(fd, 'wb') as handle:
        handle.write(key)
    return key


class RunTokens:
    """The store of one run; ``name(parts)`` is an entry's file name for JSON-serialisable parts."""

    def __init__(self):
        self.directory = _store_directory()
        self._key = _run_key(self.directory)

    def name(self, *parts):
        data = json.dumps(parts, sort_keys=True, default=str).encode('utf-8')
        return hmac.new(self._key, data, hashlib.sha256).hexdigest()

    def _path(self, name):
        return os.path.join(self.directory, name)

    def read(self, name):
        """The token kept under ``name`` while it has MARGIN seconds left, else None."""
        try:
            with open(self._path(name)) as handle:
                entry = json.load(handle)
        except (OSError, ValueError):
            return None
        if not isinstance(entry, dict) or not isinstance(entry.get('expires_on'), (int, float)):
            return None
        return entry.get('access_token') if entry['expires_on'] - time.time() > MARGIN else None

    def write(self, name, token):
        fd, temporary = tempfile.mkstemp(dir=self.directory, prefix='.%s.' % name)  # mode 0600
        with os.fdopen(fd, 'w') as handle:
            json.dump({'access_token': token, 'expires_on': _expiry(token)}, handle)
        os.replace(temporary, self._path(name))  # a reader sees the old file or the new one, never half

    def drop(self, name):
        try:
            os.unlink(self._path(name))
        except OSError:
            pass

    @contextmanager
    def locked(self, name):
        fd = os.open(self._path(name + '.lock'), os.O_WRONLY | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)  # closing releases the lock


def _expiry(token):
    """The token's exp claim; a token without one is kept for ten minutes."""
    claims = payload(token) or {}
    exp = claims.get('exp')
    return exp if isinstance(exp, (int, float)) else time.time() + MARGIN + 600


class SharedAuthenticator:
    """Wraps a connection's authenticator: its tokens come from the run's store, acquired once per run."""

    def __init__(self, inner, store, settings_key, plugin_name):
        self.inner = inner
        self.store = store
        self.method = inner.method
        self._key = settings_key
        self._plugin = plugin_name

    def _name(self, audience):
        return self.store.name(self._key, audience)

    def token(self, audience=None):
        audience = audience or self.inner.settings.token_audience
        name = self._name(audience)
        token = self.store.read(name)
        if token is None:
            with self.store.locked(name):
                token = self.store.read(name)  # another fork may have acquired it meanwhile
                if token is None:
                    token = self.inner.token(audience)
                    self.store.write(name, token)
                    display.vvv('%s: acquired a token for %s, shared with the rest of this run'
                                % (self._plugin, audience))
                    return token
        display.vvv('%s: using the token for %s shared in this run' % (self._plugin, audience))
        return token

    def renew(self, audience=None):
        """The API refused the token: no task of this run may use it again."""
        self.drop(audience)
        return self.inner.renew(audience)

    def drop(self, audience=None):
        self.store.drop(self._name(audience or self.inner.settings.token_audience))


def share(client, plugin_name):
    """``client`` with its authenticator sharing tokens through the run's store, when its settings say so.

    A ready access_token is used as given. A store that cannot be made (no writable local temporary
    directory) leaves the client as it was: each task then acquires its own token, as before.
    """
    settings = client.settings
    if not settings.options.get('share_tokens') or not hasattr(client.auth, 'settings_parts'):
        return client
    try:
        store = RunTokens()
    except OSError as error:
        display.vvv('%s: tokens are not shared in this run (%s)' % (plugin_name, error))
        return client
    client.auth = SharedAuthenticator(client.auth, store, client.auth.settings_parts(), plugin_name)
    return client
