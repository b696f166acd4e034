#!/usr/bin/env bash
# The child's record page alone (issue 17): a child with 500 events, read by its allocated social worker signed
# in through /sign-in, 16 clients (wrk -t2 -c16), RUNS runs of SECONDS_PER_RUN seconds, interleaved over one or
# more builds on the same database (so two builds are compared under the same load). Per run: pages/s, p50,
# p99, the server's CPU per page (utime+stime from /proc/PID/stat / pages, what a shared machine's load moves
# least; on --db pg the throwaway cluster's too) and the load average. First it checks that every build writes the same page, byte for byte.
#   bench/page.sh                                  the build in build/
#   RUNS=3 SECONDS_PER_RUN=10 bench/page.sh /tmp/main-safeguard build/safeguard
#   bench/page.sh --db pg /tmp/main-safeguard build/safeguard     a throwaway PostgreSQL cluster
#   BENCH_PERF=/tmp/page.data bench/page.sh        perf record -g of the server during the first run
#   BENCH_FAULTS=1 bench/page.sh                   the server's page faults per page too (perf stat)
#   BENCH_PG_STATEMENTS=1 bench/page.sh --db pg B  per build's first run: what each statement cost PostgreSQL a page
#                                                  (pg_stat_statements: calls, execution and planning time, rows)
#   BENCH_PG_RT=1 bench/page.sh --db pg B          the server's round trips to PostgreSQL a page, and which statement
#                                                  each waited for (SAFEGUARD_PG_RT_TRACE; costs CPU: count, do not time)
#   BENCH_PAGE_QUERY='?kind=concern' bench/page.sh  the page filtered (by kind here; ?agency=... likewise)
#   BENCH_HEALTH=1 bench/page.sh                   the 500 events health's missing_start and missing_end under
#                                                  {"category":"dental"}: every one a status event the summary card
#                                                  reads and a health event the view's category rule asks (the worst
#                                                  case of need-to-know's cost, r-review39, r-ntk22)
#   BENCH_SERVE_ARGS='--threads 8' bench/page.sh   more arguments for every build's serve
#   BENCH_PG_LOG=1 bench/page.sh --db pg B         the cluster's autovacuum and checkpoints during each run (its log:
#                                                  each one's CPU and elapsed time), the pauses a page may wait behind
#   BENCH_PG_KEEP=1 bench/page.sh --db pg B        the cluster left running at the end, its URL and how to stop it
#                                                  printed (for EXPLAIN, bench/pg_stmt_cpu.sh)
#                                                  (without --db, SQLite's database left; bench/page_instr.sh uses either)
#   BENCH_REQ_TRACE=1 bench/page.sh --db pg B      each page's time by phase (SAFEGUARD_REQ_TRACE, bench/req_trace.py):
#                                                  all pages and the slowest 1%, wall and CPU a phase
#   bench/page.sh --children 2000 --db pg B        the child among N others (area-load: 20 events each) loaded first,
#                                                  so that PostgreSQL plans the page's reads as on a live area: on a
#                                                  cluster of one child the status kinds' read is a scan of the table
#                                                  (docs/BENCHMARKS.md, round 10); and a plan change checked there
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bench_db=""
others=0
bins=()
while [ $# -gt 0 ]; do
  case "$1" in
    --db) bench_db=${2:?--db needs pg}; shift 2 ;;
    --children) others=${2:?--children needs a number}; shift 2 ;;
    *) bins+=("$(realpath "$1")"); shift ;;
  esac
