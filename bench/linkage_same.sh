#!/usr/bin/env bash
# Linkage output of a build, for comparing two builds: the first 1,500 records (RECORDS=N for more) of the synthetic area (seed 7)
# sent one at a time (bench/intake_fixed.mjs, CLIENTS=1) into a fresh file; the source records (person, rule,
# score), review tasks, persons, identifiers, blocking keys, alerts, households and their members, events, and
# whether the audit chain verifies, written to OUT without timestamps. Two builds whose linkage
# is the same give identical files:
#   bench/linkage_same.sh /tmp/before/safeguard a.txt; bench/linkage_same.sh build/safeguard b.txt; cmp a.txt b.txt
set -euo pipefail
bin=$1; w=$(mktemp -d /tmp/det.XXXX); db=sqlite:$w/db
export SAFEGUARD_DATA_DIR=$w/data; mkdir -m 700 $w/data
$bin migrate --db $db >/dev/null 2>&1
for a in police health education social_care housing; do export "SAFEGUARD_TOKEN_${a^^}=$($bin token create --db $db --agency $a --scope events:write | tail -n 1)"; done
$bin gen --out $w/area --families 12500 --seed 7 --today 2026-11-24 2>/dev/null
head -n "${RECORDS:-1500}" $w/area/events.jsonl > $w/ev.jsonl
export SAFEGUARD_EVENTS=$w/ev.jsonl CLIENTS=1
$bin serve --db $db --listen 127.0.0.1:0 >$w/out 2>$w/err & pid=$!
for _ in $(seq 1 100); do grep -q listening $w/out 2>/dev/null && break; sleep 0.1; done
url=$(sed -n 's/^listening on //p' $w/out)
node bench/intake_fixed.mjs $url
kill $pid; wait $pid || true
sqlite3 $w/db "select id, agency, source_ref, person_id, link_rule, link_score from source_record order by id; select * from link_review order by id; select id, given_name, family_name, dob from person order by id; select person_id, kind, value from identifier order by id; select key, person_id, source_record_id from person_block_key order by key, person_id, source_record_id; select person_id, code, raised_on, coalesce(due_on, ''), evidence, dedup_key, owner_kind, owner, state from alert order by id; select id, key, postcode, address from household order by id; select household_id, person_id, replace(first_seen, 'T', '_'), replace(last_seen, 'T', '_') from household_member order by household_id, person_id; select id, person_id, source_record_id, agency, kind, replace(occurred_at, 'T', '_'), summary, details from event order by id;" | sed 's/20[0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9:.]*Z//g' > $2
# and the audit chain verifies (its entries' times are the clock's, so not compared)
$bin audit verify --db $db 2>&1 | sed 's/^/audit verify: /' | sed 's/20[0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9:.]*Z//g' >> $2
rm -rf $w
