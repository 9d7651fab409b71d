# -*- coding: utf-8 -*-
# Copyright: contributors to the msgraph.security collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Connection and authentication options of every plugin.

Modules extend C(msgraph.security.connection); lookups extend it and
C(msgraph.security.connection.plugins), which adds the env/ini/vars sources. Both are
rendered from module_utils/connection_options.py, where the options are defined.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.msgraph.security.plugins.module_utils.connection_options import CONNECTION_OPTIONS
from ansible_collections.msgraph.security.plugins.plugin_utils.option_docs import (
    render_options,
    render_plugin_sources,
)


class ModuleDocFragment(object):
    DOCUMENTATION = render_options(CONNECTION_OPTIONS)
    PLUGINS = render_plugin_sources(CONNECTION_OPTIONS)