done
[ ${#bins[@]} -gt 0 ] || { make --no-print-directory -s all; bins=("$root/build/safeguard"); }
command -v wrk >/dev/null || { echo "bench: needs wrk (apt-get install wrk)" >&2; exit 2; }
command -v oathtool >/dev/null || { echo "bench: needs oathtool (apt-get install oathtool)" >&2; exit 2; }
secs=${SECONDS_PER_RUN:-10}
runs=${RUNS:-3}
work=$(mktemp -d "${TMPDIR:-/tmp}/safeguard-page.XXXXXX")
pid=""
pg_state=""
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  if [ -n "$pg_state" ] && [ -n "${BENCH_PG_KEEP:-}" ]; then # the cluster left for bench/pg_stmt_cpu.sh, EXPLAIN...
    echo "bench: the cluster is kept: $db (child ${child:-none}); stop it: PG_TEST_STATE=$pg_state scripts/pg-test.sh stop; rm -rf $work" >&2
    return
  fi
  if [ -z "$pg_state" ] && [ -n "${BENCH_PG_KEEP:-}" ]; then # SQLite's database kept alike (bench/page_instr.sh)
    echo "bench: the database is kept: $db (child ${child:-none}); remove it: rm -rf $work" >&2
    return
  fi
  [ -n "$pg_state" ] && PG_TEST_STATE=$pg_state scripts/pg-test.sh stop >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT
case "$bench_db" in
  "") db="sqlite:$work/bench.db" ;;
  pg)
    pg_state=$work/pg-state
    [ -n "${BENCH_PG_STATEMENTS:-}" ] &&
      export PG_TEST_OPTS="-c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track_planning=on"
    [ -n "${BENCH_PG_LOG:-}" ] &&
      export PG_TEST_OPTS="${PG_TEST_OPTS:-} -c log_autovacuum_min_duration=0 -c log_checkpoints=on"
    db=$(PG_TEST_STATE=$pg_state scripts/pg-test.sh start) ;;
  *) echo "bench: --db takes pg" >&2; exit 2 ;;
esac
export SAFEGUARD_DATA_DIR=$work/data
mkdir -m 700 -p "$SAFEGUARD_DATA_DIR"
bin=${bins[0]}
"$bin" migrate --db "$db" >/dev/null
if [ "$others" -gt 0 ]; then
  "$bin" area-load --db "$db" --children "$others" --seed 1 >/dev/null 2>"$work/area.err" || { cat "$work/area.err" >&2; exit 1; }
fi
agency=education kinds=(concern concern) details='{}'
[ -n "${BENCH_HEALTH:-}" ] && agency=health kinds=(missing_end missing_start) details='{"category":"dental"}'
export SAFEGUARD_TOKEN=$("$bin" token create --db "$db" --agency "$agency" --scope events:write --scope records:read | tail -n 1)

start() { # binary: starts a server on the database, sets url
  : >"$work/serve.out" # the server before's "listening on" would otherwise be read before the new one's
  if [ -n "${BENCH_PG_RT:-}" ]; then
    SAFEGUARD_PG_RT_TRACE=1 "$1" serve --db "$db" --listen 127.0.0.1:0 ${BENCH_SERVE_ARGS:-} >"$work/serve.out" 2>"$work/serve.err" &
  elif [ -n "${BENCH_REQ_TRACE:-}" ]; then
    SAFEGUARD_REQ_TRACE=1 "$1" serve --db "$db" --listen 127.0.0.1:0 ${BENCH_SERVE_ARGS:-} >"$work/serve.out" 2>"$work/serve.err" &
  else
    "$1" serve --db "$db" --listen 127.0.0.1:0 ${BENCH_SERVE_ARGS:-} >"$work/serve.out" 2>"$work/serve.err" &
  fi
  pid=$!
  for _ in $(seq 1 300); do grep -q listening "$work/serve.out" 2>/dev/null && break; sleep 0.1; done
  url=$(sed -n 's/^listening on //p' "$work/serve.out")
  [ -n "$url" ] || { echo "bench: the server did not start" >&2; cat "$work/serve.err" >&2; exit 1; }
}
stop() { kill "$pid" 2>/dev/null || { echo "bench: the server had stopped:" >&2; tail -n 20 "$work/serve.err" >&2; }; wait "$pid" 2>/dev/null || true; pid=""; }

