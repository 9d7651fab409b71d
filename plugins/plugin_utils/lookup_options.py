# -*- coding: utf-8 -*-
# Copyright: contributors to the msgraph.security collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What every lookup of the collection does before reading its options."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.errors import AnsibleLookupError

from ansible_collections.msgraph.security.plugins.module_utils.transport import HAS_REQUESTS
from ansible_collections.msgraph.security.plugins.plugin_utils.option_docs import VARS_PREFIX


def connection_vars(templar, variables):
    """The msgraph_<option> variables, templated: lookups receive play variables unrendered.

    Also the place that says so when requests is missing, before any option is read.
    """
    if not HAS_REQUESTS:
        raise AnsibleLookupError('The msgraph.security lookups need the Python library requests on the'
                                 ' controller (pip install requests).')
    return dict((name, templar.template(value)) for name, value in (variables or {}).items()
                if name.startswith(VARS_PREFIX))
