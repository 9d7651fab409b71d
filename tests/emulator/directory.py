"""The fake tenant: its id, app registrations and managed identities.

Fixed values (not random) so that a developer can paste them into a playbook
and they stay valid across emulator restarts. Only the reader-cert certificate
is generated per start (see server.py), because private keys are not kept.
"""

TENANT_ID = "8f3c1d52-6a4e-4c1b-9d7e-2b5a0e4f7c19"
# Entra also accepts the tenant's verified domain in place of its id.
TENANT_DOMAIN = "contoso-emulator.onmicrosoft.com"

READ_ROLE = "SecurityIncident.Read.All"
WRITE_ROLE = "SecurityIncident.ReadWrite.All"
# Either role lets an app read incidents (least privileged first, as Graph lists them).
INCIDENT_READ_ROLES = (READ_ROLE, WRITE_ROLE)
# Advanced hunting (runHuntingQuery) has this one permission, no higher one (app hunter-secret).
HUNTING_ROLE = "ThreatHunting.Read.All"

CERT_PASSWORD = "emulator-cert-password"

# Resources (token audiences) the tenant knows, as Entra ID does. The emulator's Graph
# endpoint stands in for Microsoft Graph in every cloud, so it accepts tokens for any of these;
# its own URL is no resource (like a reverse proxy's), so a token cannot be requested for it.
GRAPH_RESOURCES = ("https://graph.microsoft.com", "https://graph.microsoft.us", "https://dod-graph.microsoft.us")
# A resource Entra ID knows that is not Graph: a token for it is issued, and Graph refuses it.
OTHER_RESOURCES = ("https://management.azure.com",)
# The Defender for Endpoint API (WindowsDefenderATP) of each cloud: its tokens are for these
# resources, whichever host the requests go to (api.security.microsoft.com takes the first).
DEFENDER_RESOURCES = ("https://api.securitycenter.microsoft.com", "https://api-gcc.securitycenter.microsoft.us",
                      "https://api-gov.securitycenter.microsoft.us")

# name -> registration. "secret" apps authenticate with client_secret,
# "certificate" apps with a signed client assertion.
APPS = {
    "reader-secret": {
        "client_id": "5a1e6d3c-1f0b-4c7e-9a52-7d3e8b6c2f10",
        "credential": "secret",
        "client_secret": "Emu8Q~reader.secret-4Jx2vKq9TzLm7WbN5cRyP0sDhF",
        "roles": [READ_ROLE],
        "defender_roles": ["Machine.Read.All"],
    },
    "reader-cert": {
        "client_id": "0c9b7e2a-3d4f-4a6b-8e1c-5f2d7a9b3c41",
        "credential": "certificate",
        "roles": [READ_ROLE],
        "defender_roles": ["Machine.Read.All"],
    },
    # May read and write incidents (PATCH, comments); reader-secret may only read.
    "writer-secret": {
        "client_id": "9b2f6c1d-8e3a-4d7f-b1c5-3a6e9d2f8c17",
        "credential": "secret",
        "client_secret": "Emu8Q~writer.secret-7Hn4Lp2Vx9Rk6Tq1Zc8Mb3Wd5Js",
        "roles": [WRITE_ROLE],
    },
    # Reads incidents and runs advanced hunting queries; the other apps may not hunt (403).
    "hunter-secret": {
        "client_id": "2d8c4a6e-5b1f-4e9a-8c3d-7f0e2b4a6c95",
        "credential": "secret",
        "client_secret": "Emu8Q~hunter.secret-3Gt6Yp1Wn8Kx4Rz9Lc2Vb7Qd5Mf",
        "roles": [READ_ROLE, HUNTING_ROLE],
    },
    # A SOC app on incidents and alerts (alerts_v2): one that reads both, one that writes both.
    "alert-reader": {
        "client_id": "4e7a2c9d-6b1f-4d3e-8a5c-9f0b1d2e3c64",
        "credential": "secret",
        "client_secret": "Emu8Q~alert.reader-2Wq7Ny4Kd9Lp1Xs6Vb3Rm8Tz5Hc",
        "roles": [READ_ROLE, "SecurityAlert.Read.All"],
    },
    "alert-writer": {
        "client_id": "a3c8e1f5-2d9b-4a7c-b6e4-0f1d3c5a7e92",
        "credential": "secret",
        "client_secret": "Emu8Q~alert.writer-6Jm1Qs8Vt3Zn5Kd9Wx2Lp7Rb4Fy",
        "roles": [WRITE_ROLE, "SecurityAlert.ReadWrite.All"],
    },
    # A SOC responder: incidents, alerts, users and risk on Graph; machine actions and indicators on Defender.
    "responder-secret": {
        "client_id": "6c2e9a4f-1b7d-4e3a-9f58-2d0c6b8e4a13",
        "credential": "secret",
        "client_secret": "Emu8Q~responder.secret-5Rk2Wn9Tq4Lx7Vb1Zc6Md3Hs8Jf",
        "roles": [WRITE_ROLE, "SecurityAlert.Read.All", "User.Read.All", "User.EnableDisableAccount.All",
                  "User.RevokeSessions.All", "IdentityRiskyUser.ReadWrite.All"],
        "defender_roles": ["Machine.Read.All", "Machine.Isolate", "Machine.RestrictExecution", "Machine.Scan",
                           "Machine.CollectForensics", "Ti.ReadWrite.All"],
    },
    "no-permission": {
        "client_id": "e4d2b8f6-7a1c-4e3d-b5f9-1c6a8d2e7b03",
        "credential": "secret",
        "client_secret": "Emu8Q~no.permission-Vb3Kp7Qw1Ls9Xz5Mn2Rt8Yc4Hd",
        "roles": [],
    },
}

