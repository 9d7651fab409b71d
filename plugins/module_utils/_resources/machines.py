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

from ansible_collections.msgraph.security.plugins.module_utils._core.errors import NotFoundError
from ansible_collections.msgraph.security.plugins.module_utils._core.odata import check_balanced
from ansible_collections.msgraph.security.plugins.module_utils._core.resource import Resource

MACHINES = Resource(
    name='machine', plural='machines', path='/machines',
    id_example='1e5bc9d7e413ddd7902c2932e418702b84d0cc07',
    page_size=10000,  # Defender's largest $top for machines (get-machines.md)
    read_permission='Machine.Read.All', write_permission='Machine.ReadWrite.All',
)


def list_machines(client, odata_filter=None):
    """Every machine matching the raw $filter, in Defender's order; ``client`` is the connection's Defender API."""
    params = {'$top': MACHINES.page_size}
    if odata_filter:
        check_balanced('filter', odata_filter)
        params['$filter'] = odata_filter
    machines = []
    while True:
        try:
            page = client.get(MACHINES.path, dict(params, **{'$skip': len(machines)}) if machines else params,
                              permission=MACHINES.read_permission)
        except NotFoundError:
            if machines:
                raise
            return []
        items = page.get('value') or []
        machines.extend(items)
        if len(items) < MACHINES.page_size:
            return machines


def device_of_machine(machine):
    """A machine in the shape of the evidence filter's devices (snake_case), with Defender's extra fields."""
    addresses = [item.get('ipAddress') for item in machine.get('ipAddresses') or [] if item.get('ipAddress')]
    return dict(mde_device_id=machine.get('id'), azure_ad_device_id=machine.get('aadDeviceId'),
                dns_name=machine.get('computerDnsName'), os_platform=machine.get('osPlatform'),
                risk_score=machine.get('riskScore'), health_status=machine.get('healthStatus'),
                ip_addresses=addresses, last_ip_address=machine.get('lastIpAddress'),
                exposure_level=machine.get('exposureLevel'), machine_tags=list(machine.get('machineTags') or []),
                last_seen=machine.get('lastSeen'))
