"""pytest plugin: a session-scoped ``emulator`` fixture running
``python -m tests.emulator`` in a subprocess.

Register it with ``pytest_plugins = ["tests.emulator.fixture"]``. Outside pytest,
``start_emulator(state_dir)`` is a context manager doing the same.
"""

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

REPO_ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 20.0


class PinnedSession(requests.Session):
    """A Session that really uses ``verify``.

    requests prefers REQUESTS_CA_BUNDLE / CURL_CA_BUNDLE from the environment
    over ``session.verify``; CI machines set them. Passing verify on each
    request wins over the environment, so do that.
    """

    def __init__(self, ca_path):
        super().__init__()
        self.verify = ca_path

    def request(self, method, url, **kwargs):
        kwargs.setdefault("verify", self.verify)
        return super().request(method, url, **kwargs)


class Emulator:
    """Handle on a running emulator process."""

    def __init__(self, process, state_dir, info, log_path):
        self.process = process
        self.state_dir = Path(state_dir)
        self.info = info
        self.log_path = log_path
        self.url = info["url"]
        self.ca_path = info["ca_path"]
        self.tenant_id = info["tenant_id"]
        self.apps = info["apps"]
        self.managed_identity = info["managed_identity"]
        self.known = info["known_incidents"]
        self.authority = info["authority"]
        self.scope = info["scope"]
        self._control = PinnedSession(self.ca_path)

    # -- pointing clients at it ----------------------------------------
    def session(self):
        """A requests.Session that trusts the emulator's CA (use it as MSAL's http_client too)."""
        return PinnedSession(self.ca_path)

    def env(self, app="reader-secret"):
        """Environment variables pointing the collection at the emulator.

        app: "reader-secret", "reader-cert", "writer-secret" (may also write), "no-permission",
        "managed-identity" (system-assigned) or "managed-identity-user" (user-assigned).
        """
        from .server import env_vars
        return env_vars(self.info, app)

    # -- control API -----------------------------------------------------
    def _call(self, method, path, timeout=10, **kwargs):
        resp = self._control.request(method, f"{self.url}/_emulator/{path}", timeout=timeout, **kwargs)
        resp.raise_for_status()
        return resp.json()

    def requests(self, clear=False, settle=0):
        """Every request served since the last clear (outer and $batch inner ones).

        settle: first wait up to that many seconds for requests still being served."""
        entries = self._call("GET", "requests", params={"settle": settle} if settle else None,
                             timeout=10 + settle)
        if clear:
            self.clear_requests()
        return entries

    def clear_requests(self):
        self._call("DELETE", "requests")

    def set_faults(self, config):
        """Replace the fault config: {"latency_ms": N, "rules": [...]} (see faults.py)."""
        return self._call("PUT", "faults", json=config)

    def faults(self):
        """The fault config with each rule's "fired" and "remaining" counts."""
        return self._call("GET", "faults")

    def reset_faults(self):
        return self._call("DELETE", "faults")

    def reset(self):
        """Incidents as at start (undoing writes), no fault rules, an empty request log."""
        return self._call("POST", "reset")

    def set_clock_skew(self, seconds):
        """Graph's clock (stamps, Date headers) ``seconds`` ahead of the real one (negative: behind); reset undoes it."""
        return self._call("PUT", "clock", json={"skew_seconds": seconds})

    def expire_tokens(self):
        return self._call("POST", "tokens/expire")

    def expired_token(self, app="reader-secret"):
        """An access token of ``app`` whose exp is an hour past (Graph refuses it as expired)."""
        return self._call("POST", "tokens/expired", json={"app": app})["access_token"]

    def user_token(self, app="writer-secret", username="analyst@contoso-emulator.onmicrosoft.com",
                   scope="https://graph.microsoft.com/.default"):
        """A delegated token (scp, no roles) for a user signing in through ``app`` (password grant)."""
        from .directory import USERS
        registration = self.apps[app]
        answer = self.session().post(self.authority + "/oauth2/v2.0/token", timeout=10, data={
            "grant_type": "password", "client_id": registration["client_id"],
            "client_secret": registration["client_secret"], "username": username,
            "password": USERS[username]["password"], "scope": scope})
        answer.raise_for_status()
        return answer.json()["access_token"]

    def incident_ids(self, odata_filter=None, include_unknown_enum_members=True):
        """Ids a Graph list with this $filter returns, newest first."""
        params = {"include_unknown_enum_members": str(include_unknown_enum_members).lower()}
        if odata_filter:
            params["$filter"] = odata_filter
        return self._call("GET", "incidents", params=params)["ids"]

    def incident(self, incident_id):
        """The stored incident (all properties, real status) with alerts."""
        return self._call("GET", f"incidents/{incident_id}")

    def create_incident(self, fields=None, at=None):
        """A new incident (a copy of incident 300 with the next id), created at ``at`` (Graph stamp) or now."""
        return self._call("POST", "incidents", json={"fields": fields, "at": at})

    def create_incidents(self, count, fields=None):
        """``count`` new incidents in one control call (a burst), oldest first."""
        return self._call("POST", "incidents", json={"fields": fields, "count": count})

    def update_incident(self, incident_id, changes=None, at=None):
        """Change an incident's properties; lastUpdateDateTime becomes ``at`` or now."""
        return self._call("PATCH", f"incidents/{incident_id}", json={"changes": changes or {}, "at": at})

    def create_alert(self, incident_id=None, fields=None, at=None):
        """A new alert on ``incident_id`` (default incident 300), created ``at`` (Graph stamp) or now."""
        return self._call("POST", "alerts", json={"incident_id": incident_id, "fields": fields, "at": at})

    def create_alerts(self, count, incident_id=None, fields=None):
        """``count`` new alerts in one control call (a burst), oldest first."""
        return self._call("POST", "alerts", json={"incident_id": incident_id, "fields": fields, "count": count},
                          timeout=60)

    def update_alert(self, alert_id, changes=None, at=None):
        """Change an alert's properties; lastUpdateDateTime becomes ``at`` or now."""
        return self._call("PATCH", f"alerts/{alert_id}", json={"changes": changes or {}, "at": at})

    def set_fleet(self, count):
        """``count`` generated machines in Defender's machine list beyond the evidence's devices; returns the total."""
        return self._call("PUT", "machines", json={"fleet": count})["machines"]

    def machines(self):
        """Defender's machine list as the emulator holds it (the evidence's devices, then the fleet)."""
        return self._call("GET", "machines")

    def set_machine_actions(self, pending_seconds=None, progress_seconds=None, fail=None, offline=None):
        """The machine actions' life cycle: seconds in Pending and InProgress, machines whose actions fail or
        stay Pending (offline); reset restores it."""
        return self._call("PUT", "machineactions/settings", json={
            "pending_seconds": pending_seconds, "progress_seconds": progress_seconds, "fail": fail, "offline": offline})

    def machine_actions(self):
        """Every machine action, newest first, with its status as now."""
        return self._call("GET", "machineactions")

    def seed_machine_action(self, machine_id, type, scope=None, status="Succeeded"):
        """An action made elsewhere (the portal), already in ``status``."""
        body = {"machine_id": machine_id, "type": type, "scope": scope, "status": status}
        return self._call("POST", "machineactions", json=body)

    def indicators(self):
        return self._call("GET", "indicators")

    def users(self):
        """Entra ID users with accountEnabled, their revocation count and their risk record (or None)."""
        return self._call("GET", "users")

    def changes(self):
        """The emulator's record of every change since start or reset: [{"id", "change", "lastUpdateDateTime"}]."""
        return self._call("GET", "changes")

    def output(self):
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


