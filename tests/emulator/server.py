"""Start-up: throw-away TLS material, the client certificate of the
certificate app, the state files (emulator.json, emulator.env), and the
threaded werkzeug HTTPS server."""

import datetime
import json
import logging
import os
import shlex
import signal
import ssl
import sys
from pathlib import Path

import trustme
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from werkzeug.serving import WSGIRequestHandler, make_server

from tests.dev_collection import ensure_link

from .app import EmulatorState, create_app
from .data import KNOWN
from .directory import (APPS, CERT_PASSWORD, GRAPH_RESOURCES, IDENTITY_HEADER, MANAGED_IDENTITIES,
                        TENANT_DOMAIN, TENANT_ID)
from . import wire
from .faults import Faults

INFO_FILE = "emulator.json"
ENV_FILE = "emulator.env"


class _LazyHandshakeContext(ssl.SSLContext):
    """Defer the TLS handshake from accept() (listener thread) to the first
    read (request thread), so one silent client cannot block the server."""

    def wrap_socket(self, sock, server_side=False, do_handshake_on_connect=True, *args, **kwargs):
        return super().wrap_socket(sock, server_side, False, *args, **kwargs)


def _tls_context(state_dir):
    ca = trustme.CA(organization_name="msgraph.security emulator CA")
    leaf = ca.issue_cert("127.0.0.1", "localhost")
    ca.cert_pem.write_to_path(str(state_dir / "ca.pem"))
    context = _LazyHandshakeContext(ssl.PROTOCOL_TLS_SERVER)
    leaf.configure_cert(context)
    return context


def _write(path, data, private=False):
    path.write_bytes(data)
    if private:
        path.chmod(0o600)


def _client_certificate(state_dir):
    """Self-signed RSA certificate, as app registrations usually have, in
    every form the collection may be pointed at (PEM, encrypted PEM, PFX)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "msgraph-security-emulator reader-cert")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=365))
            .sign(key, hashes.SHA256()))
    cert_pem = cert.public_bytes(serialization.Encoding.PEM)
    pkcs8 = serialization.PrivateFormat.PKCS8
    plain = key.private_bytes(serialization.Encoding.PEM, pkcs8, serialization.NoEncryption())
    locked = key.private_bytes(serialization.Encoding.PEM, pkcs8,
                               serialization.BestAvailableEncryption(CERT_PASSWORD.encode()))
    paths = {
        "certificate_path": state_dir / "reader-cert.pem",
        "protected_certificate_path": state_dir / "reader-cert-protected.pem",
        "public_certificate_path": state_dir / "reader-cert.crt",
        "pfx_path": state_dir / "reader-cert.pfx",
    }
    _write(paths["certificate_path"], plain + cert_pem, private=True)
    _write(paths["protected_certificate_path"], locked + cert_pem, private=True)
    _write(paths["public_certificate_path"], cert_pem)
    _write(paths["pfx_path"], pkcs12.serialize_key_and_certificates(
        b"reader-cert", key, cert, None, serialization.BestAvailableEncryption(CERT_PASSWORD.encode())),
        private=True)
    details = {k: str(v.resolve()) for k, v in paths.items()}
    details.update({
        "certificate_password": CERT_PASSWORD,
        "thumbprint_sha1": cert.fingerprint(hashes.SHA1()).hex().upper(),
        "thumbprint_sha256": cert.fingerprint(hashes.SHA256()).hex().upper(),
    })
    return cert, details


def _info(base, state_dir, cert_details):
    apps = {}
    for name, app in APPS.items():
        entry = {"client_id": app["client_id"], "credential": app["credential"], "roles": app["roles"]}
        if app["credential"] == "secret":
            entry["client_secret"] = app["client_secret"]
        else:
            entry.update(cert_details)
        apps[name] = entry
    identities = {name.replace("-", "_"): dict(i) for name, i in MANAGED_IDENTITIES.items()}
    return {
        "url": base,
        "authority_host": base,
        "graph_url": base,
        "authority": f"{base}/{TENANT_ID}",
        # Tokens are for Microsoft Graph whatever graph_url says; the emulator is Graph for every cloud.
        "graph_resource": GRAPH_RESOURCES[0],
        "scope": f"{GRAPH_RESOURCES[0]}/.default",
        "ca_path": str((state_dir / "ca.pem").resolve()),
        "tenant_id": TENANT_ID,
        "tenant_domain": TENANT_DOMAIN,
        "pid": os.getpid(),
        "state_dir": str(state_dir.resolve()),
        "env_file": str((state_dir / ENV_FILE).resolve()),
        "control_url": f"{base}/_emulator",
        "apps": apps,
        "managed_identity": {"endpoint": f"{base}/msi/token", "header": IDENTITY_HEADER, **identities},
        "known_incidents": KNOWN,
    }


def env_vars(info, app="reader-secret"):
    """Environment pointing the collection at the emulator, for one app or
    managed identity ("managed-identity" or "managed-identity-user")."""
    env = {
        "AZURE_TENANT_ID": info["tenant_id"],
        "AZURE_AUTHORITY_HOST": info["authority_host"],
        "MSGRAPH_URL": info["graph_url"],
        "MSGRAPH_DEFENDER_URL": info["graph_url"],  # the Defender for Endpoint API is served on the same host
        "MSGRAPH_CA_PATH": info["ca_path"],
    }
    if app.startswith("managed-identity"):
        env["IDENTITY_ENDPOINT"] = info["managed_identity"]["endpoint"]
        env["IDENTITY_HEADER"] = info["managed_identity"]["header"]
        if app == "managed-identity-user":
            env["AZURE_CLIENT_ID"] = info["managed_identity"]["user_assigned"]["client_id"]
        return env
    registration = info["apps"][app]
    env["AZURE_CLIENT_ID"] = registration["client_id"]
    if "client_secret" in registration:
        env["AZURE_CLIENT_SECRET"] = registration["client_secret"]
    else:
        env["AZURE_CLIENT_CERTIFICATE_PATH"] = registration["certificate_path"]
    return env


def env_file_text(info):
    """The env file: the reader-secret app's settings, and what makes a git checkout usable as is.

    ANSIBLE_COLLECTIONS_PATH puts the checkout (through build/dev/ansible_collections/msgraph/security)
    first, and PATH this interpreter's bin directory (the .venv of make emulator, with ansible-core,
    msal and requests), so that after `source .emulator/emulator.env` the README's ansible-doc and
    ansible-playbook commands find msgraph.security (tests/integration/test_readme_dev_path.py).
    """
    lines = ["export %s=%s\n" % (k, shlex.quote(v)) for k, v in env_vars(info).items()]
    lines.append('export ANSIBLE_COLLECTIONS_PATH=%s:"${ANSIBLE_COLLECTIONS_PATH:-$HOME/.ansible/collections:'
                 '/usr/share/ansible/collections}"\n' % shlex.quote(ensure_link()))
    lines.append('export PATH=%s:"$PATH"\n' % shlex.quote(os.path.dirname(sys.executable)))
    return "".join(lines)


def _write_atomic(path, text):
    # A reader polling for the file must never see half of it.
    tmp = path.with_name(path.name + f".{os.getpid()}.tmp")
    tmp.write_text(text)
    os.replace(tmp, path)


def _instructions(info):
    return f"""\
