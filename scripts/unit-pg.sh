#!/usr/bin/env bash
# scripts/unit-pg.sh BUILD — the unit tests that speak only store.h, on a throwaway PostgreSQL cluster
# (scripts/pg-test.sh), started here and stopped afterwards whatever happens. Which tests: those that open a
# database (fixture.h or store_open) and do not reach into SQLite's file themselves (no sqlite3 call, or
# only in tests marked fx_sqlite_only, which skip here): the
# store conformance suite first, then the services' tests. Prints run-unit.sh's "unit: N passed, ..." line.
# Without PostgreSQL installed: says so by name ("skipped suite postgresql") and passes.
set -uo pipefail
build=${1:-build}
cd "$(dirname "$0")/.."
state=$(mktemp -u /tmp/sg-pg-state.XXXXXX)
if ! url=$(PG_TEST_STATE=$state scripts/pg-test.sh start); then
  if [ $? -eq 3 ] || ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    echo "skipped suite postgresql: initdb not found (scripts/setup.sh installs postgresql-15)"
    echo "unit: 0 passed, 0 failed, 0 skipped"
    exit 0
  fi
  echo "unit-pg: the throwaway cluster did not start"; exit 1
fi
trap 'PG_TEST_STATE=$state scripts/pg-test.sh stop' EXIT INT TERM
tests=("$build/tests/test_store_conformance")
for src in $(grep -l 'fixture.h\|store_open' tests/unit/test_*.c | sort); do
  # a file that opens SQLite's file itself runs here only when those tests say fx_sqlite_only()
  grep -q 'sqlite3' "$src" && ! grep -q 'fx_sqlite_only' "$src" && continue
  t="$build/tests/$(basename "$src" .c)"
  [ "$t" = "${tests[0]}" ] || tests+=("$t")
done
echo "unit-pg: on $url: ${tests[*]##*/}"
SAFEGUARD_TEST_DB=$url scripts/run-unit.sh "${tests[@]}"
