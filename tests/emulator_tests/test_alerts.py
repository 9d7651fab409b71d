"""The emulator's alerts_v2: Graph's rules for alerts (graph-alerts-hunting.md), in-process."""
import pytest

from tests.emulator import alerts, data, directory
from tests.emulator.app import create_app
from tests.emulator.resources import ALERTS, INCIDENTS


@pytest.fixture(scope="module")
def client():
    app = create_app(resources=(INCIDENTS, ALERTS))
    tokens = app.extensions["emulator"].tokens
    client_id = directory.APPS["alert-writer"]["client_id"]
    writer, dummy = tokens.issue("writer", client_id, [alerts.WRITE_ROLE])
    reader, dummy = tokens.issue("reader", client_id, [alerts.READ_ROLE])
    incidents_only, dummy = tokens.issue("incidents", client_id, [directory.READ_ROLE])
    test_client = app.test_client()

    def call(method, path, token="writer", **kwargs):
        bearer = dict(writer=writer, reader=reader, incidents=incidents_only)[token]
        return test_client.open(path, method=method, headers={"Authorization": "Bearer " + bearer},
                                base_url="https://graph.test/", **kwargs)
    yield call
    data.reset()


def first_alert():
    return alerts.snapshot()[0]


def test_an_alert_reads_by_id_with_its_evidence_and_is_the_one_the_incident_expands(client):
    alert = first_alert()
    body = client("GET", f"/v1.0/security/alerts_v2/{alert['id']}").json
    assert body["id"] == alert["id"] and body["evidence"] == alert["evidence"] and body["evidence"]
    assert alert in data.ALERTS[alert["incidentId"]]


@pytest.mark.parametrize("query", [
    "$filter=incidentId eq '29'",  # not a documented alert filter
    "$skip=501",
    "$filter=status eq 'active'",
])
def test_what_graph_refuses_on_a_listing_is_400(client, query):
    assert client("GET", "/v1.0/security/alerts_v2?" + query).status_code == 400


def test_past_skip_500_the_next_link_carries_a_skiptoken_and_reads_on(client):
    page = client("GET", "/v1.0/security/alerts_v2?$top=100&$skip=450").json
    link = page["@odata.nextLink"]
    assert "$skiptoken=" in link and "$skip=" not in link
    rest = client("GET", link.replace("https://graph.test", "")).json["value"]
    assert [a["id"] for a in rest] == [a["id"] for a in alerts.snapshot()[550:650]] and rest


@pytest.mark.parametrize("body", [
    {"severity": "low"},  # read-only
    {"status": "active"},  # an incident status
    {"determination": "clean"},  # an old name: send the new ones
    {"assignedTo": ""},
])
def test_a_patch_outside_the_writable_fields_is_400_and_changes_nothing(client, body):
    alert = first_alert()
    before = dict(alert)
    assert client("PATCH", f"/v1.0/security/alerts_v2/{alert['id']}", json=body).status_code == 400
    assert first_alert() == before


def test_roles_reading_needs_an_alert_role_and_writing_the_write_role(client):
    alert = first_alert()
    denied = client("GET", f"/v1.0/security/alerts_v2/{alert['id']}", token="incidents")
    assert denied.status_code == 403 and "SecurityAlert.Read.All" in denied.json["error"]["message"]
    refused = client("PATCH", f"/v1.0/security/alerts_v2/{alert['id']}", token="reader", json={"status": "inProgress"})
    assert refused.status_code == 403 and "SecurityAlert.ReadWrite.All" in refused.json["error"]["message"]


def test_a_patch_answers_the_whole_updated_alert(client):
    alert = first_alert()
    body = client("PATCH", f"/v1.0/security/alerts_v2/{alert['id']}", json={"status": "resolved"}).json
    assert body["status"] == "resolved" and body["resolvedDateTime"] and body["evidence"] == alert["evidence"]