Microsoft Graph + Entra ID emulator listening on {info['url']}  (pid {info['pid']})
  tenant_id       {info['tenant_id']}
  authority_host  {info['authority_host']}
  graph_url       {info['graph_url']}
  ca_path         {info['ca_path']}
Point the collection at it (and make this checkout the collection msgraph.security):
  source {info['env_file']}
  (or pass authority_host, graph_url and ca_path as module options)
Apps, secrets and certificate paths: {Path(info['state_dir']) / INFO_FILE}
Control API: {info['control_url']}/requests | /faults | /tokens/expire | /incidents
Stop with Ctrl+C or SIGTERM.
"""


class _GraphClockHandler(WSGIRequestHandler):
    """The Date header follows Graph's clock (wire.CLOCK_SKEW), as the stamps do."""

    def date_time_string(self, timestamp=None):
        return wire.http_date()


def _stop(signum, frame):
    # werkzeug's serve_forever treats KeyboardInterrupt as a clean stop.
    raise KeyboardInterrupt


def run(host="127.0.0.1", port=0, state_dir=".emulator", latency_ms=0, verbose=False):
    state_dir = Path(state_dir)
    state_dir.mkdir(parents=True, exist_ok=True)
    for stale in (INFO_FILE, ENV_FILE):
        (state_dir / stale).unlink(missing_ok=True)
    logging.getLogger("werkzeug").setLevel(logging.INFO if verbose else logging.ERROR)
    # SIGINT too: a shell that starts us in the background makes us ignore it.
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, _stop)

    context = _tls_context(state_dir)
    cert, cert_details = _client_certificate(state_dir)
    emulator = EmulatorState(app_certificates={"reader-cert": [cert]}, faults=Faults(latency_ms))
    server = make_server(host, port, create_app(emulator), threaded=True, ssl_context=context,
                         request_handler=_GraphClockHandler)
    url_host = "127.0.0.1" if host in ("0.0.0.0", "") else host
    emulator.base_url = f"https://{url_host}:{server.port}"
    emulator.info = info = _info(emulator.base_url, state_dir, cert_details)

    _write_atomic(state_dir / ENV_FILE, env_file_text(info))
    _write_atomic(state_dir / INFO_FILE, json.dumps(info, indent=2) + "\n")
    print(_instructions(info), flush=True)
    try:
        server.serve_forever()
    finally:
        # Gone with the process: a stale URL in these files would only mislead.
        for name in (INFO_FILE, ENV_FILE):
            (state_dir / name).unlink(missing_ok=True)
        print("emulator stopped", flush=True)
