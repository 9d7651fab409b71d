"""The quick check without ansible-rulebook (`python incidents.py ARGS`), and a source process killed outright."""
import json
import os
import signal
import subprocess
import sys
import threading
import time

import pytest

from .source_runner import SOURCE, load_main, source_args


@pytest.fixture
def graph(clean_emulator):
    yield clean_emulator
    clean_emulator.reset()


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
        for reader in self.readers:
            reader.join(5)
        return rc


def test_quick_check_says_what_it_does_with_no_events_and_ends_cleanly_on_ctrl_c(graph):
    check = QuickCheck(source_args(graph, interval=0.5))
    try:
        check.wait(lambda: 'nothing new since' in ''.join(check.err))
        assert 'msgraph.security.incidents: polling %s/v1.0' % graph.url in ''.join(check.err)
        new = graph.create_incident()
        check.wait(lambda: len(check.out) >= 1)
    finally:
        rc = check.stop(signal.SIGINT)
    assert [e['incident']['id'] for e in check.events()] == [new['id']]
    assert rc == 0 and 'stopped' in ''.join(check.err) and 'Traceback' not in ''.join(check.err), ''.join(check.err)


def test_a_killed_source_process_loses_nothing_and_repeats_only_what_was_not_handled(graph, tmp_path):
    args = source_args(graph, interval=0.5, state_file=str(tmp_path / 'state.json'))
    check = QuickCheck(args)
    try:
        check.wait(lambda: os.path.exists(str(tmp_path / 'state.json')))
        made = [graph.create_incident()['id'] for dummy in range(3)]
        check.wait(lambda: len(check.out) >= 3)
    finally:
        check.stop(signal.SIGKILL)
    while_down = graph.create_incident()['id']
    again = QuickCheck(args)
    try:
        again.wait(lambda: len(again.out) >= 4)
    finally:
        again.stop(signal.SIGINT)
    before = [e['incident']['id'] for e in check.events()]
    after = [e['incident']['id'] for e in again.events()]
    assert before == made and after == made + [while_down]  # the 3 not yet handled come again, and the new one
