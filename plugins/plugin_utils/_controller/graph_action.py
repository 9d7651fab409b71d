# -*- coding: utf-8 -*-
# Copyright: contributors to the msgraph.security collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Internal to msgraph.security (not a public API): it may change in any release, even a bugfix one.
"""The action plugin of the collection's Graph modules: it lets each module share the run's token.

A module runs in a process of its own, so without this every task would ask Entra ID for the OpenID
configuration and a token. Here, on the controller, the run's token store is made (in Ansible's local
temporary directory of the run) and named to the module in the environment (``RUN_TOKENS_ENV``);
the module checks its options first, as always, and then takes the run's token or acquires it for the
run (module_utils/_core/run_tokens.py). What the module did is said at -vvv.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.plugins.action import ActionBase
from ansible.utils.display import Display

from ansible_collections.msgraph.security.plugins.module_utils._core.graph_module import TOKEN_USED
from ansible_collections.msgraph.security.plugins.module_utils._core.run_tokens import RUN_TOKENS_ENV
from ansible_collections.msgraph.security.plugins.plugin_utils._controller.controller_plugin import run_store, token_words

display = Display()


class GraphAction(ActionBase):

    def run(self, tmp=None, task_vars=None):
        result = super(GraphAction, self).run(tmp, task_vars)
        store = run_store()
        environment = self._task.environment
        if store is not None:
            given = [environment] if isinstance(environment, dict) else list(environment or [])
            self._task.environment = given + [{RUN_TOKENS_ENV: store}]
        try:
            answer = self._execute_module(module_args=self._task.args, task_vars=task_vars,
                                          wrap_async=self._task.async_val)
        finally:
            self._task.environment = environment
        used = answer.pop(TOKEN_USED, None)
        if used:
            display.vvv('%s: %s' % (self._task.action, token_words(used, 'Microsoft Graph')))
        result.update(answer)
        return result
