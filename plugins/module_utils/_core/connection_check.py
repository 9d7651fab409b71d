# -*- coding: utf-8 -*-
# Copyright: contributors to the msgraph.security collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Internal to msgraph.security (not a public API): it may change in any release, even a bugfix one.
"""What a set of credentials can do with Graph security incidents, step by step (connection_info).

Each step is a check ``{name, ok, detail}``: ``ok`` is True or False, or None when the step could
not run (an earlier one failed, or a token that is not a JWT cannot be read). A failing step is
reported, not raised, so that one run shows every problem and what to fix. Only what makes the
run itself meaningless is raised: wrong options (OptionError, nothing was sent) and a missing
library. Nothing is written to Graph, and the token is never part of the result.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.msgraph.security.plugins.module_utils._core.auth import METHOD_LABELS, MissingLibraryError
from ansible_collections.msgraph.security.plugins.module_utils._core.errors import (
    PERMISSION_HINT,
    READ_PERMISSION,
    WRITE_PERMISSION,
    ForbiddenError,
    MsGraphError,
    OptionError,
    UnauthorizedError,
)
from ansible_collections.msgraph.security.plugins.module_utils._core.graph_client import GraphRequest
from ansible_collections.msgraph.security.plugins.module_utils._core.settings import CLOUDS
from ansible_collections.msgraph.security.plugins.module_utils._core.token_claims import read_claims

# Graph's application id: Entra ID may put it in aud instead of the Graph URL.
GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000'
INCIDENTS = '/security/incidents'
CHECKS = ('token', 'audience', 'permissions', 'read', 'count', 'batch', 'evolvable_enums')


def _check(name, ok, detail):
    return dict(name=name, ok=ok, detail=detail)


class ConnectionCheck:
    """Runs the checks in order with one GraphClient; ``run()`` returns the module result."""

    def __init__(self, client):
        self.client = client
        self.settings = client.settings
        self.checks = []
        self.claims = read_claims(None)

    def run(self):
        settings = self.settings
        result = dict(changed=False, auth_method=self.client.auth.method, cloud=settings.cloud,
                      graph_url=settings.graph_root, authority_host=settings.authority_host,
                      api_version=settings.api_version, token_audience=settings.token_audience)
        if self._step('token', self._token):
            self.checks.append(self._audience())
            self.checks.append(self._permissions())
            if self._step('read', self._read):
                for name, step in (('count', self._count), ('batch', self._batch),
                                   ('evolvable_enums', self._evolvable_enums)):
                    self._step(name, step)
        done = set(check['name'] for check in self.checks)
        reason = 'Needs a token.' if not self._ok('token') else 'Needs the read check to pass.'
        self.checks.extend(_check(name, None, reason) for name in CHECKS if name not in done)
        roles = self.claims['roles']
        result.update(token=self.claims, checks=self.checks, can_read=bool(self._ok('read')),
                      can_write=None if roles is None else WRITE_PERMISSION in roles)
        result['summary'] = self._summary(result)
        return result

    # --- steps -------------------------------------------------------------------------

    def _step(self, name, step):
        """Run one step; a Graph or Entra ID failure becomes a failed check, bad options propagate."""
        try:
            detail = step()
        except (OptionError, MissingLibraryError):
            raise
        except MsGraphError as error:
            self.checks.append(_check(name, False, self._explain(name, error)))
            return False
        self.checks.append(_check(name, True, detail))
        return True

    def _ok(self, name):
        return next((check['ok'] for check in self.checks if check['name'] == name), None)

    def _token(self):
        method = self.client.auth.method
        self.claims = read_claims(self.client.auth.token())
        source = ('the access_token given' if method == 'access_token' else
                  'a token (%s) for %s' % (METHOD_LABELS[method], self.settings.token_audience))
        if self.claims['expires_on'] is None:
            return 'Using %s; it is not a JWT, so its claims cannot be shown.' % source
        return 'Using %s, for app %s in tenant %s, valid until %s.' % (
            source, self.claims['app_id'], self.claims['tenant_id'], self.claims['expires_on'])

    def _audience(self):
        audience, expected = self.claims['audience'], self.settings.graph_resource
        if audience is None:
            return _check('audience', None, 'The token is not a JWT, so its audience cannot be read.')
        if audience.rstrip('/') in (expected, GRAPH_APP_ID):
            return _check('audience', True, 'The token is for %s, the Graph of cloud=%s.' % (audience, self.settings.cloud))
        other = [name for name, (graph, dummy) in sorted(CLOUDS.items()) if graph == audience.rstrip('/')]
        if other:
            fix = ('The token is for the Graph of cloud=%s; set cloud=%s (MSGRAPH_CLOUD) to use that cloud,'
                   ' or use credentials of a tenant in cloud=%s.' % (other[0], other[0], self.settings.cloud))
        elif self.settings.audience_overridden and self.client.auth.method != 'access_token':
            fix = ('token_audience (MSGRAPH_TOKEN_AUDIENCE) asks for it; unset it unless the endpoint in'
                   ' graph_url really expects that audience.')
        else:
            fix = 'Acquire the token for %s/.default.' % expected
        return _check('audience', False, 'The token is for %s, but Microsoft Graph of cloud=%s accepts only tokens'
                      ' for %s. %s' % (audience, self.settings.cloud, expected, fix))

    def _permissions(self):
        roles = self.claims['roles']
        if roles is None:
            return _check('permissions', None, 'The token is not a JWT, so its permissions cannot be read;'
                                               ' the read check tells whether incidents can be read.')
        granted = [role for role in (READ_PERMISSION, WRITE_PERMISSION) if role in roles]
        if not granted:
            return _check('permissions', False, '%s. %s Permissions added without admin consent, or granted'
                          ' after this token was issued, are not in the token yet.' % (
                              'The token carries no application permission' if not roles else
                              'The token carries only %s' % ', '.join(roles), PERMISSION_HINT % READ_PERMISSION))
        detail = 'The token carries %s.' % ', '.join(granted)
        if WRITE_PERMISSION not in granted:
            detail += (' Incidents can be read, not changed: modules that write need %s with admin consent.'
                       % WRITE_PERMISSION)
        return _check('permissions', True, detail)

    def _read(self):
        page = self.client.get(INCIDENTS, {'$top': 1}, permission=READ_PERMISSION)
        found = len(page.get('value') or [])
        return 'GET %s?$top=1 answered with %s.' % (INCIDENTS, 'one incident' if found else 'no incident (none exist)')

    def _count(self):
        page = self.client.get(INCIDENTS, {'$top': 1, '$count': 'true'}, permission=READ_PERMISSION)
        count = page.get('@odata.count')
        if not isinstance(count, int):
            raise MsGraphError('Graph answered $count=true without @odata.count, so long listings are read one'
                               ' @odata.nextLink after the other instead of in parallel pages; a proxy in front'
                               ' of Graph (graph_url) may be removing $count.')
        return 'Graph counts %d incidents, so long listings are read in parallel pages.' % count

    def _batch(self):
        answer = self.client.batch([GraphRequest('GET', INCIDENTS + '?$top=1', permission=READ_PERMISSION)])[0]
        if isinstance(answer, MsGraphError):
            raise answer
        return 'A $batch request answered, so incidents asked by id are read 20 per request.'

    def _evolvable_enums(self):
        self.client.get(INCIDENTS, {'$top': 1, '$filter': "status eq 'awaitingAction'"}, permission=READ_PERMISSION)
        return ('Graph honours Prefer: include-unknown-enum-members: status awaitingAction can be read'
                ' and filtered on, instead of arriving as unknownFutureValue.')

    # --- words -------------------------------------------------------------------------

    def _explain(self, name, error):
        """The error's own message (status, request-id, hint), plus what this step adds."""
        text = str(error)
        if name == 'token':
            return text
        if isinstance(error, UnauthorizedError):
            text += (' The token was %s; Graph of cloud=%s expects tokens for %s.' % (
                'given as access_token' if self.client.auth.method == 'access_token'
                else 'requested for %s' % self.settings.token_audience,
                self.settings.cloud, self.settings.graph_resource))
        elif isinstance(error, ForbiddenError) and self._ok('permissions'):
            text += (' The token carries the permission, so the tenant may lack a Microsoft Defender XDR'
                     ' license, or the permission was removed after the token was issued.')
        elif name == 'evolvable_enums':
            text += (' Status awaitingAction would arrive as unknownFutureValue: a proxy in front of Graph'
                     ' (graph_url) may be dropping the Prefer header.')
        return text

    def _summary(self, result):
        failed = [check for check in self.checks if check['ok'] is False]
        if not result['can_read']:
            first = failed[0] if failed else _check('read', False, 'unknown')
            return 'NOT READY: incidents cannot be read. The %s check failed: %s' % (first['name'], first['detail'])
        who = 'app %s in tenant %s' % (self.claims['app_id'], self.claims['tenant_id']) if self.claims['app_id'] \
            else 'these credentials'
        if result['can_write']:
            rights = 'can read and change incidents (%s)' % WRITE_PERMISSION
        elif result['can_write'] is None:
            rights = 'can read incidents (whether it may change them cannot be read from this token)'
        else:
            rights = 'can read incidents, but not change them (no %s)' % WRITE_PERMISSION
        text = 'READY: %s %s through %s.' % (who, rights, self.settings.api_root)
        if failed:
            text += ' Warnings: %s.' % '; '.join('%s: %s' % (check['name'], check['detail']) for check in failed)
        return text


def check_connection(client):
    """The connection_info result for a GraphClient: see ConnectionCheck."""
    return ConnectionCheck(client).run()
