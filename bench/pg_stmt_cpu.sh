#!/usr/bin/env bash
# PostgreSQL's own CPU for one statement (or a short script), as the server's pooled connections run it: one
# pgbench client, prepared statements, the generic plan forced (a connection's plan from its sixth run on), 6 s;
# the client's backend's CPU (utime+stime from /proc) over seconds 1-5, divided by the transactions pgbench
# reports for those seconds. Compare two texts of a read on the same database, interleaved, several times:
# CPU a transaction moves less with the machine's load than latency does (issue 17, round 7).
#   bench/pg_stmt_cpu.sh URL FILE [pgbench -D var=value ...]
#   e.g. on bench/page.sh's cluster (BENCH_PG_KEEP=1 keeps it): bench/pg_stmt_cpu.sh "$URL" /tmp/status.sql -D child=1
#   PG_STMT_OPTS="-c random_page_cost=4" bench/pg_stmt_cpu.sh ...   the backend's settings other than the server's
#                                                                   (a planner cost, say), as PGOPTIONS takes them
# Run it on the machine of the cluster (the backend's /proc is read), as the cluster's user or root.
set -euo pipefail
url=${1:?URL}
file=${2:?FILE}
shift 2
pgbench=$(command -v pgbench || ls /usr/lib/postgresql/*/bin/pgbench 2>/dev/null | tail -n 1)
[ -x "$pgbench" ] || { echo "pg_stmt_cpu: needs pgbench (postgresql-client or the server's bin/)" >&2; exit 2; }
out=$(mktemp)
trap 'rm -f "$out"' EXIT
app="pg_stmt_cpu_$$"
PGAPPNAME=$app PGOPTIONS="-c plan_cache_mode=force_generic_plan ${PG_STMT_OPTS:-}" \
  "$pgbench" -P 1 -n -M prepared -c1 -T6 "$@" -f "$file" "$url" >"$out" 2>&1 &
bp=$!
sleep 1
pid=$(psql -XAt "$url" -c "SELECT pid FROM pg_stat_activity WHERE application_name = '$app'")
[ -n "$pid" ] || { wait "$bp" || true; echo "pg_stmt_cpu: pgbench did not connect:" >&2; cat "$out" >&2; exit 1; }
ticks() { awk '{ print $14 + $15 }' "/proc/$pid/stat"; }
a=$(ticks)
sleep 4
b=$(ticks)
wait "$bp" || { cat "$out" >&2; exit 1; }
n=$(awk '/^progress: [2345]\.0 s/ { s += $4 } END { print int(s) }' "$out")
[ "$n" -gt 0 ] || { cat "$out" >&2; exit 1; }
tck=$(getconf CLK_TCK)
echo "$file: $(( (b - a) * 1000000 / tck / n )) us of the backend's CPU a transaction ($n transactions in 4 s; load $(cut -d' ' -f1 /proc/loadavg))"
