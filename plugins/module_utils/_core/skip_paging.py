# -*- coding: utf-8 -*-
# Copyright: contributors to the msgraph.security collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Internal to msgraph.security (not a public API): it may change in any release, even a bugfix one.
"""Listing a collection that gives neither a count nor a nextLink (Defender for Endpoint's lists).

Such a list is paged with $top and $skip until a page comes back short; a page that is full is
followed by one more request, the only way to learn that it was the last.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.msgraph.security.plugins.module_utils._core.errors import NotFoundError


def list_by_skip(client, path, params, page_size, permission, missing_is_empty=False):
    """Every item of ``path`` with ``params`` ($filter, ...); ``missing_is_empty``: a 404 on the first
    page means an empty list (Defender's machine list answers so when there is no machine)."""
    params = dict(params, **{'$top': page_size})
    items = []
    while True:
        try:
            page = client.get(path, dict(params, **{'$skip': len(items)}) if items else params, permission=permission)
        except NotFoundError:
            if items or not missing_is_empty:
                raise
            return []
        value = page.get('value') or []
        items.extend(value)
        if len(value) < page_size:
            return items


def chunks(values, size=20):
    """``values`` in lists of at most ``size``: an OData ``or`` of 20 ids keeps a URL short."""
    return [values[n:n + size] for n in range(0, len(values), size)]
