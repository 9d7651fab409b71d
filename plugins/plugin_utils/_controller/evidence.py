# -*- coding: utf-8 -*-
# Copyright: contributors to the msgraph.security collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Internal to msgraph.security (not a public API): it may change in any release, even a bugfix one.
"""The entities of alerts' evidence, deduplicated across alerts (the ``evidence`` filter's logic).

Pure Python: bad input raises TypeError, which the filter turns into AnsibleFilterError. Evidence is
dispatched on its exact ``@odata.type``; a type not known here is kept whole under ``other``, never
dropped. An entity named by several alerts appears once, with every alert id that names it; where the
alerts disagree on a field, the first value that is set wins (a list such as ip_addresses is merged).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import json
from collections.abc import Mapping

from ansible.module_utils.six import string_types

_PREFIX = '#microsoft.graph.security.'
ALERT_TYPE = _PREFIX + 'alert'
INCIDENT_TYPE = _PREFIX + 'incident'
KINDS = ('devices', 'users', 'files', 'ips', 'urls', 'mailboxes', 'processes', 'other')


def _get(item, *path):
    """The value at ``path`` in nested dicts, or None when any step is missing or null."""
    for key in path:
        if not isinstance(item, Mapping):
            return None
        item = item.get(key)
    return item


def _lower(value):
    return value.lower() if isinstance(value, string_types) else value


def _user(account):
    return dict(user_principal_name=_get(account, 'userPrincipalName'), azure_ad_user_id=_get(account, 'azureAdUserId'),
                account_name=_get(account, 'accountName'), domain_name=_get(account, 'domainName'),
                sid=_get(account, 'userSid'), display_name=_get(account, 'displayName'))


def _user_key(account):
    domain_account = None
    if _get(account, 'accountName'):
        domain_account = '%s\\%s' % (_lower(_get(account, 'domainName')) or '', _lower(_get(account, 'accountName')))
    return _first(_get(account, 'azureAdUserId'), _get(account, 'userSid'), _lower(_get(account, 'userPrincipalName')),
                  domain_account)


def _file(details):
    return dict(sha256=_get(details, 'sha256'), sha1=_get(details, 'sha1'), md5=_get(details, 'md5'),
                name=_get(details, 'fileName'), path=_get(details, 'filePath'), size=_get(details, 'fileSize'))


def _file_key(details):
    named = None
    if _get(details, 'fileName'):
        named = '%s|%s' % (_lower(_get(details, 'filePath')) or '', _lower(_get(details, 'fileName')))
    return _first(_lower(_get(details, 'sha256')), _lower(_get(details, 'sha1')), _lower(_get(details, 'md5')), named)


def _first(*values):
    for value in values:
        if value not in (None, ''):
            return value
    return None


def _device(ev):
    return dict(mde_device_id=ev.get('mdeDeviceId'), azure_ad_device_id=ev.get('azureAdDeviceId'),
                dns_name=ev.get('deviceDnsName'), os_platform=ev.get('osPlatform'), risk_score=ev.get('riskScore'),
                health_status=ev.get('healthStatus'), ip_addresses=list(ev.get('ipInterfaces') or []))


def _process(ev):
    return dict(process_id=ev.get('processId'), command_line=ev.get('processCommandLine'),
                created=ev.get('processCreationDateTime'), mde_device_id=ev.get('mdeDeviceId'),
                detection_status=ev.get('detectionStatus'), image_file=_file(ev.get('imageFile')),
                parent_process_id=ev.get('parentProcessId'), parent_image_file=_file(ev.get('parentProcessImageFile')),
                user=_user(ev.get('userAccount')) if ev.get('userAccount') else None)


def _process_key(ev):
    if ev.get('processId') is not None:
        return '%s|%s|%s' % (_lower(ev.get('mdeDeviceId')), ev.get('processId'), ev.get('processCreationDateTime'))
    return _first(ev.get('processCommandLine'))


# @odata.type -> (the kind it goes under, its entity, its identity: None when nothing identifies it).
_TYPES = {
    _PREFIX + 'deviceEvidence': ('devices', _device, lambda ev: _first(
        _lower(ev.get('mdeDeviceId')), _lower(ev.get('azureAdDeviceId')), _lower(ev.get('deviceDnsName')))),
    _PREFIX + 'userEvidence': ('users', lambda ev: _user(ev.get('userAccount')), lambda ev: _user_key(ev.get('userAccount'))),
    _PREFIX + 'fileEvidence': ('files', lambda ev: dict(_file(ev.get('fileDetails')), detection_status=ev.get('detectionStatus'),
                                                        mde_device_ids=[ev['mdeDeviceId']] if ev.get('mdeDeviceId') else []),
                               lambda ev: _file_key(ev.get('fileDetails'))),
    _PREFIX + 'ipEvidence': ('ips', lambda ev: dict(address=ev.get('ipAddress'), country=ev.get('countryLetterCode')),
                             lambda ev: _lower(ev.get('ipAddress'))),
    _PREFIX + 'urlEvidence': ('urls', lambda ev: dict(url=ev.get('url')), lambda ev: ev.get('url')),
    _PREFIX + 'mailboxEvidence': ('mailboxes', lambda ev: dict(
        primary_address=ev.get('primaryAddress'), upn=ev.get('upn'), display_name=ev.get('displayName'),
        user=_user(ev.get('userAccount')) if ev.get('userAccount') else None),
        lambda ev: _first(_lower(ev.get('primaryAddress')), _lower(ev.get('upn')))),
    _PREFIX + 'processEvidence': ('processes', _process, _process_key),
}


def _odata_type(ev):
    """The item's @odata.type with its leading '#' (some clients drop it)."""
    name = ev.get('@odata.type')
    return '#' + name.lstrip('#') if isinstance(name, string_types) else name


