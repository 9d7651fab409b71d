"""End-to-end tests of the emulator: real MSAL and requests over verified TLS."""

import json
import os
import re
import socket
import subprocess
import sys
import time
import uuid

import jwt
import msal
import pytest
import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from tests.emulator.data import KNOWN, SEED_ID
from tests.emulator.fixture import start_emulator

V1_KEYS = {
    "id", "displayName", "description", "summary", "assignedTo", "classification", "determination",
    "severity", "status", "customTags", "systemTags", "comments", "createdDateTime",
    "lastUpdateDateTime", "lastModifiedBy", "resolvingComment", "redirectIncidentId",
    "incidentWebUrl", "tenantId", "priorityScore",
}
BETA_ONLY = {"recommendedActions", "recommendedHuntingQueries"}
PREFER = {"Prefer": "include-unknown-enum-members"}
GRAPH = "https://graph.microsoft.com"


@pytest.fixture(autouse=True)
def _clean(clean_emulator):
    """Every test starts with no fault rules and an empty request log."""


@pytest.fixture(scope="module")
def http(emulator):
    return emulator.session()


def confidential_app(emulator, name="reader-secret", credential=None):
    app = emulator.apps[name]
    return msal.ConfidentialClientApplication(
        app["client_id"], client_credential=credential or app.get("client_secret"),
        authority=emulator.authority, instance_discovery=False, http_client=emulator.session())


@pytest.fixture
def token(emulator):
    # Per test: test_token_expiry kills every token issued before it.
    return confidential_app(emulator).acquire_token_for_client([emulator.scope])["access_token"]


@pytest.fixture
def graph(emulator, http, token):
    """Call a Graph path (relative to the emulator URL) with the reader app's token."""
    def call(method, path, headers=None, **kwargs):
        headers = {"Authorization": f"Bearer {token}", **(headers or {})}
        return http.request(method, emulator.url + path, headers=headers, timeout=30, **kwargs)
    call.url = emulator.url
    emulator.clear_requests()  # the log should show only what the test did
    return call


def assert_graph_error(resp, status, code):
    assert resp.status_code == status, resp.text
    error = resp.json()["error"]
    assert error["code"] == code
    inner = error["innerError"]
    assert inner["request-id"] == resp.headers["request-id"]
    assert inner["client-request-id"] == resp.headers["client-request-id"]
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$", inner["date"])
    return error


def list_all(graph, url, headers=None):
    """Follow @odata.nextLink to the end; returns (items, pages)."""
    items, pages = [], []
    while url:
        resp = graph("GET", url, headers=headers)
        assert resp.status_code == 200, resp.text
        body = resp.json()
        pages.append(body)
        items += body["value"]
        url = body.get("@odata.nextLink")
        if url:
            assert url.startswith(graph.url + "/"), url  # absolute, on the emulator host
            url = url[len(graph.url):]
    return items, pages


# -- TLS and start-up ---------------------------------------------------------

def test_untrusted_client_fails_tls(emulator):
    with pytest.raises(requests.exceptions.SSLError):
        requests.get(f"{emulator.url}/_emulator/health", verify=True, timeout=10)
    import certifi
    with pytest.raises(requests.exceptions.SSLError):
        requests.get(f"{emulator.url}/_emulator/health", verify=certifi.where(), timeout=10)
    # ...and the server keeps serving trusted clients afterwards
    assert emulator.session().get(f"{emulator.url}/_emulator/health", timeout=10).status_code == 200


def test_silent_client_does_not_block_the_server(emulator):
    # The TLS handshake runs in the request thread, not in accept().
    host, port = emulator.url.split("//")[1].split(":")
    with socket.create_connection((host, int(port))):
        resp = emulator.session().get(f"{emulator.url}/_emulator/health", timeout=5)
    assert resp.status_code == 200


def test_state_dir_files(emulator):
    info = json.loads((emulator.state_dir / "emulator.json").read_text())
    assert info["pid"] == emulator.process.pid
    assert info["url"] == info["graph_url"] == info["authority_host"]
    assert re.match(r"^https://127\.0\.0\.1:\d+$", info["url"])
    assert set(info["apps"]) == {"reader-secret", "reader-cert", "writer-secret", "no-permission", "alert-reader", "alert-writer",
                                 "hunter-secret", "responder-secret"}
    assert info["managed_identity"]["endpoint"] == info["url"] + "/msi/token"
    for key in ("certificate_path", "protected_certificate_path", "public_certificate_path", "pfx_path"):
        assert os.path.isfile(info["apps"]["reader-cert"][key])
    assert oct(os.stat(info["apps"]["reader-cert"]["certificate_path"]).st_mode & 0o777) == "0o600"
    env_text = (emulator.state_dir / "emulator.env").read_text()
    for var in ("AZURE_TENANT_ID", "AZURE_CLIENT_ID", "AZURE_CLIENT_SECRET", "AZURE_AUTHORITY_HOST",
                "MSGRAPH_URL", "MSGRAPH_CA_PATH"):
        assert f"export {var}=" in env_text
    assert emulator.env()["AZURE_CLIENT_SECRET"] == info["apps"]["reader-secret"]["client_secret"]
    assert "AZURE_CLIENT_CERTIFICATE_PATH" in emulator.env("reader-cert")
    assert emulator.env("managed-identity")["IDENTITY_HEADER"] == info["managed_identity"]["header"]


