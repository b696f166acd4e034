#!/usr/bin/env bash
# make check and make test: runs the test stages, every one of them even when one fails, two at a time (the
# machine has 2 cores), each stage's output in build/check/STAGE.log; then the log of each failed stage
# (its failures) and one table: stage, result, passed, failed, skipped, seconds, skipped suites.
#
#   scripts/check.sh BUILD          make check: unit (SQLite), unit-pg (PostgreSQL), fuzz, e2e, browser,
#                                   layering, openapi, calendar
#                                   (calendar's full-pg day runs the e2e files on PostgreSQL too; the e2e
#                                   and openapi stages run on the calendar's full day, 31 December 23:59:45,
#                                   which the calendar then leaves out: E2E_AT below)
#   scripts/check.sh BUILD all      make check-all: the same, and e2e-pg and browser-pg (the e2e and browser
#                                   files on PostgreSQL; with them make check would pass 15 minutes here); the
#                                   e2e-pg stage runs on the calendar's full-pg day, which the calendar then
#                                   leaves out (E2E_PG_AT below)
#   scripts/check.sh BUILD quick    make test: unit, a short fuzz, layering, and the e2e files that touch
#                                   what changed (scripts/e2e-for-changes.sh)
#
# BUILD is build or build/san (SAN=1); the stages run as make targets with the same SAN. E2E_EXCLUDE (names
# of e2e files) is passed on to the e2e and e2e-pg stages. Exits 1 if any stage failed.
set -uo pipefail
build=$1 mode=${2:-full}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
san=""; [ "$build" = build/san ] && san="SAN=1"
logs=build/check
rm -rf "$logs"; mkdir -p "$logs"
mk=(make --no-print-directory $san)
# Compiles at once in the stages that build (unit and unit-pg: the unit binaries; fuzz: build/fuzz/, about a minute
# of clang one file at a time): the Makefile passes its CHECK_JOBS, the machine's cores.
jobs=${CHECK_JOBS:-$(nproc 2>/dev/null || echo 2)}
# node --test prints TAP when its output is not a terminal, but say so: the counts are read from it.
tap=NODE_TEST_FLAGS=--test-reporter=tap

# ---- the tests' temporary files ----
#
# Every throwaway area the tests make (SQLite files, the PostgreSQL clusters of scripts/pg-test.sh, chromium's
# profiles) lives under TMPDIR. A commit that waits for the disk (SQLite's synchronous=FULL, PostgreSQL's fsync)
# took 4-9 ms on this machine's disk: about 2,000 of them a calendar day. On a RAM file system (/dev/shm) they
# take microseconds and nothing the tests check changes (they stop and kill servers, never the machine). So the
# stages get a folder there when it has 2 GB free; CHECK_TMPDIR=DIR chooses another (CHECK_TMPDIR=/tmp: the disk).
if [ -n "${CHECK_TMPDIR:-}" ]; then tmp_root=$CHECK_TMPDIR
elif [ -d /dev/shm ] && [ -w /dev/shm ] && [ "$(df -Pk /dev/shm | awk 'NR == 2 { print $4 }')" -gt 2097152 ]; then
  tmp_root=/dev/shm
else tmp_root=${TMPDIR:-/tmp}; fi
run_tmp=$(mktemp -d "$tmp_root/safeguard-check.XXXXXX")
chmod 711 "$run_tmp" # the clusters' owner (pg-test.sh's safeguard-test when run as root) goes through it
export TMPDIR=$run_tmp
echo "check: temporary files in $run_tmp"

# ---- one stage ----

# A stage's CPU seconds (the table's "cpu s") are its children's user and system time once it ends. bash's `times`
# counts a process only when its parent waited for it and was itself waited for, and two kinds of the stages'
# processes end under init instead: the renderers of chromium (forked by its zygote, which a double fork detaches),
# where the pages are drawn and axe runs, and the PostgreSQL servers pg_ctl starts, whose backends run every query.
# scripts/reap.c (built here, once a run: a C compiler is there, make check has just built the binary) runs the
# stage as a child subreaper, so those end under it and count: two browser files measured 15.0 CPU s by `times`,
# 34.5 by reap, 33.9 by perf stat's task-clock over the same run (2026-12-07). Without a compiler: `times`.
count_cpu=(bash -c '"$@"; rc=$?; times >"$0"; exit $rc')
if cc -O2 -o "$logs/reap" scripts/reap.c 2>"$logs/reap.build.log"; then count_cpu=("$PWD/$logs/reap"); fi

