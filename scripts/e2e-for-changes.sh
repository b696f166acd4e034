#!/usr/bin/env bash
# Which end-to-end test files `make test` runs: those that touch what changed since this branch left main
# (git merge-base HEAD main), committed or not, plus new files not yet added. Prints their names
# (tests/e2e/NAME.test.mjs), space-separated, sorted.
#
# The map below is deliberately simple: a changed path is matched against each row's pattern (a bash glob)
# in order, and the first row that matches says which files to run. "all" means every e2e file: used when a
# change reaches every request (the dispatcher, the server, the store, the test helpers, the Makefile) and
# when unsure (a path under src/ that no row names). A path outside src/ that no row names (docs, unit
# tests, benchmarks) runs no e2e file. No merge base (no main branch here) means all.
#
#   scripts/e2e-for-changes.sh [BASE]     BASE defaults to $TEST_BASE, else $(git merge-base HEAD main)
#   (make test TEST_BASE=HEAD: only what is not committed yet)
set -euo pipefail
cd "$(dirname "$0")/.."

map() { # path -> names (or "all")
  case $1 in
    # the test helpers and the build: everything
    tests/e2e/lib.mjs|Makefile|tests/package.json|tests/package-lock.json|scripts/embed*.sh|scripts/assets.sh)
      echo all ;;
    tests/e2e/*.test.mjs) basename "$1" .test.mjs ;;
    scripts/layering.*) echo layering ;;
    bench/linkage/score.mjs) echo linkage_score ;;
    docs/openapi.json) echo openapi intake ;;

    # edges
    src/api/intake_json.*) echo intake bad_input json_test_suite openapi ;;
    src/api/alerts_api.c) echo alerts alert_routing authorisation openapi ;;
    src/api/homes_api.c) echo homes_service authorisation ;;
    src/api/linkreview_api.c) echo link_review authorisation openapi ;;
    src/api/recordings_api.c) echo recordings authorisation ;;
    src/api/sessions_api.c) echo users web_sessions ;;
    src/api/viewers_api.c) echo pages_access users sealed ;;
    src/api/*|src/http/*) echo all ;;
    src/web/homes.c) echo homes_service pages_access ;;
    src/web/link_pages.c) echo link_review pages_access ;;
    src/web/work.c) echo alerts alert_routing pages_access ;;
    src/web/visit.c|src/web/child_summary.c|src/web/timeline.c) echo child_summary alerts pages_access crawl_need_to_know ;;
    src/web/team.c|src/web/landing.c|src/web/signin.c) echo alert_routing pages_access web_sessions authorisation ;;
    src/web/signin.c) echo web_sessions users pages_access ;;
    src/web/access_pages.c) echo break_glass_day pages_access need_to_know_reads authorisation ;;
    src/web/lado.c) echo lado authorisation crawl_need_to_know ;;
    src/web/mash_pages.c|src/web/templates/mash*) echo mash_queue need_to_know_cross pages_access authorisation ;;
    src/web/*) echo pages_access web_sessions authorisation sealed ;;
    web/*) echo pages_access ;;
    src/cli/cmd_replay.c) echo replay cli ;;
    src/cli/demo_lado.c) echo lado crawl_need_to_know ;;
    src/cli/cmd_link.c) echo link linkage_score cli ;;
    src/cli/cmd_homes.c|src/cli/cmd_gen_homes.c|src/cli/demo_homes.c) echo homes_gen homes_monitor homes_service cli ;;
    src/cli/cmd_homes_lists.c) echo homes_lists homes_service bulk_load oversight_pages cli ;;
    src/cli/cmd_flags_list.c) echo alerts cli ;;
    src/cli/cmd_audit.c) echo audit cli ;;
    src/cli/cmd_user.c) echo users cli ;;
    src/cli/cmd_recordings.c) echo recordings cli ;;
    src/cli/cmd_routes.c) echo authorisation cli ;;
    src/cli/cmd_cases.c) echo alerts pages_access cli ;;
    src/cli/*) echo cli durability intake data_dir recordings audit ;;
    src/io/chronology.*) echo replay ;;
    src/io/homes_csv.*) echo homes_service homes_monitor ;;
    src/io/settings.*) echo replay ;;
    src/io/*) echo link linkage_score ;;

    # services
    src/service/alerts.*|src/service/cases.*) echo alerts alert_routing alert_owners pages_access child_summary ;;
    src/service/summary.*) echo child_summary alerts crawl_need_to_know need_to_know_cross ;;
    src/service/audit.*) echo audit intake ;;
    src/service/access.*) echo authorisation pages_access sealed lado need_to_know_cross crawl_need_to_know ;;
    src/service/mash.*) echo mash_queue need_to_know_cross crawl_need_to_know ;;
    src/service/lado.*) echo lado crawl_need_to_know ;;
    src/service/children.*) echo intake sealed authorisation ;;
    src/service/homes.*) echo homes_service homes_monitor ;;
    src/service/identity.*|src/service/intake.*) echo intake link_review durability json_test_suite ;;
    src/service/linkreview.*) echo link_review link_review_words ;;
    src/service/recordings.*) echo recordings ;;
    src/service/tokens.*|src/service/users.*) echo users web_sessions pages_access cli ;;
    src/service/txq.*) echo durability intake ;;
    src/store/*) echo all ;;

    # pure cores
    src/rules/*|src/clock/*) echo replay alerts alert_routing child_summary lado ;;
    src/linkage/*) echo link link_review linkage_score intake ;;
    src/oversight/*) echo homes_monitor homes_service ;;
    src/synth/*) echo homes_gen link linkage_score cli ;;
    src/lib/mustache.*) echo pages_access web_sessions sealed ;;
    src/lib/route.*) echo authorisation ;;
    src/lib/plot.*) echo homes_service ;;

    src/*) echo all ;;   # unsure (core/, lib/, a new directory): everything
    *) ;;                # docs, unit tests, browser tests, fuzz targets, benchmarks: no e2e file
  esac
}

base=${1:-${TEST_BASE:-$(git merge-base HEAD main 2>/dev/null || git merge-base HEAD origin/main 2>/dev/null || true)}}
all=$(ls tests/e2e/*.test.mjs | sed 's|tests/e2e/||; s|\.test\.mjs$||')
if [ -z "$base" ]; then echo $all; exit 0; fi

names=$( { git diff --name-only "$base"; git ls-files --others --exclude-standard; } | sort -u |
  while read -r path; do map "$path"; done | tr ' ' '\n' | sort -u)
if grep -qx all <<<"$names"; then echo $all; exit 0; fi
# Only files that exist (a deleted test file maps to itself).
echo $(comm -12 <(echo "$names") <(echo "$all" | sort))
