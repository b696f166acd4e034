#!/usr/bin/env bash
# The record pages of two builds, byte for byte (issue 17: rendering may get faster, the page may not change).
# A demo area (safeguard demo --no-serve, built by the first build, the clock fixed), then every child's record
# page as their allocated social worker, the same filtered by agency and by kind, the page of older events,
# and each child's record as a health practitioner (an own agency's reader), from each build in turn.
# The demo gives a child at most ~30 events (under the 100 rows a page shows), so two more children are written
# through the API (POST /api/v1/events, five agencies' tokens, one curl for all): one with BIG_EVENTS (2,100)
# events, more than the timeline's 2,000 marks, some "Recorded by" (up to 64 bytes of multi-byte text, one of 65
# that falls back, one with HTML to escape), events at the same instant, one mental_health (health-only) event;
# and a sealed one with SEALED_EVENTS (250). Their pages: the worker's, filtered and each older page in turn, the
# pages three marks link to (?before=AT_ID+1), the health practitioner's, a police officer's, another officer's
# after break-glass, and the DPO's on the sealed child (and the worker's refusal there). Two minutes on SQLite:
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
# Every server that reads pages starts its clock at one instant (the pages say "today" and "overdue"; it runs
# on from there, seconds in a run); the second factor is computed for that instant.
now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
# The server that writes the long children, signs in and breaks the glass runs ten minutes earlier (the clock runs
# on from SAFEGUARD_NOW at each start): what it writes is then in the past of the servers that read the pages,
# and the break-glass (an hour) still open.
setup=$(date -u -d "${now/T/ } 600 seconds ago" +%Y-%m-%dT%H:%M:%SZ)
clock=$now
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
  SAFEGUARD_NOW=$clock "$1" serve --db "$db" --listen 127.0.0.1:0 >"$work/serve.out" 2>"$work/serve.err" &
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
    --data-urlencode "password=same passphrase for $1" --data-urlencode "totp=$(oathtool --totp -b --now "${clock/T/ }" "$2")" \
    --data-urlencode "csrf_token=$csrf" "$url/sign-in"
  local s
  s=$(awk '$6 == "sg_session" { print $7 }' "$jar")
  [ -n "$s" ] || { echo "page_same: $1 could not sign in" >&2; exit 1; }
  echo "sg_session=$s"
}
po=$(add_user same.police police police_officer)
pg2=$(add_user same.glass police police_officer)
dp=$(add_user same.dpo social_care dpo)
declare -A tok
for ag in social_care police health education housing; do
  tok[$ag]=$("$a" token create --db "$db" --agency "$ag" --scope events:write | tail -n 1)
done
clock=$setup
start "$a"
cw=$(sign_in same.worker "$sw")
ch=$(sign_in same.health "$hp")
cp=$(sign_in same.police "$po")
cg=$(sign_in same.glass "$pg2")
cdp=$(sign_in same.dpo "$dp")
# The two long children, through the real intake: one curl, one connection, a request each (--next).
python3 - "${BIG_EVENTS:-2100}" "${SEALED_EVENTS:-250}" >"$work/events.cfg" <<'PY'
import json, sys
from datetime import datetime, timedelta, timezone
big, sealed = int(sys.argv[1]), int(sys.argv[2])
kinds = {"police": ["police_callout", "concern", "arrest"], "health": ["gp_appointment", "injury", "unscheduled_care"],
         "education": ["school_absence", "concern", "school_exclusion"], "social_care": ["visit", "contact", "strategy_discussion"],
         "housing": ["housing_notice", "concern"]}
agencies = list(kinds)
# recorded_by: a plain name, multi-byte text of exactly 64 bytes (the most shown), 65 bytes (falls back to
# "Sent by ..."), and text the page must escape
by64 = "Łukasz Żółkiewski-Ñúñez "
while len(by64.encode()) + 2 <= 64:
    by64 += "é"
