"""Inputs that would end in a raw exception or a silently wrong answer, as a user meets them:
ansible-playbook runs of the module and the lookup, each refused with a message naming the option."""


def test_each_input_is_refused_by_module_and_lookup(ansible_playbook, clean_emulator):
    run = ansible_playbook('refused_inputs.yml')
    assert run.rc == 0, run
    assert 'Traceback' not in run.output
    # 14 cases, each refused twice (module, lookup) and checked in its rescue.
    assert run.stdout.count('TASK [The module failed with the message expected]') == 14, run
    assert run.stdout.count('TASK [The lookup failed with the message expected]') == 14, run
    assert 'unexpected' not in run.stdout.replace('unexpected is not defined', '')
    assert clean_emulator.requests() == []  # refused before anything was sent
