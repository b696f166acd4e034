#!/usr/bin/env bash
# make calendar: the calendar matrix (issue 13). Runs the date-sensitive e2e suites once for each awkward
# "today" of tests/calendar/days.txt, on the injected clock: SAFEGUARD_NOW=+OFFSET (seconds from the system
# clock to the day's instant, computed once when that day's run starts), which tests/e2e/lib.mjs reads and every
# server and CLI the tests start inherits.
#
#   scripts/calendar.sh BUILD        e.g. build, or build/san
#   CALENDAR_JOBS=N                  days run side by side (default 2: this machine has 2 cores)
#   CALENDAR_FILE_JOBS=N             files a full or full-pg day runs at once (default 1; core days run one)
#   CALENDAR_DAYS=FILE               another list of days (default tests/calendar/days.txt)
#   CALENDAR_ELSEWHERE="INSTANT..."  days of the list run elsewhere, not here: make check's e2e stage runs the
#                                    `full` day, make check-all's e2e-pg the `full-pg` day (scripts/check.sh);
#                                    each is named in the output, not run
#
# Which files run on a day: "core" (CORE below: every file whose outcome rests on today's date: the statutory
# clocks, rules and sweep in alerts, the replay of clocks, TOTP steps and API sessions in users, the web
# sessions' idle and absolute timeouts, intake's "in the future", the LADO's working-day clocks, and clock itself) on every day; "full" (every
# file of tests/e2e/ but the TIMELESS ones below, which read no clock) on the few days that days.txt marks. The other files read today only through a sign-in
# or a stamp, which the full days cover; running them on every day would double the matrix's time.
# "full-pg" is a full day on PostgreSQL (issue 17: make check runs the e2e files on both backends): a throwaway
# cluster (scripts/pg-test.sh) started for the day and stopped after it, every file run against it
# (SAFEGUARD_TEST_DB) except those CALENDAR_PG_EXCLUDE names (the Makefile passes E2E_PG_EXCLUDE: files that
# start clusters of their own or open no database), which run on SQLite the same day, so the day still runs
# every file. Without PostgreSQL installed the whole day runs on SQLite and says "skipped suite postgresql".
#
# Prints a line per day (passed, failed, seconds), then checks that every day of the list ran, ran tests and
# ran on its day (clock.test.mjs's "a calendar run is on the day it names" passed), and ends with "# pass N" and
# "# fail M" over all days. Each day leaves BUILD/calendar/NN-INSTANT.tap (the runner's output) and
# NN-INSTANT.result ("INSTANT SET PASS FAIL SECONDS EXIT").
set -euo pipefail
build=${1:?usage: scripts/calendar.sh BUILD}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
days_file=${CALENDAR_DAYS:-tests/calendar/days.txt}
jobs_max=${CALENDAR_JOBS:-2}
# A full day is one long run of every e2e file (the full-pg day 478 s, the full one 336 s of make check's 651 s
# calendar on 2026-12-06, 752fad8). The files keep to their own areas (tempDir, their own servers, clusters and
# PostgreSQL databases), so a full day can run them CALENDAR_FILE_JOBS at a time, and with more than one the
# full-pg day's SQLite files run beside its PostgreSQL ones. One by default: on this 2-core machine two at a time
# made the calendar slower (651 -> 869 s on a quiet machine, ci62 against ci59: the two days side by side already
# keep both cores busy; see scripts/check.sh).
file_jobs=${CALENDAR_FILE_JOBS:-1}
out="$build/calendar"
bin="$root/$build/safeguard"
[ -x "$bin" ] || { echo "calendar: no $bin (make first)" >&2; exit 2; }

CORE=(clock alerts replay users web_sessions bad_input intake lado)
core_files=()
for f in "${CORE[@]}"; do core_files+=("tests/e2e/$f.test.mjs"); done
# Files that read no clock at all, left out of the full days (the e2e stage runs them once): the homes monitor's
# detection floors on generated areas whose months are fixed by the generator, not by today. They were the two
# slowest files of a full day (about 85 s of its wall time between them, 2026-12-05).
TIMELESS=(homes_robustness homes_style_c homes_style_d)
full_files=()
for f in tests/e2e/*.test.mjs; do
  name=${f##*/}; name=${name%.test.mjs}; keep=1
  for x in "${TIMELESS[@]}"; do [ "$x" = "$name" ] && keep=0; done
  [ "$keep" -eq 1 ] && full_files+=("$f")
done
# Bounds a hang. A core day takes about a minute; a full day (every e2e file) 2-5 minutes on a quiet machine, but
# at load 20 the 31 December day passed 600 s (2026-12-05): a full day gets 1200 s (make check's STAGE_TIMEOUT,
# 1800 s, still bounds the whole matrix).
DAY_TIMEOUT=${CALENDAR_DAY_TIMEOUT:-600}
FULL_DAY_TIMEOUT=${CALENDAR_FULL_DAY_TIMEOUT:-1200}

rm -rf "$out"
mkdir -p "$out"

