#!/usr/bin/env bash
# The scale benchmark (issue 17; docs/BENCHMARKS.md "Scale, measured"): an area of 1,000,000 children and
# 20,000,000 events loaded through the store's bulk path (safeguard area-load: COPY on PostgreSQL, one
# reused INSERT on SQLite), then, on top of it, over real HTTP on loopback (wrk):
#   chronology reads of random children of the area (16 clients), the child's record page (16 clients),
#   durable intake at 32 clients (bench/intake.lua, a `safeguard gen` area on top of the big one),
#   the nightly sweep (`safeguard sweep`) and `safeguard homes run` over a 2,000-home register.
#
#   bench/scale.sh                          SQLite, a file in a fresh temporary folder, the full size
#   SCALE=0.1 bench/scale.sh                100,000 children and 2,000,000 events (a quick run)
#   bench/scale.sh --db pg                  PostgreSQL: a throwaway cluster (scripts/pg-test.sh), made and
#                                           removed here
#   bench/scale.sh --db postgresql://...    an existing PostgreSQL database (emptied first: a test database!)
#   SECONDS_PER_RUN=20 SWEEP_TIMEOUT=1800   how long each wrk run lasts; how long the sweep may take
#   TMPDIR=/tmp/scale17-sqlite              the folder (made if need be) that holds the area and the throwaway
#                                           cluster; both are removed at the end
#   AREA=/tmp/scale19/area                  SQLite: the area in this folder (scale.db), kept at the end; loaded
#                                           only when the folder has no area.ids yet (written after the load:
#                                           the first and last child), else the load line is left out
#   STEPS=intake                            only the intake step (5): what a second run on a kept area takes
#                                           (the record page's step makes its user once)
#   RUN=2                                   the intake's records: `safeguard gen --seed 7+RUN`, their source_refs
#                                           prefixed RRUN- (a second run on a kept area is not a replay)
#   REQ_TRACE=1                             the server with SAFEGUARD_REQ_TRACE=1 and SAFEGUARD_TXQ_TRACE=1:
#                                           each request's phases and each writer batch, in AREA/serve.err
# The intake lines give the server's CPU an event (and the PostgreSQL cluster's), the candidates scored a
# record and the share of records whose search reached the limit (GET /metrics, this run's increase).
# Prints one line per measurement, each with the load average of the machine when it was taken.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
db_arg=sqlite
while [ $# -gt 0 ]; do
  case "$1" in
  --db) db_arg=$2; shift 2 ;;
  *) echo "usage: bench/scale.sh [--db sqlite|pg|postgresql://...]" >&2; exit 2 ;;
  esac
done
for tool in wrk oathtool; do
  command -v $tool >/dev/null || { sudo=""; [ "$(id -u)" -eq 0 ] || sudo=sudo; $sudo apt-get install -y -qq "$tool" >/dev/null; }
done
if [ -z "${SAFEGUARD_BIN:-}" ]; then
  make --no-print-directory -s all
  SAFEGUARD_BIN=$root/build/safeguard
fi
bin=$SAFEGUARD_BIN
scale=${SCALE:-1}
children=$(awk -v s="$scale" 'BEGIN { printf "%d", 1000000 * s }')
per=${EVENTS_PER_CHILD:-20}
secs=${SECONDS_PER_RUN:-15}
steps=${STEPS:-all}
run=${RUN:-0}
if [ -n "${AREA:-}" ]; then
  [ "$db_arg" = sqlite ] || { echo "bench/scale.sh: AREA is for SQLite" >&2; exit 2; }
  mkdir -p "$AREA"
  work=$(cd "$AREA" && pwd)
else
  mkdir -p "${TMPDIR:-/tmp}"
  work=$(mktemp -d "${TMPDIR:-/tmp}/safeguard-scale.XXXXXX")
fi
pid=""
pg_state=""
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  [ -n "$pg_state" ] && PG_TEST_STATE=$pg_state scripts/pg-test.sh stop
  if [ -n "${AREA:-}" ]; then rm -rf "$work/area"; else rm -rf "$work"; fi
}
trap cleanup EXIT
load() { cut -d' ' -f1-3 /proc/loadavg; }

case "$db_arg" in
sqlite)
  db="sqlite:$work/scale.db"
  q() { sqlite3 -readonly "$work/scale.db" "$1"; }
  size() { du -cb "$work"/scale.db* | tail -n 1 | cut -f1; }
  ;;