def test_starts_and_stops_cleanly(tmp_path):
    with start_emulator(tmp_path) as second:
        assert second.session().get(f"{second.url}/_emulator/health", timeout=5).ok
        process = second.process
    assert process.returncode == 0
    output = (tmp_path / "emulator.log").read_text()
    assert "Traceback" not in output and "emulator stopped" in output
    assert not (tmp_path / "emulator.json").exists()


def test_incidents_option_sizes_the_dataset(tmp_path):
    with start_emulator(tmp_path, extra_args=("--incidents", "1001")) as big:
        ids = big.incident_ids()
        assert len(ids) == len(set(ids)) == 1001 and SEED_ID in ids
        assert len(big.incident_ids("createdDateTime ge 2025-01-01T00:00:00Z")) == 1000
        assert big.incident(KNOWN["highActive"])["severity"] == "high"
    out = subprocess.run([sys.executable, "-m", "tests.emulator", "--incidents", "300"],
                         cwd=os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                         capture_output=True, text=True, timeout=60, check=False)
    assert out.returncode == 2 and "at least 301" in out.stderr


def test_cli_module_runs_from_repo_root():
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    out = subprocess.run([sys.executable, "-m", "tests.emulator", "--help"], cwd=root,
                         capture_output=True, text=True, timeout=60, check=False)
    assert out.returncode == 0 and "--state-dir" in out.stdout


# -- Entra ID -------------------------------------------------------------------

def test_openid_configuration(emulator, http):
    resp = http.get(f"{emulator.authority}/v2.0/.well-known/openid-configuration", timeout=10)
    config = resp.json()
    assert config["token_endpoint"] == f"{emulator.authority}/oauth2/v2.0/token"
    assert config["issuer"] == f"{emulator.authority}/v2.0"
    assert "authorization_endpoint" in config and "jwks_uri" in config
    bad = http.get(f"{emulator.url}/not-a-tenant/v2.0/.well-known/openid-configuration", timeout=10)
    assert bad.status_code == 400
    assert bad.json()["error_codes"] == [90002]


def test_secret_app_gets_a_token_and_reads(emulator, http):
    result = confidential_app(emulator).acquire_token_for_client([emulator.scope])
    assert result["token_type"] == "Bearer" and result["expires_in"] > 3000
    resp = http.get(f"{emulator.url}/v1.0/security/incidents/{SEED_ID}",
                    headers={"Authorization": "Bearer " + result["access_token"]}, timeout=10)
    assert resp.status_code == 200
    token_call = [r for r in emulator.requests() if r["path"].endswith("/oauth2/v2.0/token")][0]
    assert token_call["client_auth"] == "secret"


def _cert_files(emulator):
    app = emulator.apps["reader-cert"]
    with open(app["certificate_path"]) as f:
        pem = f.read()
    with open(app["protected_certificate_path"]) as f:
        protected = f.read()
    with open(app["public_certificate_path"]) as f:
        public = f.read()
    return app, pem, protected, public


@pytest.mark.parametrize("form, algorithm", [
    ("sha1-thumbprint", "RS256"),
    ("public-certificate", "PS256"),
    ("protected-pem", "RS256"),
    ("pfx", "PS256"),
])
def test_certificate_app(emulator, http, form, algorithm):
    app, pem, protected, public = _cert_files(emulator)
    credential = {
        "sha1-thumbprint": {"private_key": pem, "thumbprint": app["thumbprint_sha1"]},
        "public-certificate": {"private_key": pem, "public_certificate": public},
        "protected-pem": {"private_key": protected, "thumbprint": app["thumbprint_sha1"],
                          "passphrase": app["certificate_password"]},
        "pfx": {"private_key_pfx_path": app["pfx_path"], "passphrase": app["certificate_password"]},
    }[form]
    result = confidential_app(emulator, "reader-cert", credential).acquire_token_for_client([emulator.scope])
    assert "access_token" in result, result
    token_call = [r for r in emulator.requests() if r["path"].endswith("/token")][-1]
    assert token_call["client_auth"] == f"assertion:{algorithm}"
    resp = http.get(f"{emulator.url}/v1.0/security/incidents/{SEED_ID}",
                    headers={"Authorization": "Bearer " + result["access_token"]}, timeout=10)
    assert resp.status_code == 200


def test_unregistered_certificate_is_rejected(emulator):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "stranger")])
    import datetime
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(1).not_valid_before(now).not_valid_after(now + datetime.timedelta(days=1))
            .sign(key, hashes.SHA256()))
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption()).decode()
    credential = {"private_key": pem, "thumbprint": cert.fingerprint(hashes.SHA1()).hex()}
    result = confidential_app(emulator, "reader-cert", credential).acquire_token_for_client([emulator.scope])
    assert result["error"] == "invalid_client" and result["error_codes"] == [700027]


