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
        playbooks = [os.path.join(ROOT, 'demo', 'incident_demo.yml')]
        for playbook in playbooks:
            print('\n$ ansible-playbook %s' % os.path.relpath(playbook, ROOT))
            code = subprocess.call([os.path.join(bin_dir, 'ansible-playbook'), playbook], env=env)
            if code:
                return code
    return 0


if __name__ == '__main__':
    sys.exit(main())