# A stage that hangs (a test looping forever) is stopped after STAGE_TIMEOUT seconds, with everything it
# started (timeout signals the whole process group), and counts as failed; its log shows where it was.
stage_timeout=${STAGE_TIMEOUT:-$([ "$mode" = quick ] && echo 600 || echo 1800)}

# stage NAME: runs the stage's command (command_of) into build/check/NAME.log; NAME.rc and NAME.secs record
# how it went.
stage() {
  local name=$1 t0=$SECONDS rc
  command_of "$name"
  echo "check: $name started"
  # The stage's CPU seconds (user+sys of everything it started: node, chromium and its renderers, the servers, the
  # CLIs, the PostgreSQL servers it started; count_cpu above) go to NAME.times: unlike seconds, they hardly move
  # with the machine's load, so they compare runs (docs/INTERNALS.md "Where the time goes").
  # Each test file the stage runs adds a line to NAME.files.jsonl (tests/e2e/lib.mjs, SG_PROFILE): its wall and
  # CPU time; scripts/time-report.mjs sums them (the slowest files of the long stages are printed at the end).
  # The count goes through reap (scripts/reap.c, built above) where it could be built: bash's `times` alone missed
  # what chromium's zygote and pg_ctl leave to init (the renderers, the PostgreSQL servers), about half the browser
  # stage's CPU.
  SG_PROFILE="$PWD/$logs/$name.files.jsonl" \
  timeout -k 10 "$stage_timeout" "${count_cpu[@]}" "$logs/$name.times" "${cmd[@]}" \
    >"$logs/$name.log" 2>&1 </dev/null &
  echo $! >"$logs/$name.pgid" # timeout leads a process group of its own: see stop_stages
  wait $!; rc=$?
  rm -f "$logs/$name.pgid"
  [ "$rc" -eq 124 ] && echo "check: $name stopped after ${stage_timeout} s (STAGE_TIMEOUT)" >>"$logs/$name.log"
  echo "$rc" >"$logs/$name.rc"; echo $((SECONDS - t0)) >"$logs/$name.secs"
  if [ "$rc" -eq 0 ]; then echo "check: $name ok ($((SECONDS - t0)) s)"
  elif [ "$rc" -eq 124 ]; then echo "check: $name TIMED OUT after $((SECONDS - t0)) s (log $logs/$name.log)"
  else echo "check: $name FAILED ($((SECONDS - t0)) s, exit $rc; log $logs/$name.log)"; fi
}

