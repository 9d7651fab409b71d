"""Small questions the integration tests ask of the emulator."""

# The emulator's app with every response permission (Graph users and risk, Defender actions and indicators).
RESPONDER = 'responder-secret'


def pick(emulator, severity=None, status=None):
    """The newest incident with this severity and status, asked of the emulator's own data."""
    clauses = ["%s eq '%s'" % (name, value) for name, value in (('severity', severity), ('status', status)) if value]
    return emulator.incident_ids(' and '.join(clauses))[0]


def connection_vars(emulator):
    """Play variables for playbooks that set the connection explicitly (module_defaults, msgraph_* vars)."""
    env = emulator.env('reader-secret')
    return dict(tenant_id=env['AZURE_TENANT_ID'], client_id=env['AZURE_CLIENT_ID'],
                client_secret=env['AZURE_CLIENT_SECRET'], emulator_url=emulator.url, ca_path=emulator.ca_path)


def emulator_token(emulator):
    """A Graph token from the emulator's Entra ID, for runs that pass access_token."""
    app = emulator.apps['reader-secret']
    response = emulator.session().post(emulator.authority + '/oauth2/v2.0/token', timeout=30, data={
        'client_id': app['client_id'], 'client_secret': app['client_secret'], 'scope': emulator.scope,
        'grant_type': 'client_credentials'})
    response.raise_for_status()
    return response.json()['access_token']
