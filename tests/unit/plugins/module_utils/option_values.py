"""Option dicts as a plugin would see them: the tables' defaults, then the test's values."""
from ansible_collections.msgraph.security.plugins.module_utils.connection_options import CONNECTION_OPTIONS
from ansible_collections.msgraph.security.plugins.module_utils.option_adapter import OptionAdapter
from ansible_collections.msgraph.security.plugins.module_utils.query_options import QUERY_OPTIONS


def options(**values):
    params = dict((name, spec.get('default')) for table in (CONNECTION_OPTIONS, QUERY_OPTIONS)
                  for name, spec in table.items())
    params.update(values)
    return OptionAdapter.from_dict(params)
