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
# The files left out because they open SQLite's file themselves, each by decision. A file that opens a database
# and is left out without being named here fails the stage: the choice is made by reading the file's text, and a
# sqlite3 call added to a two-engine test would otherwise drop all its tests from PostgreSQL without a sign
# (r-checkall34 found test_alerts gone so, 21 passes fewer, the table still green).
sqlite_only=(
  test_store  # the SQLite backend's own behaviour (WAL, triggers, the file); the conformance suite is the contract
  test_merge  # merge and unmerge checked row by row in SQLite's file; the conformance suite's merges run here
)
tests=("$build/tests/test_store_conformance")
left=()
for src in $(grep -l 'fixture.h\|store_open' tests/unit/test_*.c | sort); do
  name=$(basename "$src" .c)
  t="$build/tests/$name"
  [ "$t" = "${tests[0]}" ] && continue
  # a file that opens SQLite's file itself runs here only when those tests say fx_sqlite_only()
  if grep -q 'sqlite3' "$src" && ! grep -q 'fx_sqlite_only' "$src"; then
    left+=("$name")
    continue
  fi
  tests+=("$t")
done
for name in "${left[@]}"; do
  if [[ " ${sqlite_only[*]} " != *" $name "* ]]; then
    echo "unit-pg: $name opens SQLite's file (sqlite3) without fx_sqlite_only and is not in scripts/unit-pg.sh's" \
      "sqlite_only list: its tests would not run on PostgreSQL (use the fixture's helpers, or name it there with why)"
    exit 1
  fi
done
echo "unit-pg: on $url: ${tests[*]##*/} (SQLite only, not here: ${left[*]})"
SAFEGUARD_TEST_DB=$url scripts/run-unit.sh "${tests[@]}"