def test_registered_thumbprint_with_wrong_key_fails_signature(emulator):
    app = _cert_files(emulator)[0]
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode()
    credential = {"private_key": other, "thumbprint": app["thumbprint_sha1"]}
    result = confidential_app(emulator, "reader-cert", credential).acquire_token_for_client([emulator.scope])
    assert result["error_codes"] == [700027]
    assert "signature" in result["error_description"]


def test_wrong_secret(emulator):
    result = confidential_app(emulator, credential="not-the-secret").acquire_token_for_client([emulator.scope])
    assert result["error"] == "invalid_client" and result["error_codes"] == [7000215]
    assert result["error_description"].startswith("AADSTS7000215: Invalid client secret provided.")
    assert "trace_id" in result and "correlation_id" in result


def test_unknown_client_and_wrong_scope(emulator):
    unknown = msal.ConfidentialClientApplication(
        str(uuid.uuid4()), client_credential="x", authority=emulator.authority,
        instance_discovery=False, http_client=emulator.session())
    result = unknown.acquire_token_for_client([emulator.scope])
    assert result["error"] == "unauthorized_client" and result["error_codes"] == [700016]
    result = confidential_app(emulator).acquire_token_for_client([GRAPH + "/.default", "openid"])
    assert result["error"] == "invalid_scope" and result["error_codes"] == [70011]
    result = confidential_app(emulator).acquire_token_for_client([GRAPH + "/SecurityIncident.Read.All"])
    assert result["error"] == "invalid_scope" and result["error_codes"] == [1002012]


def test_token_endpoint_raw_errors(emulator, http):
    url = f"{emulator.authority}/oauth2/v2.0/token"
    app = emulator.apps["reader-secret"]
    base = {"client_id": app["client_id"], "client_secret": app["client_secret"], "scope": emulator.scope}
    assert http.post(url, data=dict(base, grant_type="client_credentials"), timeout=10).status_code == 200
    basic = http.post(url, auth=(app["client_id"], app["client_secret"]), timeout=10,  # client_secret_basic
                      data={"grant_type": "client_credentials", "scope": emulator.scope})
    assert basic.status_code == 200, basic.text
    resp = http.post(url, data=dict(base, grant_type="authorization_code"), timeout=10)
    assert resp.status_code == 400 and resp.json()["error"] == "unsupported_grant_type"
    resp = http.post(url, data={"grant_type": "client_credentials", "client_id": app["client_id"],
                                "scope": emulator.scope}, timeout=10)
    assert resp.status_code == 401 and resp.json()["error_codes"] == [7000216]
    resp = http.post(f"{emulator.url}/wrong-tenant/oauth2/v2.0/token",
                     data=dict(base, grant_type="client_credentials"), timeout=10)
    assert resp.status_code == 400 and resp.json()["error"] == "invalid_tenant"


@pytest.fixture
def restored(emulator):
    """The emulator's dataset as at start after the test wrote."""
    yield emulator
    emulator.reset()


def test_password_grant_gives_a_delegated_token_graph_honours(restored, emulator, http):
    token = emulator.user_token("writer-secret")
    claims = jwt.decode(token, options={"verify_signature": False})
    assert "roles" not in claims and claims["idtyp"] == "user"
    assert claims["scp"] == "User.Read SecurityIncident.ReadWrite.All"
    assert claims["upn"] == "analyst@contoso-emulator.onmicrosoft.com" and claims["aud"] == GRAPH
    resp = http.patch(f"{emulator.url}/v1.0/security/incidents/{SEED_ID}", json={"customTags": ["x"]},
                      headers={"Authorization": "Bearer " + token}, timeout=10)
    assert resp.status_code == 200, resp.text


def test_password_grant_refusals(emulator, http):
    url = f"{emulator.authority}/oauth2/v2.0/token"
    app = emulator.apps["writer-secret"]
    base = {"grant_type": "password", "client_id": app["client_id"], "client_secret": app["client_secret"],
            "username": "analyst@contoso-emulator.onmicrosoft.com", "scope": GRAPH + "/.default openid profile"}
    resp = http.post(url, data=dict(base, password="wrong"), timeout=10)
    assert resp.status_code == 400 and resp.json()["error_codes"] == [50126]
    from tests.emulator.directory import USERS
    good = dict(base, password=USERS[base["username"]]["password"])
    resp = http.post(url, data=dict(good, scope=GRAPH + "/SecurityIncident.Read.All"), timeout=10)
    assert resp.status_code == 400 and resp.json()["error_codes"] == [65001]
    resp = http.post(url, data=dict(good, scope=GRAPH + "/SecurityIncident.ReadWrite.All"), timeout=10)
    assert resp.status_code == 200 and resp.json()["scope"] == GRAPH + "/SecurityIncident.ReadWrite.All"


def test_expired_token_has_a_past_exp_and_graph_refuses_it(emulator, http):
    token = emulator.expired_token("reader-secret")
    assert jwt.decode(token, options={"verify_signature": False})["exp"] < time.time() - 3000
    resp = http.get(f"{emulator.url}/v1.0/security/incidents/{SEED_ID}",
                    headers={"Authorization": "Bearer " + token}, timeout=10)
    error = assert_graph_error(resp, 401, "InvalidAuthenticationToken")
    assert "the token is expired" in error["message"]


