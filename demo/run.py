"""make demo: start the emulator, run demo/incident_demo.yml and the triage playbook against it, then the
example rulebook in ansible-rulebook: an incident created in the emulator is picked up and triaged."""
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from tests.dev_collection import ensure_link  # noqa: E402
from tests.emulator.fixture import start_emulator  # noqa: E402
from tests.rulebook_runner import RULEBOOK, java_home, start_rulebook  # noqa: E402

# The lines of ansible-rulebook's output the demo shows: the source's own and the playbook's result.
SHOWN = re.compile(r'msgraph\.security\.incidents: |TRIAGE |incident_gate: ')


def main():
    with start_emulator(os.path.join(ROOT, '.emulator', 'demo')) as emulator:
        print('Emulator running at %s (Graph and Entra ID), CA %s' % (emulator.url, emulator.ca_path))
        env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=ensure_link(), ANSIBLE_LOCALHOST_WARNING='false',
                   ANSIBLE_INVENTORY_UNPARSED_WARNING='false', **emulator.env('responder-secret'))
        bin_dir = os.path.dirname(sys.executable)
        # First what a user does with new credentials: check them (the token goes to Graph's audience
        # although graph_url points at the emulator).
        runs = [['msgraph.security.verify'], [os.path.join('demo', 'incident_demo.yml')]]  # relative to cwd=ROOT
        # The shipped triage playbook takes one branch per severity and records it on the incident (the
        # writer app may); a resolved incident ends the play.
        for severity, status in (('high', 'active'), ('medium', 'inProgress'), ('low', 'active'), ('high', 'resolved')):
            incident_id = emulator.incident_ids("severity eq '%s' and status eq '%s'" % (severity, status))[0]
            runs.append(['msgraph.security.triage', '-e', 'incident_id=%s' % incident_id])
        for args in runs:
            print('\n$ ansible-playbook %s' % ' '.join(args))
            code = subprocess.call([os.path.join(bin_dir, 'ansible-playbook')] + args, env=env, cwd=ROOT)
            if code:
                return code
        return rulebook_demo(emulator)
    return 0


def rulebook_demo(emulator):
    """ansible-rulebook with msgraph.security.triage_high_incidents; a new high incident gets triaged."""
    if not os.path.exists(RULEBOOK) or not java_home():
        print('\n(ansible-rulebook or Java 17 missing: skipping the Event-Driven Ansible part)')
        return 0
    print('\n$ ansible-rulebook -i localhost --rulebook msgraph.security.triage_high_incidents'
          ' (interval 2 s)')
    with tempfile.TemporaryDirectory(prefix='msgraph-demo-eda-') as work:
        run = start_rulebook(ensure_link(), 'msgraph.security.triage_high_incidents', work,
                             env=emulator.env('responder-secret'),  # triage plans its response and records it
                             variables={'msgraph_incidents_interval': 2,
                                        'msgraph_incidents_state_file': os.path.join(work, 'checkpoint.json')})
        try:
            run.wait_for('msgraph.security.incidents: polling')
            incident = emulator.create_incident({'severity': 'high', 'displayName': 'Demo: ransomware on srv-file02'})
            print('Created incident %s (high) in the emulator' % incident['id'])
            run.wait_for('TRIAGE HIGH incident %s' % incident['id'], timeout=120)
        finally:
            run.stop()
            emulator.reset()
        for line in run.output.splitlines():
            if SHOWN.search(line):
                print('  ' + line.strip())
    return 0


if __name__ == '__main__':
    sys.exit(main())