def _read_info(info_path, pid):
    try:
        info = json.loads(info_path.read_text())
    except (OSError, ValueError):
        return None
    return info if info.get("pid") == pid else None


@contextlib.contextmanager
def start_emulator(state_dir, latency_ms=0, timeout=START_TIMEOUT, extra_args=()):
    """Start an emulator process, wait until it answers, stop it on exit."""
    state_dir = Path(state_dir)
    state_dir.mkdir(parents=True, exist_ok=True)
    log_path = state_dir / "emulator.log"
    cmd = [sys.executable, "-m", "tests.emulator", "--port", "0", "--state-dir", str(state_dir),
           "--latency-ms", str(latency_ms), *extra_args]
    with open(log_path, "wb") as log_file:
        process = subprocess.Popen(cmd, cwd=REPO_ROOT, stdout=log_file, stderr=subprocess.STDOUT,
                                   env=dict(os.environ, PYTHONUNBUFFERED="1"))
    try:
        info = _wait_ready(process, state_dir / "emulator.json", log_path, timeout)
        yield Emulator(process, state_dir, info, log_path)
    finally:
        _stop(process)


def _wait_ready(process, info_path, log_path, timeout):
    deadline = time.monotonic() + timeout
    last_error = None
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        info = _read_info(info_path, process.pid)
        if info:
            try:
                PinnedSession(info["ca_path"]).get(f"{info['url']}/_emulator/health", timeout=2)
                return info
            except requests.RequestException as exc:
                last_error = exc
        time.sleep(0.1)
    _stop(process)
    output = log_path.read_text(errors="replace") if log_path.exists() else ""
    state = f"exited with {process.returncode}" if process.returncode is not None else "still starting"
    raise RuntimeError(
        f"emulator did not become ready within {timeout:.0f}s ({state}); last error: {last_error}\n"
        f"--- emulator output ---\n{output}")


def _stop(process):
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture(scope="session")
def emulator(tmp_path_factory):
    """A running emulator shared by the whole test session (one per xdist worker)."""
    with start_emulator(tmp_path_factory.mktemp("emulator")) as running:
        yield running


@pytest.fixture(autouse=True)
def _own_emulator_state(request):
    """Every test that uses the emulator starts with no fault rules and an empty request log.

    Clearing the log starts a new epoch in the emulator: a request another test left
    running (a delayed answer its client gave up on) is not logged when it finishes, so
    each test sees only its own requests, whatever the order the tests run in.
    """
    if "emulator" in request.fixturenames:
        running = request.getfixturevalue("emulator")
        running.reset_faults()
        running.clear_requests()


@pytest.fixture
def clean_emulator(emulator):
    """The session emulator with no fault rules, an empty request log, and
    those reset again afterwards."""
    emulator.reset_faults()
    emulator.clear_requests()
    yield emulator
    emulator.reset_faults()
    emulator.clear_requests()