# days.txt without comments and blank lines: "INSTANT SET WHY..."
mapfile -t days < <(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$days_file")
[ "${#days[@]}" -gt 0 ] || { echo "calendar: no days in $days_file" >&2; exit 2; }

# day_run PIDFILE DB FILE...: node --test over the files on the day's clock (offset, at: run_day's), against DB
# when it is a PostgreSQL URL, else on SQLite files of their own (tests/e2e/lib.mjs); a full day's files
# file_jobs at a time. timeout leads a process group of its own, out of reach of a signal to this script's
# group: its pid goes to PIDFILE while it runs, for stop_days.
day_run() {
  local pidfile=$1 db=$2 rc=0; shift 2
  SAFEGUARD_NOW=$(printf '%+d' "$offset") CALENDAR_AT=$at SAFEGUARD_BIN=$bin SHARED="$root/../shared" \
    SAFEGUARD_TEST_DB=$db timeout -k 10 "$([ "$set" = core ] && echo "$DAY_TIMEOUT" || echo "$FULL_DAY_TIMEOUT")" \
    node --test --test-concurrency="$([ "$set" = core ] && echo 1 || echo "$file_jobs")" --test-reporter=tap "$@" &
  echo $! >"$pidfile"
  wait $! || rc=$?
  rm -f "$pidfile"
  return $rc
}

# tap_sum pass|fail TAP...: the sum of the runs' "# pass N" (or "# fail N") lines (a missing file adds 0).
tap_sum() {
  local word=$1 n=0 v t; shift
  for t in "$@"; do
    [ -f "$t" ] || continue
    v=$(sed -n "s/^# $word \\([0-9]*\\)\$/\\1/p" "$t" | tail -n 1)
    n=$((n + ${v:-0}))
  done
  echo "$n"
}

# pg_split: files (to run on PostgreSQL) and rest_files (on SQLite) of a full-pg day.
pg_split() {
  local f name x keep
  files=(); rest_files=()
  for f in "${full_files[@]}"; do
    name=${f##*/}; name=${name%.test.mjs}; keep=1
    for x in ${CALENDAR_PG_EXCLUDE:-}; do [ "$x" = "$name" ] && keep=0; done
    if [ "$keep" -eq 1 ]; then files+=("$f"); else rest_files+=("$f"); fi
  done
}

run_day() { # index, instant, set, why
  local n=$1 at=$2 set=$3 why=$4 tag files rest_files=() offset start secs rc p f
  tag=$(printf '%02d-%s' "$n" "${at//:/}")
  case $set in
    core) files=("${core_files[@]}") ;;
    full) files=("${full_files[@]}") ;;
    full-pg) pg_split ;;
    *) echo "calendar: $days_file: $at: the set must be core, full or full-pg, not '$set'" >&2; return 2 ;;
  esac
  offset=$(( $(date -u -d "$at" +%s) - $(date +%s) ))
  start=$(date +%s)
  rc=0
  local db="" state="$out/$tag.pg-state"
  if [ "$set" = full-pg ]; then
    if db=$(PG_TEST_STATE=$state scripts/pg-test.sh start 2>"$out/$tag.pg-start.log"); then
      echo "calendar: $at on PostgreSQL ($db); on SQLite: ${rest_files[*]##*/}" > "$out/$tag.tap"
    else
      echo "skipped suite postgresql: the throwaway cluster did not start ($out/$tag.pg-start.log); this day runs on SQLite" \
        > "$out/$tag.tap"
      db=""; files=("${full_files[@]}"); rest_files=()
    fi
  fi
  # The full-pg day's files on SQLite run beside those on PostgreSQL when files run more than one at a time.
  local rest_pid="" rest_rc=0
  if [ "$set" = full-pg ] && [ "${#rest_files[@]}" -gt 0 ] && [ "$file_jobs" -gt 1 ]; then
    day_run "$out/$tag-sqlite.pid" "" "${rest_files[@]}" > "$out/$tag-sqlite.tap" 2>&1 &
    rest_pid=$!
  fi
  day_run "$out/$tag.pid" "$db" "${files[@]}" >> "$out/$tag.tap" 2>&1 || rc=$?
  [ -n "$db" ] && { PG_TEST_STATE=$state scripts/pg-test.sh stop >/dev/null 2>&1 || true; }
  if [ -n "$rest_pid" ]; then wait "$rest_pid" || rest_rc=$?; [ "$rest_rc" -ne 0 ] && rc=$rest_rc
  elif [ "$set" = full-pg ] && [ "${#rest_files[@]}" -gt 0 ]; then
    day_run "$out/$tag-sqlite.pid" "" "${rest_files[@]}" > "$out/$tag-sqlite.tap" 2>&1 || rc=$?
  fi
  secs=$(( $(date +%s) - start ))
  p=$(tap_sum pass "$out/$tag.tap" "$out/$tag-sqlite.tap")
  f=$(tap_sum fail "$out/$tag.tap" "$out/$tag-sqlite.tap")
  echo "$at $set ${p:-0} ${f:-0} $secs $rc" > "$out/$tag.result"
  printf 'calendar: %-22s %-4s %4s passed, %s failed, %3s s  %s%s\n' "$at" "$set" "${p:-0}" "${f:-0}" "$secs" "$why" \
    "$([ "$rc" -ne 0 ] && echo "  (exit $rc: $out/$tag.tap)")"
  if [ "${f:-0}" -ne 0 ] || [ "$rc" -ne 0 ]; then
    cat "$out/$tag.tap" "$out/$tag-sqlite.tap" 2>/dev/null | grep -E '^ *not ok ' | sed 's/^ */    /' | head -n 20 || true
  fi
}

