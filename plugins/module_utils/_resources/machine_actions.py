# -*- coding: utf-8 -*-
# Copyright: contributors to the msgraph.security collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Internal to msgraph.security (not a public API): it may change in any release, even a bugfix one.
"""Defender for Endpoint machine actions, described once: what each is, how it is asked for safely,
how a machine's state is read from them, and how an action is followed until it ends.

Every action is asynchronous: ``POST /api/machines/{id}/<verb>`` answers 201 with a machineAction in
status Pending, and the device carries it out when it is online. A machine has no isolation or
restriction property: its state is the newest action of the kind that Succeeded. A second request
of the same family while one is pending is refused (400 ActiveRequestAlreadyExists), and duplicate
requests are known to misbehave (defender-endpoint-response.md), so nothing is requested twice: the
history is read first, an action request is never resent, and a lost answer is looked for.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import time
from collections import namedtuple

from ansible.module_utils.six.moves.urllib.parse import quote

from ansible_collections.msgraph.security.plugins.module_utils._core.errors import (
    AnswerLostError,
    GraphApiError,
    MsGraphError,
)
from ansible_collections.msgraph.security.plugins.module_utils._core.odata import odata_string
from ansible_collections.msgraph.security.plugins.module_utils._core.skip_paging import chunks, list_by_skip

PATH = '/machineactions'
READ_PERMISSION = 'Machine.Read.All'
PAGE_SIZE = 10000
ACTIVE = ('Pending', 'InProgress')
FINAL = ('Succeeded', 'Failed', 'TimeOut', 'Cancelled')

# One action a task may ask for. family: the actions of which only one may be pending on a machine;
# scope_key: the body key carrying ``scope``; state: the state a Succeeded action leaves (None: none).
Kind = namedtuple('Kind', ['type', 'verb', 'family', 'permission', 'scope_key', 'state', 'asked', 'done'])

KINDS = dict((kind.type, kind) for kind in (
    Kind('Isolate', 'isolate', 'isolation', 'Machine.Isolate', 'IsolationType', 'isolated', 'isolate', 'isolated'),
    Kind('Unisolate', 'unisolate', 'isolation', 'Machine.Isolate', None, 'released', 'release from isolation',
         'released from isolation'),
    Kind('RestrictCodeExecution', 'restrictCodeExecution', 'app_execution', 'Machine.RestrictExecution', None,
         'restricted', 'restrict app execution', 'app execution restricted'),
    Kind('UnrestrictCodeExecution', 'unrestrictCodeExecution', 'app_execution', 'Machine.RestrictExecution', None,
         'unrestricted', 'remove the app execution restriction', 'app execution restriction removed'),
    Kind('RunAntiVirusScan', 'runAntiVirusScan', 'scan', 'Machine.Scan', 'ScanType', None, 'run an antivirus scan',
         'antivirus scan run'),
    Kind('CollectInvestigationPackage', 'collectInvestigationPackage', 'collection', 'Machine.CollectForensics', None,
         None, 'collect an investigation package', 'investigation package collected'),
))
FAMILIES = {}
for _kind in KINDS.values():
    FAMILIES.setdefault(_kind.family, []).append(_kind.type)

# What a machine is before any action of the family ever Succeeded.
NEVER_ACTED = {'isolation': 'released', 'app_execution': 'unrestricted'}

# Following an action: the first look after a second, then less often, never more than every 5 s.
POLL_DELAYS = (1.0, 1.0, 2.0, 3.0, 5.0)


class ActionFailed(MsGraphError):
    """One device's action could not be asked for or did not end well; the others go on."""


def words(kind, scope, done=False):
    """'isolate (full)', 'isolated (full)', 'run an antivirus scan (quick)': an action in a comment's words."""
    text = kind.done if done else kind.asked
    return '%s (%s)' % (text, scope.lower()) if scope else text


