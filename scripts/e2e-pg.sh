#!/usr/bin/env bash
# scripts/e2e-pg.sh BUILD FILE... — the end-to-end files on PostgreSQL: a throwaway cluster
# (scripts/pg-test.sh) started here and stopped afterwards whatever happens (trap), every file run with
# SAFEGUARD_TEST_DB naming it (tests/e2e/lib.mjs gives each test area a database of its own there).
# NODE_TEST_FLAGS goes to node --test. Exits with node's status.
# Without PostgreSQL installed: says so by name ("skipped suite postgresql") and passes, as unit-pg does.
set -uo pipefail
build=${1:-build}; shift
cd "$(dirname "$0")/.."
if [ $# -eq 0 ]; then echo "e2e-pg: no files chosen"; exit 0; fi
state=$(mktemp -u /tmp/sg-pg-state.XXXXXX)
url=$(PG_TEST_STATE=$state scripts/pg-test.sh start); rc=$?
if [ $rc -ne 0 ]; then
  if [ $rc -eq 3 ] || ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    echo "skipped suite postgresql: initdb not found (scripts/setup.sh installs postgresql-15)"
    echo "e2e-pg: 0 passed, 0 failed, 0 skipped"
    exit 0
  fi
  echo "e2e-pg: the throwaway cluster did not start"; exit 1
fi
trap 'PG_TEST_STATE=$state scripts/pg-test.sh stop' EXIT
trap 'exit 130' INT TERM
echo "e2e-pg: on $url: $*"
# shellcheck disable=SC2086 # NODE_TEST_FLAGS holds several words
SAFEGUARD_TEST_DB=$url SAFEGUARD_BIN=$PWD/$build/safeguard node --test --test-concurrency=1 \
  ${NODE_TEST_FLAGS:-} "$@"
