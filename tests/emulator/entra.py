"""Entra ID stand-in: OpenID discovery, the v2.0 token endpoint for the client
credentials grant (secret or certificate assertion) and the password grant (a
user's delegated token, scp), and the App Service style managed identity endpoint.

Errors copy AAD's shapes, status codes and AADSTS numbers, because MSAL and
the collection surface them to users.
"""

import base64
import hmac
import urllib.parse

import jwt
from cryptography.hazmat.primitives import hashes
from flask import Blueprint, g, request

from . import wire
from .app import graph_roots, state
from .directory import (DEFENDER_RESOURCES, IDENTITY_HEADER, MANAGED_IDENTITIES, TENANT_DOMAIN, TENANT_ID, USERS,
                        app_by_client_id, is_known_tenant, roles_for)
from .tokens import LIFETIME

bp = Blueprint("entra", __name__)

JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
CLOCK_SKEW = 300  # seconds AAD tolerates on assertion times


def _unknown_tenant(tenant):
    return wire.aad_error(
        400, "invalid_tenant", 90002,
        f"Tenant '{tenant}' not found. Check to make sure you have the correct tenant ID and are "
        "signing into the correct cloud. Check with your subscription administrator, this may happen "
        "if there are no active subscriptions for the tenant.")


def _missing(name):
    return wire.aad_error(400, "invalid_request", 900144,
                          f"The request body must contain the following parameter: '{name}'.")


