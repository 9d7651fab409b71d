"""The checkpoint of the polling engine: windows, overlap, ties, what is pending."""
from ansible_collections.msgraph.security.plugins.plugin_utils._polling.checkpoint import OVERLAP, Checkpoint, Ledger
from ansible_collections.msgraph.security.plugins.plugin_utils._polling.stamps import TICKS_PER_SECOND, to_stamp, to_ticks


def incident(incident_id, updated, created=None):
    return {'id': incident_id, 'lastUpdateDateTime': updated, 'createdDateTime': created or updated}


def new_checkpoint(changes, origin):
    """A checkpoint as the incident source makes it for ``changes``."""
    if changes == 'created':
        return Checkpoint('createdDateTime', origin)
    return Checkpoint('lastUpdateDateTime', origin, created_field='createdDateTime')


# --- the checkpoint ----------------------------------------------------------------------------

T0 = '2026-11-27T10:00:00.0000000Z'


def at(seconds, digit7=0):
    return to_stamp(to_ticks(T0) + seconds * TICKS_PER_SECOND + digit7)


def test_first_poll_starts_at_since_and_uses_ge_with_seven_digits():
    checkpoint = new_checkpoint('all', to_ticks(at(0, 3)))
    assert checkpoint.poll_filter(None) == 'lastUpdateDateTime ge 2026-11-27T10:00:00.0000003Z'
    assert checkpoint.poll_filter("classification eq 'truePositive'") == (
        "(classification eq 'truePositive') and lastUpdateDateTime ge 2026-11-27T10:00:00.0000003Z")
    assert new_checkpoint('created', 0).poll_filter(None).startswith('createdDateTime ge ')


def test_pending_is_oldest_first_by_stamp_then_id_and_skips_what_was_delivered():
    checkpoint = new_checkpoint('all', to_ticks(at(0)))
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
    checkpoint = new_checkpoint('all', to_ticks(at(0)))
    checkpoint.delivered_one(to_ticks(at(2)), '5')
    assert [(i['id'], c) for t, c, i in checkpoint.pending([incident('5', at(4), at(2))])] == [('5', 'updated')]
    # An older version of it (a lagging replica) is not delivered again.
    assert checkpoint.pending([incident('5', at(1), at(1))]) == []


def test_incident_created_before_the_window_is_an_update():
    checkpoint = new_checkpoint('all', to_ticks(at(0)))
    assert [c for t, c, i in checkpoint.pending([incident('4', at(3), created=at(-100))])] == ['updated']


def test_listed_twice_counts_once_with_its_newest_state():
    checkpoint = new_checkpoint('all', to_ticks(at(0)))
    pending = checkpoint.pending([incident('3', at(1)), incident('3', at(2), at(1))])
    assert [(i['id'], i['lastUpdateDateTime']) for t, c, i in pending] == [('3', at(2))]


def test_window_overlaps_and_prune_keeps_what_it_can_list_again():
    checkpoint = new_checkpoint('all', to_ticks(at(0)))
    for seconds, incident_id in ((10, 'a'), (OVERLAP + 50, 'b'), (OVERLAP + 60, 'c')):
        checkpoint.delivered_one(to_ticks(at(seconds)), incident_id)
    assert checkpoint.window_start() == to_ticks(at(60))
    checkpoint.prune()
    assert sorted(checkpoint.delivered) == ['b', 'c']


# --- the ledger: what the saved checkpoint may pass -------------------------------------------

def test_ledger_passes_events_only_after_replay_seconds_and_in_order():
    saved = new_checkpoint('all', to_ticks(at(0)))
    ledger = Ledger(saved, replay=10, feedback=False)
    ledger.put(to_ticks(at(1)), 'a', now=100.0)
    ledger.put(to_ticks(at(2)), 'b', now=105.0)
    assert not ledger.settle(now=109.9) and saved.delivered == {}
    assert ledger.settle(now=110.0) and sorted(saved.delivered) == ['a']
    assert ledger.settle(now=120.0) and sorted(saved.delivered) == ['a', 'b'] and saved.newest == to_ticks(at(2))


def test_ledger_with_feedback_waits_for_each_acknowledgement_and_keeps_the_order():
    saved = new_checkpoint('all', to_ticks(at(0)))
    ledger = Ledger(saved, replay=0, feedback=True)
    for n, name in enumerate('abc'):
        ledger.put(to_ticks(at(n + 1)), name, now=0.0, key=(name, at(n + 1)))
    assert ledger.acknowledge(('b', at(2))) and not ledger.acknowledge(('b', at(2))) and not ledger.acknowledge(('x', 1))
    assert not ledger.settle(now=1.0)  # a is not acknowledged: b waits behind it
    ledger.acknowledge(('a', at(1)))
    assert ledger.settle(now=1.0) and sorted(saved.delivered) == ['a', 'b']
