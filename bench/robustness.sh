#!/usr/bin/env bash
# Robustness harness (issue 16): each detection core on both of its generators, with every error rate and
# base rate scaled from x0.5 to x2, one at a time; per core a table per perturbation and the worst case and
# median over the grid (docs/BENCHMARKS.md). Each core's part is a script of its own, run when present:
#   bench/robustness_linkage.sh   record linkage (`link dedupe` on `gen` and `gen --style b`; STYLES="a b d" adds
#                                 bench/linkage/gen_d.mjs)
#   bench/robustness_homes.sh     children's homes oversight
# Options are the parts' own (environment variables; see each script).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
ran=0
for part in linkage homes; do
	if [ -x "$here/robustness_$part.sh" ]; then
		echo "== $part =="
		"$here/robustness_$part.sh"
		ran=1
	fi
done
[ "$ran" = 1 ] || { echo "robustness: no part found in $here" >&2; exit 1; }
