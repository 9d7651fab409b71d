# -*- coding: utf-8 -*-
# Copyright: contributors to the msgraph.security collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Internal to msgraph.security (not a public API): it may change in any release, even a bugfix one.
"""What every inventory plugin of the collection does around its own work.

An inventory plugin subclasses GraphInventory and implements ``check()`` (its options, before anything
is sent, cached or not), ``fetch(options)`` (the records to cache, JSON-serialisable, never a secret)
and ``populate(records)``. Here: the file suffix check,
the config read through ControllerPlugin (unknown options refused, connection options rendered when
they are templates, -vvv origins), the cache flow of Ansible's Cacheable, and AnsibleParserError.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib
import json

from ansible.errors import AnsibleParserError
from ansible.plugins.inventory import BaseInventoryPlugin, Cacheable, Constructable

from ansible_collections.msgraph.security.plugins.module_utils._core.connection_options import CONNECTION_OPTIONS
from ansible_collections.msgraph.security.plugins.plugin_utils._controller.controller_plugin import ControllerPlugin


class GraphInventory(ControllerPlugin, BaseInventoryPlugin, Constructable, Cacheable):

    plugin_error = AnsibleParserError
    not_user_options = ()
    suffixes = ()  # the endings a config file must have (yml and yaml)
    # Options that choose what is read: folded into the cache key, so that editing them reads afresh.
    query_options = ()

    def verify_file(self, path):
        return super(GraphInventory, self).verify_file(path) and path.endswith(self.suffixes)

    def parse(self, inventory, loader, path, cache=True):
        super(GraphInventory, self).parse(inventory, loader, path, cache)
        config = self._read_config_data(path)
        self.require_libraries()
        options = self.resolve_options(config, self._vars)
        self.render_connection_options()
        with self.graph_errors():
            self.check()
        key = self.cache_key(path)
        use_cache = self.get_option('cache')
        records, update = None, use_cache and not cache  # not cache: --flush-cache, meta: refresh_inventory
        if use_cache and cache:
            try:
                records = self._cache[key]
            except KeyError:
                update = True
        if records is None:
            with self.graph_errors():
                records = self.fetch(options)
        if update:
            self._cache[key] = records
        with self.graph_errors():
            self.populate(records)

    def render_connection_options(self):
        """A connection option written as a template in the file (a vault or env lookup) is rendered here."""
        for name in CONNECTION_OPTIONS:
            value = self.get_option(name)
            if isinstance(value, str) and self.templar.is_template(value):
                self.set_option(name, self.templar.template(value))

    def cache_key(self, path):
        """Ansible's key for this file, plus a digest of what it selects (the query options, never a secret)."""
        chosen = json.dumps(dict((name, self.get_option(name)) for name in self.query_options), sort_keys=True,
                            default=str)
        return '%s_%s' % (self.get_cache_key(path), hashlib.sha256(chosen.encode()).hexdigest()[:12])

    def check(self):
        raise NotImplementedError

    def fetch(self, options):
        raise NotImplementedError

    def populate(self, records):
        raise NotImplementedError

    def add_constructed(self, host, hostvars):
        """Constructable's compose, groups and keyed_groups for one host, in the order Ansible documents."""
        strict = self.get_option('strict')
        self._set_composite_vars(self.get_option('compose'), hostvars, host, strict=strict)
        self._add_host_to_composed_groups(self.get_option('groups'), hostvars, host, strict=strict)
        self._add_host_to_keyed_groups(self.get_option('keyed_groups'), hostvars, host, strict=strict)
