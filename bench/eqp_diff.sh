#!/usr/bin/env bash
# Every SQLite statement of store/ops.c through EXPLAIN QUERY PLAN on a database, to see which plans an index
# change moves (issue 17: indexes dropped only where another serves every read).
#   bench/eqp_diff.sh DB [SQL]   the plans on DB, and on a copy of DB with SQL run on it (e.g. a DROP INDEX),
#                                then the plans that differ; without SQL, just the plans
# DB: e.g. a database grown by bench/intake_cpu.sh (BENCH_KEEP=DIR) or bench/scale.sh; ANALYZE it for the
# plans an area-load's statistics give.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
make --no-print-directory -s all
work=$(mktemp -d "${TMPDIR:-/tmp}/safeguard-eqp.XXXXXX")
trap 'rm -rf "$work"' EXIT
cc -Isrc -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L -std=c11 -O0 -w -pthread $(pkg-config --cflags libpq 2>/dev/null) \
  -o "$work/dumpsql" bench/eqp/dumpsql.c build/libsafeguard.a -lmicrohttpd -ljansson -lsqlite3 -lpq -lsodium -loath \
  -lqrencode -lcsv -lm
plans() { "$work/dumpsql" | python3 bench/eqp/plans.py "$1"; }
cp "$1" "$work/a.db"
[ -f "$1-wal" ] && cp "$1-wal" "$work/a.db-wal"
plans "$work/a.db" >"$work/a.txt"
if [ -z "${2:-}" ]; then cat "$work/a.txt"; exit 0; fi
sqlite3 "$work/a.db" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null
cp "$work/a.db" "$work/b.db"
sqlite3 "$work/b.db" "$2"
plans "$work/b.db" >"$work/b.txt"
diff "$work/a.txt" "$work/b.txt" && echo "no plan changed"
