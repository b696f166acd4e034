#!/usr/bin/env bash
# Intake's CPU cost per record, for comparing two builds on a shared machine: a fixed amount of work (the first
# RECORDS records of the synthetic area, 32 clients (build/bench/loadgen or bench/intake_fixed.mjs, as wrk
# cannot stop after N), every answer a durable commit) into a fresh SQLite file,
# and the server's CPU time (user + system, /proc/PID/stat) and its busiest thread's (the writer) divided by
# the events stored. Wall-clock rate and p99 are printed too, with the load average beside them.
#   bench/intake_cpu.sh                         the build in build/
#   BENCH_BIN=/tmp/other RECORDS=20000 bench/intake_cpu.sh
#   BENCH_LOADGEN=node bench/intake_cpu.sh        node's generator instead of the C one (see below)
#   BENCH_PERF=/tmp/p.data bench/intake_cpu.sh  also records the server with perf (BENCH_PERF_OPTS, default -g)
#   BENCH_SQL='DROP INDEX x' bench/intake_cpu.sh  SQL run on the migrated file first (a schema change's upper bound)
#   BENCH_WAL_ALL=1 BENCH_KEEP=DIR bench/intake_cpu.sh; bench/wal_pages.py DIR/bench.db DIR/bench.db-wal
#                                               every commit's pages by b-tree (no checkpoint: count, do not time)
#   BENCH_TRACE=FILE bench/intake_cpu.sh      the writer's line a batch (SAFEGUARD_TXQ_TRACE) kept in FILE and summed
#                                               by bench/txq_trace.py: where its wall time goes (CPU, COMMIT, flush)
#   SAFEGUARD_SYNC_BEHIND=1 bench/intake_cpu.sh the WAL flushed behind the COMMIT (service/txq.h; off by default)
#   BENCH_BASE=/tmp/scale-x/a.db BENCH_BASE_DATA=/tmp/scale-x/data bench/intake_cpu.sh
#                                               intake into a copy of a populated area (safeguard area-load into
#                                               a.db with SAFEGUARD_DATA_DIR=.../data) instead of an empty file
#                                               (docs/BENCHMARKS.md "Scale: intake as the area grows")
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bin=${BENCH_BIN:-$root/build/safeguard}
records=${RECORDS:-16000}
# The load generator: BENCH_LOADGEN=c (build/bench/loadgen, the default once built: ~15 us of CPU an event)
# or node (bench/intake_fixed.mjs, 130-200 us an event); both send the same requests (docs/BENCHMARKS.md "Intake
# with a load generator in C"). Its CPU is taken from the two cores the server runs on, so it is printed.
loadgen_bin=${BENCH_LOADGEN_BIN:-$root/build/bench/loadgen}
loadgen_kind=${BENCH_LOADGEN:-}
[ -n "$loadgen_kind" ] || { [ -x "$loadgen_bin" ] && loadgen_kind=c || loadgen_kind=node; }
case $loadgen_kind in
  c) [ -x "$loadgen_bin" ] || { echo "intake_cpu.sh: BENCH_LOADGEN=c but $loadgen_bin is not built (make build/bench/loadgen)" >&2; exit 1; }
     loadgen=("$loadgen_bin") loadgen_kind="c, ${loadgen_bin##*/}" ;;
  node) loadgen=(node bench/intake_fixed.mjs) ;;
  *) echo "intake_cpu.sh: BENCH_LOADGEN must be c or node, not '$loadgen_kind'" >&2; exit 1 ;;
