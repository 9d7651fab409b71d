# -*- coding: utf-8 -*-
# Copyright: contributors to the msgraph.security collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Internal to msgraph.security (not a public API): it may change in any release, even a bugfix one.
"""Chooses how to authenticate from the options given, and gets tokens through MSAL.

msal is imported only when a token must be acquired, so a run with access_token never
pays for it.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import traceback

from ansible_collections.msgraph.security.plugins.module_utils._core import discovery_cache
from ansible_collections.msgraph.security.plugins.module_utils._core.connection_options import describe
from ansible_collections.msgraph.security.plugins.module_utils._core.errors import (
    AuthenticationError,
    MsGraphError,
    OptionError,
)
from ansible_collections.msgraph.security.plugins.module_utils._core.msal_apps import cache_key, forget, get_or_make
from ansible_collections.msgraph.security.plugins.module_utils._core.msal_http import (
    MsalHttpClient,
    describe_answer,
    is_error_answer,
    quiet_msal_logging,
)
from ansible_collections.msgraph.security.plugins.module_utils._core.transport import requests, transport_error

# Where MSAL looks for a managed identity endpoint (App Service, Arc, Cloud Shell, VM pod identity).
MANAGED_IDENTITY_ENV = ('IDENTITY_ENDPOINT', 'IDENTITY_HEADER', 'IDENTITY_SERVER_THUMBPRINT', 'IMDS_ENDPOINT',
                        'MSI_ENDPOINT', 'MSI_SECRET', 'AZURE_POD_IDENTITY_AUTHORITY_HOST')


class MissingLibraryError(MsGraphError):
    """A Python library the chosen auth method needs is not installed."""

    def __init__(self, library, tb):
        super(MissingLibraryError, self).__init__(
            'The Python library %s is required for this authentication method. Install it on the'
            ' controller (pip install %s) or use an execution environment built with this'
            " collection's requirements." % (library, library))
        self.library = library
        self.traceback = tb


def _import_msal():
    try:
        import msal
    except ImportError:
        raise MissingLibraryError('msal', traceback.format_exc())
    return msal


# How each authenticator's ``method`` is shown in messages; the ids are what connection_info returns.
METHOD_LABELS = {
    'client_secret': 'client secret',
    'certificate': 'certificate',
    'managed_identity': 'managed identity',
    'access_token': 'access token',
}
# Entra ID's answer when the resource asked for does not exist in the tenant (AADSTS500011).
UNKNOWN_RESOURCE_CODE = 500011


class StaticToken:
    """access_token: a ready bearer token for Graph; nothing to acquire, nothing to renew."""

    method = 'access_token'

    def __init__(self, token, audience=None):
        self._token = token
        self._audience = audience

    def token(self, audience=None):
        if audience is not None and audience != self._audience:
            # A ready token is for one resource: sending a Graph token to another API would hand
            # it to a service it is not meant for, and that API would refuse it anyway.
            raise OptionError(
                '%s is a Microsoft Graph token, and a token for %s is needed here; it is not sent there.'
                ' Authenticate with client_secret, client_certificate_path or managed_identity instead,'
                ' so that a token can be requested for each API.' % (describe('access_token'), audience))
        return self._token

    def renew(self, audience=None):
        return False


class _MsalAuthenticator:
    """Shared by the MSAL flows. The MSAL application (and the tokens it caches) is kept per
    process for the same connection settings (msal_apps), so that a lookup evaluated once per
    loop item does not ask Entra ID again for each item.

    One application serves every API of the connection: its token cache holds a token per
    audience, each reused until it nears expiry and each renewed on its own after a 401.
    """

    method = None
    _endpoint_hint = ''

    def __init__(self, settings, session):
        self.settings = settings
        self.session = session
        self._entry = None

    def _app_spec(self):
        """The keyword arguments the MSAL application is built with (part of the cache key)."""
        raise NotImplementedError

    def _token_spec(self, audience):
        """The keyword arguments of acquire_token_for_client for a token for ``audience``."""
        raise NotImplementedError

    def _make_app(self, msal, http_client, cache):
        raise NotImplementedError

    def _describe_request(self, audience):
        raise NotImplementedError

    _key = None

    def _cache_key(self):
        # Computed once: token() runs before every Graph request, and the settings do not change.
        # The application and its cache serve every API of the connection; the Graph audience
        # stays in the key so that connections asking for different Graph resources stay apart.
        if self._key is None:
            self._key = cache_key(*self.settings_parts())
        return self._key

    def settings_parts(self):
        """Everything that determines this connection's tokens (the credential included: only digests of it are kept)."""
        return (self.method, self._app_spec(), self.settings.token_audience, self.settings.verify, self.settings.proxy)

    def token(self, audience=None):
        """A valid token. MSAL answers from its cache and renews the token shortly before it
        expires, so a long-running caller (the event source) never sends an expired one."""
        msal = _import_msal()
        audience = audience or self.settings.token_audience
        what = self._describe_request(audience)
        key = self._cache_key()
        http_client = None
        try:
            with quiet_msal_logging():
                if self._entry is None:
                    self._entry = get_or_make(key, lambda: self._new_entry(msal))
                app, http_client = self._entry[:2]
                http_client.session, http_client.last = self.session, None
                result = app.acquire_token_for_client(**self._token_spec(audience))
        except requests.exceptions.HTTPError as exc:
            # MSAL raises for a 5xx from the token endpoint; say it like any other answer.
            self._forget(key)
            raise self._bad_answer(what, exc.response, exc, transient=True)
        except requests.exceptions.RequestException as exc:
            self._forget(key)
            raise transport_error(exc, what)
        except (ValueError, msal.exceptions.MsalError) as exc:
            # ValueError: an answer that is not JSON, or an OpenID configuration that cannot be
            # read; MsalServiceError: Entra ID answered 5xx (which may pass).
            self._forget(key)
            last = http_client.last if http_client is not None else self._last_made
            raise self._bad_answer(what, last, exc, transient=isinstance(exc, msal.exceptions.MsalServiceError))
        if not result or 'access_token' not in result:
            result = result or {}
            last = http_client.last
            self._forget(key)  # a failed application is not kept for the next lookup
            if 'error' not in result or (last is not None and not is_error_answer(last)):
                raise self._bad_answer(what, last, None, transient=False, json_object_ok=False)
            message = '%s failed: %s: %s' % (what, result.get('error'),
                                             result.get('error_description', 'no description'))
            if _unknown_resource(result):
                message += ' ' + audience_hint(self.settings, audience)
            raise AuthenticationError(message, code=result.get('error'), correlation_id=result.get('correlation_id'))
        return result['access_token']

    _last_made = None

    def _new_entry(self, msal):
        http_client = MsalHttpClient(self.session)
        # Our own cache object, so that renew() can drop one audience's token from it.
        cache = msal.TokenCache()
        self._last_made = None
        try:
            return self._make_app(msal, http_client, cache), http_client, cache
        finally:
            # When building fails (OpenID discovery), its last answer explains why.
            self._last_made = http_client.last

    def _forget(self, key):
        self._entry = None
        forget(key)

    def _bad_answer(self, what, response, exc, transient, json_object_ok=True):
        answer = describe_answer(response, json_object_ok)
        if answer is None:
            reason = str(exc) if exc is not None else 'the answer holds neither a token nor an error'
            error = AuthenticationError('%s failed: %s' % (what, reason))
        else:
            error = AuthenticationError(
                '%s failed: %s where a JSON answer was expected. %s' % (what, answer, self._endpoint_hint))
        error.transient = transient or (response is not None and response.status_code >= 500)
        return error

    def renew(self, audience=None):
        """Forget the token for ``audience`` (the API said it expired) so that the next call gets
        a new one; the tokens of the other APIs stay."""
        if self._entry is not None:
            cache = self._entry[2]
            for entry in list(cache.search(cache.CredentialType.ACCESS_TOKEN,
                                           target=self._target(audience or self.settings.token_audience))):
                cache.remove_at(entry)
        return True

    def _target(self, audience):
        """How MSAL's cache names a token for ``audience`` (its scopes, or its resource)."""
        raise NotImplementedError