@bp.get("/<tenant>/v2.0/.well-known/openid-configuration")
def openid_configuration(tenant):
    if not is_known_tenant(tenant):
        return _unknown_tenant(tenant)
    base = f"{request.host_url}{TENANT_ID}"
    host = request.host_url.rstrip("/")
    return wire.json_response({
        "token_endpoint": f"{base}/oauth2/v2.0/token",
        "token_endpoint_auth_methods_supported": ["client_secret_post", "private_key_jwt",
                                                  "client_secret_basic"],
        "jwks_uri": f"{base}/discovery/v2.0/keys",
        "response_modes_supported": ["query", "fragment", "form_post"],
        "subject_types_supported": ["pairwise"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "response_types_supported": ["code", "id_token", "code id_token", "id_token token"],
        "scopes_supported": ["openid", "profile", "email", "offline_access"],
        "issuer": f"{base}/v2.0",
        "request_uri_parameter_supported": False,
        "userinfo_endpoint": f"{host}/oidc/userinfo",
        "authorization_endpoint": f"{base}/oauth2/v2.0/authorize",
        "device_authorization_endpoint": f"{base}/oauth2/v2.0/devicecode",
        "http_logout_supported": True,
        "frontchannel_logout_supported": True,
        "end_session_endpoint": f"{base}/oauth2/v2.0/logout",
        "claims_supported": ["sub", "iss", "cloud_instance_name", "cloud_instance_host_name",
                             "cloud_graph_host_name", "msgraph_host", "aud", "exp", "iat",
                             "auth_time", "acr", "nonce", "preferred_username", "name", "tid",
                             "ver", "at_hash", "c_hash", "email"],
        "kerberos_endpoint": f"{base}/kerberos",
        "tenant_region_scope": "EU",
        "cloud_instance_name": "emulator.local",
        "cloud_graph_host_name": request.host,
        "msgraph_host": request.host,
        "rbac_url": host,
    }, content_type=wire.AAD_JSON)


@bp.get("/<tenant>/discovery/v2.0/keys")
def jwks(tenant):
    # The key access tokens are signed with (tokens.py).
    if not is_known_tenant(tenant):
        return _unknown_tenant(tenant)
    return wire.json_response(state().tokens.jwks(), content_type=wire.AAD_JSON)


@bp.post("/<tenant>/oauth2/v2.0/token")
def token(tenant):
    if not is_known_tenant(tenant):
        return _unknown_tenant(tenant)
    form = _form_with_basic_auth()
    grant = form.get("grant_type")
    if not grant:
        return _missing("grant_type")
    if grant not in ("client_credentials", "password"):
        return wire.aad_error(400, "unsupported_grant_type", 70003,
                              f"The app requested an unsupported grant type '{grant}'.")
    client_id = form.get("client_id")
    if not client_id:
        return _missing("client_id")
    name, app = app_by_client_id(client_id)
    if app is None:
        return wire.aad_error(
            400, "unauthorized_client", 700016,
            f"Application with identifier '{client_id}' was not found in the directory "
            f"'{TENANT_DOMAIN}'. This can happen if the application has not been installed by the "
            "administrator of the tenant or consented to by any user in the tenant. You may have sent "
            "your authentication request to the wrong tenant.")
    failure = _authenticate_client(name, app, client_id, form)
    if failure:
        return failure
    if grant == "password":
        return _password_grant(name, client_id, form)
    scopes = form.get("scope", "").split()
    if not scopes:
        return _missing("scope")
    if len(scopes) != 1:
        return wire.aad_error(
            400, "invalid_scope", 70011,
            f"The provided value for the input parameter 'scope' is not valid. The scope "
            f"{' '.join(scopes)} is not valid. Client credential flows take one scope, "
            "<resource>/.default.")
    if not scopes[0].endswith("/.default"):
        return wire.aad_error(
            400, "invalid_scope", 1002012,
            f"The provided value for scope {scopes[0]} is not valid. Client credential flows must have a "
            "scope value with /.default suffixed to the resource identifier (application ID URI).")
    resource = _known_resource(scopes[0][:-len("/.default")])
    if isinstance(resource, tuple):
        return wire.aad_error(*resource)
    value = state().tokens.issue(name, client_id, roles_for(app, resource), audience=resource)[0]
    return _token_response(value)


def _token_response(value, **more):
    return wire.json_response(
        {"token_type": "Bearer", "expires_in": LIFETIME, "ext_expires_in": LIFETIME, "access_token": value, **more},
        content_type=wire.AAD_JSON, headers={"Pragma": "no-cache"})


# OpenID scopes MSAL adds to a user's sign-in; they ask for no API permission.
OIDC_SCOPES = ("openid", "profile", "offline_access", "email")


def _password_grant(name, client_id, form):
    """A signed-in user's token (resource owner password credentials): scp holds the scopes consented
    for the user that were asked for (all of them for <resource>/.default), roles is left out."""
    for field in ("username", "password", "scope"):
        if not form.get(field):
            return _missing(field)
    user = USERS.get(form["username"].lower())
    if user is None or not hmac.compare_digest(form["password"].encode(), user["password"].encode()):
        return wire.aad_error(400, "invalid_grant", 50126,
                              "Error validating credentials due to invalid username or password.")
    asked = [scope for scope in form["scope"].split() if scope not in OIDC_SCOPES]
    resources = set(scope.rpartition("/")[0] for scope in asked)
    if len(resources) != 1 or "" in resources:
        return wire.aad_error(400, "invalid_scope", 70011,
                              f"The provided value for the input parameter 'scope' is not valid. The scope "
                              f"{form['scope']} is not valid: name the scopes of one resource.")
    resource = _known_resource(resources.pop())
    if isinstance(resource, tuple):
        return wire.aad_error(*resource)
    wanted = [scope.rpartition("/")[2] for scope in asked]
    scopes = list(user["scopes"]) if wanted == [".default"] else wanted
    missing = [scope for scope in scopes if scope not in user["scopes"]]
    if missing:
        return wire.aad_error(400, "invalid_grant", 65001,
                              f"The user or administrator has not consented to use the application with ID "
                              f"'{client_id}'. Send an interactive authorization request for this user and resource.")
    g.client_auth = f"user:{user['upn']}"
    value = state().tokens.issue(f"{name}:{user['upn']}", client_id, scopes, audience=resource, user=user)[0]
    return _token_response(value, scope=" ".join(f"{resource}/{scope}" for scope in scopes))


def _known_resource(asked):
    """The resource as the token's audience, or aad_error arguments (AADSTS500011) when the
    tenant knows no such resource, as for a reverse proxy's URL."""
    g.token_resource = asked
    resource = asked.rstrip("/")
    if resource in graph_roots() or resource in DEFENDER_RESOURCES:
        return resource
    return (400, "invalid_resource", 500011,
            f"The resource principal named {asked} was not found in the tenant named {TENANT_DOMAIN}. "
            "This can happen if the application has not been installed by the administrator of the "
            "tenant or consented to by any user in the tenant. You might have sent your authentication "
            "request to the wrong tenant.")


def _form_with_basic_auth():
    """The token request's form, with client_secret_basic credentials (HTTP
    Basic, both parts form-urlencoded) folded in as if posted in the body."""
    form = request.form.to_dict()
    auth = request.headers.get("Authorization", "")
    if auth.lower().startswith("basic "):
        try:
            user, dummy, password = base64.b64decode(auth[6:]).decode().partition(":")
        except ValueError:
            return form
        form.setdefault("client_id", urllib.parse.unquote_plus(user))
        form.setdefault("client_secret", urllib.parse.unquote_plus(password))
    return form


def _authenticate_client(name, app, client_id, form):
    """Return an error response, or None when the client proved who it is."""
    secret = form.get("client_secret")
    assertion = form.get("client_assertion")
    if secret:
        g.client_auth = "secret"
        expected = app.get("client_secret") or ""
        if not expected or not hmac.compare_digest(secret.encode(), expected.encode()):
            return wire.aad_error(
                401, "invalid_client", 7000215,
                "Invalid client secret provided. Ensure the secret being sent in the request is the "
                f"client secret value, not the client secret ID, for a secret added to app '{client_id}'.")
        return None
    if assertion:
        assertion_type = form.get("client_assertion_type")
        if not assertion_type:
            return _missing("client_assertion_type")
        if assertion_type != JWT_BEARER:
            return wire.aad_error(400, "invalid_request", 50027,
                                  f"The client_assertion_type '{assertion_type}' is not supported.")
        return _verify_assertion(name, client_id, assertion)
    return wire.aad_error(
        401, "invalid_client", 7000216,
        "'client_assertion', 'client_secret' or 'request' is required for the 'client_credentials' "
        "grant type.")


def _b64url_to_hex(value):
    padded = value + "=" * (-len(value) % 4)
    return base64.urlsafe_b64decode(padded).hex()


def _verify_assertion(name, client_id, assertion):
    """Check a client assertion the way AAD does: registered certificate found
    by thumbprint, signature, audience, lifetime, issuer and subject."""
    def invalid(code, text, status=401, error="invalid_client"):
        return wire.aad_error(status, error, code, text)

    try:
        header = jwt.get_unverified_header(assertion)
    except jwt.DecodeError:
        return invalid(50027, "JWT token is invalid or malformed.", 400, "invalid_request")
    g.client_auth = f"assertion:{header.get('alg')}"
    if "x5t#S256" in header:
        thumbprint, digest = _b64url_to_hex(header["x5t#S256"]), hashes.SHA256()
    elif "x5t" in header:
        thumbprint, digest = _b64url_to_hex(header["x5t"]), hashes.SHA1()
    else:
        return invalid(50027, "JWT token is invalid or malformed. [Reason - The client assertion "
                       "header has neither 'x5t' nor 'x5t#S256'.]", 400, "invalid_request")
    certificate = next((c for c in state().app_certificates.get(name, [])
                        if c.fingerprint(digest).hex() == thumbprint.lower()), None)
    if certificate is None:
        return invalid(700027, "The certificate with identifier used to sign the client assertion is "
                       f"not registered on application. [Reason - The key was not found., Thumbprint of "
                       f"key used by client: '{thumbprint.upper()}']")
    accepted_audiences = [request.base_url, f"{request.host_url}{TENANT_ID}/oauth2/v2.0/token"]
    try:
        claims = jwt.decode(
            assertion, certificate.public_key(), algorithms=["RS256", "PS256"],
            audience=accepted_audiences, leeway=CLOCK_SKEW,
            options={"require": ["aud", "exp", "iss", "sub"]})
    except jwt.InvalidSignatureError:
        return invalid(700027, "Client assertion failed signature validation.")
    except jwt.InvalidAlgorithmError:
        return invalid(700027, f"Client assertion is signed with an unsupported algorithm "
                       f"'{header.get('alg')}'; use RS256 or PS256.")
    except (jwt.ExpiredSignatureError, jwt.ImmatureSignatureError):
        return invalid(700024, f"Client assertion is not within its valid time range. Current time: "
                       f"{wire.utcnow():%Y-%m-%dT%H:%M:%S}Z.")
    except jwt.InvalidAudienceError:
        return invalid(700027, "Client assertion audience is not valid. [Reason - The audience claim "
                       f"must be the token endpoint {accepted_audiences[-1]}.]")
    except jwt.InvalidTokenError as exc:
        return invalid(50027, f"JWT token is invalid or malformed. [Reason - {exc}]", 400, "invalid_request")
    if claims.get("iss") != client_id or claims.get("sub") != client_id:
        return invalid(700021, "Client assertion application identifier doesn't match 'client_id' "
                       "parameter. The 'iss' and 'sub' claims must both be the client id.")
    return None


# -- managed identity (App Service / Functions protocol) --------------------

def _msi_error(status, message):
    return wire.json_response({"statusCode": status, "message": message}, status,
                              content_type="application/json; charset=utf-8")


@bp.get("/msi/token")
def managed_identity_token():
    if request.headers.get("X-IDENTITY-HEADER") != IDENTITY_HEADER:
        return _msi_error(401, "The X-IDENTITY-HEADER header is missing or does not match this host.")
    if request.args.get("api-version") != "2019-08-01":
        return _msi_error(400, f"api-version '{request.args.get('api-version')}' is not supported; "
                               "use 2019-08-01.")
    resource = request.args.get("resource")
    if not resource:
        return _msi_error(400, "The 'resource' parameter is required.")
    audience = _known_resource(resource)
    if isinstance(audience, tuple):
        # App Service passes Entra ID's refusal on as its own statusCode + message.
        return _msi_error(400, f"AADSTS{audience[2]}: {audience[3]}")
    selectors = {"client_id": "client_id", "object_id": "object_id", "mi_res_id": "resource_id"}
    asked = {field: request.args[param] for param, field in selectors.items() if request.args.get(param)}
    if not asked:
        identity = MANAGED_IDENTITIES["system"]
        name = "system"
    else:
        name, identity = next(
            ((n, i) for n, i in MANAGED_IDENTITIES.items()
             if n != "system" and all(i.get(f, "").lower() == v.lower() for f, v in asked.items())),
            (None, None))
        if identity is None:
            return _msi_error(400, "Unable to load the requested managed identity: "
                                   + ", ".join(f"{k}={v}" for k, v in asked.items()))
    g.client_auth = f"managed-identity:{name}"
    value, issued = state().tokens.issue(f"managed-identity:{name}", identity["client_id"], roles_for(identity, audience),
                                         audience=audience, object_id=identity["object_id"])
    return wire.json_response({
        "access_token": value,
        "expires_on": str(int(issued.expires_at)),
        "resource": resource,
        "token_type": "Bearer",
        "client_id": identity["client_id"],
    }, content_type="application/json; charset=utf-8")
