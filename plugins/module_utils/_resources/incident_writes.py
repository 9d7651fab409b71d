# -*- coding: utf-8 -*-
# Copyright: contributors to the msgraph.security collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Internal to msgraph.security (not a public API): it may change in any release, even a bugfix one.
"""Bringing incidents to a desired state: check the options, plan the PATCH, write only the difference.

The planning (``desired_fields``, ``plan_update``) is pure and unit-tested; ``IncidentWriter`` adds
the reads and writes: one incident with a GET and a PATCH, many through $batch (reads, then only
the changed incidents written). Nothing is written until every incident asked for has been read
and every planned change checked, so a bad option or a missing incident writes nothing.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy

from ansible.module_utils.six import string_types

from ansible_collections.msgraph.security.plugins.module_utils._core.errors import (
    WRITE_PERMISSION,
    GraphApiError,
    MsGraphError,
    NotFoundError,
    OptionError,
)
from ansible_collections.msgraph.security.plugins.module_utils._core.graph_client import GraphRequest
from ansible_collections.msgraph.security.plugins.module_utils._resources.incident_schema import (
    WRITABLE_ENUMS,
    WRITABLE_FIELDS,
    canonical,
    check_determination,
    same_enum,
)
from ansible_collections.msgraph.security.plugins.module_utils._resources.incidents import (
    TOLERATE_IN_MODULE,
    IncidentReader,
    incident_path,
    normalize_id,
    not_found_error,
)


def target_ids(params):
    """The ids asked for, normalized, each once, in the order first asked: (ids, single)."""
    single = params.get('incident_id') is not None
    if single == (params.get('incident_ids') is not None):
        raise OptionError('Set exactly one of incident_id (one incident) and incident_ids (several).')
    raw = [params['incident_id']] if single else params['incident_ids']
    if not raw:
        raise OptionError('incident_ids is empty: give at least one incident id.')
    ids = [normalize_id(value) for value in raw]
    return list(dict.fromkeys(ids)), single


def desired_fields(params):
    """{option: value} for the fields the task sets, enums in Graph's spelling; OptionError if invalid.

    Only what can be checked without the incident: enum members, and the determination against
    the classification when both are given.
    """
    wanted = {}
    for option in WRITABLE_FIELDS:
        value = params.get(option)
        if value is None:
            continue
        if option in WRITABLE_ENUMS:
            value = canonical(option, value, WRITABLE_ENUMS[option])
        elif option == 'custom_tags':
            value = _tags(value)
        elif not isinstance(value, string_types):
            raise OptionError('%s must be a string, not %r.' % (option, value))
        wanted[option] = value
    if not wanted:
        raise OptionError('Nothing to set: give at least one of %s.' % ', '.join(sorted(WRITABLE_FIELDS)))
    if 'classification' in wanted and 'determination' in wanted:
        check_determination(wanted['classification'], wanted['determination'])
    return wanted


def _tags(values):
    tags = []
    for tag in values:
        if not isinstance(tag, string_types) or not tag.strip():
            raise OptionError('custom_tags must be non-empty strings; %r is not.' % (tag,))
        if tag not in tags:
            tags.append(tag)
    return tags


def _same(option, current, wanted):
    if option in WRITABLE_ENUMS:
        return same_enum(current, wanted)
    if option == 'assigned_to':  # a UPN: case does not matter; "" and null both mean unassigned
        return (current or '').lower() == wanted.lower()
    return (current or '') == wanted  # free text: null and "" are both empty


def _known_classification(value):
    """The incident's classification in Graph's spelling, or None when it is not one a client sets."""
    for name in WRITABLE_ENUMS['classification']:
        if same_enum(name, value):
            return name
    return None


def plan_update(incident, wanted, purge_custom_tags=False):
    """What to PATCH to bring ``incident`` to ``wanted``: (body, before, after).

    ``body`` holds the Graph properties that differ ({} when none do); ``before`` and ``after``
    hold those properties as they are and as they will be, for the diff. Raises OptionError when
    the determination does not fit the classification the incident would end with.
    """
    incident_id = incident.get('id')
    if 'determination' in wanted and 'classification' not in wanted:
        # Checked against the classification already on the incident (desired_fields checked the pair given).
        current = _known_classification(incident.get('classification'))
        try:
            check_determination(current, wanted['determination'])
        except OptionError as error:
            raise OptionError('Incident %s: %s (that is its current classification: set classification too).'
                              % (incident_id, str(error).rstrip('.')))
    body, before, after = {}, {}, {}
    for option, value in wanted.items():
        prop = WRITABLE_FIELDS[option]
        current = incident.get(prop)
        if option == 'custom_tags':
            current = list(current or [])
            if purge_custom_tags:
                new = value if set(value) != set(current) else None
            else:
                missing = [tag for tag in value if tag not in current]
                new = current + missing if missing else None
            if new is None:
                continue
        elif _same(option, current, value):
            continue
        else:
            new = value
        body[prop] = new
        before[prop] = current
        after[prop] = None if option == 'assigned_to' and new == '' else new
    return body, before, after


def _predicted(incident, after):
    """The incident as it will read after the PATCH (check mode shows this)."""
    predicted = copy.deepcopy(incident)
    predicted.update(copy.deepcopy(after))
    return predicted


def read_targets(client, ids, fail_on_missing):
    """[(id, incident)] of the incidents found, in order, and the ids missing.

    With fail_on_missing, a missing id raises before anything is written.
    """
    results = IncidentReader(client).read_ids(ids)
    missing = [(incident_id, found) for incident_id, found in results if isinstance(found, NotFoundError)]
    if missing and fail_on_missing:
        error = not_found_error(missing, len(ids), TOLERATE_IN_MODULE)
        raise NotFoundError('%s Nothing was written.' % error, **error.details)
    return [(incident_id, found) for incident_id, found in results if not isinstance(found, NotFoundError)], \
        [incident_id for incident_id, dummy in missing]


class IncidentWriter:
    """The ``incident`` module's work on one GraphClient."""

    def __init__(self, client, check_mode=False):
        self.client = client
        self.check_mode = check_mode

    def apply(self, params):
        ids, single = target_ids(params)
        wanted = desired_fields(params)
        found, missing = read_targets(self.client, ids, params.get('fail_on_missing', True))
        plans = [(incident_id, incident) + plan_update(incident, wanted, params.get('purge_custom_tags'))
                 for incident_id, incident in found]
        to_write = [(incident_id, body) for incident_id, dummy, body, dummy2, dummy3 in plans if body]
        written = {} if self.check_mode else self._write(to_write)

        incidents, diff_before, diff_after = [], {}, {}
        for incident_id, incident, body, before, after in plans:
            incidents.append(written.get(incident_id) or (_predicted(incident, after) if body else incident))
            if body:
                diff_before[incident_id], diff_after[incident_id] = before, after
        changed_ids = [incident_id for incident_id, body in to_write]
        result = dict(changed=bool(changed_ids), incidents=incidents, changed_ids=changed_ids, missing=missing)
        if single:
            result.update(incident=incidents[0] if incidents else None, found=bool(incidents),
                          diff=dict(before=diff_before.get(ids[0], {}), after=diff_after.get(ids[0], {})))
        else:
            result['diff'] = dict(before=diff_before, after=diff_after)
        return result

    def _write(self, to_write):
        """PATCH each (id, body); {id: incident as Graph answered}."""
        return send_each(self.client, 'PATCH', incident_path, to_write,
                         '%d of %d incident updates failed: %s. These were updated: %s.')


