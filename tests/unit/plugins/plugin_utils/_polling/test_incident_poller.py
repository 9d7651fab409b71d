"""The event source's own logic without Graph: timestamps, arguments, the checkpoint and its state file."""
import json
import os

import pytest
import yaml

from ansible_collections.msgraph.security.plugins.module_utils._core.connection_options import CONNECTION_OPTIONS
from ansible_collections.msgraph.security.plugins.module_utils._core.errors import OptionError
from ansible_collections.msgraph.security.plugins.plugin_utils._polling import incident_poller as poller
from ansible_collections.msgraph.security.plugins.plugin_utils._polling.incident_poller import (
    OVERLAP,
    SOURCE_OPTIONS,
    TICKS_PER_SECOND,
    Checkpoint,
    load_checkpoint,
    parse_since,
    resolve_arguments,
    save_checkpoint,
    to_stamp,
    to_ticks,
)

from tests.unit.extensions.eda.plugins.event_source.source_runner import SOURCE


def incident(incident_id, updated, created=None):
    return {'id': incident_id, 'lastUpdateDateTime': updated, 'createdDateTime': created or updated}


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


# --- arguments ---------------------------------------------------------------------------------

def test_environment_fallbacks_come_from_the_option_table(monkeypatch):
    for name, spec in CONNECTION_OPTIONS.items():
        for env in spec.get('env', []):
            monkeypatch.delenv(env, raising=False)
    monkeypatch.setenv(CONNECTION_OPTIONS['tenant_id']['env'][-1], 'tenant-from-second-name')
    monkeypatch.setenv(CONNECTION_OPTIONS['validate_certs']['env'][0], 'false')
    monkeypatch.setenv(CONNECTION_OPTIONS['timeout']['env'][0], '7')
    resolved = resolve_arguments({'severity': 'high, Medium'})
    assert resolved['tenant_id'] == 'tenant-from-second-name'
    assert resolved['validate_certs'] is False and resolved['timeout'] == 7
    assert resolved['severity'] == ['high', 'Medium']
    assert resolved['interval'] == SOURCE_OPTIONS['interval']['default'] and resolved['changes'] == 'all'
    # An argument wins over the environment.
    assert resolve_arguments({'tenant_id': 'from-args'})['tenant_id'] == 'from-args'


@pytest.mark.parametrize('args, message', [
    ({'interval': 'often'}, 'interval'),
    ({'interval': -1}, 'interval'),
    ({'expand_alerts': 'maybe'}, 'expand_alerts=.*true or false'),
    ({'severity': [1]}, 'severity'),
    ({'status': ['closed']}, 'status'),
    ({'timeout': 'slow'}, 'timeout'),
    ({'changes': 'deleted'}, 'changes'),
    ({'eda_feedback_queue': object()}, 'unknown argument eda_feedback_queue'),
])
def test_bad_arguments(args, message):
    with pytest.raises(OptionError, match=message):
        resolve_arguments(args)


def test_documentation_matches_the_option_tables():
    text = open(SOURCE).read()
    documentation = yaml.safe_load(text.split("DOCUMENTATION = r'''", 1)[1].split("'''", 1)[0])
    documented = documentation['options']
    for name, spec in SOURCE_OPTIONS.items():
        assert documented[name]['type'] == spec['type'] and documented[name].get('default') == spec.get('default')
    assert set(documented) == set(SOURCE_OPTIONS) | set(poller.QUERY_ARGUMENTS)


# --- the checkpoint ----------------------------------------------------------------------------

T0 = '2026-11-27T10:00:00.0000000Z'


def at(seconds, digit7=0):
    return to_stamp(to_ticks(T0) + seconds * TICKS_PER_SECOND + digit7)


def test_first_poll_starts_at_since_and_uses_ge_with_seven_digits():
    checkpoint = Checkpoint('all', to_ticks(at(0, 3)))
    assert checkpoint.poll_filter(None) == 'lastUpdateDateTime ge 2026-11-27T10:00:00.0000003Z'
    assert checkpoint.poll_filter("classification eq 'truePositive'") == (
        "(classification eq 'truePositive') and lastUpdateDateTime ge 2026-11-27T10:00:00.0000003Z")
    assert Checkpoint('created', 0).poll_filter(None).startswith('createdDateTime ge ')