def history(client, machine_ids, families):
    """{machine id: [actions of ``families``, oldest first]} for every machine, 20 machines per request."""
    types = [t for family in families for t in FAMILIES[family]]
    found = dict((machine_id, []) for machine_id in machine_ids)
    for chunk in chunks(list(machine_ids)):
        expression = '(%s) and (%s)' % (' or '.join('machineId eq %s' % odata_string(m) for m in chunk),
                                        ' or '.join('type eq %s' % odata_string(t) for t in types))
        for action in list_by_skip(client, PATH, {'$filter': expression}, PAGE_SIZE, READ_PERMISSION):
            found.setdefault(action.get('machineId'), []).append(action)
    for actions in found.values():
        actions.sort(key=lambda a: (a.get('creationDateTimeUtc') or '', a.get('id') or ''))
    return found


def family_state(actions, family):
    """(state, scope, active action or None) of one family on one machine, from its history.

    The state is what the newest Succeeded action left ('isolated' with its scope, 'released', ...);
    with none, the device was never isolated or restricted: 'released' / 'unrestricted'.
    """
    state, scope, active = NEVER_ACTED.get(family), None, None
    for action in actions:
        if KINDS.get(action.get('type')) is None or KINDS[action['type']].family != family:
            continue
        if action.get('status') == 'Succeeded':
            state, scope = KINDS[action['type']].state, action.get('scope')
        elif action.get('status') in ACTIVE:
            active = action
    return state, scope, active


def request(client, machine, kind, scope, comment, known_ids):
    """Ask Defender for one action on one machine: the machineAction, and whether this request made it.

    Never sent twice. When the answer is lost (or a 5xx leaves it unknown), the machine's history is
    read again and an action of this type that was not there before is taken as this request's. An
    action of the family already pending (400 ActiveRequestAlreadyExists) is returned, not requested.
    Any other refusal (403 naming the permission, 404, 400) is this device's ActionFailed.
    """
    body = {'Comment': comment}
    if kind.scope_key:
        body[kind.scope_key] = scope
    path = '/machines/%s/%s' % (quote(machine['id'], safe=''), kind.verb)
    try:
        return client.request('POST', path, body=body, permission=kind.permission), True
    except GraphApiError as error:
        if error.status == 400 and error.details.get('code') == 'ActiveRequestAlreadyExists':
            state, dummy, active = family_state(history(client, [machine['id']], [kind.family])[machine['id']], kind.family)
            if active:
                return active, False
            raise ActionFailed('Defender answered that an action is already in progress on %s, but none is listed'
                               ' (%s).' % (machine.get('computerDnsName'), error))
        if not error.transient or error.status == 429:
            raise ActionFailed(str(error), **error.details)
        lost = error
    except AnswerLostError as error:
        lost = error
    fresh = [a for a in history(client, [machine['id']], [kind.family])[machine['id']]
             if a.get('id') not in known_ids and a.get('type') == kind.type]
    if fresh:
        return fresh[-1], True
    raise ActionFailed('%s The machine\'s action history shows no new %s action, so it was not applied yet or is not'
                       ' visible yet; it was not requested again. Run the task again: it reads the history first.'
                       % (lost, kind.type))


def follow(client, actions, timeout, sleep=time.sleep, clock=time.monotonic):
    """Read ``actions`` ({id: action}) again until each is final or ``timeout`` seconds passed; updates them
    in place. One request per 20 actions per look."""
    deadline = clock() + timeout
    delays = list(POLL_DELAYS)
    while True:
        active = [action_id for action_id, action in actions.items() if action.get('status') not in FINAL]
        left = deadline - clock()
        if not active or left <= 0:
            return
        sleep(min(delays.pop(0) if len(delays) > 1 else delays[0], left))
        for chunk in chunks(active):
            expression = ' or '.join('id eq %s' % odata_string(action_id) for action_id in chunk)
            for action in list_by_skip(client, PATH, {'$filter': expression}, PAGE_SIZE, READ_PERMISSION):
                if action.get('id') in actions:
                    actions[action['id']] = action


def summary(action):
    """An action as a module returns it: what it is and where it stands, snake_case."""
    return dict(id=action.get('id'), type=action.get('type'), scope=action.get('scope'), status=action.get('status'),
                requestor=action.get('requestor'), created=action.get('creationDateTimeUtc'),
                last_update=action.get('lastUpdateDateTimeUtc') or action.get('lastUpdateTimeUtc'))
