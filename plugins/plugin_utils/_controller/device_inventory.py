# -*- coding: utf-8 -*-
# Copyright: contributors to the msgraph.security collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Internal to msgraph.security (not a public API): it may change in any release, even a bugfix one.
"""The msgraph.security.devices inventory: read the source's items, turn them into hosts and groups.

Sources: ``incidents`` (the devices of the matching incidents' alerts, read with $expand=alerts),
``alerts`` (of the matching alerts' evidence), ``machines`` (Defender for Endpoint's machine list).
Everything an option could get wrong is refused before the first request.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible.utils.display import Display
from ansible.utils.unsafe_proxy import wrap_var

from ansible_collections.msgraph.security.plugins.module_utils._core.errors import NotFoundError, OptionError
from ansible_collections.msgraph.security.plugins.module_utils._resources import alerts, incidents
from ansible_collections.msgraph.security.plugins.module_utils._resources.machines import list_machines
from ansible_collections.msgraph.security.plugins.plugin_utils._controller import device_hosts
from ansible_collections.msgraph.security.plugins.plugin_utils._controller.graph_inventory import GraphInventory

display = Display()

SOURCES = ('incidents', 'alerts', 'machines')
LIST_FILTERS = ('status', 'severity', 'created_after', 'updated_after', 'max_incidents')
# What each source takes besides filter; the others are refused with it rather than ignored.
TAKES = {'incidents': LIST_FILTERS + ('incident_ids',), 'alerts': LIST_FILTERS, 'machines': ()}
# Device text is attacker-influenced: a host name is kept only when it is made of these characters.
SAFE_HOST_NAME = re.compile(r'^[A-Za-z0-9][A-Za-z0-9._:-]{0,252}\Z')


def unsafe_text(value):
    """``value`` with every string that could be read as a template (a ``{``, a ``#jinja2:`` header)
    marked unsafe, so that Ansible never evaluates it.

    Only those: AWX imports ``ansible-inventory --list`` output without reading the unsafe markers
    (community.general#8212), so plain values stay plain."""
    if isinstance(value, dict):
        return dict((key, unsafe_text(item)) for key, item in value.items())
    if isinstance(value, list):
        return [unsafe_text(item) for item in value]
    if isinstance(value, str) and ('{' in value or '#jinja2:' in value):
        return wrap_var(value)
    return value


class DeviceInventory(GraphInventory):

    suffixes = ('msgraph_devices.yml', 'msgraph_devices.yaml')
    query_options = ('source', 'filter', 'incident_ids') + LIST_FILTERS

    def check(self):
        """The query options of the chosen source and the host name preferences, checked."""
        source = self.get_option('source')
        given = [name for name in sorted(set(LIST_FILTERS + ('incident_ids',)) - set(TAKES[source]))
                 if self.get_option(name) not in (None, [])]
        if given:
            raise OptionError('source=%s does not take %s; remove %s.' % (
                source, ', '.join(given), 'them' if len(given) > 1 else 'it'))
        query = dict((name, self.get_option(name)) for name in ('status', 'severity', 'created_after', 'updated_after',
                                                                'filter'))
        query['max_items'] = self.get_option('max_incidents')
        if query['max_items'] is not None and query['max_items'] < 1:
            raise OptionError('max_incidents=%s must be 1 or more (unset it to read every match).' % query['max_items'])
        ids = [incidents.normalize_id(value) for value in self.get_option('incident_ids') or []]
        if source == 'incidents':
            if ids:
                incidents.INCIDENTS.refuse_list_filters(query, 'incident_ids')
            incidents.build_filter(query)
        elif source == 'alerts':
            alerts.build_filter(query)
        preferences = self.get_option('hostnames')
        unknown = [name for name in preferences if name not in device_hosts.HOSTNAMES]
        if unknown or not preferences:
            raise OptionError('hostnames: %s; use one or more of %s.' % (
                'unknown %s' % ', '.join(unknown) if unknown else 'empty', ', '.join(device_hosts.HOSTNAMES)))
        self.source, self.query, self.incident_ids = source, query, list(dict.fromkeys(ids))

    def fetch(self, options):
        source, query = self.source, self.query
        client = self.graph_client(options)
        if source == 'machines':
            return device_hosts.devices_of_machines(list_machines(client.api('defender'), query.get('filter')))
        if source == 'alerts':
            found, truncated = alerts.AlertReader(client).list(query)
            self.warn_truncated(truncated, query['max_items'], 'alerts')
            return device_hosts.devices_of_alerts(found)
        reader = incidents.IncidentReader(client, expand_alerts=True)
        if not self.incident_ids:
            found, truncated = reader.list(query)
            self.warn_truncated(truncated, query['max_items'], 'incidents')
            return device_hosts.devices_of_incidents(found)
        found = reader.read_ids(self.incident_ids)
        missing = [(item_id, item) for item_id, item in found if isinstance(item, NotFoundError)]
        if missing:
            raise NotFoundError('incident_ids: %s not found: %s; remove %s from incident_ids.' % (
                'incident' if len(missing) == 1 else '%d incidents' % len(missing),
                '; '.join('%s (%s)' % item for item in missing), 'it' if len(missing) == 1 else 'them'),
                **missing[0][1].details)
        return device_hosts.devices_of_incidents([item for dummy, item in found])

    def warn_truncated(self, truncated, limit, plural):
        if truncated:
            display.warning('%s: max_incidents=%d: more %s match; the inventory holds the devices of the newest %d'
                            ' only.' % (self.graph_plugin_name, limit, plural, limit))

    def populate(self, records):
        preferences = self.get_option('hostnames')
        named, skipped = device_hosts.host_names(records, preferences, SAFE_HOST_NAME.match)
        if skipped:
            display.warning('%s: %d device%s skipped: none of %s set (or usable as a host name) for %s.' % (
                self.graph_plugin_name, len(skipped), '' if len(skipped) == 1 else 's', ', '.join(preferences),
                ', '.join(str(d.get('mde_device_id') or d.get('alert_ids')) for d in skipped)))
        prefix = self.get_option('group_prefix')
        for host, device in named:
            self.inventory.add_host(host)
            for group in device_hosts.group_names(device, prefix):
                group = self.inventory.add_group(self._sanitize_group_name(group))
                self.inventory.add_child(group, host)
            self.inventory.set_variable(host, 'msgraph_device', unsafe_text(device))
            self.add_constructed(host, self.inventory.get_host(host).get_vars())