def _unknown_resource(result):
    """Entra ID (or the managed identity endpoint, which only passes on text) knows no such resource."""
    return any((result.get('error') == 'invalid_resource',
                UNKNOWN_RESOURCE_CODE in (result.get('error_codes') or ()),
                'AADSTS%d' % UNKNOWN_RESOURCE_CODE in (result.get('error_description') or '')))


def audience_hint(settings, audience=None):
    """What to fix when Entra ID does not know the resource a token was asked for."""
    other = [endpoint for endpoint in settings.endpoints.values()
             if endpoint.name != 'graph' and endpoint.audience == audience]
    if other:
        return ('The token was requested for %s of cloud=%s (%s); check that %s is the cloud the tenant'
                ' lives in and that %s is available to it (%s only says where requests are sent).'
                % (other[0].label, settings.cloud, audience, describe('cloud'), other[0].label, other[0].url_option))
    if settings.audience_overridden:
        return ('The token was requested for %s because %s says so; Entra ID knows no such resource in'
                ' this tenant. Unset token_audience so that the token is for the Graph of cloud=%s (%s),'
                ' or set it to the Application ID URI of an API registered in the tenant.'
                % (settings.token_audience, describe('token_audience'), settings.cloud, settings.graph_resource))
    return ('The token was requested for the Graph of cloud=%s (%s); check that %s is the cloud the'
            ' tenant lives in (graph_url only says where requests are sent).'
            % (settings.cloud, settings.graph_resource, describe('cloud')))


