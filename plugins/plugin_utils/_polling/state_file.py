# -*- coding: utf-8 -*-
# Copyright: contributors to the msgraph.security collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Internal to msgraph.security (not a public API): it may change in any release, even a bugfix one.
"""The state file of a polling source: its checkpoint, what it is the checkpoint of, written atomically.

The file records its identity (Graph URL, tenant, filters, which changes): two sources with other
settings sharing one file would skip each other's items, so a mismatch is refused with a message.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import stat
import tempfile

from ansible_collections.msgraph.security.plugins.module_utils._core.errors import OptionError
from ansible_collections.msgraph.security.plugins.plugin_utils._polling.checkpoint import Checkpoint
from ansible_collections.msgraph.security.plugins.plugin_utils._polling.stamps import to_stamp, to_ticks

STATE_VERSION = 2
READABLE_VERSIONS = (1, 2)  # version 1 had no identity: adopted as it is, written back as 2


def to_json(checkpoint, changes, identity):
    return {
        'version': STATE_VERSION,
        'changes': changes,
        'of': identity,
        'origin': to_stamp(checkpoint.origin),
        'checkpoint': None if checkpoint.newest is None else to_stamp(checkpoint.newest),
        'delivered': dict((key, to_stamp(ticks)) for key, ticks in sorted(checkpoint.delivered.items())),
        'memory': checkpoint.memory,
    }


def from_json(data, path, field, created_field):
    """(checkpoint, changes, identity or None) from the file's content."""
    try:
        if data.get('version') not in READABLE_VERSIONS:
            raise ValueError('version %r, expected %d' % (data.get('version'), STATE_VERSION))
        newest = data.get('checkpoint')
        memory = data.get('memory', {})  # a file written before the memory existed has none
        if not isinstance(memory, dict):
            raise ValueError('memory is not a mapping')
        checkpoint = Checkpoint(field, to_ticks(data['origin']), None if newest is None else to_ticks(newest),
                                dict((key, to_ticks(value)) for key, value in data.get('delivered', {}).items()),
                                created_field, memory)
        return checkpoint, data['changes'], data.get('of')
    except (AttributeError, KeyError, TypeError, ValueError) as exc:
        raise OptionError('state_file=%s is not a checkpoint this source wrote (%s); move it away to start'
                          ' from since.' % (path, exc))


def _mismatch(saved, identity):
    return sorted(name for name in set(saved) | set(identity) if saved.get(name) != identity.get(name))


def load(path, changes, identity, field, created_field, origin):
    """(checkpoint, resumed): the checkpoint saved in ``path``, or a new one at ``origin`` when there is none yet."""
    if not path:
        return Checkpoint(field, origin, created_field=created_field), False
    directory = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(directory) or not os.access(directory, os.W_OK):
        raise OptionError('state_file=%s: the directory %s does not exist or is not writable.' % (path, directory))
    try:
        with open(path) as handle:
            text = handle.read()
    except (IOError, OSError) as exc:
        if not os.path.exists(path):
            return Checkpoint(field, origin, created_field=created_field), False
        raise OptionError('state_file=%s cannot be read: %s' % (path, exc.strerror or exc))
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise OptionError('state_file=%s is not JSON (%s); move it away to start from since.' % (path, exc))
    checkpoint, saved_changes, saved_identity = from_json(data if isinstance(data, dict) else {}, path, field,
                                                          created_field)
    if saved_changes != changes:
        raise OptionError('state_file=%s holds the checkpoint of changes=%s, not changes=%s; use another'
                          ' state_file for this rulebook source.' % (path, saved_changes, changes))
    if saved_identity is not None and saved_identity != identity:
        names = _mismatch(saved_identity if isinstance(saved_identity, dict) else {}, identity)
        raise OptionError('state_file=%s holds the checkpoint of another source (it differs in %s: %s); two sources'
                          ' sharing a state file skip each other\'s changes: give each its own state_file.' % (
                              path, ', '.join(names), '; '.join('%s %r, not %r' % (
                                  name, (saved_identity or {}).get(name), identity.get(name)) for name in names)))
    return checkpoint, True


def save(path, checkpoint, changes, identity):
    """Write the state file atomically (a restart after a crash sees the old or the new one), keeping its mode.

    A directory that became unwritable (disk full, read-only) is an OptionError with one clear message.
    """
    directory = os.path.dirname(os.path.abspath(path))
    temporary = None
    try:
        try:
            mode = stat.S_IMODE(os.stat(path).st_mode)
        except OSError:
            mode = None
        handle, temporary = tempfile.mkstemp(prefix='.%s.' % os.path.basename(path), dir=directory)
        with os.fdopen(handle, 'w') as out:
            json.dump(to_json(checkpoint, changes, identity), out, indent=1, sort_keys=True)
            out.flush()
            os.fsync(out.fileno())
        if mode is not None:
            os.chmod(temporary, mode)
        os.replace(temporary, path)
    except (IOError, OSError) as exc:
        raise OptionError('state_file=%s: the checkpoint cannot be saved (%s); the source stops so that it does not'
                          ' run on without one. Free the space or make %s writable, then start it again: it resumes'
                          ' from the last checkpoint saved.' % (path, exc.strerror or exc, directory))
    finally:
        if temporary and os.path.exists(temporary):
            os.unlink(temporary)
