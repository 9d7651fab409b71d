#!/usr/bin/env bash
# ansible-lint, production profile (settings in .ansible-lint), over the whole repository.
# The collection resolves through build/dev/ansible_collections/msgraph/security -> the repository
# (tests/dev_collection.py), so --offline: nothing is fetched or installed.
# usage: tests/gates/lint.sh GATES_PYTHON TEST_PYTHON
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
BIN="$(cd "$(dirname "$1")" && pwd)"
cd "$ROOT"
COLLECTIONS="$("$2" -c 'from tests.dev_collection import ensure_link; print(ensure_link())')"
env PATH="$BIN:$PATH" ANSIBLE_COLLECTIONS_PATH="$COLLECTIONS" \
    "$BIN/ansible-lint" --nocolor