class ClientCredentials(_MsalAuthenticator):
    """client_secret or client_certificate_path, through msal.ConfidentialClientApplication."""

    _endpoint_hint = ('Something other than Entra ID answered: check authority_host and cloud, and any proxy'
                      ' or captive portal on the way.')

    def __init__(self, settings, session, credential, method):
        super(ClientCredentials, self).__init__(settings, session)
        self._credential = credential
        self.method = method

    def _describe_request(self, audience):
        return 'Token request to %s for client_id %s (%s)%s' % (
            self.settings.authority_host, self.settings.options.get('client_id'), METHOD_LABELS[self.method],
            _for_other(self.settings, audience))

    def _app_spec(self):
        return dict(client_id=self.settings.options.get('client_id'), client_credential=self._credential,
                    authority='%s/%s' % (self.settings.authority_host, self.settings.options.get('tenant_id')))

    def _token_spec(self, audience):
        return dict(scopes=self._target(audience))

    def _target(self, audience):
        return [audience + '/.default']

    def _make_app(self, msal, http_client, cache):
        kept = discovery_cache.load() if self.settings.options.get('discovery_cache') else None
        before = discovery_cache.stamps(kept) if kept is not None else None
        app = msal.ConfidentialClientApplication(
            http_client=http_client,
            token_cache=cache,
            # The authority is the configured one (cloud or authority_host); asking
            # login.microsoftonline.com to vouch for it would fail for national/private hosts.
            instance_discovery=False,
            http_cache=kept,
            **self._app_spec())
        # MSAL reads the OpenID configuration when the application is made: write the file only when it fetched it.
        if kept is not None and discovery_cache.stamps(kept) != before:
            discovery_cache.save(kept)
        return app


class ManagedIdentity(_MsalAuthenticator):
    """managed_identity=true, through msal.ManagedIdentityClient."""

    method = 'managed_identity'
    _endpoint_hint = ('Something other than a managed identity endpoint answered: check IDENTITY_ENDPOINT (or'
                      ' the instance metadata service) and any proxy on the way.')

    def _describe_request(self, audience):
        return 'Managed identity token request (%s)%s' % (
            'user-assigned, client_id %s' % self.settings.options.get('client_id')
            if self.settings.options.get('client_id') else 'system-assigned', _for_other(self.settings, audience))

    def _app_spec(self):
        # MSAL finds the endpoint (and its secret header) in the environment.
        endpoint = dict((name, os.environ.get(name)) for name in MANAGED_IDENTITY_ENV)
        return dict(client_id=self.settings.options.get('client_id'), endpoint=endpoint)

    def _token_spec(self, audience):
        return dict(resource=audience)

    def _target(self, audience):
        return [audience]

    def _make_app(self, msal, http_client, cache):
        client_id = self.settings.options.get('client_id')
        identity = (msal.UserAssignedManagedIdentity(client_id=client_id) if client_id
                    else msal.SystemAssignedManagedIdentity())
        return msal.ManagedIdentityClient(identity, http_client=http_client, token_cache=cache)


