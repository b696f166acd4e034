#!/usr/bin/env bash
# What writing intake's records set-wise (several records a statement) would save PostgreSQL, in instructions
# (callgrind's Ir, which the shared machine's load does not move): the record's statement as intake runs it
# (bench/pg_setwise.py 1) against the same 16 records a transaction written K to a statement, every foreign
# key, index, CHECK and ON CONFLICT kept. The cluster's postmaster runs under valgrind as in
# bench/intake_instr_pg.sh (autovacuum off, sequential scans costed out: the plans an analysed area gets); the
# schema is BIN's (`BIN migrate`), with 20,000 persons; each K runs as one pgbench client (-M prepared: named
# prepared statements, Bind and Execute as libpq's pipeline sends them), twice (T1 and T2 transactions), and
# the steady state a record is (Ir at T2 - Ir at T1) / ((T2 - T1) x 16): the first executions' custom plans
# and the connection's start cancel out.
#   bench/pg_setwise_instr.sh BIN                 K = 1 4 8 16, T1 = 40, T2 = 120
#   KS="1 16" T1=40 T2=120 bench/pg_setwise_instr.sh BIN
#   BENCH_PG_SQL="ALTER TABLE ..." bench/pg_setwise_instr.sh BIN     SQL run on the migrated database first
# The runs share one cluster, in the order of KS: later ones find larger tables (a few per cent dearer).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:?usage: bench/pg_setwise_instr.sh BIN}
ks=${KS:-1 4 8 16} t1=${T1:-40} t2=${T2:-120}
command -v valgrind >/dev/null || { echo "pg_setwise_instr.sh: needs valgrind" >&2; exit 2; }
PGBIN=${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
as_owner() { if [ "$(id -u)" = 0 ]; then runuser -u safeguard-test -- "$@"; else "$@"; fi; }
if [ "$(id -u)" = 0 ] && ! id safeguard-test >/dev/null 2>&1; then
  useradd --system --no-create-home --shell /usr/sbin/nologin safeguard-test
fi
d=$(mktemp -d "${TMPDIR:-/tmp}/safeguard-setwise.XXXXXX")
pgpid=""
cleanup() {
  [ -n "$pgpid" ] && as_owner "$PGBIN/pg_ctl" -D "$d/data" -m immediate -w -t 120 stop >/dev/null 2>&1
  rm -rf "$d"
}
trap cleanup EXIT
[ "$(id -u)" = 0 ] && chown safeguard-test "$d"
chmod 711 "$d"
as_owner "$PGBIN/initdb" -D "$d/data" -U safeguard --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$d/initdb.log" 2>&1
mkdir -p "$d/cg"
[ "$(id -u)" = 0 ] && chown safeguard-test "$d/cg"
as_owner valgrind --tool=callgrind --trace-children=yes --callgrind-out-file="$d/cg/cg.%p" "$PGBIN/postgres" \
  -D "$d/data" -c listen_addresses= -c unix_socket_directories="$d" -c fsync=on -c synchronous_commit=on \
  ${BENCH_PG_OPTS--c autovacuum=off -c enable_seqscan=off} >"$d/pg.log" 2>&1 &
pgpid=$!
for _ in $(seq 1 600); do "$PGBIN/pg_isready" -q -h "$d" && break; sleep 0.5; done
as_owner "$PGBIN/createdb" -h "$d" -U safeguard safeguard
db="postgresql:///safeguard?host=$d&user=safeguard"
export SAFEGUARD_DATA_DIR=$d/sg
mkdir -m 700 -p "$SAFEGUARD_DATA_DIR"
"$bin" migrate --db "$db" >/dev/null
psql -qAt "$db" -c "INSERT INTO agency(code, name) VALUES ('police', 'Police') ON CONFLICT DO NOTHING" \
  -c "INSERT INTO person(id, created_at) SELECT g, '2026-01-01T00:00:00Z' FROM generate_series(1, 20000) g" \
  -c "SELECT setval(pg_get_serial_sequence('person', 'id'), 20000)" -c "ANALYZE" >/dev/null
[ -n "${BENCH_PG_SQL:-}" ] && psql -qAt "$db" -c "$BENCH_PG_SQL" >/dev/null
# Each process's callgrind file is written when it exits, a while later under valgrind: settled() waits until
# no new file has come for 3 s (so that the setup's backends are in before a run), and a run's backend is the
# busiest of the files that came with it (the only other would be a late one of the setup's, far smaller).
settled() {
  local n=-1 same=0
  for _ in $(seq 1 600); do
    local m
    m=$(ls "$d/cg" | wc -l)
    if [ "$m" = "$n" ]; then same=$((same + 1)); else same=0 n=$m; fi
    [ "$same" -ge 6 ] && return 0
    sleep 0.5
  done
}
run() { # K T -> the backend's Ir
  local before f ir best=0
  settled
  before=$(ls "$d/cg")
  "$PGBIN/pgbench" -n -M prepared -c 1 -t "$2" -f "$d/set$1.sql" -h "$d" -U safeguard safeguard >"$d/pgbench.out" 2>&1 ||
    { cat "$d/pgbench.out" >&2; exit 1; }
  grep -q "actually processed: $2/$2" "$d/pgbench.out" || { cat "$d/pgbench.out" >&2; exit 1; }
  for _ in $(seq 1 240); do
    [ -n "$(comm -13 <(echo "$before") <(ls "$d/cg"))" ] && break
    sleep 0.5
  done
  settled
  for f in $(comm -13 <(echo "$before") <(ls "$d/cg")); do
    for _ in $(seq 1 240); do grep -q '^totals:' "$d/cg/$f" && break; sleep 0.5; done
    ir=$(awk '/^totals:/ { print $2 }' "$d/cg/$f")
    [ "${ir:-0}" -gt "$best" ] && best=$ir
  done
  echo "$best"
}
printf '%-4s %14s %14s %16s\n' K "Ir at T1=$t1" "Ir at T2=$t2" "Ir a record"
for k in $ks; do
  python3 "$root/bench/pg_setwise.py" "$k" >"$d/set$k.sql"
  a=$(run "$k" "$t1")
  b=$(run "$k" "$t2")
  printf '%-4s %14s %14s %16s\n' "$k" "$a" "$b" $(((b - a) / ((t2 - t1) * 16)))
done
psql -qAt "$db" -c "SELECT 'rows: ' || (SELECT count(*) FROM event) || ' events, ' || (SELECT count(*) FROM household) || \
  ' households, ' || (SELECT count(*) FROM household_member) || ' members, ' || (SELECT count(*) FROM person_block_key) || ' keys'"
