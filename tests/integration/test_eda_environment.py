"""The EDA controller pieces are exercised, not just present: the decision environment definition through
`ansible-builder create` (no container engine), and the EDA credential type against the AWX one."""
import os
import subprocess

import yaml

from ansible_collections.msgraph.security.plugins.module_utils._core.connection_options import CONNECTION_OPTIONS

from builder import builder_create

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def load(*parts):
    with open(os.path.join(ROOT, *parts)) as handle:
        return yaml.safe_load(handle)


def test_decision_environment_build_context_has_rulebook_java_and_the_collection(collection_tarball, tmp_path):
    tarball = collection_tarball
    context, containerfile = builder_create(os.path.join(ROOT, 'extensions', 'eda', 'decision-environment.yml'),
                                            tarball, tmp_path)
    assert 'ENV JAVA_HOME=/usr/lib/jvm/jre-17-openjdk' in containerfile
    assert 'ansible-galaxy collection install' in containerfile
    build = context / '_build'
    assert 'ansible-rulebook' in (build / 'requirements.txt').read_text()
    assert 'java-17-openjdk-headless' in (build / 'bindep.txt').read_text()
    source = yaml.safe_load((build / 'requirements.yml').read_text())['collections'][0]['name']
    assert (build / source[len('/build/'):]).read_bytes() == tarball.read_bytes()
    # The collection in the artifact carries the event source and the rulebook.
    listing = subprocess.run(['tar', '-tzf', str(tarball)], check=True, capture_output=True, text=True).stdout
    assert 'extensions/eda/plugins/event_source/incidents.py' in listing
    assert 'extensions/eda/rulebooks/triage_high_incidents.yml' in listing


def test_eda_credential_type_matches_the_awx_one_and_injects_what_the_source_reads():
    awx, eda = load('extensions', 'awx', 'credential_type.yml'), load('extensions', 'eda', 'credential_type.yml')
    assert eda['inputs'] == awx['inputs']
    assert eda['injectors']['file'] == awx['injectors']['file']
    assert set(eda['injectors']['env']) == set(awx['injectors']['env'])
    for name, value in eda['injectors']['env'].items():
        assert value == awx['injectors']['env'][name].replace('tower.filename', 'eda.filename'), name
    readable = set(env for spec in CONNECTION_OPTIONS.values() for env in spec.get('env', []))
    assert set(eda['injectors']['env']) <= readable
