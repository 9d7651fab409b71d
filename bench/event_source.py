"""make bench, event source part: what the msgraph.security.incidents source costs and how fast it delivers.

Runs the source's main(queue, args) (loaded from the collection as ansible-rulebook loads it) against the
emulator with a latency added to every request, and reports:
  - idle polls: outer requests per poll, and token requests over those polls;
  - delay from a change being made to its event being on the queue, against interval + 2 s;
  - 1,000 changes made within one interval: polls and round trips until all are delivered.

    .venv/bin/python bench/event_source.py [--latency-ms 50] [--json bench/event_source_results.json]
"""
import argparse
import asyncio
import json
import os
import random
import sys
import tempfile
import time

BENCH = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(BENCH)
sys.path[:0] = [BENCH, ROOT]

from tests.dev_collection import ensure_link  # noqa: E402

sys.path.insert(0, ensure_link())

from tests.emulator.fixture import start_emulator  # noqa: E402
from tests.unit.extensions.eda.plugins.event_source.source_runner import load_main, source_args  # noqa: E402

IDLE_POLLS = 10
DELAY_SAMPLES = 8
BURST = 1000


def outer(requests):
    return [r for r in requests if not r['in_batch']]


def is_token(request):
    return request['path'].endswith('/oauth2/v2.0/token')


def is_poll(request):
    return request['method'] == 'GET' and request['path'].endswith('/security/incidents')


async def until(predicate, timeout, step=0.02):
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise RuntimeError('timed out')
        await asyncio.sleep(step)


async def with_source(emulator, interval, work):
    main = load_main()
    emulator.clear_requests()
    queue = asyncio.Queue()
    task = asyncio.create_task(main(queue, source_args(emulator, interval=interval)))
    try:
        return await work(queue, task)
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


async def idle(emulator):
    """Polls with nothing new: requests per poll; token requests after the first poll (one token for all)."""
    async def work(queue, task):
        await until(lambda: any(is_poll(r) for r in emulator.requests()), 30)
        await asyncio.sleep(3.0)  # past the overlap re-reads of anything recent
        emulator.clear_requests()
        await until(lambda: len([r for r in emulator.requests() if is_poll(r)]) >= IDLE_POLLS, 60)
        log = outer(emulator.requests())
        polls = [r for r in log if is_poll(r)]
        # Count what happened between the first and the last of these polls.
        window = [r for r in log if polls[0]['seq'] <= r['seq'] < polls[-1]['seq']]
        tokens_before_expiry = len([r for r in window if is_token(r)])
        emulator.expire_tokens()
        emulator.clear_requests()
        await until(lambda: len([r for r in emulator.requests() if is_poll(r)]) >= 2, 60)
        after = outer(emulator.requests())
        return {'polls': len(polls) - 1, 'requests_per_idle_poll': len(window) / (len(polls) - 1),
                'token_requests_during_idle_polls': tokens_before_expiry,
                'token_requests_after_expiry': len([r for r in after if is_token(r)])}
    return await with_source(emulator, 0.5, work)


async def delays(emulator, interval):
    """Seconds from a change being made to its event on the queue, at random moments."""
    rng = random.Random(7)

    async def work(queue, task):
        await until(lambda: any(is_poll(r) for r in emulator.requests()), 30)
        measured = []
        for dummy in range(DELAY_SAMPLES):
            await asyncio.sleep(rng.uniform(0, interval))
            made = await asyncio.to_thread(emulator.create_incident)
            start = time.monotonic()
            event = await asyncio.wait_for(queue.get(), interval + 30)
            assert event['incident']['id'] == made['id'], event
            measured.append(time.monotonic() - start)
        return {'interval': interval, 'samples': len(measured), 'max_delay_s': round(max(measured), 2),
                'median_delay_s': round(sorted(measured)[len(measured) // 2], 2), 'bound_s': interval + 2}
    return await with_source(emulator, interval, work)


async def burst(emulator, interval):
    """BURST incidents created between two polls: how many polls and round trips deliver them."""
    async def work(queue, task):
        await until(lambda: any(is_poll(r) for r in emulator.requests()), 30)
        # Right after a poll, in one control call: the burst lands well before the next poll.
        made = await asyncio.to_thread(emulator.create_incidents, BURST)
        emulator.clear_requests()
        events = [await asyncio.wait_for(queue.get(), interval + 60) for dummy in range(BURST)]
        assert [e['incident']['id'] for e in events] == [m['id'] for m in made]
        log = outer(emulator.requests())
        return {'changes': BURST, 'interval': interval,
                'polls_until_delivered': len([r for r in log if is_poll(r)]),
                'round_trips_of_that_poll': len(log),
                'breakdown': ['%s %s' % (r['method'], r['path'].rsplit('/', 1)[-1]) for r in log]}
    return await with_source(emulator, interval, work)


def render(results, latency):
    idle_r, delay_r, burst_r = results['idle'], results['delay'], results['burst']
    rows = [
        ('idle poll', '%.2f requests per poll over %d polls (target 1)'
         % (idle_r['requests_per_idle_poll'], idle_r['polls'])),
        ('token requests', '%d during the idle polls, %d after the emulator expired the token (target 0 / 1)'
         % (idle_r['token_requests_during_idle_polls'], idle_r['token_requests_after_expiry'])),
        ('change to event', 'max %.2f s, median %.2f s over %d changes at interval %gs (target <= %gs)'
         % (delay_r['max_delay_s'], delay_r['median_delay_s'], delay_r['samples'], delay_r['interval'],
            delay_r['bound_s'])),
        ('1,000 changes in one interval', '%d poll, %d round trips (%s) (target 1 poll, <= 4)'
         % (burst_r['polls_until_delivered'], burst_r['round_trips_of_that_poll'], ', '.join(burst_r['breakdown']))),
    ]
    lines = ['event source, %d ms added to every request' % latency, '', '| measure | result |', '|---|---|']
    lines += ['| %s | %s |' % row for row in rows]
    return '\n'.join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n', maxsplit=1)[0])
    parser.add_argument('--latency-ms', type=int, default=50)
    parser.add_argument('--json', default=os.path.join(BENCH, 'event_source_results.json'))
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix='msgraph-bench-eda-') as state_dir, \
            start_emulator(state_dir, latency_ms=args.latency_ms) as emulator:
        results = {'latency_ms': args.latency_ms}
        results['idle'] = asyncio.run(idle(emulator))
        emulator.reset_faults()
        results['delay'] = asyncio.run(delays(emulator, 5))
        results['burst'] = asyncio.run(burst(emulator, 30))
    with open(args.json, 'w') as handle:
        json.dump(results, handle, indent=1)
    print(render(results, args.latency_ms))
    ok = (results['idle']['requests_per_idle_poll'] == 1 and results['idle']['token_requests_during_idle_polls'] == 0
          and results['idle']['token_requests_after_expiry'] == 1
          and results['delay']['max_delay_s'] <= results['delay']['bound_s']
          and results['burst']['polls_until_delivered'] == 1 and results['burst']['round_trips_of_that_poll'] <= 4)
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
