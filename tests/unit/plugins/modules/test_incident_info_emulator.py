"""incident_info run in-process against the emulator (module_runner.py: arguments patched in, exit/fail caught)."""
import json

import pytest

from ansible_collections.msgraph.security.plugins.modules import incident_info

from .module_runner import module_args, module_runner

SEED = '2972395'


@pytest.fixture
def run_module(monkeypatch, emulator):
    return module_runner(monkeypatch, incident_info.main, env=emulator.env('reader-secret'))


def test_reads_one_incident_unchanged(run_module):
    done = run_module(incident_id=int(SEED))
    assert not done.failed, done.result
    assert done.result['changed'] is False
    assert done.result['found'] is True
    assert done.result['incident']['id'] == SEED
    assert [incident['id'] for incident in done.result['incidents']] == [SEED]


def test_check_mode_reads_too(run_module):
    done = run_module(incident_id=SEED, _ansible_check_mode=True)
    assert not done.failed, done.result
    assert done.result['incident']['id'] == SEED


def test_incident_id_and_incident_ids_are_mutually_exclusive(run_module):
    done = run_module(incident_id=SEED, incident_ids=[SEED])
    assert done.failed
    assert 'mutually exclusive' in done.result['msg']


@pytest.fixture
def run_module_for_real(emulator, monkeypatch, capsys):
    """The module as Ansible runs it: exit_json/fail_json untouched, so no_log masking happens
    where it does for users; returns what the module printed for the controller."""
    for name, value in emulator.env('reader-secret').items():
        monkeypatch.setenv(name, value)

    def run(**args):
        with module_args(args), pytest.raises(SystemExit):
            incident_info.main()
        return capsys.readouterr().out
    return run


def test_secrets_are_masked_in_what_the_module_prints(run_module_for_real):
    # A wrong secret fails the read; the id echoes the secret in the failure message, so only
    # Ansible's no_log masking keeps it out of the message as well as out of the invocation.
    secret = 'not-the-secret-s3cr3t'
    printed = run_module_for_real(incident_id='x/' + secret, client_secret=secret, access_token=secret + '-t')
    result = json.loads(printed)
    assert result['failed'] and 'Invalid incident id' in result['msg']
    assert secret not in printed
    if 'invocation' in result:  # ansible-core 2.21 no longer returns the invocation by default
        assert result['invocation']['module_args']['client_secret'] == 'VALUE_SPECIFIED_IN_NO_LOG_PARAMETER'
