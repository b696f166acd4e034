/*
 * linkage/linkage_int.h — what the linkage files share and nothing outside src/linkage/ includes.
 */
#ifndef SAFEGUARD_LINKAGE_LINKAGE_INT_H
#define SAFEGUARD_LINKAGE_LINKAGE_INT_H

#include <stddef.h>
#include <stdint.h>

#include "linkage/linkage.h"

struct linkage_nick {
	const char *variant, *canonical;
};
extern const struct linkage_nick linkage_nicks[]; /* names.c: sorted by variant, then canonical */
extern const size_t linkage_nnicks;

/* FNV-1a, 64 and 32 bits: keys of blocks and tokens (not for security). */
static inline uint64_t linkage_hash64(const char *s, size_t n, uint64_t h)
{
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}
#define LINKAGE_FNV64 0xcbf29ce484222325ULL

/* model.c: u of each level from counts of levels among random pairs. */
void linkage_u_from_counts(uint64_t counts[LF_NFIELD][LINKAGE_MAX_LEVELS], struct linkage_model *m);

#endif
