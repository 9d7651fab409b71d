# -*- coding: utf-8 -*-
# Copyright: contributors to the msgraph.security collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Internal to msgraph.security (not a public API): it may change in any release, even a bugfix one.
"""The action plugin of the collection's Graph modules: it hands each module the run's shared token.

A module runs in a process of its own, so without this every task would ask Entra ID for the OpenID
configuration and a token. Here, on the controller, the token comes from the run's store
(run_tokens), acquired once for all tasks, forks and hosts; the module gets it as ``access_token``
together with its credentials, so that a token the API refuses is replaced once (and the module
says so, so that the store drops it). Anything that keeps the token from being shared here (sharing
off, a ready access_token, options the module will refuse, credentials Entra ID refuses, no msal on
the controller) leaves the module to do as it always did, with its own messages.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.plugins.action import ActionBase

from ansible_collections.msgraph.security.plugins.module_utils._core.connection_options import CONNECTION_OPTIONS
from ansible_collections.msgraph.security.plugins.module_utils._core.errors import MsGraphError
from ansible_collections.msgraph.security.plugins.module_utils._core.graph_client import GraphClient
from ansible_collections.msgraph.security.plugins.module_utils._core.graph_module import TOKEN_REFUSED
from ansible_collections.msgraph.security.plugins.module_utils._core.option_adapter import OptionAdapter
from ansible_collections.msgraph.security.plugins.plugin_utils._controller.run_tokens import SharedAuthenticator, share
from ansible_collections.msgraph.security.plugins.plugin_utils._polling.arguments import resolve


class GraphAction(ActionBase):

    def run(self, tmp=None, task_vars=None):
        result = super(GraphAction, self).run(tmp, task_vars)
        args = dict(self._task.args)
        shared, token = self._shared_token(args)
        if token is not None:
            args['access_token'] = token
        answer = self._execute_module(module_args=args, task_vars=task_vars, wrap_async=self._task.async_val)
        if answer.pop(TOKEN_REFUSED, False) and shared is not None:
            shared.drop()
        result.update(answer)
        return result

    def _shared_token(self, args):
        """(the run's shared authenticator for the task's connection, its token), or (None, None)."""
        if args.get('access_token'):
            return None, None
        given = dict((name, args[name]) for name in CONNECTION_OPTIONS if args.get(name) is not None)
        try:
            options, dummy = resolve(self._task.action, (CONNECTION_OPTIONS,), given)  # env and defaults as the module
            client = share(GraphClient.from_options(OptionAdapter(options.get)), self._task.action)
            if not isinstance(client.auth, SharedAuthenticator):
                return None, None
            return client.auth, client.auth.token()
        except (MsGraphError, ImportError, OSError):
            return None, None
