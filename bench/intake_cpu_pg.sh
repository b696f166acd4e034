#!/usr/bin/env bash
# PostgreSQL's CPU per intake event, for comparing two builds on a shared machine: a fixed amount of work (the
# first RECORDS records of the synthetic area, seed 7, 32 clients through build/bench/loadgen or
# bench/intake_fixed.mjs, every answer a durable commit) into a fresh throwaway cluster (scripts/pg-test.sh), and the CPU (user + system, /proc) of the
# cluster's processes and of the server divided by the events stored, with the writer's statements and round
# trips a job (GET /metrics) and the WAL written an event (pg_current_wal_lsn's advance over the run). Rate and
# p99 are printed too, with the load average beside them.
#   bench/intake_cpu_pg.sh                          the build in build/
#   BENCH_BIN=/tmp/other RECORDS=6000 bench/intake_cpu_pg.sh
#   BENCH_LOADGEN=node bench/intake_cpu_pg.sh       node's generator instead of the C one (see below)
#   BENCH_PG_STATEMENTS=FILE bench/intake_cpu_pg.sh  also pg_stat_statements' calls and time per statement, to FILE
#   BENCH_PG_SQL="ALTER TABLE ..." bench/intake_cpu_pg.sh  SQL run on the migrated database first (an experiment)
#   BENCH_AREA=30000 bench/intake_cpu_pg.sh  intake on top of an area of that many children (safeguard area-load,
#                                           seed 1, 20 events each) loaded first (docs/BENCHMARKS.md "Scale: intake
#                                           as the area grows")
#   BENCH_AUDIT_VERIFY=1 bench/intake_cpu_pg.sh  also safeguard audit verify on the run's database at the end
#   BENCH_PERF=FILE bench/intake_cpu_pg.sh  also perf record (--call-graph dwarf) of the cluster's processes during
#                                           the run, to FILE (perf report -i FILE --no-children --sort sym)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bin=${BENCH_BIN:-$root/build/safeguard}
records=${RECORDS:-6000}
# The load generator: BENCH_LOADGEN=c (build/bench/loadgen, the default once built: ~15 us of CPU an event)
# or node (bench/intake_fixed.mjs, 130-200 us an event); both send the same requests (docs/BENCHMARKS.md "Intake
# with a load generator in C"). Its CPU is taken from the two cores the server runs on, so it is printed.
loadgen_bin=${BENCH_LOADGEN_BIN:-$root/build/bench/loadgen}
loadgen_kind=${BENCH_LOADGEN:-}
[ -n "$loadgen_kind" ] || { [ -x "$loadgen_bin" ] && loadgen_kind=c || loadgen_kind=node; }
case $loadgen_kind in
  c) [ -x "$loadgen_bin" ] || { echo "intake_cpu_pg.sh: BENCH_LOADGEN=c but $loadgen_bin is not built (make build/bench/loadgen)" >&2; exit 1; }
     loadgen=("$loadgen_bin") loadgen_kind="c, ${loadgen_bin##*/}" ;;
  node) loadgen=(node bench/intake_fixed.mjs) ;;
  *) echo "intake_cpu_pg.sh: BENCH_LOADGEN must be c or node, not '$loadgen_kind'" >&2; exit 1 ;;
