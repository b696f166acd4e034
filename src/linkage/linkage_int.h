/*
 * linkage/linkage_int.h — what the linkage files share and nothing outside src/linkage/ includes.
 */
#ifndef SAFEGUARD_LINKAGE_LINKAGE_INT_H
#define SAFEGUARD_LINKAGE_LINKAGE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "linkage/linkage.h"

struct linkage_nick {
	const char *variant, *canonical;
};
extern const struct linkage_nick linkage_nicks[]; /* names.c: sorted by variant, then canonical */
extern const size_t linkage_nnicks;
extern const struct linkage_nick linkage_nicks_by_canonical[]; /* the same rows by canonical, then variant */

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

/* model.c: linkage_em with a cap on iterations and a starting lambda. */
unsigned linkage_em_run(const linkage_gamma *gammas, const uint64_t *counts, size_t n, unsigned fields_fixed,
			unsigned max_iter, double lambda, struct linkage_model *model, double *lambda_out);

/* model.c: each level's plain weight log2(m/u) once, and a pair's weight through that table, with the
 * prior's weight (linkage_prior_weight) worked out once and the last term-frequency weight of each name
 * field kept in memo (zeroed before first use; one per thread; NULL for none): a batch scores millions of
 * pairs, and the pairs of one block share names. The same weight, bit for bit, as linkage_pair_weight. */
struct linkage_tf_memo {
	bool ok[2];
	int sp[2];
	double tf[2], w[2];
};
void linkage_weight_table(const struct linkage_model *m, double tbl[LF_NFIELD][LINKAGE_MAX_LEVELS]);
double linkage_prior_weight(const struct linkage_model *m);
double linkage_pair_weight_tbl(const struct linkage_model *m, const double (*tbl)[LINKAGE_MAX_LEVELS], double prior,
			       struct linkage_tf_memo *memo, const struct linkage_rec *recs, const struct linkage_pair *p);

/* model.c: u of each level from counts of levels among random pairs. */
void linkage_u_from_counts(uint64_t counts[LF_NFIELD][LINKAGE_MAX_LEVELS], struct linkage_model *m);

/* norm.c: whether a (la bytes) is one edit from a nickname or variant of b's given name or its canonical. */
bool linkage_typo_of_variant(const char *a, size_t la, const struct linkage_rec *b);

/* Whether two sets of name hashes (0-terminated or full) share a member. */
static inline bool linkage_sets_meet(const uint32_t *a, size_t na, const uint32_t *b, size_t nb)
{
	for (size_t i = 0; i < na && a[i]; i++)
		for (size_t j = 0; j < nb && b[j]; j++)
			if (a[i] == b[j])
				return true;
	return false;
}

/* compare.c: whether a's given and family names agree with b's family and given names (crosswise). */
bool linkage_names_crossed(const struct linkage_rec *a, const struct linkage_rec *b);

/* compare.c: the given-name level of two records without the swap with a middle name. */
unsigned linkage_cmp_given_names(const struct linkage_rec *a, const struct linkage_rec *b);
/* The given fields name the child alike once joined ("Qing-Kai", "Qing Kai", "Qingkai"), one of them written
 * in two words or more (compare.c). */
bool linkage_given_written_apart(const struct linkage_rec *a, const struct linkage_rec *b);
/* The twins refusal for two records whose names are both in each other's fields: each given name as
 * written is commoner as a family name in the input (given_as_family), the two agree on it (the family
 * name), and their family fields, which hold the given names, are unrelated, on one birthday, with no
 * equal identifier. Collins Arlo and Collins Elliot written so are Arlo and Elliot Collins, twins. The
 * reading across needs support in the input: at least one of the two family fields is commoner there as a
 * given name (family_as_given). Maych Maamainko and Maych Mamaenkp, where "Maych" is a name of both kinds
 * and neither family field is anyone's given name, are one child's family name spelt two ways. Measured
 * (docs/BENCHMARKS.md, "Round 7"), style c seed 7, pairs refused: one child's 84 -> 4, two children's
 * 19 -> 6, no twin cluster added. Taken away with --refuse -transposed (LINKAGE_REFUSE_TRANSPOSED). */
bool linkage_transposed_twins(linkage_refuse_set refuse, const struct linkage_rec *a, const struct linkage_rec *b,
			      linkage_gamma g);

/* A cache of name comparisons: the level of two given (or family) names depends on the names alone, and
 * a file holds far fewer distinct names than pairs. Direct-mapped; a slot holds the pair's key. 12 bits
 * (72 KiB): one is allocated per chunk of candidate pairs, and at 14 bits (288 KiB, over malloc's mmap
 * threshold) each was a fresh mapping, faulted in page by page and unmapped again (451 of the 1,049
 * munmaps at c 1M); style c at a million compared faster with the smaller memo despite its misses
 * (docs/BENCHMARKS.md, "Style c's compare stage"). */
#define LINKAGE_MEMO_BITS 12
struct linkage_memo {
	uint64_t key[2][1u << LINKAGE_MEMO_BITS];
	uint8_t level[2][1u << LINKAGE_MEMO_BITS];
};
/* linkage_compare through a memo (zeroed before first use). */
linkage_gamma linkage_compare_memo(const struct linkage_rec *a, const struct linkage_rec *b, struct linkage_memo *m);

/* twin_names.c: after clustering, the records written with a twin's name (the commonest of her identified
 * records) in her twin's cluster, without an identifier and a minority there, go to her cluster when the input's
 * rate of identified twins' records written with the other twin's name says so by the link threshold's odds,
 * else are held apart. cluster is renamed (smallest record index) and *clusters recounted when anything moves.
 * Returns the records moved or held; 0 also when out of memory (nothing changed). (docs/LINKAGE.md, "A twin's
 * record under her own name") */
size_t linkage_twin_names(const struct linkage_rec *recs, size_t n, const struct linkage_model *m, uint32_t *cluster,
			  float *probability, uint64_t *clusters, struct linkage_twin_names *st);

#endif