# The child: the same 500 events as bench/run.sh's chronology and record page.
start "$bin"
body() { printf '{"source_ref":"CHRONO-%d","kind":"%s","occurred_at":"2024-%02d-%02dT%02d:00:00Z","subject":{"given_name":"Chrono","family_name":"Reader","dob":"2014-02-03"},"summary":"Event %d of the chronology benchmark","details":%s}' "$1" "${kinds[$(($1 % 2))]}" $((1 + $1 % 12)) $((1 + $1 % 28)) $(($1 % 24)) "$1" "$details"; }
child=""
for i in $(seq 1 500); do
  out=$(curl -s -H "Authorization: Bearer $SAFEGUARD_TOKEN" -H 'Content-Type: application/json' -d "$(body "$i")" "$url/api/v1/events")
  child=$(sed -n 's/.*"child_id":\([0-9]*\).*/\1/p' <<<"$out")
done
[ -n "$child" ] || { echo "bench: intake failed: $out" >&2; exit 1; }
pw="bench passphrase $(date +%s%N)"
secret=$(printf '%s\n' "$pw" | "$bin" user add --db "$db" --username bench.worker --agency social_care \
  --role social_worker --password-stdin | tail -n 1)
"$bin" allocate --db "$db" --child "$child" --user bench.worker >/dev/null
jar=$work/cookies
form=$(curl -s -c "$jar" "$url/sign-in")
csrf=$(sed -n 's/.*name="csrf_token" value="\([^"]*\)".*/\1/p' <<<"$form" | head -n 1)
curl -s -b "$jar" -c "$jar" -o /dev/null -H "Origin: $url" --data-urlencode "username=bench.worker" \
  --data-urlencode "password=$pw" --data-urlencode "totp=$(oathtool --totp -b "$secret")" \
  --data-urlencode "csrf_token=$csrf" "$url/sign-in"
export SAFEGUARD_COOKIE="sg_session=$(awk '$6 == "sg_session" { print $7 }' "$jar")"
[ "$SAFEGUARD_COOKIE" != "sg_session=" ] || { echo "bench: sign-in failed" >&2; exit 1; }
export SAFEGUARD_PATH="/children/$child${BENCH_PAGE_QUERY:-}" # BENCH_PAGE_QUERY="?kind=concern": a filtered page
stop
# A live cluster's autovacuum has analysed the tables (and set the visibility map) long before a child has 500
# events; this one is a minute old. Without statistics PostgreSQL takes each of the child's tables for two rows
# and plans the record page's reads as "read them all and sort" (issue 17: two thirds of its time per page).
[ -n "$pg_state" ] && psql -qAt "$db" -c "VACUUM ANALYZE" >/dev/null

echo "machine: $(nproc) cores; $db"
# The same page from every build (the session is in the database, so it holds across servers).
first_hash=""
for b in "${bins[@]}"; do
  start "$b"
  curl -s -H "Cookie: $SAFEGUARD_COOKIE" "$url$SAFEGUARD_PATH" >"$work/page.html"
  stop
  h=$(sha256sum <"$work/page.html" | cut -c1-16)
  printf '%s  %s, %d bytes\n' "$h" "$b" "$(wc -c <"$work/page.html")"
  [ -z "$first_hash" ] && first_hash=$h
  [ "$h" = "$first_hash" ] || { echo "bench: $b draws another page than ${bins[0]} (bench/page_same.sh shows where)" >&2; exit 1; }
