"""Option dicts as a plugin would see them: the tables' defaults, then the test's values."""
from ansible_collections.msgraph.security.plugins.module_utils._core.connection_options import CONNECTION_OPTIONS
from ansible_collections.msgraph.security.plugins.module_utils._core.option_adapter import OptionAdapter
from ansible_collections.msgraph.security.plugins.module_utils._resources.query_options import QUERY_OPTIONS


def options(**values):
    params = dict((name, spec.get('default')) for table in (CONNECTION_OPTIONS, QUERY_OPTIONS)
                  for name, spec in table.items())
    params.update(values)
    return OptionAdapter.from_dict(params)
