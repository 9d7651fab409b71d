# -*- coding: utf-8 -*-
# Copyright: contributors to the msgraph.security collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Turns raw connection options into checked settings: which cloud, which URLs."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.module_utils.six.moves.urllib.parse import urlsplit

from ansible_collections.msgraph.security.plugins.module_utils.errors import OptionError

# cloud name -> (Graph root, Entra ID authority host). The Graph root is also the resource
# (audience) tokens are requested for: graph_url changes where requests go, never the audience.
CLOUDS = {
    'global': ('https://graph.microsoft.com', 'https://login.microsoftonline.com'),
    'usgov': ('https://graph.microsoft.us', 'https://login.microsoftonline.us'),
    'usgov_dod': ('https://dod-graph.microsoft.us', 'https://login.microsoftonline.us'),
}
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
            "cloud=%s: Microsoft Graph security incidents are not offered in the China cloud"
            " (21Vianet), so this collection cannot be used there." % name)
    if key not in CLOUDS:
        raise OptionError(
            "cloud=%s is not a known cloud; use one of: %s (or AzureCloud, AzureUSGovernment)."
            % (name, ', '.join(CLOUDS)))
    return key


def _https_root(option, value):
    url = value.strip().rstrip('/')
    parts = urlsplit(url)
    if parts.scheme != 'https' or not parts.hostname or parts.query or parts.fragment:
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


class Settings:
    """Everything the transport and the authenticators need, checked once."""

    def __init__(self, options):
        self.options = options
        self.cloud = resolve_cloud(options.get('cloud'))
        graph_root, authority_host = CLOUDS[self.cloud]
        # The resource Entra ID issues tokens for: the cloud's Graph unless token_audience says otherwise.
        self.graph_resource = graph_root
        self.token_audience = _audience(options.get('token_audience')) or graph_root
        self.graph_root = _https_root('graph_url', options.get('graph_url') or graph_root)
        self.authority_host = _https_root('authority_host', options.get('authority_host') or authority_host)
        self.api_version = options.get('api_version')
        if self.api_version not in ('v1.0', 'beta'):
            raise OptionError('api_version=%s: use v1.0 or beta.' % self.api_version)
        self.api_root = '%s/%s' % (self.graph_root, self.api_version)
        self.timeout = _positive('timeout', options.get('timeout'))
        self.max_retries = _positive('max_retries', options.get('max_retries'), allow_zero=True)
        self.max_retry_wait = _positive('max_retry_wait', options.get('max_retry_wait'), allow_zero=True)
        self.validate_certs = options.get('validate_certs') is not False
        self.ca_path = options.get('ca_path')
        self.proxy = options.get('proxy')

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
