#!/usr/bin/env bash
# The rules' benchmark: one incoming event's evaluation and the daily sweep, on a synthetic area loaded
# through the real intake path (docs/BENCHMARKS.md "Rules and the sweep").
#   bench/rules.sh                 about 100,000 children (33,000 families; the load takes minutes)
#   FAMILIES=3000 bench/rules.sh   a quick look
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
make --no-print-directory -s all build/bench/rules_bench
work=$(mktemp -d "${TMPDIR:-/tmp}/safeguard-rules.XXXXXX")
trap 'rm -rf "$work"' EXIT
families=${FAMILIES:-33000}
start=$(date +%s)
build/safeguard demo --db "sqlite:$work/area.db" --families "$families" --no-serve
echo "loaded $families families through intake in $(( $(date +%s) - start )) s"
build/bench/rules_bench "sqlite:$work/area.db" "${CHILDREN:-2000}"
