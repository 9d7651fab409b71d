# -*- coding: utf-8 -*-
# Copyright: contributors to the msgraph.security collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Options choosing which incidents to read; rendered from module_utils/query_options.py."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.msgraph.security.plugins.module_utils.query_options import QUERY_OPTIONS
from ansible_collections.msgraph.security.plugins.plugin_utils.option_docs import render_options


class ModuleDocFragment(object):
    DOCUMENTATION = render_options(QUERY_OPTIONS)
