"""GraphClient and IncidentReader pointed at the session emulator, options mapped by the option table."""
from ansible_collections.msgraph.security.plugins.module_utils._core.connection_options import CONNECTION_OPTIONS
from ansible_collections.msgraph.security.plugins.module_utils._core.graph_client import GraphClient
from ansible_collections.msgraph.security.plugins.module_utils._resources.incidents import IncidentReader

from .option_values import options

# The emulator hands out environment variables; the client takes options: map them by the table.
ENV_TO_OPTION = dict((env, name) for name, spec in CONNECTION_OPTIONS.items() for env in spec.get('env', []))


def connect(emulator, app='reader-secret', **values):
    settings = dict((ENV_TO_OPTION[k], v) for k, v in emulator.env(app).items() if k in ENV_TO_OPTION)
    settings.update(values)
    return GraphClient.from_options(options(**settings))


def reader(emulator, app='reader-secret', expand_alerts=False, **values):
    return IncidentReader(connect(emulator, app, **values), expand_alerts)


def outer(emulator, path_part):
    """Requests the client sent itself (not inside a $batch) whose path contains path_part."""
    return [r for r in emulator.requests() if not r['in_batch'] and path_part in r['path']]
