# -*- coding: utf-8 -*-
# Copyright: contributors to the msgraph.security collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Internal to msgraph.security (not a public API): it may change in any release, even a bugfix one.
"""Commenting on items of one resource without commenting twice, from its description.

Graph's comment POST always appends, and it is not resent after its answer is lost (the client
raises AnswerLostError). With ``unique`` the item's comments are read first, and read again after a
lost answer, so that the comment is posted only where its exact text is not there yet; without
``unique`` a lost answer cannot be told apart from a failed POST, so it fails, says so, and reports
``changed`` (the comments may be there). The items are locked on this machine from the read to the post.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.module_utils.six import string_types

from ansible_collections.msgraph.security.plugins.module_utils._core.errors import AnswerLostError, IncompleteAnswerError, MsGraphError, OptionError
from ansible_collections.msgraph.security.plugins.module_utils._core.reader import Reader
from ansible_collections.msgraph.security.plugins.module_utils._core.write_lock import ItemLocks
from ansible_collections.msgraph.security.plugins.module_utils._core.writer import NOTHING_WRITTEN, TOLERATE, send_each, target_ids


def comment_text(params):
    text = params.get('comment')
    if not isinstance(text, string_types) or not text.strip():
        raise OptionError('comment must be a non-empty string.')
    return text


def has_comment(comments, text):
    """Whether a comment with exactly this text is among ``comments`` (Graph's comment objects)."""
    return any(isinstance(c, dict) and c.get('comment') == text for c in comments or [])


def _key(comment):
    return (comment.get('comment'), comment.get('createdDateTime')) if isinstance(comment, dict) else comment


class Commenter:
    """A comment module's work for one resource on one GraphClient."""

    def __init__(self, client, resource, check_mode=False):
        self.client = client
        self.resource = resource
        self.check_mode = check_mode

    def apply(self, params):
        ids, single = target_ids(self.resource, params)
        text = comment_text(params)
        unique = params.get('unique', True)
        with ItemLocks(self.client, self.resource, [] if self.check_mode else ids):
            found, missing = self._read(ids, params.get('fail_on_missing', True))
            comments = dict((item_id, list(item.get('comments') or [])) for item_id, item in found)
            to_post = [item_id for item_id, dummy in found if not (unique and has_comment(comments[item_id], text))]
            if to_post and not self.check_mode:
                comments.update(self._post(to_post, text, unique, comments))
        result = dict(changed=bool(to_post), changed_ids=to_post, missing=[i for i, dummy in missing])
        if single:
            result.update(found=bool(found), comments=comments.get(ids[0], []))
        else:
            result['comments'] = comments
        return result

    def _read(self, ids, fail_on_missing):
        return Reader(self.client, self.resource).read_found(ids, fail_on_missing, TOLERATE, NOTHING_WRITTEN)

    def _post(self, ids, text, unique, before):
        """POST the comment to each item: {id: its comment list after}."""
        try:
            return self._send(ids, text, before)
        except AnswerLostError as error:
            if not unique:
                raise AnswerLostError(
                    '%s. With unique=false the module cannot tell whether the comment was added, so it stops'
                    ' rather than risk adding it twice: look at the comments of %s(s) %s before running'
                    ' again, or use unique=true, which reads them again after a lost answer.'
                    % (str(error).rstrip('.'), self.resource.name, ', '.join(ids)),
                    uncertain_ids=ids, changed=True, changed_ids=ids)
        # The answer was lost: the comment may be there. Read again, then post only where it is not.
        found, dummy = self._read(ids, True)
        after = dict((item_id, list(item.get('comments') or [])) for item_id, item in found)
        again = [item_id for item_id in ids if not has_comment(after[item_id], text)]
        if again:
            after.update(self._send(again, text, after))
        return after

    def _send(self, ids, text, before):
        body = {'@odata.type': self.resource.comment_type, 'comment': text}

        def check(item_id, answer):
            """The answer is this item's list: its comments as read come first (comments only append)."""
            listed = _comment_list(self.resource, answer, item_id)
            if [_key(c) for c in listed[:len(before[item_id])]] != [_key(c) for c in before[item_id]]:
                raise IncompleteAnswerError('Graph answered the comment on %s %s with a comment list that is not'
                                            ' its own.' % (self.resource.name, item_id))

        answers = send_each(self.client, self.resource, 'POST', self.resource.comments_path,
                            [(item_id, body) for item_id in ids],
                            'Commenting failed on %%d of %%d %s: %%s. The comment was added to: %%s.' % self.resource.plural,
                            check)
        return dict((item_id, answer['value']) for item_id, answer in answers.items())


def _comment_list(resource, answer, item_id):
    value = answer.get('value')
    if not isinstance(value, list):
        raise MsGraphError('The comment was added to %s %s, but Graph answered without the comment list.'
                           % (resource.name, item_id), changed=True)
    return value
