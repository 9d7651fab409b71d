"""Docs gate: every plugin and role renders with ansible-doc, and antsibull-docs lints the collection.

Works on the collection as users get it: built with ansible-galaxy and installed into a temporary
path, so documentation that depends on a file left out of the artifact (a doc fragment, say) fails.

- Each plugin file under plugins/{modules,lookup,filter,test}/ must be listed by
  `ansible-doc -t TYPE -l msgraph.security` and render with `ansible-doc -t TYPE FQCN` with no
  warning; each role under roles/ must render with `ansible-doc -t role` (its argument spec).
- `antsibull-docs lint-collection-docs --plugin-docs` checks markup, references and the schema of
  every plugin and role documentation, and the extra docs.

usage: python tests/gates/docs.py   (the python of a venv with ansible-core and antsibull-docs)
"""
import glob
import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.dirname(sys.executable)
NAMESPACE, NAME = 'msgraph', 'security'
COLLECTION = '%s.%s' % (NAMESPACE, NAME)
# plugin type -> the folder under plugins/ holding its files
PLUGIN_DIRS = {'module': 'modules', 'lookup': 'lookup', 'filter': 'filter', 'test': 'test'}


def run(args, env, **kwargs):
    return subprocess.run(args, env=env, capture_output=True, text=True, timeout=600, check=False, **kwargs)


def install(work, env):
    build = run([os.path.join(BIN, 'ansible-galaxy'), 'collection', 'build', ROOT, '--output-path', work], env)
    if build.returncode:
        sys.exit('ansible-galaxy collection build failed:\n%s%s' % (build.stdout, build.stderr))
    tarball = glob.glob(os.path.join(work, '%s-%s-*.tar.gz' % (NAMESPACE, NAME)))[0]
    path = os.path.join(work, 'collections')
    done = run([os.path.join(BIN, 'ansible-galaxy'), 'collection', 'install', tarball, '-p', path], env)
    if done.returncode:
        sys.exit('ansible-galaxy collection install failed:\n%s%s' % (done.stdout, done.stderr))
    return path


def expected_plugins(plugin_type):
    names = set()
    # Filter and test files may define several plugins; their documentation is one YAML file each
    # (or the DOCUMENTATION of the .py file): every name must be listed.
    folder = os.path.join(ROOT, 'plugins', PLUGIN_DIRS[plugin_type])
    for path in glob.glob(os.path.join(folder, '*.py')) + glob.glob(os.path.join(folder, '*.yml')):
        base = os.path.splitext(os.path.basename(path))[0]
        if base != '__init__':
            names.add('%s.%s' % (COLLECTION, base))
    return names


def check_ansible_doc(env):
    failures = []
    rendered = []
    for plugin_type in sorted(PLUGIN_DIRS):
        listed = run([os.path.join(BIN, 'ansible-doc'), '-t', plugin_type, '-l', COLLECTION, '--json'], env)
        if listed.returncode:
            failures.append('ansible-doc -t %s -l %s: rc=%s\n%s'
                            % (plugin_type, COLLECTION, listed.returncode, listed.stderr))
            continue
        names = set(json.loads(listed.stdout or '{}'))
        missing = expected_plugins(plugin_type) - names
        if missing:
            failures.append('ansible-doc -t %s -l does not list %s (broken or missing documentation)%s'
                            % (plugin_type, ', '.join(sorted(missing)), '\n' + listed.stderr if listed.stderr else ''))
        for name in sorted(names):
            rendered.append((plugin_type, name))
    for role in sorted(os.listdir(os.path.join(ROOT, 'roles'))):
        rendered.append(('role', '%s.%s' % (COLLECTION, role)))
    for plugin_type, name in rendered:
        result = run([os.path.join(BIN, 'ansible-doc'), '-t', plugin_type, name], env)
        problems = [line for line in result.stderr.splitlines() if 'WARNING' in line or 'ERROR' in line]
        if result.returncode or problems or not result.stdout.strip():
            failures.append('ansible-doc -t %s %s: rc=%s\n%s%s'
                            % (plugin_type, name, result.returncode, result.stderr, result.stdout[-2000:]))
        else:
            print('ansible-doc -t %-6s %s: %d lines' % (plugin_type, name, len(result.stdout.splitlines())))
    return failures


def check_antsibull(path, env):
    tree = os.path.join(path, 'ansible_collections', NAMESPACE, NAME)
    result = run([os.path.join(BIN, 'antsibull-docs'), 'lint-collection-docs', '--plugin-docs',
                  '--validate-collection-refs', 'all', '--disallow-unknown-collection-refs', tree], env)
    output = (result.stdout + result.stderr).strip()
    if result.returncode or output:
        return ['antsibull-docs lint-collection-docs --plugin-docs: rc=%s\n%s' % (result.returncode, output)]
    print('antsibull-docs lint-collection-docs --plugin-docs: no findings')
    return []


def main():
    with tempfile.TemporaryDirectory(prefix='msgraph-docs-') as work:
        env = dict((key, value) for key, value in os.environ.items() if not key.startswith('ANSIBLE_'))
        env.update(ANSIBLE_LOCAL_TEMP=os.path.join(work, 'tmp'), ANSIBLE_NOCOLOR='1', ANSIBLE_DEPRECATION_WARNINGS='1',
                   PATH=BIN + os.pathsep + env.get('PATH', ''))
        path = install(work, env)
        env.update(ANSIBLE_COLLECTIONS_PATH=path, ANSIBLE_COLLECTIONS_SCAN_SYS_PATH='false')
        failures = check_ansible_doc(env) + check_antsibull(path, env)
    if failures:
        print('\n\n'.join(failures), file=sys.stderr)
        sys.exit('docs gate: %d failure(s)' % len(failures))
    print('docs gate passed')


if __name__ == '__main__':
    main()