done
tck=$(getconf CLK_TCK)
# The throwaway cluster's CPU (its postmaster's children, and those it has reaped), as bench/run.sh counts it.
pg_ticks() {
  local pm
  if [ -n "$pg_state" ] && pm=$(head -n 1 "$(sed -n 's/.*host=\([^&]*\).*/\1/p' <<<"$db")/data/postmaster.pid" 2>/dev/null); then
    awk -v pm="$pm" '$1 == pm { t += $14 + $15 + $16 + $17 } $4 == pm { t += $14 + $15 } END { print t + 0 }' \
      /proc/[0-9]*/stat 2>/dev/null || true # a process that ended since the glob: awk says so and goes on
  else
    echo 0
  fi
}
# The same without what the postmaster reaped during the run (its children's CPU arrives whole when one
# ends: an autovacuum worker's, say, counted in one run): the processes alive at the run's end, the pool's
# backends among them (they stay connected through a run), from their start.
pg_live_ticks() {
  local pm
  if [ -n "$pg_state" ] && pm=$(head -n 1 "$(sed -n 's/.*host=\([^&]*\).*/\1/p' <<<"$db")/data/postmaster.pid" 2>/dev/null); then
    awk -v pm="$pm" '$1 == pm || $4 == pm { t += $14 + $15 } END { print t + 0 }' /proc/[0-9]*/stat 2>/dev/null || true
  else
    echo 0
  fi
}
for r in $(seq 1 "$runs"); do
  for b in "${bins[@]}"; do
    start "$b"
    curl -s -o /dev/null -H "Cookie: $SAFEGUARD_COOKIE" "$url$SAFEGUARD_PATH" # warm
    perf_pid=""
    if [ -n "${BENCH_PERF:-}" ] && [ "$r" = 1 ]; then
      perf record ${BENCH_PERF_OPTS:--g} -o "$BENCH_PERF.$(basename "$b")" -p "$pid" >/dev/null 2>&1 &
      perf_pid=$!
    fi
    # Page faults of the server (a software counter: counted where the hardware ones are not offered).
    pf_pid=""
    if [ -n "${BENCH_FAULTS:-}" ]; then
      perf stat -e page-faults -x, -o "$work/faults" -p "$pid" >/dev/null 2>&1 &
      pf_pid=$!
    fi
    pgss=""
    if [ -n "${BENCH_PG_STATEMENTS:-}" ] && [ -n "$pg_state" ] && [ "$r" = 1 ]; then
      pgss=1
      PGOPTIONS="-c client_min_messages=warning" psql -qAt "$db" -c "CREATE EXTENSION IF NOT EXISTS pg_stat_statements" -c "SELECT pg_stat_statements_reset()" >/dev/null
    fi
    load=$(cut -d' ' -f1-3 /proc/loadavg)
    t0=$(awk '{ print $14 + $15 }' "/proc/$pid/stat")
    g0=$(pg_ticks)
    l0=$(pg_live_ticks)
    rt0=$(grep -c '^pg-rt:' "$work/serve.err" || true)
    tr0=$(wc -l <"$work/serve.err")
    pglog=""
    if [ -n "${BENCH_PG_LOG:-}" ] && [ -n "$pg_state" ]; then
      pglog="$(sed -n 's/.*host=\([^&]*\).*/\1/p' <<<"$db")/server.log"
      pl0=$(wc -l <"$pglog")
    fi
    # wrk's own CPU too: it shares the two cores with the server and the cluster (a page's whole CPU bounds the
    # rate, and 16 clients always waiting make the latency 16 / the rate)
    line=$(/usr/bin/time -f '%U %S' -o "$work/wrk.cpu" wrk -t2 -c16 -d"${secs}s" -s bench/read.lua "$url" | grep '^RESULT')
    wrk_cpu=$(awk '{ print $1 + $2 }' "$work/wrk.cpu")
    if [ -n "${BENCH_PG_RT:-}" ]; then # what each round trip waited for, a page (the writer's shared by its batch)
      pages=$(sed -n 's/.*requests=\([0-9]*\).*/\1/p' <<<"$line")
      tail -n +"$((rt0 + 1))" "$work/serve.err" | sed -n 's/^pg-rt: //p' | cut -c1-70 | sort | uniq -c | sort -rn |
        awk -v p="$pages" '{ n = $1; $1 = ""; t += n; printf "  round trips/page %6.2f |%s\n", n / p, $0 } END { printf "  round trips a page: %.2f\n", t / p }'
    fi
    [ -n "${BENCH_REQ_TRACE:-}" ] && tail -n +"$((tr0 + 1))" "$work/serve.err" | python3 bench/req_trace.py
    if [ -n "$pglog" ]; then # each autovacuum (table, CPU, elapsed) and checkpoint of the run
      tail -n +"$((pl0 + 1))" "$pglog" | awk '
        /automatic (aggressive )?(vacuum|analyze) of table/ { match($0, /table "[^"]*"/); t = substr($0, RSTART + 6, RLENGTH - 7); what = ($0 ~ /vacuum/ ? "vacuum" : "analyze") }
        /system usage: CPU:/ && what != "" { match($0, /user: [0-9.]+ s, system: [0-9.]+ s, elapsed: [0-9.]+ s/); printf "  autovacuum: %s %s, %s\n", what, t, substr($0, RSTART, RLENGTH); what = "" }
        /checkpoint (starting|complete)/ { sub(/.*LOG: +/, ""); printf "  %s\n", substr($0, 1, 150) }'
    fi
    t1=$(awk '{ print $14 + $15 }' "/proc/$pid/stat")
    g1=$(pg_ticks)
    l1=$(pg_live_ticks)
    [ -n "$perf_pid" ] && { kill -INT "$perf_pid"; wait "$perf_pid" || true; }
    faults=0
    if [ -n "$pf_pid" ]; then
      kill -INT "$pf_pid"; wait "$pf_pid" || true
      faults=$(awk -F, '$3 == "page-faults" { print $1 }' "$work/faults")
    fi
    stop
    if [ -n "$pgss" ]; then # per page: calls, execution and planning ms, rows; the costliest first
      pages=$(sed -n 's/.*requests=\([0-9]*\).*/\1/p' <<<"$line")
      psql -qAt -F' | ' "$db" -c "SELECT round(calls::numeric / $pages, 2), round((total_exec_time / $pages)::numeric, 4),
          round((total_plan_time / $pages)::numeric, 4), round(rows::numeric / greatest(calls, 1), 1),
          left(regexp_replace(query, '\s+', ' ', 'g'), 150)
        FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
          AND query NOT LIKE '%pg_stat_statements%'
        ORDER BY total_exec_time + total_plan_time DESC LIMIT 25" |
        sed 's/^/  calls\/page | exec ms\/page | plan ms\/page | rows\/call | /'
      psql -qAt "$db" -c "SELECT 'statements a page: ' || round(sum(calls)::numeric / $pages, 1) || ', their execution '
          || round((sum(total_exec_time) / $pages)::numeric, 3) || ' ms, planning ' || round((sum(total_plan_time) / $pages)::numeric, 3)
          || ' ms' FROM pg_stat_statements WHERE query NOT LIKE '%pg_stat_statements%'"
    fi
    awk -v b="$b" -v r="$r" -v line="$line" -v a="$t0" -v z="$t1" -v hz="$tck" -v l="$load" -v pf="$faults" -v g="$((g1 - g0))" -v lg="$((l1 - l0))" -v wc="$wrk_cpu" 'BEGIN {
      split(line, f, /[ =]/); for (i = 2; i < length(f); i += 2) x[f[i]] = f[i + 1]
      printf "run %d %-40s %6.0f pages/s  p50 %6.2f ms  p99 %6.2f ms  %5.0f us CPU/page  %d non-2xx  (load %s)%s\n",
        r, b, x["requests"] / (x["duration_us"] / 1e6), x["p50_us"] / 1000, x["p99_us"] / 1000,
        (z - a) / hz * 1e6 / x["requests"], x["errors_status"], l,
        (pf > 0 ? sprintf("  %.1f page faults/page", pf / x["requests"]) : "") \
        (g > 0 ? sprintf("  PostgreSQL %.0f us CPU/page", g / hz * 1e6 / x["requests"]) : "") \
        (lg > 0 ? sprintf(" (live processes %.0f us)", lg / hz * 1e6 / x["requests"]) : "") \
        sprintf("  wrk %.0f us CPU/page", wc * 1e6 / x["requests"]) }'
  done
done
