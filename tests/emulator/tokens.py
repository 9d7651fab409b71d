"""Access tokens issued by the emulator's Entra ID, kept in memory.

Tokens are JWTs shaped like Entra ID's app-only Graph tokens (``aud``, ``iss``, ``tid``,
``appid``, ``oid``, ``roles``, ``iat``, ``nbf``, ``exp``), or like its delegated ones for a signed-in
user (``scp``, space-separated scopes, ``upn``, ``name``, the user's ``oid``, no ``roles``), signed RS256 with a key this
process owns (published at the tenant's JWKS URI). As with real Graph tokens, a client must
never rely on parsing one for an auth decision: whether a token is valid is decided here, by
the server-side record (expiry, revocation through ``expire_all``), not by its claims. The
collection reads claims for diagnostics only (msgraph.security.connection_info).
"""

import secrets
import threading
import time
import uuid
from dataclasses import dataclass

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

from .directory import GRAPH_RESOURCES, TENANT_ID

LIFETIME = 3599
ISSUER = f"https://sts.windows.net/{TENANT_ID}/"


@dataclass
class Token:
    subject: str  # app or identity name, for the request log and debugging
    client_id: str
    roles: tuple
    expires_at: float
    audience: str = GRAPH_RESOURCES[0]
    scopes: tuple = ()  # delegated permissions (scp), for a user's token


def service_principal_id(client_id):
    """A stable object id for an app's service principal (Entra gives each one its own)."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"emulator-service-principal:{client_id}"))


class TokenStore:
    def __init__(self):
        self._lock = threading.Lock()
        self._tokens = {}
        self._key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.key_id = secrets.token_urlsafe(16)

    def issue(self, subject, client_id, roles, lifetime=LIFETIME, audience=GRAPH_RESOURCES[0], object_id=None,
              user=None, issued_at=None):
        """An app token, or with ``user`` (a directory.USERS entry) a delegated one carrying ``roles``
        as its scopes; ``issued_at`` in the past makes one that has already expired."""
        now = int(time.time() if issued_at is None else issued_at)
        scopes = tuple(roles) if user else ()
        token = Token(subject, client_id, () if user else tuple(roles), now + lifetime, audience, scopes)
        claims = {
            "aud": audience, "iss": ISSUER, "iat": now, "nbf": now, "exp": now + lifetime,
            "tid": TENANT_ID, "appid": client_id, "appidacr": "1", "idtyp": "app",
            "oid": object_id or service_principal_id(client_id), "roles": list(roles),
            "sub": object_id or service_principal_id(client_id), "ver": "1.0",
            "uti": secrets.token_urlsafe(16),  # makes every token distinct, as Entra's are
        }
        if user:
            del claims["roles"]
            claims.update(idtyp="user", oid=user["object_id"], sub=service_principal_id(user["upn"]),
                          scp=" ".join(scopes), upn=user["upn"], unique_name=user["upn"], name=user["name"])
        if not roles:
            claims.pop("roles", None)  # Entra leaves the claim out when no role is granted
        value = jwt.encode(claims, self._key, algorithm="RS256", headers={"kid": self.key_id, "typ": "JWT"})
        with self._lock:
            self._tokens[value] = token
        return value, token

    def jwks(self):
        """The public key, as Entra publishes its signing keys."""
        key = jwt.algorithms.RSAAlgorithm.to_jwk(self._key.public_key(), as_dict=True)
        key.update({"kid": self.key_id, "use": "sig", "alg": "RS256"})
        return {"keys": [key]}

    def lookup(self, value):
        """Return (token, problem); problem is None, "unknown" or "expired"."""
        with self._lock:
            token = self._tokens.get(value)
        if token is None:
            return None, "unknown"
        if token.expires_at <= time.time():
            return token, "expired"
        return token, None

    def expire_all(self):
        """Make every token issued so far expired (new ones still work)."""
        with self._lock:
            past = time.time() - 1
            for token in self._tokens.values():
                token.expires_at = min(token.expires_at, past)
            return len(self._tokens)
