#!/usr/bin/env bash
# The record pages of two builds, byte for byte (issue 17: rendering may get faster, the page may not change).
# A demo area (safeguard demo --no-serve, built by the first build, the clock fixed), then every child's record
# page as their allocated social worker, the same filtered by agency and by kind, the page of older events,
# and each child's record as a health practitioner (an own agency's reader), from each build in turn:
#   bench/page_same.sh /tmp/main-safeguard build/safeguard     prints "same: N pages, B bytes" or the first difference
#   bench/page_same.sh --db pg A B                            the same on a throwaway PostgreSQL cluster
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
engine=sqlite
if [ "${1:-}" = --db ]; then
  [ "${2:-}" = pg ] || { echo "page_same: --db takes pg" >&2; exit 2; }
  engine=pg
  shift 2
fi
a=$(realpath "${1:?usage: bench/page_same.sh BUILD_A BUILD_B}")
b=$(realpath "${2:?usage: bench/page_same.sh BUILD_A BUILD_B}")
families=${FAMILIES:-40}
work=$(mktemp -d "${TMPDIR:-/tmp}/safeguard-page-same.XXXXXX")
pid=""
pg_state=""
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  [ -n "$pg_state" ] && PG_TEST_STATE=$pg_state scripts/pg-test.sh stop >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT
# The clock stands still for both builds (the pages say "today" and "overdue"); the second factor is
# computed for that instant.
now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
export SAFEGUARD_DATA_DIR=$work/data SAFEGUARD_NOW=$now
mkdir -m 700 -p "$SAFEGUARD_DATA_DIR"
most="select person_id from event group by 1 order by count(*) desc, 1 limit 40"
if [ "$engine" = pg ]; then
  pg_state=$work/pg-state
  db=$(PG_TEST_STATE=$pg_state scripts/pg-test.sh start)
else
  db=sqlite:$work/db
fi
"$a" demo --db "$db" --families "$families" --no-serve >/dev/null 2>&1
# The children with the most events first (the longest pages), up to 40.
if [ "$engine" = pg ]; then
  children=$(psql -qAt "$db" -c "$most")
else
  children=$(sqlite3 -readonly "$work/db" "$most")
fi
add_user() { # username agency role: prints the TOTP secret
  printf '%s\n' "same passphrase for $1" | "$a" user add --db "$db" --username "$1" --agency "$2" --role "$3" \
    --password-stdin | tail -n 1
}
sw=$(add_user same.worker social_care social_worker)
hp=$(add_user same.health health health_practitioner)
for c in $children; do "$a" allocate --db "$db" --child "$c" --user same.worker >/dev/null 2>&1 || true; done
start() {
  : >"$work/serve.out" # the server before's "listening on" would otherwise be read before the new one's
  "$1" serve --db "$db" --listen 127.0.0.1:0 >"$work/serve.out" 2>"$work/serve.err" &
  pid=$!
  for _ in $(seq 1 300); do grep -q listening "$work/serve.out" 2>/dev/null && break; sleep 0.1; done
  url=$(sed -n 's/^listening on //p' "$work/serve.out")
  [ -n "$url" ] || { echo "page_same: the server did not start" >&2; cat "$work/serve.err" >&2; exit 1; }
}
stop() { kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""; }
sign_in() { # username secret: prints the session cookie (sessions live in the database: both builds take it)
  local jar=$work/jar.$1 form csrf
  form=$(curl -s -c "$jar" "$url/sign-in")
  csrf=$(sed -n 's/.*name="csrf_token" value="\([^"]*\)".*/\1/p' <<<"$form" | head -n 1)
  curl -s -b "$jar" -c "$jar" -o /dev/null -H "Origin: $url" --data-urlencode "username=$1" \
    --data-urlencode "password=same passphrase for $1" --data-urlencode "totp=$(oathtool --totp -b --now "${now/T/ }" "$2")" \
    --data-urlencode "csrf_token=$csrf" "$url/sign-in"
  local s
  s=$(awk '$6 == "sg_session" { print $7 }' "$jar")
  [ -n "$s" ] || { echo "page_same: $1 could not sign in" >&2; exit 1; }
  echo "sg_session=$s"
}
start "$a"
cw=$(sign_in same.worker "$sw")
ch=$(sign_in same.health "$hp")
stop
pages() { # build, out
  start "$1"
  : >"$2"
  for c in $children; do
    for q in "" "?agency=police" "?kind=concern" "?agency=health&kind=visit" "?kind=nonsense"; do
      printf '\n=== worker /children/%s%s\n' "$c" "$q" >>"$2"
      curl -s -H "Cookie: $cw" "$url/children/$c$q" >>"$2"
    done
    older=$(curl -s -H "Cookie: $cw" "$url/children/$c" | sed -n 's/.*href="\([^"]*before=[^"#]*\)#chronology".*/\1/p' | head -n 1)
    if [ -n "$older" ]; then
      printf '\n=== worker %s\n' "$older" >>"$2"
      curl -s -H "Cookie: $cw" "$url${older//&amp;/&}" >>"$2"
    fi
    printf '\n=== health /children/%s\n' "$c" >>"$2"
    curl -s -H "Cookie: $ch" "$url/children/$c" >>"$2"
  done
  stop
}
pages "$a" "$work/a.html"
pages "$b" "$work/b.html"
n=$(grep -c '^=== ' "$work/a.html")
if cmp -s "$work/a.html" "$work/b.html"; then
  echo "same: $n pages, $(wc -c <"$work/a.html") bytes ($(grep -c 'id="event-' "$work/a.html") event rows)"
else
  echo "DIFFERENT:"; diff "$work/a.html" "$work/b.html" | head -n 20; exit 1
fi
