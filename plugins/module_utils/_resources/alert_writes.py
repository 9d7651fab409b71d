# -*- coding: utf-8 -*-
# Copyright: contributors to the msgraph.security collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Internal to msgraph.security (not a public API): it may change in any release, even a bugfix one.
"""The ``alert`` and ``alert_comment`` modules' work: the generic writer and commenter on ALERTS, with the
classification/determination pairing incidents use, checked against the alert as it will be."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.msgraph.security.plugins.module_utils._core import commenter, writer
from ansible_collections.msgraph.security.plugins.module_utils._core.errors import OptionError
from ansible_collections.msgraph.security.plugins.module_utils._resources.alerts import ALERTS
from ansible_collections.msgraph.security.plugins.module_utils._resources.incident_schema import check_determination


def check_wanted(wanted, params=None):
    if 'classification' in wanted and 'determination' in wanted:
        check_determination(wanted['classification'], wanted['determination'])


def check_plan(plan, wanted, params=None):
    """A classification or determination set alone must fit the other one already on the alert."""
    if ('classification' in wanted) != ('determination' in wanted):
        other = 'classification' if 'determination' in wanted else 'determination'
        try:
            check_determination(writer.final_value(ALERTS, plan.item, wanted, 'classification'),
                                writer.final_value(ALERTS, plan.item, wanted, 'determination'))
        except OptionError as error:
            raise OptionError('Alert %s: %s (that is its current %s: set %s too). Nothing was written.'
                              % (plan.item_id, str(error).rstrip('.'), other, other))


class AlertWriter(writer.Writer):
    def __init__(self, client, check_mode=False):
        super(AlertWriter, self).__init__(client, ALERTS, check_mode, check_wanted, check_plan)


class AlertCommenter(commenter.Commenter):
    def __init__(self, client, check_mode=False):
        super(AlertCommenter, self).__init__(client, ALERTS, check_mode)
