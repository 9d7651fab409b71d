"""incident_info run in-process, as ansible-test units would: arguments patched in, exit/fail caught.

ansible-core 2.19 and later take module arguments through
ansible.module_utils.testing.patch_module_args; older cores (2.16 in the matrix) read the JSON
in basic._ANSIBLE_ARGS. module_args() does whichever the installed core needs.
"""
import contextlib
import json

import pytest

from ansible.module_utils import basic
from ansible.module_utils.common.text.converters import to_bytes

from ansible_collections.msgraph.security.plugins.modules import incident_info

SEED = '2972395'


@contextlib.contextmanager
def module_args(args):
    try:
        from ansible.module_utils.testing import patch_module_args  # ansible-core >= 2.19
    except ImportError:
        patch_module_args = None
    if patch_module_args is not None:
        with patch_module_args(args):
            yield
        return
    saved = basic._ANSIBLE_ARGS
    basic._ANSIBLE_ARGS = to_bytes(json.dumps({'ANSIBLE_MODULE_ARGS': args}))
    try:
        yield
    finally:
        basic._ANSIBLE_ARGS = saved


class Exited(Exception):
    def __init__(self, result, failed):
        super(Exited, self).__init__(result)
        self.result = result
        self.failed = failed


@pytest.fixture
def run_module(monkeypatch, emulator):
    def exit_json(self, **result):
        raise Exited(result, failed=False)

    def fail_json(self, msg, **result):
        result['msg'] = msg
        raise Exited(result, failed=True)

    monkeypatch.setattr(basic.AnsibleModule, 'exit_json', exit_json)
    monkeypatch.setattr(basic.AnsibleModule, 'fail_json', fail_json)
    for name, value in emulator.env('reader-secret').items():
        monkeypatch.setenv(name, value)

    def run(**args):
        with module_args(args), pytest.raises(Exited) as exited:
            incident_info.main()
        return exited.value
    return run


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
