# -*- coding: utf-8 -*-
# Copyright: contributors to the msgraph.security collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Internal to msgraph.security (not a public API): it may change in any release, even a bugfix one.
"""The connection and authentication options every plugin of the collection takes.

This table is the only place where an option's name, type, default and environment
variables are written down. Modules build their argument_spec from it
(option_adapter.argument_spec), lookups read it through their documentation, and the
doc fragment msgraph.security.connection renders it, so none of them can drift apart.
The environment names are the ones azure-identity and AWX's Azure credential use.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

CONNECTION_OPTIONS = {
    'tenant_id': dict(
        type='str',
        env=['AZURE_TENANT_ID', 'AZURE_TENANT'],
        description='The Entra ID tenant (directory) ID the app registration lives in.',
    ),
    'client_id': dict(
        type='str',
        env=['AZURE_CLIENT_ID'],
        description=[
            'The application (client) ID of the app registration.',
            'With O(managed_identity=true), the client ID of a user-assigned managed identity;'
            ' leave it unset for the system-assigned identity.',
        ],
    ),
    'client_secret': dict(
        type='str',
        no_log=True,
        env=['AZURE_CLIENT_SECRET', 'AZURE_SECRET'],
        description=[
            'A client secret of the app registration.',
            'Surrounding whitespace (such as the final newline of a vault file) is trimmed; a control character'
            ' inside the value is refused. Secrets are never shown in messages.',
        ],
    ),
    'client_certificate_path': dict(
        type='path',
        env=['AZURE_CLIENT_CERTIFICATE_PATH'],
        description=[
            'Path to a PEM file holding the private key and the certificate registered on the app.',
            'The key may be encrypted, see O(client_certificate_password).',
        ],
    ),
    'client_certificate_password': dict(
        type='str',
        no_log=True,
        env=['AZURE_CLIENT_CERTIFICATE_PASSWORD'],
        description=[
            'The password of the private key in O(client_certificate_path).',
            'Surrounding whitespace is trimmed; a control character inside the value is refused.',
        ],
    ),
    'access_token': dict(
        type='str',
        no_log=True,
        env=['MSGRAPH_ACCESS_TOKEN'],
        description=[
            'A ready Microsoft Graph bearer token. No token is requested from Entra ID.',
            'When set, it is used in preference to the client secret and managed identity,'
            ' so a token acquired once can be reused by many tasks.',
            'Surrounding whitespace is trimmed; anything but printable ASCII inside it is refused.',
        ],
    ),
    'managed_identity': dict(
        type='bool',
        default=False,
        env=['MSGRAPH_MANAGED_IDENTITY'],
        description=[
            'Authenticate as the Azure managed identity of the machine running the plugin'
            ' (Azure VM, App Service, Azure Arc, Cloud Shell), through MSAL.',
            'Set O(client_id) to use a user-assigned identity.',
        ],
    ),
    'cloud': dict(
        type='str',
        default='global',
        env=['MSGRAPH_CLOUD', 'AZURE_CLOUD_ENVIRONMENT'],
        description=[
            'The Microsoft cloud: V(global) (also GCC), V(usgov) (GCC High) or V(usgov_dod) (DoD).',
            'The AWX names V(AzureCloud) and V(AzureUSGovernment) are accepted too.',
            'The Microsoft Graph security API is not offered in the China cloud (21Vianet), so V(china) and'
            ' V(AzureChinaCloud) are refused.',
        ],
    ),
    'authority_host': dict(
        type='str',
        env=['AZURE_AUTHORITY_HOST'],
        description=[
            'Overrides the Entra ID host of O(cloud), for example V(https://login.microsoftonline.us).',
            'Must be an https URL.',
        ],
    ),
    'graph_url': dict(
        type='str',
        env=['MSGRAPH_URL'],
        description=[
            'Overrides where Graph requests are sent, for example a reverse proxy in front of'
            ' Microsoft Graph or a test endpoint. By default the Graph of O(cloud).',
            'Must be an https URL. Tokens are sent to no other host.',
            'It does not change the token: tokens are still requested for the Graph of O(cloud)'
            ' (see O(token_audience)), the only resource Entra ID issues Graph tokens for.',
        ],
    ),
    'defender_url': dict(
        type='str',
        env=['MSGRAPH_DEFENDER_URL'],
        version_added='1.2.0',
        description=[
            'Overrides where Defender for Endpoint API requests are sent (device actions, machines,'
            ' indicators), for example a regional host such as V(https://eu.api.security.microsoft.com)'
            ' or a test endpoint. The base URL without C(/api).',
            'By default the Defender for Endpoint API of O(cloud): V(https://api.security.microsoft.com),'
            ' or V(https://api-gov.securitycenter.microsoft.us) for V(usgov) and V(usgov_dod).',
            'Must be an https URL. Tokens are sent to no other host.',
            'It does not change the token: Defender tokens are requested for the Defender for Endpoint'
            ' resource of O(cloud) (V(https://api.securitycenter.microsoft.com) or'
            ' V(https://api-gov.securitycenter.microsoft.us)), separately from Graph tokens, with the same'
            ' credentials. A Graph token is never sent to it, nor a Defender token to Graph.',
        ],
    ),
    'token_audience': dict(
        type='str',
        no_log=False,  # a resource URI, not a secret (validate-modules guesses from the name)
        env=['MSGRAPH_TOKEN_AUDIENCE'],
        version_added='1.1.0',
        description=[
            'The resource (audience) Graph access tokens are requested for. By default the Microsoft Graph'
            ' of O(cloud): V(https://graph.microsoft.com), V(https://graph.microsoft.us) or'
            ' V(https://dod-graph.microsoft.us).',
            'Leave it unset unless the endpoint in O(graph_url) expects tokens for another Application'
            ' ID URI registered in the tenant. Entra ID refuses a resource it does not know with'
            ' C(AADSTS500011).',
            'The client-credentials scope is V(<token_audience>/.default); a value given with'
            ' V(/.default) is accepted too.',
        ],
    ),
    'api_version': dict(
        type='str',
        default='v1.0',
        choices=['v1.0', 'beta'],
        env=['MSGRAPH_API_VERSION'],
        description=[
            'The Graph API version. V(beta) adds properties such as C(recommendedActions)'
            ' and may change without notice.',
        ],
    ),
    'validate_certs': dict(
        type='bool',
        default=True,
        env=['MSGRAPH_VALIDATE_CERTS'],
        description=[
            'Verify the TLS certificates of Entra ID and Graph.',
            'Turning this off lets anyone on the network path read the credentials and tokens;'
            ' use O(ca_path) for a private CA instead.',
        ],
    ),
    'ca_path': dict(
        type='path',
        env=['MSGRAPH_CA_PATH'],
        description=[
            'A PEM bundle of CA certificates to trust for both Entra ID and Graph, for example'
            ' when a TLS-inspecting proxy re-signs traffic.',
            'Takes precedence over E(REQUESTS_CA_BUNDLE). The file must exist.',
        ],
    ),
    'proxy': dict(
        type='str',
        description=[
            'An explicit proxy URL for Entra ID and Graph traffic, for example V(http://proxy.example.com:3128).',
            'Without it, the usual E(HTTPS_PROXY) and E(NO_PROXY) environment variables are honoured.',
            'Schemes: V(http), V(https), V(socks5), V(socks5h), V(socks4), V(socks4a). A password in it is never shown.',
        ],
    ),
    'timeout': dict(
        type='int',
        default=30,
        env=['MSGRAPH_TIMEOUT'],
        description='Seconds to wait for each HTTP request to connect and for each read.',
    ),
    'max_retries': dict(
        type='int',
        default=4,
        env=['MSGRAPH_MAX_RETRIES'],
        description=[
            'How many times a request that was throttled (HTTP 429) or met a transient server'
            ' error (502, 503, 504) or a connection error is tried again.',
        ],
    ),
    'max_retry_wait': dict(
        type='int',
        default=60,
        env=['MSGRAPH_MAX_RETRY_WAIT'],
        description=[
            'The most seconds one plugin run spends waiting between retries, in total.',
            'Graph says how long to wait in C(Retry-After); when that is more than what is left,'
            ' the plugin fails at once instead of hanging.',
        ],
    ),
    'share_tokens': dict(
        type='bool',
        default=True,
        env=['MSGRAPH_SHARE_TOKENS'],
        version_added='1.2.0',
        description=[
            'Within one run of C(ansible-playbook), C(ansible), C(ansible-inventory) or an ansible-rulebook'
            ' action, every task, fork, host, lookup and inventory plugin of the collection with the same'
            ' connection settings shares one token per API until it nears expiry, acquired once for all.',
            'The tokens are kept in Ansible\'s local temporary directory of the run (a directory only the user'
            ' running Ansible can read, files of mode 0600, named by a keyed digest of the settings, never the'
            ' secret), which Ansible removes when the run ends. A token an API refuses is dropped at once.',
            'V(false): each task acquires its own token, as before 1.2.0.',
        ],
    ),
    'discovery_cache': dict(
        type='bool',
        default=True,
        env=['MSGRAPH_DISCOVERY_CACHE'],
        version_added='1.2.0',
        description=[
            'Keep Entra ID\'s public OpenID configuration (no secret, no token) for a day in'
            ' C(msgraph.security/msal_http_cache) under the user\'s cache directory (E(XDG_CACHE_HOME), by'
            ' default C(~/.cache)), so that a new run does not ask for it again.',
            'V(false): ask Entra ID for it in each run.',
        ],
    ),
}


def describe(name):
    """'client_secret (AZURE_CLIENT_SECRET or AZURE_SECRET)': an option with its env vars, for messages."""
    env = CONNECTION_OPTIONS[name].get('env')
    return '%s (%s)' % (name, ' or '.join(env)) if env else name
