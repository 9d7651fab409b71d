# -*- coding: utf-8 -*-
# Copyright: contributors to the msgraph.security collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Internal to msgraph.security (not a public API): it may change in any release, even a bugfix one.
"""The APIs one connection can talk to: per cloud, where requests go and whom tokens are for.

A connection has one set of credentials and one MSAL application; each API has its own base
URL and token audience, so each gets its own token. The URL option of an API changes where its
requests go, never the audience its tokens are requested for.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from collections import namedtuple

# clouds: cloud name -> (base URL, token audience). version: the path below the base URL that
# requests are relative to; None means the api_version option (Graph's v1.0 or beta).
Api = namedtuple('Api', ['name', 'label', 'url_option', 'clouds', 'version'])

GRAPH = Api('graph', 'Microsoft Graph', 'graph_url', {
    'global': ('https://graph.microsoft.com', 'https://graph.microsoft.com'),
    'usgov': ('https://graph.microsoft.us', 'https://graph.microsoft.us'),
    'usgov_dod': ('https://dod-graph.microsoft.us', 'https://dod-graph.microsoft.us'),
}, None)

# Defender for Endpoint: the commercial cloud is served at api.security.microsoft.com, but its
# tokens are issued for the older securitycenter resource; GCC High and DoD share one host.
DEFENDER = Api('defender', 'the Defender for Endpoint API', 'defender_url', {
    'global': ('https://api.security.microsoft.com', 'https://api.securitycenter.microsoft.com'),
    'usgov': ('https://api-gov.securitycenter.microsoft.us', 'https://api-gov.securitycenter.microsoft.us'),
    'usgov_dod': ('https://api-gov.securitycenter.microsoft.us', 'https://api-gov.securitycenter.microsoft.us'),
}, '/api')

APIS = dict((api.name, api) for api in (GRAPH, DEFENDER))

# One API as a connection's settings resolve it: root (base URL), api_root (root + version path,
# what request paths are relative to), audience (the resource tokens are requested for) and the
# audience the cloud gives it by default.
Endpoint = namedtuple('Endpoint', ['name', 'label', 'url_option', 'root', 'api_root', 'audience', 'default_audience'])
