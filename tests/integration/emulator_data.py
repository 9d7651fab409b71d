"""Small questions the integration tests ask of the emulator."""


def pick(emulator, severity=None, status=None):
    """The newest incident with this severity and status, asked of the emulator's own data."""
    clauses = ["%s eq '%s'" % (name, value) for name, value in (('severity', severity), ('status', status)) if value]
    return emulator.incident_ids(' and '.join(clauses))[0]


def connection_vars(emulator):
    """Play variables for playbooks that set the connection explicitly (module_defaults, msgraph_* vars)."""
    env = emulator.env('reader-secret')
    return dict(tenant_id=env['AZURE_TENANT_ID'], client_id=env['AZURE_CLIENT_ID'],
                client_secret=env['AZURE_CLIENT_SECRET'], emulator_url=emulator.url, ca_path=emulator.ca_path)
