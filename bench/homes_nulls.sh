#!/usr/bin/env bash
# What breaks the false-alarm budget (issue 16, round 9; docs/BENCHMARKS.md "Round 9"): each in-control
# departure of bench/homes_gen_null.mjs alone, with no harmful home (every alarm false) and with 5%, scored
# by bench/homes_score.mjs. One line per area: departure, harmful %, seed, flagged, median delay and p90,
# false alarms per 100 home-years, and the monitor's summary (thresholds, model check).
#   bench/homes_nulls.sh                                  every departure, seed 1, 1,500 homes x 36 months
#   SEEDS="1 2 3" NULLS="none drift tail" SIZE=2 JOBS=1 bench/homes_nulls.sh
#   SAFEGUARD_BIN=/path/to/safeguard bench/homes_nulls.sh   a binary built elsewhere (no make)
#   SEEDS="1 2 3" NULLS="record crisis gaps openclose mislabel batch nbtail phase provider" bench/homes_nulls.sh
#                                                         round 18's departures (docs/BENCHMARKS.md "Round 18")
# Areas are written under ${OUT:-/tmp/homes_nulls} and kept (a second run re-scores them without regenerating);
# each folder names the generators' hash, so a changed generator writes new areas instead of re-scoring stale ones.
# A generator's or the monitor's failure stops that area's line with its own message (stderr), not a partial line.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
if [ -z "${SAFEGUARD_BIN:-}" ]; then
	make --no-print-directory -s all
	SAFEGUARD_BIN=$root/build/safeguard
fi
GEN=$(cat bench/homes_gen_null.mjs bench/homes_draws.mjs | sha1sum | cut -c1-8)
export SAFEGUARD_BIN root OUT=${OUT:-/tmp/homes_nulls} SIZE=${SIZE:-1} HOMES=${HOMES:-1500} GEN
one() {
	set -euo pipefail
	local n=$1 hp=$2 seed=$3
	local d=$OUT/${n}_h${hp}_x${SIZE}_s${seed}_n${HOMES}_g${GEN}
	[ -f "$d/truth.csv" ] || node "$root/bench/homes_gen_null.mjs" --out "$d" --null "$n" --harmful-pct "$hp" \
		--size "$SIZE" --seed "$seed" --homes "$HOMES" >/dev/null
	"$SAFEGUARD_BIN" homes monitor --homes "$d/homes.csv" --occupancy "$d/occupancy.csv" \
		--incidents "$d/incidents.csv" --reg44 "$d/reg44.csv" --out "$d/alerts.csv" 2>"$d/monitor.err"
	local s
	s=$(node "$root/bench/homes_score.mjs" --dir "$d" --alerts "$d/alerts.csv" --json | node -e '
		const s = JSON.parse(require("fs").readFileSync(0))["safeguard homes monitor"];
		const f = (x) => (x == null ? "-" : Number(x.toFixed(2)));
		console.log(s.harmful ? `${s.found}/${s.harmful} ${f(s.flagged_pct)}% delay ${f(s.median_delay_months)} p90 ${f(s.delay_p90_months)}` : "no harmful home",
			`FA ${f(s.false_alarms_per_100_home_years)}`)')
	echo "$n harmful ${hp}% seed $seed: $s | $(tail -1 "$d/monitor.err" | sed 's/.*incidents; //')"
}
export -f one
for seed in ${SEEDS:-1}; do
	for n in ${NULLS:-none ar1 drift occupancy trend adopt tail corr}; do
		for hp in 0 5; do echo "$n $hp $seed"; done
	done
done | xargs -P "${JOBS:-2}" -n 3 bash -c 'one "$@"' _
