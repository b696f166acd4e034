#!/usr/bin/env bash
# Runs each cmocka unit-test binary given; prints "unit: N passed, M failed" (counting test cases).
set -uo pipefail
pass=0; fail=0; bad=()
for t in "$@"; do
  out=$("$t" 2>&1); rc=$?
  printf '%s\n' "$out" | grep -E '^\[  (FAILED|ERROR)|^\[  PASSED|^\[==========\]' | sed "s|^|$(basename "$t"): |"
  p=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | awk '{s+=$1} END {print s+0}')
  f=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | awk '{s+=$1} END {print s+0}')
  if [ "$rc" -ne 0 ]; then
    [ "$f" -eq 0 ] && f=1
    bad+=("$(basename "$t")"); printf '%s\n' "$out" | tail -n 30
  fi
  pass=$((pass + p)); fail=$((fail + f))
done
echo "unit: $pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "${#bad[@]}" -eq 0 ]
