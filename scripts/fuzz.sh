#!/usr/bin/env bash
# Runs libFuzzer targets built by make (build/fuzz/fuzz_*; see the Makefile's fuzz section).
#   scripts/fuzz.sh smoke BIN...  a bounded run each, for make check and make test (FUZZ_SECONDS, default 15)
#   scripts/fuzz.sh long BIN...   longer runs (FUZZ_SECONDS, default 600)
# Seeds: fuzz/corpus/NAME/ (committed) and, for the JSON targets, JSONTestSuite from $SHARED/testdata
# (SHARED defaults to ../shared beside the repository; where it is absent the targets run on the committed
# seeds alone and the run says "skipped suite JSONTestSuite"). Every target runs even when one fails; a
# crashing input is saved as build/fuzz/NAME-crash-*. Prints "fuzz: N passed, M failed".
set -uo pipefail
mode=$1; shift
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
secs=${FUZZ_SECONDS:-$([ "$mode" = smoke ] && echo 15 || echo 600)}
json_suite=${SHARED:-$root/../shared}/testdata/JSONTestSuite/test_parsing
pass=0; failed=()
for bin in "$@"; do
  name=$(basename "$bin")
  work=$(mktemp -d)
  seeds=()
  [ -d "fuzz/corpus/$name" ] && seeds+=("fuzz/corpus/$name")
  case "$name" in *json*|*intake*|*chronology*|*models*)
    if [ -d "$json_suite" ]; then seeds+=("$json_suite")
    else echo "fuzz: $name: skipped suite JSONTestSuite: $json_suite not found (seeds from fuzz/corpus only)"; fi ;;
  esac
  echo "fuzz: $name for ${secs}s"
  if "$bin" -max_total_time="$secs" -max_len=65536 -print_final_stats=0 -artifact_prefix="build/fuzz/$name-" \
       "$work" "${seeds[@]}" >"build/fuzz/$name.log" 2>&1; then
    pass=$((pass + 1))
  else
    tail -n 40 "build/fuzz/$name.log"
    echo "fuzz: $name FAILED (log build/fuzz/$name.log, crash input saved under build/fuzz/)"
    failed+=("$name")
  fi
  rm -rf "$work"
done
echo "fuzz: $pass passed, ${#failed[@]} failed"
[ "${#failed[@]}" -eq 0 ]
