"""Graph error bodies become messages with the ids Microsoft support asks for."""
import json

from ansible_collections.msgraph.security.plugins.module_utils._core.errors import graph_api_error

BODY = {'error': {'code': 'Forbidden', 'message': 'Missing application roles. API required roles: '
                  'SecurityIncident.Read.All,SecurityIncident.ReadWrite.All',
                  'innerError': {'date': '2026-11-26T20:00:00', 'request-id': 'req-1', 'client-request-id': 'cli-1'}}}


def test_graph_error_has_status_code_message_ids_and_consent_hint():
    error = graph_api_error('GET /v1.0/security/incidents/29', 403, {'Content-Type': 'application/json'},
                            json.dumps(BODY))
    message = str(error)
    assert 'HTTP 403 Forbidden: Missing application roles' in message
    assert 'request-id: req-1, client-request-id: cli-1' in message
    assert 'SecurityIncident.Read.All' in message and 'Grant admin consent' in message
    assert error.details == {'status': 403, 'code': 'Forbidden', 'request_id': 'req-1', 'client_request_id': 'cli-1'}


def test_body_that_is_not_graph_shaped_still_gives_status_and_header_ids():
    error = graph_api_error('GET /v1.0/security/incidents', 502, {'content-type': 'text/html; charset=utf-8',
                                                                  'request-id': 'req-2'},
                            '<html>Bad gateway</html>', client_request_id='cli-2')
    assert str(error) == ('GET /v1.0/security/incidents failed: HTTP 502 with a body that is not a Graph error'
                          ' (text/html) (request-id: req-2, client-request-id: cli-2)')


def test_401_hints_at_the_token():
    assert 'token' in str(graph_api_error('GET /x', 401, {}, {'error': {'code': 'InvalidAuthenticationToken'}}))
