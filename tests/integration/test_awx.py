"""The AWX pieces are exercised, not just present: the credential type's inputs and injectors, and
the execution environment definition through `ansible-builder create` (no container engine)."""
import os
import re
import subprocess
import sys

import pytest
import yaml
from jinja2 import meta
from jinja2.sandbox import ImmutableSandboxedEnvironment

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.msgraph.security.plugins.module_utils._core.auth import select_authenticator
from ansible_collections.msgraph.security.plugins.module_utils._core.connection_options import CONNECTION_OPTIONS
from ansible_collections.msgraph.security.plugins.module_utils._core.option_adapter import OptionAdapter, argument_spec
from ansible_collections.msgraph.security.plugins.module_utils._core.settings import Settings

from awx_injection import ROOT, inject, load_credential_type
from builder import builder_create

BIN = os.path.dirname(sys.executable)
SECRETS = {'client_secret', 'client_certificate', 'client_certificate_password'}


@pytest.fixture(scope='module')
def credential_type():
    return load_credential_type()


def test_credential_type_shape(credential_type):
    assert credential_type['name'] == 'Microsoft Graph Security'
    assert credential_type['kind'] == 'cloud'
    fields = credential_type['inputs']['fields']
    ids = [field['id'] for field in fields]
    assert len(ids) == len(set(ids))
    assert set(credential_type['inputs']['required']) == {'tenant_id', 'client_id'}
    assert set(field['id'] for field in fields if field.get('secret')) == SECRETS
    assert all(field['type'] == 'string' and field.get('label') for field in fields)
    cloud = [field for field in fields if field['id'] == 'cloud'][0]
    assert cloud['choices'] == ['global', 'usgov', 'usgov_dod'] and cloud['default'] == 'global'


def test_injectors_use_only_declared_inputs_and_files(credential_type):
    ids = set(field['id'] for field in credential_type['inputs']['fields'])
    injectors = credential_type['injectors']
    files = set(label.split('.', 1)[1] for label in injectors['file'])
    sandbox = ImmutableSandboxedEnvironment()
    for template in list(injectors['file'].values()) + list(injectors['env'].values()):
        assert meta.find_undeclared_variables(sandbox.parse(template)) <= ids | {'tower'}, template
        assert set(re.findall(r'tower\.filename\.(\w+)', template)) <= files
    assert set(injectors) == {'file', 'env'}  # no extra_vars: secrets stay out of the job's variables


def test_injected_variables_are_the_ones_the_collection_reads(credential_type):
    read = dict((env, option) for option, definition in CONNECTION_OPTIONS.items() for env in definition.get('env', []))
    injected = credential_type['injectors']['env']
    assert set(injected) <= set(read)
    assert set(read[name] for name in injected) == {
        'tenant_id', 'client_id', 'client_secret', 'client_certificate_path', 'client_certificate_password',
        'cloud', 'graph_url', 'defender_url', 'token_audience', 'authority_host', 'ca_path'}
    for name in injected:  # the first name an option reads, so nothing in the job's environment wins over it
        assert CONNECTION_OPTIONS[read[name]]['env'][0] == name


def options_from(env, monkeypatch):
    """Connection options exactly as the module resolves them: its argument spec with env fallbacks."""
    for name in [n for n in os.environ if n.startswith(('AZURE_', 'MSGRAPH_'))]:
        monkeypatch.delenv(name)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    result = ArgumentSpecValidator(argument_spec(CONNECTION_OPTIONS)).validate({})
    assert result.error_messages == []
    return OptionAdapter.from_dict(result.validated_parameters)


def test_a_secret_credential_leaves_the_other_inputs_unset(tmp_path, monkeypatch):
    env = inject(dict(tenant_id='t-1', client_id='c-1', client_secret='s3cret'), tmp_path)
    assert env['AZURE_CLIENT_CERTIFICATE_PATH'] == env['MSGRAPH_CA_PATH'] == env['MSGRAPH_URL'] == ''
    assert env['MSGRAPH_TOKEN_AUDIENCE'] == ''
    assert env['MSGRAPH_CLOUD'] == 'global'
    options = options_from(env, monkeypatch)
    settings = Settings(options)  # empty overrides fall back to the cloud's endpoints
    assert (settings.graph_root, settings.authority_host) == ('https://graph.microsoft.com', 'https://login.microsoftonline.com')
    assert settings.verify is True and settings.scope == 'https://graph.microsoft.com/.default'
    assert type(select_authenticator(settings, None)).__name__ == 'ClientCredentials'
    assert options.get('client_secret') == 's3cret' and not options.get('client_certificate_path')


