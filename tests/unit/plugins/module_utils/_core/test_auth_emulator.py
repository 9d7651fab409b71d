"""auth against the emulator, in a fresh interpreter where msal cannot be imported."""
import subprocess
import sys

from tests.dev_collection import ROOT


# What the README promises for access_token: msal is never imported, so a run with a ready token
# works where msal is not installed. A fresh interpreter, because this one has imported msal already.
NO_MSAL_READ = '''
import sys
sys.modules['msal'] = None  # any "import msal" now raises ImportError
from tests.dev_collection import ensure_link
sys.path.insert(0, ensure_link())
from ansible_collections.msgraph.security.plugins.module_utils._core.graph_client import GraphClient
from ansible_collections.msgraph.security.plugins.module_utils._resources.incidents import IncidentReader
from tests.unit.plugins.module_utils.option_values import options
token, graph_url, ca_path = sys.argv[1:]
client = GraphClient.from_options(options(access_token=token, graph_url=graph_url, ca_path=ca_path))
print(IncidentReader(client).read_ids(['2972395'])[0][1]['id'])
'''


def emulator_token(emulator):
    app = emulator.apps['reader-secret']
    response = emulator.session().post(emulator.authority + '/oauth2/v2.0/token', timeout=30, data={
        'client_id': app['client_id'], 'client_secret': app['client_secret'], 'scope': emulator.scope,
        'grant_type': 'client_credentials'})
    response.raise_for_status()
    return response.json()['access_token']


def test_access_token_reads_with_msal_unimportable(emulator):
    done = subprocess.run([sys.executable, '-c', NO_MSAL_READ, emulator_token(emulator), emulator.url,
                           emulator.ca_path], cwd=ROOT, capture_output=True, text=True, timeout=120,
                          check=False)
    assert done.returncode == 0 and done.stdout.strip() == '2972395', done.stderr
