# -*- coding: utf-8 -*-
# Copyright: contributors to the msgraph.security collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Internal to msgraph.security (not a public API): it may change in any release, even a bugfix one.
"""Advanced hunting (POST /security/runHuntingQuery), shared by the hunting_query module and the hunting lookup.

A hunting query is a read sent as a POST: it is resent after a transient failure (resend=True).
The query text may carry what a play keeps secret, so no message here ever repeats it. Graph's own
message (a KQL error) is shown as Graph wrote it, except for a no_log task: it may quote the query,
and ansible-core 2.19 prints a failed task's message even then.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible.module_utils.six import string_types

from ansible_collections.msgraph.security.plugins.module_utils._core.errors import (
    GraphApiError,
    IncompleteAnswerError,
    OptionError,
    RetryBudgetError,
)

PATH = '/security/runHuntingQuery'
PERMISSION = 'ThreatHunting.Read.All'
# A harmless query for connection_info: one row at most from a table every tenant with Defender has.
PROBE_QUERY = 'DeviceInfo | take 1'

QUOTA_HINT = (
    ' Advanced hunting has a quota per tenant (at least 45 queries a minute, and a CPU budget renewed every'
    ' 15 minutes): run fewer or lighter queries, or raise max_retry_wait to wait for the next window.')
LIMIT_HINT = (
    ' Advanced hunting returns at most 100,000 rows (and limits CPU, memory and run time): cap the rows in'
    ' the query with take or limit, project fewer columns, or narrow timespan.')
LIMIT_MESSAGES = ('exceeded the allowed result size', 'exceeded the allowed limits')

_DURATION = r'P(?=\d|T\d)(?:\d+W)?(?:\d+D)?(?:T(?=\d)(?:\d+H)?(?:\d+M)?(?:\d+(?:\.\d+)?S)?)?'
_MOMENT = r'\d{4}-\d\d-\d\d(?:T\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d:\d\d)?)?'
TIMESPAN = re.compile(r'^(?:{d}|{m}|{m}/{m}|{d}/{m}|{m}/{d})\Z'.format(d=_DURATION, m=_MOMENT))


def check_query(query):
    """The KQL text, or OptionError naming the option (never the text: it may be secret)."""
    if not isinstance(query, string_types) or not query.strip():
        raise OptionError('query must be a KQL query such as "DeviceFileEvents | take 10"; it is empty.')
    return query


def check_timespan(timespan):
    """None (Graph's default: 30 days back from now) or an ISO 8601 interval in a form Graph takes."""
    if timespan in (None, ''):
        return None
    if not isinstance(timespan, string_types) or not TIMESPAN.match(timespan.strip()):
        raise OptionError(
            'Invalid timespan %r: an ISO 8601 interval such as P7D (the last 7 days),'
            ' 2026-05-01T00:00:00Z/2026-05-04T00:00:00Z, P7D/2026-05-04T00:00:00Z, 2026-05-01T00:00:00Z/P7D,'
            ' or a start date-time (until now).' % (timespan,))
    return timespan.strip()


def run_hunting_query(client, query, timespan=None, secret=False):
    """{results, schema, row_count} of one advanced hunting query, or an MsGraphError saying why not.

    ``secret``: the task is no_log, so Graph's message (which may quote the query) is withheld."""
    body = {'Query': check_query(query)}
    timespan = check_timespan(timespan)
    if timespan:
        body['Timespan'] = timespan
    try:
        answer = client.request('POST', PATH, body=body, resend=True, permission=PERMISSION)
    except RetryBudgetError as error:
        raise RetryBudgetError(error.message + QUOTA_HINT, **error.details)
    except GraphApiError as error:
        raise type(error)((_withheld(error) if secret else error.message) + _hint(error), **error.details)
    return _results(answer)


def _withheld(error):
    details = error.details
    return ("POST %s failed: HTTP %s %s; Graph's message is withheld because the task is no_log and it may quote"
            ' the query (request-id: %s, client-request-id: %s).' % (
                PATH, details.get('status'), details.get('code') or '', details.get('request_id', 'none'),
                details.get('client_request_id', 'none')))


def _hint(error):
    if error.status == 429:
        return QUOTA_HINT
    if error.status == 400 and any(text in error.message for text in LIMIT_MESSAGES):
        return LIMIT_HINT
    return ''


def _results(answer):
    """Graph's rows as they are; the schema with lower-case keys (v1.0 says name/type, beta Name/Type)."""
    results, schema = answer.get('results'), answer.get('schema')
    if not isinstance(results, list) or not isinstance(schema, list) or \
            not all(isinstance(item, dict) for item in results + schema):
        raise IncompleteAnswerError('POST %s answered without the "results" and "schema" lists of a hunting'
                                    ' query result; nothing is returned.' % PATH)
    columns = [dict(name=_either(column, 'name'), type=_either(column, 'type')) for column in schema]
    return dict(results=results, schema=columns, row_count=len(results))


def _either(column, key):
    return column.get(key, column.get(key.capitalize()))
