# -*- coding: utf-8 -*-
# Copyright: contributors to the msgraph.security collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Internal to msgraph.security (not a public API): it may change in any release, even a bugfix one.
"""The ``user`` module's work: contain Entra ID users through Graph - disable sign-in, revoke sessions,
confirm compromise or dismiss risk - reading first, so that only what differs is done.

The account state and the risk state are shown by Graph, so those parts are idempotent; revoking
sessions is an action each time it is asked for, and says so. Each part names its own permission
when Graph answers 403; every user is tried and the failures are listed.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible.module_utils.six import string_types
from ansible.module_utils.six.moves.urllib.parse import quote

from ansible_collections.msgraph.security.plugins.module_utils._core.errors import MsGraphError, NotFoundError, OptionError, ResponseFailedError
from ansible_collections.msgraph.security.plugins.module_utils._core.graph_client import GraphRequest

READ = 'User.Read.All'
ENABLE = 'User.EnableDisableAccount.All'
REVOKE = 'User.RevokeSessions.All'
RISK_READ = 'IdentityRiskyUser.Read.All'
RISK_WRITE = 'IdentityRiskyUser.ReadWrite.All'
RISKY = '/identityProtection/riskyUsers'
MAX_RISK_IDS = 60  # userIds per confirmCompromised / dismiss call
# risk option -> (Graph action, the riskState it sets, the states in which nothing is left to do)
RISK = {
    'compromised': ('confirmCompromised', 'confirmedCompromised', ('confirmedCompromised',)),
    'dismissed': ('dismiss', 'dismissed', ('none', 'dismissed', 'remediated', 'confirmedSafe')),
}
RISK_WORDS = {'compromised': ('confirm the compromise', 'compromise confirmed (risk high)'),
              'dismissed': ('dismiss the risk', 'risk dismissed')}
GUID = re.compile(r'^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}\Z')
UPN = re.compile(r'^[^@\s/\\?#%\'"]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\Z')
SELECT = '$select=id,userPrincipalName,displayName,accountEnabled'


def targets(params):
    """The user ids and UPNs the task names, each checked, in order, once."""
    given = [('user_ids', value) for value in params.get('user_ids') or []]
    for n, user in enumerate(params.get('users') or []):
        if not isinstance(user, dict) or not (user.get('azure_ad_user_id') or user.get('user_principal_name')):
            raise OptionError('users[%d] is not a user of msgraph.security.evidence (a dict with azure_ad_user_id or'
                              ' user_principal_name). Nothing was sent.' % n)
        given.append(('users[%d]' % n, user.get('azure_ad_user_id') or user['user_principal_name']))
    for option, value in given:
        if not isinstance(value, string_types) or not (GUID.match(value) or UPN.match(value)):
            raise OptionError('%s: %r is neither a user object id (a GUID) nor a user principal name such as'
                              ' meganb@contoso.com. Nothing was sent.' % (option, value))
    return list(dict.fromkeys(value for dummy, value in given))


def contain(client, params, check_mode):
    if params.get('account_enabled') is None and not params.get('revoke_sessions') and not params.get('risk'):
        raise OptionError('Set account_enabled, revoke_sessions or risk: without them the task asks for nothing.')
    asked = targets(params)
    read = client.get_batch(['/users/%s?%s' % (quote(value, safe='@'), SELECT) for value in asked], permission=READ)
    missing = [(value, answer) for value, answer in zip(asked, read.values()) if isinstance(answer, NotFoundError)]
    if missing:
        raise OptionError('No Entra ID user %s. Nothing was sent.' % '; '.join('%s (%s)' % item for item in missing))
    users = list(dict((u['id'], u) for u in read.values()).values())
    risk = params.get('risk')
    states = _risk_states(client, users) if risk else {}
    results = [dict(id=u['id'], user_principal_name=u.get('userPrincipalName'), display_name=u.get('displayName'),
                    account_enabled=u.get('accountEnabled'), risk_state=states.get(u['id']), sessions_revoked=False,
                    outcomes=[], changed=False, failed=False) for u in users]
    before = dict((r['id'], dict(account_enabled=r['account_enabled'], risk_state=r['risk_state'])) for r in results)
    _account(client, results, params.get('account_enabled'), check_mode)
    if params.get('revoke_sessions'):
        _revoke(client, results, check_mode)
    if risk:
        _risk(client, results, risk, check_mode)
    for result in results:
        result['summary'] = '%s (%s): %s' % (result['user_principal_name'], result['id'], '; '.join(result['outcomes']))
    diff = dict(before={}, after={})
    for result in results:
        for key in ('account_enabled', 'risk_state'):
            if before[result['id']][key] != result[key]:
                diff['before'].setdefault(result['id'], {})[key] = before[result['id']][key]
                diff['after'].setdefault(result['id'], {})[key] = result[key]
    failed = [dict(id=r['id'], user_principal_name=r['user_principal_name'], summary=r['summary']) for r in results if r['failed']]
    answer = dict(changed=any(r['changed'] for r in results), users=results, failed_users=failed, diff=diff)
    if failed:
        raise ResponseFailedError('%d of %d users failed (the others were tried): %s' % (
                                  len(failed), len(results), ' | '.join(f['summary'] for f in failed)), **answer)
    return answer


def _risk_states(client, users):
    """{user id: riskState}; a user Identity Protection has no record of (404) is at no risk: 'none'."""
    answers = client.get_batch(['%s/%s' % (RISKY, quote(u['id'], safe='')) for u in users], permission=RISK_READ)
    return dict((u['id'], 'none' if isinstance(a, NotFoundError) else a.get('riskState'))
                for u, a in zip(users, answers.values()))


def _account(client, results, enabled, check_mode):
    if enabled is None:
        return
    word = 'enable the account' if enabled else 'disable the account'
    todo = []
    for result in results:
        if result['account_enabled'] == enabled:
            result['outcomes'].append('account already %s, nothing sent' % ('enabled' if enabled else 'disabled'))
        else:
            todo.append(result)
    answers = [{}] * len(todo) if check_mode else _batch(
        client, [GraphRequest('PATCH', '/users/%s' % quote(r['id'], safe=''), {'accountEnabled': enabled}, permission=ENABLE)
                 for r in todo], len(todo))
    for result, answer in zip(todo, answers):
        if _done(result, answer, word, 'account %s' % ('enabled' if enabled else 'disabled'), check_mode):
            result['account_enabled'] = enabled


def _revoke(client, results, check_mode):
    answers = [{}] * len(results) if check_mode else _batch(
        client, [GraphRequest('POST', '/users/%s/revokeSignInSessions' % quote(r['id'], safe=''), permission=REVOKE)
                 for r in results], len(results))
    for result, answer in zip(results, answers):
        result['sessions_revoked'] = _done(result, answer, 'revoke the sign-in sessions', 'sign-in sessions revoked',
                                           check_mode) and not check_mode


def _risk(client, results, risk, check_mode):
    action, state, settled = RISK[risk]
    asked, done = RISK_WORDS[risk]
    todo = []
    for result in results:
        if result['risk_state'] in settled:
            result['outcomes'].append('risk state already %s, nothing sent' % result['risk_state'])
        else:
            todo.append(result)
    for start in range(0, len(todo), MAX_RISK_IDS):
        part = todo[start:start + MAX_RISK_IDS]
        answer = {}
        if not check_mode:
            try:
                # Setting a risk state twice ends the same: this POST may be resent.
                client.request('POST', '%s/%s' % (RISKY, action), body={'userIds': [r['id'] for r in part]},
                               resend=True, permission=RISK_WRITE)
            except MsGraphError as error:
                answer = error
        for result in part:
            if _done(result, answer, asked, done, check_mode):
                result['risk_state'] = state


def _batch(client, graph_requests, count):
    """The answers of ``graph_requests`` in order; a failure of the whole $batch is every request's answer."""
    if not graph_requests:
        return []
    try:
        return client.batch(graph_requests)
    except MsGraphError as error:
        return [error] * count


def _done(result, answer, asked, done, check_mode):
    """Record one part's outcome on a user: planned, done, or failed with Graph's words. True unless it failed."""
    if isinstance(answer, MsGraphError):
        result['failed'] = True
        result['outcomes'].append('FAILED: %s: %s' % (asked, answer))
        return False
    result['changed'] = True
    result['outcomes'].append('planned: %s' % asked if check_mode else done)
    return True
