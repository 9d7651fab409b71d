"""Lookup option precedence, as Ansible resolves every setting: direct > msgraph_* vars > env >
ansible.cfg > default. An environment variable beats ansible.cfg, and -vvv says so."""

WRONG_TENANT = '00000000-0000-0000-0000-00000000dead'


def ansible_cfg(tmp_path, **options):
    path = tmp_path / 'ansible.cfg'
    path.write_text('[msgraph_security]\n' + ''.join('%s = %s\n' % item for item in options.items()))
    return str(path)


def test_environment_beats_ansible_cfg_and_verbose_output_says_where_from(ansible_playbook, emulator, tmp_path):
    env = emulator.env('reader-secret')
    cfg = ansible_cfg(tmp_path, tenant_id=WRONG_TENANT, client_id=env['AZURE_CLIENT_ID'])
    run = ansible_playbook('lookup_sources.yml', env={'ANSIBLE_CONFIG': cfg}, args=['-vvv'])
    assert run.rc == 0, run
    assert 'tenant_id from env: AZURE_TENANT_ID' in run.stdout, run
    assert 'client_id from env: AZURE_CLIENT_ID' in run.stdout, run
    assert env['AZURE_CLIENT_SECRET'] not in run.output


def test_ansible_cfg_is_used_when_the_environment_is_silent(ansible_playbook, emulator, tmp_path):
    env = emulator.env('reader-secret')
    cfg = ansible_cfg(tmp_path, tenant_id=env['AZURE_TENANT_ID'])
    without_tenant = dict((k, v) for k, v in env.items() if k != 'AZURE_TENANT_ID')
    run = ansible_playbook('lookup_sources.yml', app=None, env=dict(without_tenant, ANSIBLE_CONFIG=cfg), args=['-vvv'])
    assert run.rc == 0, run
    assert 'tenant_id from %s' % cfg in run.stdout, run


def test_a_variable_beats_the_environment(ansible_playbook, emulator, tmp_path):
    cfg = ansible_cfg(tmp_path)
    run = ansible_playbook('lookup_sources.yml', {'msgraph_tenant_id': WRONG_TENANT}, env={'ANSIBLE_CONFIG': cfg})
    assert run.rc == 2, run
    assert WRONG_TENANT in run.stdout  # the token request went to the tenant the variable named
