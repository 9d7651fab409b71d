"""pytest plugin: a real local HTTP proxy (proxy.py from PyPI) whose access log tests can read."""
import socket
import subprocess
import sys
import time

import pytest


class Proxy:
    def __init__(self, url, log_path):
        self.url = url
        self.log_path = log_path

    def connects(self):
        """The CONNECT tunnels the proxy opened, as 'host:port' strings."""
        lines = self.log_path.read_text(errors='replace').splitlines()
        return [line.split(' - CONNECT ')[1].split(' ')[0] for line in lines if ' - CONNECT ' in line]


def _free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


@pytest.fixture(scope='session')
def proxy(tmp_path_factory):
    port = _free_port()
    log_path = tmp_path_factory.mktemp('proxy') / 'proxy.log'
    with open(log_path, 'wb') as log:
        process = subprocess.Popen([sys.executable, '-m', 'proxy', '--hostname', '127.0.0.1', '--port', str(port),
                                    '--num-workers', '1', '--num-acceptors', '1'], stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 20
    while True:
        try:
            socket.create_connection(('127.0.0.1', port), timeout=1).close()
            break
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                raise RuntimeError('proxy.py did not start:\n' + log_path.read_text(errors='replace'))
            time.sleep(0.1)
    yield Proxy('http://127.0.0.1:%d' % port, log_path)
    process.terminate()
    process.wait(timeout=10)
