#!/usr/bin/env bash
# The MASH lists of migration 34 against the statement they replaced (bench/mash_same.c; every page also walked
# by the links' keys, r-mashkey22), on SQLite and, with
# PG=1, on a throwaway PostgreSQL cluster (scripts/pg-test.sh): SEEDS random areas of PERSONS children each.
#   bench/mash_same.sh            SEEDS="1 2 3" PERSONS=200 PG=1 bench/mash_same.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
make --no-print-directory -s build/libsafeguard.a
w=$(mktemp -d "${TMPDIR:-/tmp}/mash-same.XXXXXX")
pgdir=${PGDIR:-$w-pg} # beside $w, not in it: as root the cluster runs as another user, who cannot enter $w
trap 'if [ "${PG:-0}" = 1 ]; then PG_TEST_STATE=$pgdir.state sh scripts/pg-test.sh stop "$pgdir" >/dev/null 2>&1 || true; fi; rm -rf "$w"' EXIT
cc -Isrc -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L -std=c11 -O1 -w -pthread $(pkg-config --cflags libpq 2>/dev/null) \
  -o "$w/mash_same" bench/mash_same.c build/libsafeguard.a -lmicrohttpd -ljansson -lsqlite3 -lpq -lsodium -loath \
  -lqrencode -lcsv -lm
rc=0
for seed in ${SEEDS:-1 2 3}; do
  "$w/mash_same" "sqlite:$w/s$seed.db" "$seed" "${PERSONS:-200}" || rc=1
done
if [ "${PG:-0}" = 1 ]; then
  url=$(PG_TEST_STATE=$pgdir.state sh scripts/pg-test.sh start "$pgdir" | tail -1)
  for seed in ${SEEDS:-1 2 3}; do
    psql -qAt "$url" -c "SET client_min_messages = warning; DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public"
    "$w/mash_same" "$url" "$seed" "${PERSONS:-200}" || rc=1
  done
fi
exit $rc