esac
work=$(mktemp -d "${TMPDIR:-/tmp}/safeguard-intake-cpu.XXXXXX")
pid="" perf_pid=""
cleanup() {
  [ -n "$perf_pid" ] && kill -INT "$perf_pid" 2>/dev/null && wait "$perf_pid" 2>/dev/null
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  [ -n "${holder:-}" ] && kill "$holder" 2>/dev/null && wait "$holder" 2>/dev/null
  [ -n "${BENCH_TRACE:-}" ] && cp "$work/serve.err" "$BENCH_TRACE" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
db=sqlite:$work/bench.db
export SAFEGUARD_DATA_DIR=$work/data
mkdir -m 700 -p "$SAFEGUARD_DATA_DIR"
if [ -n "${BENCH_BASE:-}" ]; then
  # sqlite3's .backup, not cp: a copy of the file alone misses what is still in its -wal file, and a file
  # being written is copied torn
  sqlite3 -readonly "$BENCH_BASE" ".backup '$work/bench.db'"
  [ -n "${BENCH_BASE_DATA:-}" ] && cp -a "$BENCH_BASE_DATA/." "$SAFEGUARD_DATA_DIR/"
fi
# BENCH_PAGE_SIZE=N: the file created with N-byte pages (an experiment: the server keeps a file's page size)
[ -n "${BENCH_PAGE_SIZE:-}" ] && sqlite3 "$work/bench.db" "PRAGMA page_size = $BENCH_PAGE_SIZE; PRAGMA journal_mode = WAL;" >/dev/null
"$bin" migrate --db "$db" >/dev/null
# BENCH_SQL='DROP INDEX x': run on the migrated file before the server starts (an experiment: the upper bound of
# a schema change, measured with one binary; docs/BENCHMARKS.md "SQLite intake: pages written an event")
[ -n "${BENCH_SQL:-}" ] && sqlite3 "$work/bench.db" "$BENCH_SQL"
for agency in police health education social_care housing; do
  export "SAFEGUARD_TOKEN_${agency^^}=$("$bin" token create --db "$db" --agency "$agency" --scope events:write | tail -n 1)"
done
"$bin" gen --out "$work/area" --families $((records / 8 + 1000)) --seed 7 --today 2026-11-24 2>/dev/null
head -n "$records" "$work/area/events.jsonl" >"$work/events.jsonl"
export SAFEGUARD_EVENTS=$work/events.jsonl
# BENCH_WAL_ALL=1 (with BENCH_KEEP): a reader holds a snapshot of the file from before the first event to the end,
# so no checkpoint can start the WAL over and every commit's frames are kept for bench/wal_pages.py (the writer
# then checkpoints nothing: count pages with it, do not time it)
holder=""
if [ -n "${BENCH_WAL_ALL:-}" ]; then
  mkfifo "$work/hold"
  python3 -c 'import sqlite3, sys
c = sqlite3.connect(sys.argv[1], isolation_level=None); c.execute("BEGIN"); c.execute("SELECT count(*) FROM event").fetchall()
open(sys.argv[2]).read()' "$work/bench.db" "$work/hold" &
  holder=$!
  exec 9>"$work/hold"
fi
[ -n "${BENCH_TRACE:-}" ] && export SAFEGUARD_TXQ_TRACE=1
"$bin" serve --db "$db" --listen 127.0.0.1:0 >"$work/serve.out" 2>"$work/serve.err" 9>&- &
pid=$!
for _ in $(seq 1 100); do grep -q listening "$work/serve.out" 2>/dev/null && break; sleep 0.1; done
url=$(sed -n 's/^listening on //p' "$work/serve.out")
[ -n "$url" ] || { cat "$work/serve.err"; exit 1; }
events0=$(sqlite3 -readonly "$work/bench.db" 'select count(*) from event')
ticks() { awk '{ print $14 + $15 }' "$1"; }
faults() { awk '{ print $10 }' "/proc/$pid/stat"; }
declare -A before wbytes wcalls
io() { sed -n "s/^$2: //p" "$1/io"; }
for t in /proc/$pid/task/*/stat; do
  before[$t]=$(ticks "$t") wbytes[${t%/stat}]=$(io "${t%/stat}" wchar) wcalls[${t%/stat}]=$(io "${t%/stat}" syscw)
done
faults0=$(faults)
load=$(cut -d' ' -f1-3 /proc/loadavg)
if [ -n "${BENCH_PERF:-}" ]; then
  perf record ${BENCH_PERF_OPTS:--g} -o "$BENCH_PERF" -p "$pid" >/dev/null 2>&1 &
  perf_pid=$!
fi
# The limit (issue 17): the machine's CPU over the run (/proc/stat: busy share of all cores), the load generator's
# own CPU, and the share of the wall time the writer thread was busy (GET /metrics) tell whether the two cores
# or the one writer bound the rate.
cpu_now() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8, $5 + $6 }' /proc/stat; }
read -r mbusy0 midle0 <<<"$(cpu_now)"
line=$(/usr/bin/time -f 'loadgen %U %S' -o "$work/loadgen.time" "${loadgen[@]}" "$url" 9>&- | grep '^RESULT')
read -r mbusy1 midle1 <<<"$(cpu_now)"
if [ -n "$perf_pid" ]; then kill -INT "$perf_pid" 2>/dev/null; wait "$perf_pid" 2>/dev/null || true; perf_pid=""; fi
faults1=$(faults)
total=0 busiest=0 writer=""
for t in /proc/$pid/task/*/stat; do
  d=$(($(ticks "$t") - ${before[$t]:-0}))
  total=$((total + d))
  if [ "$d" -gt "$busiest" ]; then busiest=$d writer=${t%/stat}; fi
done
events=$(($(sqlite3 -readonly "$work/bench.db" 'select count(*) from event') - events0))
# Pages the writer thread wrote per event: it writes nothing but the database's files (the answer is built on
# the request's thread). Each WAL frame is P+24 bytes and each page a checkpoint copies back P, so bytes
# W = (P+24)f + Pc; until store/lite_walbuf.c the frames were two write calls each and the calls gave c, which
# came out near 0: so the frames are read as W / (P+24) (at most that), and the write calls are printed as
# they are (gathered now: a few per commit).
psz=$(sqlite3 -readonly "$work/bench.db" 'pragma page_size')
wb=$(($(io "$writer" wchar) - ${wbytes[$writer]:-0})) wc=$(($(io "$writer" syscw) - ${wcalls[$writer]:-0}))
awk -v w="$wb" -v s="$wc" -v p="$psz" -v e="$events" 'BEGIN {
  printf "writer wrote %.1f KiB an event, %.2f WAL frames of %d bytes, %.2f write calls; ", w / 1024 / e, w / (p + 24) / e, p, s / e }'
