# -*- coding: utf-8 -*-
# Copyright: contributors to the msgraph.security collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Internal to msgraph.security (not a public API): it may change in any release, even a bugfix one.
"""The ``incident_comment`` module's work: the generic commenter on INCIDENTS."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.msgraph.security.plugins.module_utils._core import commenter
from ansible_collections.msgraph.security.plugins.module_utils._resources.incidents import INCIDENTS

COMMENT_TYPE = INCIDENTS.comment_type
comment_text = commenter.comment_text
has_comment = commenter.has_comment


class IncidentCommenter(commenter.Commenter):
    """The ``incident_comment`` module's work on one GraphClient."""

    def __init__(self, client, check_mode=False):
        super(IncidentCommenter, self).__init__(client, INCIDENTS, check_mode)
