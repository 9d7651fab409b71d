# -*- coding: utf-8 -*-
# Copyright: contributors to the msgraph.security collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Internal to msgraph.security (not a public API): it may change in any release, even a bugfix one.
"""Commenting on incidents without commenting twice.

Graph's comment POST always appends, and it is not resent after its answer is lost (the client
raises AnswerLostError). With ``unique`` the incident's comments are read first, and read again
after a lost answer, so that the comment is posted only where its exact text is not there yet;
without ``unique`` a lost answer cannot be told apart from a failed POST, so it fails and says so.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.module_utils.six import string_types

from ansible_collections.msgraph.security.plugins.module_utils._core.errors import AnswerLostError, MsGraphError, OptionError
from ansible_collections.msgraph.security.plugins.module_utils._resources.incident_writes import read_targets, send_each, target_ids
from ansible_collections.msgraph.security.plugins.module_utils._resources.incidents import incident_path

COMMENT_TYPE = 'microsoft.graph.security.alertComment'


def comment_text(params):
    text = params.get('comment')
    if not isinstance(text, string_types) or not text.strip():
        raise OptionError('comment must be a non-empty string.')
    return text


def has_comment(comments, text):
    """Whether a comment with exactly this text is among ``comments`` (Graph's comment objects)."""
    return any(isinstance(c, dict) and c.get('comment') == text for c in comments or [])


def comments_path(incident_id):
    return incident_path(incident_id) + '/comments'


class IncidentCommenter:
    """The ``incident_comment`` module's work on one GraphClient."""

    def __init__(self, client, check_mode=False):
        self.client = client
        self.check_mode = check_mode

    def apply(self, params):
        ids, single = target_ids(params)
        text = comment_text(params)
        unique = params.get('unique', True)
        found, missing = read_targets(self.client, ids, params.get('fail_on_missing', True))
        comments = dict((incident_id, list(incident.get('comments') or [])) for incident_id, incident in found)
        to_post = [incident_id for incident_id, dummy in found if not (unique and has_comment(comments[incident_id], text))]
        if to_post and not self.check_mode:
            comments.update(self._post(to_post, text, unique))
        result = dict(changed=bool(to_post), changed_ids=to_post, missing=missing)
        if single:
            result.update(found=bool(found), comments=comments.get(ids[0], []))
        else:
            result['comments'] = comments
        return result

    def _post(self, ids, text, unique):
        """POST the comment to each incident: {id: its comment list after}."""
        try:
            return self._send(ids, text)
        except AnswerLostError as error:
            if not unique:
                raise AnswerLostError(
                    '%s. With unique=false the module cannot tell whether the comment was added, so it stops'
                    ' rather than risk adding it twice: look at the comments of incident(s) %s before running'
                    ' again, or use unique=true, which reads them again after a lost answer.'
                    % (str(error).rstrip('.'), ', '.join(ids)), uncertain_ids=ids)
        # The answer was lost: the comment may be there. Read again, then post only where it is not.
        found, dummy = read_targets(self.client, ids, True)
        after = dict((incident_id, list(incident.get('comments') or [])) for incident_id, incident in found)
        again = [incident_id for incident_id in ids if not has_comment(after[incident_id], text)]
        if again:
            after.update(self._send(again, text))
        return after

    def _send(self, ids, text):
        body = {'@odata.type': COMMENT_TYPE, 'comment': text}
        answers = send_each(self.client, 'POST', comments_path, [(incident_id, body) for incident_id in ids],
                            'Commenting failed on %d of %d incidents: %s. The comment was added to: %s.')
        return dict((incident_id, _comment_list(answer, incident_id)) for incident_id, answer in answers.items())


def _comment_list(answer, incident_id):
    value = answer.get('value')
    if not isinstance(value, list):
        raise MsGraphError('The comment was added to incident %s, but Graph answered without the comment list.'
                           % incident_id, changed=True)
    return value