def _for_other(settings, audience):
    """' for <resource>' when the token is not Graph's, so that messages say which API it was for."""
    return '' if audience in (None, settings.token_audience) else ' for %s' % audience


def load_certificate(path, password):
    """Read a PEM holding a private key and its certificate into MSAL's credential format.

    Errors name the file and the problem, never its content.
    """
    try:
        from cryptography import x509
        from cryptography.hazmat.primitives import serialization
    except ImportError:
        raise MissingLibraryError('cryptography', traceback.format_exc())
    try:
        with open(path, 'rb') as handle:
            data = handle.read()
    except (IOError, OSError) as exc:
        raise OptionError('client_certificate_path=%s cannot be read: %s' % (path, exc.strerror or exc))
    if b'PRIVATE KEY-----' not in data:
        raise OptionError('client_certificate_path=%s holds no private key: the PEM file must contain'
                          ' the private key and the certificate.' % path)
    if b'-----BEGIN CERTIFICATE-----' not in data:
        raise OptionError('client_certificate_path=%s holds no certificate: the PEM file must contain'
                          ' the private key and the certificate registered on the app.' % path)
    try:
        key = serialization.load_pem_private_key(
            data, password=password.encode('utf-8') if password else None)
    except TypeError:
        if password:
            raise OptionError('client_certificate_path=%s: the private key is not encrypted; unset'
                              ' client_certificate_password.' % path)
        raise OptionError('client_certificate_path=%s: the private key is encrypted; set %s.'
                          % (path, describe('client_certificate_password')))
    except ValueError:
        raise OptionError('client_certificate_path=%s: the private key could not be decrypted or read;'
                          ' check client_certificate_password and the file format (PEM).' % path)
    try:
        certificate = x509.load_pem_x509_certificate(data)
    except ValueError:
        raise OptionError('client_certificate_path=%s: the certificate could not be read (PEM expected).' % path)
    public_format = (serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    if key.public_key().public_bytes(*public_format) != certificate.public_key().public_bytes(*public_format):
        raise OptionError('client_certificate_path=%s: the private key does not belong to the certificate.' % path)
    return {
        'private_key': key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption()).decode('ascii'),
        'public_certificate': certificate.public_bytes(serialization.Encoding.PEM).decode('ascii'),
    }


def select_authenticator(settings, session):
    """Pick the auth method from what is set; one clear message when that is not enough."""
    options, secrets = settings.options, settings.secrets
    secret = secrets['client_secret']
    certificate = options.get('client_certificate_path')
    managed = options.get('managed_identity')

    conflicting = [name for name, value in (('client_secret', secret), ('client_certificate_path', certificate),
                                            ('managed_identity', managed)) if value]
    if len(conflicting) > 1:
        raise OptionError(
            'Conflicting credentials: %s are set together; keep only one. Values may come from the'
            ' environment variables named here.' % ' and '.join(describe(name) for name in conflicting))
    if secrets['access_token']:
        return StaticToken(secrets['access_token'], settings.token_audience)
    if managed:
        return ManagedIdentity(settings, session)
    if secret or certificate:
        missing = [describe(name) for name in ('tenant_id', 'client_id') if not options.get(name)]
        if missing:
            raise OptionError('%s needs %s.' % (conflicting[0], ' and '.join(missing)))
        if certificate:
            return ClientCredentials(settings, session,
                                     load_certificate(certificate, secrets['client_certificate_password']),
                                     'certificate')
        return ClientCredentials(settings, session, secret, 'client_secret')
    raise OptionError(
        'No credentials to authenticate to Microsoft Graph. Set %s or %s, each with %s and %s; or %s;'
        ' or set %s to true.' % (
            describe('client_secret'), describe('client_certificate_path'), describe('tenant_id'),
            describe('client_id'), describe('access_token'), describe('managed_identity')))
