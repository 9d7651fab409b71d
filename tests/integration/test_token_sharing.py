"""One token per run (share_tokens, discovery_cache): round trips counted in the emulator's log.

Real ansible-playbook runs with many tasks, forks and hosts; the run's token store is checked for
its modes while the run goes on and for being gone after it.
"""
import os

import pytest


def counts(graph):
    """Outer requests of the last run: OpenID configurations, token requests, Graph GETs."""
    outer = [r for r in graph.requests() if not r['in_batch']]
    return (sum(r['path'].endswith('/openid-configuration') for r in outer),
            sum(r['path'].endswith('/oauth2/v2.0/token') for r in outer),
            sum(r['path'].startswith('/v1.0/security/') for r in outer))


def hosts_file(tmp_path, count):
    path = tmp_path / 'hosts.ini'
    path.write_text('[readers]\n%s\n[readers:vars]\nansible_connection=local\n'
                    % '\n'.join('reader%02d' % n for n in range(count)))
    return str(path)


@pytest.fixture
def graph(emulator):
    emulator.reset()
    yield emulator
    emulator.reset()


def test_ten_tasks_cost_one_discovery_one_token_then_a_second_run_no_discovery(graph, ansible_playbook):
    run = ansible_playbook('shared_token.yml', args=('-vvv',))
    assert run.rc == 0, run
    assert counts(graph) == (1, 1, 10)
    assert 'shared in this run' in run.output and 'eyJ' not in run.output
    graph.clear_requests()
    assert ansible_playbook('shared_token.yml').rc == 0
    assert counts(graph) == (0, 1, 10)  # the OpenID configuration was kept from the first run


def test_twenty_forks_starting_together_ask_for_one_token(graph, ansible_playbook, tmp_path):
    run = ansible_playbook('shared_token.yml', extra_vars={'target': 'readers', 'reads': 1},
                           args=('-i', hosts_file(tmp_path, 20), '--forks', '20'))
    assert run.rc == 0 and run.output.count('ok: [reader') == 20, run
    assert counts(graph) == (1, 1, 20)


def test_fifty_hosts_evaluating_a_lookup_share_one_token(graph, ansible_playbook, tmp_path):
    run = ansible_playbook('shared_token_lookup.yml', args=('-i', hosts_file(tmp_path, 50)))
    assert run.rc == 0, run
    discovery, tokens, gets = counts(graph)
    assert (discovery, tokens) == (1, 1) and gets <= 100


def test_a_refused_token_is_renewed_once_and_no_later_task_uses_it(graph, ansible_playbook):
    run = ansible_playbook('shared_token.yml', extra_vars={'reads': 5, 'expire_after': 2})
    assert run.rc == 0, run
    outer = [r for r in graph.requests() if not r['in_batch']]
    refused = [r for r in outer if r['status'] == 401]
    # Task 3 met the expired token, dropped it from the store and acquired the run's new one; task 4 used that.
    assert len(refused) == 1 and refused[0]['path'].endswith('/incidents/3')
    assert counts(graph)[1:] == (2, 5 + 1)


def test_the_store_is_the_users_only_while_the_run_goes_on_and_gone_after(graph, ansible_playbook, tmp_path):
    run = ansible_playbook('shared_token.yml', extra_vars={'reads': 2, 'show_store': True})
    assert run.rc == 0, run
    modes = dict(line.split('MODE ', 1)[1].split('"', 1)[0].split() for line in run.stdout.splitlines()
                 if '"msg": "MODE ' in line)
    store = dict((name, mode) for name, mode in modes.items() if name.startswith('msgraph-tokens/'))
    directory = [mode for name, mode in modes.items() if name.endswith('/msgraph-tokens')]
    assert directory == ['0700'] and len(store) >= 3, modes  # the run's key, a token, its lock file
    assert all(mode == '0600' for mode in store.values()), modes
    left = [os.path.join(root, name) for root, dirs, files in os.walk(str(tmp_path)) for name in files + dirs]
    assert not [path for path in left if 'msgraph-tokens' in path]
    secret = graph.env('reader-secret')['AZURE_CLIENT_SECRET']
    for path in left:
        if os.path.isfile(path):
            with open(path, 'rb') as handle:
                content = handle.read()
            assert secret.encode() not in content and b'eyJ' not in content, path


def test_share_tokens_false_gives_each_task_its_own_token(graph, ansible_playbook):
    run = ansible_playbook('shared_token.yml', env={'MSGRAPH_SHARE_TOKENS': 'false'})
    assert run.rc == 0, run
    assert counts(graph)[1:] == (10, 10)


def test_discovery_cache_false_asks_for_the_openid_configuration_in_each_run(graph, ansible_playbook):
    for dummy in range(2):
        assert ansible_playbook('shared_token.yml', extra_vars={'reads': 1},
                                env={'MSGRAPH_DISCOVERY_CACHE': 'false'}).rc == 0
    assert counts(graph)[0] == 2