def test_certificate_and_ca_bundle_become_files(tmp_path, monkeypatch):
    pem = '-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----\n'
    env = inject(dict(tenant_id='t-1', client_id='c-1', client_certificate=pem, ca_bundle='CA PEM', cloud='usgov'),
                 tmp_path)
    with open(env['AZURE_CLIENT_CERTIFICATE_PATH']) as handle:
        assert handle.read() == pem
    with open(env['MSGRAPH_CA_PATH']) as handle:
        assert handle.read() == 'CA PEM'
    assert env['AZURE_CLIENT_SECRET'] == ''
    options = options_from(env, monkeypatch)
    assert Settings(options).graph_root == 'https://graph.microsoft.us'
    assert options.get('client_certificate_path') == env['AZURE_CLIENT_CERTIFICATE_PATH']
    assert not options.get('client_secret')


def test_execution_environment_build_context_installs_msal_and_requests(collection_tarball, tmp_path):
    """`ansible-builder create` on the shipped example, then the context's own galaxy and introspect steps."""
    tarball = collection_tarball
    context, containerfile = builder_create(os.path.join(ROOT, 'extensions', 'awx', 'execution-environment.yml'),
                                            tarball, tmp_path)

    assert 'ansible-galaxy collection install' in containerfile and '-r requirements.yml' in containerfile
    assert 'introspect.py introspect' in containerfile and '/output/scripts/assemble' in containerfile
    requirements = yaml.safe_load((context / '_build' / 'requirements.yml').read_text())
    source = requirements['collections'][0]['name']
    assert source == '/build/collections/msgraph-security.tar.gz'  # /build is the context's _build/
    bundled = context / '_build' / source[len('/build/'):]
    assert bundled.read_bytes() == tarball.read_bytes()

    # What the galaxy and builder stages do, run here against the context's own files.
    collections = tmp_path / 'usr-share-ansible' / 'collections'
    subprocess.run([os.path.join(BIN, 'ansible-galaxy'), 'collection', 'install', str(bundled), '-p', str(collections)],
                   check=True, capture_output=True)
    pip_file = tmp_path / 'requirements.txt'
    subprocess.run([sys.executable, str(context / '_build' / 'scripts' / 'introspect.py'), 'introspect',
                    str(collections), '--write-pip', str(pip_file)], check=True, capture_output=True)
    names = set(re.split(r'[<>=!~ ;\[#]', line, maxsplit=1)[0].strip().lower()
                for line in pip_file.read_text().splitlines() if line.strip() and not line.startswith('#'))
    assert {'msal', 'requests'} <= names


def test_graph_url_override_keeps_graphs_audience_unless_told(tmp_path, monkeypatch):
    inputs = dict(tenant_id='t-1', client_id='c-1', client_secret='s3cret', graph_url='https://graph-proxy.corp.example')
    settings = Settings(options_from(inject(inputs, tmp_path / 'a'), monkeypatch))
    assert settings.graph_root == 'https://graph-proxy.corp.example'
    assert settings.scope == 'https://graph.microsoft.com/.default'
    inputs['token_audience'] = 'api://graph-proxy'
    settings = Settings(options_from(inject(inputs, tmp_path / 'b'), monkeypatch))
    assert settings.scope == 'api://graph-proxy/.default'


def _tested_matrix():
    """noxfile.py's MATRIX (ansible-core -> Python versions it is tested on), read without importing nox."""
    import ast
    with open(os.path.join(ROOT, 'noxfile.py')) as handle:
        tree = ast.parse(handle.read())
    node = next(n for n in tree.body if isinstance(n, ast.Assign) and getattr(n.targets[0], 'id', '') == 'MATRIX')
    return ast.literal_eval(node.value)


def _ansible_core_pin(line):
    from packaging.requirements import Requirement
    requirement = Requirement(line.split('#', 1)[0].strip())
    assert requirement.name == 'ansible-core'
    return requirement.specifier


def test_execution_environment_allows_every_tested_ansible_core_on_a_python_that_runs_it():
    with open(os.path.join(ROOT, 'extensions', 'awx', 'execution-environment.yml')) as handle:
        dependencies = yaml.safe_load(handle)['dependencies']
    pin = _ansible_core_pin(dependencies['ansible_core']['package_pip'])
    with open(os.path.join(ROOT, 'tests', 'requirements.txt')) as handle:
        tested = _ansible_core_pin(next(line for line in handle if line.startswith('ansible-core')))
    assert pin == tested  # the EE installs the range the tests run
    matrix = _tested_matrix()
    for core in matrix:
        assert pin.contains(core + '.0'), 'the execution environment refuses ansible-core %s, which is tested' % core
    # pip picks the newest core the pin allows: the image's Python must be one it is tested on.
    newest = max(matrix, key=lambda v: tuple(int(p) for p in v.split('.')))
    python = re.match(r'^/usr/bin/python(\d+\.\d+)$', dependencies['python_interpreter']['python_path']).group(1)
    assert dependencies['python_interpreter']['package_system'] == 'python' + python
    assert python in matrix[newest], 'ansible-core %s is tested on Python %s, the image has %s' % (
        newest, ', '.join(matrix[newest]), python)
