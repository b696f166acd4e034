#!/usr/bin/env bash
# bench/loadgen's failures are loud: each case below must end with the exit status and the message named, and a
# good run must store every record. Against a real server on a throwaway SQLite file (stopped at the end).
#   make build/bench/loadgen && bench/loadgen_check.sh
#   LOADGEN=build/san/bench/loadgen bench/loadgen_check.sh     the ASan build (make SAN=1 build/san/bench/loadgen)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bin=${BENCH_BIN:-$root/build/safeguard}
lg=${LOADGEN:-$root/build/bench/loadgen}
work=$(mktemp -d "${TMPDIR:-/tmp}/safeguard-loadgen-check.XXXXXX")
pid=""
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
export SAFEGUARD_DATA_DIR=$work/data
mkdir -m 700 -p "$SAFEGUARD_DATA_DIR"
db=sqlite:$work/a.db
"$bin" migrate --db "$db" >/dev/null 2>&1
"$bin" gen --out "$work/area" --families 60 --seed 7 --today 2026-11-24 2>/dev/null
grep '"agency":"police"' "$work/area/events.jsonl" | head -n 100 >"$work/police.jsonl"
records=$(wc -l <"$work/police.jsonl")
export SAFEGUARD_EVENTS=$work/police.jsonl
SAFEGUARD_TOKEN_POLICE=$("$bin" token create --db "$db" --agency police --scope events:write | tail -n 1)
export SAFEGUARD_TOKEN_POLICE
"$bin" serve --db "$db" --listen 127.0.0.1:0 >"$work/serve.out" 2>"$work/serve.err" &
pid=$!
for _ in $(seq 1 100); do grep -q listening "$work/serve.out" 2>/dev/null && break; sleep 0.1; done
url=$(sed -n 's/^listening on //p' "$work/serve.out")
[ -n "$url" ] || { cat "$work/serve.err"; exit 1; }
# a port nothing listens on: the server's, once it is stopped at the end; here one taken and released now
free_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

failed=0
# expect WHAT STATUS MESSAGE [ENV=VALUE ...] URL
expect() {
  local what=$1 want=$2 msg=$3 rc=0
  shift 3
  env "${@:1:$#-1}" "$lg" "${@: -1}" >"$work/out" 2>"$work/err" || rc=$?
  if [ "$rc" -ne "$want" ] || ! grep -qF -- "$msg" "$work/err" "$work/out"; then
    echo "not ok - $what: exit $rc (want $want), output: $(cat "$work/out" "$work/err")"
    failed=1
  else
    echo "ok - $what: exit $rc, $(grep -hF -- "$msg" "$work/err" "$work/out" | head -n 1)"
  fi
}
expect "a refused connection" 2 "cannot connect" "http://127.0.0.1:$free_port"
expect "RECORDS beyond the file" 2 "fewer than RECORDS" RECORDS=$((records + 1)) "$url"
printf 'not a record\n' >"$work/bad.jsonl"
expect "a line that is not a record" 2 "line 1: not" SAFEGUARD_EVENTS="$work/bad.jsonl" "$url"
expect "an agency without a token" 2 "SAFEGUARD_TOKEN_POLICE is not set" SAFEGUARD_TOKEN_POLICE= "$url"
expect "non-2xx answers (a wrong token)" 1 "answers not 2xx: 401 x$records" SAFEGUARD_TOKEN_POLICE=wrong "$url"
expect "a good run" 0 "requests=$records errors_status=0" CLIENTS=8 "$url"
stored=$(sqlite3 -readonly "$work/a.db" 'select count(*) from event')
if [ "$stored" -ne "$records" ]; then echo "not ok - a good run stored $stored events of $records"; failed=1
else echo "ok - a good run stored all $records events"; fi
exit "$failed"