# Interrupted (Ctrl-C, or make check itself stopped): stop the running stages too. Each runs in timeout's
# own process group, out of the terminal's reach.
# The workers go first (else each would take the next stage from the queue), then the stages; the temporary
# folder is removed once their processes are gone (a bounded wait: 30 s).
stop_stages() {
  local f g i alive
  [ -n "${workers:-}" ] && kill -TERM $workers 2>/dev/null
  [ -n "${prebuild_pid:-}" ] && kill -TERM -- "-$prebuild_pid" 2>/dev/null
  for f in "$logs"/*.pgid; do [ -f "$f" ] && kill -TERM -- "-$(cat "$f")" 2>/dev/null; done
  for i in $(seq 30); do
    alive=0
    for f in "$logs"/*.pgid; do [ -f "$f" ] && g=$(cat "$f") && kill -0 -- "-$g" 2>/dev/null && alive=1; done
    [ "$alive" -eq 0 ] && break
    sleep 1
  done
  rm -rf "$run_tmp"
  exit 130
}
trap stop_stages INT TERM

# Counts from a log: the last "WORD: N passed, M failed[, K skipped]" line (run-unit.sh, fuzz.sh,
# layering.mjs, calendar), else node's TAP summary (# pass, # fail, # cancelled, # skipped).
counts() { # LOG -> "passed failed skipped" ("- - -" when the log says nothing)
  awk '
    match($0, /^[A-Za-z-]+: [0-9]+ passed, [0-9]+ failed(, [0-9]+ skipped)?$/) {
      split($0, w, /[ ,]+/); p = w[2]; f = w[4]; s = (w[6] == "" ? 0 : w[6]); plain = 1 }
    /^# (pass|fail|cancelled|skipped) [0-9]+$/ { tap[$2] = $3; seen = 1 }
    END {
      if (plain) print p, f, s
      else if (seen) print tap["pass"] + 0, tap["fail"] + tap["cancelled"], tap["skipped"] + 0
      else print "- - -"
    }' "$1"
}

# cpu LOG-STEM: the CPU seconds of a stage from the second line of bash's `times` (children: "0m12.5s 0m3.2s").
cpu_secs() {
  [ -s "$1.times" ] || { echo -; return; }
  sed -n 2p "$1.times" | awk '{ s = 0; for (i = 1; i <= 2; i++) { split($i, a, /[ms]/); s += a[1] * 60 + a[2] }
    printf "%d\n", s + 0.5 }'
}

# The names of the conformance suites a stage skipped (tests print "skipped suite NAME: why").
skipped_suites() { grep -o 'skipped suite [A-Za-z0-9_.-]*' "$1" | sed 's/^skipped suite //' | sort -u | paste -sd, -; }

# What went wrong, from a failed stage's log: node's failing tests (their "not ok" blocks) or, for the other
# stages, the whole log (up to its last 200 lines).
failures() {
  local log=$1
  if grep -q '^ *not ok ' "$log"; then
    awk '/^ *not ok / { on = 1 } on { print } on && /^ *\.\.\.$/ { on = 0 }' "$log" | head -n 400
  else
    tail -n 200 "$log"
  fi
}

# ---- the plan: a queue of stages, two workers (2 cores) ----
#
# Each worker takes the next stage from the queue when it is free. The longest stage comes first (measured
# on this machine: docs/INTERNALS.md, "Running the tests"), so one worker spends the run on it while the
# other takes the second longest, then the quick stages.

user_exclude=${E2E_EXCLUDE:-}
e2e_exclude=$user_exclude
if [ "$mode" = quick ]; then
  # make test: what changed since this branch left main, and what is not committed yet.
  chosen=$(scripts/e2e-for-changes.sh)
  echo "check: e2e files for the changes: ${chosen:-none}"
  queue=(e2e layering unit fuzz)
  fuzz_secs=${FUZZ_SECONDS:-3}
else
  chosen=""
  # openapi is its own stage: the e2e stage leaves it out.
  e2e_exclude="openapi $user_exclude"
  # The calendar matrix (scripts/calendar.sh), where this tree's Makefile has it, is one of the two longest
  # stages (651 s beside the browser's 552 s on a quiet machine, 752fad8, each file then one at a time; its 29
  # February day runs every e2e file on PostgreSQL): it goes second, so that the two longest run side by side
  # and the quick stages fill in after them (make check's wall time 883 s with the calendar last, about 780 s
  # this way). Files two at a time within a stage (BROWSER_JOBS, E2E_JOBS, CALENDAR_FILE_JOBS = 2) were measured
  # on a quiet machine and made it slower: below.
  calendar=(); if make -n calendar >/dev/null 2>&1; then calendar=(calendar); fi
  # The quick stages follow longest first too, so that the last to start is a short one: e2e (ci96: 259 s), then
  # fuzz, unit-pg and unit, whose builds are done by then (prebuild below; ci96, building them: fuzz 153 s,
  # unit 47; unit-pg 47, each of its tests migrating a PostgreSQL database).
  queue=(browser "${calendar[@]}" e2e fuzz unit-pg unit openapi layering)
  # make check-all: e2e-pg beside the browser stage, before the quick stages.
  [ "$mode" = all ] && queue=(browser browser-pg e2e-pg "${calendar[@]}" e2e fuzz unit-pg unit openapi layering)
  # The e2e stage is the calendar's `full` day (tests/calendar/days.txt: 31 December 23:59:45, the run crossing
  # into a new year): the same files on the same backend (SQLite) as that day, which ran them a second time at
  # its instant while the e2e stage ran them on the real date (docs/INTERNALS.md, "Running the tests", says what
  # that leaves out). The e2e and openapi stages run on the day's clock, SAFEGUARD_NOW=+OFFSET computed as the
  # stage starts as calendar.sh computes it as a day starts, with CALENDAR_AT (clock.test.mjs checks that the
  # run is on that day: the e2e stage fails unless that test passed), and the calendar leaves the day out
  # (CALENDAR_ELSEWHERE). Without the calendar target the stages run on the real date. E2E_AT=INSTANT chooses
  # another instant, E2E_AT=now the real date (and the calendar runs its full day itself).
  e2e_at=""
  if [ "${#calendar[@]}" -gt 0 ]; then
    e2e_at=${E2E_AT:-$(sed -e 's/#.*//' "${CALENDAR_DAYS:-tests/calendar/days.txt}" | awk '$2 == "full" { print $1; exit }')}
    [ "$e2e_at" = now ] && e2e_at=""
  fi
  # make check-all: the e2e-pg stage is the calendar's `full-pg` day (29 February 2028 10:00), as the e2e stage is
  # its `full` day, and the calendar leaves that day out too. Before, check-all ran every e2e file on PostgreSQL
  # twice, side by side: the e2e-pg stage on the real date and the full-pg day at its instant. On 2026-12-07 at
  # load 15-24 (r-checkall32's first run) the two together took both lanes for 30 minutes and neither ended:
  # the full-pg day was stopped by its 1200 s after 46 of its 66 PostgreSQL files, e2e-pg by STAGE_TIMEOUT after
  # 64 of its 67. What this leaves out of check-all, as the e2e stage does: the PostgreSQL files on the real
  # date, and the full-pg day's SQLite files (the pg_* files with clusters of their own, replay, openapi...) at
  # its instant: the e2e stage runs them at 31 December's. E2E_PG_AT=now runs e2e-pg on the real date (and the
  # calendar its full-pg day itself), E2E_PG_AT=INSTANT at another day of the list.
  # Without PostgreSQL (no initdb: e2e-pg skips by name) the calendar keeps the day, which it then runs on SQLite.
  e2e_pg_at=""
  if [ "$mode" = all ] && [ "${#calendar[@]}" -gt 0 ] &&
     { [ -x "${PGBIN:-/nonexistent}/initdb" ] || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; }; then
    e2e_pg_at=${E2E_PG_AT:-$(sed -e 's/#.*//' "${CALENDAR_DAYS:-tests/calendar/days.txt}" | awk '$2 == "full-pg" { print $1; exit }')}
    [ "$e2e_pg_at" = now ] && e2e_pg_at=""
  fi
  # 8 s a target in make check (9 targets from their seeds; `make fuzz-smoke` alone gives 15, `make fuzz`
  # the long run): with 15 the fuzz stage (150-184 s) made the quick lane the longer of the two.
  fuzz_secs=${FUZZ_SECONDS:-8}
fi
# CHECK_STAGES="STAGE..." runs those stages alone, as this run would (the same days, environment and table): a
# failed stage again, e.g. CHECK_STAGES="e2e-pg calendar" scripts/check.sh build all.
if [ -n "${CHECK_STAGES:-}" ]; then read -ra queue <<< "$CHECK_STAGES"; fi
# The table lists the stages that ran in this order.
order=(prebuild unit unit-pg fuzz e2e e2e-pg openapi browser browser-pg calendar layering)

# unit and unit-pg both need the unit binaries, and the two workers may start them at once: each stage first
# builds them (make unit-bin) under one lock, so that two makes never link the same binary side by side.
unit_first() { # TARGET -> cmd: the unit binaries under the lock, then make TARGET
  cmd=("${after_prebuild[@]}" bash -c 'lock=$1 target=$2; shift 2; flock "$lock" "$@" unit-bin && "$@" "$target"' unit_first
    "$logs/unit-bin.lock" "$1" "${mk[@]}" -j"$jobs")
}

# ---- the builds that wait for no stage (prebuild) ----
#
# The fuzz targets (build/fuzz/: about 90 clang compiles with ASan and UBSan, some 55 CPU seconds of the fuzz
# stage's 150 in ci96) and the unit binaries are needed only by the fuzz, unit and unit-pg stages, which start
# when the browser stage or the calendar ends, about 10 minutes in. Until then those two leave a third of the
# machine idle: their files wait on servers, chromium and PostgreSQL (ci96: 1,090 CPU seconds in 1,730
# core-seconds of stages). So both builds start with the stages, at the lowest priority (nice 19: they take
# the CPU the stages leave), and the stages that need them wait for them (a lock), first giving them the normal
# priority back (renice -n 0 on the build's process group: allowed to root, as CI runs; elsewhere the build goes
# on at nice 19). The table's "prebuild" row is that build. PREBUILD=0 builds in the stages, as before.
prebuild_lock=$logs/prebuild.lock
prebuild_pid=""
start_prebuild() {
  [ "${PREBUILD:-1}" = 1 ] || return 0
  exec 9>"$prebuild_lock"
  flock 9 # held by the build (its copy of fd 9) until it ends
  # setsid: a process group of its own (its pid), for renice -g and stop_stages
  setsid bash -c 't0=$SECONDS; nice -n 19 "$@" >"$0.log" 2>&1 </dev/null; rc=$?; times >"$0.times"
    echo $((SECONDS - t0)) >"$0.secs"; echo "$rc" >"$0.rc"' "$logs/prebuild" "${mk[@]}" -j"$jobs" unit-bin fuzz-bin &
  prebuild_pid=$!
  exec 9>&- # the workers and stages started after this do not hold the lock
}
# A stage's command prefixed with after_prebuild waits until the build has ended (at once without it).
after_prebuild=(bash -c '[ -n "$1" ] && renice -n 0 -g "$1" >/dev/null 2>&1; flock "$2" true; shift 2; exec "$@"'
  after_prebuild)

# The browser and e2e files run BROWSER_JOBS and E2E_JOBS at a time, one by default. Two at a time (each file
# with its own demo server, chromium and profile) looked like using an idle third of the machine (752fad8: 1,111
# CPU seconds over ~820 s of stages on 2 cores), but that count leaves out the PostgreSQL servers pg_ctl starts:
# on a quiet machine (2026-12-06, a fresh clone's .ci/run, ci62 against ci59) two at a time here and in the
# calendar's full days took the browser stage 552 -> 608 s, the calendar 651 -> 869 s, e2e 213 -> 211 s, and the
# stages' CPU 1,111 -> 1,349 s: the two workers already keep both cores busy, and more at once only adds
# contention. The knobs stay for a machine with more cores.
browser_jobs=${BROWSER_JOBS:-1}
e2e_jobs=${E2E_JOBS:-1}

# on_day: the environment of a stage run on the e2e stage's day (none on the real date): the day's offset from
# the system clock, computed now (as the stage starts), and the instant for clock.test.mjs.
on_day() {
  day_env=(env) pg_day_env=(env)
  [ -n "${e2e_at:-}" ] && day_env=(env SAFEGUARD_NOW="$(printf '%+d' $(( $(date -u -d "$e2e_at" +%s) - $(date +%s) )))" \
    CALENDAR_AT="$e2e_at")
  [ -n "${e2e_pg_at:-}" ] && pg_day_env=(env SAFEGUARD_NOW="$(printf '%+d' $(( $(date -u -d "$e2e_pg_at" +%s) - $(date +%s) )))" \
    CALENDAR_AT="$e2e_pg_at")
}

command_of() { # NAME -> cmd, the command of one stage
  on_day
  case $1 in
    unit) unit_first unit ;;
    unit-pg) unit_first unit-pg ;;
    fuzz) cmd=("${after_prebuild[@]}" "${mk[@]}" -j"$jobs" fuzz-smoke FUZZ_SECONDS="$fuzz_secs") ;;
    layering) cmd=("${mk[@]}" layering) ;;
    openapi) cmd=("${day_env[@]}" "${mk[@]}" e2e E2E=openapi "$tap") ;;
    e2e)
      if [ "$mode" = quick ]; then cmd=("${mk[@]}" e2e E2E="$chosen" E2E_EXCLUDE="$e2e_exclude" E2E_JOBS="$e2e_jobs" "$tap")
      else cmd=("${day_env[@]}" "${mk[@]}" e2e E2E_EXCLUDE="$e2e_exclude" E2E_JOBS="$e2e_jobs" "$tap"); fi ;;
    e2e-pg) cmd=("${pg_day_env[@]}" "${mk[@]}" e2e-pg E2E_EXCLUDE="$e2e_exclude" "$tap") ;;
    browser) cmd=("${mk[@]}" browser BROWSER_JOBS="$browser_jobs" "$tap") ;;
    browser-pg) cmd=("${mk[@]}" browser-pg BROWSER_JOBS="$browser_jobs" "$tap") ;;
    calendar) cmd=(env CALENDAR_ELSEWHERE="$(echo ${e2e_at:-} ${e2e_pg_at:-})" "${mk[@]}" calendar) ;;
  esac
}

