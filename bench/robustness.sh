#!/usr/bin/env bash
# The robustness harness of both detection cores (issue 16): each core's half when it exists.
#   bench/robustness.sh          record linkage (bench/robustness_linkage.sh), then homes oversight
#                                (bench/robustness_homes.sh), each with its defaults
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
ran=0
for half in linkage homes; do
	script=bench/robustness_$half.sh
	if [ -x "$script" ]; then
		echo "== $half ($script)"
		"$script"
		echo
		ran=$((ran + 1))
	else
		echo "== $half: $script is not there yet; skipped"
	fi
done
[ "$ran" -gt 0 ]
