# -*- coding: utf-8 -*-
# Copyright: contributors to the msgraph.security collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Internal to msgraph.security (not a public API): it may change in any release, even a bugfix one.
"""Writers on one machine take turns per item: a lock file held from the read to the write.

Graph offers no ETag for these resources, so two writers that read, then write the whole tag list,
erase each other. Forks of one run and parallel runs on one controller (or managed node) share these
locks; writers on other machines do not, which the modules' notes say. A lock file is named by a hash
of (API root, tenant, resource path, id), so its name carries no secret, and lives in a directory
only its user may enter.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib
import os
import stat
import tempfile
import time

try:
    import fcntl
except ImportError:  # not on Windows: there is nothing to share the lock with there anyway
    fcntl = None

from ansible_collections.msgraph.security.plugins.module_utils._core.errors import MsGraphError

WAIT_SECONDS = 600  # how long a writer waits for another one holding the same item


def lock_directory():
    """The private directory of this user's lock files, created 0700; refused when anyone else could use it."""
    path = os.path.join(tempfile.gettempdir(), 'msgraph.security-locks-%d' % os.getuid())
    try:
        os.mkdir(path, 0o700)
    except OSError:
        pass  # it exists (checked below) or cannot be made (the open below says why)
    info = os.lstat(path)
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o077:
        raise MsGraphError('The lock directory %s is not a directory that only this user may use (mode 0700);'
                           ' remove it and run again.' % path)
    return path


class ItemLocks:
    """Exclusive locks on the given items, taken in a fixed order (no deadlock), released on exit."""

    def __init__(self, client, resource, item_ids):
        settings = client.settings
        scope = '%s|%s|%s' % (settings.api_root, settings.options.get('tenant_id') or '', resource.path)
        self.names = sorted(set(hashlib.sha256(('%s|%s' % (scope, item_id)).encode('utf-8')).hexdigest()[:40]
                                for item_id in item_ids))
        self.files = []

    def __enter__(self):
        if fcntl is None:
            return self
        directory = lock_directory()
        try:
            for name in self.names:
                handle = os.open(os.path.join(directory, name + '.lock'), os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
                self.files.append(handle)
                _wait_for(handle)
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *dummy):
        while self.files:
            os.close(self.files.pop())  # closing releases the lock
        return False


def _wait_for(handle):
    deadline = time.time() + WAIT_SECONDS
    while True:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except (IOError, OSError):
            if time.time() > deadline:
                raise MsGraphError('Another writer on this machine has held the same item for %d seconds;'
                                   ' nothing was written.' % WAIT_SECONDS)
            time.sleep(0.05)
