# -*- coding: utf-8 -*-
# Copyright: contributors to the msgraph.security collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Internal to msgraph.security (not a public API): it may change in any release, even a bugfix one.
"""Reads the claims of an access token, for diagnostics only.

Entra ID's access tokens are JWTs today, but Microsoft documents them as opaque to clients:
their format may change and they may be encrypted. So nothing here verifies a signature and no
auth decision is ever based on what is read; Graph decides. connection_info shows the claims so
that a user sees which tenant, app, audience and permissions a token carries. The token itself
is never returned, logged or put into an error message.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import datetime
import json
import time

from ansible.module_utils.six import string_types

# The claims connection_info returns, all None when the token cannot be read.
NO_CLAIMS = dict(audience=None, tenant_id=None, app_id=None, roles=None, scopes=None, expires_on=None, expired=None)


def payload(token):
    """The claims of a JWS token as a dict, or None (diagnostics and expiry only; never a verification)."""
    parts = (token or '').split('.')
    if len(parts) != 3:  # not a JWS (a JWE has 5 parts, an opaque token 1)
        return None
    segment = parts[1]
    try:
        raw = base64.urlsafe_b64decode((segment + '=' * (-len(segment) % 4)).encode('ascii'))
        claims = json.loads(raw.decode('utf-8'))
    except (ValueError, TypeError, UnicodeError):
        return None
    return claims if isinstance(claims, dict) else None


def _expires_on(value):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        moment = datetime.datetime(1970, 1, 1) + datetime.timedelta(seconds=int(value))
    except (OverflowError, ValueError):
        return None
    return moment.strftime('%Y-%m-%dT%H:%M:%SZ')


def read_claims(token, now=None):
    """The claims that matter of an access token: audience, tenant_id, app_id, roles (the application
    permissions granted), scopes (the delegated permissions of a user's token, from its space-separated
    scp claim), expires_on (ISO 8601, UTC) and expired (whether exp is past, by this host's clock, or
    by ``now``). Every value is None when the token is not a readable JWT; roles and scopes are [] for
    a JWT without the claim (no permission of that kind granted)."""
    claims = payload(token)
    if claims is None:
        return dict(NO_CLAIMS)
    roles = claims.get('roles')
    scopes = claims.get('scp')
    audience = claims.get('aud')
    expires_on = _expires_on(claims.get('exp'))
    return dict(
        audience=audience if isinstance(audience, string_types) else None,
        tenant_id=claims.get('tid'),
        # v1.0 tokens name the app appid, v2.0 tokens azp.
        app_id=claims.get('appid') or claims.get('azp'),
        roles=[role for role in roles if isinstance(role, string_types)] if isinstance(roles, list) else [],
        scopes=scopes.split() if isinstance(scopes, string_types) else [],
        expires_on=expires_on,
        expired=None if expires_on is None else claims['exp'] <= (time.time() if now is None else now),
    )
