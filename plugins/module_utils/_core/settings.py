# -*- coding: utf-8 -*-
# Copyright: contributors to the msgraph.security collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Internal to msgraph.security (not a public API): it may change in any release, even a bugfix one.
"""Turns raw connection options into checked settings: which cloud, which URLs."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import re

from ansible.module_utils.six.moves.urllib.parse import urlsplit

from ansible_collections.msgraph.security.plugins.module_utils._core.apis import APIS, GRAPH, Endpoint
from ansible_collections.msgraph.security.plugins.module_utils._core.connection_options import describe
from ansible_collections.msgraph.security.plugins.module_utils._core.errors import OptionError

# cloud name -> Entra ID authority host. Where each API is and whom its tokens are for: apis.py.
AUTHORITIES = {
    'global': 'https://login.microsoftonline.com',
    'usgov': 'https://login.microsoftonline.us',
    'usgov_dod': 'https://login.microsoftonline.us',
}
# cloud name -> (Graph root, Entra ID authority host), as connection_check reads it.
CLOUDS = dict((cloud, (GRAPH.clouds[cloud][0], host)) for cloud, host in AUTHORITIES.items())
# Names AWX's Azure credential and azure-identity put in AZURE_CLOUD_ENVIRONMENT.
CLOUD_ALIASES = {
    'azurecloud': 'global',
    'azureusgovernment': 'usgov',
    'azurechinacloud': 'china',
}


def resolve_cloud(value):
    name = (value or '').strip()
    key = CLOUD_ALIASES.get(name.lower(), name.lower())
    if key == 'china':
        raise OptionError(
            "cloud=%s: the Microsoft Graph security API is not offered in the China cloud"
            " (21Vianet), so this collection cannot be used there." % name)
    if key not in CLOUDS:
        raise OptionError(
            "cloud=%s is not a known cloud; use one of: %s (or AzureCloud, AzureUSGovernment)."
            % (name, ', '.join(CLOUDS)))
    return key


# Options holding secrets. Their values never appear in a message, in any form.
SECRET_OPTIONS = ('client_secret', 'client_certificate_password', 'access_token')
# A bearer token is printable ASCII without spaces (RFC 6750 b64token is a subset): anything
# else could not be sent in an HTTP header, and requests would quote the header in its error.
_TOKEN_PATTERN = re.compile(r'^[\x21-\x7e]+\Z')
_CONTROL = re.compile(u'[\x00-\x1f\x7f-\x9f\u2028\u2029]')
_BLANK = re.compile(r'\s')
PROXY_SCHEMES = ('http', 'https', 'socks5', 'socks5h', 'socks4', 'socks4a')


def clean_secret(name, value):
    """A secret with its surrounding whitespace trimmed (a YAML block scalar or a vault file
    adds a final newline), or OptionError naming the option, never showing the value."""
    if value is None:
        return None
    value = value.strip()
    if _CONTROL.search(value):
        raise OptionError('%s holds a control character (such as a line break) inside the value; the value'
                          ' is not shown. Surrounding whitespace is trimmed, inner control characters are'
                          ' refused: check how the value is templated or read.' % describe(name))
    if name == 'access_token' and value and not _TOKEN_PATTERN.match(value):
        raise OptionError('%s holds characters a bearer token cannot hold (only printable ASCII without'
                          ' spaces); the value is not shown. Pass the token itself, without "Bearer ".'
                          % describe(name))
    return value


def _check_url(option, value, schemes, example, shown=None):
    """urlsplit parts of a URL option, or OptionError naming the option.

    ``shown`` is what the message may print (a proxy URL may carry a password).
    """
    shown = value if shown is None else shown
    if _BLANK.search(value) or _CONTROL.search(value):
        raise OptionError('%s=%r holds spaces or control characters; expected a URL such as %s.'
                          % (option, shown, example))
    parts = urlsplit(value)
    try:
        port = parts.port
    except ValueError:
        port = -1
    if parts.scheme.lower() not in schemes or not parts.hostname or port == -1 or port == 0:
        raise OptionError('%s=%s must be a URL such as %s (%s, a host name and an optional numeric port).'
                          % (option, shown, example, ' or '.join(schemes)))
    return parts


def _https_root(option, value):
    url = value.strip().rstrip('/')
    parts = _check_url(option, url, ('https',), 'https://host[:port]', shown=value)
    if parts.query or parts.fragment:
        raise OptionError(
            '%s=%s must be an https URL such as https://host[:port] (tokens are never sent over'
            ' plain http).' % (option, value))
    return url


def _audience(value):
    """token_audience as Entra ID wants it: a resource id, without a /.default scope suffix."""
    audience = (value or '').strip()
    if audience.endswith('/.default'):
        audience = audience[:-len('/.default')]
    audience = audience.rstrip('/')
    if audience and any(char.isspace() for char in audience):
        raise OptionError('token_audience=%s must be one resource id or URI, such as'
                          ' https://graph.microsoft.com, without spaces.' % value)
    return audience or None


def _proxy(value):
    if not value:
        return None
    value = value.strip()
    parts = urlsplit(value)
    # The password of an authenticating proxy is never shown.
    shown = parts._replace(netloc='***@' + parts.netloc.rpartition('@')[2]).geturl() if '@' in parts.netloc else value
    if '://' not in value:
        raise OptionError('proxy=%s has no scheme; write it as a URL such as http://proxy.example.com:3128.' % shown)
    _check_url('proxy', value, PROXY_SCHEMES, 'http://proxy.example.com:3128', shown)
    return value


def _ca_path(value):
    if value and not os.path.isfile(value):
        raise OptionError('ca_path=%s: no such file (%s). Give the path of a PEM bundle of CA certificates.'
                          % (value, 'it is a directory' if os.path.isdir(value) else 'not found or not readable'))
    return value or None


class Settings:
    """Everything the transport and the authenticators need, checked once."""

    def __init__(self, options):
        self.options = options
        self.cloud = resolve_cloud(options.get('cloud'))
        self.authority_host = _https_root('authority_host', options.get('authority_host') or AUTHORITIES[self.cloud])
        self.api_version = options.get('api_version')
        if self.api_version not in ('v1.0', 'beta'):
            raise OptionError('api_version=%s: use v1.0 or beta.' % self.api_version)
        # Every API's URL option is checked now, before anything is sent to any of them.
        self.endpoints = dict((name, self._endpoint(api)) for name, api in APIS.items())
        graph = self.endpoints['graph']
        # The resource Entra ID issues Graph tokens for: the cloud's Graph unless token_audience says otherwise.
        self.graph_resource = graph.default_audience
        self.token_audience = graph.audience
        self.graph_root = graph.root
        self.api_root = graph.api_root
        self.timeout = _positive('timeout', options.get('timeout'))
        self.max_retries = _positive('max_retries', options.get('max_retries'), allow_zero=True)
        self.max_retry_wait = _positive('max_retry_wait', options.get('max_retry_wait'), allow_zero=True)
        self.validate_certs = options.get('validate_certs') is not False
        self.ca_path = _ca_path(options.get('ca_path'))
        self.proxy = _proxy(options.get('proxy'))
        # The one place secrets are read: authenticators take them from here, cleaned.
        self.secrets = dict((name, clean_secret(name, options.get(name))) for name in SECRET_OPTIONS)

    def _endpoint(self, api):
        root, audience = api.clouds[self.cloud]
        url = _https_root(api.url_option, self.options.get(api.url_option) or root)
        version = api.version if api.version is not None else '/' + self.api_version
        # token_audience is Graph's: another API's tokens are always for its own resource.
        wanted = (_audience(self.options.get('token_audience')) if api is GRAPH else None) or audience
        return Endpoint(api.name, api.label, api.url_option, url, url + version, wanted, audience)

    def endpoint(self, name):
        """The Endpoint of API ``name`` ('graph', 'defender') for this connection."""
        if name not in self.endpoints:
            raise OptionError('No API named %s; known: %s.' % (name, ', '.join(sorted(self.endpoints))))
        return self.endpoints[name]

    @property
    def scope(self):
        """Client-credentials scope: the token audience (the cloud's Graph resource by default),
        whatever graph_url says, since Entra ID issues tokens only for resources it knows."""
        return self.token_audience + '/.default'

    @property
    def audience_overridden(self):
        """True when token_audience asks for something other than the cloud's Graph resource."""
        return self.token_audience != self.graph_resource

    @property
    def verify(self):
        """The value for requests' ``verify``: False, a CA bundle path, or True."""
        if not self.validate_certs:
            return False
        return self.ca_path or True


def _positive(option, value, allow_zero=False):
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise OptionError('%s=%r must be a whole number.' % (option, value))
    if number < 0 or (number == 0 and not allow_zero):
        raise OptionError('%s=%s must be %s.' % (option, value, 'zero or more' if allow_zero else 'more than zero'))
    return number
