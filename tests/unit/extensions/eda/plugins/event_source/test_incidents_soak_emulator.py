"""Soak: a few hundred changes at random moments against the running source, checked against the emulator's
own record of changes (data.CHANGES): nothing missed, nothing repeated, every incident's final state delivered.

The changes include ties on lastUpdateDateTime, bursts larger than a page, updates of incidents already
delivered, injected 429s and 503s, and a restart of the source (state_file) in the middle.
"""
import asyncio
import random

import pytest

from .source_runner import later, load_main, source_args

SEED = 20261127
CHANGES_WANTED = 400


@pytest.fixture
def graph(clean_emulator):
    yield clean_emulator
    clean_emulator.reset()


async def make_changes(graph, rng, stop_at):
    """Random changes until ``stop_at`` of them were made; returns how many of each kind."""
    made, kinds = [], {'create': 0, 'update': 0, 'tie': 0, 'burst': 0, 'fault': 0}
    old_ids = ['%d' % n for n in range(200, 290)]
    while len(made) < stop_at:
        roll = rng.random()
        if roll < 0.03:
            for dummy in range(rng.randint(55, 80)):  # a burst larger than a page
                made.append(await later(graph.create_incident, {'displayName': 'burst'}))
            kinds['burst'] += 1
        elif roll < 0.35:
            made.append(await later(graph.create_incident, {'severity': rng.choice(['high', 'medium', 'low'])}))
            kinds['create'] += 1
        elif roll < 0.75:
            # Updates of incidents already delivered (made here) and of the dataset's own.
            target = rng.choice([m['id'] for m in made[-40:]] or old_ids) if rng.random() < 0.7 else rng.choice(old_ids)
            made.append(await later(graph.update_incident, target, {'status': rng.choice(['active', 'inProgress'])}))
            kinds['update'] += 1
        elif roll < 0.9 and made:
            # Another incident changed with exactly the previous change's stamp (all 7 digits).
            previous = made[-1]
            target = rng.choice([i for i in old_ids if i != previous['id']])
            made.append(await later(graph.update_incident, target, {'assignedTo': 'soc-tier1@contoso.com'},
                                    previous['lastUpdateDateTime']))
            kinds['tie'] += 1
        else:
            status = rng.choice([429, 503])
            await later(graph.set_faults, {'rules': [{'path_regex': r'security/incidents$|\$batch$', 'status': status,
                                                      'retry_after': 0 if status == 429 else None,
                                                      'count': rng.randint(1, 4)}]})
            kinds['fault'] += 1
        await asyncio.sleep(rng.choice([0, 0, 0.01, 0.05, 0.15, 0.3]))
    return kinds


def test_soak_nothing_missed_nothing_repeated(graph, tmp_path):
    rng = random.Random(SEED)
    main = load_main()
    args = source_args(graph, interval=0.2, state_file=str(tmp_path / 'state.json'), max_retries=1, replay=0)

    async def scenario():
        events = []

        async def drain(queue):
            while True:
                events.append(await queue.get())

        async def start():
            queue = asyncio.Queue()
            return asyncio.create_task(main(queue, args)), asyncio.create_task(drain(queue))

        source, drainer = await start()
        await asyncio.sleep(0.5)
        changer = asyncio.create_task(make_changes(graph, rng, CHANGES_WANTED))
        await asyncio.sleep(8)
        # Restart in the middle: ansible-rulebook cancels the source; changes go on while it is down.
        source.cancel()
        await asyncio.gather(source, return_exceptions=True)
        await asyncio.sleep(0.3)  # let the drainer take what was queued before the stop
        drainer.cancel()
        await asyncio.sleep(1.0)
        source, drainer = await start()
        kinds = await asyncio.wait_for(changer, 60)
        await later(graph.reset_faults)
        await asyncio.sleep(3.0)  # quiet: every change has had time to be delivered
        assert not source.done(), source.result()
        source.cancel()
        drainer.cancel()
        await asyncio.gather(source, drainer, return_exceptions=True)
        return events, kinds

    events, kinds = asyncio.run(scenario())
    changes = graph.changes()
    assert len(changes) >= CHANGES_WANTED and kinds['burst'] and kinds['tie'] and kinds['fault'], kinds

    delivered = [(e['incident']['id'], e['incident']['lastUpdateDateTime'], e['change']) for e in events]
    # Nothing repeated: each (incident, version) once, and each incident's versions only move forward.
    assert len(set((i, s) for i, s, c in delivered)) == len(delivered), 'repeated events'
    by_id = {}
    for incident_id, stamp, change in delivered:
        by_id.setdefault(incident_id, []).append((stamp, change))
    for incident_id, versions in by_id.items():
        stamps = [s for s, c in versions]
        assert stamps == sorted(stamps), (incident_id, versions)
    # Nothing missed: every changed incident's last change was delivered, and nothing else was.
    final = {}
    for change in changes:
        final[change['id']] = change['lastUpdateDateTime']
    assert set(by_id) == set(final), (sorted(set(final) - set(by_id)), sorted(set(by_id) - set(final)))
    missed = dict((i, (s, by_id[i][-1][0])) for i, s in final.items() if by_id[i][-1][0] != s)
    assert not missed, missed
    # Each delivered version is one the emulator recorded (no phantom, no stale state).
    recorded = set((c['id'], c['lastUpdateDateTime']) for c in changes)
    assert set((i, s) for i, s, c in delivered) <= recorded
    # created: the first event of an incident created during the run; every other event: updated.
    created_ids = set(c['id'] for c in changes if c['change'] == 'created')
    for incident_id, versions in by_id.items():
        expected = ['created' if incident_id in created_ids and n == 0 else 'updated' for n in range(len(versions))]
        assert [c for s, c in versions] == expected, (incident_id, versions)
    print('soak: %d changes (%s), %d events for %d incidents' % (len(changes), kinds, len(events), len(by_id)))
