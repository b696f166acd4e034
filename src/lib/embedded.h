/*
 * lib/embedded.h — files the binary carries (templates), generated at build time by scripts/embed-dir.sh.
 */
#ifndef SAFEGUARD_LIB_EMBEDDED_H
#define SAFEGUARD_LIB_EMBEDDED_H

#include <stddef.h>

struct embedded_file {
	const char *name; /* the file name without its extension; NULL ends a table */
	const unsigned char *data;
	size_t len;
};

#endif