# App Service style managed identity: the host's secret header and identities.
IDENTITY_HEADER = "3f6c2a9e-emulator-identity-header-7b1d"
MANAGED_IDENTITIES = {
    "system": {
        "client_id": "7d4e1a2b-9c3f-4e8d-a6b5-2f1c0e9d8a74",
        "object_id": "c2a7e5d1-4b8f-4c3a-9e6d-1a0b2c3d4e5f",
        "roles": [READ_ROLE],
        "defender_roles": ["Machine.Read.All"],
    },
    "user-assigned": {
        "client_id": "b8e3f1c6-2d7a-4f5b-9c1e-6a3d8b2f4e07",
        "object_id": "f1e2d3c4-b5a6-4978-8a1b-2c3d4e5f6a7b",
        "resource_id": (
            "/subscriptions/2b9f4c1e-7d3a-4e6b-8f5c-1a2d3e4f5a6b/resourcegroups/soc-automation"
            "/providers/Microsoft.ManagedIdentity/userAssignedIdentities/incident-reader"
        ),
        "roles": [READ_ROLE],
        "defender_roles": ["Machine.Read.All"],
    },
}


# Users who sign in through an app (the password grant): delegated tokens carry the scopes consented
# for them (scp), no roles. Graph accepts the incident permissions as delegated ones too.
USERS = {
    "analyst@contoso-emulator.onmicrosoft.com": {
        "upn": "analyst@contoso-emulator.onmicrosoft.com",
        "name": "SOC Analyst",
        "object_id": "3a9d5e71-2c4b-4f8a-b6e1-9d0c7a2f5b38",
        "password": "Emu-analyst-P4ss!",
        "scopes": ["User.Read", WRITE_ROLE],
    },
}


def app_by_client_id(client_id):
    """Return (name, registration) for a client id, or (None, None)."""
    for name, app in APPS.items():
        if app["client_id"] == client_id:
            return name, app
    return None, None


def is_known_tenant(tenant):
    return tenant.lower() in (TENANT_ID, TENANT_DOMAIN)


def roles_for(app, resource):
    """The app roles a token for ``resource`` carries: Graph's (and as before, other resources')
    from "roles", the Defender for Endpoint API's from "defender_roles" (none unless granted)."""
    if resource in DEFENDER_RESOURCES:
        return app.get("defender_roles", [])
    return app["roles"]