def test_app_without_roles_gets_403(emulator, http):
    result = confidential_app(emulator, "no-permission").acquire_token_for_client([emulator.scope])
    resp = http.get(f"{emulator.url}/v1.0/security/incidents/{SEED_ID}",
                    headers={"Authorization": "Bearer " + result["access_token"]}, timeout=10)
    error = assert_graph_error(resp, 403, "Forbidden")
    assert error["message"] == ("Missing application roles. API required roles: "
                                "SecurityIncident.Read.All,SecurityIncident.ReadWrite.All")


def test_managed_identity(emulator, http, monkeypatch):
    mi = emulator.managed_identity
    monkeypatch.setenv("IDENTITY_ENDPOINT", mi["endpoint"])
    monkeypatch.setenv("IDENTITY_HEADER", mi["header"])
    system = msal.ManagedIdentityClient(msal.SystemAssignedManagedIdentity(), http_client=emulator.session())
    result = system.acquire_token_for_client(resource=GRAPH)
    assert "access_token" in result, result
    resp = http.get(f"{emulator.url}/v1.0/security/incidents/{SEED_ID}",
                    headers={"Authorization": "Bearer " + result["access_token"]}, timeout=10)
    assert resp.status_code == 200
    user = msal.ManagedIdentityClient(
        msal.UserAssignedManagedIdentity(client_id=mi["user_assigned"]["client_id"]),
        http_client=emulator.session())
    assert "access_token" in user.acquire_token_for_client(resource=GRAPH)
    stranger = msal.ManagedIdentityClient(
        msal.UserAssignedManagedIdentity(client_id=str(uuid.uuid4())), http_client=emulator.session())
    assert "error" in stranger.acquire_token_for_client(resource=GRAPH)
    auths = [r["client_auth"] for r in emulator.requests() if r["path"] == "/msi/token"]
    assert auths == ["managed-identity:system", "managed-identity:user-assigned", None]


def test_managed_identity_raw_errors(emulator, http):
    mi = emulator.managed_identity
    params = {"api-version": "2019-08-01", "resource": GRAPH}
    resp = http.get(mi["endpoint"], params=params, headers={"X-IDENTITY-HEADER": "wrong"}, timeout=10)
    assert resp.status_code == 401 and resp.json()["statusCode"] == 401
    resp = http.get(mi["endpoint"], params=dict(params, client_id="nope"),
                    headers={"X-IDENTITY-HEADER": mi["header"]}, timeout=10)
    assert resp.status_code == 400 and "message" in resp.json()
    resp = http.get(mi["endpoint"], params=params, headers={"X-IDENTITY-HEADER": mi["header"]}, timeout=10)
    body = resp.json()
    assert int(body["expires_on"]) > time.time() + 3000 and body["resource"] == GRAPH


# -- Graph: get --------------------------------------------------------------------

def test_get_seed_incident_v1(graph, emulator):
    resp = graph("GET", f"/v1.0/security/incidents/{SEED_ID}", headers={"client-request-id": "abc-123"})
    assert resp.status_code == 200
    assert resp.headers["client-request-id"] == "abc-123"
    uuid.UUID(resp.headers["request-id"])
    assert "Date" in resp.headers and resp.headers["Content-Type"].startswith("application/json")
    body = resp.json()
    assert body["@odata.context"] == f"{emulator.url}/v1.0/$metadata#security/incidents/$entity"
    assert V1_KEYS <= set(body) and not BETA_ONLY & set(body)
    assert (body["status"], body["severity"], body["classification"], body["determination"]) == (
        "active", "medium", "truePositive", "multiStagedAttack")
    assert body["comments"][0]["createdByDisplayName"] == "DavidS@contoso.com"
    assert body["customTags"] == ["Demo"] and body["assignedTo"] == "KaiC@contoso.com"


def test_get_seed_incident_beta_has_recommendations(graph):
    body = graph("GET", f"/beta/security/incidents/{SEED_ID}").json()
    assert V1_KEYS | BETA_ONLY <= set(body)
    assert "Raspberry Robin" in body["recommendedHuntingQueries"][0]["kqlText"]


def test_get_unknown_incident_is_404(graph):
    error = assert_graph_error(graph("GET", "/v1.0/security/incidents/999999999"), 404, "NotFound")
    assert "999999999" in error["message"]


def test_select_and_bad_select(graph):
    body = graph("GET", f"/v1.0/security/incidents/{SEED_ID}?$select=id,status").json()
    assert {k for k in body if not k.startswith("@")} == {"id", "status"}
    assert_graph_error(graph("GET", f"/v1.0/security/incidents/{SEED_ID}?$select=recommendedActions"),
                       400, "BadRequest")


def test_expand_alerts(graph):
    body = graph("GET", f"/v1.0/security/incidents/{SEED_ID}?$expand=alerts").json()
    assert len(body["alerts"]) == 3
    for alert in body["alerts"]:
        assert alert["incidentId"] == SEED_ID
        for key in ("id", "providerAlertId", "status", "severity", "classification", "determination",
                    "serviceSource", "detectionSource", "title", "category", "createdDateTime",
                    "lastUpdateDateTime"):
            assert key in alert
        assert len(alert["evidence"]) >= 2
        assert all(e["@odata.type"].startswith("#microsoft.graph.security.") for e in alert["evidence"])
    assert "alerts" not in graph("GET", f"/v1.0/security/incidents/{SEED_ID}").json()