def test_pending_is_oldest_first_by_stamp_then_id_and_skips_what_was_delivered():
    checkpoint = Checkpoint('all', to_ticks(at(0)))
    listed = [incident('9', at(5)), incident('10', at(5)), incident('8', at(3, 1)), incident('7', at(3))]
    pending = checkpoint.pending(listed)
    assert [(i['id'], change) for t, change, i in pending] == [
        ('7', 'created'), ('8', 'created'), ('10', 'created'), ('9', 'created')]
    for ticks, change, item in pending[:3]:
        checkpoint.delivered_one(ticks, item['id'])
    assert checkpoint.newest == to_ticks(at(5))
    # Listed again: only the one not put on the queue, plus a tie that appeared at the boundary.
    again = checkpoint.pending(listed + [incident('11', at(5), at(1))])
    assert [(i['id'], change) for t, change, i in again] == [('11', 'created'), ('9', 'created')]


def test_updated_after_delivery_is_an_update_and_a_stale_read_is_not_delivered():
    checkpoint = Checkpoint('all', to_ticks(at(0)))
    checkpoint.delivered_one(to_ticks(at(2)), '5')
    assert [(i['id'], c) for t, c, i in checkpoint.pending([incident('5', at(4), at(2))])] == [('5', 'updated')]
    # An older version of it (a lagging replica) is not delivered again.
    assert checkpoint.pending([incident('5', at(1), at(1))]) == []


def test_incident_created_before_the_window_is_an_update():
    checkpoint = Checkpoint('all', to_ticks(at(0)))
    assert [c for t, c, i in checkpoint.pending([incident('4', at(3), created=at(-100))])] == ['updated']


def test_listed_twice_counts_once_with_its_newest_state():
    checkpoint = Checkpoint('all', to_ticks(at(0)))
    pending = checkpoint.pending([incident('3', at(1)), incident('3', at(2), at(1))])
    assert [(i['id'], i['lastUpdateDateTime']) for t, c, i in pending] == [('3', at(2))]


def test_window_overlaps_and_prune_keeps_what_it_can_list_again():
    checkpoint = Checkpoint('all', to_ticks(at(0)))
    for seconds, incident_id in ((10, 'a'), (OVERLAP + 50, 'b'), (OVERLAP + 60, 'c')):
        checkpoint.delivered_one(to_ticks(at(seconds)), incident_id)
    assert checkpoint.window_start() == to_ticks(at(60))
    checkpoint.prune()
    assert sorted(checkpoint.delivered) == ['b', 'c']


def test_state_file_round_trip_is_atomic_and_exact(tmp_path):
    path = str(tmp_path / 'state.json')
    checkpoint, resumed = load_checkpoint(path, 'all', to_ticks(at(0)))
    assert not resumed and checkpoint.newest is None
    checkpoint.delivered_one(to_ticks(at(3, 7)), '42')
    save_checkpoint(path, checkpoint)
    assert os.listdir(str(tmp_path)) == ['state.json']  # no temporary file left behind
    saved = json.loads(open(path).read())
    assert saved['checkpoint'] == '2026-11-27T10:00:03.0000007Z' and saved['delivered'] == {'42': saved['checkpoint']}
    again, resumed = load_checkpoint(path, 'all', to_ticks(at(999)))
    assert resumed and again.newest == checkpoint.newest and again.origin == to_ticks(at(0))


def test_state_file_errors_are_option_errors(tmp_path):
    path = tmp_path / 'state.json'
    path.write_text(json.dumps({'version': 99}))
    with pytest.raises(OptionError, match='not a checkpoint this source wrote'):
        load_checkpoint(str(path), 'all', 0)
    with pytest.raises(OptionError, match='does not exist or is not writable'):
        load_checkpoint(str(tmp_path / 'missing' / 'state.json'), 'all', 0)