pg | postgresql://* | postgres://*)
  if [ "$db_arg" = pg ]; then
    pg_state=$work/pg.state
    db=$(PG_TEST_STATE=$pg_state scripts/pg-test.sh start)
  else
    db=$db_arg
  fi
  host=$(sed -n 's/.*host=\([^&]*\).*/\1/p' <<<"$db")
  psql_args=(-X -q -t -A)
  if [ -n "$host" ]; then psql_args+=(-h "$host" -U "$(sed -n 's/.*user=\([^&]*\).*/\1/p' <<<"$db")" -d "$(sed -n 's|.*:///\([^?]*\).*|\1|p' <<<"$db")");
  else psql_args+=("$db"); fi
  q() { psql "${psql_args[@]}" -c "$1"; }
  size() { q "select pg_database_size(current_database())"; }
  q "SET client_min_messages = warning; DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public" >/dev/null
  # A bulk load writes gigabytes of WAL: checkpoints by time, not every 1 GB (durability is unchanged).
  [ -n "$pg_state" ] && q "ALTER SYSTEM SET max_wal_size = '8GB'; " >/dev/null && q "SELECT pg_reload_conf()" >/dev/null
  export SAFEGUARD_DATA_DIR=$work/data
  ;;
*) echo "bench/scale.sh: --db sqlite, pg or a postgresql:// URL" >&2; exit 2 ;;
esac

echo "machine: $(nproc) cores, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -n 1), $(uname -r)"
echo "backend: ${db%%:*}; area: $children children x $per events (SCALE=$scale); $(date -u +%Y-%m-%dT%H:%MZ)"

# 1. The load, through the bulk path (not when AREA names a folder that holds one already).
"$bin" migrate --db "$db" >/dev/null
if [ -n "${AREA:-}" ] && [ -s "$work/area.ids" ]; then
  read -r first last <"$work/area.ids"
  echo "area kept in $work (loaded before): children $first to $last"
else
  t0=$(date +%s.%N)
  out=$("$bin" area-load --db "$db" --children "$children" --events-per-child "$per" --seed 1 2>"$work/load.err")
  t1=$(date +%s.%N)
  first=$(sed -n 's/.*first_child \([0-9]*\).*/\1/p' <<<"$out")
  last=$(sed -n 's/.*last_child \([0-9]*\).*/\1/p' <<<"$out")
  [ -z "${AREA:-}" ] || echo "$first $last" >"$work/area.ids"
  awk -v t="$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')" -v c="$children" -v e="$((children * per))" -v l="$(load)" \
    'BEGIN { printf "%-38s %8.1f s   %8.0f events/s (%d children, %d events)   load %s\n", "load (area-load, bulk path)", t, e / t, c, e, l }'
fi
awk -v b="$(size)" -v l="$(load)" 'BEGIN { printf "%-38s %8.2f GB   load %s\n", "database size", b / 1e9, l }'

# The hot queries' plans on PostgreSQL (docs/SCALING.md), as the server runs them: prepared, generic plans
# (what a long-lived connection settles on), executed on a child in the middle of the area. PLANS=FILE.
if [ "${db%%:*}" != sqlite ]; then
  mid=$(( (first + last) / 2 ))
  nhs=$(q "select value from identifier where person_id = $mid and kind = 'nhs'")
  keys=$(q "select json_agg(key)::text from person_block_key where person_id = $mid")
  psql "${psql_args[@]}" -P pager=off >"${PLANS:-$root/build/scale-plans.txt}" 2>&1 <<SQL
SET plan_cache_mode = force_generic_plan;
\echo '== chronology (S_CHRONO_FIRST: the newest 100 events of a child, every agency)'
PREPARE chrono(bigint, bigint, text, text, bigint, text, text, text) AS
  SELECT id, person_id, source_record_id, agency, kind, occurred_at, recorded_at, summary, details FROM event
  WHERE person_id = \$1 AND (\$3 IS NULL OR agency = \$3) AND (\$4 IS NULL OR kind = \$4)
  AND ((\$6 IS NULL OR event.agency = \$6) AND (\$7 IS NULL OR event.agency <> \$7 OR
  coalesce(json_extract(event.details, '\$.category'), '') NOT IN (SELECT value FROM json_each(\$8))))
  ORDER BY occurred_at DESC, id DESC LIMIT \$2;
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) EXECUTE chrono($mid, 100, NULL, NULL, 0, NULL, NULL, NULL);
\echo '== flag look-up (S_PERSON_BY_IDENT: the child of an NHS number; then the sealed check and the accesses)'
PREPARE flag(text, text) AS SELECT min(person_id) FROM identifier WHERE kind = \$1 AND value = \$2;
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) EXECUTE flag('nhs', '$nhs');
PREPARE flags(bigint, bigint) AS SELECT person_id, at, actor, organisation, setting FROM flag_access
  WHERE person_id = \$1 ORDER BY id DESC LIMIT \$2;
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) EXECUTE flags($mid, 20);
\echo '== candidate search (S_BLOCK_CANDIDATES: the persons sharing a blocking key with a new record)'
PREPARE cands(text, bigint) AS SELECT DISTINCT k.person_id FROM person_block_key k WHERE k.key IN
  (SELECT value FROM json_each(\$1))
  AND NOT EXISTS (SELECT 1 FROM sealed_record r WHERE r.person_id = k.person_id)
  AND NOT EXISTS (SELECT 1 FROM person_merge m WHERE m.merged_id = k.person_id AND m.undone_at IS NULL)
  ORDER BY k.person_id LIMIT \$2;
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) EXECUTE cands('$keys', 50);
\echo '== table sizes'
SELECT relname, n_live_tup, pg_size_pretty(pg_total_relation_size(relid)) FROM pg_stat_user_tables
  ORDER BY pg_total_relation_size(relid) DESC LIMIT 8;
