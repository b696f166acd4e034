#!/usr/bin/env bash
# PostgreSQL's own instructions (callgrind), a figure the machine's load does not move (issue 17, r-pgpage29: the
# backends' CPU from /proc moved by +-30% between runs at load 8-25, a change of 5-15% was not seen in it). A copy of a
# cluster kept by bench/page.sh is started under valgrind --tool=callgrind (fsync and autovacuum off); each process it
# forks writes its count when it ends (its parent's count at the fork included: differences leave that out).
#   bench/pg_instr.sh start URL DIR              copy URL's cluster (pg_basebackup) to DIR and start it there; prints
#                                                its URL (port 5439, a socket in DIR)
#   bench/pg_instr.sh script DIR FILE [VARS]      the backend's instructions a transaction of FILE (a pgbench script,
#                                                bench/page_pg_parts.sh's with PARTS_OUT: VARS its vars file), prepared,
#                                                the generic plan (PCM=auto for the server's choice): runs of 20 and 220
#   bench/pg_instr.sh page DIR PAGEDIR CHILD BIN  every backend's instructions a record page of BIN, pages one after
#                                                another (one audit batch a page): runs of 10 and 60 pages (N1, N2),
#                                                each after a VACUUM; PAGEDIR is bench/page.sh's kept folder (cookie)
#   bench/pg_instr.sh stop DIR
# Interleave builds and repeat: the page's figure still moves by ~3% between runs (the writer's audit batch).
set -euo pipefail
cmd=${1:?start|script|page|stop}
dir=${2:?DIR}
PGBIN=${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
as_owner() { if [ "$(id -u)" = 0 ]; then runuser -u safeguard-test -- "$@"; else "$@"; fi; }
url="postgresql:///safeguard?host=$dir&port=5439&user=safeguard"
# the counts of the processes that ended since $1 (a list of files), summed; waits until each is written
ended() {
  local before=$1 new="" x ok
  for _ in $(seq 1 120); do
    sleep 0.5
    new=$(comm -13 <(echo "$before") <(ls "$dir"/cg.* | sort))
    [ -n "$new" ] || continue
    ok=1
    for x in $new; do grep -q '^totals:' "$x" || ok=0; done
    [ $ok = 1 ] && break
  done
  local tot=0
  for x in $new; do tot=$((tot + $(awk '/^totals:/ { print $2; exit }' "$x"))); rm -f "$x"; done
  echo "$tot"
}
case "$cmd" in
start)
  src=${3:?URL}
  host=$(sed -n 's/.*host=\([^&]*\).*/\1/p' <<<"$src")
  mkdir -p "$dir"
  [ "$(id -u)" = 0 ] && chown safeguard-test "$dir"
  chmod 711 "$dir"
  as_owner "$PGBIN/pg_basebackup" -h "$host" -U safeguard -D "$dir/data"
  as_owner sh -c "nohup valgrind --tool=callgrind --callgrind-out-file='$dir/cg.%p' '$PGBIN/postgres' -D '$dir/data' \
    -c listen_addresses='' -c unix_socket_directories='$dir' -c port=5439 -c fsync=off -c autovacuum=off \
    >'$dir/server.log' 2>&1 &"
  for _ in $(seq 1 120); do psql -qXAt "$url" -c 'SELECT 1' >/dev/null 2>&1 && break; sleep 0.5; done
  echo "$url"
  ;;
script)
  file=${3:?FILE}
  vars=()
  if [ -n "${4:-}" ]; then while IFS= read -r v; do [ -n "$v" ] && vars+=(-D "$v"); done <"$4"; fi
  ir() {
    local before
    before=$(ls "$dir"/cg.* | sort)
    PGOPTIONS="-c plan_cache_mode=${PCM:-force_generic_plan}" "$PGBIN/pgbench" -n -M prepared -c1 -t "$1" \
      "${vars[@]}" -f "$file" "$url" >/dev/null
    ended "$before"
  }
  a=$(ir 20)
  b=$(ir 220)
  echo "$file: $(((b - a) / 200)) instructions a transaction"
  ;;
page)
  pagedir=${3:?PAGEDIR}; child=${4:?CHILD}; bin=${5:?BIN}
  n1=${N1:-10}; n2=${N2:-60}
  export SAFEGUARD_DATA_DIR=$pagedir/data
  cookie="sg_session=$(awk '$6 == "sg_session" { print $7 }' "$pagedir/cookies")"
  pages() {
    psql -qX "$url" -c VACUUM >/dev/null
    ended "$(ls "$dir"/cg.* | sort)" >/dev/null # the VACUUM's backend
    local before out sp u code
    before=$(ls "$dir"/cg.* | sort)
    out=$(mktemp)
    "$bin" serve --db "$url" --listen 127.0.0.1:0 >"$out" 2>"$out.err" &
    sp=$!
    for _ in $(seq 1 300); do grep -q listening "$out" && break; sleep 0.1; done
    u=$(sed -n 's/^listening on //p' "$out")
    for _ in $(seq 1 "$1"); do
      code=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $cookie" "$u/children/$child")
      [ "$code" = 200 ] || { echo "pg_instr: HTTP $code (is the session still valid?)" >&2; kill "$sp"; exit 1; }
    done
    kill "$sp"
    wait "$sp" 2>/dev/null || true
    rm -f "$out" "$out.err"
    ended "$before"
  }
  a=$(pages "$n1")
  b=$(pages "$n2")
  echo "$bin: $(((b - a) / (n2 - n1))) PostgreSQL instructions a page ($n2 pages - $n1)"
  ;;
stop)
  as_owner "$PGBIN/pg_ctl" -D "$dir/data" -m fast -w -t 120 stop >/dev/null || true
  # valgrind writes the postmaster's count after pg_ctl has seen it go: the folder is removed once nothing is added
  for _ in $(seq 1 40); do
    rm -rf "$dir" 2>/dev/null || true
    sleep 0.5
    [ -e "$dir" ] || break
  done
  ;;
*)
  echo "usage: $0 start|script|page|stop DIR ..." >&2
  exit 2
  ;;
esac
