#!/usr/bin/env bash
# bench/linkage_same.sh on PostgreSQL (a throwaway cluster, scripts/pg-test.sh): the first 1,500 records of the
# synthetic area (seed 7) sent one at a time, then the source records, events, review tasks, persons,
# identifiers, household members (with the events' dates they were first and last seen) and alerts written to OUT
# without timestamps. Two builds whose intake
# stores the same give identical files:
#   bench/linkage_same_pg.sh /tmp/before/safeguard a.txt; bench/linkage_same_pg.sh build/safeguard b.txt; cmp a.txt b.txt
set -euo pipefail
bin=$1; w=$(mktemp -d /tmp/det.XXXX)
export PG_TEST_STATE=$w/pg
db=$(sh scripts/pg-test.sh start)
trap 'sh scripts/pg-test.sh stop >/dev/null 2>&1 || true; rm -rf $w' EXIT
export SAFEGUARD_DATA_DIR=$w/data; mkdir -m 700 $w/data
$bin migrate --db "$db" >/dev/null 2>&1
for a in police health education social_care housing; do export "SAFEGUARD_TOKEN_${a^^}=$($bin token create --db "$db" --agency $a --scope events:write | tail -n 1)"; done
$bin gen --out $w/area --families 12500 --seed 7 --today 2026-11-24 2>/dev/null
head -n "${RECORDS:-1500}" $w/area/events.jsonl > $w/ev.jsonl
export SAFEGUARD_EVENTS=$w/ev.jsonl CLIENTS=1
$bin serve --db "$db" --listen 127.0.0.1:0 >$w/out 2>$w/err & pid=$!
for _ in $(seq 1 100); do grep -q listening $w/out 2>/dev/null && break; sleep 0.1; done
url=$(sed -n 's/^listening on //p' $w/out)
node bench/intake_fixed.mjs $url
kill $pid; wait $pid || true
psql -qAt "$db" -c "select id, agency, source_ref, person_id, link_rule, link_score from source_record order by id" \
  -c "select id, person_id, source_record_id, agency, kind, occurred_at, summary, details from event order by id" \
  -c "select * from link_review order by id" -c "select id, given_name, family_name, dob from person order by id" \
  -c "select person_id, kind, value, source_record_id from identifier order by id" \
  -c "select household_id, person_id, replace(first_seen, 'T', ' '), replace(last_seen, 'T', ' ') from household_member order by 1, 2" \
  -c "select person_id, code, raised_on, due_on, evidence from alert order by id" \
  -c "select count(*) from audit" | sed 's/20[0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9:.]*Z//g' > $2