# Stopped (make check's STAGE_TIMEOUT, Ctrl-C): the days' runs lead process groups of their own (timeout's),
# which a signal to the stage's group does not reach, and a full-pg day's cluster runs on its own (pg_ctl): stop
# both. (Before 2026-12-06 only the clusters were stopped, and the running days' tests went on without them.)
stop_days() {
  local s p
  trap - INT TERM
  for p in "$out"/*.pid; do [ -f "$p" ] && kill -TERM "$(cat "$p")" 2>/dev/null; done
  for s in "$out"/*.pg-state; do [ -f "$s" ] && PG_TEST_STATE=$s scripts/pg-test.sh stop >/dev/null 2>&1; done
  exit 130
}
trap stop_days INT TERM

# The days run elsewhere (CALENDAR_ELSEWHERE) must be days of the list: a typo would otherwise drop a day unseen.
elsewhere=" ${CALENDAR_ELSEWHERE:-} "
for x in ${CALENDAR_ELSEWHERE:-}; do
  found=0
  for line in "${days[@]}"; do read -r at _ <<< "$line"; [ "$at" = "$x" ] && found=1; done
  [ "$found" -eq 1 ] || { echo "calendar: CALENDAR_ELSEWHERE names $x, which is not a day of $days_file" >&2; exit 2; }
done

echo "calendar: ${#days[@]} days from $days_file, $jobs_max at a time (a full day's files $file_jobs at a time)"
t0=$(date +%s)
# The longest days start first (full-pg, then full, then the core days, each in the list's order), so that the
# matrix does not end with one long day running alone while the other job has nothing left to take (the list
# has the full-pg day last).
order=()
for want in full-pg full core; do
  n=0
  for line in "${days[@]}"; do
    read -r _ set _ <<< "$line"
    n=$((n + 1))
    [ "$set" = "$want" ] && order+=("$n")
  done
done
# A day whose set is none of these still runs (run_day refuses it by name).
for n in $(seq 1 "${#days[@]}"); do
  case " ${order[*]} " in *" $n "*) ;; *) order+=("$n") ;; esac
done
for n in "${order[@]}"; do
  read -r at set why <<< "${days[$((n - 1))]}"
  if [[ "$elsewhere" == *" $at "* ]]; then
    printf 'calendar: %-22s %-4s run elsewhere (CALENDAR_ELSEWHERE: the e2e stage of make check, e2e-pg of make check-all)  %s\n' "$at" "$set" "$why"
    continue
  fi
  # At most jobs_max days at once: wait for one to end (each is bounded by DAY_TIMEOUT).
  while [ "$(jobs -rp | wc -l)" -ge "$jobs_max" ]; do wait -n || true; done
  run_day "$n" "$at" "$set" "$why" &
done
wait || true

# Did the matrix run? Every day of the list has its result, ran tests, none failed, and ran on its day.
total_pass=0; total_fail=0; missing=0
n=0
for line in "${days[@]}"; do
  read -r at set _ <<< "$line"
  n=$((n + 1))
  tag=$(printf '%02d-%s' "$n" "${at//:/}")
  [[ "$elsewhere" == *" $at "* ]] && continue
  if [ ! -s "$out/$tag.result" ]; then
    echo "calendar: $at did not run"; missing=$((missing + 1)); continue
  fi
  read -r _ _ p f _ rc < "$out/$tag.result"
  total_pass=$((total_pass + p)); total_fail=$((total_fail + f))
  if [ "$p" -eq 0 ]; then
    echo "calendar: $at ran no test (exit $rc: $out/$tag.tap)"; missing=$((missing + 1))
  elif [ "$f" -eq 0 ] && [ "$rc" -ne 0 ]; then
    echo "calendar: $at exited $rc with no failing test ($out/$tag.tap)"; missing=$((missing + 1))
  elif ! grep -qE '^ *ok [0-9]+ - a calendar run is on the day it names' "$out/$tag.tap"; then
    echo "calendar: $at: the run's clock was not on that day (clock.test.mjs, $out/$tag.tap)"; missing=$((missing + 1))
  fi
done
n_else=$(wc -w <<< "${CALENDAR_ELSEWHERE:-}")
echo "calendar: $((n - n_else)) days in $(( $(date +%s) - t0 )) s; $((n - n_else - missing)) ran in full on their day$(
  [ "$n_else" -gt 0 ] && echo "; $n_else run elsewhere: ${CALENDAR_ELSEWHERE}")"
# The check that the matrix ran counts as one test.
if [ "$missing" -eq 0 ]; then total_pass=$((total_pass + 1)); else total_fail=$((total_fail + 1)); fi
echo "# pass $total_pass"
echo "# fail $total_fail"
[ "$total_fail" -eq 0 ]
