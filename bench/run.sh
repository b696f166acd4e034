#!/usr/bin/env bash
# Benchmarks of the real binary over real HTTP on loopback (wrk), against a real SQLite file on disk.
#   bench/run.sh            intake and chronology reads (about a minute)
#   SECONDS_PER_RUN=30 bench/run.sh
#   bench/run.sh --db pg       the same on a throwaway PostgreSQL cluster (scripts/pg-test.sh, started here and
#                              stopped afterwards); --db postgresql://... (or BENCH_DB=...) on a database of yours,
#                              which must be empty: the benchmark migrates it and writes into it
# Prints one line per measurement; docs/BENCHMARKS.md records the figures and the machine.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bench_db=${BENCH_DB:-}
while [ $# -gt 0 ]; do
  case "$1" in
    --db) bench_db=${2:?--db needs pg or a postgresql:// URL}; shift 2 ;;
    *) echo "usage: bench/run.sh [--db pg|postgresql://...]" >&2; exit 2 ;;
  esac
done
command -v wrk >/dev/null || { sudo=""; [ "$(id -u)" -eq 0 ] || sudo=sudo; $sudo apt-get install -y -qq wrk >/dev/null; }
command -v oathtool >/dev/null || { sudo=""; [ "$(id -u)" -eq 0 ] || sudo=sudo; $sudo apt-get install -y -qq oathtool >/dev/null; }
make --no-print-directory -s all
bin=${BENCH_BIN:-$root/build/safeguard} # BENCH_BIN: another build, to compare
secs=${SECONDS_PER_RUN:-15}
work=$(mktemp -d "${TMPDIR:-/tmp}/safeguard-bench.XXXXXX")
pid=""
pg_state=""
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  [ -n "$pg_state" ] && PG_TEST_STATE=$pg_state scripts/pg-test.sh stop >/dev/null 2>&1
  [ -n "${BENCH_SERVE_ERR:-}" ] && cp "$work/serve.err" "$BENCH_SERVE_ERR" 2>/dev/null # e.g. SAFEGUARD_PG_RT_TRACE's lines
  rm -rf "$work"
}
trap cleanup EXIT
case "$bench_db" in
  "") db="sqlite:$work/bench.db" ;;
  pg) pg_state=$work/pg-state; db=$(PG_TEST_STATE=$pg_state scripts/pg-test.sh start) ;;
  postgresql://*|postgres://*) db=$bench_db ;;
  *) echo "bench: --db takes pg or a postgresql:// URL" >&2; exit 2 ;;
esac
# Counts read back from the database: sqlite3 on the file, psql on PostgreSQL.
q() {
  if [ "${db#sqlite:}" != "$db" ]; then sqlite3 -readonly "${db#sqlite:}" "$1"; else psql -qAt "$db" -c "$1"; fi
}
# Key files live in a folder of their own (a PostgreSQL URL names no folder to put them beside).
export SAFEGUARD_DATA_DIR=$work/data
mkdir -p "$SAFEGUARD_DATA_DIR"
chmod 700 "$SAFEGUARD_DATA_DIR"
"$bin" migrate --db "$db" >/dev/null
for agency in police health education social_care housing; do
  # Sending records and reading back its own (the chronology reads below are education's own events).
  export "SAFEGUARD_TOKEN_${agency^^}=$("$bin" token create --db "$db" --agency "$agency" --scope events:write \
    --scope records:read | tail -n 1)"
done
export SAFEGUARD_TOKEN=$SAFEGUARD_TOKEN_EDUCATION
# The intake load: a synthetic area big enough that no record is sent twice during the run.
families=${FAMILIES:-$((secs * 1500))}
"$bin" gen --out "$work/area" --families "$families" --seed 7 --today 2026-11-24 2>/dev/null
export SAFEGUARD_EVENTS=$work/area/events.jsonl SAFEGUARD_THREADS=2
"$bin" serve --db "$db" --listen 127.0.0.1:0 >"$work/serve.out" 2>"$work/serve.err" &
pid=$!
for _ in $(seq 1 100); do grep -q listening "$work/serve.out" 2>/dev/null && break; sleep 0.1; done
url=$(sed -n 's/^listening on //p' "$work/serve.out")
[ -n "$url" ] || { cat "$work/serve.err"; exit 1; }

echo "machine: $(nproc) cores, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -n 1), $(uname -r)"
if [ "${db#sqlite:}" != "$db" ]; then
  echo "sqlite $(sqlite3 --version | cut -d' ' -f1), WAL, synchronous=FULL, file on $(df --output=source "$work" | tail -n 1)"
