#!/usr/bin/env bash
# Record linkage benchmark (issue 7): generates 100k and 1M records with `safeguard gen`, deduplicates each
# under /usr/bin/time -v, and prints wall time, peak memory, the dedupe's own figures (pairs scored per
# second per core, seconds by stage) and the accuracy of it and of the two baselines (bench/linkage/score.mjs).
#
#   bench/linkage/run.sh [SIZES...]     sizes in families: default "9300 93450" (99,523 and 1,002,323 records)
#   SEED=11 bench/linkage/run.sh        another synthetic area (default seed 7)
#   STYLE=b bench/linkage/run.sh 8700 112000
#                                       the second generator (`gen --style b`, sizes in households:
#                                       about 78k and 1M records), default sizes 8700 112000
#   STYLE=c bench/linkage/run.sh 24000  the third generator (bench/linkage/gen_c.mjs, sizes in children:
#                                       24000 is about 79k records), default size 24000
# Work files go to build/bench/linkage/ (BENCH_DIR to change). Same seed, same records on every machine.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
bin=${SAFEGUARD_BIN:-$root/build/safeguard}
dir=${BENCH_DIR:-$root/build/bench/linkage}
style=${STYLE:-a}
if [ "$style" = b ]; then sizes=${*:-8700 112000}; elif [ "$style" = c ]; then sizes=${*:-24000}; else sizes=${*:-9300 93450}; fi
seed=${SEED:-7}
mkdir -p "$dir"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load $(cut -d' ' -f1-3 /proc/loadavg)"
for fam in $sizes; do
  d=$dir/$style-s$seed-f$fam
  if [ "$style" = c ]; then
    [ -s "$d/records.csv" ] || node "$root/bench/linkage/gen_c.mjs" --out "$d" --children "$fam" --seed "$seed" 2>/dev/null
  else
    [ -s "$d/records.csv" ] || "$bin" gen --style "$style" --out "$d" --families "$fam" --seed "$seed" --today 2025-06-01 >/dev/null 2>&1
  fi
  n=$(($(wc -l < "$d/records.csv") - 1))
  echo "== $n records ($fam $([ "$style" = c ] && echo children || echo families), style $style, seed $seed) =="
  /usr/bin/time -v "$bin" link dedupe --in "$d/records.csv" --out "$d/clusters.csv" 2> "$d/dedupe.log"
  grep '^safeguard link' "$d/dedupe.log"
  awk -F': ' '/Elapsed \(wall clock\)/ {print "wall time: " $2} /Maximum resident set size/ {printf "peak RSS: %.0f MiB\n", $2 / 1024}' "$d/dedupe.log"
  node "$root/bench/linkage/score.mjs" --records "$d/records.csv" --truth "$d/truth.csv" --clusters "$d/clusters.csv"
done
