# -*- coding: utf-8 -*-
# Copyright: contributors to the msgraph.security collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Internal to msgraph.security (not a public API): it may change in any release, even a bugfix one.
"""Reading one resource from its description: one item, many through $batch, filtered lists.

``Reader.read_found`` is the one "read by id, split found and missing, fail or tolerate" flow that
the info modules, the lookups and the writers share.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.msgraph.security.plugins.module_utils._core.errors import (
    GraphApiError,
    IncompleteAnswerError,
    MsGraphError,
    NotFoundError,
    OptionError,
)


def same_id(resource, item_id, item, consequence='nothing is returned'):
    """``item`` when Graph answered the item asked for, not another one (a server that mixed up answers)."""
    if isinstance(item, dict) and str(item.get('id')) != item_id:
        raise IncompleteAnswerError('Asked for %s %s, Graph answered %s %s; %s.'
                                    % (resource.name, item_id, resource.name, item.get('id'), consequence))
    return item


class Reader:
    """The read modes of the modules, lookups and writers for one resource, on one GraphClient."""

    def __init__(self, client, resource, expand=False):
        self.client = client
        self.resource = resource
        self.expand = bool(expand and resource.expand)

    def read_ids(self, item_ids, expand=None):
        """[(id, item or NotFoundError)] in the order asked.

        Several ids go through $batch (20 per round trip); one id is a plain GET, which is
        one round trip either way and smaller.
        """
        expand = self.expand if expand is None else expand
        permission = self.resource.read_permission
        paths = dict((item_id, self.resource.item_path(item_id, expand)) for item_id in item_ids)
        if len(item_ids) == 1:
            try:
                found = {item_ids[0]: self.client.get(paths[item_ids[0]], permission=permission)}
            except NotFoundError as error:
                found = {item_ids[0]: error}
        else:
            answers = self.client.get_batch(list(paths.values()), permission=permission)
            found = dict((item_id, answers[path]) for item_id, path in paths.items())
        return [(item_id, same_id(self.resource, item_id, found[item_id])) for item_id in item_ids]

    def read_found(self, item_ids, fail_on_missing, tolerate, after_failure=''):
        """([(id, item)] found, [(id, NotFoundError)] missing), in the order asked.

        With ``fail_on_missing`` a missing id raises, naming every missing id and ``tolerate`` (the
        setting that reports them instead), followed by ``after_failure`` ("Nothing was written.").
        """
        results = self.read_ids(item_ids)
        missing = [(item_id, found) for item_id, found in results if isinstance(found, NotFoundError)]
        if missing and fail_on_missing:
            error = self.resource.not_found_error(missing, len(item_ids), tolerate)
            if after_failure:
                error = NotFoundError('%s %s' % (error, after_failure), **error.details)
            raise error
        return [(item_id, found) for item_id, found in results if not isinstance(found, NotFoundError)], missing

    def list(self, query, max_items=None):
        """Items matching the $filter ``query`` (or all), in Graph's order: (items, truncated).

        Large tenants answer HTTP 500 to a filtered list with $expand, however often it is asked
        again: then the list is read without it and each item again with it, through $batch.
        """
        if max_items is not None and max_items < 1:
            raise OptionError('max_items=%s must be 1 or more (unset it to get all %s).' % (max_items, self.resource.plural))
        params = {'$top': min(self.resource.page_size, max_items or self.resource.page_size)}
        if query:
            params['$filter'] = query
        if not self.expand:
            return self._pages(params, max_items)
        try:
            return self._pages(dict(params, **{'$expand': self.resource.expand}), max_items)
        except GraphApiError as error:
            if error.status is None or error.status < 500:
                raise
        items, truncated = self._pages(params, max_items)
        return self._expanded(items), truncated

    def _pages(self, params, max_items):
        return self.client.get_all_pages(self.resource.path, params, max_items, self.resource.items,
                                         self.resource.read_permission, self.resource.max_skip)

    def _expanded(self, items):
        """The listed items read again one by one with $expand, in the listing's order."""
        ids = [str(item.get('id')) for item in items]
        again = dict(self.read_ids(ids, expand=True)) if ids else {}
        gone = [item_id for item_id in ids if isinstance(again[item_id], MsGraphError)]
        if gone:
            raise IncompleteAnswerError(
                'Listing %s with their %s failed on Graph\'s side, so they were read one by one; %s %s no longer'
                ' found: %s. Nothing is returned; run again.' % (
                    self.resource.plural, self.resource.expand, len(gone),
                    'was' if len(gone) == 1 else 'were', ', '.join(gone)))
        # Shaped as list items: a single read also names its own @odata.context.
        return [dict((k, v) for k, v in again[item_id].items() if k != '@odata.context') for item_id in ids]
