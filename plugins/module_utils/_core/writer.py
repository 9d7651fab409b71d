# -*- coding: utf-8 -*-
# Copyright: contributors to the msgraph.security collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Internal to msgraph.security (not a public API): it may change in any release, even a bugfix one.
"""Bringing items of one resource to a desired state, from its description: check, plan, write the difference.

The planning (``desired_fields``, ``plan_update``) is pure; ``Writer`` adds the reads and writes: one
item with a GET and a PATCH, many through $batch (reads, then only the changed items written). Nothing
is written until every item asked for has been read and every planned change checked, so a bad option
or a missing item writes nothing. The items are locked on this machine from the read to the write.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
from collections import namedtuple

from ansible.module_utils.six import string_types

from ansible_collections.msgraph.security.plugins.module_utils._core.errors import GraphApiError, MsGraphError, OptionError
from ansible_collections.msgraph.security.plugins.module_utils._core.graph_client import GraphRequest
from ansible_collections.msgraph.security.plugins.module_utils._core.odata import canonical, known_member, same_enum
from ansible_collections.msgraph.security.plugins.module_utils._core.reader import Reader, same_id
from ansible_collections.msgraph.security.plugins.module_utils._core.write_lock import ItemLocks

# One item's planned write: the item as read, the properties to send ({} for none), and those
# properties as they are and as they will be (the diff).
Plan = namedtuple('Plan', ['item_id', 'item', 'body', 'before', 'after'])
TOLERATE = 'fail_on_missing: false'
NOTHING_WRITTEN = 'Nothing was written.'
# What Graph changes on every write: never a sign of another writer.
_VOLATILE = ('lastUpdateDateTime', 'lastModifiedBy', 'lastModifiedDateTime')


def target_ids(resource, params):
    """The ids asked for, normalized, each once, in the order first asked: (ids, single)."""
    one, many = resource.id_options
    single = params.get(one) is not None
    if single == (params.get(many) is not None):
        raise OptionError('Set exactly one of %s (one %s) and %s (several).' % (one, resource.name, many))
    raw = [params[one]] if single else params[many]
    if not raw:
        raise OptionError('%s is empty: give at least one %s id.' % (many, resource.name))
    ids = [resource.normalize_id(value) for value in raw]
    return list(dict.fromkeys(ids)), single


def desired_fields(resource, params):
    """{option: value} for the fields the task sets, enums in Graph's spelling; OptionError if invalid."""
    wanted = {}
    for option, spec in resource.fields.items():
        value = params.get(option)
        if value is None:
            continue
        if spec.kind == 'enum':
            value = canonical(option, value, spec.members)
        elif spec.kind == 'tags':
            value = _tags(option, value)
        elif not isinstance(value, string_types):
            raise OptionError('%s must be a string, not %r.' % (option, value))
        elif spec.kind == 'principal':
            value = _principal(option, value)
        wanted[option] = value
    if not wanted:
        raise OptionError('Nothing to set: give at least one of %s.' % ', '.join(sorted(resource.fields)))
    return wanted


def _tags(option, values):
    """The tags each once, compared ignoring case as Defender's portal does (the first spelling kept)."""
    tags = []
    for tag in values:
        if not isinstance(tag, string_types) or not tag.strip():
            raise OptionError('%s must be non-empty strings; %r is not.' % (option, tag))
        if tag.lower() not in _lowered(tags):
            tags.append(tag)
    return tags


def _principal(option, value):
    """A principal name without surrounding blanks; "" (unassign) stays, only-blank text is refused."""
    if value and not value.strip():
        raise OptionError('%s=%r is only blanks: give a name, or "" to clear it.' % (option, value))
    return value.strip()


def _lowered(tags):
    return set(tag.lower() if isinstance(tag, string_types) else tag for tag in tags)


def _same(spec, current, wanted):
    if spec.kind == 'enum':
        return same_enum(current, wanted)
    if spec.kind == 'principal':  # a UPN: case does not matter; "" and null both mean nobody
        return (current or '').lower() == wanted.lower()
    return (current or '') == wanted  # free text: null and "" are both empty


def _new_tags(current, wanted, purge):
    if purge:
        return wanted if _lowered(wanted) != _lowered(current) else None
    missing = [tag for tag in wanted if tag.lower() not in _lowered(current)]
    return current + missing if missing else None


def plan_update(resource, item, wanted, purge_tags=False):
    """The Plan that brings ``item`` to ``wanted``: only the properties that differ, compared by kind."""
    body, before, after = {}, {}, {}
    for option, value in wanted.items():
        spec = resource.fields[option]
        current = item.get(spec.prop)
        if spec.kind == 'tags':
            current = list(current or [])
            new = _new_tags(current, value, purge_tags)
            if new is None:
                continue
        elif _same(spec, current, value):
            continue
        else:
            new = None if spec.kind == 'principal' and value == '' else value  # Graph's "nobody" is null
        body[spec.prop], before[spec.prop], after[spec.prop] = new, current, new
    return Plan(str(item.get('id')), item, body, before, after)


def final_value(resource, item, wanted, option):
    """What ``option`` will hold once written: the wanted value, else the item's (an enum in Graph's
    spelling, None when it is not a member the schema knows)."""
    if option in wanted:
        return wanted[option]
    spec = resource.fields[option]
    current = item.get(spec.prop)
    return known_member(current, spec.members) if spec.kind == 'enum' else current


def predicted(item, after):
    """The item as it will read after the write (check mode shows this)."""
    result = copy.deepcopy(item)
    result.update(copy.deepcopy(after))
    return result


