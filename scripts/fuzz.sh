#!/usr/bin/env bash
# Builds each fuzz/fuzz_*.c with libFuzzer (clang) against the library sources and runs it.
#   scripts/fuzz.sh smoke FILES...  bounded run for make check (seconds per target: FUZZ_SECONDS, default 15)
#   scripts/fuzz.sh long FILES...   until stopped (FUZZ_SECONDS, default 600)
# Seeds: fuzz/corpus/NAME/ (committed) and, for JSON targets, ../shared/testdata/JSONTestSuite.
set -euo pipefail
mode=$1; shift
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
secs=${FUZZ_SECONDS:-$([ "$mode" = smoke ] && echo 15 || echo 600)}
pkgs="libmicrohttpd jansson sqlite3 libsodium liboath"
# The embedded files make generated, in the build directory make used (build/ or build/san/ with SAN=1).
lib_src="$(ls src/*/*.c | grep -v '^src/cli/') $(ls "${BUILD:-build}"/gen/*.c)"
mkdir -p build/fuzz
n=0
for src in "$@"; do
  name=$(basename "$src" .c)
  bin=build/fuzz/$name
  if [ ! -x "$bin" ] || [ -n "$(find src fuzz -name '*.[ch]' -newer "$bin" | head -n 1)" ]; then
    clang -std=c11 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
      -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L -Isrc $(pkg-config --cflags $pkgs) \
      -o "$bin" "$src" $lib_src $(pkg-config --libs $pkgs) -lcsv -lm -pthread
  fi
  work=$(mktemp -d)
  seeds=()
  [ -d "fuzz/corpus/$name" ] && seeds+=("fuzz/corpus/$name")
  case "$name" in *json*|*intake*|*chronology*) seeds+=("$root/../shared/testdata/JSONTestSuite/test_parsing") ;; esac
  echo "fuzz: $name for ${secs}s"
  if ! "$bin" -max_total_time="$secs" -max_len=65536 -print_final_stats=0 -artifact_prefix="build/fuzz/$name-" \
        "$work" "${seeds[@]}" >"build/fuzz/$name.log" 2>&1; then
    tail -n 40 "build/fuzz/$name.log"; rm -rf "$work"
    echo "fuzz: $name FAILED (crash input saved under build/fuzz/)"; exit 1
  fi
  rm -rf "$work"; n=$((n + 1))
done
echo "fuzz: $n passed, 0 failed"