# next: prints the stage at the head of the queue and takes it off (under a lock: two workers share it).
printf '%s\n' "${queue[@]}" >"$logs/queue"
next() { flock "$logs/queue.lock" sh -c 'head -n 1 "$1"; sed -i 1d "$1"' sh "$logs/queue"; }
worker() { local s; while s=$(next) && [ -n "$s" ]; do stage "$s"; done; }

t0=$SECONDS
start_prebuild
after_prebuild+=("$prebuild_pid" "$prebuild_lock")
worker & workers=$!
worker & workers="$workers $!"
wait
wall=$((SECONDS - t0))
rm -rf "$run_tmp"

# The e2e stage stood for the calendar's full day: it counts only if its run was on that day, as calendar.sh
# requires of each day (clock.test.mjs's test passed, not skipped), unless E2E_EXCLUDE left clock out.
# So did the e2e-pg stage of make check-all for the full-pg day.
for day_stage in "e2e ${e2e_at:-}" "e2e-pg ${e2e_pg_at:-}"; do
  read -r s_name s_at <<< "$day_stage"
  if [ -n "${s_at:-}" ] && [ -f "$logs/$s_name.rc" ] && [[ " $user_exclude " != *" clock "* ]] &&
     ! grep -qE '^ *ok [0-9]+ - a calendar run is on the day it names[^#]*$' "$logs/$s_name.log"; then
    echo "check: the $s_name stage stands for the calendar's $s_at, but clock.test.mjs did not pass 'a calendar run is on the day it names'" \
      | tee -a "$logs/$s_name.log"
    [ "$(cat "$logs/$s_name.rc")" -eq 0 ] && echo 1 >"$logs/$s_name.rc"
  fi
