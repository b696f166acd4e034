#!/usr/bin/env bash
# Embeds every file of a directory with a given extension as a table the binary carries:
#   scripts/embed-dir.sh SYMBOL DIR EXT > OUTPUT.c
# Defines: const struct embedded_file SYMBOL[] = {{"name", bytes, len}, ..., {NULL, NULL, 0}}
# with name the file name without the extension, bytes NUL-terminated. Files in name order.
set -euo pipefail
sym=$1 dir=$2 ext=$3
echo "/* Generated from the .$ext files of $dir by scripts/embed-dir.sh: do not edit. */"
echo "#include \"lib/embedded.h\""
names=()
for f in $(cd "$dir" && ls -1 -- *."$ext" | LC_ALL=C sort); do
  n=${f%."$ext"}
  [[ $n =~ ^[a-z0-9_]+$ ]] || { echo "embed-dir: bad file name $f (use a-z, 0-9, _)" >&2; exit 1; }
  names+=("$n")
  echo "static const unsigned char ${sym}_$n[] = {"
  od -An -v -tx1 "$dir/$f" | awk '{ for (i = 1; i <= NF; i++) printf "0x%s,", $i; printf "\n" }'
  echo "0x00};"
done
echo "const struct embedded_file ${sym}[] = {"
for n in "${names[@]}"; do echo "  {\"$n\", ${sym}_$n, sizeof ${sym}_$n - 1},"; done
echo "  {0, 0, 0},"
echo "};"
