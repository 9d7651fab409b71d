"""The emulator's runHuntingQuery: body shape, roles, KQL subset, timespan, schema keys per version."""
import msal
import pytest

PATH = "/v1.0/security/runHuntingQuery"


@pytest.fixture
def hunt(emulator):
    """hunt(body, path=PATH, app="hunter-secret", **kwargs): the emulator's answer."""
    http, tokens = emulator.session(), {}

    def send(body, path=PATH, app="hunter-secret", **kwargs):
        if app not in tokens:
            registration = emulator.apps[app]
            tokens[app] = msal.ConfidentialClientApplication(
                registration["client_id"], client_credential=registration["client_secret"],
                authority=emulator.authority, instance_discovery=False,
                http_client=emulator.session()).acquire_token_for_client([emulator.scope])["access_token"]
        return http.post(emulator.url + path, headers={"Authorization": "Bearer " + tokens[app]}, timeout=30,
                         json=body, **kwargs)
    return send


def message(resp):
    return resp.json()["error"]["message"]


def test_rows_and_lower_case_schema_in_v1(hunt):
    resp = hunt({"Query": 'DeviceInfo | where DeviceName == "srv-dc01" | project DeviceName, OSPlatform'})
    assert resp.status_code == 200
    assert resp.json()["schema"] == [{"name": "DeviceName", "type": "String"}, {"name": "OSPlatform", "type": "String"}]
    assert resp.json()["results"] == [{"DeviceName": "srv-dc01", "OSPlatform": "WindowsServer2022"}]


def test_beta_answers_pascal_case_schema_and_takes_lower_case_names(hunt):
    resp = hunt({"query": "DeviceInfo | count", "timespan": "P30D"}, path="/beta/security/runHuntingQuery")
    assert resp.status_code == 200 and resp.json()["schema"] == [{"Name": "Count", "Type": "Int64"}]
    assert resp.json()["results"] == [{"Count": 10}]


def test_timespan_narrows_the_rows(hunt):
    assert hunt({"Query": "DeviceInfo | count", "Timespan": "P1D"}).json()["results"] == [{"Count": 10}]
    past = hunt({"Query": "DeviceInfo | count", "Timespan": "2020-01-01T00:00:00Z/P7D"})
    assert past.json()["results"] == [{"Count": 0}]
    assert hunt({"Query": "DeviceInfo", "Timespan": "last week"}).status_code == 400


@pytest.mark.parametrize("body, text", [
    ({}, "The parameter 'Query' is required"),
    ({"Query": "DeviceInfo", "Top": 5}, "The parameter 'Top' in the request payload is not a valid parameter"),
    ({"QUERY": "DeviceInfo"}, "The parameter 'QUERY' in the request payload is not a valid parameter"),
    ({"Query": 5}, "The parameter 'Query' must be a string."),
    ({"Query": "Nope | take 1"}, "Semantic error: Failed to resolve table or column expression named 'Nope'."),
    ({"Query": "DeviceInfo | where Nope == 1"}, "Semantic error: Failed to resolve scalar expression named 'Nope'."),
    ({"Query": "DeviceInfo | sort by DeviceName"}, "Syntax error: Query could not be parsed at 'sort by DeviceName'."),
    ({"Query": 'DeviceInfo | where DeviceName == "x'}, "unterminated string literal"),
    ({"Query": "DeviceNetworkEvents | project DeviceId"}, "Query execution has exceeded the allowed result size."),
])
def test_what_graph_refuses_is_a_400_with_its_message(hunt, body, text):
    resp = hunt(body)
    assert resp.status_code == 400 and resp.json()["error"]["code"] == "BadRequest"
    assert text in message(resp) and resp.json()["error"]["innerError"]["request-id"]


def test_the_role_is_needed(hunt):
    resp = hunt({"Query": "DeviceInfo"}, app="writer-secret")
    assert resp.status_code == 403 and "ThreatHunting.Read.All" in message(resp)


def test_a_body_that_is_not_json_is_refused(hunt):
    resp = hunt(None, data="Query=DeviceInfo")
    assert resp.status_code in (400, 415)
