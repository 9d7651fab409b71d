# -*- coding: utf-8 -*-
# Copyright: contributors to the msgraph.security collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Internal to msgraph.security (not a public API): it may change in any release, even a bugfix one.
"""The devices inventory's logic, pure Python: devices from incidents, alerts or machines; host names; groups.

A device is one dict in the shape of the evidence filter's devices (mde_device_id, dns_name,
os_platform, risk_score, health_status, ip_addresses, alert_ids, ...), plus incident_ids,
highest_severity (of the incidents, or alerts, that name it) and last_ip_address. It is what the
inventory caches and what a host's ``msgraph_device`` variable holds.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.msgraph.security.plugins.module_utils._resources.machines import device_of_machine
from ansible_collections.msgraph.security.plugins.plugin_utils._controller.evidence import entities
from ansible_collections.msgraph.security.plugins.plugin_utils._controller.incident_levels import severity_rank

HOSTNAMES = ('dns_name', 'mde_device_id', 'last_ip_address', 'azure_ad_device_id')


def _with_incidents(devices, named_by):
    """Each evidence device with the incidents and the highest severity of what names it.

    ``named_by``: alert id -> (incident id, severity of the incident, or of the alert itself).
    """
    for device in devices:
        naming = [named_by[alert_id] for alert_id in device['alert_ids'] if alert_id in named_by]
        incident_ids = []
        for incident_id, dummy in naming:
            if incident_id is not None and str(incident_id) not in incident_ids:
                incident_ids.append(str(incident_id))
        severities = [severity for dummy, severity in naming if severity]
        device['incident_ids'] = incident_ids
        device['highest_severity'] = max(severities, key=severity_rank) if severities else None
        device.setdefault('last_ip_address', (device.get('ip_addresses') or [None])[0])
    return devices


def devices_of_incidents(incidents):
    """The devices of the incidents' alerts (read with $expand=alerts), each once."""
    named_by = dict((alert.get('id'), (incident.get('id'), incident.get('severity')))
                    for incident in incidents for alert in incident.get('alerts') or [])
    return _with_incidents(entities(list(incidents))['devices'], named_by)


def devices_of_alerts(alerts):
    """The devices of the alerts' evidence, each once; an alert's incident from its incidentId."""
    named_by = dict((alert.get('id'), (alert.get('incidentId'), alert.get('severity'))) for alert in alerts)
    return _with_incidents(entities(list(alerts))['devices'], named_by)


def devices_of_machines(machines):
    return [dict(device_of_machine(machine), alert_ids=[], incident_ids=[], highest_severity=None)
            for machine in machines]


def host_names(devices, preferences, usable):
    """[(host name, device)] and the devices skipped (no preferred name left), in the devices' order.

    The first preference a device has, and that ``usable`` accepts, names it; a name already taken by
    another device moves it on to its next preference, so that two machines never become one host.
    """
    taken, named, skipped = set(), [], []
    for device in devices:
        for preference in preferences:
            value = device.get(preference)
            name = str(value).strip() if value not in (None, '') else ''
            if name and usable(name) and name.lower() not in taken:
                taken.add(name.lower())
                named.append((name, device))
                break
        else:
            skipped.append(device)
    return named, skipped


def group_names(device, prefix):
    """The plugin's own groups of a device (before sanitising): severity, incidents, OS."""
    groups = []
    if device.get('highest_severity'):
        groups.append('%sseverity_%s' % (prefix, device['highest_severity'].lower()))
    groups.extend('%sincident_%s' % (prefix, incident_id) for incident_id in device.get('incident_ids') or [])
    if device.get('os_platform'):
        groups.append('%sos_%s' % (prefix, device['os_platform'].lower()))
    return groups
