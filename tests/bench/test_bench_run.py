"""bench/run.py end to end, quickly: one scenario, no added latency, one run each.

Only the round trips are checked: they are deterministic. Wall times and memory are the
benchmark's business (make bench), not a test's.
"""
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_one_incident_round_trips(tmp_path):
    results_path = tmp_path / 'results.json'
    done = subprocess.run(
        [sys.executable, os.path.join(ROOT, 'bench', 'run.py'), '--repeat', '1', '--latency-ms', '0',
         '--scenarios', 'one_incident', '--json', str(results_path)],
        cwd=ROOT, capture_output=True, text=True, timeout=180, check=False)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-4000:]

    (scenario,) = json.loads(results_path.read_text())['scenarios']
    variants = scenario['variants']
    # The OpenID configuration was kept by the bench's unmeasured first run (discovery_cache): token, GET.
    assert variants['collection']['round_trips_all'] == [2]
    assert variants['collection']['breakdown'] == '1 token, 1 GET'
    assert variants['uri']['round_trips_all'] == [2]
    assert variants['uri']['breakdown'] == '1 token, 1 GET'
    assert all(variant['ok'] for variant in variants.values())
    assert '| one incident, fresh play | collection | 2 (1 token, 1 GET) |' in done.stdout


def test_update_one_round_trips(tmp_path):
    results_path = tmp_path / 'results.json'
    done = subprocess.run(
        [sys.executable, os.path.join(ROOT, 'bench', 'run.py'), '--repeat', '1', '--latency-ms', '0',
         '--scenarios', 'update_one', '--json', str(results_path)],
        cwd=ROOT, capture_output=True, text=True, timeout=240, check=False)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-4000:]

    (scenario,) = json.loads(results_path.read_text())['scenarios']
    variants = scenario['variants']
    # The bench's unmeasured first run kept Entra ID's OpenID configuration (discovery_cache) for the others.
    assert variants['collection']['breakdown'] == '1 token, 1 GET, 1 PATCH'
    assert variants['unchanged']['breakdown'] == '1 token, 1 GET'
    assert variants['unchanged']['patches'] == 0
    assert variants['uri']['breakdown'] == '1 token, 1 PATCH'
    assert all(variant['ok'] for variant in variants.values())
