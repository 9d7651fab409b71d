"""Failures as a user sees them in ansible-playbook output: clear, no traceback, no secret, at -vvvv."""
import json
from urllib.parse import quote, quote_plus

import pytest

KNOWN_SECRET = 'Kx9~wrong.client-secret_2026'
KNOWN_TOKEN = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJub25lIn0.known-access-token.sig'
KNOWN_PASSWORD = 'not-the-pem-password-42'


def scenario_env(emulator, name):
    cert = emulator.apps['reader-cert']
    secret_env = emulator.env('reader-secret')
    return {
        'wrong_secret': dict(secret_env, AZURE_CLIENT_SECRET=KNOWN_SECRET),
        'wrong_certificate_password': dict(emulator.env('reader-cert'),
                                           AZURE_CLIENT_CERTIFICATE_PATH=cert['protected_certificate_path'],
                                           AZURE_CLIENT_CERTIFICATE_PASSWORD=KNOWN_PASSWORD),
        'secret_and_certificate': dict(secret_env, AZURE_CLIENT_CERTIFICATE_PATH=cert['certificate_path']),
        'invalid_access_token': dict(secret_env, MSGRAPH_ACCESS_TOKEN=KNOWN_TOKEN),
        'throttled_beyond_budget': dict(secret_env, MSGRAPH_MAX_RETRY_WAIT='5'),
        'untrusted_certificate': dict((k, v) for k, v in secret_env.items() if k != 'MSGRAPH_CA_PATH'),
        'proxy_error_page': dict(secret_env, MSGRAPH_MAX_RETRIES='0'),
        'missing_incident': secret_env,
        # graph_url points at the emulator (as at a proxy); an explicit audience Entra ID does not know.
        'unknown_token_audience': dict(secret_env, MSGRAPH_TOKEN_AUDIENCE='https://graph-proxy.corp.example'),
        # Secrets in odd shapes: surrounding whitespace is trimmed, inner control characters refused.
        'token_with_final_newline': dict(secret_env, MSGRAPH_ACCESS_TOKEN=KNOWN_TOKEN + '\n'),
        'secret_with_final_newline': dict(secret_env, AZURE_CLIENT_SECRET=KNOWN_SECRET + '\r\n'),
        'token_with_inner_newline': dict(secret_env, MSGRAPH_ACCESS_TOKEN=KNOWN_TOKEN[:30] + '\n' + KNOWN_TOKEN[30:]),
        'secret_with_inner_escape': dict(secret_env, AZURE_CLIENT_SECRET=KNOWN_SECRET[:12] + '\x1b' + KNOWN_SECRET[12:]),
        'password_with_inner_newline': dict(emulator.env('reader-cert'),
                                            AZURE_CLIENT_CERTIFICATE_PATH=cert['protected_certificate_path'],
                                            AZURE_CLIENT_CERTIFICATE_PASSWORD=KNOWN_PASSWORD[:9] + '\n' + KNOWN_PASSWORD[9:]),
        'token_not_latin1': dict(secret_env, MSGRAPH_ACCESS_TOKEN=KNOWN_TOKEN[:30] + '\u0416\u20ac' + KNOWN_TOKEN[30:]),
        # Token endpoints answering what MSAL cannot read.
        'token_endpoint_html': secret_env,
        'token_endpoint_truncated_certificate': emulator.env('reader-cert'),
        'managed_identity_endpoint_empty': dict(emulator.env('managed-identity'), MSGRAPH_MANAGED_IDENTITY='true'),
    }[name]


FAULTS = {
    'throttled_beyond_budget': [{'path_regex': '/security/incidents/', 'status': 429, 'retry_after': 120}],
    'proxy_error_page': [{'path_regex': '/security/incidents/', 'status': 502, 'body': 'html'}],
    'token_endpoint_html': [{'path_regex': '/oauth2/v2.0/token$', 'status': 200, 'body': 'html'}],
    'token_endpoint_truncated_certificate': [{'path_regex': '/oauth2/v2.0/token$', 'status': 200, 'body': 'truncated'}],
    'managed_identity_endpoint_empty': [{'path_regex': '/msi/token$', 'status': 200, 'body': 'empty'}],
}

