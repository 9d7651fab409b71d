# -*- coding: utf-8 -*-
# Copyright: contributors to the msgraph.security collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Internal to msgraph.security (not a public API): it may change in any release, even a bugfix one.
"""What every module of the collection does around its own work.

A module declares its options and hands one function to ``GraphModule.run``:

    module = GraphModule(QUERY_OPTIONS, argument_spec=dict(item_id=dict(type='raw')))
    module.run(lambda client: dict(changed=False, item=client.get(...)))

The base adds the connection options (from the one table), checks that requests is installed,
builds the Graph client, and turns every MsGraphError into ``fail_json`` with its message and
details (status, request-id) instead of a traceback.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.msgraph.security.plugins.module_utils._core.auth import MissingLibraryError
from ansible_collections.msgraph.security.plugins.module_utils._core.connection_options import CONNECTION_OPTIONS
from ansible_collections.msgraph.security.plugins.module_utils._core.errors import MsGraphError
from ansible_collections.msgraph.security.plugins.module_utils._core.graph_client import GraphClient
from ansible_collections.msgraph.security.plugins.module_utils._core.option_adapter import OptionAdapter, argument_spec
from ansible_collections.msgraph.security.plugins.module_utils._core.run_tokens import RUN_TOKENS_ENV, share
from ansible_collections.msgraph.security.plugins.module_utils._core.transport import HAS_REQUESTS, REQUESTS_IMPORT_ERROR


class GraphModule(AnsibleModule):
    """An AnsibleModule taking the connection options plus ``tables`` and ``argument_spec``."""

    def __init__(self, *tables, **kwargs):
        spec = argument_spec(CONNECTION_OPTIONS, *tables)
        spec.update(kwargs.pop('argument_spec', {}))
        super(GraphModule, self).__init__(argument_spec=spec, **kwargs)
        if not HAS_REQUESTS:
            self.fail_json(msg=missing_required_lib('requests'), exception=REQUESTS_IMPORT_ERROR)

    def run(self, action):
        """exit_json with what ``action(client)`` returns, or fail_json with why it failed."""
        client = None
        try:
            # The options were checked when the module was made; only now may a token be taken or asked for.
            client = share(GraphClient.from_options(OptionAdapter.from_dict(self.params)), os.environ.get(RUN_TOKENS_ENV))
            result = action(client)
        except MissingLibraryError as error:
            self.fail_json(msg=missing_required_lib(error.library), exception=error.traceback)
        except MsGraphError as error:
            self.fail_json(msg=str(error), **dict(error.details, **_token_used(client)))
        self.exit_json(**dict(result, **_token_used(client)))


# How a module tells the collection's action plugin, for -vvv, whether it used the run's token
# ('shared') or acquired it for the run ('acquired'); the action plugin removes it from the result.
TOKEN_USED = '_msgraph_token'


def _token_used(client):
    used = getattr(getattr(client, 'auth', None), 'used', None)
    return {TOKEN_USED: used} if used else {}
