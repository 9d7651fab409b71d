"""The machine a benchmark ran on, and the markdown table of its results."""
import os
import platform
import subprocess
import sys


def _cpu_model():
    try:
        with open('/proc/cpuinfo') as handle:
            for line in handle:
                if line.startswith('model name'):
                    return line.split(':', 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or 'unknown'


def _version(module):
    try:
        from importlib.metadata import version
        return version(module)
    except Exception:  # not installed, or no metadata
        return 'unknown'


def machine():
    ansible = subprocess.run([os.path.join(os.path.dirname(sys.executable), 'ansible-playbook'), '--version'],
                             capture_output=True, text=True, check=False).stdout.splitlines()
    return {
        'cpus': os.cpu_count(),
        'cpu_model': _cpu_model(),
        'memory_gib': round(os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2.0 ** 30, 1),
        'kernel': platform.release(),
        'python': platform.python_version(),
        'ansible_core': ansible[0].split('core ')[-1].rstrip(']') if ansible else 'unknown',
        'msal': _version('msal'),
        'requests': _version('requests'),
    }


def render_table(results):
    settings, box = results['settings'], results['machine']
    lines = [
        '| scenario | variant | round trips | median wall (s) | vs reference | peak RSS (MiB) |',
        '|---|---|---:|---:|---:|---:|',
    ]
    for scenario in results['scenarios']:
        for name, values in scenario['variants'].items():
            reference = name == scenario['reference']
            lines.append('| %s | %s | %d (%s) | %.2f | %s | %.0f |' % (
                scenario['title'], name + (' (ref)' if reference else ''), values['round_trips'],
                values['breakdown'], values['wall_median'], '1' if reference else 'x%.3f' % values['ratio'],
                values['peak_mib']))
    lines += ['', '| scenario | target | met | measured |', '|---|---|---|---|']
    for scenario in results['scenarios']:
        for target in scenario['targets']:
            lines.append('| %s | %s | %s | %s |' % (
                scenario['title'], target['target'], 'yes' if target['met'] else '**no**', target['detail']))
    lines += ['', '%d ms added per request, median of %d runs, alternating. Machine: %d CPUs (%s), %.0f GiB,'
              ' Linux %s, Python %s, ansible-core %s, msal %s, requests %s.' % (
                  settings['latency_ms'], settings['repeat'], box['cpus'], box['cpu_model'], box['memory_gib'],
                  box['kernel'], box['python'], box['ansible_core'], box['msal'], box['requests'])]
    return '\n'.join(lines)
