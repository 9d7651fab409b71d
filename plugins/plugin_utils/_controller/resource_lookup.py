# -*- coding: utf-8 -*-
# Copyright: contributors to the msgraph.security collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Internal to msgraph.security (not a public API): it may change in any release, even a bugfix one.
"""What a resource's lookup does with its terms: ids read through the reader, or a filtered list;
missing ids fail, warn or are skipped (on_missing), a truncated list warns."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.utils.display import Display

display = Display()

ON_MISSING = ('error', 'warn', 'skip')
# The lookups' own option, written once: rendered into the doc fragment msgraph.security.lookup_ids.
LOOKUP_OPTIONS = {
    'on_missing': dict(
        type='str',
        default=ON_MISSING[0],
        choices=list(ON_MISSING),
        description=[
            'What to do with an id that does not exist (HTTP 404).',
            'V(error) fails, naming the id; V(warn) leaves it out with a warning; V(skip) leaves it out silently.',
        ],
    ),
}
# The setting a missing-id failure names, to report missing ids instead.
TOLERATE_IN_LOOKUP = "on_missing='%s' (or '%s')" % ON_MISSING[1:]


def read_items(plugin, resource, make_reader, terms, options):
    """The items of ``terms`` (ids) in the order given, or the list the options select.

    ``make_reader()`` is called once the terms and options are known to be valid: nothing is sent before.
    """
    ids = [resource.normalize_id(term) for term in terms]
    if ids:
        resource.refuse_list_filters(options, '%s ids (terms)' % resource.name)
    reader = make_reader()
    if not ids:
        items, truncated = reader.list(options)
        if truncated:
            display.warning('%s: more %s match than max_items=%s; only the newest %d are returned.'
                            % (plugin, resource.plural, options.get('max_items'), len(items)))
        return items
    found, missing = reader.read_found(ids, options.get('on_missing') == ON_MISSING[0], TOLERATE_IN_LOOKUP)
    if options.get('on_missing') == ON_MISSING[1]:
        for item_id, result in missing:
            display.warning('%s: %s %s was not found: %s' % (plugin, resource.name, item_id, result))
    return [item for dummy, item in found]
