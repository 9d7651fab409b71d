"""make demo: start the emulator, run demo/incident_demo.yml against it, stop the emulator."""
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from tests.dev_collection import ensure_link  # noqa: E402
from tests.emulator.fixture import start_emulator  # noqa: E402


def main():
    with start_emulator(os.path.join(ROOT, '.emulator', 'demo')) as emulator:
        print('Emulator running at %s (Graph and Entra ID), CA %s' % (emulator.url, emulator.ca_path))
        env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=ensure_link(), ANSIBLE_LOCALHOST_WARNING='false',
                   ANSIBLE_INVENTORY_UNPARSED_WARNING='false', **emulator.env('reader-secret'))
        bin_dir = os.path.dirname(sys.executable)
        # First what a user does with new credentials: check them (the token goes to Graph's audience
        # although graph_url points at the emulator).
        runs = [['msgraph.security.verify'], [os.path.join('demo', 'incident_demo.yml')]]  # relative to cwd=ROOT
        # The shipped triage playbook takes one branch per severity; a resolved incident ends the play.
        for severity, status in (('high', 'active'), ('medium', 'inProgress'), ('low', 'active'), ('high', 'resolved')):
            incident_id = emulator.incident_ids("severity eq '%s' and status eq '%s'" % (severity, status))[0]
            runs.append(['msgraph.security.triage', '-e', 'incident_id=%s' % incident_id])
        for args in runs:
            print('\n$ ansible-playbook %s' % ' '.join(args))
            code = subprocess.call([os.path.join(bin_dir, 'ansible-playbook')] + args, env=env, cwd=ROOT)
            if code:
                return code
    return 0


if __name__ == '__main__':
    sys.exit(main())
