#!/bin/sh
# scripts/layering-symbols.sh [BUILD] — the edges' compiled objects call none of service/service_int.h's functions,
# however their source spells the name. scripts/layering.mjs reads the text, so a macro that pastes the name
# (`#define BARE(x) x##_reader_may`, then `BARE(alerts)(...)`) passed it (r-review32); the object's undefined
# symbols (nm -u) name the function whatever the source did. The names: every function service_int.h declares.
# Prints OBJECT: NAME for each, then one summary line; exits 1 on any. No objects yet (nothing built): says so, 0.
set -u
build=${1:-build}
cd "$(dirname "$0")/.." || exit 2
names=$(sed -n 's/^[a-z][a-z_ ]*[ *]\([a-z_][a-z0-9_]*\)(.*/\1/p' src/service/service_int.h)
if [ -z "$names" ]; then
  echo "layering-symbols: no function found in src/service/service_int.h"
  exit 2
fi
objects=0
bad=0
for o in "$build"/obj/src/cli/*.o "$build"/obj/src/http/*.o "$build"/obj/src/api/*.o "$build"/obj/src/web/*.o \
         "$build"/obj/src/io/*.o; do
  [ -f "$o" ] || continue
  objects=$((objects + 1))
  for s in $(nm -u "$o" | awk '{print $NF}' | grep -xF -e "$names"); do
    echo "$o: edge-calls-service-internal: $s (service/service_int.h): decide and audit with the service's own call"
    bad=$((bad + 1))
  done
done
if [ "$objects" -eq 0 ]; then
  echo "layering-symbols: no edge objects under $build/obj/src (nothing built yet): not checked"
  exit 0
fi
echo "layering-symbols: $objects edge objects, $bad calls to service_int.h's $(echo "$names" | wc -l) functions"
[ "$bad" -eq 0 ]
