# -*- coding: utf-8 -*-
# Copyright: contributors to the msgraph.security collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Internal to msgraph.security (not a public API): it may change in any release, even a bugfix one.
"""What the generic reader, writer and commenter need to know about one Graph resource, written once.

A resource module (``_resources/incidents.py``) builds one ``Resource``; ``reader``, ``writer`` and
``commenter`` take it and know nothing else about the resource.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re
from collections import namedtuple

from ansible.module_utils.six import binary_type, integer_types, string_types
from ansible.module_utils.six.moves.urllib.parse import quote

from ansible_collections.msgraph.security.plugins.module_utils._core.errors import MsGraphError, NotFoundError, OptionError

# Graph ids are strings; allow the characters of the usual id styles, nothing that could change the URL's meaning.
ID_PATTERN = re.compile(r'^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}\Z')

# One writable field: its Graph property and how it compares.
#   kind: 'enum' (members in ``members``, any case), 'principal' (any case, null and "" both empty),
#   'text' (exact, null and "" both empty), 'tags' (a set, any case: added to, or replaced when purged).
Field = namedtuple('Field', ['prop', 'kind', 'members'])


def field(prop, kind='text', members=None):
    return Field(prop, kind, tuple(members or ()))


class Resource:
    """One Graph resource: where it lives, how its ids look, how it reads, writes and is commented on.

    name/plural: the words of the messages ("incident", "incidents"); path: the collection below
    the API root; id_example: an id shown in hints; numeric_ids: whether real ids are digits;
    page_size: the $top of a listing; max_skip: the largest $skip a listing takes (None: no limit); enums: {option: members} a filter accepts; filters: the
    options that narrow a listing; fields: {option: Field} a write may set; read/write_permission:
    named in 403 hints; comments: the comments segment below one item and the @odata.type of a
    comment, or None; expand: the navigation property ``expand`` options ask for (None: none).
    """

    def __init__(self, name, plural, path, id_example, page_size, read_permission, write_permission,
                 enums=None, filters=(), fields=None, numeric_ids=False, comments=None, comment_type=None,
                 expand=None, max_skip=None):
        self.name, self.plural, self.path = name, plural, path
        self.id_example, self.numeric_ids, self.page_size = id_example, numeric_ids, page_size
        self.max_skip = max_skip
        self.read_permission, self.write_permission = read_permission, write_permission
        self.enums = dict(enums or {})
        self.filters = tuple(filters)
        self.fields = dict(fields or {})
        self.comments, self.comment_type, self.expand = comments, comment_type, expand

    @property
    def items(self):
        """(singular, plural): the words the client's paging messages use."""
        return (self.name, self.plural)

    @property
    def id_options(self):
        """(one id, many ids): the names of the options that choose items by id ("incident_id", "incident_ids")."""
        return (self.name + '_id', self.name + '_ids')

    def target_options(self):
        """The option table of a write module's targets: one id, many ids, fail_on_missing.

        Numeric ids are typed raw, so that a YAML number such as 29 is read as "29".
        """
        one, many = self.id_options
        id_type = 'raw' if self.numeric_ids else 'str'
        either = 'Exactly one of O(%s) and O(%s) is required.' % (one, many)
        return {
            one: dict(type=id_type, description=[
                'The id of one %s, for example V(%s).%s' % (
                    self.name, self.id_example, ' A YAML number such as V(29) is read as V("29").' if self.numeric_ids else ''),
                either,
            ]),
            many: dict(type='list', elements=id_type, description=[
                'The ids of several %s, read and written through JSON batching (20 requests per round trip).' % self.plural,
                'An id given twice is acted on once. Results come back in the order asked.',
                either,
            ]),
            'fail_on_missing': dict(type='bool', default=True, description=[
                'Fail when an %s asked for does not exist (HTTP 404), naming it, before anything is written.' % self.name,
                'When V(false), missing %s are listed in the C(missing) result and the others are acted on.' % self.plural,
            ]),
        }

    def normalize_id(self, value):
        """An id as a string, or OptionError saying why it is not one.

        YAML turns 29 into an int, so whole numbers are accepted and read as "29".
        """
        example = 'expected a string such as "%s".' % self.id_example
        if isinstance(value, bool):
            raise OptionError('Invalid %s id %r: %s' % (self.name, value, example))
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, integer_types):
            if value < 0:
                raise OptionError('Invalid %s id %d: ids are not negative.' % (self.name, value))
            return str(value)
        if isinstance(value, binary_type):
            value = value.decode('utf-8', 'replace')
        if not isinstance(value, string_types):
            raise OptionError('Invalid %s id %r (%s): %s' % (self.name, value, type(value).__name__, example))
        if not ID_PATTERN.match(value):
            shown = value if len(value) <= 60 else value[:60] + '...'
            raise OptionError(
                'Invalid %s id %r: an id is 1 to 128 letters, digits, ".", "_", ":" or "-" and'
                ' starts with a letter or digit (Graph %s ids look like "%s").' % (self.name, shown, self.name, self.id_example))
        if value in ('.', '..'):
            raise OptionError('Invalid %s id %r.' % (self.name, value))
        return value

    def item_path(self, item_id, expand=False):
        """The path of one item below the API root, the id URL-encoded as a path segment."""
        path = '%s/%s' % (self.path, quote(item_id, safe=''))
        return path + '?$expand=' + self.expand if expand and self.expand else path

    def comments_path(self, item_id):
        return '%s/%s' % (self.item_path(item_id), self.comments)

    def not_found_error(self, missing, asked, tolerate):
        """The failure for items that do not exist, for every plugin that reads or writes by id.

        ``missing``: [(id, NotFoundError)]; ``asked``: how many ids were asked for; ``tolerate``: the
        setting that reports missing ids instead of failing. Names each id with Graph's answer, says how
        to tolerate them and, when ids are numeric but one is not, says so (a typo then explains itself).
        """
        text = '%s not found: %s.' % (
            '%s was' % self.name.capitalize() if asked == 1 else '%d of %d %s were' % (len(missing), asked, self.plural),
            '; '.join('%s (%s)' % item for item in missing))
        odd = [item_id for item_id, dummy in missing if self.numeric_ids and not item_id.isdigit()]
        if odd:
            text += ' Graph %s ids are numeric, such as %s: %s %s not.' % (
                self.name, self.id_example, ', '.join(repr(i) for i in odd), 'is' if len(odd) == 1 else 'are')
        text += ' To report missing %s instead of failing, set %s.' % (self.plural, tolerate)
        details = missing[0][1].details if isinstance(missing[0][1], MsGraphError) else {}
        return NotFoundError(text, **details)

    def refuse_list_filters(self, options, ids_option):
        """List filters with ids would be ignored without a word: refuse them, naming both."""
        given = [name for name in self.filters if options.get(name) not in (None, [])]
        if given:
            several = len(given) > 1
            raise OptionError('%s only narrow%s a listing and would be ignored with %s; remove %s, or drop %s'
                              ' to list %s.' % (' and '.join(given), '' if several else 's', ids_option,
                                                'them' if several else 'it', ids_option, self.plural))
