#!/bin/sh
# scripts/browser-pg.sh [FILE...] — the browser tests on PostgreSQL (issue 17 item 5: make check-all runs the
# browser stage on both backends).
#
# Starts a throwaway cluster of its own (scripts/pg-test.sh, state in build/pg-browser.dir so that it never
# meets the e2e stage's cluster), runs the browser files with SAFEGUARD_TEST_DB naming it (each file's demo
# gets a database of its own there, tests/e2e/lib.mjs dbUrl), and stops the cluster however the run ends.
# FILE: names as the Makefile's BROWSER takes them (signin, day_admin, ...); default every tests/browser file.
# Environment as `make browser`: SAFEGUARD_BIN (default build/safeguard), BROWSER_JOBS (default 1),
# NODE_TEST_FLAGS. Exit: the tests' status; 3 when PostgreSQL is not installed (the caller may skip by name).
set -eu
cd "$(dirname "$0")/.."
export PG_TEST_STATE=build/pg-browser.dir
url=$(sh scripts/pg-test.sh start) || exit $?
trap 'sh scripts/pg-test.sh stop' EXIT
trap 'exit 130' INT TERM # exit runs the EXIT trap: the cluster stops
if [ $# -eq 0 ]; then
	set -- $(ls tests/browser/*.test.mjs | sed 's#^tests/browser/##; s#\.test\.mjs$##')
fi
files=
for f in "$@"; do files="$files tests/browser/$f.test.mjs"; done
status=0
# shellcheck disable=SC2086 # the file list and the flags are words
SAFEGUARD_TEST_DB="$url" SAFEGUARD_BIN="${SAFEGUARD_BIN:-$PWD/build/safeguard}" \
	node --test --test-concurrency="${BROWSER_JOBS:-1}" ${NODE_TEST_FLAGS:-} $files || status=$?
exit $status
