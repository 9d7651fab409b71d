"""The emulator's write routes: PATCH an incident, POST a comment, in and out of $batch, and the
"store, then drop the connection" fault. Real MSAL tokens, verified TLS."""

import msal
import pytest
import requests

from tests.emulator.data import KNOWN, SEED_ID

INCIDENT = f"/v1.0/security/incidents/{SEED_ID}"
COMMENT = {"@odata.type": "microsoft.graph.security.alertComment", "comment": "Contained by playbook."}


def _token(emulator, name):
    app = emulator.apps[name]
    client = msal.ConfidentialClientApplication(
        app["client_id"], client_credential=app["client_secret"], authority=emulator.authority,
        instance_discovery=False, http_client=emulator.session())
    return client.acquire_token_for_client([emulator.scope])["access_token"]


@pytest.fixture
def as_app(emulator):
    """Call a Graph path as an app: as_app(method, path, app="writer-secret", json=...)."""
    http, tokens = emulator.session(), {}

    def send(method, path, app="writer-secret", **kwargs):
        if app not in tokens:
            tokens[app] = _token(emulator, app)
        return http.request(method, emulator.url + path, headers={"Authorization": f"Bearer {tokens[app]}"},
                            timeout=30, **kwargs)
    emulator.reset()
    yield send
    emulator.reset()


def error_of(resp, status):
    assert resp.status_code == status, resp.text
    error = resp.json()["error"]
    assert error["innerError"]["request-id"] == resp.headers["request-id"]
    return error


def test_patch_changes_only_what_is_sent_and_answers_the_whole_incident(as_app, emulator):
    before = emulator.incident(SEED_ID)
    resp = as_app("PATCH", INCIDENT, json={"status": "inProgress", "customTags": ["Demo", "triage:high"],
                                           "assignedTo": "soc@contoso.com"})
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert body["id"] == SEED_ID and body["status"] == "inProgress"
    assert body["customTags"] == ["Demo", "triage:high"] and body["assignedTo"] == "soc@contoso.com"
    assert body["severity"] == before["severity"] and body["classification"] == before["classification"]
    assert body["lastUpdateDateTime"] > before["lastUpdateDateTime"]
    assert body["lastModifiedBy"] == "API-App:" + emulator.apps["writer-secret"]["client_id"]
    assert emulator.incident(SEED_ID)["status"] == "inProgress"  # stored, not only answered
    assert as_app("GET", INCIDENT).json()["customTags"] == ["Demo", "triage:high"]


def test_severity_display_name_and_summary_are_writable_as_the_current_update_page_says(as_app, emulator):
    body = {"severity": "high", "displayName": "Raspberry Robin on three endpoints", "summary": "Contained."}
    resp = as_app("PATCH", INCIDENT, json=body)
    assert resp.status_code == 200, resp.text
    assert dict((key, resp.json()[key]) for key in body) == body
    stored = emulator.incident(SEED_ID)
    assert dict((key, stored[key]) for key in body) == body


def test_null_assigned_to_unassigns_and_empty_text_is_refused(as_app, emulator):
    # null is the resource page's "no owner"; what "" does is undocumented, so a client sending it is caught.
    refused = as_app("PATCH", INCIDENT, json={"assignedTo": ""})
    assert refused.status_code == 400 and "send null" in refused.json()["error"]["message"]
    assert emulator.incident(SEED_ID)["assignedTo"] is not None
    assert as_app("PATCH", INCIDENT, json={"assignedTo": None}).json()["assignedTo"] is None
    assert emulator.incident(SEED_ID)["assignedTo"] is None


@pytest.mark.parametrize("body, fragment", [
    ({"status": "Active"}, "not a valid value for property 'status'"),           # case-sensitive on the wire
    ({"status": "redirected"}, "not a valid value for property 'status'"),       # set by Defender only
    ({"status": "awaitingAction"}, "not a valid value for property 'status'"),
    ({"classification": "TruePositive"}, "not a valid value for property 'classification'"),
    ({"determination": "clean"}, "not a valid value for property 'determination'"),
    ({"severity": "High"}, "not a valid value for property 'severity'"),
    ({"severity": "unknownFutureValue"}, "not a valid value for property 'severity'"),
    ({"displayName": 5}, "Edm.String"),
    ({"incidentWebUrl": "x"}, "'incidentWebUrl' is read-only"),
    ({"systemTags": ["x"]}, "'systemTags' is read-only"),
    ({"colour": "red"}, "'colour' does not exist"),
    ({"customTags": "Demo"}, "collection of strings"),
    ({"description": 5}, "Edm.String"),
])
def test_patch_refuses_what_graph_refuses_and_stores_nothing(as_app, emulator, body, fragment):
    before = emulator.incident(SEED_ID)
    error = error_of(as_app("PATCH", INCIDENT, json=body), 400)
    assert error["code"] == "BadRequest" and fragment in error["message"]
    assert emulator.incident(SEED_ID) == before


def test_writes_need_the_write_permission(as_app, emulator):
    before = emulator.incident(SEED_ID)
    for method, path, body in (("PATCH", INCIDENT, {"status": "resolved"}), ("POST", INCIDENT + "/comments", COMMENT)):
        error = error_of(as_app(method, path, app="reader-secret", json=body), 403)
        assert "SecurityIncident.ReadWrite.All" in error["message"]
        assert "SecurityIncident.Read.All" not in error["message"]
    assert emulator.incident(SEED_ID) == before
    assert as_app("GET", INCIDENT, app="writer-secret").status_code == 200  # ReadWrite also reads