def test_auth_failures(emulator, http, graph):
    url = f"{emulator.url}/v1.0/security/incidents/{SEED_ID}"
    error = assert_graph_error(http.get(url, timeout=10), 401, "InvalidAuthenticationToken")
    assert error["message"] == "Access token is empty."
    resp = http.get(url, headers={"Authorization": "Bearer forged"}, timeout=10)
    assert_graph_error(resp, 401, "InvalidAuthenticationToken")
    assert "WWW-Authenticate" in resp.headers


def test_unknown_paths_are_graph_errors(graph):
    assert_graph_error(graph("GET", "/v1.0/security/nothing"), 400, "BadRequest")
    assert_graph_error(graph("GET", "/security/incidents"), 400, "BadRequest")  # no version
    assert_graph_error(graph("DELETE", f"/v1.0/security/incidents/{SEED_ID}"), 405, "BadRequest")


# -- evolvable enum -------------------------------------------------------------------

def test_awaiting_action_needs_prefer(graph):
    iid = KNOWN["awaitingAction"]
    plain = graph("GET", f"/v1.0/security/incidents/{iid}")
    assert plain.json()["status"] == "unknownFutureValue"
    assert "Preference-Applied" not in plain.headers
    opted = graph("GET", f"/v1.0/security/incidents/{iid}", headers=PREFER)
    assert opted.json()["status"] == "awaitingAction"
    assert opted.headers["Preference-Applied"] == "include-unknown-enum-members"


def test_awaiting_action_in_lists(graph, emulator):
    flt = "status eq 'awaitingAction'"
    assert_graph_error(graph("GET", f"/v1.0/security/incidents?$filter={flt}"), 400, "BadRequest")
    items = list_all(graph, f"/v1.0/security/incidents?$filter={flt}", headers=PREFER)[0]
    assert [i["id"] for i in items] == emulator.incident_ids(flt)
    assert KNOWN["awaitingAction"] in [i["id"] for i in items]
    plain = list_all(graph, "/v1.0/security/incidents?$filter=status eq 'unknownFutureValue'")[0]
    assert [i["id"] for i in plain] == [i["id"] for i in items]


# -- Graph: list -------------------------------------------------------------------

def test_list_pages_follow_next_link(graph, emulator):
    flt = "severity eq 'high' or severity eq 'medium'"
    items, pages = list_all(graph, f"/v1.0/security/incidents?$filter={flt}&$count=true", headers=PREFER)
    ids = [i["id"] for i in items]
    assert ids == emulator.incident_ids(flt)  # same set, newest first, no duplicates
    assert len(ids) == len(set(ids)) > 100
    assert all(len(p["value"]) == 50 for p in pages[:-1]) and "@odata.nextLink" not in pages[-1]
    assert all(p["@odata.count"] == len(ids) for p in pages)
    first_link = pages[0]["@odata.nextLink"]
    assert first_link.startswith(emulator.url + "/v1.0/security/incidents?")
    assert "$filter=" in first_link and "$count=true" in first_link and "$skip=50" in first_link


def test_list_is_newest_first_and_default_page_is_50(graph):
    body = graph("GET", "/v1.0/security/incidents").json()
    created = [i["createdDateTime"] for i in body["value"]]
    assert len(created) == 50 and created == sorted(created, reverse=True)
    assert body["@odata.context"].endswith("/v1.0/$metadata#security/incidents")


def test_top_is_the_page_size_capped_at_50(graph):
    body = graph("GET", "/v1.0/security/incidents?$top=7").json()
    assert len(body["value"]) == 7 and "$top=7" in body["@odata.nextLink"]
    body = graph("GET", "/v1.0/security/incidents?$top=500").json()
    assert len(body["value"]) == 50 and "@odata.nextLink" in body
    assert_graph_error(graph("GET", "/v1.0/security/incidents?$top=-1"), 400, "BadRequest")
    assert graph("GET", "/v1.0/security/incidents?$top=0").json()["value"] == []


def test_skip(graph, emulator):
    ids = emulator.incident_ids()
    body = graph("GET", "/v1.0/security/incidents?$skip=295&$count=true").json()
    assert [i["id"] for i in body["value"]] == ids[295:]
    assert body["@odata.count"] == len(ids) == 301


def test_filter_quote_escaping_and_null(graph, emulator):
    items = list_all(graph, "/v1.0/security/incidents?$filter=assignedTo eq 'o''brien@contoso.com'")[0]
    assert KNOWN["obrien"] in [i["id"] for i in items]
    assert all(i["assignedTo"] == "o'brien@contoso.com" for i in items)
    items = list_all(graph, "/v1.0/security/incidents?$filter=assignedTo eq null")[0]
    assert KNOWN["unassigned"] in [i["id"] for i in items] and all(i["assignedTo"] is None for i in items)


