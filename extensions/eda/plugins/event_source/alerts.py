# -*- coding: utf-8 -*-
# Copyright: contributors to the msgraph.security collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""msgraph.security.alerts: an ansible-rulebook event source for Microsoft Defender alerts.

ansible-rulebook runs this file with runpy, not as part of the ansible_collections package, so it
puts the collections root that holds it on sys.path and then uses the collection's own core.
The logic lives in plugins/plugin_utils/_polling/ (engine.py, alerts.py).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
name: alerts
short_description: Events for new and updated Microsoft Defender alerts, from Microsoft Graph
version_added: 1.2.0
description:
  - >-
    Polls C(GET /security/alerts_v2) every O(interval) seconds and puts one event on the queue for every
    alert created or updated since the previous poll, oldest first. An event has three keys, C(alert) (the
    alert as Graph returns it, with its C(evidence) and C(incidentId)), C(change) (V(created) or V(updated))
    and C(changed).
  - >-
    C(changed) maps each of C(severity), C(status), C(assignedTo), C(classification) and C(determination) that
    differs from the alert's previous event to C({before, after}); an alert the source has no earlier event of
    (new, older than its first start, or not in an event for 30 days) gets all five with C(after) only. This
    memory is kept in O(state_file), as far as events are handled.
  - >-
    Alert text (titles, descriptions, evidence file names, command lines, mail subjects, URLs) is
    attacker-controlled and a playbook started by ansible-rulebook would evaluate it as a template, so every
    string of the event (keys too) is made inert. A C({) followed by C({), C(%) or C(#) becomes U+FF5B (fullwidth
    left curly bracket), and the C(#) of C(#jinja2:) becomes U+FF03 (fullwidth number sign). Nothing else changes.
    Pass ids to playbooks and read the alert again with M(msgraph.security.alert_info).
  - >-
    It runs on the same polling engine as the C(msgraph.security.incidents) source, with the same guarantees.
    No change is missed: alerts sharing a C(lastUpdateDateTime), more than one page of changes in one interval
    (pages past Graph's C($skip) limit of 500 are followed by their C(@odata.nextLink)), and changes made while a
    poll runs are delivered once while the source runs. Windows follow Graph's clock.
  - >-
    With O(state_file), a restart resumes where it stopped; the saved checkpoint only passes events handled (put on
    the queue at least O(replay) seconds ago and, with C(feedback) true, acknowledged), so no stop loses a change,
    and after one the events of the last O(replay) seconds are delivered again; rules should be idempotent.
  - >-
    Throttling, 5xx answers, timeouts and outages are logged as warnings and retried without losing or repeating
    anything; after 3 failed polls in a row one warning says the source is stuck, and why. A misconfiguration
    (unknown argument, no or wrong credentials, a missing permission, a C($filter) Graph refuses) stops the source
    at once with one message.
  - >-
    Takes the connection options of the collection (see the C(msgraph.security.connection) documentation fragment)
    and the list filters of M(msgraph.security.alert_info) that fit a stream of changes (O(status), O(severity),
    O(service_source), O(filter)). Graph does not filter alerts on C(incidentId); match C(event.alert.incidentId) in
    the rule instead.
  - >-
    The app needs the Microsoft Graph application permission C(SecurityAlert.Read.All).
options:
  interval:
    description:
      - Seconds between two polls of Graph.
    type: float
    default: 60
  since:
    description:
      - 'Where the first poll starts: an ISO 8601 time such as V(2026-01-31T08:00:00Z), or a duration back from
        now such as V(90s), V(15m), V(2h), V(7d) or V(1h30m), on Graph''s clock.'
      - 'Unset: the moment the source starts, by Graph''s clock (the C(Date) of its first answer), so that a local
        clock ahead of Graph loses nothing. Ignored when O(state_file) holds a checkpoint.'
    type: str
  state_file:
    description:
      - A file where the checkpoint is kept (written atomically, its mode kept). A restart resumes from it.
      - 'It records what it is the checkpoint of (Graph URL, tenant, filters, O(changes)): a source with other settings
        refuses it. Its directory must exist and be writable.'
    type: path
  replay:
    description:
      - 'Seconds an event is taken to need before its rule''s action has surely run. The saved checkpoint only passes
        events put on the queue at least this long ago (and, with C(feedback: true), that ansible-rulebook acknowledged),
        so that no stop (SIGTERM, SIGINT, SIGKILL, a crash) loses one: after a restart the younger ones are delivered
        again, in their latest state.'
      - 'V(0): the checkpoint follows the queue (acknowledgements, with feedback): nothing is repeated, and an action
        still pending at a stop is lost.'
    type: float
    default: 300
  changes:
    description:
      - 'V(all): an event for every new and every updated alert (C(lastUpdateDateTime)).'
      - 'V(created): an event for new alerts only (C(createdDateTime)).'
      - 'Values (in any case): V(all), V(created).'
    type: str
    default: all
  status:
    description:
      - 'List mode: only alerts with one of these statuses.'
      - 'Values (in any case): V(new), V(inProgress), V(resolved).'
    type: list
    elements: str
  severity:
    description:
      - 'List mode: only alerts with one of these severities.'
      - 'Values (in any case): V(unknown), V(informational), V(low), V(medium), V(high).'
    type: list
    elements: str
  service_source:
    description:
      - 'List mode: only alerts from one of these products (C(serviceSource)).'
      - 'Values (in any case): V(unknown), V(microsoftDefenderForEndpoint), V(microsoftDefenderForIdentity), V(microsoftDefenderForCloudApps),
        V(microsoftDefenderForOffice365), V(microsoft365Defender), V(azureAdIdentityProtection), V(microsoftAppGovernance),
        V(dataLossPrevention), V(microsoftDefenderForCloud).'
    type: list
    elements: str
  filter:
    description:
      - 'List mode: a raw OData C($filter) expression, combined with the other filters by C(and).'
      - Graph filters alerts only on C(assignedTo), C(classification), C(determination), C(createdDateTime), C(lastUpdateDateTime),
        C(severity), C(serviceSource) and C(status); other properties give HTTP 400.
    type: str
  tenant_id:
    description:
      - The Entra ID tenant (directory) ID the app registration lives in.
      - If not set, the environment variable E(AZURE_TENANT_ID) is used, then E(AZURE_TENANT).
    type: str
  client_id:
    description:
      - The application (client) ID of the app registration.
      - With O(managed_identity=true), the client ID of a user-assigned managed identity; leave it unset for the
        system-assigned identity.
      - If not set, the environment variable E(AZURE_CLIENT_ID) is used.
    type: str
  client_secret:
    description:
      - A client secret of the app registration.
      - Surrounding whitespace (such as the final newline of a vault file) is trimmed; a control character inside
        the value is refused. Secrets are never shown in messages.
      - If not set, the environment variable E(AZURE_CLIENT_SECRET) is used, then E(AZURE_SECRET).
    type: str
  client_certificate_path:
    description:
      - Path to a PEM file holding the private key and the certificate registered on the app.
      - The key may be encrypted, see O(client_certificate_password).
      - If not set, the environment variable E(AZURE_CLIENT_CERTIFICATE_PATH) is used.
    type: path
  client_certificate_password:
    description:
      - The password of the private key in O(client_certificate_path).
      - Surrounding whitespace is trimmed; a control character inside the value is refused.
      - If not set, the environment variable E(AZURE_CLIENT_CERTIFICATE_PASSWORD) is used.
    type: str
  access_token:
    description:
      - A ready Microsoft Graph bearer token. No token is requested from Entra ID.
      - When set, it is used in preference to the client secret and managed identity, so a token acquired once can
        be reused by many tasks.
      - Surrounding whitespace is trimmed; anything but printable ASCII inside it is refused.
      - If not set, the environment variable E(MSGRAPH_ACCESS_TOKEN) is used.
    type: str
  managed_identity:
    description:
      - Authenticate as the Azure managed identity of the machine running the plugin (Azure VM, App Service, Azure
        Arc, Cloud Shell), through MSAL.
      - Set O(client_id) to use a user-assigned identity.
      - If not set, the environment variable E(MSGRAPH_MANAGED_IDENTITY) is used.
    type: bool
    default: false
  cloud:
    description:
      - 'The Microsoft cloud: V(global) (also GCC), V(usgov) (GCC High) or V(usgov_dod) (DoD).'
      - The AWX names V(AzureCloud) and V(AzureUSGovernment) are accepted too.
      - The Microsoft Graph security API is not offered in the China cloud (21Vianet), so V(china) and V(AzureChinaCloud)
        are refused.
      - If not set, the environment variable E(MSGRAPH_CLOUD) is used, then E(AZURE_CLOUD_ENVIRONMENT).
    type: str
    default: global
  authority_host:
    description:
      - Overrides the Entra ID host of O(cloud), for example V(https://login.microsoftonline.us).
      - Must be an https URL.
      - If not set, the environment variable E(AZURE_AUTHORITY_HOST) is used.
    type: str
  graph_url:
    description:
      - Overrides where Graph requests are sent, for example a reverse proxy in front of Microsoft Graph or a test
        endpoint. By default the Graph of O(cloud).
      - Must be an https URL. Tokens are sent to no other host.
      - 'It does not change the token: tokens are still requested for the Graph of O(cloud) (see O(token_audience)),
        the only resource Entra ID issues Graph tokens for.'
      - If not set, the environment variable E(MSGRAPH_URL) is used.
    type: str
  defender_url:
    description:
      - Overrides where Defender for Endpoint API requests are sent (device actions, machines, indicators), for
        example a regional host such as V(https://eu.api.security.microsoft.com) or a test endpoint. The base URL
        without C(/api).
      - 'By default the Defender for Endpoint API of O(cloud): V(https://api.security.microsoft.com), or V(https://api-gov.securitycenter.microsoft.us)
        for V(usgov) and V(usgov_dod).'
      - Must be an https URL. Tokens are sent to no other host.
      - 'It does not change the token: Defender tokens are requested for the Defender for Endpoint resource of O(cloud)
        (V(https://api.securitycenter.microsoft.com) or V(https://api-gov.securitycenter.microsoft.us)), separately
        from Graph tokens, with the same credentials. A Graph token is never sent to it, nor a Defender token to
        Graph.'
      - If not set, the environment variable E(MSGRAPH_DEFENDER_URL) is used.
    type: str
    version_added: 1.2.0
  token_audience:
    description:
      - 'The resource (audience) Graph access tokens are requested for. By default the Microsoft Graph of O(cloud):
        V(https://graph.microsoft.com), V(https://graph.microsoft.us) or V(https://dod-graph.microsoft.us).'
      - Leave it unset unless the endpoint in O(graph_url) expects tokens for another Application ID URI registered
        in the tenant. Entra ID refuses a resource it does not know with C(AADSTS500011).
      - The client-credentials scope is V(<token_audience>/.default); a value given with V(/.default) is accepted
        too.
      - If not set, the environment variable E(MSGRAPH_TOKEN_AUDIENCE) is used.
    type: str
    version_added: 1.1.0
  api_version:
    description:
      - The Graph API version. V(beta) adds properties such as C(recommendedActions) and may change without notice.
      - If not set, the environment variable E(MSGRAPH_API_VERSION) is used.
    type: str
    default: v1.0
    choices:
      - v1.0
      - beta
  validate_certs:
    description:
      - Verify the TLS certificates of Entra ID and Graph.
      - Turning this off lets anyone on the network path read the credentials and tokens; use O(ca_path) for a private
        CA instead.
      - If not set, the environment variable E(MSGRAPH_VALIDATE_CERTS) is used.
    type: bool
    default: true
  ca_path:
    description:
      - A PEM bundle of CA certificates to trust for both Entra ID and Graph, for example when a TLS-inspecting
        proxy re-signs traffic.
      - Takes precedence over E(REQUESTS_CA_BUNDLE). The file must exist.
      - If not set, the environment variable E(MSGRAPH_CA_PATH) is used.
    type: path
  proxy:
    description:
      - An explicit proxy URL for Entra ID and Graph traffic, for example V(http://proxy.example.com:3128).
      - Without it, the usual E(HTTPS_PROXY) and E(NO_PROXY) environment variables are honoured.
      - 'Schemes: V(http), V(https), V(socks5), V(socks5h), V(socks4), V(socks4a). A password in it is never shown.'
    type: str
  timeout:
    description:
      - Seconds to wait for each HTTP request to connect and for each read.
      - If not set, the environment variable E(MSGRAPH_TIMEOUT) is used.
    type: int
    default: 30
  max_retries:
    description:
      - How many times a request that was throttled (HTTP 429) or met a transient server error (502, 503, 504) or
        a connection error is tried again.
      - If not set, the environment variable E(MSGRAPH_MAX_RETRIES) is used.
    type: int
    default: 4
  max_retry_wait:
    description:
      - The most seconds one plugin run spends waiting between retries, in total.
      - Graph says how long to wait in C(Retry-After); when that is more than what is left, the plugin fails at
        once instead of hanging.
      - If not set, the environment variable E(MSGRAPH_MAX_RETRY_WAIT) is used.
    type: int
    default: 60
  share_tokens:
    description:
      - Within one run of C(ansible-playbook), C(ansible), C(ansible-inventory) or an ansible-rulebook action, every
        task, fork, host, lookup and inventory plugin of the collection with the same connection settings shares
        one token per API until it nears expiry, acquired once for all.
      - The tokens are kept in Ansible's local temporary directory of the run (a directory only the user running
        Ansible can read, files of mode 0600, named by a keyed digest of the settings, never the secret), which
        Ansible removes when the run ends. A token an API refuses is dropped at once.
      - 'V(false): each task acquires its own token, as before 1.2.0.'
      - If not set, the environment variable E(MSGRAPH_SHARE_TOKENS) is used.
    type: bool
    default: true
    version_added: 1.2.0
  discovery_cache:
    description:
      - Keep Entra ID's public OpenID configuration (no secret, no token) for a day in C(msgraph.security/msal_http_cache)
        under the user's cache directory (E(XDG_CACHE_HOME), by default C(~/.cache)), so that a new run does not
        ask for it again.
      - 'V(false): ask Entra ID for it in each run.'
      - If not set, the environment variable E(MSGRAPH_DISCOVERY_CACHE) is used.
    type: bool
    default: true
    version_added: 1.2.0
'''

EXAMPLES = r'''
- name: Hand every new high-severity Defender for Endpoint alert to a playbook
  hosts: localhost
  sources:
    - msgraph.security.alerts:
        interval: 30
        changes: created
        severity: high
        service_source: microsoftDefenderForEndpoint
        state_file: /var/lib/eda/msgraph-alerts.json
  rules:
    - name: New high alert
      condition: event.change == "created"
      action:
        run_playbook:
          name: respond_to_alert.yml
          extra_vars:
            alert_id: "{{ event.alert.id }}"
            incident_id: "{{ event.alert.incidentId }}"
'''

import os
import sys


def _collections_root():
    """The directory holding ansible_collections/msgraph/security/extensions/eda/plugins/event_source/<this file>."""
    path = os.path.abspath(__file__)
    for dummy in range(8):
        path = os.path.dirname(path)
    return path


if os.path.isdir(os.path.join(_collections_root(), 'ansible_collections')) and _collections_root() not in sys.path:
    sys.path.insert(0, _collections_root())

from ansible_collections.msgraph.security.plugins.module_utils._core.errors import MsGraphError  # noqa: E402
from ansible_collections.msgraph.security.plugins.plugin_utils._polling.alerts import AlertSource  # noqa: E402
from ansible_collections.msgraph.security.plugins.plugin_utils._polling.entry import try_it  # noqa: E402


async def main(queue, args):
    """ansible-rulebook's entry point: poll until cancelled, raise on misconfiguration."""
    try:
        await AlertSource(args).run(queue)
    except MsGraphError as error:
        # One line for ansible-rulebook to log: the message says what to fix, the core's frames do not.
        raise error.with_traceback(None) from None


if __name__ == '__main__':
    # Try it without ansible-rulebook: python alerts.py '{"interval": 10}' prints the events as JSON lines.
    try_it(main, AlertSource.name, sys.argv)