def _other_key(ev):
    return json.dumps(dict((k, v) for k, v in ev.items() if k != 'createdDateTime'), sort_keys=True, default=str)


def _merge(into, entity):
    """Fill what ``into`` lacks from ``entity``; lists are merged, each member once."""
    for key, value in entity.items():
        if isinstance(into.get(key), list) and isinstance(value, list):
            into[key].extend(v for v in value if v not in into[key])
        elif isinstance(into.get(key), dict) and isinstance(value, dict):
            _merge(into[key], value)
        elif into.get(key) in (None, '', []):
            into[key] = value


def _alert(item, where):
    """``item`` when it is an alert (it carries evidence, or says it is an alert), else TypeError."""
    if isinstance(item, Mapping) and ('evidence' in item or item.get('@odata.type') == ALERT_TYPE):
        return item
    raise TypeError('%s is not an alert (no evidence key): %r.' % (where, item))


def _alerts_of(subject, where, nested=False):
    """The alerts in ``subject`` (an incident with alerts, an alert, or a list of either)."""
    if isinstance(subject, Mapping):
        if 'alerts' in subject:
            alerts = subject.get('alerts')
            if not isinstance(alerts, (list, tuple)):
                raise TypeError('%s has alerts=%r, not a list of alerts: read the incident with expand_alerts: true.'
                                % (where, alerts))
            return [_alert(item, '%s, alert %d,' % (where, n)) for n, item in enumerate(alerts)]
        if 'evidence' in subject or subject.get('@odata.type') == ALERT_TYPE:
            return [subject]
        if subject.get('@odata.type') == INCIDENT_TYPE or 'incidentWebUrl' in subject:
            raise TypeError('%s is an incident without alerts (id %s): read it with expand_alerts: true.'
                            % (where, subject.get('id')))
        hint = ' (a registered incident_info result: give it result.incidents)' if 'incidents' in subject else ''
        raise TypeError('%s is neither an incident with alerts nor an alert: a dict with the keys %s%s.'
                        % (where, ', '.join(sorted(str(k) for k in subject)) or 'none', hint))
    if isinstance(subject, (list, tuple)) and not nested:
        return [alert for n, item in enumerate(subject) for alert in _alerts_of(item, '%s, item %d,' % (where, n), True)]
    raise TypeError('%s must be an incident (with alerts), an alert, or a list of them, not %s %r.'
                    % (where, type(subject).__name__, subject))


def entities(subject):
    """{kind: [entity with alert_ids]} for every kind in KINDS, from the evidence of the alerts in ``subject``."""
    found = dict((kind, []) for kind in KINDS)
    by_key = {}
    for alert in _alerts_of(subject, 'The input'):
        alert_id = alert.get('id')
        evidence = alert.get('evidence') or []
        if not isinstance(evidence, (list, tuple)):
            raise TypeError('Alert %s has evidence=%r, not a list.' % (alert_id, evidence))
        for n, ev in enumerate(evidence):
            if not isinstance(ev, Mapping):
                raise TypeError('Alert %s evidence item %d is %r, not a dict.' % (alert_id, n, ev))
            kind, make, key_of = _TYPES.get(_odata_type(ev), ('other', copy.deepcopy, _other_key))
            key = key_of(ev)
            entity = by_key.get((kind, key)) if key is not None else None
            if entity is None:
                entity = dict(make(ev), alert_ids=[])
                found[kind].append(entity)
                if key is not None:
                    by_key[(kind, key)] = entity
            else:
                _merge(entity, make(ev))
            if alert_id is not None and alert_id not in entity['alert_ids']:
                entity['alert_ids'].append(alert_id)
    return found
