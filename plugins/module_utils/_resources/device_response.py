# -*- coding: utf-8 -*-
# Copyright: contributors to the msgraph.security collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Internal to msgraph.security (not a public API): it may change in any release, even a bugfix one.
"""The work of the device modules: read the machines and their action history, decide per device
what must be asked for, ask (once), follow, and say per device what happened in words a comment can
quote. ``device`` brings devices to a containment state; ``device_action`` runs one-shot actions;
``device_info`` only reads.

Every device is tried; a device whose action cannot be asked for, fails, or does not end within
``wait_timeout`` is listed in ``failed`` and the task fails after all were tried.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.msgraph.security.plugins.module_utils._core.errors import OptionError, ResponseFailedError
from ansible_collections.msgraph.security.plugins.module_utils._resources import machine_actions as actions
from ansible_collections.msgraph.security.plugins.module_utils._resources.machines import device_of_machine, list_machines, resolve_devices

# option -> {value: (machine action type, scope)}
CONTAINMENT = {
    'isolation': {'full': ('Isolate', 'Full'), 'selective': ('Isolate', 'Selective'), 'released': ('Unisolate', None)},
    'app_execution': {'restricted': ('RestrictCodeExecution', None), 'unrestricted': ('UnrestrictCodeExecution', None)},
}
ONE_SHOT = {'run_antivirus_scan': 'RunAntiVirusScan', 'collect_investigation_package': 'CollectInvestigationPackage'}
SCAN_TYPES = ('quick', 'full')


def machines_of(client, params):
    return resolve_devices(client.api('defender'), params.get('device_ids'), params.get('device_names'), params.get('devices'))


def states(history):
    """A machine's containment as its action history shows it: isolation, app_execution, pending actions."""
    state, scope, dummy = actions.family_state(history, 'isolation')
    restriction, dummy, dummy = actions.family_state(history, 'app_execution')
    return dict(isolation=scope.lower() if state == 'isolated' and scope else state, app_execution=restriction,
                pending=[actions.summary(a) for a in history if a.get('status') in actions.ACTIVE])


def describe(client, params):
    """device_info: the machines, each with its containment state."""
    defender = client.api('defender')
    if params.get('filter'):
        machines = list_machines(defender, params['filter'])
    else:
        machines = machines_of(client, params)
    found = actions.history(defender, [m['id'] for m in machines], ['isolation', 'app_execution'])
    devices = [dict(device_of_machine(m), id=m['id'], **states(found.get(m['id'], []))) for m in machines]
    return dict(changed=False, devices=devices)


def contain(client, params, check_mode):
    """device: bring each device to the isolation and app_execution the task names."""
    wanted = [(option,) + CONTAINMENT[option][params[option]] for option in CONTAINMENT if params.get(option)]
    return _respond(client, params, check_mode, wanted, True)


def one_shot(client, params, check_mode):
    """device_action: run a scan or collect a package, unless the same one is still pending."""
    kind = ONE_SHOT[params['action']]
    scope = params['scan_type'].capitalize() if kind == 'RunAntiVirusScan' else None
    if params.get('scan_type') and kind != 'RunAntiVirusScan':
        raise OptionError('scan_type goes with action=run_antivirus_scan only.')
    return _respond(client, params, check_mode, [('action', kind, scope)], False)


def _respond(client, params, check_mode, wanted, desired_state):
    comment = (params.get('comment') or '').strip()
    if not comment:
        raise OptionError('comment is required and may not be blank: Defender records it with every action.')
    if params.get('wait') and params['wait_timeout'] < 1:
        raise OptionError('wait_timeout=%s: with wait=true it must be 1 second or more.' % params['wait_timeout'])
    defender = client.api('defender')
    machines = machines_of(client, params)
    families = list(dict.fromkeys(actions.KINDS[kind].family for dummy, kind, dummy in wanted))
    found = actions.history(defender, [m['id'] for m in machines], families)
    results, followed = [], {}
    for machine in machines:
        history = found.get(machine['id'], [])
        result = dict(id=machine['id'], dns_name=machine.get('computerDnsName'), actions=[], outcomes=[], changed=False,
                      failed=False)
        for option, type_, scope in wanted:
            _one(defender, machine, history, actions.KINDS[type_], scope, comment, check_mode, desired_state, result, followed)
        results.append(result)
    if params.get('wait') and followed and not check_mode:
        actions.follow(defender, followed, params['wait_timeout'])
    return _finish(found, results, followed, params, desired_state, check_mode)


