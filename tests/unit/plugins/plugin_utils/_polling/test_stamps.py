"""Stamps of the polling engine: 7 fractional digits kept, since parsed."""
import pytest

from ansible_collections.msgraph.security.plugins.module_utils._core.errors import OptionError
from ansible_collections.msgraph.security.plugins.plugin_utils._polling.stamps import (
    TICKS_PER_SECOND,
    parse_since,
    to_stamp,
    to_ticks,
)


# --- timestamps --------------------------------------------------------------------------------

@pytest.mark.parametrize('text, expected', [
    ('2026-11-27T11:26:02.1234567Z', '2026-11-27T11:26:02.1234567Z'),
    ('2026-11-27T11:26:02.12Z', '2026-11-27T11:26:02.1200000Z'),
    ('2026-11-27T11:26:02Z', '2026-11-27T11:26:02.0000000Z'),
    ('2026-11-27T12:26:02.1234567+01:00', '2026-11-27T11:26:02.1234567Z'),
    ('2026-11-27', '2026-11-27T00:00:00.0000000Z'),
])
def test_stamps_keep_all_seven_digits(text, expected):
    assert to_stamp(to_ticks(text)) == expected


def test_stamps_differing_in_the_100ns_digit_are_ordered():
    assert to_ticks('2026-11-27T11:26:02.1234568Z') - to_ticks('2026-11-27T11:26:02.1234567Z') == 1


@pytest.mark.parametrize('value, seconds_back', [('90s', 90), ('15m', 900), ('2h', 7200), ('7d', 604800),
                                                 ('1h30m', 5400), ('1w', 604800), ('2H', 7200)])
def test_since_durations(value, seconds_back):
    now = to_ticks('2026-11-27T12:00:00Z')
    assert parse_since(value, now) == now - seconds_back * TICKS_PER_SECOND


def test_since_time_and_default():
    now = to_ticks('2026-11-27T12:00:00Z')
    assert parse_since('2026-11-27T08:00:00+01:00', now) == to_ticks('2026-11-27T07:00:00Z')
    assert parse_since(None, now) == now


@pytest.mark.parametrize('value', ['yesterday', '2h ago', '-2h', '2026-13-01T00:00:00Z', '10'])
def test_bad_since_names_the_option(value):
    with pytest.raises(OptionError, match='since='):
        parse_since(value, to_ticks('2026-11-27T12:00:00Z'))


@pytest.mark.parametrize('value', ['2026-11-27T08:00:00+99:99', '2026-11-27T08:00:00+01:75'])
def test_since_with_an_offset_that_does_not_exist_is_refused_like_the_list_filters(value):
    with pytest.raises(OptionError, match=r'since=.*the time-zone offset .* does not exist'):
        parse_since(value, to_ticks('2026-11-27T12:00:00Z'))
