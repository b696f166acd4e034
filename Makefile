# safeguard — plain Makefile with pkg-config (see docs/INTERNALS.md for the tour).
#
#   make            build build/safeguard
#   make test       quick feedback: unit, a short fuzz, layering, the e2e files that touch what changed
#   make check      build and run every test (unit on SQLite and PostgreSQL, fuzz, end-to-end, browser, layering,
#                   openapi; one table)
#   make check SAN=1  the same under AddressSanitizer + UndefinedBehaviorSanitizer
#   make check-all  make check and the e2e files on a throwaway PostgreSQL cluster (make e2e-pg)
#   make calendar   the date-sensitive end-to-end tests on each day of tests/calendar/days.txt
#   (docs/INTERNALS.md, "Running the tests": one test, one file, one stage, and how long each takes)
#   make demo       build, create a demo area on SQLite, serve it on http://127.0.0.1:8080
#   make bench      run the benchmarks in bench/ (not part of check)

CC      ?= cc
PKGS    := libmicrohttpd jansson sqlite3 libpq libsodium liboath libqrencode
TESTPKG := cmocka

ifeq ($(SAN),1)
BUILD   := build/san
OPT     := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
else
BUILD   := build
OPT     := -O2 -g
endif

WARN    := -Wall -Wextra -Werror -Wstrict-prototypes -Wmissing-prototypes -Wshadow \
           -Wpointer-arith -Wformat=2 -Wvla -Wno-unused-parameter
CPPFLAGS := -Isrc -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L -MMD -MP
CFLAGS  := -std=c11 $(OPT) $(WARN) -pthread
LDFLAGS := $(OPT) -pthread

# pkg-config runs only once the dependencies are installed (scripts/setup.sh).
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lcsv -lm
# The safeguard binary itself links neither libpq nor libmicrohttpd: store/drv_pg.c opens libpq (dlopen) when
# the first postgresql: URL is, http/server.c libmicrohttpd when a command serves, so that a start that uses
# neither does not load them and what they bring (docs/INTERNALS.md, "How the libraries are loaded"). Their
# cflags stay in PKG_CFLAGS (the types come from their headers); the test, fuzz and bench binaries link
# PKG_LIBS, both included (some tests call libpq directly).
DLOPEN_PKGS := libpq libmicrohttpd
BIN_LIBS   = $(shell pkg-config --libs $(filter-out $(DLOPEN_PKGS),$(PKGS)) 2>/dev/null) -lcsv -lm -ldl
TEST_LIBS  = $(shell pkg-config --libs $(TESTPKG) 2>/dev/null)

