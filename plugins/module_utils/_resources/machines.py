# -*- coding: utf-8 -*-
# Copyright: contributors to the msgraph.security collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Internal to msgraph.security (not a public API): it may change in any release, even a bugfix one.
"""Defender for Endpoint machines (``GET /api/machines`` on the Defender API), described once.

The machine list gives neither a count nor a nextLink: it is paged with $top (at most 10,000) and
$skip until a page comes back short. It answers 404 when the tenant has no machine at all, which is
an empty list, not an error.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible.module_utils.six import string_types

from ansible_collections.msgraph.security.plugins.module_utils._core.errors import OptionError
from ansible_collections.msgraph.security.plugins.module_utils._core.odata import check_balanced, odata_string
from ansible_collections.msgraph.security.plugins.module_utils._core.resource import Resource
from ansible_collections.msgraph.security.plugins.module_utils._core.skip_paging import chunks, list_by_skip

MACHINES = Resource(
    name='machine', plural='machines', path='/machines',
    id_example='1e5bc9d7e413ddd7902c2932e418702b84d0cc07',
    page_size=10000,  # Defender's largest $top for machines (get-machines.md)
    read_permission='Machine.Read.All', write_permission='Machine.ReadWrite.All',
)


def list_machines(client, odata_filter=None):
    """Every machine matching the raw $filter, in Defender's order; ``client`` is the connection's Defender API."""
    params = {}
    if odata_filter:
        check_balanced('filter', odata_filter)
        params['$filter'] = odata_filter
    return list_by_skip(client, MACHINES.path, params, MACHINES.page_size, MACHINES.read_permission, missing_is_empty=True)


def device_of_machine(machine):
    """A machine in the shape of the evidence filter's devices (snake_case), with Defender's extra fields."""
    addresses = [item.get('ipAddress') for item in machine.get('ipAddresses') or [] if item.get('ipAddress')]
    return dict(mde_device_id=machine.get('id'), azure_ad_device_id=machine.get('aadDeviceId'),
                dns_name=machine.get('computerDnsName'), os_platform=machine.get('osPlatform'),
                risk_score=machine.get('riskScore'), health_status=machine.get('healthStatus'),
                ip_addresses=addresses, last_ip_address=machine.get('lastIpAddress'),
                exposure_level=machine.get('exposureLevel'), machine_tags=list(machine.get('machineTags') or []),
                last_seen=machine.get('lastSeen'))


MACHINE_ID = re.compile(r'^[0-9a-fA-F]{40}\Z')
DNS_NAME = re.compile(r'^[A-Za-z0-9]([A-Za-z0-9-]{0,62})(\.[A-Za-z0-9-]{1,63})*\.?\Z')


def resolve_devices(client, device_ids=None, device_names=None, devices=None):
    """The Defender machines the options name, each once, in the order given.

    ``device_ids`` are machine ids, ``device_names`` DNS names (each must name exactly one machine),
    ``devices`` the devices list of the evidence filter (its mde_device_id, else its dns_name). Every
    id and name is checked, and every one resolved, before the caller sends anything: an unknown one
    raises OptionError naming it and the option.
    """
    ids, names = [], []
    for value in device_ids or []:
        ids.append((_machine_id('device_ids', value), 'device_ids'))
    for value in device_names or []:
        names.append((_dns_name('device_names', value), 'device_names'))
    for n, device in enumerate(devices or []):
        if not isinstance(device, dict):
            raise OptionError('devices[%d] is %s, not a device of msgraph.security.evidence (a dict with mde_device_id'
                              ' or dns_name).' % (n, type(device).__name__))
        if device.get('mde_device_id'):
            ids.append((_machine_id('devices[%d].mde_device_id' % n, device['mde_device_id']), 'devices'))
        elif device.get('dns_name'):
            names.append((_dns_name('devices[%d].dns_name' % n, device['dns_name']), 'devices'))
        else:
            raise OptionError('devices[%d] has neither mde_device_id nor dns_name: Defender cannot act on it.' % n)
    by_id = _read(client, 'id', [value for value, dummy in ids])
    by_name = _read(client, 'computerDnsName', [value for value, dummy in names])
    machines, unknown = {}, []
    for value, option in ids:
        found = by_id.get(value.lower())
        if found:
            machines.setdefault(found[0]['id'], found[0])
        else:
            unknown.append('%s %s' % (option, value))
    for value, option in names:
        found = by_name.get(value.lower().rstrip('.'), [])
        if len(found) > 1:
            raise OptionError('%s: %d Defender machines are named %s (ids %s); give the one to act on in device_ids.'
                              % (option, len(found), value, ', '.join(m['id'] for m in found)))
        if found:
            machines.setdefault(found[0]['id'], found[0])
        else:
            unknown.append('%s %s' % (option, value))
    if unknown:
        raise OptionError('No Defender for Endpoint machine matches %s (the machines the app can see: device groups'
                          ' limit them). Nothing was sent.' % '; '.join(unknown))
    return list(machines.values())


def _read(client, prop, values):
    """{value lowered: [machines]} for the machines whose ``prop`` is one of ``values``, 20 per request."""
    found = {}
    for chunk in chunks(list(dict.fromkeys(v.lower() for v in values))):
        expression = ' or '.join('%s eq %s' % (prop, odata_string(value)) for value in chunk)
        for machine in list_by_skip(client, MACHINES.path, {'$filter': expression}, MACHINES.page_size,
                                    MACHINES.read_permission, missing_is_empty=True):
            key = (machine.get(prop) or '').lower().rstrip('.')
            found.setdefault(key, []).append(machine)
    return found


def _machine_id(option, value):
    if not isinstance(value, string_types) or not MACHINE_ID.match(value):
        raise OptionError('%s: %r is not a Defender machine id (40 hexadecimal digits, such as %s). Nothing was sent.'
                          % (option, value, MACHINES.id_example))
    return value.lower()


def _dns_name(option, value):
    if not isinstance(value, string_types) or len(value) > 255 or not DNS_NAME.match(value):
        raise OptionError('%s: %r is not a DNS name such as fin-lt-042.corp.example.com. Nothing was sent.' % (option, value))
    return value
