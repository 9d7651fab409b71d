#!/usr/bin/env bash
# usage: tests/gates/timed.sh NAME COMMAND...   runs COMMAND, then prints how long gate NAME took and how it ended.
name="$1"; shift
start=$(date +%s)
"$@"
rc=$?
if [ $rc -eq 0 ]; then outcome=passed; else outcome="FAILED (exit $rc)"; fi
echo "=== gate ${name}: ${outcome} in $(( $(date +%s) - start ))s"
exit $rc