def test_filter_dates_and_combinations(graph, emulator):
    flt = ("createdDateTime ge 2026-01-01T00:00:00Z and (status eq 'active' or status eq 'inProgress') "
           "and not (severity eq 'low')")
    resp = graph("GET", "/v1.0/security/incidents", params={"$filter": flt, "$count": "true"}, headers=PREFER)
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert body["@odata.count"] == len(emulator.incident_ids(flt)) > 0
    for i in body["value"]:
        assert i["createdDateTime"] >= "2026-01-01" and i["status"] in ("active", "inProgress")
        assert i["severity"] != "low"


@pytest.mark.parametrize("flt", [
    "status eq 'active",                       # unterminated string
    "status eq active",                        # unquoted string
    "displayName eq 'x'",                      # not filterable
    "Status eq 'active'",                      # property names are case-sensitive
    "severity eq 'critical'",                  # not an enum member
    "severity gt 'low'",                       # no ordering on enums
    "createdDateTime ge '2026-01-01'",         # quoted date
    "(status eq 'active'",                     # unbalanced
    "status eq 'active' and",                  # dangling
    "startswith(assignedTo,'k')",              # functions unsupported
])
def test_bad_filters_are_400(graph, flt):
    error = assert_graph_error(graph("GET", "/v1.0/security/incidents", params={"$filter": flt}),
                               400, "BadRequest")
    assert error["message"].startswith("Invalid filter clause:")


def test_unsupported_query_option(graph):
    assert_graph_error(graph("GET", "/v1.0/security/incidents?$orderby=createdDateTime"), 400, "BadRequest")


def test_list_expand_and_beta(graph):
    body = graph("GET", "/beta/security/incidents?$top=3&$expand=alerts").json()
    assert all(1 <= len(i["alerts"]) <= 3 for i in body["value"])
    assert all(BETA_ONLY <= set(i) for i in body["value"])
    body = graph("GET", "/v1.0/security/incidents?$top=3").json()
    assert all(not BETA_ONLY & set(i) for i in body["value"])


# -- $batch ----------------------------------------------------------------------------

def _batch(graph, items, version="v1.0"):
    return graph("POST", f"/{version}/$batch", json={"requests": items})


def test_batch_runs_inner_requests_in_shuffled_order(graph, emulator):
    ids = [SEED_ID, KNOWN["awaitingAction"], "424242", KNOWN["highActive"], KNOWN["resolved"]]
    items = [{"id": str(n), "method": "GET", "url": f"/security/incidents/{iid}", "headers": PREFER}
             for n, iid in enumerate(ids)]
    resp = _batch(graph, items)
    assert resp.status_code == 200
    responses = resp.json()["responses"]
    assert [r["id"] for r in responses] != [i["id"] for i in items]  # correlate by id, never by order
    by_id = {r["id"]: r for r in responses}
    assert by_id["1"]["body"]["status"] == "awaitingAction"
    assert by_id["1"]["headers"]["Preference-Applied"] == "include-unknown-enum-members"
    assert by_id["2"]["status"] == 404 and by_id["2"]["body"]["error"]["code"] == "NotFound"
    for r in responses:
        assert {"request-id", "client-request-id", "Date"} <= set(r["headers"])
    log = emulator.requests()
    assert [e["in_batch"] for e in log].count(True) == 5
    assert all(e["authorization"] == "bearer" for e in log)


def test_batch_inner_without_prefer_gets_unknown_future_value(graph):
    resp = _batch(graph, [{"id": "a", "method": "GET", "url": f"security/incidents/{KNOWN['awaitingAction']}"}])
    assert resp.json()["responses"][0]["body"]["status"] == "unknownFutureValue"


def test_batch_limits(graph):
    items = [{"id": str(n), "method": "GET", "url": f"/security/incidents/{SEED_ID}"} for n in range(21)]
    assert_graph_error(_batch(graph, items), 400, "BadRequest")
    dup = [{"id": "1", "method": "GET", "url": "/security/incidents/1"}] * 2
    assert_graph_error(_batch(graph, dup), 400, "BadRequest")
    absolute = [{"id": "1", "method": "GET", "url": "https://graph.microsoft.com/v1.0/security/incidents/1"}]
    assert_graph_error(_batch(graph, absolute), 400, "BadRequest")
    assert _batch(graph, items[:20]).status_code == 200


def test_batch_inner_throttling(graph, emulator):
    emulator.set_faults({"rules": [{"path_regex": r"/security/incidents/", "in_batch": True, "count": 2,
                                    "status": 429, "retry_after": 7}]})
    items = [{"id": str(n), "method": "GET", "url": f"/security/incidents/{n + 1}"} for n in range(4)]
    resp = _batch(graph, items)
    assert resp.status_code == 200
    statuses = sorted(r["status"] for r in resp.json()["responses"])
    assert statuses == [200, 200, 429, 429]
    throttled = [r for r in resp.json()["responses"] if r["status"] == 429]
    assert all(r["headers"]["Retry-After"] == "7" for r in throttled)
    assert all(r["body"]["error"]["code"] == "TooManyRequests" for r in throttled)
    logged = [e for e in emulator.requests() if e["status"] == 429]
    assert len(logged) == 2 and all(e["in_batch"] and e["retry_after"] == "7" for e in logged)