esac
work=$(mktemp -d "${TMPDIR:-/tmp}/safeguard-intake-pg.XXXXXX")
pid="" perfpid=""
export PG_TEST_STATE=$work/pg-state
cleanup() {
  [ -n "$perfpid" ] && kill -INT "$perfpid" 2>/dev/null && wait "$perfpid" 2>/dev/null
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  [ -n "${BENCH_SERVE_ERR:-}" ] && cp "$work/serve.err" "$BENCH_SERVE_ERR" 2>/dev/null # e.g. SAFEGUARD_PG_RT_TRACE's lines
  scripts/pg-test.sh stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
[ -n "${BENCH_PG_STATEMENTS:-}" ] && export PG_TEST_OPTS="${PG_TEST_OPTS:-} -c shared_preload_libraries=pg_stat_statements"
db=$(scripts/pg-test.sh start)
export SAFEGUARD_DATA_DIR=$work/data
mkdir -m 700 -p "$SAFEGUARD_DATA_DIR"
"$bin" migrate --db "$db" >/dev/null
[ -n "${BENCH_PG_SQL:-}" ] && psql -qAt "$db" -c "$BENCH_PG_SQL" >/dev/null
# its stderr kept: a failed load says why
[ -n "${BENCH_AREA:-}" ] && "$bin" area-load --db "$db" --children "$BENCH_AREA" --seed 1 >/dev/null
for agency in police health education social_care housing; do
  export "SAFEGUARD_TOKEN_${agency^^}=$("$bin" token create --db "$db" --agency "$agency" --scope events:write | tail -n 1)"
done
"$bin" gen --out "$work/area" --families $((records / 8 + 1000)) --seed 7 --today 2026-11-24 2>/dev/null
head -n "$records" "$work/area/events.jsonl" >"$work/events.jsonl"
export SAFEGUARD_EVENTS=$work/events.jsonl
"$bin" serve --db "$db" --listen 127.0.0.1:0 >"$work/serve.out" 2>"$work/serve.err" &
pid=$!
for _ in $(seq 1 100); do grep -q listening "$work/serve.out" 2>/dev/null && break; sleep 0.1; done
url=$(sed -n 's/^listening on //p' "$work/serve.out")
[ -n "$url" ] || { cat "$work/serve.err"; exit 1; }
if [ -n "${BENCH_PG_STATEMENTS:-}" ]; then
  psql -qAt "$db" -c "create extension if not exists pg_stat_statements" -c "select pg_stat_statements_reset()" >/dev/null
fi
pgdir=$(sed -n 's/.*host=\([^&]*\).*/\1/p' <<<"$db")
pm=$(head -n 1 "$pgdir/data/postmaster.pid")
# The cluster's CPU: the postmaster with its reaped children's, and every live child's (a backend that exits
# during the run is in the postmaster's cumulative figures, columns 16 and 17).
pg_ticks() {
  { cat /proc/[0-9]*/stat 2>/dev/null || true; } | awk -v pm="$pm" '$1 == pm { t += $14 + $15 + $16 + $17 } $4 == pm { t += $14 + $15 } END { print t + 0 }'
}
ticks() { awk '{ print $14 + $15 }' "/proc/$pid/stat"; }
# each live backend's CPU ticks ("pid ticks" lines): the busiest over the run is the writer's (one connection
# runs every batch), whose busy share of the run says how much of the time the backend was executing
backend_ticks() { { cat /proc/[0-9]*/stat 2>/dev/null || true; } | awk -v pm="$pm" '$4 == pm { print $1, $14 + $15 }'; }
if [ -n "${BENCH_PERF:-}" ]; then
  # the postmaster and its children now; a backend forked later is followed (perf's inherit)
  pgpids=$(awk -v pm="$pm" '$1 == pm || $4 == pm { print $1 }' /proc/[0-9]*/stat 2>/dev/null | paste -sd,)
  perf record -q --call-graph dwarf,16384 -F 997 -o "$BENCH_PERF" -p "$pgpids" &
  perfpid=$!
  sleep 1 # perf attaches (a profile's start, not a wait the figures depend on)
  kill -0 "$perfpid" 2>/dev/null || { echo "intake_cpu_pg.sh: perf record did not start (see its message above)" >&2; exit 1; }
  echo "intake_cpu_pg.sh: perf is recording: the CPU figures of this run include its cost" >&2
fi
events0=$(psql -qAt "$db" -c 'select count(*) from event')
wal0=$(psql -qAt "$db" -c 'select pg_current_wal_lsn()') # WAL bytes an event: the LSN's advance over the run
load=$(cut -d' ' -f1-3 /proc/loadavg)
cpu_now() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8, $5 + $6 }' /proc/stat; }
read -r mbusy0 midle0 <<<"$(cpu_now)"
s0=$(ticks) p0=$(pg_ticks) b0=$(backend_ticks)
line=$(/usr/bin/time -f 'loadgen %U %S' -o "$work/loadgen.time" "${loadgen[@]}" "$url" | grep '^RESULT')
s1=$(ticks) p1=$(pg_ticks) b1=$(backend_ticks)
wb=$(awk 'NR == FNR { t0[$1] = $2; next } ($1 in t0) && $2 - t0[$1] > m { m = $2 - t0[$1] } END { print m + 0 }' \
  <(echo "$b0") <(echo "$b1"))
read -r mbusy1 midle1 <<<"$(cpu_now)"
if [ -n "$perfpid" ]; then kill -INT "$perfpid" || true; wait "$perfpid" || true; perfpid=""; fi
events=$(($(psql -qAt "$db" -c 'select count(*) from event') - events0))
walb=$(psql -qAt "$db" -c "select pg_wal_lsn_diff(pg_current_wal_lsn(), '$wal0')")
metrics=$(curl -s "$url/metrics")
m() { sed -n "s/^$1 //p" <<<"$metrics"; }
awk -v j="$(m safeguard_txq_jobs_total)" -v c="$(m safeguard_txq_commits_total)" -v s="$(m safeguard_txq_db_statements_total)" \
  -v r="$(m safeguard_txq_db_round_trips_total)" -v lr="$(m safeguard_link_records_total)" -v lc="$(m safeguard_link_candidates_total)" \
  'BEGIN { printf "%.1f jobs per commit, %.1f statements and %.1f round trips per job, %.1f candidates scored per record searched; ", j / c, s / j, r / j, (lr > 0 ? lc / lr : 0) }'