else
  echo "$(q 'select version()' | cut -d' ' -f1-2), fsync $(q 'show fsync'), synchronous_commit $(q 'show synchronous_commit')$([ -n "$pg_state" ] && echo ", throwaway cluster on a Unix socket (scripts/pg-test.sh)")"
fi
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) (the machine is shared)"

# The server's CPU time (user + system, clock ticks) from /proc: what a shared machine's load moves least.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$pid/stat"; }
tck=$(getconf CLK_TCK)
cpu_per() { # label, ticks before, ticks after, units of work
  awk -v l="$1" -v a="$2" -v b="$3" -v n="$4" -v t="$tck" 'BEGIN {
    if (n > 0) printf "%-34s %8.0f us of server CPU per %s\n", "", (b - a) / t * 1e6 / n, l }'
}
# BENCH_PERF=FILE records the server's intake with perf (perf record -g) into FILE.
perf_start() { [ -n "${BENCH_PERF:-}" ] && { perf record ${BENCH_PERF_OPTS:--g} -o "$BENCH_PERF" -p "$pid" >/dev/null 2>&1 & perf_pid=$!; } || true; }
perf_stop() { [ -n "${perf_pid:-}" ] && { kill -INT "$perf_pid"; wait "$perf_pid" || true; perf_pid=""; } || true; }

report() { # name, result line, extra
  local r=$1 line=$2
  local req dur p50 p99 errs
  req=$(sed -n 's/.*requests=\([0-9]*\).*/\1/p' <<<"$line")
  errs=$(sed -n 's/.*errors_status=\([0-9]*\).*/\1/p' <<<"$line")
  dur=$(sed -n 's/.*duration_us=\([0-9]*\).*/\1/p' <<<"$line")
  p50=$(sed -n 's/.*p50_us=\([0-9]*\).*/\1/p' <<<"$line")
  p99=$(sed -n 's/.*p99_us=\([0-9]*\).*/\1/p' <<<"$line")
  awk -v n="$r" -v q="$req" -v d="$dur" -v a="$p50" -v b="$p99" -v e="$errs" 'BEGIN {
    printf "%-34s %8.0f req/s  p50 %6.2f ms  p99 %6.2f ms  (%d requests, %d non-2xx)\n", n, q / (d / 1e6), a / 1000, b / 1000, q, e }'
}

# 1. Intake: 32 concurrent clients replaying the synthetic area, every answer a durable commit.
echo "intake load: $(wc -l <"$SAFEGUARD_EVENTS") records of a synthetic area of $families families (safeguard gen)"
# CPU (utime+stime, clock ticks) of the server, and of the throwaway cluster's processes (its postmaster's
# children, and those it has reaped): what the load of a shared machine moves least.
cpu_ticks_all() {
  local s pm pg=0
  s=$(awk '{print $14 + $15}' "/proc/$pid/stat")
  if [ -n "$pg_state" ] && pm=$(head -n 1 "$(sed -n 's/.*host=\([^&]*\).*/\1/p' <<<"$db")/data/postmaster.pid" 2>/dev/null); then
    pg=$(awk -v pm="$pm" '$1 == pm { t += $14 + $15 + $16 + $17 } $4 == pm { t += $14 + $15 } END { print t + 0 }' \
      /proc/[0-9]*/stat 2>/dev/null)
  fi
  echo "$s $pg"
}
cpu0=$(cpu_ticks_all)
t0=$(cpu_ticks)
perf_start
line=$(/usr/bin/time -f '%U %S' -o "$work/wrk.time" wrk -t2 -c32 -d"${secs}s" -s bench/intake.lua "$url" | grep '^RESULT')
perf_stop
t1=$(cpu_ticks)
report "intake POST /api/v1/events (c=32)" "$line"
events=$(q 'select count(*) from event')
cpu_per event "$t0" "$t1" "$events"
dur=$(sed -n 's/.*duration_us=\([0-9]*\).*/\1/p' <<<"$line")
awk -v e="$events" -v d="$dur" 'BEGIN { printf "%-34s %8.0f events/s on disk (%d events in the file)\n", "  durable", e / (d / 1e6), e }'
persons=$(q 'select count(*) from person')
agg=group_concat; [ "${db#sqlite:}" != "$db" ] || agg=string_agg
rules=$(q "select $agg(link_rule || ' ' || n, ', ') from (select link_rule, count(*) n from source_record group by 1) x")
echo "                                   children: $persons; records linked by: $rules"
metrics=$(curl -s "$url/metrics")
m() { sed -n "s/^$1 //p" <<<"$metrics"; }
awk -v j="$(m safeguard_txq_jobs_total)" -v c="$(m safeguard_txq_commits_total)" \
  'BEGIN { printf "%-34s %8.1f jobs per commit (group commit)\n", "", j / c }'
