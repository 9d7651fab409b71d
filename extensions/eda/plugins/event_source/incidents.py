# -*- coding: utf-8 -*-
# Copyright: contributors to the msgraph.security collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""msgraph.security.incidents: an ansible-rulebook event source for Microsoft Defender incidents.

ansible-rulebook runs this file with runpy, not as part of the ansible_collections package, so it
puts the collections root that holds it on sys.path and then uses the collection's own core.
The logic lives in plugins/plugin_utils/_polling/incident_source.py and incident_poller.py.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
name: incidents
short_description: Events for new and updated Microsoft Defender incidents, from Microsoft Graph
version_added: 1.1.0
description:
  - >-
    Polls C(GET /security/incidents) every O(interval) seconds and puts one event on the queue for
    every incident created or updated since the previous poll, oldest first. An event has three keys,
    C(incident) (the incident as Graph returns it), C(change) (V(created) or V(updated)) and C(changed).
  - C(changed) maps each of C(severity), C(status), C(assignedTo), C(classification) and C(determination) that
    differs from the incident's previous event to C({before, after}); an incident the source has no earlier
    event of (new, older than its first start, or not in an event for 30 days) gets all five with C(after)
    only. This memory is kept in O(state_file).
  - Incident text is attacker-controlled and a playbook started by ansible-rulebook would evaluate it as a
    template, so every string of the event (keys too) is made inert. A C({) followed by C({), C(%) or C(#)
    becomes U+FF5B (fullwidth left curly bracket), and the C(#) of C(#jinja2:) becomes U+FF03 (fullwidth number
    sign). Nothing else changes. Pass ids to playbooks and read the incident again with M(msgraph.security.incident_info).
  - Every change is delivered once. Incidents sharing a C(lastUpdateDateTime) (Graph keeps 100 ns
    precision, and so does the source), more than one page of changes in one interval, and changes made
    while a poll runs are neither missed nor repeated. An incident updated several times between two polls
    gives one event with its latest state. With O(state_file), a restart resumes where it stopped.
  - Throttling, 5xx answers, timeouts and outages are logged as warnings and retried (backoff up to
    O(interval)) without losing or repeating anything. A misconfiguration (unknown argument, no or wrong
    credentials, a missing permission, a C($filter) Graph refuses) stops the source at once with one message.
  - Takes the connection options of the collection (same names, same environment variables, see the
    C(msgraph.security.connection) documentation fragment, for example O(tenant_id)/E(AZURE_TENANT_ID),
    O(client_id)/E(AZURE_CLIENT_ID), O(client_secret)/E(AZURE_CLIENT_SECRET)) and the list filters of
    M(msgraph.security.incident_info) (O(status), O(severity), O(assigned_to), O(filter), O(expand_alerts)).
  - The app needs the Microsoft Graph application permission C(SecurityIncident.Read.All).
options:
  interval:
    description: Seconds between two polls of Graph.
    type: float
    default: 60
  changes:
    description:
      - V(all) (default) gives an event for every new and every updated incident (C(lastUpdateDateTime));
        V(created) for new incidents only (C(createdDateTime)). Any case.
    type: str
    default: all
  since:
    description:
      - Where the first poll starts. An ISO 8601 time such as V(2026-01-31T08:00:00Z), or a duration back
        from now such as V(90s), V(15m), V(2h), V(7d) or V(1h30m).
      - Unset, the moment the source starts. Ignored when O(state_file) holds a checkpoint.
    type: str
  state_file:
    description:
      - A file where the checkpoint is kept, written atomically after each poll that delivered something
        and on shutdown. A restart resumes from it instead of O(since).
      - Its directory must exist and be writable. One file per source.
    type: path
  status:
    description: Only incidents with one of these statuses (any case).
    type: list
    elements: str
  severity:
    description: Only incidents with one of these severities (any case).
    type: list
    elements: str
  assigned_to:
    description: Only incidents assigned to this user principal name.
    type: str
  filter:
    description: A raw OData C($filter) expression, combined with the others by C(and).
    type: str
  expand_alerts:
    description: Include each incident's alerts in C(incident.alerts).
    type: bool
    default: false
'''

EXAMPLES = r'''
- name: Triage incidents that become high severity
  hosts: localhost
  sources:
    - msgraph.security.incidents:
        interval: 30
        state_file: /var/lib/eda/msgraph-incidents.json
  rules:
    - name: Incident became high severity (created high, or raised to high)
      condition: >-
        event.incident.severity == "high"
        and (event.change == "created" or event.changed.severity.before is defined)
      action:
        run_playbook:
          name: msgraph.security.triage
          extra_vars:
            incident_id: "{{ event.incident.id }}"
'''

import os
import sys


def _collections_root():
    """The directory holding ansible_collections/msgraph/security/extensions/eda/plugins/event_source/<this file>."""
    path = os.path.abspath(__file__)
    for dummy in range(8):
        path = os.path.dirname(path)
    return path


if os.path.isdir(os.path.join(_collections_root(), 'ansible_collections')) and _collections_root() not in sys.path:
    sys.path.insert(0, _collections_root())

from ansible_collections.msgraph.security.plugins.module_utils._core.errors import MsGraphError  # noqa: E402
from ansible_collections.msgraph.security.plugins.plugin_utils._polling.incident_source import run  # noqa: E402


async def main(queue, args):
    """ansible-rulebook's entry point: poll until cancelled, raise on misconfiguration."""
    try:
        await run(queue, args)
    except MsGraphError as error:
        # One line for ansible-rulebook to log: the message says what to fix, the core's frames do not.
        raise error.with_traceback(None) from None


if __name__ == '__main__':
    # Try it without ansible-rulebook: python incidents.py '{"interval": 10}' prints the events.
    import asyncio
    import json

    class _PrintQueue:
        async def put(self, event):
            print(json.dumps(event))

    asyncio.run(main(_PrintQueue(), json.loads(sys.argv[1]) if len(sys.argv) > 1 else {}))