def changed_by_others(plan, answer):
    """The properties another writer changed between our read and our write, as Graph's answer shows."""
    expected = predicted(plan.item, plan.after)
    return sorted(prop for prop, value in answer.items()
                  if prop in expected and not prop.startswith('@') and prop not in _VOLATILE and value != expected[prop])


def send_each(client, resource, method, path_of, bodies, failure, check=None):
    """One write per item: alone when there is one, through $batch when there are more.

    ``bodies``: [(id, body)]; ``path_of(id)``: where to send it; ``check(id, answer)``: raises when an
    answer is not the one for that item (a server that mixed answers up). Returns {id: Graph's answer}.
    When some fail, raises MsGraphError from ``failure``, a format for (failed, asked, the failures,
    the ids written), with ``changed``, ``changed_ids`` and ``failed_ids`` in its details.
    """
    if not bodies:
        return {}
    permission = resource.write_permission
    if len(bodies) == 1:
        item_id, body = bodies[0]
        answers = [client.request(method, path_of(item_id), body=body, permission=permission)]
    else:
        answers = client.batch([GraphRequest(method, path_of(item_id), body, permission=permission)
                                for item_id, body in bodies])
    done, failed = {}, []
    for (item_id, dummy), answer in zip(bodies, answers):
        if isinstance(answer, GraphApiError):
            failed.append((item_id, answer))
        else:
            done[item_id] = answer
    for item_id, answer in done.items():
        try:
            (check or _same_item(resource))(item_id, answer)
        except MsGraphError as error:
            raise MsGraphError('%s The write was sent to: %s.' % (error, ', '.join(done)),
                               changed=True, changed_ids=list(done), **error.details)
    if failed:
        raise MsGraphError(
            failure % (len(failed), len(bodies), '; '.join('%s (%s)' % item for item in failed), ', '.join(done) or 'none'),
            changed=bool(done), changed_ids=list(done), failed_ids=[i for i, dummy in failed], **failed[0][1].details)
    return done


def _same_item(resource):
    return lambda item_id, answer: same_id(resource, item_id, answer, "Graph's answers cannot be trusted")


class Writer:
    """A desired-state write module's work for one resource on one GraphClient.

    ``check_wanted(wanted, params)`` and ``check_plan(plan, wanted, params)``: the resource's own rules,
    raising OptionError, before anything is sent and for every item before anything is written.
    ``state``: the Graph property that ``only_from`` (members it must hold now) is checked against.
    """

    def __init__(self, client, resource, check_mode=False, check_wanted=None, check_plan=None, state=None):
        self.client = client
        self.resource = resource
        self.check_mode = check_mode
        self.check_wanted = check_wanted
        self.check_plan = check_plan
        self.state = state

    def apply(self, params, only_from=None):
        ids, single = target_ids(self.resource, params)
        wanted = desired_fields(self.resource, params)
        if self.check_wanted:
            self.check_wanted(wanted, params)
        with ItemLocks(self.client, self.resource, [] if self.check_mode else ids):
            found, missing = Reader(self.client, self.resource).read_found(
                ids, params.get('fail_on_missing', True), TOLERATE, NOTHING_WRITTEN)
            skipped = [item_id for item_id, item in found if not self._allowed(item, only_from)]
            plans = [plan_update(self.resource, item, wanted, params.get('purge_custom_tags'))
                     for item_id, item in found if item_id not in skipped]
            for plan in plans:
                if self.check_plan:
                    self.check_plan(plan, wanted, params)
            to_write = [(plan.item_id, plan.body) for plan in plans if plan.body]
            written = {} if self.check_mode else send_each(
                self.client, self.resource, 'PATCH', self.resource.item_path, to_write,
                '%%d of %%d %s updates failed: %%s. These were updated: %%s.' % self.resource.name)
        return self._result(ids, single, found, plans, written, [i for i, dummy in missing], skipped)

    def _allowed(self, item, only_from):
        return only_from is None or known_member(item.get(self.state), only_from) is not None

    def _result(self, ids, single, found, plans, written, missing, skipped):
        by_id = dict((plan.item_id, plan) for plan in plans)
        items, diff_before, diff_after, others = [], {}, {}, {}
        for item_id, item in found:
            plan = by_id.get(item_id)
            if plan and plan.body:
                diff_before[item_id], diff_after[item_id] = plan.before, plan.after
                if item_id in written:
                    others[item_id] = changed_by_others(plan, written[item_id])
            items.append(written.get(item_id) or (predicted(item, plan.after) if plan and plan.body else item))
        changed_ids = [plan.item_id for plan in plans if plan.body]
        others = dict((item_id, props) for item_id, props in others.items() if props)
        result = dict(changed=bool(changed_ids), changed_ids=changed_ids, missing=missing, skipped_ids=skipped,
                      changed_by_others=others)
        result[self.resource.plural] = items
        if others:
            result['warnings'] = [
                '%s %s was changed by another writer between this task\'s read and its write (%s): the fields this'
                ' task set replaced theirs; read it again before relying on them.' % (
                    self.resource.name.capitalize(), item_id, ', '.join(props)) for item_id, props in sorted(others.items())]
        if single:
            result.update(found=bool(items), diff=dict(before=diff_before.get(ids[0], {}), after=diff_after.get(ids[0], {})))
            result[self.resource.name] = items[0] if items else None
        else:
            result['diff'] = dict(before=diff_before, after=diff_after)
        return result
