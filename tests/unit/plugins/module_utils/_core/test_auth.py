"""Choosing the auth method, and reading certificate files (no network needed)."""
import datetime

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from ansible_collections.msgraph.security.plugins.module_utils._core.auth import (
    ClientCredentials, ManagedIdentity, StaticToken, load_certificate, select_authenticator)
from ansible_collections.msgraph.security.plugins.module_utils._core.errors import MsGraphError
from ansible_collections.msgraph.security.plugins.module_utils._core.settings import Settings


from ..option_values import options

APP = dict(tenant_id='8f3c1d52-6a4e-4c1b-9d7e-2b5a0e4f7c19', client_id='1b0f9a4e-0000-4000-8000-000000000001')
SECRET = 'S3cr3t-value-never-shown'


def select(**values):
    settings = Settings(options(**values))
    return select_authenticator(settings, session=None)


def test_access_token_needs_no_tenant_and_wins_over_a_secret_from_the_environment():
    auth = select(access_token='eyJ0eXAi.token', client_secret=SECRET, **APP)
    assert isinstance(auth, StaticToken) and auth.token() == 'eyJ0eXAi.token'


def test_secret_selects_client_credentials():
    auth = select(client_secret=SECRET, **APP)
    assert isinstance(auth, ClientCredentials) and auth.method == 'client_secret'


def test_managed_identity_is_chosen_explicitly():
    assert isinstance(select(managed_identity=True), ManagedIdentity)


@pytest.mark.parametrize('values, named', [
    (dict(client_secret=SECRET, client_certificate_path='/x.pem'), ['client_secret', 'client_certificate_path']),
    (dict(client_secret=SECRET, managed_identity=True), ['client_secret', 'managed_identity']),
    (dict(access_token='t', client_secret=SECRET, client_certificate_path='/x.pem'),
     ['client_secret', 'client_certificate_path']),
])
def test_conflicts_fail_with_one_message_naming_them(values, named):
    with pytest.raises(MsGraphError) as error:
        select(**dict(APP, **values))
    message = str(error.value)
    assert 'Conflicting credentials' in message
    for name in named:
        assert name in message
    assert SECRET not in message


def test_nothing_set_names_every_way_to_authenticate():
    with pytest.raises(MsGraphError) as error:
        select()
    message = str(error.value)
    for name in ('client_secret (AZURE_CLIENT_SECRET or AZURE_SECRET)', 'AZURE_CLIENT_CERTIFICATE_PATH',
                 'tenant_id (AZURE_TENANT_ID or AZURE_TENANT)', 'AZURE_CLIENT_ID', 'MSGRAPH_ACCESS_TOKEN',
                 'managed_identity'):
        assert name in message


def test_secret_without_tenant_says_what_is_missing():
    with pytest.raises(MsGraphError, match=r'client_secret needs tenant_id \(AZURE_TENANT_ID or AZURE_TENANT\)'):
        select(client_secret=SECRET, client_id='x')


@pytest.fixture(scope='module')
def key_and_cert():
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, 'msgraph-security-test')])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now)
            .not_valid_after(now + datetime.timedelta(days=1)).sign(key, hashes.SHA256()))
    return key, cert.public_bytes(serialization.Encoding.PEM)


def write_pem(tmp_path, key, cert_pem, password=None, name='app.pem'):
    encryption = (serialization.BestAvailableEncryption(password.encode()) if password
                  else serialization.NoEncryption())
    key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption)
    path = tmp_path / name
    path.write_bytes(key_pem + cert_pem)
    return str(path)


def test_certificate_with_encrypted_key_loads(tmp_path, key_and_cert):
    path = write_pem(tmp_path, *key_and_cert, password='pem-pass-123')
    credential = load_certificate(path, 'pem-pass-123')
    assert credential['private_key'].startswith('-----BEGIN PRIVATE KEY-----')
    assert credential['public_certificate'] == key_and_cert[1].decode()


@pytest.mark.parametrize('password, expected', [
    ('wrong-pass', 'could not be decrypted'),
    (None, 'the private key is encrypted; set client_certificate_password'),
])
def test_wrong_or_missing_password_is_explained_without_the_content(tmp_path, key_and_cert, password, expected):
    path = write_pem(tmp_path, *key_and_cert, password='pem-pass-123')
    with pytest.raises(MsGraphError) as error:
        load_certificate(path, password)
    assert expected in str(error.value)
    assert 'BEGIN' not in str(error.value) and 'pem-pass-123' not in str(error.value)


def test_pem_without_key_or_cert_or_file(tmp_path, key_and_cert):
    key, cert_pem = key_and_cert
    only_cert = tmp_path / 'cert.pem'
    only_cert.write_bytes(cert_pem)
    with pytest.raises(MsGraphError, match='holds no private key'):
        load_certificate(str(only_cert), None)
    with pytest.raises(MsGraphError, match='cannot be read'):
        load_certificate(str(tmp_path / 'absent.pem'), None)


def test_key_of_another_certificate_is_refused(tmp_path, key_and_cert):
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    path = write_pem(tmp_path, other, key_and_cert[1])
    with pytest.raises(MsGraphError, match='does not belong to the certificate'):
        load_certificate(path, None)


def test_unknown_resource_hint_names_the_cloud_when_no_audience_was_set():
    from ansible_collections.msgraph.security.plugins.module_utils._core.auth import _unknown_resource, audience_hint
    from ansible_collections.msgraph.security.plugins.module_utils._core.settings import Settings

    from ..option_values import options
    assert _unknown_resource({'error': 'invalid_scope', 'error_description': '400, AADSTS500011: The resource'})
    assert _unknown_resource({'error': 'invalid_resource'}) and _unknown_resource({'error_codes': [500011]})
    assert not _unknown_resource({'error': 'invalid_client', 'error_codes': [7000215]})
    hint = audience_hint(Settings(options(cloud='usgov', graph_url='https://proxy.example')))
    assert hint == ('The token was requested for the Graph of cloud=usgov (https://graph.microsoft.us); check that'
                    ' cloud (MSGRAPH_CLOUD or AZURE_CLOUD_ENVIRONMENT) is the cloud the tenant lives in (graph_url'
                    ' only says where requests are sent).')