def _one(defender, machine, history, kind, scope, comment, check_mode, desired_state, result, followed):
    """Decide and, unless in check mode, ask for one action on one device; records it in ``result``."""
    state, current_scope, active = actions.family_state(history, kind.family)
    asked = actions.words(kind, scope)
    if active:
        if active.get('type') == kind.type and (not kind.scope_key or active.get('scope') == scope):
            result['actions'].append(dict(actions.summary(active), requested=False, kind=kind.type))
            followed[active['id']] = active
            return
        _fail(result, 'cannot %s: a %s action (%s) is still %s on it; it must end or be cancelled first'
              % (asked, active.get('type'), active.get('id'), active.get('status')))
        return
    if desired_state and state == kind.state and (not kind.scope_key or current_scope == scope):
        result['outcomes'].append('already %s, nothing sent' % actions.words(kind, scope, done=True))
        return
    if desired_state and kind.type == 'Isolate' and state == 'isolated':
        _fail(result, 'cannot %s: it is isolated (%s); release it from isolation first' % (asked, (current_scope or '').lower()))
        return
    if check_mode:
        result['changed'] = True
        result['actions'].append(dict(id=None, type=kind.type, scope=scope, status='planned', requested=False, kind=kind.type))
        result['outcomes'].append('planned: %s' % asked)
        return
    known = set(a.get('id') for a in history)
    try:
        action, requested = actions.request(defender, machine, kind, scope, comment, known)
    except actions.ActionFailed as error:
        _fail(result, 'could not %s: %s' % (asked, error))
        return
    result['changed'] = result['changed'] or requested
    result['actions'].append(dict(actions.summary(action), requested=requested, kind=kind.type))
    followed[action['id']] = action


def _fail(result, text):
    result['failed'] = True
    result['outcomes'].append('FAILED: %s' % text)


def _finish(found, results, followed, params, desired_state, check_mode):
    for result in results:
        for entry in result['actions']:
            kind = actions.KINDS[entry.pop('kind')]
            if entry['status'] != 'planned':
                entry.update(actions.summary(followed[entry['id']]))
                result['outcomes'].append(_outcome(kind, entry, params))
                result['failed'] = result['failed'] or result['outcomes'][-1].startswith('FAILED')
        if desired_state:
            history = found.get(result['id'], [])
            known = set(a.get('id') for a in history)
            result.update(states(history + [followed[a['id']] for a in result['actions'] if a['id'] in followed and a['id'] not in known]))
            if check_mode:  # the state the planned actions would reach
                result.update((option, params[option]) for option in CONTAINMENT if params.get(option) and result['changed'])
        result['summary'] = '%s (%s): %s' % (result['dns_name'], result['id'], '; '.join(result['outcomes']))
    failed = [dict(id=r['id'], dns_name=r['dns_name'], summary=r['summary']) for r in results if r['failed']]
    answer = dict(changed=any(r['changed'] for r in results), devices=results, failed_devices=failed,
                  action_ids=[a['id'] for r in results for a in r['actions'] if a.get('requested')])
    if desired_state:
        answer['diff'] = _diff(found, results, params)
    if failed:
        raise ResponseFailedError('%d of %d devices failed (the others were tried): %s' % (
                                  len(failed), len(results), ' | '.join(f['summary'] for f in failed)), **answer)
    return answer


def _outcome(kind, entry, params):
    """What became of one action, in the words the device's summary (and a triage comment) quotes."""
    earlier = '' if entry['requested'] else ', requested earlier'
    if entry['status'] == 'Succeeded':
        return '%s: action %s Succeeded%s' % (actions.words(kind, entry['scope'], done=True), entry['id'], earlier)
    asked = actions.words(kind, entry['scope'])
    if entry['status'] in actions.FINAL:
        return 'FAILED: %s: action %s %s%s' % (asked, entry['id'], entry['status'], earlier)
    if params.get('wait'):
        return 'FAILED: %s: action %s still %s after wait_timeout (%ss)%s' % (
            asked, entry['id'], entry['status'], params['wait_timeout'], earlier)
    return '%s requested: action %s %s, not waited for%s' % (asked, entry['id'], entry['status'], earlier)


def _diff(found, results, params):
    """before/after by device id: the containment options the task sets, as they were and as they are."""
    before, after = {}, {}
    for result in results:
        was = states(found.get(result['id'], []))
        for option in CONTAINMENT:
            if params.get(option) and was[option] != result[option]:
                before.setdefault(result['id'], {})[option] = was[option]
                after.setdefault(result['id'], {})[option] = result[option]
    return dict(before=before, after=after)
