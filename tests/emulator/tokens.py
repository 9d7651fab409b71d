"""Access tokens issued by the emulator's Entra ID, kept in memory.

Tokens are opaque random strings, not JWTs: a client must never parse a
Graph access token, and an opaque one makes sure it does not.
"""

import secrets
import threading
import time
from dataclasses import dataclass

LIFETIME = 3599


@dataclass
class Token:
    subject: str  # app or identity name, for the request log and debugging
    client_id: str
    roles: tuple
    expires_at: float


class TokenStore:
    def __init__(self):
        self._lock = threading.Lock()
        self._tokens = {}

    def issue(self, subject, client_id, roles, lifetime=LIFETIME):
        value = "eyEmu." + secrets.token_urlsafe(48)
        token = Token(subject, client_id, tuple(roles), time.time() + lifetime)
        with self._lock:
            self._tokens[value] = token
        return value, token

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