SQL
  echo "plans of the hot queries: ${PLANS:-$root/build/scale-plans.txt}"
fi

# 2. The server over the big area.
for agency in police health education social_care housing; do
  export "SAFEGUARD_TOKEN_${agency^^}=$("$bin" token create --db "$db" --agency "$agency" --scope events:write \
    --scope records:read | tail -n 1)"
done
export SAFEGUARD_TOKEN=$SAFEGUARD_TOKEN_SOCIAL_CARE SAFEGUARD_THREADS=2
trace_env=()
[ -z "${REQ_TRACE:-}" ] || trace_env=(SAFEGUARD_REQ_TRACE=1 SAFEGUARD_TXQ_TRACE=1)
env "${trace_env[@]}" "$bin" serve --db "$db" --listen 127.0.0.1:0 >"$work/serve.out" 2>"$work/serve.err" &
pid=$!
for _ in $(seq 1 300); do grep -q listening "$work/serve.out" 2>/dev/null && break; sleep 0.1; done
url=$(sed -n 's/^listening on //p' "$work/serve.out")
[ -n "$url" ] || { cat "$work/serve.err"; exit 1; }

report() { # name, wrk RESULT line
  local r=$1 line=$2
  local req dur p50 p99 errs
  req=$(sed -n 's/.*requests=\([0-9]*\).*/\1/p' <<<"$line")
  errs=$(sed -n 's/.*errors_status=\([0-9]*\).*/\1/p' <<<"$line")
  dur=$(sed -n 's/.*duration_us=\([0-9]*\).*/\1/p' <<<"$line")
  p50=$(sed -n 's/.*p50_us=\([0-9]*\).*/\1/p' <<<"$line")
  p99=$(sed -n 's/.*p99_us=\([0-9]*\).*/\1/p' <<<"$line")
  awk -v n="$r" -v q="$req" -v d="$dur" -v a="$p50" -v b="$p99" -v e="$errs" -v l="$(load)" 'BEGIN {
    printf "%-38s %8.0f req/s  p50 %6.2f ms  p99 %6.2f ms  (%d requests, %d non-2xx)   load %s\n", n, q / (d / 1e6), a / 1000, b / 1000, q, e, l }'
}

if [ "$steps" = all ]; then
# 3. Chronology reads of random children of the area, as children's social care's system (it reads the
# records it sent: a child it sent none about is refused, and counted as non-2xx).
export SAFEGUARD_FIRST=$first SAFEGUARD_LAST=$last
export SAFEGUARD_PATH="/api/v1/children/{id}/chronology?limit=100"
line=$(wrk -t2 -c16 -d"${secs}s" -s bench/read_random.lua "$url" | grep '^RESULT')
report "chronology, random children (c=16)" "$line"

# 4. The record page (HTML) of one child of the area, as the child's allocated social worker.
child=$(( (first + last) / 2 ))
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
n=$(q "select count(*) from event where person_id = $child")
line=$(wrk -t2 -c16 -d"${secs}s" -s bench/read.lua "$url" | grep '^RESULT')
report "record page, $n events (c=16)" "$line"
unset SAFEGUARD_COOKIE
fi

# 5. Durable intake at 32 clients on top of the area: every answer a durable commit, linkage on (the
# candidates are searched among the area's million children's blocking keys).
families=${FAMILIES:-$((secs * 1500))}
rm -rf "$work/area"
"$bin" gen --out "$work/area" --families "$families" --seed $((7 + run)) --today 2026-11-24 2>/dev/null
if [ "$run" != 0 ]; then
  sed -i "s/\"source_ref\":\"/\"source_ref\":\"R$run-/" "$work/area/events.jsonl"
