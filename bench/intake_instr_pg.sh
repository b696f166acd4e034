#!/usr/bin/env bash
# PostgreSQL's instructions per intake event (callgrind's Ir), for comparing two builds or two schemas without
# the shared machine's noise: the cluster's postmaster runs under valgrind --tool=callgrind (its backends are
# forked, so followed), the first RECORDS records of the synthetic area (seed 7) go in through build/bench/loadgen
# as bench/intake_cpu_pg.sh sends them, and each process's count is written when it exits. The writer's backend
# (the busiest process) is the figure to compare; the other backends (migrations, tokens) and the cluster's
# helpers are printed in the total. Callgrind runs a backend ~50x slower, so keep RECORDS small (600: ~1.5 min).
#   bench/intake_instr_pg.sh BIN                       e.g. main's binary, then this branch's
#   RECORDS=600 CLIENTS=32 bench/intake_instr_pg.sh BIN
#   BENCH_PG_SQL="ALTER TABLE ..." bench/intake_instr_pg.sh BIN   SQL run on the migrated database first
#   BENCH_CG_KEEP=DIR bench/intake_instr_pg.sh BIN     the callgrind files kept (callgrind_annotate --inclusive=yes)
# Compare runs made one at a time (a run beside another valgrind run batched differently), and read the jobs a
# commit printed beside each: the batch's own statements are a share of the total.
# Needs valgrind and PostgreSQL's server binaries; as root the cluster runs as safeguard-test (scripts/pg-test.sh).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bin=${1:?usage: bench/intake_instr_pg.sh BIN}
records=${RECORDS:-600}
loadgen=$root/build/bench/loadgen
[ -x "$loadgen" ] || { echo "intake_instr_pg.sh: build $loadgen first (make build/bench/loadgen)" >&2; exit 1; }
command -v valgrind >/dev/null || { echo "intake_instr_pg.sh: needs valgrind" >&2; exit 2; }
PGBIN=${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
as_owner() { if [ "$(id -u)" = 0 ]; then runuser -u safeguard-test -- "$@"; else "$@"; fi; }
if [ "$(id -u)" = 0 ] && ! id safeguard-test >/dev/null 2>&1; then
  useradd --system --no-create-home --shell /usr/sbin/nologin safeguard-test
fi
d=$(mktemp -d "${TMPDIR:-/tmp}/safeguard-instr-pg.XXXXXX")
pid="" pgpid=""
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  [ -n "$pgpid" ] && as_owner "$PGBIN/pg_ctl" -D "$d/data" -m immediate -w -t 120 stop >/dev/null 2>&1
  rm -rf "$d"
}
trap cleanup EXIT
[ "$(id -u)" = 0 ] && chown safeguard-test "$d"
chmod 711 "$d"
as_owner "$PGBIN/initdb" -D "$d/data" -U safeguard --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$d/initdb.log" 2>&1
mkdir -p "$d/cg"
[ "$(id -u)" = 0 ] && chown safeguard-test "$d/cg"
# the settings of scripts/pg-test.sh, and two more (BENCH_PG_OPTS replaces them): under valgrind autovacuum's
# ANALYZE comes whenever its worker gets through, and until it does a foreign key's check, planned while the
# table was a page or two, reads person or source_record whole (a sequential scan a check: main's writer
# 2.23 and 2.79 M instructions an event in two runs of 1,800 records). Without autovacuum, and with sequential
# scans costed out, every plan is the index look-up an analysed area gets, the same in every run.
as_owner valgrind --tool=callgrind --trace-children=yes --callgrind-out-file="$d/cg/cg.%p" "$PGBIN/postgres" \
  -D "$d/data" -c listen_addresses= -c unix_socket_directories="$d" -c fsync=on -c synchronous_commit=on \
  -c max_connections=200 ${BENCH_PG_OPTS--c autovacuum=off -c enable_seqscan=off} >"$d/pg.log" 2>&1 &
pgpid=$!
for _ in $(seq 1 600); do "$PGBIN/pg_isready" -q -h "$d" && break; sleep 0.5; done
as_owner "$PGBIN/createdb" -h "$d" -U safeguard safeguard
db="postgresql:///safeguard?host=$d&user=safeguard"
export SAFEGUARD_DATA_DIR=$d/sg
mkdir -m 700 -p "$SAFEGUARD_DATA_DIR"
"$bin" migrate --db "$db" >/dev/null
[ -n "${BENCH_PG_SQL:-}" ] && psql -qAt "$db" -c "$BENCH_PG_SQL" >/dev/null
for agency in police health education social_care housing; do
  export "SAFEGUARD_TOKEN_${agency^^}=$("$bin" token create --db "$db" --agency "$agency" --scope events:write | tail -n 1)"
done
"$bin" gen --out "$d/area" --families $((records / 8 + 1000)) --seed 7 --today 2026-11-24 2>/dev/null
head -n "$records" "$d/area/events.jsonl" >"$d/events.jsonl"
export SAFEGUARD_EVENTS=$d/events.jsonl
"$bin" serve --db "$db" --listen 127.0.0.1:0 >"$d/serve.out" 2>"$d/serve.err" &
pid=$!
for _ in $(seq 1 300); do grep -q listening "$d/serve.out" 2>/dev/null && break; sleep 0.2; done
url=$(sed -n 's/^listening on //p' "$d/serve.out")
[ -n "$url" ] || { cat "$d/serve.err"; exit 1; }
e0=$(psql -qAt "$db" -c 'select count(*) from event')
wal0=$(psql -qAt "$db" -c 'select pg_current_wal_lsn()')
line=$("$loadgen" "$url" | grep '^RESULT')
e=$(($(psql -qAt "$db" -c 'select count(*) from event') - e0))
walb=$(psql -qAt "$db" -c "select pg_wal_lsn_diff(pg_current_wal_lsn(), '$wal0')")
metrics=$(curl -s "$url/metrics")
m() { sed -n "s/^$1 //p" <<<"$metrics"; }
jobs=$(m safeguard_txq_jobs_total) commits=$(m safeguard_txq_commits_total)
kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
# the writer's backend has exited with the server's connections (its file written); the rest need not wait
# for a shutdown checkpoint under valgrind
as_owner "$PGBIN/pg_ctl" -D "$d/data" -m immediate -w -t 120 stop >/dev/null || true
wait "$pgpid" 2>/dev/null || true; pgpid=""
[ -n "${BENCH_CG_KEEP:-}" ] && { mkdir -p "$BENCH_CG_KEEP"; cp "$d"/cg/cg.* "$BENCH_CG_KEEP"/; }
for f in "$d"/cg/cg.*; do awk '/^totals:/ { print $2 }' "$f"; done | sort -n |
  awk -v e="$e" -v w="$walb" -v j="$jobs" -v c="$commits" -v line="$line" '{ t += $1; max = $1 } END {
  split(line, f, /[ =]/); for (i = 2; i < length(f); i += 2) r[f[i]] = f[i + 1]
  printf "%d events (%d not 2xx), %.1f jobs a commit: writer backend %.0f instructions/event (%.1f M in all), all processes %.0f/event; WAL %.0f bytes/event\n",
    e, r["errors_status"], j / c, max / e, max / 1e6, t / e, w / e }'
