# -*- coding: utf-8 -*-
# Copyright: contributors to the msgraph.security collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Internal to msgraph.security (not a public API): it may change in any release, even a bugfix one.
"""The tokens one Ansible run shares across its tasks, forks, hosts, lookups and inventory plugins.

The store is a directory in the run's local temporary directory (Ansible's ``DEFAULT_LOCAL_TMP``,
mode 0700, inherited by the worker processes and removed when the run ends). Lookups and inventory
plugins open it in their own process; the collection's action plugin names it to each module in the
environment variable ``RUN_TOKENS_ENV``, so that a module checks its options first and then takes the
run's token (a module on another host finds no such directory and acquires its own, as before).

One file per token (mode 0600, written atomically), named by an HMAC of the connection settings and
the audience under a key made for this run: no name says anything of the settings, and the secret is
held nowhere. Acquiring takes an exclusive ``flock`` on the entry's lock file, so forks that start
together wait for the first one's token instead of each asking Entra ID. A token an API refuses is
dropped at once, so no later task of the run sends it.
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

from ansible_collections.msgraph.security.plugins.module_utils._core.token_claims import payload

RUN_TOKENS_ENV = 'MSGRAPH_SECURITY_RUN_TOKENS'  # set by the collection's action plugin for its modules
STORE_NAME = 'msgraph-tokens'
MARGIN = 300  # seconds before expiry a shared token is no longer handed out (a task may run that long)
_KEY_SIZE = 32


def make_store(local_tmp):
    """The run's store directory below ``local_tmp`` (created 0700), for the controller side; the first
    RunTokens opened on it makes the run's key."""
    directory = os.path.join(local_tmp, STORE_NAME)
    os.makedirs(directory, mode=0o700, exist_ok=True)
    return directory


def _run_key(directory):
    """The key of this run's names: made by the first process that needs it, read by the others."""
    path = os.path.join(directory, 'key')
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        for dummy in range(100):  # its maker writes the key right after creating the file
            with open(path, 'rb') as handle:
                key = handle.read()
            if len(key) == _KEY_SIZE:
                return key
            time.sleep(0.01)
        raise OSError('the token store key %s is incomplete' % path)
    key = os.urandom(_KEY_SIZE)
    with os.fdopen(fd, 'wb') as handle:
        handle.write(key)
    return key


class RunTokens:
    """One run's store (an existing directory); OSError when it cannot be used."""

    def __init__(self, directory):
        if not os.path.isdir(directory):
            raise OSError('no token store at %s' % directory)
        self.directory = directory
        self._key = _run_key(directory)

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
    """The token's exp claim; a token without one is kept for ten minutes past the margin."""
    exp = (payload(token) or {}).get('exp')
    return exp if isinstance(exp, (int, float)) else time.time() + MARGIN + 600


class SharedAuthenticator:
    """Wraps a connection's authenticator: its tokens come from the run's store, acquired once per run.

    ``used`` says, for -vvv, whether the last token was 'acquired' (and shared) or the run's 'shared' one;
    ``say(used, audience)`` is told each time (the controller's plugins print it at -vvv)."""

    def __init__(self, inner, store, say=None):
        self.inner = inner
        self.store = store
        self.method = inner.method
        self.used = None
        self._say = say
        self._parts = inner.settings_parts()

    def _name(self, audience):
        return self.store.name(self._parts, audience or self.inner.settings.token_audience)

    def token(self, audience=None):
        name = self._name(audience)
        token = self.store.read(name)
        if token is None:
            with self.store.locked(name):
                token = self.store.read(name)  # another fork may have acquired it meanwhile
                if token is None:
                    token = self.inner.token(audience)
                    self.store.write(name, token)
                    return self._told('acquired', audience, token)
        return self._told('shared', audience, token)

    def _told(self, used, audience, token):
        if self._say is not None and used != self.used:
            self._say(used, audience or self.inner.settings.token_audience)
        self.used = used
        return token

    def renew(self, audience=None):
        """The API refused the token: no task of this run may send it again."""
        self.store.drop(self._name(audience))
        return self.inner.renew(audience)


def share(client, directory, say=None):
    """``client`` with its authenticator sharing tokens through the store in ``directory``, when its settings
    say so and the store can be used; otherwise ``client`` as it was (it acquires its own tokens)."""
    if not directory or not hasattr(getattr(client, 'auth', None), 'settings_parts') \
            or not client.settings.options.get('share_tokens'):
        return client  # no store, a ready access_token, or sharing turned off
    try:
        store = RunTokens(directory)
    except OSError:
        return client
    client.auth = SharedAuthenticator(client.auth, store, say)
    return client
