"""What AWX does with extensions/awx/credential_type.yml when a job starts, reproduced without AWX.

Mirrors CredentialType.inject_credential: empty inputs are left out of the template namespace,
every file template is rendered and written (even when empty), `tower.filename.<name>` holds the
file's path, and each env template is rendered in Jinja's immutable sandbox.
"""
import os
import tempfile
import types

import yaml
from jinja2.sandbox import ImmutableSandboxedEnvironment

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CREDENTIAL_TYPE = os.path.join(ROOT, 'extensions', 'awx', 'credential_type.yml')


def load_credential_type():
    with open(CREDENTIAL_TYPE) as handle:
        return yaml.safe_load(handle)


def inject(inputs, private_dir, credential_type=None):
    """The environment variables a job gets from a credential with these inputs."""
    credential_type = credential_type or load_credential_type()
    sandbox = ImmutableSandboxedEnvironment()
    tower = types.SimpleNamespace(filename=types.SimpleNamespace())
    namespace = dict((key, value) for key, value in inputs.items() if value not in (None, ''))
    namespace['tower'] = tower
    env_dir = os.path.join(str(private_dir), 'env')
    os.makedirs(env_dir, exist_ok=True)
    for label, template in credential_type['injectors'].get('file', {}).items():
        handle, path = tempfile.mkstemp(dir=env_dir)
        with os.fdopen(handle, 'w') as stream:
            stream.write(sandbox.from_string(template).render(**namespace))
        if '.' in label:
            setattr(tower.filename, label.split('.', 1)[1], path)
        else:
            tower.filename = path
    return dict((name, sandbox.from_string(template).render(**namespace))
                for name, template in credential_type['injectors'].get('env', {}).items())


def emulator_inputs(emulator, app='reader-secret', protected=False):
    """Credential inputs an AWX admin would type in for one of the emulator's app registrations."""
    registration = emulator.apps[app]
    inputs = dict(tenant_id=emulator.tenant_id, client_id=registration['client_id'],
                  graph_url=emulator.info['graph_url'], defender_url=emulator.info['graph_url'],
                  authority_host=emulator.info['authority_host'])
    with open(emulator.ca_path) as handle:
        inputs['ca_bundle'] = handle.read()
    if 'client_secret' in registration:
        inputs['client_secret'] = registration['client_secret']
    else:
        path = registration['protected_certificate_path' if protected else 'certificate_path']
        with open(path) as handle:
            inputs['client_certificate'] = handle.read()
        if protected:
            inputs['client_certificate_password'] = registration['certificate_password']
    return inputs
