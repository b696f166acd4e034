#!/usr/bin/env bash
# What each refusal rule costs and buys (issue 16; docs/BENCHMARKS.md "Round 17"): `safeguard link dedupe` on
# each set with the default rules, then with each rule taken away (`--refuse -RULE`), scored by score.mjs. One
# line per run: true and false pairs linked, precision, recall, twin clusters, namesake pairs joined (when the
# set has namesakes.csv), and against the default run the true pairs gained, false pairs added, twin clusters
# and namesake pairs added.
#
#   bench/linkage/refusals.sh DIR...            each DIR holds records.csv and truth.csv (namesakes.csv optional)
#   RULES="transposed own_ids" SAFEGUARD_BIN=... bench/linkage/refusals.sh /tmp/link10/c7x2
# RULES defaults to every rule in force by default (`link dedupe --help`). Clusters go to a temporary
# directory, removed at the end.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
if [ -z "${SAFEGUARD_BIN:-}" ]; then
	make --no-print-directory -s build/safeguard
	SAFEGUARD_BIN=build/safeguard
fi
[ $# -gt 0 ] || { echo "usage: bench/linkage/refusals.sh DIR..." >&2; exit 2; }
rules=${RULES:-sex twins given dob names possible_twins ambiguous own_ids weak stray id_asym transposed name_order stray_name birthdays own_name}
work=$(mktemp -d "${TMPDIR:-/tmp}/safeguard-refusals.XXXXXX")
trap 'rm -rf "$work"' EXIT
printf '%-16s %-24s %9s %6s %8s %8s %5s %6s | %7s %5s %4s %4s\n' rule set true false P R twins ns dtrue dfalse dtw dns
for d in "$@"; do
	ns=()
	[ -f "$d/namesakes.csv" ] && ns=(--namesakes "$d/namesakes.csv")
	base=
	for rule in default $rules; do
		refuse=()
		[ "$rule" = default ] || refuse=(--refuse "-$rule")
		"$SAFEGUARD_BIN" link dedupe --in "$d/records.csv" --out "$work/c.csv" "${refuse[@]}" 2>/dev/null
		line=$(node bench/linkage/score.mjs --records "$d/records.csv" --truth "$d/truth.csv" --clusters "$work/c.csv" \
			"${ns[@]}" --json | jq -r '.results.clusters as $c | [$c.true_positive_pairs,
			$c.predicted_pairs - $c.true_positive_pairs, $c.precision, $c.recall, $c.twin_clusters,
			($c.namesakes.joined // 0)] | @tsv')
		[ -n "$base" ] || base=$line
		paste <(echo "$line") <(echo "$base") | awk -F'\t' -v r="$rule" -v s="$d" \
			'{printf "%-16s %-24s %9d %6d %8.5f %8.5f %5d %6d | %+7d %+5d %+4d %+4d\n", r, s, $1, $2, $3, $4, $5, $6,
			  $1 - $7, $2 - $8, $5 - $11, $6 - $12}'
	done
done
