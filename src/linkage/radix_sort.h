/*
 * linkage/radix_sort.h — one stable least-significant-digit radix sort, for the arrays record linkage sorts on an
 * integer key (dedupe.c's scored pairs, wrong_ids.c's keys). Internal to linkage/: nothing outside includes it.
 *
 * Hand-written: no well-kept C library sorts on a key without a comparator, and glibc's qsort with one was half
 * of a pass at a million records (docs/BENCHMARKS.md "Round 29b"). It was two copies (dedupe.c sort_scored,
 * wrong_ids.c sort_wid) until r-tidy32; this is the one.
 *
 * LINKAGE_RADIX_SORT(name, type, digit, passes) defines
 *     static int name(type *s, size_t n, type *t);
 * which sorts s (n entries) through t (n entries of scratch) by `passes` 16-bit digits, the least significant
 * first: digit(const type *x, unsigned pass) is x's digit of that pass, 0 to 65535 (a function or macro the
 * compiler inlines). Stable, so entries with equal keys keep their order. A pass whose digit is the same for
 * every entry is skipped (the order stands). 0 done (s sorted, t clobbered); -1 out of memory for the 64K
 * counts, s untouched: the caller falls back on qsort.
 */
#ifndef SAFEGUARD_LINKAGE_RADIX_SORT_H
#define SAFEGUARD_LINKAGE_RADIX_SORT_H

#include <stdlib.h>
#include <string.h>

#define LINKAGE_RADIX_DIGITS 65536u

#define LINKAGE_RADIX_SORT(name, type, digit, passes)                                                         \
	static int name(type *s, size_t n, type *t)                                                           \
	{                                                                                                     \
		size_t *cnt = malloc(LINKAGE_RADIX_DIGITS * sizeof *cnt);                                     \
		if (!cnt)                                                                                     \
			return -1;                                                                            \
		type *src = s, *dst = t;                                                                      \
		for (unsigned pass = 0; pass < (passes); pass++) {                                            \
			memset(cnt, 0, LINKAGE_RADIX_DIGITS * sizeof *cnt);                                   \
			for (size_t i = 0; i < n; i++)                                                        \
				cnt[digit(&src[i], pass)]++;                                                  \
			if (n && cnt[digit(&src[0], pass)] == n)                                              \
				continue; /* one digit throughout: the order stands */                        \
			size_t sum = 0;                                                                       \
			for (size_t d = 0; d < LINKAGE_RADIX_DIGITS; d++) {                                   \
				size_t c = cnt[d];                                                            \
				cnt[d] = sum;                                                                 \
				sum += c;                                                                     \
			}                                                                                     \
			for (size_t i = 0; i < n; i++)                                                        \
				dst[cnt[digit(&src[i], pass)]++] = src[i];                                    \
			type *x = src;                                                                        \
			src = dst;                                                                            \
			dst = x;                                                                              \
		}                                                                                             \
		if (src != s)                                                                                 \
			memcpy(s, src, n * sizeof *s);                                                        \
		free(cnt);                                                                                    \
		return 0;                                                                                     \
	}

#endif