# The writer thread per job (the set-up's few jobs included): database commands (counted on both engines) and round trips (0 on
# SQLite), its CPU time and its wall time running batches (the difference is waiting for the database).
awk -v j="$(m safeguard_txq_jobs_total)" -v s="$(m safeguard_txq_db_statements_total)" \
  -v r="$(m safeguard_txq_db_round_trips_total)" -v cpu="$(m safeguard_txq_cpu_seconds_total)" \
  -v busy="$(m safeguard_txq_busy_seconds_total)" -v cm="$(m safeguard_txq_commit_seconds_total)" 'BEGIN {
  printf "%-34s %8.1f statements, %.1f round trips, writer CPU %.0f us, busy %.0f us (of which COMMIT %.0f us) per job\n", "",
    s / j, r / j, cpu * 1e6 / j, busy * 1e6 / j, cm * 1e6 / j }'
awk -v a="$cpu0" -v b="$(cpu_ticks_all)" -v e="$events" -v hz="$(getconf CLK_TCK)" 'BEGIN { split(a, x); split(b, y);
  printf "%-34s %8.0f us CPU of the server, %.0f us of PostgreSQL (0: not the throwaway cluster) per event\n", "",
    (y[1] - x[1]) * 1e6 / hz / e, (y[2] - x[2]) * 1e6 / hz / e }'
# The load generator shares the machine's cores: its CPU per event (wrk: user + system) counts against the rate.
awk -v t="$(cat "$work/wrk.time")" -v e="$events" 'BEGIN { split(t, u, " ")
  printf "%-34s %8.0f us CPU of the load generator (wrk) per event\n", "", (u[1] + u[2]) * 1e6 / e }'

# 2. Chronology reads of a child with 500 events, 16 concurrent clients.
body() { printf '{"source_ref":"CHRONO-%d","kind":"concern","occurred_at":"2024-%02d-%02dT%02d:00:00Z","subject":{"given_name":"Chrono","family_name":"Reader","dob":"2014-02-03"},"summary":"Event %d of the chronology benchmark","details":{}}' "$1" $((1 + $1 % 12)) $((1 + $1 % 28)) $(($1 % 24)) "$1"; }
child=""
for i in $(seq 1 500); do
  out=$(curl -s -H "Authorization: Bearer $SAFEGUARD_TOKEN" -H 'Content-Type: application/json' -d "$(body "$i")" "$url/api/v1/events")
  child=$(sed -n 's/.*"child_id":\([0-9]*\).*/\1/p' <<<"$out")
done
n=$(q "select count(*) from event where person_id = $child")
export SAFEGUARD_PATH="/api/v1/children/$child/chronology?limit=100"
line=$(wrk -t2 -c16 -d"${secs}s" -s bench/read.lua "$url" | grep '^RESULT')
report "chronology, 100 of $n events (c=16)" "$line"
export SAFEGUARD_PATH="/api/v1/children/$child/chronology?limit=500"
line=$(wrk -t2 -c16 -d"${secs}s" -s bench/read.lua "$url" | grep '^RESULT')
report "chronology, 500 of $n events (c=16)" "$line"
export SAFEGUARD_PATH="/api/v1/children/$child"
line=$(wrk -t2 -c16 -d"${secs}s" -s bench/read.lua "$url" | grep '^RESULT')
report "child record (c=16)" "$line"

# 3. The child's record page (HTML, the whole 500-event chronology with its SVG timeline), 16 clients, as
# the child's allocated social worker signed in through /sign-in (password, TOTP code, session cookie).
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
[ "$SAFEGUARD_COOKIE" != "sg_session=" ] || { echo "bench: sign-in failed"; exit 1; }
export SAFEGUARD_PATH="/children/$child"
bytes=$(curl -s -H "Cookie: $SAFEGUARD_COOKIE" "$url$SAFEGUARD_PATH" | wc -c)
t0=$(cpu_ticks)
[ -n "${BENCH_PERF:-}" ] && BENCH_PERF=$BENCH_PERF.page perf_start
line=$(wrk -t2 -c16 -d"${secs}s" -s bench/read.lua "$url" | grep '^RESULT')
perf_stop
t1=$(cpu_ticks)
report "record page, $n events, $((bytes / 1024)) KiB (c=16)" "$line"
cpu_per page "$t0" "$t1" "$(sed -n 's/.*requests=\([0-9]*\).*/\1/p' <<<"$line")"
