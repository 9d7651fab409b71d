"""An indicator's value, type and expiration are checked before anything is sent."""
from datetime import datetime

import pytest

from ansible_collections.msgraph.security.plugins.module_utils._core.errors import OptionError
from ansible_collections.msgraph.security.plugins.module_utils._resources.indicators import wanted

NOW = datetime(2026, 12, 2, 8, 0, 0)


def params(**given):
    return dict(dict(value=None, type='domain_name', action='block', title='t', description='d', state='present'), **given)


@pytest.mark.parametrize('kind, value', [
    ('file_sha256', 'a' * 64), ('file_sha1', 'B' * 40), ('file_md5', '0' * 32), ('certificate_thumbprint', 'c' * 40),
    ('ip_address', '203.0.113.7'), ('ip_address', '2001:db8::1'), ('domain_name', 'login.contoso-support.example'),
    ('url', 'https://login.contoso-support.example/path?q=1'),
])
def test_values_of_their_type_are_taken(kind, value):
    body = wanted(params(type=kind, value=value), NOW)
    assert body['indicatorValue'] == value and body['action'] == 'Block'


@pytest.mark.parametrize('kind, value', [
    ('file_sha256', 'a' * 63), ('file_sha1', 'g' * 40), ('ip_address', '203.0.113.0/24'), ('ip_address', '999.1.1.1'),
    ('domain_name', 'not a domain'), ('url', 'ftp://example.com/x'), ('url', 'example.com'),
])
def test_a_value_not_of_its_type_names_the_type(kind, value):
    with pytest.raises(OptionError, match='is not of type %s' % kind):
        wanted(params(type=kind, value=value), NOW)


def test_an_expiration_in_the_past_is_refused_and_a_future_one_is_sent_in_utc():
    with pytest.raises(OptionError, match='expiration 2026-12-01 is in the past'):
        wanted(params(value='contoso-support.example', expiration='2026-12-01'), NOW)
    body = wanted(params(value='contoso-support.example', expiration='2027-01-31T09:00:00+01:00', severity='high'), NOW)
    assert body['expirationTime'] == '2027-01-31T08:00:00Z' and body['severity'] == 'High'


def test_audit_always_alerts():
    assert wanted(params(value='contoso-support.example', action='audit'), NOW)['generateAlert'] is True
    with pytest.raises(OptionError, match='generate_alert=true'):
        wanted(params(value='contoso-support.example', action='audit', generate_alert=False), NOW)