# BENCH_KEEP=DIR: the database and its WAL as the run left them (the last commits' frames are still in the WAL),
# for bench/wal_pages.py to say which tables and indexes the pages of a commit belong to.
if [ -n "${BENCH_KEEP:-}" ]; then mkdir -p "$BENCH_KEEP"; cp "$work/bench.db" "$work/bench.db-wal" "$BENCH_KEEP/"; fi
if [ -n "$holder" ]; then exec 9>&-; wait "$holder" 2>/dev/null || true; holder=""; fi
# The writer's group commit and statements per job, from the server's own counters (GET /metrics).
metrics=$(curl -s "$url/metrics")
m() { sed -n "s/^$1 //p" <<<"$metrics"; }
awk -v j="$(m safeguard_txq_jobs_total)" -v c="$(m safeguard_txq_commits_total)" -v s="$(m safeguard_txq_db_statements_total)" \
  -v f="$((faults1 - faults0))" -v e="$events" -v r="$(m safeguard_link_records_total)" -v k="$(m safeguard_link_candidates_total)" \
  'BEGIN { printf "%.1f jobs per commit, %.1f statements per job, %.1f page faults per event, %.1f candidates scored per record searched; ", j / c, s / j, f / e, (r > 0 ? k / r : 0) }'
awk -v j="$(m safeguard_txq_busy_seconds_total)" -v b0="$mbusy0" -v b1="$mbusy1" -v i0="$midle0" -v i1="$midle1" \
  -v lg="$(sed -n 's/^loadgen //p' "$work/loadgen.time")" -v e="$events" -v line="$line" -v n="$(nproc)" \
  -v kind="$loadgen_kind" 'BEGIN {
  split(line, f, /[ =]/); for (i = 2; i < length(f); i += 2) r[f[i]] = f[i + 1]; split(lg, u, " ")
  d = r["duration_us"] / 1e6
  # the C generator reports its own CPU (getrusage, whole process, microseconds); time(1) gives 10 ms steps
  g = ("cpu_us" in r) ? r["cpu_us"] : (u[1] + u[2]) * 1e6
  printf "writer busy %.0f%% of the wall time; machine busy %.0f%% of %d cores; load generator (%s) CPU %.1f us/event; ",
    100 * j / d, 100 * (b1 - b0) / (b1 - b0 + i1 - i0), n, kind, g / e }'
# The ceilings these CPU figures set (issue 17 asks 10,000 events/s): the one writer thread at 1e6 / writer us,
# and the cores at cores * 1e6 / (server + load generator) us (the generator shares them here; a real client
# does not).
awk -v t="$total" -v b="$busiest" -v e="$events" -v hz="$(getconf CLK_TCK)" -v l="$load" -v line="$line" \
  -v lg="$(sed -n 's/^loadgen //p' "$work/loadgen.time")" -v n="$(nproc)" 'BEGIN {
  split(line, f, /[ =]/); for (i = 2; i < length(f); i += 2) r[f[i]] = f[i + 1]; split(lg, u, " ")
  g = (("cpu_us" in r) ? r["cpu_us"] : (u[1] + u[2]) * 1e6) / e; sv = t / hz * 1e6 / e; w = b / hz * 1e6 / e
  printf "%d events: server CPU %.0f us/event, writer thread %.0f us/event; ceilings: writer %.0f/s, %d cores %.0f/s; %.0f events/s, p99 %.1f ms (load %s)\n",
    e, sv, w, 1e6 / w, n, n * 1e6 / (sv + g), e / (r["duration_us"] / 1e6), r["p99_us"] / 1000, l }'