def test_batch_with_no_permission_app(emulator, http):
    result = confidential_app(emulator, "no-permission").acquire_token_for_client([emulator.scope])
    resp = http.post(f"{emulator.url}/v1.0/$batch", timeout=10,
                     headers={"Authorization": "Bearer " + result["access_token"]},
                     json={"requests": [{"id": "1", "method": "GET", "url": "/security/incidents/1"}]})
    assert resp.status_code == 200 and resp.json()["responses"][0]["status"] == 403


# -- faults, latency, expiry, log -------------------------------------------------------

def test_fault_rule_fires_count_times(graph, emulator):
    emulator.set_faults({"rules": [{"path_regex": "/security/incidents$", "method": "GET", "count": 2,
                                    "status": 503, "retry_after": 2, "body": "graph"}]})
    first = graph("GET", "/v1.0/security/incidents?$top=1")
    assert_graph_error(first, 503, "ServiceUnavailable")
    assert first.headers["Retry-After"] == "2"
    assert graph("GET", "/v1.0/security/incidents?$top=1").status_code == 503
    assert graph("GET", "/v1.0/security/incidents?$top=1").status_code == 200
    assert graph("GET", f"/v1.0/security/incidents/{SEED_ID}").status_code == 200  # path did not match
    assert [e["fault"] for e in emulator.requests()] == [True, True, False, False]


@pytest.mark.parametrize("kind", ["html", "truncated", "empty", "not_graph_json"])
def test_fault_bodies(graph, emulator, kind):
    emulator.set_faults({"rules": [{"path_regex": "incidents", "count": 1, "status": 502, "body": kind}]})
    resp = graph("GET", f"/v1.0/security/incidents/{SEED_ID}")
    assert resp.status_code == 502 and resp.headers["request-id"]
    if kind == "html":
        assert resp.headers["Content-Type"].startswith("text/html") and "<html>" in resp.text
    elif kind == "truncated":
        with pytest.raises(ValueError):
            json.loads(resp.text)
    elif kind == "empty":
        assert resp.content == b""
    else:
        assert resp.json() == {"message": "oops"}


def test_fault_on_token_endpoint(emulator):
    # MSAL raises on a 5xx from the token endpoint and returns the body of a 4xx.
    emulator.set_faults({"rules": [{"path_regex": "/oauth2/v2.0/token$", "count": 1, "status": 503,
                                    "body": "aad"}]})
    with pytest.raises(msal.exceptions.MsalServiceError):
        confidential_app(emulator).acquire_token_for_client([emulator.scope])
    emulator.set_faults({"rules": [{"path_regex": "/oauth2/v2.0/token$", "count": 1, "status": 429,
                                    "body": "aad", "retry_after": 1}]})
    result = confidential_app(emulator).acquire_token_for_client([emulator.scope])
    assert result.get("error") == "temporarily_unavailable", result
    assert "access_token" in confidential_app(emulator).acquire_token_for_client([emulator.scope])


def test_query_regex_and_slow_rule(graph, emulator):
    emulator.set_faults({"rules": [
        {"path_regex": "/security/incidents$", "query_regex": r"\$skip=50", "status": 500},
        {"path_regex": f"/security/incidents/{SEED_ID}$", "delay_ms": 300, "count": 1},
    ]})
    first = graph("GET", "/v1.0/security/incidents")
    assert first.status_code == 200
    nxt = first.json()["@odata.nextLink"][len(emulator.url):]
    assert_graph_error(graph("GET", nxt), 500, "InternalServerError")
    started = time.monotonic()
    assert graph("GET", f"/v1.0/security/incidents/{SEED_ID}").status_code == 200
    assert time.monotonic() - started >= 0.3


def test_bad_fault_config_is_rejected(emulator):
    with pytest.raises(requests.HTTPError):
        emulator.set_faults({"rules": [{"body": "nonsense"}]})


def test_latency(graph, emulator):
    emulator.set_faults({"latency_ms": 400, "rules": []})
    started = time.monotonic()
    graph("GET", f"/v1.0/security/incidents/{SEED_ID}")
    assert time.monotonic() - started >= 0.4
    started = time.monotonic()
    emulator.requests()  # control API is never delayed
    assert time.monotonic() - started < 0.4


def test_token_expiry(graph, emulator):
    assert graph("GET", f"/v1.0/security/incidents/{SEED_ID}").status_code == 200
    emulator.expire_tokens()
    error = assert_graph_error(graph("GET", f"/v1.0/security/incidents/{SEED_ID}"),
                               401, "InvalidAuthenticationToken")
    assert error["message"] == "Lifetime validation failed, the token is expired."
    fresh = confidential_app(emulator).acquire_token_for_client([emulator.scope])["access_token"]
    resp = emulator.session().get(f"{emulator.url}/v1.0/security/incidents/{SEED_ID}", timeout=10,
                                  headers={"Authorization": f"Bearer {fresh}"})
    assert resp.status_code == 200


