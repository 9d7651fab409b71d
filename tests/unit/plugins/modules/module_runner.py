"""Modules run in-process, as ansible-test units would: arguments patched in, exit/fail caught.

ansible-core 2.19 and later take module arguments through
ansible.module_utils.testing.patch_module_args; older cores (2.16 in the matrix) read the JSON
in basic._ANSIBLE_ARGS. module_args() does whichever the installed core needs.
"""
import contextlib
import json

import pytest

from ansible.module_utils import basic
from ansible.module_utils.common.text.converters import to_bytes

# Credentials a developer's shell may carry; cleared so that only what a test gives is used.
CREDENTIAL_ENV = ('AZURE_TENANT_ID', 'AZURE_CLIENT_ID', 'AZURE_CLIENT_SECRET', 'AZURE_CLIENT_CERTIFICATE_PATH')


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


def module_runner(monkeypatch, main, env=None, defaults=None):
    """run(**args): ``main()`` with ``defaults`` plus these module args; its exit_json/fail_json
    come back as Exited. The environment holds no credentials but ``env``."""
    def exit_json(self, **result):
        raise Exited(result, failed=False)

    def fail_json(self, msg, **result):
        result['msg'] = msg
        raise Exited(result, failed=True)

    monkeypatch.setattr(basic.AnsibleModule, 'exit_json', exit_json)
    monkeypatch.setattr(basic.AnsibleModule, 'fail_json', fail_json)
    for name in CREDENTIAL_ENV:
        monkeypatch.delenv(name, raising=False)
    for name, value in (env or {}).items():
        monkeypatch.setenv(name, value)

    def run(**args):
        with module_args(dict(defaults or {}, **args)), pytest.raises(Exited) as exited:
            main()
        return exited.value
    return run