done

# ---- the report ----

stages=()
for s in "${order[@]}"; do [ -f "$logs/$s.rc" ] && stages+=("$s"); done
for s in "${stages[@]}"; do
  [ "$(cat "$logs/$s.rc")" -eq 0 ] && continue
  echo
  echo "==== $s failed: $logs/$s.log"
  failures "$logs/$s.log"
done

tp=0 tf=0 ts=0 tc=0 bad=0
echo
printf '%-9s %-7s %7s %7s %8s %8s %8s  %s\n' stage result passed failed skipped seconds "cpu s" "skipped suites"
for s in "${stages[@]}"; do
  read -r p f k < <(counts "$logs/$s.log")
  rc=$(cat "$logs/$s.rc")
  result=ok
  if [ "$rc" -ne 0 ] || { [ "$f" != - ] && [ "$f" -gt 0 ]; }; then result=FAILED; bad=$((bad + 1)); fi
  [ "$rc" -eq 124 ] && result=TIMEOUT
  # A stage that failed before it counted anything (a build error) counts as one failure.
  [ "$result" != ok ] && { [ "$f" = - ] || [ "$f" -eq 0 ]; } && f=1
  c=$(cpu_secs "$logs/$s"); [ "$c" != - ] && tc=$((tc + c))
  printf '%-9s %-7s %7s %7s %8s %8s %8s  %s\n' "$s" "$result" "$p" "$f" "$k" "$(cat "$logs/$s.secs")" "$c" \
    "$(skipped_suites "$logs/$s.log")"
  [ "$p" != - ] && tp=$((tp + p)); [ "$f" != - ] && tf=$((tf + f)); [ "$k" != - ] && ts=$((ts + k))
done
printf '%-9s %-7s %7s %7s %8s %8s %8s\n' total "$([ "$bad" -eq 0 ] && echo ok || echo FAILED)" "$tp" "$tf" "$ts" "$wall" "$tc"
echo "check: load average at the end: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)"
for s in browser calendar e2e; do
  [ -s "$logs/$s.files.jsonl" ] || continue
  echo "check: the slowest files of $s (all: node scripts/time-report.mjs $logs/$s.files.jsonl 100)"
  node scripts/time-report.mjs "$logs/$s.files.jsonl" 5
done
[ -n "$user_exclude" ] && echo "check: e2e files left out (E2E_EXCLUDE): $user_exclude"
echo "check: $tp passed, $tf failed, $ts skipped"
[ "$bad" -eq 0 ]