fi
export SAFEGUARD_EVENTS=$work/area/events.jsonl
# The server's CPU (user + system, /proc/PID/stat; on PostgreSQL the cluster's too: the postmaster with its
# reaped children's and every live child's) and its own counters (GET /metrics) before and after, so the
# lines below are this run's: candidates scored a record searched (they grow with the area through the
# family-name-sound + birth-year key) and the records whose search reached the limit (the crowded second pass).
ticks() { awk '{ print $14 + $15 }' "/proc/$pid/stat"; }
pg_ticks() {
  [ -n "$pg_state" ] || { echo 0; return; }
  local pm
  pm=$(head -n 1 "$(sed -n 's/.*host=\([^&]*\).*/\1/p' <<<"$db")/data/postmaster.pid")
  { cat /proc/[0-9]*/stat 2>/dev/null || true; } | awk -v pm="$pm" '$1 == pm { t += $14 + $15 + $16 + $17 } $4 == pm { t += $14 + $15 } END { print t + 0 }'
}
metric() { curl -s "$url/metrics" | sed -n "s/^$1 //p"; }
before=$(q "select count(*) from event")
r0=$(metric safeguard_link_records_total) k0=$(metric safeguard_link_candidates_total) c0=$(metric safeguard_link_crowded_total)
s0=$(ticks) p0=$(pg_ticks)
line=$(wrk -t2 -c32 -d"${secs}s" -s bench/intake.lua "$url" | grep '^RESULT')
s1=$(ticks) p1=$(pg_ticks)
report "intake POST /api/v1/events (c=32)" "$line"
after=$(q "select count(*) from event")
r1=$(metric safeguard_link_records_total) k1=$(metric safeguard_link_candidates_total) c1=$(metric safeguard_link_crowded_total)
dur=$(sed -n 's/.*duration_us=\([0-9]*\).*/\1/p' <<<"$line")
awk -v e="$((after - before))" -v d="$dur" 'BEGIN { printf "%-38s %8.0f events/s on disk (%d events)\n", "  durable", e / (d / 1e6), e }'
awk -v e="$((after - before))" -v s="$((s1 - s0))" -v p="$((p1 - p0))" -v hz="$(getconf CLK_TCK)" -v pg="$pg_state" 'BEGIN {
  if (e > 0) printf "%-38s %8.0f us an event (server)%s\n", "  CPU", s / hz / e * 1e6, pg == "" ? "" : sprintf(", %.0f us (PostgreSQL cluster)", p / hz / e * 1e6) }'
awk -v r="$((r1 - r0))" -v k="$((k1 - k0))" -v c="$((${c1:-0} - ${c0:-0}))" -v has="${c1:+1}" 'BEGIN {
  if (r > 0) printf "%-38s %8.1f a record searched (%d records, %d candidates); crowded (limit reached): %s\n",
    "  candidates scored", k / r, r, k, has ? sprintf("%.2f%% (%d records)", 100 * c / r, c) : "no counter in this build" }'
kill "$pid" && wait "$pid" 2>/dev/null || true
pid=""

[ "$steps" = all ] || exit 0
# 6. The nightly sweep over every child, and the homes monitor over a 2,000-home register (loaded with
# `homes import`, whose months and incidents take the bulk path).
t0=$(date +%s.%N)
if timeout "${SWEEP_TIMEOUT:-1800}" "$bin" sweep --db "$db" >"$work/sweep.out" 2>&1; then
  awk -v t="$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { print b - a }')" -v l="$(load)" \
    'BEGIN { printf "%-38s %8.1f s   load %s\n", "nightly sweep (safeguard sweep)", t, l }'
else
  echo "nightly sweep (safeguard sweep)        did not finish within ${SWEEP_TIMEOUT:-1800} s   load $(load)"
fi
"$bin" gen homes --out "$work/homes" --homes 2000 --months 36 --seed 1 >/dev/null 2>&1
t0=$(date +%s.%N)
"$bin" homes import --db "$db" --dir "$work/homes" 2>/dev/null
awk -v t="$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { print b - a }')" -v l="$(load)" \
  -v i="$(($(wc -l <"$work/homes/incidents.csv") - 1))" \
  'BEGIN { printf "%-38s %8.1f s   (2,000 homes x 36 months, %d incidents)   load %s\n", "homes import (bulk path)", t, i, l }'
t0=$(date +%s.%N)
"$bin" homes run --db "$db" >/dev/null 2>&1
awk -v t="$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { print b - a }')" -v l="$(load)" \
  'BEGIN { printf "%-38s %8.1f s   load %s\n", "homes run (2,000 homes)", t, l }'
awk -v b="$(size)" -v l="$(load)" 'BEGIN { printf "%-38s %8.2f GB   load %s\n", "database size at the end", b / 1e9, l }'
