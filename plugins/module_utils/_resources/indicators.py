# -*- coding: utf-8 -*-
# Copyright: contributors to the msgraph.security collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Internal to msgraph.security (not a public API): it may change in any release, even a bugfix one.
"""Defender for Endpoint indicators (``/api/indicators``), described once, and the ``indicator`` module's work.

An indicator is known by its value and type. ``POST /api/indicators`` creates or updates (so it may
be resent: the same body ends the same); Defender is known to misbehave when only the action of an
existing indicator changes, so a new action replaces the indicator (delete, then submit).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress
import re
from datetime import datetime

from ansible.module_utils.six.moves.urllib.parse import quote, urlsplit

from ansible_collections.msgraph.security.plugins.module_utils._core.errors import NotFoundError, OptionError
from ansible_collections.msgraph.security.plugins.module_utils._core.odata import odata_datetime, odata_string
from ansible_collections.msgraph.security.plugins.module_utils._core.skip_paging import list_by_skip

PATH = '/indicators'
PERMISSION = 'Ti.ReadWrite.All'
_HEX = dict((n, re.compile(r'^[0-9a-fA-F]{%d}\Z' % n)) for n in (32, 40, 64))
_DOMAIN = re.compile(r'^(?=.{1,253}\Z)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}\Z')


def _ip(value):
    try:
        ipaddress.ip_address(u'%s' % value)
        return True
    except ValueError:
        return False


def _url(value):
    parts = urlsplit(value)
    return parts.scheme in ('http', 'https') and bool(parts.netloc) and ' ' not in value


# option value -> (Defender's indicatorType, test of a value, what a value looks like)
TYPES = {
    'file_sha1': ('FileSha1', _HEX[40].match, '40 hexadecimal digits'),
    'file_sha256': ('FileSha256', _HEX[64].match, '64 hexadecimal digits'),
    'file_md5': ('FileMd5', _HEX[32].match, '32 hexadecimal digits'),
    'certificate_thumbprint': ('CertificateThumbprint', _HEX[40].match, '40 hexadecimal digits (the SHA-1 thumbprint)'),
    'ip_address': ('IpAddress', _ip, 'one IPv4 or IPv6 address, no range or CIDR'),
    'domain_name': ('DomainName', _DOMAIN.match, 'a domain name such as login.contoso-support.example'),
    'url': ('Url', _url, 'an http or https URL'),
}
ACTIONS = {'alert': 'Alert', 'warn': 'Warn', 'block': 'Block', 'audit': 'Audit', 'block_and_remediate': 'BlockAndRemediate',
           'alert_and_block': 'AlertAndBlock', 'allowed': 'Allowed'}
SEVERITIES = {'informational': 'Informational', 'low': 'Low', 'medium': 'Medium', 'high': 'High'}
# option -> Defender's field, for the fields a task may set besides value, type and action
FIELDS = {'title': 'title', 'description': 'description', 'severity': 'severity', 'expiration': 'expirationTime',
          'recommended_actions': 'recommendedActions', 'rbac_group_names': 'rbacGroupNames', 'generate_alert': 'generateAlert'}


def wanted(params, now=None):
    """The indicator the task describes, in Defender's names, checked: OptionError names the option."""
    kind, test, looks = TYPES[params['type']]
    value = (params.get('value') or '').strip()
    if not test(value):
        raise OptionError('value %r is not of type %s: it must be %s. Nothing was sent.' % (value, params['type'], looks))
    body = {'indicatorValue': value, 'indicatorType': kind}
    if params.get('state') == 'absent':
        return body
    body['action'] = ACTIONS[params['action']]
    for option, prop in FIELDS.items():
        if params.get(option) is not None:
            body[prop] = params[option]
    if body.get('severity'):
        body['severity'] = SEVERITIES[body['severity']]
    if body.get('expirationTime'):
        body['expirationTime'] = odata_datetime('expiration', body['expirationTime'])
        if body['expirationTime'] <= (now or datetime.utcnow()).strftime('%Y-%m-%dT%H:%M:%SZ'):
            raise OptionError('expiration %s is in the past: an indicator must expire later. Nothing was sent.'
                              % params['expiration'])
    if body['action'] == 'Audit' and body.get('generateAlert') is False:
        raise OptionError('action=audit needs generate_alert=true (Defender refuses an audit indicator that alerts no one).')
    if body['action'] == 'Audit':
        body['generateAlert'] = True
    return body


def find(client, body):
    """The indicators with this value and type (normally one)."""
    expression = 'indicatorValue eq %s and indicatorType eq %s' % (odata_string(body['indicatorValue']), odata_string(body['indicatorType']))
    return [i for i in list_by_skip(client, PATH, {'$filter': expression}, 10000, PERMISSION)
            if (i.get('indicatorValue') or '').lower() == body['indicatorValue'].lower()]


def _differs(current, body):
    """The fields of ``body`` whose value on the indicator is not the same."""
    out = []
    for prop, value in body.items():
        have = current.get(prop)
        if prop == 'expirationTime' and have:
            have = odata_datetime('expiration', have)
        if prop == 'rbacGroupNames':
            same = sorted(have or []) == sorted(value or [])
        elif prop == 'indicatorValue':
            same = (have or '').lower() == value.lower()
        else:
            same = have == value
        if not same:
            out.append(prop)
    return out


def apply(client, params, check_mode):
    defender = client.api('defender')
    body = wanted(params)
    found = find(defender, body)
    current = found[0] if found else None
    if params['state'] == 'absent':
        if not check_mode:
            for item in found:
                try:
                    defender.request('DELETE', '%s/%s' % (PATH, quote(str(item['id']), safe='')), permission=PERMISSION)
                except NotFoundError:
                    pass  # deleted meanwhile: the state asked for
        return dict(changed=bool(found), indicator=None, deleted_ids=[str(i['id']) for i in found],
                    diff=dict(before=dict((prop, current.get(prop)) for prop in body) if current else {}, after={}))
    if current is None:
        differs = list(body)
    else:
        differs = _differs(current, body)
    if not differs:
        return dict(changed=False, indicator=current, deleted_ids=[], diff=dict(before={}, after={}))
    merged = dict((prop, current.get(prop)) for prop in list(FIELDS.values()) if current and current.get(prop) is not None)
    merged.update(body)
    replaced = current is not None and 'action' in differs
    after = merged
    if not check_mode:
        if replaced:
            defender.request('DELETE', '%s/%s' % (PATH, quote(str(current['id']), safe='')), permission=PERMISSION)
        after = defender.request('POST', PATH, body=merged, resend=True, permission=PERMISSION)
    return dict(changed=True, indicator=after, deleted_ids=[str(current['id'])] if replaced else [],
                diff=dict(before=dict((prop, current.get(prop)) for prop in differs) if current else {},
                          after=dict((prop, merged.get(prop)) for prop in differs)))
