"""Retry-After in both forms HTTP allows (delta-seconds, HTTP-date) is honoured, on plain requests
and inside $batch; a value that is not valid HTTP falls back to backoff instead of failing."""
import email.utils
import time

import pytest

from ansible_collections.msgraph.security.plugins.module_utils._core.transport import retry_after_seconds

from ..emulator_client import connect, reader


def http_date(seconds_from_now):
    return email.utils.formatdate(time.time() + seconds_from_now, usegmt=True)


@pytest.mark.parametrize('value, expected', [('3', 3.0), (' 7 ', 7.0), ('0', 0.0)])
def test_delta_seconds(value, expected):
    assert retry_after_seconds(value) == expected


def test_an_http_date_is_the_time_until_then():
    assert 1.0 <= retry_after_seconds(http_date(3)) <= 3.0
    assert retry_after_seconds(http_date(-60)) == 0.0  # a date in the past: retry now


@pytest.mark.parametrize('value', [None, '', '-5', '1.5', 'soon', 'Wed, 99 Foo 2026'])
def test_anything_else_means_backoff(value):
    assert retry_after_seconds(value) is None


@pytest.mark.parametrize('retry_after', ['soon', '-5'])
def test_a_plain_request_with_a_bad_retry_after_is_retried_with_backoff(clean_emulator, retry_after):
    clean_emulator.set_faults({'rules': [{'path_regex': '/security/incidents/29$', 'count': 1, 'status': 429,
                                          'retry_after': retry_after}]})
    assert reader(clean_emulator).read_ids(['29'])[0][1]['id'] == '29'
    assert [r['status'] for r in clean_emulator.requests() if r['path'].endswith('/29')] == [429, 200]


def retried_at(graph, path_end, in_batch):
    """When the second attempt at one path arrived, after a first one that was answered 429 or 503."""
    attempts = [r for r in graph.requests() if r['path'].endswith(path_end) and r['in_batch'] == in_batch]
    assert [r['status'] for r in attempts][1:] == [200] and attempts[0]['status'] in (429, 503)
    return attempts[1]['arrived']


# The HTTP-date is fixed when the rule is set, so on a busy machine less of it may be left when the first
# answer comes: the retry must not come before that date (whole seconds: 1 s of slack), whenever that is.
def test_a_plain_request_honours_an_http_date(clean_emulator):
    until = time.time() + 4
    clean_emulator.set_faults({'rules': [{'path_regex': '/security/incidents/29$', 'count': 1, 'status': 503,
                                          'retry_after': http_date(4)}]})
    assert reader(clean_emulator).read_ids(['29'])[0][1]['id'] == '29'
    assert retried_at(clean_emulator, '/29', False) >= until - 1.0


def test_an_inner_batch_request_honours_an_http_date(clean_emulator):
    until = time.time() + 4
    clean_emulator.set_faults({'rules': [{'path_regex': '/security/incidents/29$', 'in_batch': True, 'count': 1,
                                          'status': 429, 'retry_after': http_date(4)}]})
    found = dict(connect(clean_emulator).get_batch(['/security/incidents/29', '/security/incidents/30']))
    assert found['/security/incidents/29']['id'] == '29'
    assert retried_at(clean_emulator, '/29', True) >= until - 1.0
