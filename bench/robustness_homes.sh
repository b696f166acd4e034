#!/usr/bin/env bash
# The homes half of the robustness harness (issue 16; docs/BENCHMARKS.md "Robustness"): both simulators,
# every rate x0.5 and x2 one at a time, `safeguard homes monitor` scored on each; a table per perturbation,
# the worst case and the median over the grid. Arguments go to bench/robustness_homes.mjs, e.g.
#   bench/robustness_homes.sh                          1,500 homes x 36 months, seed 1, 2 jobs
#   bench/robustness_homes.sh --seeds 1,2 --jobs 1     two seeds, one at a time
#   SAFEGUARD_BIN=build-x/safeguard bench/robustness_homes.sh   a binary built elsewhere (no make)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
if [ -z "${SAFEGUARD_BIN:-}" ]; then
	make --no-print-directory -s all
	SAFEGUARD_BIN=build/safeguard
fi
exec node bench/robustness_homes.mjs --bin "$SAFEGUARD_BIN" "$@"
