"""Run an event source of the collection (incidents, alerts) the way ansible-rulebook does: its file
through runpy (from the collection as installed under build/dev), ``main(queue, args)`` on an asyncio loop."""
import asyncio
import datetime
import json
import os
import runpy
import subprocess
import sys
import threading
import time

from ansible_collections.msgraph.security.plugins.module_utils._core.connection_options import CONNECTION_OPTIONS

from tests.dev_collection import COLLECTIONS_PATH, ensure_link

SOURCES = os.path.join(COLLECTIONS_PATH, 'ansible_collections', 'msgraph', 'security', 'extensions', 'eda', 'plugins',
                       'event_source')
SOURCE = os.path.join(SOURCES, 'incidents.py')
# The emulator hands out environment variables; the source takes arguments: map them by the table.
ENV_TO_OPTION = dict((env, name) for name, spec in CONNECTION_OPTIONS.items() for env in spec.get('env', []))


def load_main(source='incidents'):
    ensure_link()
    return runpy.run_path(os.path.join(SOURCES, source + '.py'))['main']


def source_args(emulator, app='reader-secret', **values):
    """Connection arguments for the emulator's app, as a rulebook would write them, plus ``values``."""
    args = dict((ENV_TO_OPTION[k], v) for k, v in emulator.env(app).items() if k in ENV_TO_OPTION)
    args.update(values)
    return args


def stamp(seconds_from_now=0.0, digit7=None):
    """A Graph timestamp (7 fractional digits) near now; ``digit7`` forces the 100 ns digit."""
    moment = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=seconds_from_now)
    text = moment.strftime('%Y-%m-%dT%H:%M:%S.%f')
    return text + ('0' if digit7 is None else str(digit7)) + 'Z'


class Running:
    """A started source: its queue and task; ``events(n)`` waits for n events."""

    def __init__(self, queue, task, feedback=None):
        self.queue = queue
        self.task = task
        self.feedback = feedback  # where events go back, as ansible-rulebook acknowledges them

    async def events(self, count, timeout=20.0):
        got = []
        deadline = asyncio.get_running_loop().time() + timeout
        while len(got) < count:
            if self.task.done():
                self.task.result()  # raises what main raised
                raise AssertionError('the source returned after %d of %d events' % (len(got), count))
            left = deadline - asyncio.get_running_loop().time()
            if left <= 0:
                raise AssertionError('%d of %d events within %ss: %r' % (len(got), count, timeout, got))
            try:
                got.append(await asyncio.wait_for(self.queue.get(), min(left, 0.2)))
            except asyncio.TimeoutError:
                pass
        return got

    async def quiet(self, seconds):
        """The events that arrive within ``seconds`` (expected: none)."""
        await asyncio.sleep(seconds)
        extra = []
        while not self.queue.empty():
            extra.append(self.queue.get_nowait())
        if self.task.done():
            self.task.result()
        return extra

    async def stop(self):
        self.task.cancel()
        try:
            await self.task
        except asyncio.CancelledError:
            pass


def run_source(args, scenario, timeout=60, feedback=False, source='incidents'):
    """Start main(queue, args), run ``await scenario(running)``, then cancel the source (as ansible-rulebook does).

    ``feedback``: pass an ``eda_feedback_queue`` as ansible-rulebook does for a source with ``feedback: true``.
    """
    main = load_main(source)

    async def go():
        running = Running(asyncio.Queue(), None, asyncio.Queue() if feedback else None)
        given = dict(args, eda_feedback_queue=running.feedback) if feedback else args
        running.task = asyncio.create_task(main(running.queue, given))
        try:
            return await asyncio.wait_for(scenario(running), timeout)
        finally:
            await running.stop()
    return asyncio.run(go())


def main_error(args, timeout=30, source='incidents'):
    """What main raises at start (it must raise, not run)."""
    main = load_main(source)

    async def go():
        try:
            await asyncio.wait_for(main(asyncio.Queue(), args), timeout)
        except asyncio.TimeoutError:
            raise AssertionError('the source kept running instead of stopping')
        except Exception as error:  # noqa: BLE001 - the test inspects it
            return error
        raise AssertionError('main returned instead of raising')
    return asyncio.run(go())


async def later(function, *args, **kwargs):
    """A blocking emulator call off the loop, so the running source is not held up."""
    return await asyncio.to_thread(function, *args, **kwargs)


class QuickCheck:
    """The source file run as a script; its stdout (events) and stderr (log) read as they come."""

    def __init__(self, args):
        load_main()  # links the collection under build/dev
        env = dict((k, v) for k, v in os.environ.items() if not k.startswith(('AZURE_', 'MSGRAPH_')))
        self.process = subprocess.Popen([sys.executable, SOURCE, json.dumps(args)], stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, text=True, env=env)
        self.out, self.err = [], []
        self.readers = [threading.Thread(target=self._read, args=(stream, into), daemon=True)
                        for stream, into in ((self.process.stdout, self.out), (self.process.stderr, self.err))]
        for reader in self.readers:
            reader.start()

    @staticmethod
    def _read(stream, into):
        for line in stream:
            into.append(line)

    def events(self):
        return [json.loads(line) for line in list(self.out)]

    def wait(self, condition, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if condition():
                return
            assert self.process.poll() is None, ''.join(self.err)[-4000:]
            time.sleep(0.1)
        raise AssertionError('timed out: %s' % ''.join(self.err)[-4000:])

    def stop(self, sig):
        self.process.send_signal(sig)
        rc = self.process.wait(30)
        for reader in self.readers:  # to the end of what it wrote: a loaded machine may read it late
            reader.join(60)
            assert not reader.is_alive(), 'the output of the source process was not read to its end'
        return rc