# the writer thread per batch (GET /metrics): its CPU, the COMMIT's wait, the rest of its busy time (round-trip
# waits, or waiting for a core), and the time it had no batch to run (idle: waiting for the next requests)
awk -v b="$(m safeguard_txq_commits_total)" -v cpu="$(m safeguard_txq_cpu_seconds_total)" -v busy="$(m safeguard_txq_busy_seconds_total)" \
  -v cm="$(m safeguard_txq_commit_seconds_total)" -v line="$line" 'BEGIN {
  split(line, f, /[ =]/); for (i = 2; i < length(f); i += 2) r[f[i]] = f[i + 1]; w = r["duration_us"] / 1e6
  if (b > 0) printf "writer a batch: CPU %.2f ms, COMMIT %.2f ms, other waits %.2f ms, idle %.2f ms; ",
    cpu / b * 1e3, cm / b * 1e3, (busy - cpu - cm) / b * 1e3, (w > busy ? (w - busy) / b * 1e3 : 0) }'
# the writer's backend (the busiest backend) a batch and its busy share of the run: with the writer thread's
# CPU share, how much of the time each side ran (their sum above 100% is the two overlapping)
awk -v b="$(m safeguard_txq_commits_total)" -v wb="$wb" -v hz="$(getconf CLK_TCK)" -v cpu="$(m safeguard_txq_cpu_seconds_total)" \
  -v line="$line" 'BEGIN { split(line, f, /[ =]/); for (i = 2; i < length(f); i += 2) r[f[i]] = f[i + 1]; w = r["duration_us"] / 1e6
  if (b > 0 && w > 0) printf "writer backend a batch %.2f ms, busy %.0f%% of the run, writer thread %.0f%%; ",
    wb / hz / b * 1e3, 100 * wb / hz / w, 100 * cpu / w }'
# the machine's busy share over the run (/proc/stat) and the load generator's CPU (the C one reports its own,
# getrusage; time(1) for node)
awk -v b0="$mbusy0" -v b1="$mbusy1" -v i0="$midle0" -v i1="$midle1" -v n="$(nproc)" -v kind="$loadgen_kind" \
  -v lg="$(sed -n 's/^loadgen //p' "$work/loadgen.time")" -v line="$line" -v e="$events" 'BEGIN {
  split(line, f, /[ =]/); for (i = 2; i < length(f); i += 2) r[f[i]] = f[i + 1]; split(lg, u, " ")
  g = ("cpu_us" in r) ? r["cpu_us"] : (u[1] + u[2]) * 1e6
  printf "machine busy %.0f%% of %d cores; load generator (%s) CPU %.1f us/event; ",
    100 * (b1 - b0) / (b1 - b0 + i1 - i0), n, kind, g / e }'
# the cores' ceiling (issue 17 asks 5,000 events/s): cores * 1e6 / (PostgreSQL + server + load generator) us
awk -v s="$((s1 - s0))" -v p="$((p1 - p0))" -v e="$events" -v w="$walb" -v hz="$(getconf CLK_TCK)" -v l="$load" -v line="$line" \
  -v lg="$(sed -n 's/^loadgen //p' "$work/loadgen.time")" -v n="$(nproc)" 'BEGIN {
  split(line, f, /[ =]/); for (i = 2; i < length(f); i += 2) r[f[i]] = f[i + 1]; split(lg, u, " ")
  g = (("cpu_us" in r) ? r["cpu_us"] : (u[1] + u[2]) * 1e6) / e; pg = p / hz * 1e6 / e; sv = s / hz * 1e6 / e
  printf "%d events: PostgreSQL CPU %.0f us/event, server CPU %.0f us/event, WAL %.0f bytes/event; ceiling: %d cores %.0f/s; %.0f events/s, p99 %.1f ms (load %s)\n",
    e, pg, sv, w / e, n, n * 1e6 / (pg + sv + g), e / (r["duration_us"] / 1e6), r["p99_us"] / 1000, l }'
if [ -n "${BENCH_PG_STATEMENTS:-}" ]; then
  # per call: rows, shared blocks hit/dirtied/written, WAL records, full-page images and bytes
  psql -qAt -F ' | ' "$db" -c "select calls, round(total_exec_time::numeric / $events * 1000) as us_an_event,
    round(mean_exec_time::numeric * 1000) as us_a_call, round(rows::numeric / calls, 2) as rows,
    round(shared_blks_hit::numeric / calls, 1) as hit, round(shared_blks_dirtied::numeric / calls, 2) as dirtied,
    round(shared_blks_written::numeric / calls, 2) as written, round(wal_records::numeric / calls, 1) as wal_recs,
    round(wal_fpi::numeric / calls, 2) as wal_fpi, round(wal_bytes / calls) as wal_bytes,
    left(regexp_replace(query, '\s+', ' ', 'g'), 110)
    from pg_stat_statements order by total_exec_time desc limit 40" >"$BENCH_PG_STATEMENTS"
  # each index of the tables: its scans over the run (an index no read uses shows 0 here and in the e2e runs)
  psql -qAt -F ' | ' "$db" -c "select relname, indexrelname, idx_scan, idx_tup_read,
    pg_relation_size(indexrelid) from pg_stat_user_indexes order by relname, indexrelname" >"$BENCH_PG_STATEMENTS.indexes"
fi
if [ -n "${BENCH_AUDIT_VERIFY:-}" ]; then
  kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; pid=""
  "$bin" audit verify --db "$db" 2>&1 | tail -n 1
fi
exit 0
