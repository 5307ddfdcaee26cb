"""A fake OpenID Connect identity provider (a DigiD broker) for the tests.

A real HTTP server on 127.0.0.1 (a free port, a background thread) with its own RSA key:

* ``/authorize`` — "the resident logged in with DigiD": redirects straight back to the
  ``redirect_uri`` with a single-use ``code`` and the ``state`` (or ``error=access_denied``
  when ``deny`` is set);
* ``/token`` — checks the code, the redirect URI, the client id and secret and the PKCE
  verifier, and returns an RS256 ID token (iss/aud/exp/iat/nonce/sub + the claims) and an
  access token;
* ``/userinfo`` — the claims for a ``Bearer`` access token;
* ``/jwks`` — the public key as a JWK set.

``claims`` (what DigiD "confirmed"), ``id_token_overrides`` (forge nonce/aud/...),
``sign_with_other_key`` and ``deny`` are set per test. Nothing is logged.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

CLIENT_ID = "werkcentrum-test"
CLIENT_SECRET = "fake-idp-client-secret"  # noqa: S105 - a test value
VALID_BSN = "111222333"
DEFAULT_CLAIMS = {
    "sub": "fake-digid-subject-1",
    "bsn": VALID_BSN,
    "given_name": "Jan",
    "family_name": "Jansen",
}


def _new_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _pkce_s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


class FakeIdP:
    def __init__(self, *, client_id: str = CLIENT_ID, client_secret: str = CLIENT_SECRET):
        self.client_id = client_id
        self.client_secret = client_secret
        self.key = _new_key()
        self.kid = "fake-idp-key-1"
        self.claims: dict = dict(DEFAULT_CLAIMS)
        self.userinfo_claims: dict | None = None  # None: the same claims as the ID token
        self.id_token_overrides: dict = {}
        self.sign_with_other_key = False
        self.deny = False
        self.token_requests: list[dict] = []  # what the relying party sent to /token
        self._codes: dict[str, dict] = {}
        self._access_tokens: dict[str, dict] = {}
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    # -- lifecycle --------------------------------------------------------------------------

    def start(self) -> FakeIdP:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> FakeIdP:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # -- addresses --------------------------------------------------------------------------

    @property
    def issuer(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def authorization_endpoint(self) -> str:
        return self.issuer + "/authorize"

    def django_settings(self) -> dict:
        """The settings that point Werkcentrum at this provider."""
        return {
            "OIDC_RP_CLIENT_ID": self.client_id,
            "OIDC_RP_CLIENT_SECRET": self.client_secret,
            "OIDC_OP_AUTHORIZATION_ENDPOINT": self.authorization_endpoint,
            "OIDC_OP_TOKEN_ENDPOINT": self.issuer + "/token",
            "OIDC_OP_USER_ENDPOINT": self.issuer + "/userinfo",
            "OIDC_OP_JWKS_ENDPOINT": self.issuer + "/jwks",
            "OIDC_OP_ISSUER": self.issuer,
            "OIDC_RP_SIGN_ALGO": "RS256",
            "WERKCENTRUM_DIGID_ENABLED": True,
        }

    # -- the protocol -----------------------------------------------------------------------

    def jwks(self) -> dict:
        jwk = jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key(), as_dict=True)
        jwk.update({"kid": self.kid, "alg": "RS256", "use": "sig"})
        return {"keys": [jwk]}

    def authorize(self, query: dict[str, str]) -> tuple[int, dict, dict | None]:
        redirect_uri = query.get("redirect_uri", "")
        if query.get("client_id") != self.client_id or not redirect_uri:
            return 400, {}, {"error": "invalid_request"}
        if query.get("response_type") != "code" or "openid" not in query.get("scope", ""):
            return 400, {}, {"error": "invalid_request"}
        state = query.get("state", "")
        if self.deny:
            params = {"error": "access_denied", "state": state}
        else:
            code = secrets.token_urlsafe(24)
            with self._lock:
                self._codes[code] = {
                    "redirect_uri": redirect_uri,
                    "nonce": query.get("nonce"),
                    "code_challenge": query.get("code_challenge"),
                    "code_challenge_method": query.get("code_challenge_method", "plain"),
                }
            params = {"code": code, "state": state}
        return 302, {"Location": f"{redirect_uri}?{urlencode(params)}"}, None

    def token(self, form: dict[str, str], authorization: str) -> tuple[int, dict]:
        self.token_requests.append(dict(form))
        client_id, client_secret = form.get("client_id"), form.get("client_secret")
        if authorization.startswith("Basic "):
            decoded = base64.b64decode(authorization[6:]).decode()
            client_id, _, client_secret = decoded.partition(":")
        if client_id != self.client_id or client_secret != self.client_secret:
            return 401, {"error": "invalid_client"}
        with self._lock:
            grant = self._codes.pop(form.get("code", ""), None)  # single use
        if grant is None or form.get("grant_type") != "authorization_code":
            return 400, {"error": "invalid_grant"}
        if form.get("redirect_uri") != grant["redirect_uri"]:
            return 400, {"error": "invalid_grant"}
        if grant["code_challenge"]:
            verifier = form.get("code_verifier", "")
            expected = (
                _pkce_s256(verifier) if grant["code_challenge_method"] == "S256" else verifier
            )
            if not verifier or not secrets.compare_digest(expected, grant["code_challenge"]):
                return 400, {"error": "invalid_grant"}
        now = int(time.time())
        payload = {
            "iss": self.issuer,
            "aud": self.client_id,
            "iat": now,
            "exp": now + 300,
            "nonce": grant["nonce"],
            **self.claims,
            **self.id_token_overrides,
        }
        payload = {key: value for key, value in payload.items() if value is not None}
        key = _new_key() if self.sign_with_other_key else self.key
        id_token = jwt.encode(payload, key, algorithm="RS256", headers={"kid": self.kid})
        access_token = secrets.token_urlsafe(24)
        with self._lock:
            userinfo = self.claims if self.userinfo_claims is None else self.userinfo_claims
            self._access_tokens[access_token] = dict(userinfo)
        body = {
            "access_token": access_token,
            "token_type": "Bearer",
            "expires_in": 300,
            "id_token": id_token,
        }
        return 200, body

    def userinfo(self, authorization: str) -> tuple[int, dict]:
        token = authorization[7:] if authorization.startswith("Bearer ") else ""
        with self._lock:
            claims = self._access_tokens.get(token)
        if claims is None:
            return 401, {"error": "invalid_token"}
        return 200, claims

    # -- HTTP -------------------------------------------------------------------------------

    def _handler_class(self):
        idp = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format, *args):  # noqa: A002 - silent
                pass

            def _send(self, status: int, body: dict | None = None, headers: dict | None = None):
                data = json.dumps(body).encode() if body is not None else b""
                self.send_response(status)
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                if body is not None:
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Cache-Control", "no-store")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):  # noqa: N802 - http.server's naming
                url = urlsplit(self.path)
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                if url.path == "/authorize":
                    status, headers, body = idp.authorize(query)
                    self._send(status, body, headers)
                elif url.path == "/userinfo":
                    self._send(*idp.userinfo(self.headers.get("Authorization", "")))
                elif url.path == "/jwks":
                    self._send(200, idp.jwks())
                else:
                    self._send(404, {"error": "not_found"})

            def do_POST(self):  # noqa: N802 - http.server's naming
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode()
                form = {k: v[0] for k, v in parse_qs(raw).items()}
                if urlsplit(self.path).path == "/token":
                    self._send(*idp.token(form, self.headers.get("Authorization", "")))
                else:
                    self._send(404, {"error": "not_found"})

        return Handler