EXPECTED = {
    'wrong_secret': 'invalid_client: AADSTS7000215',
    'wrong_certificate_password': 'the private key could not be decrypted or read',
    'secret_and_certificate': 'Conflicting credentials: client_secret (AZURE_CLIENT_SECRET or AZURE_SECRET) and'
                              ' client_certificate_path (AZURE_CLIENT_CERTIFICATE_PATH) are set together',
    'invalid_access_token': 'HTTP 401 InvalidAuthenticationToken',
    'throttled_beyond_budget': 'Graph asked to retry after 120s (HTTP 429, request-id: ',
    'untrusted_certificate': 'the TLS certificate could not be verified',
    'proxy_error_page': 'HTTP 502 with a body that is not a Graph error (text/html)',
    'missing_incident': ' was not found: ',
    'unknown_token_audience': 'invalid_resource: AADSTS500011: The resource principal named'
                              ' https://graph-proxy.corp.example was not found in the tenant',
    'token_with_final_newline': 'HTTP 401 InvalidAuthenticationToken',
    'secret_with_final_newline': 'invalid_client: AADSTS7000215',
    'token_with_inner_newline': 'access_token (MSGRAPH_ACCESS_TOKEN) holds a control character (such as a line break)'
                                ' inside the value; the value is not shown.',
    'secret_with_inner_escape': 'client_secret (AZURE_CLIENT_SECRET or AZURE_SECRET) holds a control character',
    'password_with_inner_newline': 'client_certificate_password (AZURE_CLIENT_CERTIFICATE_PASSWORD) holds a control'
                                   ' character',
    'token_not_latin1': 'access_token (MSGRAPH_ACCESS_TOKEN) holds characters a bearer token cannot hold',
    'token_endpoint_html': '/oauth2/v2.0/token answered HTTP 200 with a text/html body',
    'token_endpoint_truncated_certificate': '(certificate) failed: POST https://',
    'managed_identity_endpoint_empty': '/msi/token answered HTTP 200 with an empty body',
}


def leak_forms(secret):
    """Every shape in which a secret could show: raw, trimmed, escaped, repr'd, URL-encoded, partial."""
    escaped = json.dumps(secret)[1:-1]
    forms = {secret, secret.strip(), repr(secret)[1:-1], escaped, escaped.replace('\\', '\\\\'),
             quote(secret), quote_plus(secret), secret.encode('unicode_escape').decode('ascii')}
    core = secret.strip()
    forms.update(core[i:i + 12] for i in range(0, len(core) - 11, 6))  # any long piece of it
    return forms


@pytest.mark.parametrize('playbook', ['failure.yml', 'lookup_failure.yml'])
@pytest.mark.parametrize('scenario', sorted(EXPECTED))
def test_failure_is_clear_and_leaks_nothing(ansible_playbook, clean_emulator, scenario, playbook):
    clean_emulator.set_faults({'rules': FAULTS.get(scenario, [])})
    incident_id = '999999905' if scenario == 'missing_incident' else '2972395'
    run = ansible_playbook(playbook, dict(incident_id=incident_id), app=None,
                           env=scenario_env(clean_emulator, scenario), args=['-vvvv'])
    assert run.rc == 2, run
    assert EXPECTED[scenario] in run.stdout, run
    assert 'Traceback' not in run.output
    real_secret = clean_emulator.apps['reader-secret']['client_secret']
    env = scenario_env(clean_emulator, scenario)
    given = [env[name] for name in ('MSGRAPH_ACCESS_TOKEN', 'AZURE_CLIENT_SECRET', 'AZURE_CLIENT_CERTIFICATE_PASSWORD',
                                    'IDENTITY_HEADER') if name in env]
    for secret in [KNOWN_SECRET, KNOWN_TOKEN, KNOWN_PASSWORD, real_secret,
                   clean_emulator.apps['reader-cert']['certificate_password']] + given:
        for form in leak_forms(secret):
            assert form not in run.output, 'a form of a secret shows: %r' % form


def test_hostile_ids_never_leave_the_machine(ansible_playbook, clean_emulator):
    ids = ['', ' ', '../users', '29/alerts', '%2F', '?$select=x', 'a' * 200, 'ünïcødé', '29\n', '1.5e3/..']
    run = ansible_playbook('hostile_ids.yml', dict(ids=ids))
    assert run.rc == 0, run
    assert clean_emulator.requests() == []  # not even a token request


@pytest.mark.parametrize('playbook', ['failure.yml', 'lookup_failure.yml'])
def test_unknown_audience_says_what_to_change(ansible_playbook, clean_emulator, playbook):
    run = ansible_playbook(playbook, app=None, env=scenario_env(clean_emulator, 'unknown_token_audience'))
    assert run.rc == 2, run
    assert ('Unset token_audience so that the token is for the Graph of cloud=global (https://graph.microsoft.com)'
            in run.stdout), run