def send_each(client, method, path_of, bodies, failure):
    """One write per incident: alone when there is one, through $batch when there are more.

    ``bodies``: [(id, body)]; ``path_of(id)``: where to send it. Returns {id: Graph's answer}.
    When some fail, raises MsGraphError from ``failure``, a format for (failed, asked, the failures,
    the ids written), with ``changed``, ``changed_ids`` and ``failed_ids`` in its details.
    """
    if not bodies:
        return {}
    if len(bodies) == 1:
        incident_id, body = bodies[0]
        return {incident_id: client.request(method, path_of(incident_id), body=body, permission=WRITE_PERMISSION)}
    answers = client.batch([GraphRequest(method, path_of(incident_id), body, permission=WRITE_PERMISSION)
                            for incident_id, body in bodies])
    done, failed = {}, []
    for (incident_id, dummy), answer in zip(bodies, answers):
        if isinstance(answer, GraphApiError):
            failed.append((incident_id, answer))
        else:
            done[incident_id] = answer
    if failed:
        raise MsGraphError(
            failure % (len(failed), len(bodies), '; '.join('%s (%s)' % item for item in failed), ', '.join(done) or 'none'),
            changed=bool(done), changed_ids=list(done), failed_ids=[i for i, dummy in failed], **failed[0][1].details)
    return done