def test_request_log(graph, emulator, token):
    graph("GET", f"/v1.0/security/incidents/{SEED_ID}?$expand=alerts",
          headers={"client-request-id": "cid-1", **PREFER})
    entries = emulator.requests(clear=True)
    assert len(entries) == 1
    entry = entries[0]
    assert entry["method"] == "GET" and entry["path"] == f"/v1.0/security/incidents/{SEED_ID}"
    assert entry["query"] == "$expand=alerts" and entry["status"] == 200 and entry["in_batch"] is False
    assert entry["authorization"] == "bearer" and entry["prefer"] == "include-unknown-enum-members"
    assert entry["client_request_id"] == "cid-1" and entry["retry_after"] is None
    assert token not in json.dumps(entries)
    assert emulator.requests() == []


# -- audiences and token shape ------------------------------------------------------

def _claims(token):
    return jwt.decode(token, options={"verify_signature": False})


@pytest.mark.parametrize("resource", ["https://graph.microsoft.com", "https://graph.microsoft.us/",
                                      "https://dod-graph.microsoft.us"])
def test_token_for_any_clouds_graph_is_accepted_by_graph(emulator, http, resource):
    result = confidential_app(emulator).acquire_token_for_client([resource + "/.default"])
    assert _claims(result["access_token"])["aud"] == resource.rstrip("/")
    resp = http.get(f"{emulator.url}/v1.0/security/incidents/{SEED_ID}",
                    headers={"Authorization": "Bearer " + result["access_token"]}, timeout=10)
    assert resp.status_code == 200
    assert [r["resource"] for r in emulator.requests() if r["path"].endswith("/token")] == [resource]


@pytest.mark.parametrize("name", ["reader-secret", "reader-cert"])
def test_unknown_resource_is_refused_like_entra(emulator, name):
    """The emulator's own URL is no resource Entra knows (nor is a reverse proxy's)."""
    credential = None
    if name == "reader-cert":
        app = emulator.apps[name]
        credential = {"private_key_pfx_path": app["pfx_path"], "passphrase": app["certificate_password"]}
    for resource in (emulator.url, "https://graph-proxy.corp.example"):
        result = confidential_app(emulator, name, credential).acquire_token_for_client([resource + "/.default"])
        assert result["error"] == "invalid_resource" and result["error_codes"] == [500011], result
        assert result["error_description"].startswith(
            f"AADSTS500011: The resource principal named {resource} was not found in the tenant")
    assert {r["status"] for r in emulator.requests() if r["path"].endswith("/token")} == {400}


def test_managed_identity_unknown_resource(emulator, http):
    mi = emulator.managed_identity
    resp = http.get(mi["endpoint"], params={"api-version": "2019-08-01", "resource": emulator.url},
                    headers={"X-IDENTITY-HEADER": mi["header"]}, timeout=10)
    assert resp.status_code == 400
    assert resp.json()["message"].startswith(
        f"AADSTS500011: The resource principal named {emulator.url} was not found in the tenant")


def test_token_for_another_api_is_refused_by_graph(emulator, http):
    result = confidential_app(emulator).acquire_token_for_client(["https://management.azure.com/.default"])
    assert _claims(result["access_token"])["aud"] == "https://management.azure.com"
    resp = http.get(f"{emulator.url}/v1.0/security/incidents/{SEED_ID}",
                    headers={"Authorization": "Bearer " + result["access_token"]}, timeout=10)
    assert_graph_error(resp, 401, "InvalidAuthenticationToken")
    assert "Invalid audience" in resp.json()["error"]["message"]


def test_access_tokens_are_entra_shaped_jwts(emulator, http, monkeypatch):
    writer = emulator.apps["writer-secret"]
    value = confidential_app(emulator, "writer-secret").acquire_token_for_client([emulator.scope])["access_token"]
    keys = http.get(f"{emulator.authority}/discovery/v2.0/keys", timeout=10).json()["keys"]
    assert jwt.get_unverified_header(value)["kid"] == keys[0]["kid"]
    claims = jwt.decode(value, jwt.algorithms.RSAAlgorithm.from_jwk(keys[0]), algorithms=["RS256"],
                        audience=GRAPH)
    assert claims["tid"] == emulator.tenant_id and claims["appid"] == writer["client_id"]
    assert claims["roles"] == ["SecurityIncident.ReadWrite.All"]
    assert claims["iss"] == f"https://sts.windows.net/{emulator.tenant_id}/"
    assert claims["exp"] - claims["iat"] == 3599 and uuid.UUID(claims["oid"])
    none = confidential_app(emulator, "no-permission").acquire_token_for_client([emulator.scope])["access_token"]
    assert "roles" not in _claims(none)
    mi = emulator.managed_identity
    monkeypatch.setenv("IDENTITY_ENDPOINT", mi["endpoint"])
    monkeypatch.setenv("IDENTITY_HEADER", mi["header"])
    system = msal.ManagedIdentityClient(msal.SystemAssignedManagedIdentity(), http_client=emulator.session())
    claims = _claims(system.acquire_token_for_client(resource="https://graph.microsoft.us")["access_token"])
    assert claims["aud"] == "https://graph.microsoft.us" and claims["oid"] == mi["system"]["object_id"]


def test_info_scope_is_graphs(emulator):
    assert emulator.scope == "https://graph.microsoft.com/.default"
