"""The EDA controller pieces are exercised, not just present: the decision environment definition through
`ansible-builder create` (no container engine), and the EDA credential type against the AWX one."""
import os
import shutil
import subprocess
import sys

import yaml

from ansible_collections.msgraph.security.plugins.module_utils.connection_options import CONNECTION_OPTIONS

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.dirname(sys.executable)


def load(*parts):
    with open(os.path.join(ROOT, *parts)) as handle:
        return yaml.safe_load(handle)


def test_decision_environment_build_context_has_rulebook_java_and_the_collection(tmp_path):
    subprocess.run([os.path.join(BIN, 'ansible-galaxy'), 'collection', 'build', ROOT, '--output-path', str(tmp_path)],
                   check=True, capture_output=True)
    tarball = next(tmp_path.glob('msgraph-security-*.tar.gz'))
    definition = tmp_path / 'de'
    definition.mkdir()
    shutil.copy(os.path.join(ROOT, 'extensions', 'eda', 'decision-environment.yml'), str(definition))
    shutil.copy(str(tarball), str(definition / 'msgraph-security.tar.gz'))
    context = tmp_path / 'context'
    created = subprocess.run([os.path.join(BIN, 'ansible-builder'), 'create', '-f',
                              str(definition / 'decision-environment.yml'), '--context', str(context)],
                             capture_output=True, text=True, check=False)
    assert created.returncode == 0, created.stdout + created.stderr
    containerfile = next(p for p in (context / 'Containerfile', context / 'Dockerfile') if p.exists()).read_text()
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
