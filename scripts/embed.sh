#!/usr/bin/env bash
# Turns a file into a C array so the binary carries it (no runtime file lookups, no working-directory
# surprises): scripts/embed.sh SYMBOL INPUT > OUTPUT.c
# Defines: const unsigned char SYMBOL[] (NUL-terminated) and const size_t SYMBOL_len (without the NUL).
set -euo pipefail
sym=$1 in=$2
echo "/* Generated from $in by scripts/embed.sh: do not edit. */"
echo "#include <stddef.h>"
echo "const unsigned char ${sym}[] = {"
od -An -v -tx1 "$in" | awk '{ for (i = 1; i <= NF; i++) printf "0x%s,", $i; printf "\n" }'
echo "0x00};"
echo "const size_t ${sym}_len = sizeof ${sym} - 1;"