by64 += "x" * (64 - len(by64.encode()))
assert len(by64.encode()) == 64
by65 = by64[:-1] + "ß"
assert len(by65.encode()) == 65
names = ["a.practitioner", by64, by65, "Siân <b>O'Brien</b> & \"co\""]
def put(i, ref, given, family, dob, n):
    ag = agencies[i % len(agencies)]
    at = datetime(2018, 1, 1, tzinfo=timezone.utc) + timedelta(hours=17 * i - 17 * (i % 50 == 1)) # ties: every 50th
    details = {}
    if i % 7 == 3:
        details["recorded_by"] = names[(i // 7) % len(names)]
    if ag == "health" and n // 2 <= i < n // 2 + len(agencies):
        details["category"] = "mental_health"  # the health-only event
    body = {"source_ref": f"{ref}-{i}", "kind": kinds[ag][i % len(kinds[ag])],
            "occurred_at": at.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "subject": {"given_name": given, "family_name": family, "dob": dob},
            "summary": f"Event {i} of {n} for {given}", "details": details}
    text = json.dumps(body, ensure_ascii=False).replace("\\", "\\\\").replace('"', '\\"')
    return (f'url = "URL/api/v1/events"\nheader = "Authorization: Bearer TOKEN_{ag}"\n'
            f'header = "Content-Type: application/json"\nwrite-out = "\\n%{{http_code}}\\n"\ndata = "{text}"')
blocks = [put(i, "MANY", "Manon", "Marks", "2012-05-06", big) for i in range(big)]
blocks += [put(i, "SEAL", "Selina", "Sealy", "2013-07-08", sealed) for i in range(sealed)]
print("\nnext\n".join(blocks))  # "next" between requests, none after the last
PY
for ag in "${!tok[@]}"; do sed -i "s|TOKEN_$ag\"|${tok[$ag]}\"|" "$work/events.cfg"; done
sed -i "s|^url = \"URL|url = \"$url|" "$work/events.cfg"
curl -s -K "$work/events.cfg" >"$work/events.out"
if grep -qvE '^(201|\{.*)$' <(grep -v '^$' "$work/events.out"); then
  echo "page_same: intake refused an event:" >&2; grep -B1 -vE '^(201|\{.*)?$' "$work/events.out" | head -n 4 >&2; exit 1
fi
ids=$(sed -n 's/.*"child_id":\([0-9]*\).*/\1/p' "$work/events.out" | uniq)
[ "$(wc -w <<<"$ids")" = 2 ] || { echo "page_same: the events made other than two children: $ids" >&2; exit 1; }
read -r big sealed <<<"$(echo $ids)"
"$a" allocate --db "$db" --child "$big" --user same.worker >/dev/null
"$a" allocate --db "$db" --child "$sealed" --user same.worker >/dev/null
"$a" seal --db "$db" --child "$sealed" --basis adoption >/dev/null
# Break-glass for the one officer (opened at the setup clock for an hour: open for both builds' pages)
form=$(curl -s -H "Cookie: $cg" "$url/children/$big/break-glass")
csrf=$(sed -n 's/.*name="csrf_token" value="\([^"]*\)".*/\1/p' <<<"$form" | head -n 1)
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $cg" -H "Origin: $url" --data-urlencode "csrf_token=$csrf" \
  --data-urlencode "reason=Officer at the door now (page_same)" "$url/children/$big/break-glass")
[ "$code" = 303 ] || { echo "page_same: break-glass answered $code" >&2; exit 1; }
stop
clock=$now
pages() { # build, out
  # A later build may need a later schema (a migration that changes no page, say an index): it migrates first;
  # the earlier build's pages are read before.
  "$1" migrate --db "$db" >/dev/null 2>"$work/migrate.err" || { cat "$work/migrate.err" >&2; exit 1; }
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
      curl -s -H "Cookie: $cw" "$url$(sed 's/&amp;/\&/g' <<<"$older")" >>"$2"
    fi
    printf '\n=== health /children/%s\n' "$c" >>"$2"
    curl -s -H "Cookie: $ch" "$url/children/$c" >>"$2"
  done
  # The long children: every older page in turn (the worker's), the pages marks link to, the other readers.
  for q in "" "?agency=police" "?kind=concern" "?agency=health"; do get worker "$cw" "/children/$big$q" "$2"; done
  older_pages worker "$cw" "/children/$big" 40 "$2"
  marked worker "$cw" "/children/$big" "$2"
  get health "$ch" "/children/$big" "$2"
  older_pages health "$ch" "/children/$big" 2 "$2"
  marked health "$ch" "/children/$big?agency=health" "$2"
  get police "$cp" "/children/$big" "$2"
  get glass "$cg" "/children/$big" "$2"
  older_pages glass "$cg" "/children/$big" 2 "$2"
  marked glass "$cg" "/children/$big" "$2"
  get dpo "$cdp" "/children/$big" "$2"
  get worker "$cw" "/children/$sealed" "$2"
  get dpo "$cdp" "/children/$sealed" "$2"
  older_pages dpo "$cdp" "/children/$sealed" 5 "$2"
  marked dpo "$cdp" "/children/$sealed" "$2"
  stop
}
get() { # who cookie path out
  printf '\n=== %s %s\n' "$1" "$3" >>"$4"
  curl -s -w '\n(HTTP %{http_code})\n' -H "Cookie: $2" "$url$3" >>"$4"
}
older_pages() { # who cookie path max out: the "older events" links from page to page, at most max
  local p=$3 next
  for _ in $(seq 1 "$4"); do
    next=$(curl -s -H "Cookie: $2" "$url$p" | sed -n 's/.*href="\([^"]*before=[^"#]*\)#chronology".*/\1/p' | head -n 1)
    [ -n "$next" ] || break
    p=$(sed 's/&amp;/\&/g' <<<"$next") # (bash 5.2's ${x//&amp;/&} puts the match back for "&")
    get "$1" "$2" "$p" "$5"
  done
}
marked() { # who cookie path out: the first, middle and last marks that open another page (?before=AT_ID+1)
  local hrefs n h
  hrefs=$(curl -s -H "Cookie: $2" "$url$3" | grep -o 'href="[^"]*before=[^"]*#event-[0-9]*"' | sed 's/^href="//; s/#.*//' || true)
  n=$(grep -c . <<<"$hrefs" || true)
  [ "$n" -gt 0 ] || { printf '\n=== %s %s: no mark opens another page\n' "$1" "$3" >>"$4"; return; }
  for h in $(sed -n "1p; $(( (n + 1) / 2 ))p; \$p" <<<"$hrefs"); do get "$1" "$2" "$(sed 's/&amp;/\&/g' <<<"$h")" "$4"; done
}
pages "$a" "$work/a.html"
pages "$b" "$work/b.html"
[ -z "${PAGE_SAME_OUT:-}" ] || cp "$work/a.html" "$PAGE_SAME_OUT" # the first build's pages, to read
# What the long children are for, still there (else the comparison below would pass on less than it claims)
older=$(grep -c "^=== [a-z]* /children/[0-9]*?.*before=" "$work/a.html" || true)
[ "${BIG_EVENTS:-2100}" -lt 2000 ] || [ "$older" -ge 20 ] || { echo "page_same: only $older pages before= (older pages, marks)" >&2; exit 1; }
for want in 'id="emergency-access"' 'Recorded by Łukasz' 'Sent by' '(HTTP 403)'; do
  grep -qF "$want" "$work/a.html" || { echo "page_same: no page has $want" >&2; exit 1; }
done
n=$(grep -c '^=== ' "$work/a.html")
if cmp -s "$work/a.html" "$work/b.html"; then
  echo "same: $n pages, $(wc -c <"$work/a.html") bytes ($(grep -c 'id="event-' "$work/a.html") event rows)"
else
  echo "DIFFERENT:"; diff "$work/a.html" "$work/b.html" | head -n 20 || true; exit 1 # (diff's SIGPIPE: still 1)
fi
