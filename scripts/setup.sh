#!/usr/bin/env bash
# Installs what a fresh Debian machine lacks to build, test and run safeguard. Idempotent: it checks each
# package first and asks apt only for the missing ones, so repeated runs cost a few dpkg queries.
set -euo pipefail

# safeguard opens libpq (libpq.so.5) and libmicrohttpd (libmicrohttpd.so.12) with dlopen, not at link time
# (docs/INTERNALS.md, "How the libraries are loaded"): their runtime packages, libpq5 and libmicrohttpd12, come
# with libpq-dev and libmicrohttpd-dev below, and must be installed wherever the binary runs.
debs=(build-essential pkg-config clang libclang-rt-14-dev
      libmicrohttpd-dev libjansson-dev libsqlite3-dev libsodium-dev libcmocka-dev libcsv-dev liboath-dev libqrencode-dev
      sqlite3 curl chromium oathtool
      # PostgreSQL (issue 17): libpq to build, the server for the throwaway test cluster (scripts/pg-test.sh)
      libpq-dev postgresql-15
      # bench/loadgen_curl only (the load generator measured through libcurl's multi interface)
      libcurl4-openssl-dev)
# Node runs the end-to-end tests; a machine that already has one (from any source) keeps it.
command -v node >/dev/null 2>&1 || debs+=(nodejs)
# npm fetches GOV.UK Frontend for the build (web/); Debian packages it apart from nodejs.
command -v npm >/dev/null 2>&1 || debs+=(npm)

missing=()
for p in "${debs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Node packages for the browser tests (playwright-core drives the chromium above; @axe-core/playwright),
# again when tests/package-lock.json has changed since the last install. Nothing downloads a browser.
here=$(cd "$(dirname "$0")/.." && pwd)
if [ -f "$here/tests/package.json" ] && { [ ! -d "$here/tests/node_modules" ] ||
     [ "$here/tests/package-lock.json" -nt "$here/tests/node_modules/.package-lock.json" ]; }; then
  echo "setup: npm packages for tests/"
  (cd "$here/tests" && npm ci --no-audit --no-fund --loglevel=error)
fi
# GOV.UK Frontend, embedded into the binary by scripts/assets.sh: again when web/package-lock.json has changed
# since the last install (npm ci writes node_modules/.package-lock.json).
if [ -f "$here/web/package.json" ] && { [ ! -d "$here/web/node_modules" ] ||
     [ "$here/web/package-lock.json" -nt "$here/web/node_modules/.package-lock.json" ]; }; then
  echo "setup: npm packages for web/"
  (cd "$here/web" && npm ci --no-audit --no-fund --loglevel=error)
fi
echo "setup: dependencies present"
