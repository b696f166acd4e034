#!/usr/bin/env bash
# make check: unit tests, fuzz smoke runs, end-to-end tests over real HTTP, browser tests in headless
# chromium. Stops at the first failing stage.
set -euo pipefail
build=$1
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
log=$(mktemp); trap 'rm -f "$log"' EXIT
total_pass=0; total_fail=0
stage() { # name, command...
  local name=$1; shift
  echo "== $name"
  if "$@" 2>&1 | tee "$log"; then :; else
    echo "== $name failed"; echo "check: $total_pass passed, $((total_fail + 1)) failed"; exit 1
  fi
  local p f
  p=$(sed -n 's/^\(unit\|fuzz\): \([0-9]*\) passed.*/\2/p; s/^# pass \([0-9]*\)$/\1/p' "$log" | tail -n 1)
  f=$(sed -n 's/^\(unit\|fuzz\): [0-9]* passed, \([0-9]*\) failed.*/\2/p; s/^# fail \([0-9]*\)$/\1/p' "$log" | tail -n 1)
  total_pass=$((total_pass + ${p:-0})); total_fail=$((total_fail + ${f:-0}))
}
san=""; [ "$build" = build/san ] && san="SAN=1"
stage unit make --no-print-directory $san unit
stage fuzz make --no-print-directory fuzz-smoke
stage e2e make --no-print-directory $san e2e
stage browser make --no-print-directory $san browser
echo "check: $total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
