#!/usr/bin/env bash
# Robustness of record linkage (issue 16): `safeguard link dedupe` (training on its own input, as shipped)
# on the generators `gen` (style a), `gen --style b` (synth/people2.h, written apart) and, with STYLES
# naming it, style d (bench/linkage/gen_d.mjs, records from agencies' encounters, written apart), at the default
# rates and with every error rate and base rate of each scaled by 0.5 and by 2, one at a time. Prints one
# line per run (precision, recall, F1, clusters holding two children, clusters joining twins, seconds),
# then per generator the worst case and the median over the grid. docs/BENCHMARKS.md records a run.
#
#   bench/robustness_linkage.sh                  about 40k records a run (A_FAMILIES=3650, B_HOUSEHOLDS=4350)
#   A_FAMILIES=7300 B_HOUSEHOLDS=8700 bench/robustness_linkage.sh   about 78k records a run
#   SEED=11 bench/robustness_linkage.sh          another area (default seed 7)
#   STYLES=b FACTORS="swap_names known_as" bench/robustness_linkage.sh   part of the grid
#   STYLES="a b d" D_FAMILIES=7000 bench/robustness_linkage.sh   style d too (default 3500 families, ~40k
#                                                records; 7000 is ~80k; its factors from gen_d.mjs --help)
#   SCALES="0.5 2" (default)                     the multipliers tried besides 1
#   SAFEGUARD_BIN=... THREADS=2                  the binary (default: build it) and dedupe's threads
#   NAMESAKES=0.05                               style b runs plant namesakes (gen --namesakes) and print the
#                                                namesake pairs joined under each line, and the most at the end
# Work files go to a temporary directory, removed at the end.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
if [ -z "${SAFEGUARD_BIN:-}" ]; then
	make --no-print-directory -s all
	SAFEGUARD_BIN=build/safeguard
fi
bin=$SAFEGUARD_BIN
seed=${SEED:-7}
threads=${THREADS:-2}
scales=${SCALES:-0.5 2}
styles=${STYLES:-a b}
work=$(mktemp -d "${TMPDIR:-/tmp}/safeguard-robust.XXXXXX")
trap 'rm -rf "$work"' EXIT

# Factors of each generator, from its own help (so a factor added there is swept here).
factors_of() {
	if [ "$1" = d ]; then
		node bench/linkage/gen_d.mjs --help 2>&1 | sed -n 's/^factors: \(.*\) (errors=.*/\1/p' | tr ' ' '\n' | grep -v '^$'
	elif [ "$1" = b ]; then
		"$bin" gen --help | sed -n '/Factors of style b/,/Factors of style a/p' | grep -o '[a-z_]*=' | tr -d '='
	else
		"$bin" gen --help | sed -n '/Factors of style a/,$p' | tail -n +2 | tr ' ' '\n' | grep -v '^$'
	fi
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-5s %-16s %5s %8s %9s %7s %7s %6s %6s %7s\n' style factor scale records precision recall F1 mixed twins seconds
results=$work/results.tsv
: >"$results"
run() { # style factor scale
	local style=$1 factor=$2 scale=$3 d=$work/run size
	rm -rf "$d"
	if [ "$style" = b ]; then size=${B_HOUSEHOLDS:-4350}; elif [ "$style" = d ]; then size=${D_FAMILIES:-3500}; else size=${A_FAMILIES:-3650}; fi
	local args=(gen --style "$style" --out "$d" --families "$size" --seed "$seed" --today 2025-06-01)
	[ "$factor" = default ] || args+=(--scale "$factor=$scale")
	[ -n "${NAMESAKES:-}" ] && [ "$style" = b ] && args+=(--namesakes "$NAMESAKES")
	if [ "$style" = d ]; then
		node bench/linkage/gen_d.mjs "${args[@]:3}" >/dev/null 2>&1
	else
		"$bin" "${args[@]}" >/dev/null 2>&1
	fi
	local ns=()
	[ -f "$d/namesakes.csv" ] && ns=(--namesakes "$d/namesakes.csv")
	local t0 t1
	t0=$(date +%s.%N)
	"$bin" link dedupe --in "$d/records.csv" --out "$d/clusters.csv" --threads "$threads" 2>"$d/dedupe.log"
	t1=$(date +%s.%N)
	node bench/linkage/score.mjs --records "$d/records.csv" --truth "$d/truth.csv" --clusters "$d/clusters.csv" "${ns[@]}" --json >"$d/score.json"
	jq -r --arg s "$style" --arg f "$factor" --arg x "$scale" --arg t "$(echo "$t1 - $t0" | bc)" \
		'[$s, $f, $x, .records, .results.clusters.precision, .results.clusters.recall, .results.clusters.f1,
		  .results.clusters.mixed_clusters, .results.clusters.twin_clusters, ($t | tonumber)] | @tsv' \
		"$d/score.json" | tee -a "$results" |
		awk -F'\t' '{printf "%-5s %-16s %5s %8d %9.4f %7.4f %7.4f %6d %6d %7.1f\n", $1, $2, $3, $4, $5, $6, $7, $8, $9, $10}'
	if [ ${#ns[@]} -gt 0 ]; then
		jq -r --arg f "$factor" --arg x "$scale" '.results.clusters.namesakes | "\(.joined)\t\(.pairs)\t\($f) x\($x)"' \
			"$d/score.json" | tee -a "$work/namesakes.tsv" | awk -F'\t' '{printf "      namesake pairs joined %d of %d\n", $1, $2}'
	fi
}

for style in $styles; do
	run "$style" default 1
	for f in ${FACTORS:-$(factors_of "$style")}; do
		for x in $scales; do
			run "$style" "$f" "$x"
		done
	done
done

echo
echo "worst case and median over the grid (each generator: the default and every factor x $(echo "$scales" | sed 's/ / and x/g'))"
printf '%-5s %-7s %5s %9s %7s %7s %6s %6s\n' style "" runs precision recall F1 mixed twins
for style in $styles; do
	awk -F'\t' -v s="$style" '$1 == s' "$results" >"$work/s.tsv"
	n=$(wc -l <"$work/s.tsv")
	col() { cut -f"$1" "$work/s.tsv" | sort -g; }
	worst_lo() { col "$1" | head -1; }
	worst_hi() { col "$1" | tail -1; }
	median() { col "$1" | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
	printf '%-5s %-7s %5d %9.4f %7.4f %7.4f %6d %6d\n' "$style" worst "$n" "$(worst_lo 5)" "$(worst_lo 6)" "$(worst_lo 7)" "$(worst_hi 8)" "$(worst_hi 9)"
	printf '%-5s %-7s %5d %9.4f %7.4f %7.4f %6g %6g\n' "$style" median "$n" "$(median 5)" "$(median 6)" "$(median 7)" "$(median 8)" "$(median 9)"
	for c in 5 6 7; do
		name=$(case $c in 5) echo precision ;; 6) echo recall ;; 7) echo F1 ;; esac)
		awk -F'\t' -v c="$c" -v name="$name" 'NR == 1 || $c < min {min = $c; at = $2 " x" $3} END {printf "      lowest %s: %s\n", name, at}' "$work/s.tsv"
	done
done
if [ -s "$work/namesakes.tsv" ]; then
	awk -F'\t' '$2 > 0 && (NR == 1 || $1 / $2 > most) {most = $1 / $2; at = $1 " of " $2 " at " $3}
		END {printf "most namesake pairs joined (style b, --namesakes %s): %s\n", ns, at}' ns="$NAMESAKES" "$work/namesakes.tsv"
fi
