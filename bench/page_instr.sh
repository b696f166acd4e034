#!/usr/bin/env bash
# The server's own instructions a record page (callgrind), a figure the machine's load does not move: each
# build serves the page under valgrind, once for A pages and once for B, one after another; the difference
# divided by B - A leaves out start-up. Needs a cluster kept by bench/page.sh (its cookie, data dir, child).
#   BENCH_PG_KEEP=1 bench/page.sh --db pg B      # prints "the cluster is kept: URL (child N); ... rm -rf DIR"
#   bench/page_instr.sh DIR URL CHILD BIN...     # e.g. bench/page_instr.sh /tmp/safeguard-page.X "$URL" 1 OLD NEW
# Prints each build's instructions a page and the page's SHA-256 (the builds must write the same page).
# Only the server's user-space instructions: not the kernel's, nor PostgreSQL's (bench/pg_stmt_cpu.sh).
#   BENCH_INSTR_PATH='/?q=Chrono+Reader' bench/page_instr.sh ...   another page than the record's (a search)
set -euo pipefail
dir=${1:?DIR}; db=${2:?URL}; child=${3:?CHILD}; shift 3
[ $# -gt 0 ] || { echo "page_instr: name at least one binary" >&2; exit 2; }
command -v valgrind >/dev/null || { echo "page_instr: needs valgrind" >&2; exit 2; }
a=${PAGES_A:-5}; b=${PAGES_B:-25}
export SAFEGUARD_DATA_DIR=$dir/data
cookie="sg_session=$(awk '$6 == "sg_session" { print $7 }' "$dir/cookies")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
run() { # binary pages: prints the program's total instructions (called in $(...): a subshell of its own)
  : >"$tmp/out"
  valgrind --tool=callgrind --callgrind-out-file="$tmp/cg" "$1" serve --db "$db" --listen 127.0.0.1:0 \
    >"$tmp/out" 2>"$tmp/err" &
  vp=$!
  # A server that has not said "listening" in time, or a run cut short, is not left behind under valgrind
  # (the subshell's own trap: the script's is not inherited by $(...)).
  trap '[ -n "$vp" ] && kill "$vp" 2>/dev/null && wait "$vp" 2>/dev/null' EXIT
  local url=""
  # valgrind's start-up on a loaded machine: up to two minutes
  for _ in $(seq 1 1200); do grep -q listening "$tmp/out" && break; sleep 0.1; done
  url=$(sed -n 's/^listening on //p' "$tmp/out")
  [ -n "$url" ] || { echo "page_instr: the server did not start" >&2; cat "$tmp/err" >&2; exit 1; }
  for _ in $(seq 1 "$2"); do
    code=$(curl -s -H "Cookie: $cookie" -o "$tmp/page.html" -w '%{http_code}' "$url${BENCH_INSTR_PATH:-/children/$child}")
    [ "$code" = 200 ] || { echo "page_instr: HTTP $code (is the session still valid?)" >&2; exit 1; }
  done
  kill -INT "$vp"; wait "$vp" || true
  vp=""
  callgrind_annotate "$tmp/cg" 2>/dev/null | awk '/PROGRAM TOTALS/ { gsub(",", "", $1); print $1 }'
}
for bin in "$@"; do
  ia=$(run "$bin" "$a"); ib=$(run "$bin" "$b")
  printf '%s  %s: %d instructions a page (%d pages - %d pages)\n' "$(sha256sum <"$tmp/page.html" | cut -c1-16)" \
    "$bin" $(( (ib - ia) / (b - a) )) "$b" "$a"
done
