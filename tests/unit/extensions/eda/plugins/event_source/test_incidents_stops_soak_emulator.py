"""Soak: the source process stopped by SIGTERM, SIGINT and SIGKILL during bursts of changes while Graph's
clock is skewed and jumps; compared with the emulator's record of changes, nothing is missed.

The source runs as the quick check (`python incidents.py ARGS`, its events on stdout) with a state file;
changes go on while it is down. Every change the emulator recorded must be covered by a delivered version of
its incident at least as new; repeats (a version delivered again after a stop) are counted, and bounded by
`replay`.
"""
import random
import signal
import time

import pytest

from .source_runner import QuickCheck, source_args

SEED = 20261201
# (stop, Graph's clock skew in s for the round): the local clock 60 s ahead of Graph's, then less and less (as
# if it were being corrected). Graph's own time only moves forward, as a service's stamps do: an update stamped
# before the version already delivered is taken for a stale read (see checkpoint.py).
ROUNDS = [(signal.SIGTERM, -60), (signal.SIGINT, -45), (signal.SIGKILL, -45), (signal.SIGTERM, -30), (signal.SIGKILL, -15),
          (signal.SIGINT, -15)]
FINAL_SKEW = 0


@pytest.fixture
def graph(clean_emulator):
    yield clean_emulator
    clean_emulator.reset()


def change_some(graph, rng, made, seconds):
    """Random creations, updates and bursts larger than a page for ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        roll = rng.random()
        if roll < 0.05:
            made.extend(i['id'] for i in graph.create_incidents(rng.randint(55, 80), {'displayName': 'burst'}))
        elif roll < 0.5:
            made.append(graph.create_incident({'severity': rng.choice(['high', 'medium', 'low'])})['id'])
        else:
            target = rng.choice(made[-40:] or ['297', '298', '299'])
            graph.update_incident(target, {'status': rng.choice(['active', 'inProgress'])})
        time.sleep(rng.choice([0, 0, 0.02, 0.1, 0.3]))


def test_soak_stops_of_every_kind_miss_nothing(graph, tmp_path):
    rng = random.Random(SEED)
    args = source_args(graph, interval=0.3, state_file=str(tmp_path / 'state.json'), replay=1, max_retries=1)
    delivered, made, figures, logs = [], [], [], []
    for stop, skew in ROUNDS:
        graph.set_clock_skew(skew)
        before = len(graph.changes())
        check = QuickCheck(args)
        try:
            check.wait(lambda: 'polling ' in ''.join(check.err))
            change_some(graph, rng, made, rng.uniform(2.0, 4.0))
            time.sleep(rng.uniform(0, 1.5))
        finally:
            check.stop(stop)
        logs.append((stop.name, ''.join(check.out), ''.join(check.err)))
        change_some(graph, rng, made, 0.5)  # while it is down
        events = [(e['incident']['id'], e['incident']['lastUpdateDateTime']) for e in check.events()]
        seen = set(delivered)
        figures.append((stop.name, skew, len(graph.changes()) - before, len(events),
                        len([e for e in events if e in seen])))
        delivered.extend(events)
    graph.set_clock_skew(FINAL_SKEW)
    last = QuickCheck(args)
    try:
        last.wait(lambda: 'nothing new since' in ''.join(last.err), timeout=90)  # caught up
    finally:
        last.stop(signal.SIGINT)
    logs.append(('end', ''.join(last.out), ''.join(last.err)))
    events = [(e['incident']['id'], e['incident']['lastUpdateDateTime']) for e in last.events()]
    figures.append(('end', FINAL_SKEW, 0, len(events), len([e for e in events if e in set(delivered)])))
    delivered.extend(events)

    changes = graph.changes()
    newest = {}
    for incident_id, stamp in delivered:
        newest[incident_id] = max(newest.get(incident_id, ''), stamp)
    missed = [c for c in changes if newest.get(c['id'], '') < c['lastUpdateDateTime']]
    final = dict((c['id'], c['lastUpdateDateTime']) for c in changes)  # each incident's last state was delivered
    missed += [(i, s) for i, s in final.items() if (i, s) not in set(delivered)]
    repeated = len(delivered) - len(set(delivered))
    for name, skew, count, got, again in figures:
        print('soak %-7s skew %+3ds: %4d changes made (running and down), %4d events, %3d repeated' % (name, skew, count, got, again))
    print('soak total: %d changes made, %d events delivered, %d missed, %d repeated' % (
        len(changes), len(delivered), len(missed), repeated))
    if missed:  # where each process was when it stopped, for the missed incidents
        with open(str(tmp_path / 'soak.log'), 'w') as handle:
            for name, out, err in logs:
                handle.write('=== %s\n%s\n--- stderr\n%s\n' % (name, out, err))
        print('soak logs in %s' % (tmp_path / 'soak.log'))
    assert len(changes) > 200 and not missed, missed[:10]
