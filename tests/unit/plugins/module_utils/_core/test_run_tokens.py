"""The run's token store: one acquisition for many processes at once, whole entries only, modes, refusals."""
import base64
import json
import multiprocessing
import os
import stat
import time

import pytest

from ansible_collections.msgraph.security.plugins.module_utils._core import run_tokens


def jwt(exp):
    """An unsigned JWT with an exp claim (the store reads exp for the expiry, nothing else)."""
    def part(value):
        return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip('=')
    return '%s.%s.sig' % (part({'alg': 'none'}), part({'exp': exp, 'aud': 'https://graph.microsoft.com'}))


class Settings:
    token_audience = 'https://graph.microsoft.com'


class SlowCredentials:
    """Stands in for the MSAL authenticator: each acquisition is counted in a file and takes a while."""

    method = 'client_secret'
    settings = Settings()

    def __init__(self, counter, secret='s3cr3t-value-never-stored'):
        self.counter = counter
        self.secret = secret

    def settings_parts(self):
        return (self.method, {'client_id': 'app', 'client_credential': self.secret}, self.settings.token_audience)

    def token(self, audience=None):
        with open(self.counter, 'a') as handle:
            handle.write('x')
        time.sleep(0.3)
        return jwt(int(time.time()) + 3600)

    def renew(self, audience=None):
        return True


def _fork_token(directory, counter, queue):
    shared = run_tokens.SharedAuthenticator(SlowCredentials(counter), run_tokens.RunTokens(directory))
    queue.put((shared.token(), shared.used))


def test_twenty_processes_at_once_acquire_one_token_and_all_read_it_whole(tmp_path):
    directory = run_tokens.make_store(str(tmp_path))
    counter = str(tmp_path / 'acquired')
    queue = multiprocessing.get_context('fork').Queue()
    workers = [multiprocessing.get_context('fork').Process(target=_fork_token, args=(directory, counter, queue))
               for dummy in range(20)]
    for worker in workers:
        worker.start()
    got = [queue.get(timeout=60) for dummy in workers]
    for worker in workers:
        worker.join(30)
    assert open(counter).read() == 'x'
    assert len(set(token for token, dummy in got)) == 1
    assert sorted(used for dummy, used in got) == ['acquired'] + ['shared'] * 19


def test_modes_names_and_no_secret_in_the_store(tmp_path):
    directory = run_tokens.make_store(str(tmp_path))
    credentials = SlowCredentials(str(tmp_path / 'acquired'))
    run_tokens.SharedAuthenticator(credentials, run_tokens.RunTokens(directory)).token()
    assert stat.S_IMODE(os.stat(directory).st_mode) == 0o700
    names = sorted(os.listdir(directory))
    assert len(names) == 3 and 'key' in names  # the key, one token, its lock file
    for name in names:
        path = os.path.join(directory, name)
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600, name
        assert credentials.secret.encode() not in open(path, 'rb').read()
        assert credentials.secret not in name


def test_a_refused_token_is_dropped_and_the_next_one_acquired(tmp_path):
    directory = run_tokens.make_store(str(tmp_path))
    counter = str(tmp_path / 'acquired')
    shared = run_tokens.SharedAuthenticator(SlowCredentials(counter), run_tokens.RunTokens(directory))
    first = shared.token()
    assert shared.renew() is True
    other = run_tokens.SharedAuthenticator(SlowCredentials(counter), run_tokens.RunTokens(directory))
    assert other.token() and other.used == 'acquired' and open(counter).read() == 'xx'
    assert first  # the refused token is no longer in the store: another process acquired afresh


def test_a_token_near_its_expiry_is_not_handed_out(tmp_path):
    store = run_tokens.RunTokens(run_tokens.make_store(str(tmp_path)))
    store.write('a', jwt(int(time.time()) + run_tokens.MARGIN - 5))
    store.write('b', jwt(int(time.time()) + run_tokens.MARGIN + 60))
    assert store.read('a') is None and store.read('b')


def test_other_settings_or_audience_get_other_entries(tmp_path):
    store = run_tokens.RunTokens(run_tokens.make_store(str(tmp_path)))
    assert store.name(('a',), 'graph') != store.name(('b',), 'graph') != store.name(('a',), 'defender')


@pytest.mark.parametrize('directory', [None, '/nonexistent/msgraph-tokens'])
def test_no_store_leaves_the_client_acquiring_its_own(directory):
    class Client:
        class settings:
            class options:
                @staticmethod
                def get(name):
                    return True
        auth = SlowCredentials('/dev/null')
    client = Client()
    assert run_tokens.share(client, directory).auth is Client.auth
