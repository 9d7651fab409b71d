# -*- coding: utf-8 -*-
# Copyright: contributors to the msgraph.security collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Internal to msgraph.security (not a public API): it may change in any release, even a bugfix one.
"""One row of connection_info's table: what a set of credentials may do with one resource.

A resource that connection_info should probe adds a row (see _resources/capabilities.py); the
checks and their words come from the row, so the engine (connection_check.py) knows no resource.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from collections import namedtuple

# The probes a row may ask for, in the order they run (each is at most one request).
PROBES = ('read', 'count', 'batch', 'evolvable_enums')

_FIELDS = ('name', 'singular', 'plural', 'path', 'read_permission', 'write_permission', 'product',
           'evolvable', 'probes', 'read_body')


class Capability(namedtuple('Capability', _FIELDS)):
    """name: the key under ``capabilities`` in the result (and the check prefix of a row after the
    first); singular/plural: the words for one item and many; path: the collection the probes read;
    read_permission/write_permission: what the token must carry (write None: nothing to change); product: the license a 403 despite
    the permission points to; evolvable: (field, value) of an evolvable enum member the
    evolvable_enums probe filters on, or None; probes: which of PROBES run (read always runs first);
    read_body: None (read GETs path?$top=1), or the body of a read sent as POST to path (a harmless query)."""

    __slots__ = ()


def capability(name, singular, plural, path, read_permission, write_permission, product, evolvable=None, probes=PROBES,
               read_body=None):
    """A Capability row, checking that its probes are known ones and that read comes first."""
    probes = tuple(probes)
    unknown = [probe for probe in probes if probe not in PROBES]
    if unknown or not probes or probes[0] != 'read':
        raise ValueError('capability %s: probes must start with read and be among %s' % (name, ', '.join(PROBES)))
    if 'evolvable_enums' in probes and not evolvable:
        raise ValueError('capability %s: the evolvable_enums probe needs evolvable=(field, value)' % name)
    return Capability(name, singular, plural, path, read_permission, write_permission, product, evolvable, probes, read_body)
