#!/usr/bin/env bash
# Namesakes (issue 16): how many planted pairs of children with one given and family name and two birthdays
# `safeguard link dedupe` joins, on style c areas (bench/linkage/gen_c.mjs --namesakes). One line per area
# (precision, recall, twin clusters, namesake pairs joined by kind); exits 1 when an area joins more than MAX
# of its pairs (a floor for changes to the linkage: main joins 0.8-2.2% at 5%, docs/BENCHMARKS.md "Namesakes").
#
#   bench/linkage/namesakes.sh                       seeds 7 and 11, errors x1 and x2, 24,000 children, 5%
#   SEEDS="7" SCALES="1" RATE=0.01 CHILDREN=24000 MAX=0.03 SAFEGUARD_BIN=... bench/linkage/namesakes.sh
# Work files go to a temporary directory, removed at the end.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
if [ -z "${SAFEGUARD_BIN:-}" ]; then
	make --no-print-directory -s all
	SAFEGUARD_BIN=build/safeguard
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/safeguard-namesakes.XXXXXX")
trap 'rm -rf "$work"' EXIT
max=${MAX:-0.03}
fail=0
for seed in ${SEEDS:-7 11}; do
	for scale in ${SCALES:-1 2}; do
		d=$work/s$seed-x$scale
		node bench/linkage/gen_c.mjs --out "$d" --children "${CHILDREN:-24000}" --seed "$seed" --scale "$scale" \
			--namesakes "${RATE:-0.05}" 2>/dev/null
		"$SAFEGUARD_BIN" link dedupe --in "$d/records.csv" --out "$d/clusters.csv" 2>"$d/dedupe.log"
		node bench/linkage/score.mjs --records "$d/records.csv" --truth "$d/truth.csv" --clusters "$d/clusters.csv" \
			--namesakes "$d/namesakes.csv" --json >"$d/score.json"
		line=$(jq -r --arg s "$seed" --arg x "$scale" '.results.clusters as $c |
			"seed \($s) x\($x): P \($c.precision * 10000 | round / 10000) R \($c.recall * 10000 | round / 10000) twins \($c.twin_clusters); namesake pairs joined \($c.namesakes.joined) of \($c.namesakes.pairs) (" +
			([$c.namesakes.by_kind | to_entries[] | "\(.key) \(.value.joined)/\(.value.pairs)"] | join(", ")) + ")"' "$d/score.json")
		echo "$line"
		if jq -e --argjson m "$max" '.results.clusters.namesakes as $n | $n.joined > $m * $n.pairs' "$d/score.json" >/dev/null; then
			echo "  over the floor: more than $max of the pairs joined" >&2
			fail=1
		fi
	done
done
exit $fail
