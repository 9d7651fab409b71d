# -*- coding: utf-8 -*-
# Copyright: contributors to the msgraph.security collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
name: hunting
short_description: The rows of a Microsoft Defender advanced hunting query (KQL), inline
version_added: 1.2.0
description:
  - Runs one advanced hunting query through Microsoft Graph (C(POST /security/runHuntingQuery)) and
    returns its rows, each a dict of column name to value, for loops and C(set_fact).
  - Use C(query) (or C(lookup) with C(wantlist=true)) to always get a list. For the column types and
    the row count use the M(msgraph.security.hunting_query) module.
  - A lookup runs again at every use and for every host, and each run counts against the tenant's
    hunting quota; to run a query once, use it in a C(set_fact) task with C(run_once).
author:
  - msgraph.security maintainers (!UNKNOWN)
requirements:
  - msal
  - requests
options:
  _terms:
    description: The query, in Kusto Query Language (KQL). Exactly one.
    type: list
    elements: str
    required: true
  timespan:
    description:
      - The period covered, an ISO 8601 interval such as V(P7D) or V(2026-05-01T00:00:00Z/2026-05-04T00:00:00Z)
        (the forms of the module's O(msgraph.security.hunting_query#module:timespan)).
      - Unset, the last 30 days.
    type: str
extends_documentation_fragment:
  - msgraph.security.connection
  - msgraph.security.connection.plugins
seealso:
  - module: msgraph.security.hunting_query
'''

EXAMPLES = r'''
- name: The devices that saw a file in the last 7 days, read once per play
  ansible.builtin.set_fact:
    devices: "{{ query('msgraph.security.hunting', kql, timespan='P7D') }}"
  vars:
    kql: 'DeviceFileEvents | where SHA256 == "f072101a13c903643e433f3eba481e3803b7624956fc226caac61d22875d3cbf" | distinct DeviceName, DeviceId | take 100'
  run_once: true

- name: Act on each of them
  ansible.builtin.debug:
    msg: "{{ item.DeviceName }} ({{ item.DeviceId }})"
  loop: "{{ devices }}"
'''

RETURN = r'''
_raw:
  description: The rows of the query, in the order Graph returns them.
  type: list
  elements: dict
'''

try:  # ansible-core 2.19+: the task being run; older cores hide a no_log task's failure themselves
    from ansible._internal._task import TaskContext
except ImportError:
    TaskContext = None

from ansible_collections.msgraph.security.plugins.module_utils._core.errors import OptionError
from ansible_collections.msgraph.security.plugins.module_utils._resources.hunting import check_query, run_hunting_query
from ansible_collections.msgraph.security.plugins.plugin_utils._controller.graph_lookup import GraphLookup


class LookupModule(GraphLookup):

    def lookup(self, terms, options, client):
        if len(terms) != 1:
            raise OptionError('give exactly one query (KQL) as the term; %d were given.' % len(terms))
        query = check_query(terms[0])
        return run_hunting_query(client(), query, options.get('timespan'), secret=_task_is_no_log())['results']


def _task_is_no_log():
    if TaskContext is None:
        return False
    try:
        context = TaskContext.current(optional=True)
        return bool(context and context.task.no_log)
    except (AttributeError, TypeError, RuntimeError):
        return True  # a core whose private API moved: withhold Graph's message rather than risk the query
