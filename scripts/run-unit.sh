#!/usr/bin/env bash
# Runs each cmocka unit-test binary given, from the repository root (the tests look for data there), and
# prints "unit: N passed, M failed, K skipped" (counting test cases). A test that skips a conformance suite
# kept outside the repository prints "skipped suite NAME: why"; those lines are repeated here.
set -uo pipefail
cd "$(dirname "$0")/.."
pass=0; fail=0; skipped=0; bad=()
for t in "$@"; do
  out=$("$t" 2>&1); rc=$?
  name=$(basename "$t")
  printf '%s\n' "$out" | grep -E '^\[  (FAILED|ERROR)|^\[  PASSED|^\[  SKIPPED \] [0-9]|^\[==========\]|skipped suite ' |
    uniq | sed "s|^|$name: |"
  count() { printf '%s\n' "$out" | sed -n "s/^\[  $1 *\] \([0-9]*\) test(s)\..*/\1/p; s/^\[  $1 *\] \([0-9]*\) test(s), .*/\1/p" |
    awk '{s+=$1} END {print s+0}'; }
  p=$(count PASSED); f=$(count FAILED); s=$(count SKIPPED)
  if [ "$rc" -ne 0 ]; then
    [ "$f" -eq 0 ] && f=1
    bad+=("$name"); printf '%s\n' "$out" | tail -n 30
  fi
  pass=$((pass + p)); fail=$((fail + f)); skipped=$((skipped + s))
done
[ "${#bad[@]}" -eq 0 ] || echo "unit: failed: ${bad[*]}"
echo "unit: $pass passed, $fail failed, $skipped skipped"
[ "$fail" -eq 0 ] && [ "${#bad[@]}" -eq 0 ]