def test_patch_and_comment_on_a_missing_incident_are_404(as_app):
    error_of(as_app("PATCH", "/v1.0/security/incidents/404404", json={"status": "active"}), 404)
    error_of(as_app("POST", "/v1.0/security/incidents/404404/comments", json=COMMENT), 404)


def test_comments_always_append_and_answer_the_whole_list(as_app, emulator):
    first = as_app("POST", INCIDENT + "/comments", json=COMMENT)
    assert first.status_code == 200, first.text
    again = as_app("POST", f"/beta/security/incidents/{SEED_ID}/comments", json=COMMENT).json()["value"]
    assert [c["comment"] for c in again] == ["Demo incident", COMMENT["comment"], COMMENT["comment"]]
    assert again[-1]["createdByDisplayName"].startswith("API-App:") and again[-1]["createdDateTime"]
    assert emulator.incident(SEED_ID)["comments"] == again


@pytest.mark.parametrize("body", [{"comment": ""}, {"comment": 5}, {}, {"comment": "x", "author": "me"},
                                  {"@odata.type": "#microsoft.graph.security.incident", "comment": "x"}])
def test_bad_comments_are_400(as_app, body):
    error_of(as_app("POST", INCIDENT + "/comments", json=body), 400)


def test_writes_inside_batch(as_app, emulator):
    other = KNOWN["highActive"]
    resp = as_app("POST", "/v1.0/$batch", json={"requests": [
        {"id": "1", "method": "PATCH", "url": f"/security/incidents/{SEED_ID}", "body": {"status": "resolved"},
         "headers": {"Content-Type": "application/json"}},
        {"id": "2", "method": "POST", "url": f"/security/incidents/{other}/comments", "body": COMMENT,
         "headers": {"Content-Type": "application/json"}},
        {"id": "3", "method": "PATCH", "url": f"/security/incidents/{other}", "body": {"status": "Resolved"},
         "headers": {"Content-Type": "application/json"}},
    ]})
    by_id = {r["id"]: r for r in resp.json()["responses"]}
    assert by_id["1"]["status"] == 200 and by_id["1"]["body"]["status"] == "resolved"
    assert by_id["2"]["status"] == 200 and by_id["2"]["body"]["value"][-1]["comment"] == COMMENT["comment"]
    assert by_id["3"]["status"] == 400
    assert emulator.incident(other)["status"] == "active"
    inner = [(r["method"], r["status"]) for r in emulator.requests() if r["in_batch"]]
    assert sorted(inner) == [("PATCH", 200), ("PATCH", 400), ("POST", 200)]


def test_reader_gets_403_inside_batch(as_app, emulator):
    resp = as_app("POST", "/v1.0/$batch", app="reader-secret", json={"requests": [
        {"id": "1", "method": "PATCH", "url": f"/security/incidents/{SEED_ID}", "body": {"status": "resolved"},
         "headers": {"Content-Type": "application/json"}}]})
    assert resp.json()["responses"][0]["status"] == 403


def test_drop_fault_stores_the_write_then_breaks_the_connection(as_app, emulator):
    emulator.set_faults({"rules": [{"path_regex": "/comments$", "method": "POST", "after": "drop", "count": 1}]})
    with pytest.raises(requests.exceptions.ConnectionError):
        as_app("POST", INCIDENT + "/comments", json=COMMENT)
    assert [c["comment"] for c in emulator.incident(SEED_ID)["comments"]][-1] == COMMENT["comment"]
    logged = [r for r in emulator.requests() if r["path"].endswith("/comments")]
    assert len(logged) == 1 and logged[0]["dropped"] and logged[0]["status"] == 200
    # Spent: the next comment is answered.
    assert as_app("POST", INCIDENT + "/comments", json=COMMENT).status_code == 200


def test_drop_fault_on_an_inner_request_drops_the_outer_connection(as_app, emulator):
    emulator.set_faults({"rules": [{"path_regex": "/comments$", "in_batch": True, "after": "drop", "count": 1}]})
    with pytest.raises(requests.exceptions.ConnectionError):
        as_app("POST", "/v1.0/$batch", json={"requests": [
            {"id": "1", "method": "POST", "url": f"/security/incidents/{SEED_ID}/comments", "body": COMMENT,
             "headers": {"Content-Type": "application/json"}}]})
    assert emulator.incident(SEED_ID)["comments"][-1]["comment"] == COMMENT["comment"]


def test_drop_rule_must_not_carry_a_status(emulator):
    with pytest.raises(requests.HTTPError):
        emulator.set_faults({"rules": [{"after": "drop", "status": 500}]})
    with pytest.raises(requests.HTTPError):
        emulator.set_faults({"rules": [{"after": "later"}]})


def test_the_emulated_write_rules_match_the_collection_schema():
    """The emulator cannot import the collection; its copy of Graph's write rules must agree."""
    from ansible_collections.msgraph.security.plugins.module_utils._resources import incident_schema as schema
    from tests.emulator import writes
    assert set(writes.WRITABLE) == set(schema.WRITABLE_FIELDS.values())
    assert writes.SETTABLE_STATUSES == schema.SETTABLE_STATUSES
    assert set(schema.CLASSIFICATIONS) <= set(writes.WRITABLE_ENUMS["classification"])
    assert set(schema.DETERMINATIONS) <= set(writes.WRITABLE_ENUMS["determination"])
