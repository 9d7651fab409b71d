# -*- coding: utf-8 -*-
# Copyright: contributors to the msgraph.security collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Internal to msgraph.security (not a public API): it may change in any release, even a bugfix one.
"""What a set of credentials can do with Graph, step by step (connection_info), from a table of
capabilities (rows, see capability.py): the engine knows no resource.

Each step is a check ``{name, ok, detail}``: ``ok`` is True or False, or None when the step could
not run (an earlier one failed, or a token that is not a JWT cannot be read). A failing step is
reported, not raised, so that one run shows every problem and what to fix. Only what makes the
run itself meaningless is raised: wrong options (OptionError, nothing was sent) and a missing
library. Nothing is written to Graph, and the token is never part of the result.

The first row decides the verdict (can_read, can_write, summary) and its probes are named as
they are (read, count ...); the probes of a later row are named ``<row name>_<probe>``.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.msgraph.security.plugins.module_utils._core.auth import METHOD_LABELS, MissingLibraryError
from ansible_collections.msgraph.security.plugins.module_utils._core.errors import (
    PERMISSION_HINT,
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
TOKEN_CHECKS = ('token', 'audience', 'permissions')


def _check(name, ok, detail):
    return dict(name=name, ok=ok, detail=detail)


class ConnectionCheck:
    """Runs the checks in order with one GraphClient; ``run()`` returns the module result."""

    def __init__(self, client, capabilities):
        self.client = client
        self.settings = client.settings
        self.rows = tuple(capabilities)
        self.primary = self.rows[0]
        self.checks = []
        self.claims = read_claims(None)
        # check name -> (row, probe), in the order the checks are reported
        self.probes = {}
        for index, row in enumerate(self.rows):
            for probe in row.probes:
                self.probes[probe if index == 0 else '%s_%s' % (row.name, probe)] = (row, probe)
        self.order = TOKEN_CHECKS + tuple(self.probes)

    def run(self):
        settings = self.settings
        result = dict(changed=False, auth_method=self.client.auth.method, cloud=settings.cloud,
                      graph_url=settings.graph_root, authority_host=settings.authority_host,
                      api_version=settings.api_version, token_audience=settings.token_audience)
        acquired = self._step('token', self._token)
        if acquired:
            if self.claims['expired']:
                # Graph decides, so the probes still run: they show what it answers to this token.
                self.checks[-1] = _check('token', False, self._expired())
            self.checks.append(self._audience())
            self.checks.append(self._permissions())
            for row in self.rows:
                self._probe_row(row)
        done = set(check['name'] for check in self.checks)
        for name in self.order:
            if name not in done:
                self.checks.append(_check(name, None, 'Needs a token.' if not acquired else
                                          'Needs the %s check to pass.' % self._check_name(self.probes[name][0], 'read')))
        self.checks.sort(key=lambda check: self.order.index(check['name']))
        capabilities = dict((row.name, dict(can_read=bool(self._ok(self._check_name(row, 'read'))),
                                            can_write=self._can_write(row))) for row in self.rows)
        result.update(token=self.claims, checks=self.checks, capabilities=capabilities,
                      can_read=capabilities[self.primary.name]['can_read'],
                      can_write=capabilities[self.primary.name]['can_write'])
        result['summary'] = self._summary(result)
        return result

    def _check_name(self, row, probe):
        return probe if row is self.primary else '%s_%s' % (row.name, probe)

    def _carried(self):
        """The permissions the token carries, application ones first; None when it cannot be read."""
        if self.claims['roles'] is None:
            return None
        return self.claims['roles'] + [scope for scope in self.claims['scopes'] if scope not in self.claims['roles']]

    def _can_write(self, row):
        carried = self._carried()
        if row.write_permission is None:  # a resource that is only read (hunting)
            return False
        return None if carried is None else row.write_permission in carried

    def _probe_row(self, row):
        for probe in row.probes:
            if not self._step(self._check_name(row, probe), lambda: getattr(self, '_' + probe)(row)) and probe == 'read':
                return

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

    def _source(self):
        method = self.client.auth.method
        return ('the access_token given' if method == 'access_token' else
                'a token (%s) for %s' % (METHOD_LABELS[method], self.settings.token_audience))

    def _token(self):
        self.claims = read_claims(self.client.auth.token())
        if self.claims['expires_on'] is None:
            return 'Using %s; it is not a JWT, so its claims cannot be shown.' % self._source()
        return 'Using %s, for app %s in tenant %s, valid until %s.' % (
            self._source(), self.claims['app_id'], self.claims['tenant_id'], self.claims['expires_on'])

    def _expired(self):
        fix = ('give a new access_token' if self.client.auth.method == 'access_token' else
               "Entra ID's clock and this host's disagree: set this host's clock right")
        return ("Using %s, for app %s in tenant %s, which expired at %s (by this host's clock), so Graph refuses it:"
                ' %s.' % (self._source(), self.claims['app_id'], self.claims['tenant_id'], self.claims['expires_on'], fix))

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
        carried, primary = self._carried(), self.primary
        if carried is None:
            return _check('permissions', None, 'The token is not a JWT, so its permissions cannot be read;'
                                               ' the read check tells whether %s can be read.' % primary.plural)
        if not set(carried) & set((primary.read_permission, primary.write_permission)):
            return _check('permissions', False, '%s. %s Permissions added without admin consent, or granted'
                          ' after this token was issued, are not in the token yet.' % (
                              'The token carries no application permission' if not carried else
                              'The token carries only %s' % ', '.join(carried), PERMISSION_HINT % primary.read_permission))
        wanted = []
        for row in self.rows:
            wanted.extend(name for name in (row.read_permission, row.write_permission) if name and name not in wanted)
        roles = self.claims['roles']
        delegated = [name for name in wanted if name in carried and name not in roles]
        detail = 'The token carries %s.' % ', '.join(
            name if name in roles else '%s (delegated)' % name for name in wanted if name in carried)
        if delegated:
            detail += ' Delegated permissions act for the signed-in user, whose own roles Graph checks as well.'
        for row in self.rows:
            if row.write_permission is None:
                if row.read_permission not in carried:
                    detail += ' %s cannot be run: that needs %s.' % (row.plural.capitalize(), row.read_permission)
            elif row.write_permission not in carried and row.read_permission in carried:
                detail += (' %s can be read, not changed: modules that write need %s with admin consent.'
                           % (row.plural.capitalize(), row.write_permission))
            elif row.write_permission not in carried:
                detail += ' %s cannot be read: that needs %s.' % (row.plural.capitalize(), row.read_permission)
        return _check('permissions', True, detail)

    def _read(self, row):
        if row.read_body is not None:
            self.client.request('POST', row.path, body=row.read_body, resend=True, permission=row.read_permission)
            return 'POST %s with a harmless %s answered.' % (row.path, row.singular)
        page = self.client.get(row.path, {'$top': 1}, permission=row.read_permission)
        found = len(page.get('value') or [])
        return 'GET %s?$top=1 answered with %s.' % (
            row.path, 'one %s' % row.singular if found else 'no %s (none exist)' % row.singular)

    def _count(self, row):
        page = self.client.get(row.path, {'$top': 1, '$count': 'true'}, permission=row.read_permission)
        count = page.get('@odata.count')
        if not isinstance(count, int):
            raise MsGraphError('Graph answered $count=true without @odata.count, so long listings are read one'
                               ' @odata.nextLink after the other instead of in parallel pages; a proxy in front'
                               ' of Graph (graph_url) may be removing $count.')
        return 'Graph counts %d %s, so long listings are read in parallel pages.' % (count, row.plural)

    def _batch(self, row):
        answer = self.client.batch([GraphRequest('GET', row.path + '?$top=1', permission=row.read_permission)])[0]
        if isinstance(answer, MsGraphError):
            raise answer
        return 'A $batch request answered, so %s asked by id are read 20 per request.' % row.plural

    def _evolvable_enums(self, row):
        field, value = row.evolvable
        self.client.get(row.path, {'$top': 1, '$filter': "%s eq '%s'" % (field, value)}, permission=row.read_permission)
        return ('Graph honours Prefer: include-unknown-enum-members: %s %s can be read'
                ' and filtered on, instead of arriving as unknownFutureValue.' % (field, value))

    # --- words -------------------------------------------------------------------------

    def _explain(self, name, error):
        """The error's own message (status, request-id, hint), plus what this step adds."""
        text = str(error)
        if name == 'token':
            return text
        row, probe = self.probes[name]
        if isinstance(error, UnauthorizedError) and self.claims['expired']:
            text += ' The token has expired (see the token check).'
        elif isinstance(error, UnauthorizedError):
            text += (' The token was %s; Graph of cloud=%s expects tokens for %s.' % (
                'given as access_token' if self.client.auth.method == 'access_token'
                else 'requested for %s' % self.settings.token_audience,
                self.settings.cloud, self.settings.graph_resource))
        elif isinstance(error, ForbiddenError) and row.read_permission in (self._carried() or ()):
            text += (' The token carries the permission, so the tenant may lack a %s'
                     ' license, or the permission was removed after the token was issued.' % row.product)
        elif probe == 'evolvable_enums':
            text += (' %s %s would arrive as unknownFutureValue: a proxy in front of Graph'
                     ' (graph_url) may be dropping the Prefer header.' % (row.evolvable[0].capitalize(), row.evolvable[1]))
        return text

    def _summary(self, result):
        failed = [check for check in self.checks if check['ok'] is False]
        plural, write = self.primary.plural, self.primary.write_permission
        if not result['can_read']:
            first = failed[0] if failed else _check('read', False, 'unknown')
            return 'NOT READY: %s cannot be read. The %s check failed: %s' % (plural, first['name'], first['detail'])
        who = 'app %s in tenant %s' % (self.claims['app_id'], self.claims['tenant_id']) if self.claims['app_id'] \
            else 'these credentials'
        if result['can_write']:
            rights = 'can read and change %s (%s)' % (plural, write)
        elif result['can_write'] is None:
            rights = 'can read %s (whether it may change them cannot be read from this token)' % plural
        else:
            rights = 'can read %s, but not change them (no %s)' % (plural, write)
        text = 'READY: %s %s through %s.' % (who, rights, self.settings.api_root)
        if failed:
            text += ' Warnings: %s.' % '; '.join('%s: %s' % (check['name'], check['detail']) for check in failed)
        return text


def check_connection(client, capabilities):
    """The connection_info result for a GraphClient and a table of Capability rows: see ConnectionCheck."""
    return ConnectionCheck(client, capabilities).run()
