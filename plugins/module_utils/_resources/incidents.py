# -*- coding: utf-8 -*-
# Copyright: contributors to the msgraph.security collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Internal to msgraph.security (not a public API): it may change in any release, even a bugfix one.
"""Security incidents described once (INCIDENTS), their list filters, and the reader the plugins use."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.module_utils.six import string_types

from ansible_collections.msgraph.security.plugins.module_utils._core import odata
from ansible_collections.msgraph.security.plugins.module_utils._core.errors import OptionError
from ansible_collections.msgraph.security.plugins.module_utils._core.odata import any_of, check_balanced, odata_datetime, odata_string
from ansible_collections.msgraph.security.plugins.module_utils._core.reader import Reader
from ansible_collections.msgraph.security.plugins.module_utils._core.resource import Resource, field
from ansible_collections.msgraph.security.plugins.module_utils._resources.incident_schema import (
    SEVERITIES,
    STATUSES,
    WRITABLE_ENUMS,
    WRITABLE_FIELDS,
)

# The options that narrow list mode; with ids they would be ignored, so they are refused.
LIST_FILTERS = ('status', 'severity', 'assigned_to', 'created_after', 'updated_after', 'filter', 'max_items')
_KINDS = {'assigned_to': 'principal', 'custom_tags': 'tags'}

INCIDENTS = Resource(
    name='incident', plural='incidents', path='/security/incidents',
    id_example='2972395', numeric_ids=True,
    page_size=50,  # the safe $top for incidents (the maximum is not documented)
    read_permission='SecurityIncident.Read.All', write_permission='SecurityIncident.ReadWrite.All',
    enums={'status': STATUSES, 'severity': SEVERITIES},
    filters=LIST_FILTERS,
    fields=dict((option, field(prop, 'enum' if option in WRITABLE_ENUMS else _KINDS.get(option, 'text'),
                               WRITABLE_ENUMS.get(option)))
                for option, prop in WRITABLE_FIELDS.items()),
    comments='comments', comment_type='microsoft.graph.security.alertComment',
    expand='alerts',
)

INCIDENTS_PATH = INCIDENTS.path
PAGE_SIZE = INCIDENTS.page_size
ITEMS = INCIDENTS.items
READ_PERMISSION = INCIDENTS.read_permission
WRITE_PERMISSION = INCIDENTS.write_permission

# The settings that report a missing incident instead of failing, named in the not-found message.
TOLERATE_IN_MODULE = 'fail_on_missing: false'

offset_delta = odata.offset_delta  # the event source reads its since option with it
normalize_id = INCIDENTS.normalize_id
not_found_error = INCIDENTS.not_found_error
refuse_list_filters = INCIDENTS.refuse_list_filters


def incident_path(incident_id, expand_alerts=False):
    """The path of one incident below the API root, the id URL-encoded as a path segment."""
    return INCIDENTS.item_path(incident_id, expand_alerts)


def check_filter_values(options):
    """Refuse a text filter given empty: it would narrow nothing and list everything.

    An empty list (status: []) reads as "any", as Ansible users write it with default([]).
    """
    for name in ('assigned_to', 'created_after', 'updated_after', 'filter'):
        value = options.get(name)
        if isinstance(value, string_types) and not value.strip():
            hint = (" To list incidents nobody is assigned to, use filter: 'assignedTo eq null'."
                    if name == 'assigned_to' else '')
            raise OptionError('%s is empty, which would narrow nothing and list every incident. Leave it unset'
                              ' (in a template: default(omit)) to not filter on it.%s' % (name, hint))


def build_filter(options):
    """The $filter for list mode from the filter options, or None."""
    check_filter_values(options)
    clauses = []
    for name in ('status', 'severity'):
        if options.get(name):
            clauses.append(any_of(name, name, options.get(name), INCIDENTS.enums[name]))
    if options.get('assigned_to'):
        clauses.append('assignedTo eq %s' % odata_string(options.get('assigned_to')))
    if options.get('created_after'):
        clauses.append('createdDateTime ge %s' % odata_datetime('created_after', options.get('created_after')))
    if options.get('updated_after'):
        clauses.append('lastUpdateDateTime ge %s' % odata_datetime('updated_after', options.get('updated_after')))
    if options.get('filter'):
        check_balanced('filter', options.get('filter'))
        clauses.append('(%s)' % options.get('filter'))
    return ' and '.join(clauses) or None


class IncidentReader(Reader):
    """The read modes of the module, the lookup and the event source, on one GraphClient."""

    def __init__(self, client, expand_alerts=False):
        super(IncidentReader, self).__init__(client, INCIDENTS, expand_alerts)

    def list(self, options):
        """Incidents matching the filter options, newest first: (incidents, truncated)."""
        max_items = options.get('max_items')
        if max_items is not None and max_items < 1:
            raise OptionError('max_items=%s must be 1 or more (unset it to get all incidents).' % max_items)
        return super(IncidentReader, self).list(build_filter(options), max_items)