LIB_SRC  := $(filter-out src/cli/%,$(wildcard src/*/*.c))
CLI_SRC  := $(wildcard src/cli/*.c)
# Files the binary carries, turned into C by scripts/embed.sh and scripts/assets.sh.
EMBED    := $(BUILD)/gen/openapi_json.c $(BUILD)/gen/assets.c $(BUILD)/gen/templates.c
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/obj/%.o) $(EMBED:%.c=%.o)
CLI_OBJ  := $(CLI_SRC:%.c=$(BUILD)/obj/%.o)
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
FUZZ_SRC := $(wildcard fuzz/fuzz_*.c)

DEPS_STAMP := build/.deps-ok

.PHONY: all deps check check-all test unit unit-bin unit-pg fuzz-bin e2e e2e-pg calendar browser browser-pg fuzz-smoke fuzz layering demo bench clean
all: $(BUILD)/safeguard

deps: $(DEPS_STAMP)
$(DEPS_STAMP): scripts/setup.sh web/package-lock.json tests/package-lock.json
	@scripts/setup.sh
	@mkdir -p build && touch $@

$(BUILD)/libsafeguard.a: $(LIB_OBJ)
	@mkdir -p $(@D)
	ar rcs $@ $^

$(BUILD)/safeguard: $(CLI_OBJ) $(BUILD)/libsafeguard.a
	$(CC) $(LDFLAGS) -o $@ $(CLI_OBJ) $(BUILD)/libsafeguard.a $(BIN_LIBS)

$(BUILD)/gen/openapi_json.c: docs/openapi.json scripts/embed.sh
	@mkdir -p $(@D)
	scripts/embed.sh api_openapi_json $< > $@

# GOV.UK Frontend (web/node_modules, installed by setup from web/package-lock.json) and src/web/static/.
$(BUILD)/gen/assets.c: scripts/assets.sh src/web/static $(wildcard src/web/static/*) web/package-lock.json \
                        | $(DEPS_STAMP)
	@mkdir -p $(@D)
	scripts/assets.sh $@

$(BUILD)/gen/templates.c: scripts/embed-dir.sh src/web/templates $(wildcard src/web/templates/*.mustache)
	@mkdir -p $(@D)
	scripts/embed-dir.sh web_templates src/web/templates mustache > $@.tmp && mv $@.tmp $@

$(BUILD)/gen/%.o: $(BUILD)/gen/%.c
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(BUILD)/obj/%.o: %.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(PKG_CFLAGS) -c -o $@ $<

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libsafeguard.a | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(PKG_CFLAGS) -o $@ $< $(BUILD)/libsafeguard.a $(PKG_LIBS) $(TEST_LIBS)

unit: $(UNIT_BIN)
	@scripts/run-unit.sh $(UNIT_BIN)

# The unit binaries alone: make check's unit and unit-pg stages build them first, one stage at a time (a lock),
# so that the two never link the same binary at once.
unit-bin: $(UNIT_BIN)

# The same store contract on PostgreSQL: a throwaway cluster (scripts/pg-test.sh) runs the conformance suite
# and the services' unit tests that use only store.h (scripts/unit-pg.sh says which).
unit-pg: $(UNIT_BIN)
	@scripts/unit-pg.sh $(BUILD)

# Fuzz targets (fuzz/fuzz_*.c): clang with libFuzzer, ASan and UBSan, whatever SAN says. The library is
# compiled once for them (build/fuzz/obj/, instrumented for coverage) and each target links against it, so a
# change to one source recompiles that source alone. scripts/fuzz.sh runs them with their seeds.
FUZZ_CC    := clang
FUZZ_FLAGS := -std=c11 -g -O1 -fsanitize=address,undefined -fno-sanitize-recover=all -pthread
FUZZ_OBJ   := $(LIB_SRC:%.c=build/fuzz/obj/%.o) $(EMBED:$(BUILD)/gen/%.c=build/fuzz/obj/gen/%.o)
FUZZ_BIN   := $(FUZZ_SRC:fuzz/%.c=build/fuzz/%)

build/fuzz/obj/gen/%.o: $(BUILD)/gen/%.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(CPPFLAGS) $(FUZZ_FLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

build/fuzz/obj/%.o: %.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(CPPFLAGS) $(FUZZ_FLAGS) -fsanitize=fuzzer-no-link $(PKG_CFLAGS) -c -o $@ $<

build/fuzz/libsafeguard.a: $(FUZZ_OBJ)
	ar rcs $@ $^

build/fuzz/fuzz_%: fuzz/fuzz_%.c build/fuzz/libsafeguard.a
	$(FUZZ_CC) $(CPPFLAGS) $(FUZZ_FLAGS) -fsanitize=fuzzer $(PKG_CFLAGS) -o $@ $< build/fuzz/libsafeguard.a \
	  $(PKG_LIBS)

# The fuzz targets alone: make check builds them (and unit-bin) at nice 19 while the long stages run (scripts/check.sh).
fuzz-bin: $(FUZZ_BIN)

fuzz-smoke: $(FUZZ_BIN)
	@scripts/fuzz.sh smoke $(FUZZ_BIN)

fuzz: $(FUZZ_BIN)
	@scripts/fuzz.sh long $(FUZZ_BIN)

# End-to-end tests, one file at a time (each starts its own servers). E2E names the files to run (default:
# all of tests/e2e/), E2E_EXCLUDE names files to leave out, both without the directory and .test.mjs:
#   make e2e E2E="intake audit"      make e2e E2E_EXCLUDE=alerts
# NODE_TEST_FLAGS goes to node --test, e.g. NODE_TEST_FLAGS='--test-name-pattern=replay'.
E2E_ALL     := $(patsubst tests/e2e/%.test.mjs,%,$(wildcard tests/e2e/*.test.mjs))
E2E         ?= $(E2E_ALL)
E2E_EXCLUDE ?=
E2E_FILES    = $(patsubst %,tests/e2e/%.test.mjs,$(filter-out $(E2E_EXCLUDE),$(E2E)))
# E2E_JOBS files at once (1 in make check: scripts/check.sh says why): each file keeps to its own temporary areas, servers and clusters.
E2E_JOBS    ?= 1

e2e: $(BUILD)/safeguard
	@if [ -z "$(strip $(E2E_FILES))" ]; then echo "e2e: no files chosen"; else \
	  SAFEGUARD_BIN=$(CURDIR)/$(BUILD)/safeguard node --test --test-concurrency=$(E2E_JOBS) $(NODE_TEST_FLAGS) $(E2E_FILES); fi

# The same e2e files on PostgreSQL: a throwaway cluster (scripts/pg-test.sh) started and stopped by
# scripts/e2e-pg.sh (skipped by name when initdb is missing). E2E and E2E_EXCLUDE choose as for e2e;
# E2E_PG_EXCLUDE names the files it would only repeat: those that start PostgreSQL clusters of their own
# (postgres_cli, pg_*) and those that open no database.
E2E_PG_EXCLUDE ?= postgres_cli pg_failover pg_read_replica pg_two_servers pg_commit_cut pg_idle_conn pg_intake_plans pg_member_upsert \
                  json_test_suite layering link linkage_score linkage_style_d openapi replay homes_style_c homes_style_d
E2E_PG_FILES  = $(patsubst %,tests/e2e/%.test.mjs,$(filter-out $(E2E_EXCLUDE) $(E2E_PG_EXCLUDE),$(E2E)))

e2e-pg: $(BUILD)/safeguard
	@NODE_TEST_FLAGS="$(NODE_TEST_FLAGS)" scripts/e2e-pg.sh $(BUILD) $(E2E_PG_FILES)

# The date-sensitive e2e suites on each awkward "today" of tests/calendar/days.txt (the injected clock).
calendar: $(BUILD)/safeguard
	@CALENDAR_PG_EXCLUDE="$(E2E_PG_EXCLUDE)" scripts/calendar.sh $(BUILD)

# Debian's chromium, headless, driven by playwright-core from tests/node_modules (both installed by setup).
# BROWSER names the files to run (default: all of tests/browser/), as E2E does. BROWSER_JOBS files run at
# once (each its own server and chromium); 1 in make check (scripts/check.sh says why).
BROWSER     ?= $(patsubst tests/browser/%.test.mjs,%,$(wildcard tests/browser/*.test.mjs))
BROWSER_JOBS ?= 1
browser: $(BUILD)/safeguard | $(DEPS_STAMP)
	@SAFEGUARD_BIN=$(CURDIR)/$(BUILD)/safeguard node --test --test-concurrency=$(BROWSER_JOBS) $(NODE_TEST_FLAGS) \
	  $(patsubst %,tests/browser/%.test.mjs,$(BROWSER))

# The browser files on PostgreSQL (make check-all): scripts/browser-pg.sh starts and stops a cluster of its own;
# without PostgreSQL installed the stage is skipped by name.
browser-pg: $(BUILD)/safeguard | $(DEPS_STAMP)
	@rc=0; SAFEGUARD_BIN=$(CURDIR)/$(BUILD)/safeguard BROWSER_JOBS=$(BROWSER_JOBS) NODE_TEST_FLAGS="$(NODE_TEST_FLAGS)" \
	  sh scripts/browser-pg.sh $(BROWSER) || rc=$$?; \
	if [ $$rc -eq 3 ]; then echo "skipped suite postgresql: initdb not found (scripts/setup.sh installs postgresql-15)"; \
	  rc=0; fi; exit $$rc

# The layers of ../shared/design/ARCHITECTURE.md, checked on src/: rules in scripts/layering.rules, today's
# exceptions (each with its reason) in scripts/layering.allow. Then the edges' objects, if built: no call to
# service/service_int.h's functions however the source spells it (scripts/layering-symbols.sh, r-review32).
layering:
	@node scripts/layering.mjs
	@scripts/layering-symbols.sh $(BUILD)

# Every stage, two at a time, each logged in build/check/, one table at the end (scripts/check.sh).
# The build before the stages runs CHECK_JOBS compiles at once (default: the machine's cores): nothing else of
# make check runs yet, and a plain `make check` (CI's .ci/run) would otherwise compile one file at a time.
CHECK_JOBS ?= $(shell nproc 2>/dev/null || echo 2)
check:
	@$(MAKE) --no-print-directory -j$(CHECK_JOBS) all
	@CHECK_JOBS=$(CHECK_JOBS) scripts/check.sh "$(BUILD)"

# make check and, once there is one, the browser stage on PostgreSQL too (issue 17).
check-all:
	@$(MAKE) --no-print-directory -j$(CHECK_JOBS) all
	@CHECK_JOBS=$(CHECK_JOBS) scripts/check.sh "$(BUILD)" all

# The quick run: the same table for unit, a 3-second fuzz per target, layering and the e2e files that the
# changes since main touch (scripts/e2e-for-changes.sh says which, and why).
test:
	@$(MAKE) --no-print-directory -j$(CHECK_JOBS) all
	@CHECK_JOBS=$(CHECK_JOBS) scripts/check.sh "$(BUILD)" quick

demo: all
	$(BUILD)/safeguard demo --db sqlite:demo/safeguard.db --listen 127.0.0.1:8080

bench: all $(BUILD)/bench/rules_bench $(BUILD)/bench/loadgen
	@bench/run.sh
	@bench/rules.sh

# The intake load generator (bench/intake_cpu.sh, BENCH_LOADGEN=c) is a client only: no product code in it.
$(BUILD)/bench/loadgen: bench/loadgen.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ $<

# The same loop through libcurl's multi interface, to measure what the library costs (docs/BENCHMARKS.md).
$(BUILD)/bench/loadgen_curl: bench/loadgen_curl.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(shell pkg-config --cflags libcurl) -o $@ $< $(shell pkg-config --libs libcurl)

$(BUILD)/bench/%: bench/%.c $(BUILD)/libsafeguard.a | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(PKG_CFLAGS) -o $@ $< $(BUILD)/libsafeguard.a $(PKG_LIBS)

clean:
	rm -rf build demo

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(FUZZ_OBJ:.o=.d) $(FUZZ_BIN:=.d)
