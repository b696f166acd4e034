/*
 * linkage/dedupe.c — a whole set of records to clusters: blocking by a union of rules, comparison of the
 * candidate pairs on worker threads, training (u from random pairs, m by EM per blocking rule, lambda),
 * scoring, and clustering that refuses to join strong non-matches.
 *
 * Determinism: work is cut into chunks whose bounds depend only on the data, each chunk writes its own
 * output, and outputs are joined in chunk order; sums are of integers. So the pairs, the model and the
 * clusters are the same for any number of threads.
 */
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "lib/rng.h"
#include "linkage/linkage_int.h"
#include "linkage/radix_sort.h"

const char *const linkage_rule_name[LR_NRULES] = {
	"nhs_number", "upn", "family_phonetic+dob", "given_phonetic+dob", "given+family_phonetic+birth_year",
	"given+family_phonetic+birth_day", "postcode+given_initial", "dob+family_initial", "dob+postcode_sector",
	"given+family_phonetic_without_dob", "one_name+initial+birth_day_month", "one_name+initial+birth_year_day",
	"given+family_phonetic+age_year",
};

/* Fields a rule forces to agree (or nearly): their m is not estimated from that rule's pairs. */
static const unsigned rule_fixed[LR_NRULES] = {
	[LR_NHS] = 1u << LF_NHS,
	[LR_UPN] = 1u << LF_UPN,
	[LR_FAMILY_DOB] = (1u << LF_FAMILY) | (1u << LF_DOB),
	[LR_GIVEN_DOB] = (1u << LF_GIVEN) | (1u << LF_DOB),
	[LR_NAMES_YEAR] = (1u << LF_GIVEN) | (1u << LF_FAMILY) | (1u << LF_DOB),
	[LR_NAMES_DAY] = (1u << LF_GIVEN) | (1u << LF_FAMILY) | (1u << LF_DOB),
	[LR_POSTCODE_GIVEN] = (1u << LF_POSTCODE) | (1u << LF_GIVEN) | (1u << LF_ADDRESS),
	[LR_DOB_FAMILY_INITIAL] = (1u << LF_DOB) | (1u << LF_FAMILY),
	[LR_DOB_SECTOR] = (1u << LF_DOB) | (1u << LF_POSTCODE) | (1u << LF_ADDRESS),
	[LR_NAMES_NODOB] = (1u << LF_GIVEN) | (1u << LF_FAMILY) | (1u << LF_DOB),
	[LR_NAMES_AGE] = (1u << LF_GIVEN) | (1u << LF_FAMILY) | (1u << LF_DOB),
};

/* Rules whose pairs train m. The loose rules (postcode + initial, birthday + initial) find brothers and
 * sisters as readily as the same child: EM on them learns "same household", and would teach the model
 * that a different date of birth is common among matches. */
static const bool rule_trains[LR_NRULES] = {
	[LR_NHS] = true, [LR_UPN] = true, [LR_FAMILY_DOB] = true, [LR_GIVEN_DOB] = true, [LR_NAMES_YEAR] = true,
	[LR_NAMES_DAY] = true,
};

/* Each rule's keys in a few 32-bit slots (0: no key): 32 bits keep a million records' keys in 52 MB, and
 * two values that share a hash only make a few more candidate pairs. */
#define KEYS_PER_RULE 4 /* at most (rule 13: its two and rule 5's two) */
#define NSLOTS 22
/* The first slot of each rule (as numbers, for shared_rules' unrolled comparisons). */
#define S_NHS 0
#define S_UPN 1
#define S_FAMILY_DOB 2 /* 3 slots */
#define S_GIVEN_DOB 5
#define S_NAMES_YEAR 6 /* 2 */
#define S_NAMES_DAY 8  /* 2 */
#define S_POSTCODE_GIVEN 10
#define S_DOB_FAMILY_INITIAL 11
#define S_DOB_SECTOR 12
#define S_NAMES_NODOB 13
#define S_ONE_NAME_DM 14 /* 3 */
#define S_ONE_NAME_YD 17 /* 3 */
#define S_NAMES_AGE 20   /* 2: rule 5's keys with the year before a date written from an age */
static const uint8_t rule_first[LR_NRULES + 1] = {
	[LR_NHS] = S_NHS, [LR_UPN] = S_UPN, [LR_FAMILY_DOB] = S_FAMILY_DOB, [LR_GIVEN_DOB] = S_GIVEN_DOB,
	[LR_NAMES_YEAR] = S_NAMES_YEAR, [LR_NAMES_DAY] = S_NAMES_DAY, [LR_POSTCODE_GIVEN] = S_POSTCODE_GIVEN,
	[LR_DOB_FAMILY_INITIAL] = S_DOB_FAMILY_INITIAL, [LR_DOB_SECTOR] = S_DOB_SECTOR,
	[LR_NAMES_NODOB] = S_NAMES_NODOB, [LR_ONE_NAME_DM] = S_ONE_NAME_DM, [LR_ONE_NAME_YD] = S_ONE_NAME_YD,
	[LR_NAMES_AGE] = S_NAMES_AGE, [LR_NRULES] = NSLOTS,
};
struct keys {
	uint32_t k[NSLOTS];
};

static uint64_t mix(uint64_t h, uint64_t v)
{
	return rng_mix64(h ^ rng_mix64(v + 0x9e3779b97f4a7c15ULL));
}

static uint32_t nz(uint64_t h)
{
	uint32_t x = (uint32_t)(h ^ (h >> 32));
	return x ? x : 1;
}

#define SLOT(k, rule, i) ((k)->k[rule_first[rule] + (i)])

static uint64_t unordered(uint64_t a, uint64_t b)
{
	return a < b ? mix(a, b) : mix(b, a);
}

static void record_keys(const struct linkage_rec *r, struct keys *k)
{
	memset(k, 0, sizeof *k);
	uint64_t dob = r->dob_digits[0] ? linkage_hash64(r->dob_digits, 8, LINKAGE_FNV64) : 0;
	uint64_t year = r->dob_digits[0] ? linkage_hash64(r->dob_digits, 4, LINKAGE_FNV64 ^ 7) : 0;
	uint64_t day = r->dob_digits[0] ? linkage_hash64(r->dob_digits + 4, 4, LINKAGE_FNV64 ^ 9) : 0;
	/* The given name's key as a family part would make it (phon_hash of the canonical form, as norm.c's
	 * family_part_phon), so that names in each other's fields meet. */
	uint64_t given = r->given_phon[0] ? (linkage_hash64(r->given_phon, strlen(r->given_phon), LINKAGE_FNV64) | 1u) : 0;
	uint64_t gpart = r->given_phon[0] ? ((uint32_t)linkage_hash64(r->given_phon, strlen(r->given_phon), LINKAGE_FNV64) | 1u) : 0;
	if (r->nhs_state != LINKAGE_ID_NONE)
		SLOT(k, LR_NHS, 0) = nz(mix(1, linkage_hash64(r->nhs, strlen(r->nhs), LINKAGE_FNV64)));
	if (r->upn_state != LINKAGE_ID_NONE)
		SLOT(k, LR_UPN, 0) = nz(mix(2, linkage_hash64(r->upn, strlen(r->upn), LINKAGE_FNV64)));
	for (int p = 0; p < 2; p++) {
		uint32_t fp = r->family_part_phon[p];
		if (!fp)
			continue;
		if (dob)
			SLOT(k, LR_FAMILY_DOB, p) = nz(mix(mix(3, fp), dob));
		if (gpart && year)
			SLOT(k, LR_NAMES_YEAR, p) = nz(mix(mix(5, unordered(fp, gpart)), year));
		if (gpart && day)
			SLOT(k, LR_NAMES_DAY, p) = nz(mix(mix(8, unordered(fp, gpart)), day));
		/* Rule 13: a date written from an age puts the birth in its year or the year before, whatever
		 * its day and month say (estimates.c, linkage_dob_from_age); rule 5 meets the year, this key
		 * the year before, made as rule 5 makes its key so that it meets rule 5's key of a record dated
		 * that year. Only for a record without a valid NHS number or UPN: one with a number meets its
		 * child's other records by it, and the identified records' keys were 35-39% of the rule's
		 * pairs on style d for 0-25 pairs more linked (docs/BENCHMARKS.md, "Round 32c"). */
		if (gpart && year && r->dob_from_age && r->dob_state == LINKAGE_DOB_VALID && r->dob.y > 1000 &&
		    r->nhs_state != LINKAGE_ID_VALID && r->upn_state != LINKAGE_ID_VALID) {
			char yb[5];
			int y = r->dob.y - 1;
			for (int i = 3; i >= 0; i--, y /= 10)
				yb[i] = (char)('0' + y % 10);
			SLOT(k, LR_NAMES_AGE, p) =
				nz(mix(mix(5, unordered(fp, gpart)), linkage_hash64(yb, 4, LINKAGE_FNV64 ^ 7)));
		}
	}
	if (gpart && dob)
		SLOT(k, LR_FAMILY_DOB, 2) = nz(mix(mix(3, gpart), dob));
	if (gpart && r->family_part_phon[0])
		SLOT(k, LR_NAMES_NODOB, 0) = nz(mix(10, unordered(r->family_part_phon[0], gpart)));
	if (given && dob)
		SLOT(k, LR_GIVEN_DOB, 0) = nz(mix(mix(4, given), dob));
	const char *gi = r->given_canon ? r->given_canon : r->given;
	if (r->pc_state != LINKAGE_PC_NONE && gi[0])
		SLOT(k, LR_POSTCODE_GIVEN, 0) =
			nz(mix(mix(6, linkage_hash64(r->postcode, strlen(r->postcode), LINKAGE_FNV64)), (unsigned char)gi[0]));
	if (dob && r->family_flat[0])
		SLOT(k, LR_DOB_FAMILY_INITIAL, 0) = nz(mix(mix(7, dob), (unsigned char)r->family_flat[0]));
	if (dob && r->pc_state == LINKAGE_PC_VALID) /* the sector: "LS6 2" */
		SLOT(k, LR_DOB_SECTOR, 0) =
			nz(mix(mix(9, linkage_hash64(r->postcode, (size_t)r->pc_outward_len + 2, LINKAGE_FNV64)), dob));
	/* One name's key with the other's initial and two of the three parts of the date: a pair whose other
	 * name is written past its key (a slip, a respelling) and whose date carries one error. Each name key
	 * stands with the other name's initial, so a block is about as small as a full date's. Year and month
	 * (the day wrong) is not a rule: measured, it found the fewest pairs of one child for the most pairs
	 * compared (docs/BENCHMARKS.md, "Round 10"). */
	if (!dob)
		return;
	uint64_t yh = linkage_hash64(r->dob_digits, 4, LINKAGE_FNV64 ^ 11);
	uint64_t mh = linkage_hash64(r->dob_digits + 4, 2, LINKAGE_FNV64 ^ 13);
	uint64_t dh = linkage_hash64(r->dob_digits + 6, 2, LINKAGE_FNV64 ^ 13);
	const uint64_t parts[2] = {unordered(mh, dh), mix(yh, dh + 1)};
	const unsigned rules[2] = {LR_ONE_NAME_DM, LR_ONE_NAME_YD};
	unsigned char fi = (unsigned char)r->family_flat[0];
	for (unsigned q = 0; q < 2; q++) {
		for (int p = 0; p < 2 && gi[0]; p++)
			if (r->family_part_phon[p])
				SLOT(k, rules[q], p) = nz(mix(mix(mix(11 + q, r->family_part_phon[p]), (unsigned char)gi[0] | 0x100), parts[q]));
		if (gpart && fi)
			SLOT(k, rules[q], 2) = nz(mix(mix(mix(11 + q, gpart), fi | 0x200), parts[q]));
	}
}

/* The smallest key value of rule r that a and b share, or 0. */
static uint32_t shared_key(const struct keys *a, const struct keys *b, unsigned r)
{
	uint32_t best = 0;
	if (r == LR_NAMES_AGE) {
		/* one record's year before against the other's year (rule 5's keys) */
		for (unsigned i = 0; i < 2; i++)
			for (unsigned j = 0; j < 2; j++) {
				uint32_t x = a->k[S_NAMES_AGE + i], y = b->k[S_NAMES_AGE + i];
				if (x && x == b->k[S_NAMES_YEAR + j] && (!best || x < best))
					best = x;
				if (y && y == a->k[S_NAMES_YEAR + j] && (!best || y < best))
					best = y;
			}
		return best;
	}
	for (unsigned i = rule_first[r]; i < rule_first[r + 1]; i++)
		for (unsigned j = rule_first[r]; j < rule_first[r + 1]; j++)
			if (a->k[i] && a->k[i] == b->k[j] && (!best || a->k[i] < best))
				best = a->k[i];
	return best;
}

/* Slot i of x holds a key (not 0) that slot j of y holds. */
#define EQ(i, j) ((x[i] != 0) & (x[i] == y[j]))
#define EQ2(i, j) ((y[j] != 0) & (x[i] == y[j]))
#define MEET1(s) EQ(s, s)
#define MEET2(s) (EQ(s, s) | EQ(s, s + 1) | EQ(s + 1, s) | EQ(s + 1, s + 1))
#define MEET3(s)                                                                                            \
	(EQ(s, s) | EQ(s, s + 1) | EQ(s, s + 2) | EQ(s + 1, s) | EQ(s + 1, s + 1) | EQ(s + 1, s + 2) |      \
	 EQ(s + 2, s) | EQ(s + 2, s + 1) | EQ(s + 2, s + 2))

/* The rules under which a and b share a key, as bits (1 << rule): shared_key(a, b, r) != 0 for each r, in
 * one branchless pass over the slots. Blocking asks it of every pair in every block: as up to twelve calls
 * of shared_key it was 15% of a million's CPU. */
static unsigned shared_rules(const struct keys *a, const struct keys *b)
{
	const uint32_t *x = a->k, *y = b->k;
	return (unsigned)MEET1(S_NHS) << LR_NHS | (unsigned)MEET1(S_UPN) << LR_UPN |
	       (unsigned)MEET3(S_FAMILY_DOB) << LR_FAMILY_DOB | (unsigned)MEET1(S_GIVEN_DOB) << LR_GIVEN_DOB |
	       (unsigned)MEET2(S_NAMES_YEAR) << LR_NAMES_YEAR | (unsigned)MEET2(S_NAMES_DAY) << LR_NAMES_DAY |
	       (unsigned)MEET1(S_POSTCODE_GIVEN) << LR_POSTCODE_GIVEN |
	       (unsigned)MEET1(S_DOB_FAMILY_INITIAL) << LR_DOB_FAMILY_INITIAL |
	       (unsigned)MEET1(S_DOB_SECTOR) << LR_DOB_SECTOR | (unsigned)MEET1(S_NAMES_NODOB) << LR_NAMES_NODOB |
	       (unsigned)MEET3(S_ONE_NAME_DM) << LR_ONE_NAME_DM | (unsigned)MEET3(S_ONE_NAME_YD) << LR_ONE_NAME_YD;
}

/* Rule 13's bit, apart: it is the last rule, so no pair of an earlier rule is dropped for it, and it is
 * asked only of the pairs made (for the rules a pair shares: its blocking_rules), not of every pair
 * looked at in a block. */
static unsigned shared_age_rule(const struct keys *a, const struct keys *b)
{
	const uint32_t *x = a->k, *y = b->k;
	return (unsigned)(EQ(S_NAMES_AGE, S_NAMES_YEAR) | EQ(S_NAMES_AGE, S_NAMES_YEAR + 1) |
			  EQ(S_NAMES_AGE + 1, S_NAMES_YEAR) | EQ(S_NAMES_AGE + 1, S_NAMES_YEAR + 1) |
			  EQ2(S_NAMES_YEAR, S_NAMES_AGE) | EQ2(S_NAMES_YEAR, S_NAMES_AGE + 1) |
			  EQ2(S_NAMES_YEAR + 1, S_NAMES_AGE) | EQ2(S_NAMES_YEAR + 1, S_NAMES_AGE + 1))
	       << LR_NAMES_AGE;
}
#undef EQ
#undef EQ2
#undef MEET1
#undef MEET2
#undef MEET3
_Static_assert(LR_NRULES == 13 && LR_NAMES_AGE == LR_NRULES - 1 && NSLOTS == S_NAMES_AGE + 2,
	       "shared_rules and shared_age_rule name every rule and slot");

/* ---- a pool of workers over numbered chunks ---- */

struct pool {
	unsigned threads;
	size_t nchunks;
	atomic_size_t next, done;
	void (*fn)(void *ctx, size_t chunk);
	void *ctx;
};

static void *pool_worker(void *arg)
{
	struct pool *p = arg;
	for (;;) {
		size_t c = atomic_fetch_add(&p->next, 1);
		if (c >= p->nchunks)
			break;
		p->fn(p->ctx, c);
		atomic_fetch_add(&p->done, 1);
	}
	return NULL;
}

static void pool_run(unsigned threads, size_t nchunks, void (*fn)(void *, size_t), void *ctx,
		     const struct linkage_opts *o, const char *stage)
{
	struct pool p = {.threads = threads, .nchunks = nchunks, .fn = fn, .ctx = ctx};
	pthread_t tid[64];
	unsigned started = 0;
	atomic_init(&p.next, 0);
	atomic_init(&p.done, 0);
	if (threads > 64)
		threads = 64;
	for (unsigned t = 1; t < threads; t++)
		if (pthread_create(&tid[started], NULL, pool_worker, &p) == 0)
			started++;
	/* The calling thread works too, and reports progress between its chunks. */
	for (;;) {
		size_t c = atomic_fetch_add(&p.next, 1);
		if (c >= nchunks)
			break;
		fn(ctx, c);
		atomic_fetch_add(&p.done, 1);
		if (o->progress)
			o->progress(stage, atomic_load(&p.done), nchunks, o->progress_ctx);
	}
	for (unsigned t = 0; t < started; t++)
		pthread_join(tid[t], NULL);
	if (o->progress)
		o->progress(stage, nchunks, nchunks, o->progress_ctx);
}

/* ---- preparing records on the pool ---- */

struct prepare_job {
	const struct linkage_input *in;
	struct linkage_rec *out;
	size_t n;
};

#define CHUNK_PREPARE 1024

static void prepare_chunk(void *ctx, size_t c)
{
	struct prepare_job *j = ctx;
	size_t hi = (c + 1) * CHUNK_PREPARE < j->n ? (c + 1) * CHUNK_PREPARE : j->n;
	for (size_t i = c * CHUNK_PREPARE; i < hi; i++)
		linkage_prepare(&j->in[i], &j->out[i]);
}

void linkage_prepare_many(const struct linkage_input *in, size_t n, struct linkage_rec *out, unsigned threads)
{
	struct prepare_job j = {in, out, n};
	struct linkage_opts o = {.threads = threads};
	pool_run(threads ? threads : 1, (n + CHUNK_PREPARE - 1) / CHUNK_PREPARE, prepare_chunk, &j, &o, "prepare");
}

/* ---- candidate pairs: two records and the number of their comparison vector ----
 * A million records of style d make 30.8M candidate pairs but only 66,590 distinct comparison vectors (with
 * their rule bits): a pair keeps the vector's number in a table of them (12 bytes, where struct
 * linkage_pair takes 16: 123 MB less at that size), and the table counts the pairs of each vector as they
 * are found, on the threads, which is all training's EM and lambda read of them (docs/BENCHMARKS.md,
 * r-linkspeed31). Each chunk of blocking numbers its own vectors; its table is merged into the whole one,
 * and its pairs renumbered, as the chunks are joined in order: the numbers depend on the data only. */
struct cpair {
	uint32_t a, b; /* record indices, a < b */
	uint32_t pat;  /* the pair's vector: gam.g[pat] */
};

struct gamtab {
	linkage_gamma *g; /* by number */
	uint64_t *count;  /* pairs with each */
	uint32_t *slot;   /* open addressing: a number + 1, 0 empty */
	size_t n, cap, nslots;
};

/* The number of g in t, added (count 0) when new; -1 when out of memory. */
static int64_t gamtab_id(struct gamtab *t, linkage_gamma g)
{
	if ((t->n + 1) * 2 > t->nslots) {
		size_t ns = t->nslots ? t->nslots * 2 : 1024;
		uint32_t *sl = calloc(ns, sizeof *sl);
		if (!sl)
			return -1;
		for (size_t i = 0; i < t->n; i++) {
			size_t k = rng_mix64(t->g[i]) & (ns - 1);
			while (sl[k])
				k = (k + 1) & (ns - 1);
			sl[k] = (uint32_t)i + 1;
		}
		free(t->slot);
		t->slot = sl;
		t->nslots = ns;
	}
	size_t k = rng_mix64(g) & (t->nslots - 1);
	while (t->slot[k] && t->g[t->slot[k] - 1] != g)
		k = (k + 1) & (t->nslots - 1);
	if (t->slot[k])
		return t->slot[k] - 1;
	if (t->n == UINT32_MAX - 1)
		return -1;
	if (t->n == t->cap) {
		size_t nc = t->cap ? t->cap * 2 : 256;
		linkage_gamma *ng = realloc(t->g, nc * sizeof *ng);
		if (!ng)
			return -1;
		t->g = ng;
		uint64_t *ncount = realloc(t->count, nc * sizeof *ncount);
		if (!ncount)
			return -1;
		t->count = ncount;
		t->cap = nc;
	}
	t->g[t->n] = g;
	t->count[t->n] = 0;
	t->slot[k] = (uint32_t)t->n + 1;
	return (int64_t)t->n++;
}

static void gamtab_free(struct gamtab *t)
{
	free(t->g);
	free(t->count);
	free(t->slot);
	memset(t, 0, sizeof *t);
}

struct pairvec {
	struct cpair *v;
	size_t n, cap;
	struct gamtab gam; /* the vectors v's pairs number */
	bool oom;
};

static void pv_push(struct pairvec *pv, uint32_t a, uint32_t b, linkage_gamma g)
{
	int64_t id = gamtab_id(&pv->gam, g);
	if (id < 0) {
		pv->oom = true;
		return;
	}
	if (pv->n == pv->cap) {
		size_t nc = pv->cap ? pv->cap * 2 : 1024;
		struct cpair *nv = realloc(pv->v, nc * sizeof *nv);
		if (!nv) {
			pv->oom = true;
			return;
		}
		pv->v = nv;
		pv->cap = nc;
	}
	pv->gam.count[id]++;
	pv->v[pv->n++] = (struct cpair){a, b, (uint32_t)id};
}

/* Pair i of pv as struct linkage_pair. */
static struct linkage_pair pv_pair(const struct pairvec *pv, size_t i)
{
	const struct cpair *c = &pv->v[i];
	return (struct linkage_pair){c->a, c->b, pv->gam.g[c->pat]};
}

static void pv_free(struct pairvec *pv)
{
	free(pv->v);
	gamtab_free(&pv->gam);
	memset(pv, 0, sizeof *pv);
}

/* ---- blocking: (key, record) entries sorted by key ---- */

struct entry {
	uint32_t key;
	uint32_t rec;
};

/* A rule's entries, made and sorted on the pool: each part of the records counts its entries, then writes
 * them from its offset (the entries in record order, as one loop makes them); then each pass of the radix
 * sort counts the digits of a part of the entries, and each part moves its own to their places (part by
 * part within a digit: stable, so records stay in index order inside a key). */
#define ENTRY_DIGITS 65536

struct entries_job {
	const struct keys *keys;
	size_t n, ne;
	unsigned rule, parts, shift;
	uint8_t slot[KEYS_PER_RULE]; /* the slots the rule's entries come from */
	unsigned nslot;
	struct entry *e, *tmp;
	size_t first[65]; /* each part's first entry (parts of the records) */
	size_t *cnt;      /* parts x ENTRY_DIGITS: counts, then where each part's next entry of a digit goes */
};

/* Rule 13's own keys (the year before) are marked in their entries' record number, so that a block is
 * read for its pairs of a marked entry with an unmarked one without loading the records' keys. */
#define AGE_ENTRY 0x80000000u

static size_t rule_entries(const struct entries_job *j, size_t i, struct entry *out)
{
	size_t c = 0;
	for (unsigned s = 0; s < j->nslot; s++) {
		uint32_t key = j->keys[i].k[j->slot[s]];
		bool dup = false;
		for (unsigned q = 0; q < s; q++)
			dup |= j->keys[i].k[j->slot[q]] == key;
		if (key && !dup) {
			if (out)
				out[c] = (struct entry){key, (uint32_t)i | (j->slot[s] >= S_NAMES_AGE ? AGE_ENTRY : 0)};
			c++;
		}
	}
	return c;
}

static void entries_count(void *ctx, size_t t)
{
	struct entries_job *j = ctx;
	size_t c = 0;
	for (size_t i = j->n * t / j->parts; i < j->n * (t + 1) / j->parts; i++)
		c += rule_entries(j, i, NULL);
	j->first[t + 1] = c;
}

static void entries_fill(void *ctx, size_t t)
{
	struct entries_job *j = ctx;
	size_t at = j->first[t];
	for (size_t i = j->n * t / j->parts; i < j->n * (t + 1) / j->parts; i++)
		at += rule_entries(j, i, j->e + at);
}

static void entries_digits(void *ctx, size_t t)
{
	struct entries_job *j = ctx;
	size_t *cnt = j->cnt + t * ENTRY_DIGITS;
	memset(cnt, 0, ENTRY_DIGITS * sizeof *cnt);
	for (size_t i = j->ne * t / j->parts; i < j->ne * (t + 1) / j->parts; i++)
		cnt[(j->e[i].key >> j->shift) & 0xFFFF]++;
}

static void entries_move(void *ctx, size_t t)
{
	struct entries_job *j = ctx;
	size_t *cnt = j->cnt + t * ENTRY_DIGITS;
	for (size_t i = j->ne * t / j->parts; i < j->ne * (t + 1) / j->parts; i++)
		j->tmp[cnt[(j->e[i].key >> j->shift) & 0xFFFF]++] = j->e[i];
}

/* The entries of rule into e (room for n * KEYS_PER_RULE), sorted by key; their number, or SIZE_MAX when
 * out of memory. */
static size_t make_entries(const struct keys *keys, size_t n, unsigned rule, struct entry *e, unsigned threads)
{
	struct linkage_opts o = {.threads = threads};
	struct entries_job j = {.keys = keys, .n = n, .rule = rule, .e = e};
	/* rule 13's blocks: its own keys (the year before) and rule 5's, which they are to meet */
	if (rule == LR_NAMES_AGE)
		j.slot[j.nslot++] = S_NAMES_YEAR, j.slot[j.nslot++] = S_NAMES_YEAR + 1;
	for (unsigned k = rule_first[rule]; k < rule_first[rule + 1]; k++)
		j.slot[j.nslot++] = (uint8_t)k;
	j.parts = threads < 1 ? 1 : threads > 64 ? 64 : threads;
	pool_run(j.parts, j.parts, entries_count, &j, &o, "entries");
	for (unsigned t = 0; t < j.parts; t++)
		j.first[t + 1] += j.first[t];
	pool_run(j.parts, j.parts, entries_fill, &j, &o, "entries");
	j.ne = j.first[j.parts];
	if (j.ne < 2)
		return j.ne;
	j.tmp = malloc(j.ne * sizeof *j.tmp);
	j.cnt = malloc((size_t)j.parts * ENTRY_DIGITS * sizeof *j.cnt);
	if (!j.tmp || !j.cnt) {
		free(j.tmp);
		free(j.cnt);
		return SIZE_MAX;
	}
	for (j.shift = 0; j.shift < 32; j.shift += 16) {
		pool_run(j.parts, j.parts, entries_digits, &j, &o, "entries");
		size_t sum = 0;
		for (size_t d = 0; d < ENTRY_DIGITS; d++)
			for (unsigned t = 0; t < j.parts; t++) {
				size_t c = j.cnt[t * ENTRY_DIGITS + d];
				j.cnt[t * ENTRY_DIGITS + d] = sum;
				sum += c;
			}
		pool_run(j.parts, j.parts, entries_move, &j, &o, "entries");
		struct entry *x = j.e;
		j.e = j.tmp;
		j.tmp = x;
	}
	/* two passes: the entries are back in e */
	free(j.tmp);
	free(j.cnt);
	return j.ne;
}

struct block {
	size_t start, len;
};

#define CHUNK_PAIRS 200000 /* candidate pairs looked at per chunk of work */

struct compare_job {
	const struct linkage_rec *recs;
	const struct keys *keys;
	const struct entry *e;
	const struct block *blocks;
	const size_t *chunk_first; /* first block of each chunk; chunk c covers [first[c], first[c+1]) */
	unsigned rule;
	struct pairvec *out; /* one per chunk */
};

#define PREFETCH_AHEAD 6
#define BLOCK_PREFETCH_AHEAD 16 /* entries beyond the end of the block being compared */

static void compare_chunk(void *ctx, size_t c)
{
	struct compare_job *j = ctx;
	struct pairvec *pv = &j->out[c];
	struct linkage_memo *memo = calloc(1, sizeof *memo);
	if (!memo) {
		pv->oom = true;
		return;
	}
	/* The blocks' entries lie one after another in j->e: the records of the entries a few ahead of this
	 * block (its own later ones and the next blocks') are fetched while this one is compared. Most blocks
	 * hold a handful of records, so the prefetch inside the pair loop below rarely reached a block's first
	 * records, and where the input is not written family by family (style c, shuffled) every record of a
	 * block is a miss: their keys, and the record's first three lines that every comparison reads (the
	 * third: the UPN and the address tokens; a fourth, the middle names, measured no better)
	 * (docs/BENCHMARKS.md, "Style c's compare stage"). */
	size_t pf = j->chunk_first[c] < j->chunk_first[c + 1] ? j->blocks[j->chunk_first[c]].start : 0;
	size_t pf_end = j->chunk_first[c] < j->chunk_first[c + 1]
				? j->blocks[j->chunk_first[c + 1] - 1].start + j->blocks[j->chunk_first[c + 1] - 1].len
				: 0;
	for (size_t bi = j->chunk_first[c]; bi < j->chunk_first[c + 1]; bi++) {
		const struct block *b = &j->blocks[bi];
		const struct entry *e = j->e + b->start;
		bool nodob = j->rule == LR_NAMES_NODOB, age = j->rule == LR_NAMES_AGE;
		size_t pf_to = b->start + b->len + BLOCK_PREFETCH_AHEAD;
		if (pf < b->start)
			pf = b->start;
		for (; pf < pf_to && pf < pf_end; pf++) {
			const char *kp = (const char *)&j->keys[j->e[pf].rec & ~AGE_ENTRY];
			const char *rp = (const char *)&j->recs[j->e[pf].rec & ~AGE_ENTRY];
			__builtin_prefetch(kp);
			__builtin_prefetch(kp + sizeof(struct keys) - 1);
			__builtin_prefetch(rp);
			__builtin_prefetch(rp + 64);
			__builtin_prefetch(rp + 128);
		}
		for (size_t x = 0; x < b->len; x++) {
			/* the rule for records without a date: x is such a record, y any other */
			if (nodob && j->recs[e[x].rec].dob_digits[0])
				continue;
			/* rule 13: x is the year before of a date written from an age, y rule 5's key of that year */
			if (age && !(e[x].rec & AGE_ENTRY))
				continue;
			for (size_t y = nodob || age ? 0 : x + 1; y < b->len; y++) {
				uint32_t ra = e[x].rec & ~AGE_ENTRY, rb = e[y].rec;
				/* The keys of a record a few ahead, while this pair is looked at: the records of a block
				 * lie anywhere in memory, and the loads of their keys were most of this loop's time. */
				if (y + PREFETCH_AHEAD < b->len) {
					const char *kp = (const char *)&j->keys[e[y + PREFETCH_AHEAD].rec & ~AGE_ENTRY];
					__builtin_prefetch(kp);
					__builtin_prefetch(kp + sizeof(struct keys) - 1);
				}
				if (rb & AGE_ENTRY)
					continue;
				if (ra == rb || (nodob && y < x && !j->recs[rb].dob_digits[0]))
					continue;
				const struct keys *ka = &j->keys[ra], *kb = &j->keys[rb];
				unsigned rules = shared_rules(ka, kb);
				/* Rule 10 makes only pairs of which one record has no date: two dated records that
				 * share its key were not found by it, and a later rule must not take them for its
				 * pairs (before round 32c, rule 11 lost a year wrong beside day and month swapped
				 * under equal names, and rule 13 would have found nothing). Asked only by the later
				 * rules: an earlier rule's pair keeps the bit in its blocking_rules, as before. */
				if (j->rule > LR_NAMES_NODOB && (rules & (1u << LR_NAMES_NODOB)) && j->recs[ra].dob_digits[0] &&
				    j->recs[rb].dob_digits[0])
					rules &= ~(1u << LR_NAMES_NODOB);
				/* Found once: by its first rule, in the block of its smallest shared key. */
				if ((rules & ((1u << j->rule) - 1)) || shared_key(ka, kb, j->rule) != e[x].key)
					continue;
				rules = (rules | shared_age_rule(ka, kb)) & ~((1u << j->rule) - 1);
				uint32_t a = ra < rb ? ra : rb, bb = ra < rb ? rb : ra;
				linkage_gamma g = linkage_compare_memo(&j->recs[a], &j->recs[bb], memo);
				pv_push(pv, a, bb, g | ((linkage_gamma)rules << 48));
			}
		}
	}
	free(memo);
}

struct keys_job {
	const struct linkage_rec *recs;
	struct keys *keys;
	size_t n;
};

#define CHUNK_RECS 16384

static void keys_chunk(void *ctx, size_t c)
{
	struct keys_job *j = ctx;
	size_t hi = (c + 1) * CHUNK_RECS < j->n ? (c + 1) * CHUNK_RECS : j->n;
	for (size_t i = c * CHUNK_RECS; i < hi; i++)
		record_keys(&j->recs[i], &j->keys[i]);
}

/* All candidate pairs, rule by rule, into *out (in a fixed order). */
static int block_and_compare(const struct linkage_rec *recs, size_t n, const struct linkage_opts *o,
			     unsigned threads, struct pairvec *all, struct linkage_result *res)
{
	struct keys *keys = malloc((n ? n : 1) * sizeof *keys);
	struct entry *e = malloc((n ? n : 1) * KEYS_PER_RULE * sizeof *e);
	struct block *blocks = NULL;
	size_t *chunk_first = NULL;
	struct pairvec *outs = NULL;
	size_t nch = 0;
	int rc = -1;
	uint32_t cap = o->max_block ? o->max_block : 2000;
	if (!keys || !e)
		goto out;
	struct keys_job kj = {recs, keys, n};
	pool_run(threads, (n + CHUNK_RECS - 1) / CHUNK_RECS, keys_chunk, &kj, o, "block");

	for (unsigned rule = 0; rule < LR_NRULES; rule++) {
		if (rule == LR_NAMES_AGE && n >= AGE_ENTRY) /* its entries' mark needs the top bit */
			continue;
		size_t ne = make_entries(keys, n, rule, e, threads);
		if (ne == SIZE_MAX)
			goto out;
		size_t nb = 0, cb = 0;
		free(blocks);
		blocks = NULL;
		for (size_t i = 0; i < ne;) {
			size_t k = i + 1;
			while (k < ne && e[k].key == e[i].key)
				k++;
			/* rule 13: only a block with a key of its own and one of rule 5's makes pairs */
			size_t own = 0;
			for (size_t q = i; rule == LR_NAMES_AGE && q < k; q++)
				own += (e[q].rec & AGE_ENTRY) != 0;
			if (k - i >= 2 && (rule != LR_NAMES_AGE || (own && own < k - i))) {
				if (k - i > (rule == LR_NAMES_NODOB ? 20 * (size_t)cap : cap)) {
					res->capped_blocks++;
					res->capped_records += k - i;
				} else {
					if (nb == cb) {
						cb = cb ? cb * 2 : 4096;
						struct block *nbk = realloc(blocks, cb * sizeof *nbk);
						if (!nbk)
							goto out;
						blocks = nbk;
					}
					blocks[nb++] = (struct block){i, k - i};
				}
			}
			i = k;
		}
		/* Chunks of about CHUNK_PAIRS pairs, cut at block boundaries: bounds depend on the data only. */
		free(chunk_first);
		chunk_first = malloc((nb + 2) * sizeof *chunk_first);
		if (!chunk_first)
			goto out;
		size_t acc = 0;
		nch = 0;
		chunk_first[0] = 0;
		for (size_t b = 0; b < nb; b++) {
			acc += blocks[b].len * (blocks[b].len - 1) / 2;
			if (acc >= CHUNK_PAIRS) {
				chunk_first[++nch] = b + 1;
				acc = 0;
			}
		}
		if (chunk_first[nch] != nb)
			chunk_first[++nch] = nb;
		outs = calloc(nch ? nch : 1, sizeof *outs);
		if (!outs)
			goto out;
		struct compare_job cj = {recs, keys, e, blocks, chunk_first, rule, outs};
		pool_run(threads, nch, compare_chunk, &cj, o, "compare");
		for (size_t c = 0; c < nch; c++) {
			if (outs[c].oom)
				goto out;
			if (all->n + outs[c].n > all->cap) {
				size_t nc = all->cap ? all->cap : 1 << 16;
				while (nc < all->n + outs[c].n)
					nc *= 2;
				struct cpair *nv = realloc(all->v, nc * sizeof *nv);
				if (!nv)
					goto out;
				all->v = nv;
				all->cap = nc;
			}
			/* the chunk's vectors into the whole table, its pairs renumbered */
			struct gamtab *lt = &outs[c].gam;
			uint32_t *map = malloc((lt->n ? lt->n : 1) * sizeof *map);
			if (!map)
				goto out;
			for (size_t v = 0; v < lt->n; v++) {
				int64_t id = gamtab_id(&all->gam, lt->g[v]);
				if (id < 0) {
					free(map);
					goto out;
				}
				all->gam.count[id] += lt->count[v];
				map[v] = (uint32_t)id;
			}
			for (size_t i = 0; i < outs[c].n; i++)
				all->v[all->n + i] = (struct cpair){outs[c].v[i].a, outs[c].v[i].b, map[outs[c].v[i].pat]};
			free(map);
			all->n += outs[c].n;
			res->rule_pairs[rule] += outs[c].n;
			pv_free(&outs[c]);
		}
		free(outs);
		outs = NULL;
	}
	rc = 0;
out:
	for (size_t c = 0; outs && c < nch; c++)
		pv_free(&outs[c]);
	free(outs);
	free(keys);
	free(e);
	free(blocks);
	free(chunk_first);
	return rc;
}

/* ---- training ---- */

#define CHUNK_SAMPLES 65536

struct u_job {
	const struct linkage_rec *recs;
	size_t n;
	uint64_t npairs, seed;
	uint64_t (*counts)[LF_NFIELD][LINKAGE_MAX_LEVELS]; /* one table per chunk */
};

#define U_AHEAD 8

/* The next random pair (a != b) from r, its two records prefetched whole. */
static void u_draw(const struct u_job *j, struct rng *r, size_t *a_out, size_t *b_out)
{
	size_t a = (size_t)(rng_next(r) % j->n), b = (size_t)(rng_next(r) % (j->n - 1));
	if (b >= a)
		b++;
	for (size_t off = 0; off < sizeof *j->recs; off += 64) {
		__builtin_prefetch((const char *)&j->recs[a] + off);
		__builtin_prefetch((const char *)&j->recs[b] + off);
	}
	*a_out = a;
	*b_out = b;
}

static void u_chunk(void *ctx, size_t c)
{
	struct u_job *j = ctx;
	struct rng r;
	uint64_t hi = (c + 1) * CHUNK_SAMPLES < j->npairs ? (c + 1) * CHUNK_SAMPLES : j->npairs;
	struct linkage_memo *memo = calloc(1, sizeof *memo);
	if (!memo)
		return; /* the chunk's counts stay 0: u from fewer pairs */
	rng_seed(&r, j->seed ^ rng_mix64(c + 1));
	/* The pairs are drawn U_AHEAD ahead of their comparison, in the same order, and their records
	 * prefetched: two records anywhere in memory, whose names rarely meet in the memo, so the comparison
	 * reads most of each. */
	size_t qa[U_AHEAD], qb[U_AHEAD];
	uint64_t drawn = c * CHUNK_SAMPLES;
	for (; drawn < hi && drawn < c * CHUNK_SAMPLES + U_AHEAD; drawn++)
		u_draw(j, &r, &qa[drawn % U_AHEAD], &qb[drawn % U_AHEAD]);
	for (uint64_t k = c * CHUNK_SAMPLES; k < hi; k++) {
		size_t a = qa[k % U_AHEAD], b = qb[k % U_AHEAD];
		if (drawn < hi) {
			u_draw(j, &r, &qa[drawn % U_AHEAD], &qb[drawn % U_AHEAD]);
			drawn++;
		}
		linkage_gamma g = linkage_compare_memo(&j->recs[a], &j->recs[b], memo);
		for (unsigned f = 0; f < LF_NFIELD; f++)
			j->counts[c][f][linkage_gamma_level(g, (enum linkage_field)f)]++;
	}
	free(memo);
}

/* Distinct comparison vectors (with their rule bits) and how many pairs have each. */
struct patterns {
	linkage_gamma *g;
	uint64_t *count;
	size_t n, cap; /* open addressing over cap slots; g == 0 never occurs with rule bits set */
};

static int patterns_add(struct patterns *p, linkage_gamma g)
{
	if ((p->n + 1) * 2 > p->cap) {
		size_t nc = p->cap ? p->cap * 2 : 4096;
		linkage_gamma *ng = calloc(nc, sizeof *ng);
		uint64_t *ncount = calloc(nc, sizeof *ncount);
		if (!ng || !ncount) {
			free(ng);
			free(ncount);
			return -1;
		}
		for (size_t i = 0; i < p->cap; i++) {
			if (!p->count[i])
				continue;
			size_t k = rng_mix64(p->g[i]) & (nc - 1);
			while (ncount[k])
				k = (k + 1) & (nc - 1);
			ng[k] = p->g[i];
			ncount[k] = p->count[i];
		}
		free(p->g);
		free(p->count);
		p->g = ng;
		p->count = ncount;
		p->cap = nc;
	}
	size_t k = rng_mix64(g) & (p->cap - 1);
	while (p->count[k] && p->g[k] != g)
		k = (k + 1) & (p->cap - 1);
	if (!p->count[k]) {
		p->g[k] = g;
		p->n++;
	}
	p->count[k]++;
	return 0;
}

static double estimate_lambda(struct linkage_model *m, const linkage_gamma *g, const uint64_t *cnt, size_t np,
			      uint64_t all_pairs, double lambda)
{
	/* The fields' weights do not depend on lambda: sum them once. */
	double *base = malloc((np ? np : 1) * sizeof *base);
	if (!base)
		return lambda;
	m->lambda = 0.5; /* prior weight 0 */
	for (size_t i = 0; i < np; i++)
		base[i] = linkage_gamma_weight(m, g[i] & LINKAGE_GAMMA_MASK);
	for (int it = 0; it < 200 && all_pairs; it++) {
		double prior = log2(lambda / (1.0 - lambda)), expect = 0;
		for (size_t i = 0; i < np; i++) {
			double w = base[i] + prior;
			expect += (double)cnt[i] * (w > 60 ? 1.0 : w < -60 ? 0.0 : exp2(w) / (1.0 + exp2(w)));
		}
		double next = expect / (double)all_pairs;
		if (next <= 0 || next >= 1)
			break;
		double d = fabs(next - lambda) / lambda;
		lambda = next;
		if (d < 1e-6)
			break;
	}
	free(base);
	m->lambda = lambda;
	return lambda;
}

/* block_u: u of the fields a blocking rule does not hold out, read among that rule's own pairs that two valid
 * different identifiers (NHS number or UPN) say are two children, in place of the random pairs' u in that
 * rule's EM. Inside a block of "same name and year of birth" two children agree on sex, postcode, address and
 * middle names far more often than two records picked at random (names come by community), and against the
 * random pairs' u the EM took them for one child: at a million records (style c) rule 5 believed 4.49M of its
 * 5.71M pairs one child's while the file holds 1.50M true pairs, and m of "both NHS numbers valid and
 * different" came out 0.42 (docs/BENCHMARKS.md, "Round 24"). The identifiers stay with the random pairs' u
 * (they chose the pairs); a level unseen gets half a pair; fewer than BLOCK_U_MIN such pairs and the rule keeps
 * the random pairs' u. Returns whether it replaced any. */
#define BLOCK_U_MIN 100
static bool block_u(const linkage_gamma *g, const uint64_t *cnt, size_t k, unsigned fixed, struct linkage_model *sm)
{
	uint64_t counts[LF_NFIELD][LINKAGE_MAX_LEVELS], two = 0;
	bool any = false;
	memset(counts, 0, sizeof counts);
	for (size_t i = 0; i < k; i++) {
		if (linkage_gamma_level(g[i], LF_NHS) != LI_DIFF_VALID && linkage_gamma_level(g[i], LF_UPN) != LI_DIFF_VALID)
			continue;
		two += cnt[i];
		for (unsigned f = 0; f < LF_NFIELD; f++)
			counts[f][linkage_gamma_level(g[i], (enum linkage_field)f)] += cnt[i];
	}
	if (two < BLOCK_U_MIN)
		return false;
	for (unsigned f = 0; f < LF_NFIELD; f++) {
		if ((fixed & (1u << f)) || f == LF_NHS || f == LF_UPN)
			continue;
		uint64_t total = 0;
		for (unsigned l = 1; l < linkage_nlevels[f]; l++)
			total += counts[f][l];
		if (total < BLOCK_U_MIN)
			continue;
		for (unsigned l = 1; l < linkage_nlevels[f]; l++)
			sm->u[f][l] = ((double)counts[f][l] + (counts[f][l] ? 0.0 : 0.5)) / (double)total;
		any = true;
	}
	return any;
}

static int cmp_gamma(const void *x, const void *y)
{
	linkage_gamma a = *(const linkage_gamma *)x, b = *(const linkage_gamma *)y;
	return (a > b) - (a < b);
}

/* A fixed choice: the pooled m counts as this many matching pairs when a pair of sources' own estimate is
 * shrunk towards it, so a pair of sources with few matches keeps close to the pooled m. */
#define SOURCE_SHRINK_MATCHES 2000.0
#define SOURCE_PAIR_SHIFT 41

/* m per pair of sources: the same EM per blocking rule as the pooled m, on the pairs of records from those
 * two sources (a few iterations from the pooled m), then shrunk towards the pooled m. */
/* single: m per source instead (model->by_agency): a pair counts for the source of each of its records, and
 * the labelled pairs of that source enter its EM as fixed responsibilities. */
static int train_by_source(const struct linkage_rec *recs, const struct pairvec *pairs, struct linkage_model *m,
			   bool single, const struct linkage_opts *o)
{
	/* Keys: the pair's vector with its source pair in bits 41-47, counted (a hash table), then sorted. */
	struct patterns pt = {0};
	for (size_t i = 0; i < pairs->n; i++) {
		linkage_gamma gi = pairs->gam.g[pairs->v[i].pat];
		unsigned rules = (unsigned)(gi >> 48);
		bool trains = false;
		for (unsigned r = 0; r < LR_NRULES; r++)
			trains |= rule_trains[r] && (rules & (1u << r));
		if (!trains)
			continue;
		uint8_t sa = recs[pairs->v[i].a].source, sb = recs[pairs->v[i].b].source;
		unsigned key[2] = {linkage_source_pair(sa, sb), 0}, nk = 1;
		if (single) {
			key[0] = sa <= LINKAGE_MAX_SOURCES ? sa : 0;
			key[1] = sb <= LINKAGE_MAX_SOURCES ? sb : 0;
			nk = key[1] != key[0] ? 2 : 1;
		}
		for (unsigned j = 0; j < nk; j++)
			if (patterns_add(&pt, gi | ((linkage_gamma)key[j] << SOURCE_PAIR_SHIFT)) != 0) {
				free(pt.g);
				free(pt.count);
				return -1;
			}
	}
	size_t nd = pt.n;
	struct keyed {
		linkage_gamma k;
		uint64_t c;
	} *kc = malloc((nd ? nd : 1) * sizeof *kc);
	linkage_gamma *k = malloc((nd ? nd : 1) * sizeof *k);
	uint64_t *cnt = malloc((nd ? nd : 1) * sizeof *cnt);
	linkage_gamma *sg = malloc((nd ? nd : 1) * sizeof *sg);
	uint64_t *sc = malloc((nd ? nd : 1) * sizeof *sc);
	struct linkage_source_m *bs = calloc(1, sizeof *bs);
	struct linkage_label *lab = single && o->nlabels ? malloc(o->nlabels * sizeof *lab) : NULL;
	if (!kc || !k || !cnt || !sg || !sc || !bs || (single && o->nlabels && !lab)) {
		free(lab);
		free(pt.g);
		free(pt.count);
		free(kc);
		free(k);
		free(cnt);
		free(sg);
		free(sc);
		free(bs);
		return -1;
	}
	nd = 0;
	for (size_t i = 0; i < pt.cap; i++)
		if (pt.count[i])
			kc[nd++] = (struct keyed){pt.g[i], pt.count[i]};
	free(pt.g);
	free(pt.count);
	qsort(kc, nd, sizeof *kc, cmp_gamma); /* by key: the first member */
	for (size_t i = 0; i < nd; i++) {
		k[i] = kc[i].k;
		cnt[i] = kc[i].c;
	}
	free(kc);
	for (size_t lo = 0; lo < nd;) {
		unsigned sp = (unsigned)(k[lo] >> SOURCE_PAIR_SHIFT) & 0x7F;
		size_t hi = lo;
		while (hi < nd && ((unsigned)(k[hi] >> SOURCE_PAIR_SHIFT) & 0x7F) == sp)
			hi++;
		double msum[LF_NFIELD][LINKAGE_MAX_LEVELS], wsum[LF_NFIELD], matches = 0;
		size_t nlab = 0;
		for (size_t i = 0; single && i < o->nlabels; i++)
			if (o->labels[i].source == sp)
				lab[nlab++] = o->labels[i];
		memset(msum, 0, sizeof msum);
		memset(wsum, 0, sizeof wsum);
		for (unsigned r = 0; r < LR_NRULES; r++) {
			if (!rule_trains[r])
				continue;
			size_t ns = 0;
			uint64_t total = 0;
			for (size_t i = lo; i < hi; i++)
				if ((k[i] >> 48) & (1u << r)) {
					sg[ns] = k[i] & LINKAGE_GAMMA_MASK;
					sc[ns++] = cnt[i];
					total += cnt[i];
				}
			if (total < 100)
				continue;
			struct linkage_model sm = *m;
			double lam = 0;
			if (m->refuse & LINKAGE_REFUSE_BLOCK_U)
				block_u(sg, sc, ns, rule_fixed[r], &sm);
			linkage_em_labelled(sg, sc, ns, lab, nlab, rule_fixed[r], 30, 0.3, &sm, &lam);
			double weight = lam * (double)total;
			if (weight > matches)
				matches = weight;
			for (unsigned f = 0; f < LF_NFIELD; f++) {
				if (rule_fixed[r] & (1u << f))
					continue;
				for (unsigned l = 1; l < linkage_nlevels[f]; l++)
					msum[f][l] += weight * sm.m[f][l];
				wsum[f] += weight;
			}
		}
		if (sp < LINKAGE_SOURCE_PAIRS && matches > 0) {
			bs->own[sp] = true;
			bs->matches[sp] = matches;
			for (unsigned f = 0; f < LF_NFIELD; f++)
				for (unsigned l = 1; l < linkage_nlevels[f]; l++) {
					double own = wsum[f] > 0 ? msum[f][l] / wsum[f] : m->m[f][l];
					double v = (matches * own + SOURCE_SHRINK_MATCHES * m->m[f][l]) / (matches + SOURCE_SHRINK_MATCHES);
					bs->m[sp][f][l] = v < 1e-6 ? 1e-6 : v;
				}
		}
		lo = hi;
	}
	for (unsigned sp = 0; sp < LINKAGE_SOURCE_PAIRS; sp++)
		for (unsigned f = 0; f < LF_NFIELD; f++)
			for (unsigned l = 1; l < linkage_nlevels[f]; l++) {
				double mm = bs->own[sp] ? bs->m[sp][f][l] : m->m[f][l];
				double uu = m->u[f][l] < 1e-9 ? 1e-9 : m->u[f][l];
				bs->m[sp][f][l] = mm;
				bs->w[sp][f][l] = log2(mm / uu);
			}
	free(k);
	free(cnt);
	free(sg);
	free(sc);
	free(lab);
	struct linkage_source_m **into = single ? &m->by_agency : &m->by_source;
	free(*into);
	*into = bs;
	return 0;
}

static int train(const struct linkage_rec *recs, size_t n, const struct pairvec *pairs, struct linkage_model *m,
		 const struct linkage_opts *o, unsigned threads)
{
	/* u: random pairs. */
	uint64_t all_pairs = n < 2 ? 0 : (uint64_t)n * (n - 1) / 2;
	uint64_t npairs = o->random_pairs ? o->random_pairs : 1000000;
	if (npairs > all_pairs)
		npairs = all_pairs;
	if (npairs) {
		size_t nch = (size_t)((npairs + CHUNK_SAMPLES - 1) / CHUNK_SAMPLES);
		struct u_job uj = {recs, n, npairs, o->seed, calloc(nch, sizeof *uj.counts)};
		if (!uj.counts)
			return -1;
		pool_run(threads, nch, u_chunk, &uj, o, "train");
		uint64_t total[LF_NFIELD][LINKAGE_MAX_LEVELS];
		memset(total, 0, sizeof total);
		for (size_t c = 0; c < nch; c++)
			for (unsigned f = 0; f < LF_NFIELD; f++)
				for (unsigned l = 0; l < LINKAGE_MAX_LEVELS; l++)
					total[f][l] += uj.counts[c][f][l];
		free(uj.counts);
		linkage_u_from_counts(total, m);
	}
	m->random_pairs = npairs;
	m->trained_records = n;
	m->trained_pairs = pairs->n;

	/* m: one EM per blocking rule over the pairs that rule finds, with the fields it forces to agree
	 * held out; each field's m is the average over the rules that estimated it, weighted by how many
	 * matching pairs each rule's EM believed it saw. */
	/* The distinct vectors and their counts: blocking's table (struct gamtab). */
	const struct gamtab *pt = &pairs->gam;
	linkage_gamma *g = malloc((pt->n ? pt->n : 1) * sizeof *g);
	uint64_t *cnt = malloc((pt->n ? pt->n : 1) * sizeof *cnt);
	if (!g || !cnt) {
		free(g);
		free(cnt);
		return -1;
	}
	/* A fixed order for the sums (the table's order is the order the vectors were first found, the same
	 * for any number of threads, but sorting makes the model independent of anything but the set of
	 * patterns). */
	size_t np = 0;
	for (size_t i = 0; i < pt->n; i++)
		if (pt->count[i]) {
			g[np] = pt->g[i];
			cnt[np++] = pt->count[i];
		}
	{
		struct keyed {
			linkage_gamma k;
			uint64_t c;
		} *kc = malloc((np ? np : 1) * sizeof *kc);
		if (!kc) {
			free(g);
			free(cnt);
			return -1;
		}
		for (size_t i = 0; i < np; i++)
			kc[i] = (struct keyed){g[i], cnt[i]};
		qsort(kc, np, sizeof *kc, cmp_gamma); /* by key: the first member */
		for (size_t i = 0; i < np; i++) {
			g[i] = kc[i].k;
			cnt[i] = kc[i].c;
		}
		free(kc);
	}

	double msum[LF_NFIELD][LINKAGE_MAX_LEVELS], wsum[LF_NFIELD];
	memset(msum, 0, sizeof msum);
	memset(wsum, 0, sizeof wsum);
	linkage_gamma *sg = malloc((np ? np : 1) * sizeof *sg);
	uint64_t *sc = malloc((np ? np : 1) * sizeof *sc);
	if (!sg || !sc) {
		free(sg);
		free(sc);
		free(g);
		free(cnt);
		return -1;
	}
	struct linkage_model start = *m;
	unsigned iterations = 0;
	/* The identifier rules' EM (the identifier held out): the share of their pairs it believes one child's,
	 * and how many of their pairs agree on a valid number; for u of the identifiers' equal level below. */
	double id_lam[2] = {-1, -1};
	uint64_t id_equal[2] = {0, 0};
	for (unsigned r = 0; r < LR_NRULES; r++) {
		size_t k = 0;
		uint64_t total = 0;
		for (size_t i = 0; i < np; i++)
			if ((g[i] >> 48) & (1u << r)) {
				sg[k] = g[i] & LINKAGE_GAMMA_MASK;
				sc[k++] = cnt[i];
				total += cnt[i];
			}
		if (total < 100 || !rule_trains[r])
			continue;
		struct linkage_model sm = start;
		double lam = 0;
		if (m->refuse & LINKAGE_REFUSE_BLOCK_U)
			block_u(sg, sc, k, rule_fixed[r], &sm);
		iterations += linkage_em_labelled(sg, sc, k, o->labels, o->nlabels, rule_fixed[r], 200, 0.3, &sm, &lam);
		if (r == LR_NHS || r == LR_UPN) {
			unsigned f = r == LR_NHS ? LF_NHS : LF_UPN;
			id_lam[r == LR_UPN] = lam;
			for (size_t i = 0; i < k; i++)
				if (linkage_gamma_level(sg[i], (enum linkage_field)f) == LI_EQUAL)
					id_equal[r == LR_UPN] += sc[i];
		}
		double weight = lam * (double)total;
		for (unsigned f = 0; f < LF_NFIELD; f++) {
			if (rule_fixed[r] & (1u << f))
				continue;
			for (unsigned l = 1; l < linkage_nlevels[f]; l++)
				msum[f][l] += weight * sm.m[f][l];
			wsum[f] += weight;
		}
	}
	for (unsigned f = 0; f < LF_NFIELD; f++)
		if (wsum[f] > 0)
			for (unsigned l = 1; l < linkage_nlevels[f]; l++)
				m->m[f][l] = msum[f][l] / wsum[f];
	m->em_iterations = iterations;

	/* lambda: the expected number of matching pairs among all n(n-1)/2, with the pairs blocking did not
	 * find counted as non-matches (a fixed point of EM over lambda alone, m and u held). Then u is
	 * corrected for the matches among the random pairs (u_seen = lambda m + (1 - lambda) u: on a small file
	 * two records picked at random are the same child often enough to matter), and lambda found again. */
	double useen[LF_NFIELD][LINKAGE_MAX_LEVELS];
	memcpy(useen, m->u, sizeof useen);
	double lambda = m->lambda > 0 ? m->lambda : 1e-4;
	for (int round = 0; round < 3; round++) {
		lambda = estimate_lambda(m, g, cnt, np, all_pairs, lambda);
		for (unsigned f = 0; f < LF_NFIELD; f++) {
			double s = 0;
			for (unsigned l = 1; l < linkage_nlevels[f]; l++) {
				double v = (useen[f][l] - lambda * m->m[f][l]) / (1.0 - lambda);
				m->u[f][l] = v < useen[f][l] * 0.01 ? useen[f][l] * 0.01 : v;
				s += m->u[f][l];
			}
			for (unsigned l = 1; l < linkage_nlevels[f] && s > 0; l++)
				m->u[f][l] /= s;
		}
	}
	/* u of a valid identifier's equal level, counted on every pair, not on the random ones (id_u). Two
	 * records of two children share a valid NHS number or UPN only by a data error, so among a million
	 * random pairs it is seen a few times or never, and u was the sample's noise or its half-pair floor:
	 * 18.9 bits at 79k records and 16.4 at a million (style c), while the prior falls with the area's
	 * size (-14.6 and -17.8 bits), so at a million an equal valid NHS number weighed less than the prior
	 * took away, and 1,534 pairs sharing a valid number were left for review (all one child's).
	 * Every pair that shares a number is a candidate (blocking rules 1 and 2), and the rule's own EM, with
	 * the identifier held out, says what share of them is one child's: the rest, over all n(n-1)/2 pairs,
	 * is u (at least half a pair, the resolution of the count). */
	if ((m->refuse & LINKAGE_REFUSE_ID_U) && all_pairs)
		for (int s = 0; s < 2; s++) {
			unsigned f = s ? LF_UPN : LF_NHS;
			if (id_lam[s] < 0 || id_equal[s] == 0)
				continue;
			double non = (1.0 - id_lam[s]) * (double)id_equal[s];
			m->u[f][LI_EQUAL] = (non > 0.5 ? non : 0.5) / (double)all_pairs;
		}
	lambda = estimate_lambda(m, g, cnt, np, all_pairs, lambda);
	/* No level is impossible: a probability never seen in training is kept at a small floor, so the model
	 * file holds no zeros and every weight is finite. */
	for (unsigned f = 0; f < LF_NFIELD; f++)
		for (unsigned l = 1; l < linkage_nlevels[f]; l++) {
			if (m->m[f][l] < 1e-6)
				m->m[f][l] = 1e-6;
			if (m->u[f][l] < 1e-9)
				m->u[f][l] = 1e-9;
		}
	m->lambda = lambda;
	free(sg);
	free(sc);
	free(g);
	free(cnt);
	if (o->by_source && train_by_source(recs, pairs, m, false, o) != 0)
		return -1;
	return o->by_agency ? train_by_source(recs, pairs, m, true, o) : 0;
}

/* ---- scoring ---- */

/* 16 bytes: the flags in one 32-bit word (levels are 4 bits in a comparison vector). At a million records
 * of style d clustering holds 7.6M of these twice (the pairs and their parts' copy): 60 MB less than at 20
 * bytes, at the run's peak (docs/BENCHMARKS.md, r-linkspeed31). */
struct scored {
	uint32_t a, b;
	float weight;
	unsigned cannot : 3; /* 0 may link, 1 not this pair, 2 never in one cluster, 3 a nameless record's
	                      * candidate between the thresholds, never merged (merge_weak weighs it), 4 a pair of
	                      * one given name as written between the thresholds, never merged (stray_hold, own_name),
	                      * 5 as 1, a pair of unrelated given names at the link threshold (twins_gave_way) that
	                      * only merge_lone_middle may merge, 6 a pair between the thresholds of a record without
	                      * an identifier, never merged (lone_reach reads where it leads) */
	unsigned idmatch : 1;    /* an equal valid NHS number or UPN */
	unsigned twin_level : 4; /* the given-name level of a twin-like pair (twinlike()), else 0 */
	unsigned kind : 2;       /* for cannot == 2: 1 when the reason is "twins" (a middle-name bridge lifts it), 2 "sex" */
	unsigned bridge : 1;     /* the link shows a child known by a middle name (given level "swapped") */
	unsigned same_name : 1;  /* the given names are equal (crossed or not) */
	unsigned same_written : 1; /* the given names as written are equal (same_given: own_links asks it of
	                            * every link, twice, where the two records are cache misses) */
	unsigned weak : 1;       /* no given-name evidence or no birthday evidence (weaklink()) */
	unsigned middle : 4;     /* the middle-name level */
};
_Static_assert(sizeof(struct scored) == 16, "struct scored is 16 bytes");
_Static_assert(LINKAGE_MAX_LEVELS <= 16, "a level fits struct scored's 4 bits");

/* Given names in use: carried by records of two or more (family name, date of birth) pairs in the input,
 * as parents' names for children are; a slip of the keyboard seldom is. Sorted hashes of such names. */
struct name_use {
	uint64_t *h;
	size_t n;
};

static bool name_in_use(const struct name_use *u, uint64_t given_h)
{
	size_t lo = 0, hi = u ? u->n : 0;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (u->h[mid] < given_h)
			lo = mid + 1;
		else
			hi = mid;
	}
	return u && lo < u->n && u->h[lo] == given_h;
}

/* name_pairs: what the input says of two given names together, counted on the identified children (records
 * sharing a valid NHS number, or UPN if more records hold one; a child's name is the commonest of its records):
 * how many distinct pairs of them are twins (as estimate_twin_rate counts twins: different identifiers, one
 * birthday, family name and home) with the two names, and how many children known by one of the names carry the
 * other in k or more records (as split_rates counts splits). Sorted by key; twins_decide reads a merge's two
 * names here as well as at their level (LINKAGE_REFUSE_NAME_PAIRS). */
struct name_pair {
	uint64_t key;                          /* pair_key of the two names' hashes */
	uint32_t twins;                        /* twin pairs so named */
	uint32_t split[LINKAGE_SPLIT_K + 1];   /* [k]: children of one name with k or more records of the other */
};
struct name_pairs {
	struct name_pair *v;
	size_t n;
};

static uint64_t pair_key(uint64_t x, uint64_t y)
{
	return x < y ? mix(x, y) : mix(y, x);
}

static const struct name_pair *name_pairs_find(const struct name_pairs *np, uint64_t key)
{
	size_t lo = 0, hi = np ? np->n : 0;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (np->v[mid].key < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return np && lo < np->n && np->v[lo].key == key ? &np->v[lo] : NULL;
}

struct score_job {
	const struct linkage_rec *recs;
	const struct linkage_model *m;
	const struct cpair *pairs;
	const linkage_gamma *gam; /* the pairs' vectors, by number */
	size_t n;
	double keep_weight; /* keep links and cannot-link edges at or above this weight */
	struct scored **out;
	size_t *nout;
	uint64_t *reviews;
	double link_w, review_w;
	double tbl[LF_NFIELD][LINKAGE_MAX_LEVELS]; /* the model's plain weights */
	double prior;                              /* and the prior's */
	const struct name_use *use;
	const struct name_use *mains;  /* names children are known by (read_across) */
	const struct name_pairs *npairs; /* what the input says of two names together (read_across) */
};

#define CHUNK_SCORE 262144

/* A pair that twins could make: given names related but not equal (a nickname or variant, a typo, the
 * same sound, a middle name: Abdullahi and Abdi, Evie and Ava), family names related and birthdays equal
 * or nearly. Returns the given name's level then (for names in each other's fields, the weaker of the two
 * crossed levels), else 0. */
/* The family's part of twinlike(): birthdays equal or nearly (a typo, a swap, one part off by one), family
 * names given and related (for names in each other's fields, given). */
static bool twin_family(linkage_gamma g)
{
	unsigned family = linkage_gamma_level(g, LF_FAMILY), dob = linkage_gamma_level(g, LF_DOB);
	if (dob == LINKAGE_LEVEL_NULL || dob == LD_ELSE || dob == LD_PART || family == LINKAGE_LEVEL_NULL)
		return false;
	return (g & LINKAGE_GAMMA_CROSSED) || family != LN_ELSE;
}

/* read_across: a record whose given field is commoner in the input as a family name and whose family field,
 * one word, is commoner as a given name ("OBI AYODELE"): the names written across, as the term frequencies of
 * these records say. */
static bool written_across(const struct linkage_rec *r)
{
	return r->given_len && r->given_as_family && r->family_as_given && r->nfamily_parts == 1 && r->family_flat_len;
}

/* The name a record written across gives its child (its family field), hashed as a given name is. */
static uint64_t across_h(const struct linkage_rec *r)
{
	return linkage_hash64(r->family_flat, r->family_flat_len, LINKAGE_FNV64) | 1u;
}

/* twinlike() for two records both written across (written_across), their names not read crossed by the
 * comparison (against each other they are not: their given fields, the family's name, agree as written). Read
 * across, the family level stands for the given name and the given level for the family name; the pair is
 * twin-like only where the input says two children of those names: both names children are known by, and
 * identified twin pairs so named (name_pairs). One child's records written across with two forms of the name
 * (Ron and Ronnie, Meh and Mehari) link as before. 0 when not so. */
static unsigned twinlike_across(const struct score_job *j, linkage_gamma g, const struct linkage_rec *a,
				const struct linkage_rec *b)
{
	if ((g & LINKAGE_GAMMA_CROSSED) || !written_across(a) || !written_across(b))
		return 0;
	unsigned given = linkage_gamma_level(g, LF_GIVEN), family = linkage_gamma_level(g, LF_FAMILY),
		 dob = linkage_gamma_level(g, LF_DOB);
	if (dob == LINKAGE_LEVEL_NULL || dob == LD_ELSE || dob == LD_PART || given == LINKAGE_LEVEL_NULL ||
	    given == LN_ELSE || family <= LN_EXACT || family > LN_NEAR)
		return 0;
	uint64_t ha = across_h(a), hb = across_h(b);
	if (!name_in_use(j->mains, ha) || !name_in_use(j->mains, hb))
		return 0;
	const struct name_pair *np = name_pairs_find(j->npairs, pair_key(ha, hb));
	return np && np->twins ? family : 0;
}

static unsigned twinlike(linkage_gamma g)
{
	unsigned given = linkage_gamma_level(g, LF_GIVEN), family = linkage_gamma_level(g, LF_FAMILY);
	if (!twin_family(g))
		return 0;
	if (g & LINKAGE_GAMMA_CROSSED) {
		/* names in each other's fields: the two crossed levels together stand for the given name */
		unsigned l = given > family ? given : family;
		return l > LN_EXACT && l <= LN_NEAR ? l : 0;
	}
	return given > LN_EXACT && given <= LN_SWAPPED && family != LN_ELSE ? given : 0;
}

/* A link that says nothing of which child of a family it is: a given name missing on either side (and the
 * names not in each other's fields), or birthdays that agree in two parts at most or are missing. Twins
 * share the family name, the home and the birthday, so such a link is as good for either twin: it is
 * merged last, between whole components (merge_weak). */
static bool weaklink(linkage_gamma g)
{
	unsigned given = linkage_gamma_level(g, LF_GIVEN), dob = linkage_gamma_level(g, LF_DOB);
	if (given == LINKAGE_LEVEL_NULL && !(g & LINKAGE_GAMMA_CROSSED))
		return true;
	return dob == LINKAGE_LEVEL_NULL || dob == LD_PART || dob == LD_ELSE;
}

/* Middle names that agree exactly outweigh the pairwise given-name refusals ("twins", "given_name") when
 * the shares measured on this input say one child by the link threshold's odds: one child's records whose
 * given names are at this level (split_rate, one record or more) against children with a twin so named
 * (twin_rate), times the likelihood ratio the exact middle name adds (m of the level against the share of
 * twins' record pairs that agree so, twin_middle). Twins given a middle name in common are rare; one child
 * recorded by two spellings of the given name with the middle name written the same is not. The decision
 * of clustering's possible-twins rule (twins_conflict), for one record against one. */
static bool middle_outweighs(const struct score_job *j, const struct linkage_pair *p)
{
	const struct linkage_model *m = j->m;
	unsigned l = linkage_gamma_level(p->gamma, LF_GIVEN);
	if (linkage_gamma_level(p->gamma, LF_MIDDLE) != LM_EXACT || (p->gamma & LINKAGE_GAMMA_CROSSED) ||
	    l == LINKAGE_LEVEL_NULL || l >= LINKAGE_MAX_LEVELS || m->twin_middle[LM_EXACT] <= 0)
		return false;
	double lt = m->link_threshold, link_odds = lt > 0 && lt < 1 ? lt / (1.0 - lt) : 1.0;
	double lr = m->m[LF_MIDDLE][LM_EXACT] / m->twin_middle[LM_EXACT];
	int real = !(name_in_use(j->use, j->recs[p->a].given_h) && name_in_use(j->use, j->recs[p->b].given_h));
	return lr * m->split_rate[real][l][1] >= link_odds * m->twin_rate[real][l];
}

/* A pair the pairwise "twins" rule would refuse (given names unrelated, family names related, birthdays equal
 * or nearly; names not crossed) that reached the link threshold: in the batch "twins" gives way to clustering's
 * `names` rule there, and "given" refuses it (soft). */
static bool twins_gave_way(linkage_gamma g)
{
	return !(g & LINKAGE_GAMMA_CROSSED) && linkage_gamma_level(g, LF_GIVEN) == LN_ELSE && twin_family(g);
}

/* A record that carries no valid NHS number or UPN (lone_reach). */
static bool unidentified(const struct linkage_rec *r)
{
	return r->nhs_state != LINKAGE_ID_VALID && r->upn_state != LINKAGE_ID_VALID;
}

/* The given names as written are equal (not by the comparison's levels: crossed names and the memo aside). */
static bool same_given(const struct linkage_rec *p, const struct linkage_rec *q)
{
	return p->given_len && p->given_h == q->given_h && p->given_len == q->given_len &&
	       memcmp(p->given, q->given, p->given_len) == 0;
}

static void score_chunk(void *ctx, size_t c)
{
	struct score_job *j = ctx;
	size_t lo = c * CHUNK_SCORE, hi = lo + CHUNK_SCORE < j->n ? lo + CHUNK_SCORE : j->n, k = 0;
	struct scored *o = malloc((hi - lo) * sizeof *o);
	struct linkage_tf_memo memo = {0};
	j->out[c] = o;
	j->reviews[c] = 0;
	if (!o)
		return;
	for (size_t i = lo; i < hi; i++) {
		const struct cpair *cp = &j->pairs[i];
		const struct linkage_pair pp = {cp->a, cp->b, j->gam[cp->pat]}, *p = &pp;
		/* The two records of a pair some ahead: their frequencies and source (one line of each) are all
		 * of them a pair's weight reads, with the name hashes (same_given), and they lie anywhere. */
		if (i + 8 < hi) {
			__builtin_prefetch(&j->recs[cp[8].a].tf_given);
			__builtin_prefetch(&j->recs[cp[8].b].tf_given);
			__builtin_prefetch(&j->recs[cp[8].a].given_h);
			__builtin_prefetch(&j->recs[cp[8].b].given_h);
		}
		double w = linkage_pair_weight_tbl(j->m, (const double (*)[LINKAGE_MAX_LEVELS])j->tbl, j->prior, &memo,
						   j->recs, p);
		if (w < j->keep_weight)
			continue;
		bool hard = false;
		/* Unrelated given names with one family and one birthday (the pairwise "twins" rule): a pair that
		 * reaches the link threshold all the same (home, sex, middle name agree: the fitted model says one
		 * child) is judged in the batch by clustering's `names` rule, on the two components whole, when it
		 * is in force: one child recorded once by a name no other record of it shows (a middle name, a
		 * short form, a name respelt twice) then joins its own component, while twins' components, each
		 * consistent on its own name, are still held apart. Below the threshold the pair stays a hard edge
		 * that keeps the two components apart whatever else links them (without it, twins Tunde and
		 * Babatunde joined at a million). Measured (docs/BENCHMARKS.md, "Round 6"): +0.002-0.004 of recall
		 * on every set, no twin cluster added at 76k, 245k, twins x4 or a million. The service, which has
		 * no clustering, keeps the pairwise rule (linkage_cannot_link). */
		linkage_refuse_set pr = j->m->refuse;
		if ((pr & LINKAGE_REFUSE_NAMES) && w >= j->link_w)
			pr &= ~LINKAGE_REFUSE_TWINS;
		if ((pr & (LINKAGE_REFUSE_TWINS | LINKAGE_REFUSE_GIVEN)) && middle_outweighs(j, p))
			pr &= ~(LINKAGE_REFUSE_TWINS | LINKAGE_REFUSE_GIVEN);
		/* age_dates: unrelated birthdays a year apart or less, one written by a source that writes dates from
		 * an age (linkage_dob_from_age, estimates.c), do not refuse a pair whose given names are equal as
		 * written. With a given name written otherwise as well it stays refused: that is two disagreements,
		 * and twins are named one letter apart (Andreea and Andreeo, style d seed 2, joined so through one
		 * twin's estimated date when weak links were tried at the twin-like odds; the condition costs
		 * 0.0001-0.0006 of recall there: docs/BENCHMARKS.md, "Round 29"). */
		if ((pr & LINKAGE_REFUSE_DOB) && (pr & LINKAGE_REFUSE_AGE_DATES) &&
		    linkage_gamma_level(p->gamma, LF_GIVEN) == LN_EXACT && !(p->gamma & LINKAGE_GAMMA_CROSSED) &&
		    linkage_dob_from_age(&j->recs[p->a], &j->recs[p->b]))
			pr &= ~LINKAGE_REFUSE_DOB;
		const char *why = linkage_cannot_link_with(p->gamma & LINKAGE_GAMMA_MASK, pr, &hard);
		/* Names read across on both records (linkage_transposed_twins): the service refuses the pair, but in
		 * the batch clustering's `names` rule, which reads crossed names (a record "COLLINS ARLO" names Arlo),
		 * already holds the twins' components apart; as a hard edge here it bought no precision on any set
		 * and kept one child's records written across apart ("Ghebre Rahwa" beside "Ghebre Selam": Selam,
		 * known as Rahwa; docs/BENCHMARKS.md, "Round 17"). So it gives way to `names` as `twins` does. */
		bool transposed = !why && !(j->m->refuse & LINKAGE_REFUSE_NAMES) &&
				  linkage_transposed_twins(j->m->refuse, &j->recs[p->a], &j->recs[p->b], p->gamma);
		if (transposed) {
			why = "twins";
			hard = true;
		}
		bool cannot = why != NULL;
		/* lone_middle: such a pair refused "given" at the link threshold is kept apart from the other soft
		 * refusals (cannot 5): a record alone under a middle name its component holds joins by it at the end
		 * (merge_lone_middle) */
		bool lone_middle = cannot && !hard && (j->m->refuse & LINKAGE_REFUSE_LONE_MIDDLE) &&
				   (j->m->refuse & LINKAGE_REFUSE_NAMES) && w >= j->link_w && strcmp(why, "given_name") == 0 &&
				   twins_gave_way(p->gamma);
		if (!cannot && w >= j->review_w && w < j->link_w)
			j->reviews[c]++;
		/* A pair with a record without a given name between the thresholds: kept (cannot 3, never merged)
		 * as a candidate that holds the record alone with stray_name (merge_weak). */
		bool candidate = !cannot && w >= j->review_w && w < j->link_w && (j->m->refuse & LINKAGE_REFUSE_STRAY_NAME) &&
				 (!j->recs[p->a].given_len || !j->recs[p->b].given_len);
		/* A pair of one given name as written between the thresholds: kept (cannot 4, never merged) as a
		 * lone record's candidate for stray_hold (own_name). */
		bool own = !cannot && !candidate && w >= j->review_w && w < j->link_w &&
			   (j->m->refuse & LINKAGE_REFUSE_STRAY_NAME) && (j->m->refuse & LINKAGE_REFUSE_OWN_NAME) &&
			   !(p->gamma & LINKAGE_GAMMA_CROSSED) &&
			   linkage_gamma_level(p->gamma, LF_GIVEN) == LN_EXACT;
		/* lone_reach: any other pair between the thresholds of a record without an identifier is kept (cannot 6,
		 * never merged) for the index of where such a record's pairs lead (reach_index) */
		bool reach = w < j->link_w && (!cannot || !hard) && !candidate && !own && w >= j->review_w &&
			     (j->m->refuse & LINKAGE_REFUSE_LONE_REACH) && (unidentified(&j->recs[p->a]) || unidentified(&j->recs[p->b]));
		if (w < j->link_w && (!cannot || !hard) && !candidate && !own && !reach)
			continue;
		unsigned nhs = linkage_gamma_level(p->gamma, LF_NHS), upn = linkage_gamma_level(p->gamma, LF_UPN);
		unsigned twin = twinlike(p->gamma);
		/* read_across: two records written across whose family fields (their children's names) are spellings
		 * of each other and twins' names in the input are a twin-like pair, as two records read crossed are
		 * ("OBI ADEOLA" beside "OBI AYODELE", twins' records), judged between whole components in the second
		 * pass; before, their equal given fields (the family's name) linked them in the first */
		unsigned across = !twin && (j->m->refuse & LINKAGE_REFUSE_READ_ACROSS)
					  ? twinlike_across(j, p->gamma, &j->recs[p->a], &j->recs[p->b])
					  : 0;
		if (across)
			twin = across;
		uint8_t kind = 0; /* struct scored's kind: which hard edge a judgement may lift */
		if (cannot && hard && !transposed && strcmp(why, "twins") == 0)
			kind = 1;
		else if (cannot && hard && strcmp(why, "sex") == 0)
			kind = 2;
		o[k++] = (struct scored){p->a, p->b, (float)w,
					 (uint8_t)(reach ? 6 : candidate ? 3 : own ? 4 : cannot ? (hard ? 2 : lone_middle ? 5 : 1) : 0),
					 (uint8_t)(nhs == LI_EQUAL || upn == LI_EQUAL), (uint8_t)twin, kind,
					 (uint8_t)(linkage_gamma_level(p->gamma, LF_GIVEN) == LN_SWAPPED),
					 (uint8_t)(!across && linkage_gamma_level(p->gamma, LF_GIVEN) == LN_EXACT &&
						   (!(p->gamma & LINKAGE_GAMMA_CROSSED) ||
						    linkage_gamma_level(p->gamma, LF_FAMILY) == LN_EXACT)),
					 (uint8_t)(!across && same_given(&j->recs[p->a], &j->recs[p->b])),
					 (uint8_t)(!(nhs == LI_EQUAL || upn == LI_EQUAL) && weaklink(p->gamma)),
					 (uint8_t)linkage_gamma_level(p->gamma, LF_MIDDLE)};
	}
	j->nout[c] = k;
	/* Most pairs are dropped: give the rest of the chunk's array back, or it stays resident (glibc serves
	 * these from a heap that earlier stages' arrays left touched) until the chunks are joined. */
	struct scored *fit = realloc(o, (k ? k : 1) * sizeof *o);
	if (fit)
		j->out[c] = fit;
}

/* ---- clustering: union-find that refuses merges across strong non-matches ---- */

#define UF_NAMES 4
#define UF_DOBS 4
#define UF_DOBS_MANY (UINT32_MAX - 1)
struct uf {
	uint32_t *parent, *size;
	int64_t *nhs, *upn;   /* per root: a record holding the component's valid NHS number / UPN, or -1 */
	uint32_t *sex;        /* per root: records saying 'M' (low 16 bits) and 'F' (high 16 bits) */
	double *logseen;      /* per root: the sum over its records of log2 of their source's share of records
	                       * carrying the identifier the split shares were counted on (thin_bound) */
	uint32_t *head, *tail, *nedges; /* per root: list of cannot-link edges (indices into edge arrays) */
	uint32_t *edge_to, *edge_next, *edge_from; /* edge e runs from record edge_from[e] to edge_to[e] */
	uint8_t *edge_kind;   /* 1: a "twins" edge, which a record naming both children lifts (edge_bridged); 1 and
	                       * 2 (a "sex" edge): lifted when already judged inside a component (edge_judged) */
	uint32_t (*names)[UF_NAMES]; /* per root: records with the distinct given names seen, UINT32_MAX free */
	uint32_t (*name_n)[UF_NAMES]; /* per root: how many of its records carry each of those names */
	uint32_t (*dobs)[UF_DOBS];   /* per root: records with the distinct birthdays seen, UINT32_MAX free;
	                              * UF_DOBS_MANY in the last slot when there were more */
	linkage_refuse_set refuse; /* LINKAGE_REFUSE_* in force */
	double given_w[LINKAGE_MAX_LEVELS]; /* the model's weight of each given-name level (name_evidence) */
	double middle_w[LINKAGE_MAX_LEVELS], sex_w[LINKAGE_MAX_LEVELS]; /* and of the middle names', the sex's
	                                                                  * (even_twins' own_fields) */
	const struct linkage_model *model;
	const struct name_use *use;
	const struct name_use *mains; /* names children are known by (build_main_names) */
	const struct name_pairs *pairs; /* what the input says of two names together (name_pairs) */
	const uint32_t *reach_off, *reach_to; /* lone_reach: per record without an identifier, the records it pairs with
	                                       * at or above the review threshold (reach_index); NULL when off */
	const float *reach_w; /* as_heard: each such pair's weight (reach_index) */
	const uint32_t *comp; /* each record's component of cluster_parts (NULL with one part): a record of another
	                       * lies in another part, whose union-find this part does not read */
	const uint32_t (*near0)[2]; /* absent_id: per record, the first record holding the valid NHS number ([0]) /
	                             * permanent UPN ([1]) of a record it pairs with at the link threshold, NEAR_MANY for
	                             * two numbers or more, UINT32_MAX none (scheme_read); NULL when off */
	uint32_t (*near)[2];        /* the same per root, over its records (uf_union) */
	double absent_ratio;        /* absent_id's likelihood ratio of one child (scheme_read) */
};

static uint32_t uf_find(struct uf *u, uint32_t x)
{
	while (u->parent[x] != x) {
		u->parent[x] = u->parent[u->parent[x]];
		x = u->parent[x];
	}
	return x;
}

/* Whether x's given name is one of y's middle names or the reverse: one child known by two names. */
static bool middle_bridge(const struct linkage_rec *x, const struct linkage_rec *y)
{
	return linkage_sets_meet(x->given_set, 3, y->middle_set, LINKAGE_SET_MAX) ||
	       linkage_sets_meet(y->given_set, 3, x->middle_set, LINKAGE_SET_MAX);
}

/* Whether record r names the child of record x: the same given name, or one's given name among the
 * other's middle names. */
static bool names_child(const struct linkage_rec *r, const struct linkage_rec *x, bool *via_middle)
{
	if (r->given_len && r->given_h == x->given_h && r->given_len == x->given_len &&
	    memcmp(r->given, x->given, r->given_len) == 0)
		return true;
	if (middle_bridge(r, x)) {
		*via_middle = true;
		return true;
	}
	return false;
}

/* A "twins" edge between records x and y (given names unrelated, family and birthday equal) is explained
 * when a record of the two components names both: "Omar Walid" explains "Omar" beside "Walid". */
static bool edge_bridged(struct uf *u, const struct linkage_rec *recs, uint32_t ra, uint32_t rb, uint32_t x, uint32_t y)
{
	uint32_t r2[2] = {ra, rb};
	for (int c = 0; c < 2; c++)
		for (int i = 0; i < UF_NAMES && u->names[r2[c]][i] != UINT32_MAX; i++) {
			const struct linkage_rec *r = &recs[u->names[r2[c]][i]];
			bool mid = false;
			if (names_child(r, &recs[x], &mid) && names_child(r, &recs[y], &mid) && mid)
				return true;
		}
	return false;
}

/* Whether a component (root) holds a record with the given name of record x, as written. */
static bool holds_name(struct uf *u, const struct linkage_rec *recs, uint32_t root, const struct linkage_rec *x)
{
	for (int i = 0; i < UF_NAMES && u->names[root][i] != UINT32_MAX; i++) {
		const struct linkage_rec *r = &recs[u->names[root][i]];
		if (x->given_len && r->given_h == x->given_h && r->given_len == x->given_len &&
		    memcmp(r->given, x->given, x->given_len) == 0)
			return true;
	}
	return false;
}

/* A "twins" edge between record x (component rx) and record y (component ry) says the two names are two
 * children. It is already judged when one of the components holds both names: y's component holds a
 * record named as x is (or x's, one named as y is), joined to it under every other rule. Refusing the
 * merge on it would keep a child's own name apart from the component that carries it ("JAMIE" beside
 * Jamie's records, one of which says "Ja"), and the merge adds no pair of names the component has not
 * already accepted. */
static bool edge_judged(struct uf *u, const struct linkage_rec *recs, uint32_t rx, uint32_t ry, uint32_t x, uint32_t y)
{
	if (uf_find(u, x) != rx) {
		uint32_t t = x;
		x = y;
		y = t;
	}
	return holds_name(u, recs, ry, &recs[x]) || holds_name(u, recs, rx, &recs[y]);
}

static bool spells_held(struct uf *u, const struct linkage_rec *recs, uint32_t root, const struct linkage_rec *y);

/* as_heard (round 31a, bit 28): a "twins" edge (not a "sex" one) is judged as edge_judged judges it when one
 * component holds a spelling of the other record's name (spells_held: variant, close or phonetic) and that name is
 * no name identified children are known by (build_main_names: a name as heard, a slip). Maryam Ali's school calls
 * her Marie ("Marie Maryam Ali" now and then) and her social worker wrote "Maaryaam": her school component holds
 * Marie and Maryam, her health component Maryam and Maaryaam, and the edge between Marie and Maaryaam (unrelated
 * names, one family and birthday) refused every link between the two. Maaryaam spells a name the school component
 * holds, so the edge adds the pair (Marie, Maryam) that the component has already accepted, as an equal name does;
 * whether the two components are one child is then every other rule's (names, identifiers, possible twins). Style
 * d seed 1 at 80k: 1,574 refusals by a twins edge, all between one child's records. A name children are known by
 * may be a twin's own, one letter from her twin's (Oluwaseun's one social-care record beside his twin Joluwaseun's
 * records, one of which calls him by his middle name: without the condition it joined them at a million); and a
 * "sex" edge says two children whatever the names (Soubredrayth and his twin sister Soubredraytha, style b:
 * docs/BENCHMARKS.md, "Round 31a"). */
static bool edge_heard(struct uf *u, const struct linkage_rec *recs, uint32_t rx, uint32_t ry, uint32_t x, uint32_t y)
{
	if (!(u->refuse & LINKAGE_REFUSE_AS_HEARD) || !u->mains)
		return false;
	if (uf_find(u, x) != rx) {
		uint32_t t = x;
		x = y;
		y = t;
	}
	return (!name_in_use(u->mains, recs[x].given_h) && spells_held(u, recs, ry, &recs[x])) ||
	       (!name_in_use(u->mains, recs[y].given_h) && spells_held(u, recs, rx, &recs[y]));
}

static bool set_has(const uint32_t *set, size_t max, uint32_t h)
{
	for (size_t i = 0; i < max && set[i]; i++)
		if (set[i] == h)
			return true;
	return false;
}

/* Whether record y, read with its names in each other's fields, names the child of record r: y's given
 * field holds r's family name (or a part of it) and y's family field r's given name or one of r's middle
 * names ("BERHE YONAS" beside "Yonas Tesfay Berhe"). */
static bool reads_crossed(const struct linkage_rec *y, const struct linkage_rec *r)
{
	if (!y->given_len || !r->given_len || !y->family_flat_len || !set_has(r->family_set, LINKAGE_SET_MAX, y->given_set[0]))
		return false;
	return set_has(y->family_set, LINKAGE_SET_MAX, r->given_set[0]) ||
	       linkage_sets_meet(y->family_set, LINKAGE_SET_MAX, r->middle_set, LINKAGE_SET_MAX);
}

/* Whether record y, read crossed, names a child component root holds under its own name. */
static bool crossed_holds(struct uf *u, const struct linkage_rec *recs, uint32_t root, const struct linkage_rec *y)
{
	for (int i = 0; i < UF_NAMES && u->names[root][i] != UINT32_MAX; i++)
		if (reads_crossed(y, &recs[u->names[root][i]]))
			return true;
	return false;
}

/* Whether record y's given name is a spelling of a name component root holds (variant, close or phonetic:
 * "HRAOMA" beside Haroma's component, which also holds the name she is known by): then the names beside it
 * are the component's, accepted already, and whether y is that child or a twin so named is the
 * possible-twins decision's, measured on the input (twins_conflict), not this rule's. */
static bool spells_held(struct uf *u, const struct linkage_rec *recs, uint32_t root, const struct linkage_rec *y)
{
	for (int i = 0; i < UF_NAMES && u->names[root][i] != UINT32_MAX; i++) {
		unsigned l = linkage_cmp_given_names(&recs[u->names[root][i]], y);
		if (l > LN_EXACT && l <= LN_PHONETIC)
			return true;
	}
	return false;
}

/* A "twins" edge between record x (component rx) and a lone record y (component ry, or the other way
 * round) whose given name is a spelling of a name x's component holds: whether y is that child or a twin
 * so named is the possible-twins decision's, on the two components, not the edge's. Lifted only where that
 * decision runs (the joining link is twin-like: uf_conflict's twin_level), else nothing would judge it. */
static bool edge_spelled(struct uf *u, const struct linkage_rec *recs, uint32_t rx, uint32_t ry, uint32_t x, uint32_t y)
{
	if (uf_find(u, x) != rx) {
		uint32_t t = x;
		x = y;
		y = t;
	}
	return (u->size[ry] == 1 && spells_held(u, recs, rx, &recs[y])) ||
	       (u->size[rx] == 1 && spells_held(u, recs, ry, &recs[x]));
}

/* Two clusters whose given names are unrelated (level ELSE) hold two children: "Abdi" may join Abdullahi or
 * Abdirahman, but once each has joined one, the two are not joined through it. Lifted when the link is an
 * equal valid identifier, and for two names one of whose records gives the other as a middle name, that agree
 * crosswise, or one of which is a record that names the other component's child read crossed
 * (crossed_holds), or a lone record that spells a name the other component holds (spells_held). */
static bool names_conflict(struct uf *u, const struct linkage_rec *recs, uint32_t ra, uint32_t rb)
{
	for (int i = 0; i < UF_NAMES && u->names[ra][i] != UINT32_MAX; i++)
		for (int j = 0; j < UF_NAMES && u->names[rb][j] != UINT32_MAX; j++) {
			const struct linkage_rec *x = &recs[u->names[ra][i]], *y = &recs[u->names[rb][j]];
			if (linkage_cmp_given_names(x, y) == LN_ELSE && !middle_bridge(x, y) && !linkage_names_crossed(x, y) &&
			    !crossed_holds(u, recs, ra, y) && !crossed_holds(u, recs, rb, x) &&
			    !(u->size[rb] == 1 && spells_held(u, recs, ra, y)) && !(u->size[ra] == 1 && spells_held(u, recs, rb, x)))
				return true;
		}
	return false;
}

/* Keeps one record per distinct given name, preferring one that holds middle names (the bridges above). */
static void names_merge(struct uf *u, const struct linkage_rec *recs, uint32_t into, uint32_t from)
{
	for (int j = 0; j < UF_NAMES && u->names[from][j] != UINT32_MAX; j++) {
		uint32_t r = u->names[from][j];
		int i = 0;
		while (i < UF_NAMES && u->names[into][i] != UINT32_MAX && recs[u->names[into][i]].given_h != recs[r].given_h)
			i++;
		if (i < UF_NAMES && u->names[into][i] == UINT32_MAX) {
			u->names[into][i] = r;
			u->name_n[into][i] = u->name_n[from][j];
			continue;
		}
		if (i < UF_NAMES)
			u->name_n[into][i] += u->name_n[from][j];
		if (i < UF_NAMES && !recs[u->names[into][i]].middle_len && recs[r].middle_len)
			u->names[into][i] = r;
	}
}

/* The most records of component root that carry one given name as written (the names it keeps); *rec one
 * of them. */
static uint32_t form_max(struct uf *u, uint32_t root, uint32_t *rec)
{
	uint32_t best = 0;
	*rec = UINT32_MAX;
	for (int i = 0; i < UF_NAMES && u->names[root][i] != UINT32_MAX; i++)
		if (u->name_n[root][i] > best) {
			best = u->name_n[root][i];
			*rec = u->names[root][i];
		}
	return best;
}

/* Keeps one record per distinct birthday (as written); more than UF_DOBS marks the component as many. */
static void dobs_merge(struct uf *u, const struct linkage_rec *recs, uint32_t into, uint32_t from)
{
	uint32_t *d = u->dobs[into];
	for (int j = 0; j < UF_DOBS && u->dobs[from][j] != UINT32_MAX; j++) {
		uint32_t r = u->dobs[from][j];
		if (r == UF_DOBS_MANY || d[UF_DOBS - 1] == UF_DOBS_MANY) {
			d[UF_DOBS - 1] = UF_DOBS_MANY;
			return;
		}
		int i = 0;
		while (i < UF_DOBS && d[i] != UINT32_MAX && strcmp(recs[d[i]].dob_digits, recs[r].dob_digits) != 0)
			i++;
		if (i == UF_DOBS)
			d[UF_DOBS - 1] = UF_DOBS_MANY;
		else if (d[i] == UINT32_MAX)
			d[i] = r;
	}
}

/* Two components each holding birthdays, every birthday of one unrelated (level ELSE) to every birthday of
 * the other, joined by a link one of whose records has no birthday: two children (namesakes, cousins with one
 * name) bridged by a record that cannot say which it is. The pairwise "dob" refusal judges one pair at a
 * time, so without this their groups merge through such a record (docs/LINKAGE.md, "Namesakes"). Twins
 * share a birthday and are not concerned. A component with more birthdays than it keeps is not judged. */
static bool birthdays_conflict(struct uf *u, const struct linkage_rec *recs, uint32_t ra, uint32_t rb,
			       const struct scored *l)
{
	if (!(u->refuse & LINKAGE_REFUSE_BIRTHDAYS) || l->idmatch ||
	    (recs[l->a].dob_digits[0] && recs[l->b].dob_digits[0]))
		return false;
	if (u->dobs[ra][0] == UINT32_MAX || u->dobs[rb][0] == UINT32_MAX ||
	    u->dobs[ra][UF_DOBS - 1] == UF_DOBS_MANY || u->dobs[rb][UF_DOBS - 1] == UF_DOBS_MANY)
		return false;
	for (int i = 0; i < UF_DOBS && u->dobs[ra][i] != UINT32_MAX; i++)
		for (int j = 0; j < UF_DOBS && u->dobs[rb][j] != UINT32_MAX; j++)
			if (linkage_cmp_dob(&recs[u->dobs[ra][i]], &recs[u->dobs[rb][j]]) != LD_ELSE ||
			    ((u->refuse & LINKAGE_REFUSE_AGE_DATES) &&
			     linkage_dob_from_age(&recs[u->dobs[ra][i]], &recs[u->dobs[rb][j]])))
				return false;
	return true;
}

/* Whether the two components share no exact given name (a compound name written apart, hyphenated or whole
 * is one name: linkage_given_written_apart). A given name commoner in the input as a family
 * name (given_as_family: "DO" in "DO LONG", a family name written first) names no child: two siblings'
 * records written so share it. */
static bool names_disjoint(struct uf *u, const struct linkage_rec *recs, uint32_t ra, uint32_t rb)
{
	for (int i = 0; i < UF_NAMES && u->names[ra][i] != UINT32_MAX; i++)
		for (int j = 0; j < UF_NAMES && u->names[rb][j] != UINT32_MAX; j++) {
			const struct linkage_rec *x = &recs[u->names[ra][i]], *y = &recs[u->names[rb][j]];
			if (!x->given_as_family && ((x->given_h == y->given_h && x->given_len == y->given_len &&
			                             memcmp(x->given, y->given, x->given_len) == 0) ||
			                            linkage_given_written_apart(x, y)))
				return false;
		}
	return true;
}

/* Whether the two components share a given name as written that is commoner in the input as a family name
 * (given_as_family, which names_disjoint passes over), on two records whose family names are related (any
 * level but ELSE): the name then stands in the given field beside the family's own name, as a given name does,
 * not a family name written first ("DO LONG" beside "Do Arlo": families unrelated). Round 27: Olatula Balogun's
 * lone record beside her component, which holds "Olatula" (Balogun) and "Ayomide" (the first a family name
 * more often than a given one in the input), was refused by the names rule as Olatula against Ayomide; style c
 * at a million, 479 true pairs and no false one (docs/BENCHMARKS.md, "Round 27"). */
static bool names_shared_in_family(struct uf *u, const struct linkage_rec *recs, uint32_t ra, uint32_t rb)
{
	for (int i = 0; i < UF_NAMES && u->names[ra][i] != UINT32_MAX; i++)
		for (int j = 0; j < UF_NAMES && u->names[rb][j] != UINT32_MAX; j++) {
			const struct linkage_rec *x = &recs[u->names[ra][i]], *y = &recs[u->names[rb][j]];
			if (x->given_as_family && x->given_h == y->given_h && x->given_len == y->given_len &&
			    memcmp(x->given, y->given, x->given_len) == 0) {
				unsigned f = linkage_cmp_family(x, y);
				if (f != LINKAGE_LEVEL_NULL && f != LN_ELSE)
					return true;
			}
		}
	return false;
}

/* Possible twins, for a twin-like link (level: its given-name level) without an equal identifier between
 * two components that share no exact given name: one child whose records are split between two forms of a
 * name, or two children (twins) with related names? Both are measured on the input, on the records that
 * carry a valid identifier (estimate_splits):
 *  - one child: the share of children whose records carry another form of their name, at this level, in
 *    k or more records (model->split_rate), k the smaller component's size;
 *  - twins: the share of children with a twin whose name is at this level to theirs (model->twin_rate).
 * Refused (left for review) when twins are the likelier. A lone record with another form of the name
 * mostly joins (slips are common); components consistent on two names each are held apart once twins so
 * named are commoner than children whose records split that way. */
static bool twins_decide(struct uf *u, const struct linkage_rec *recs, uint32_t ra, uint32_t rb, uint32_t size_b,
			 bool id_b, unsigned level, unsigned middle, bool strict);
static bool held_as_middle(struct uf *u, const struct linkage_rec *recs, uint32_t root, const struct linkage_rec *x);

static bool twins_conflict(struct uf *u, const struct linkage_rec *recs, uint32_t ra, uint32_t rb, unsigned level,
			   unsigned middle, bool strict)
{
	return twins_decide(u, recs, ra, rb, u->size[rb], u->nhs[rb] >= 0 || u->upn[rb] >= 0, level, middle, strict);
}

/* read_across: the hash of the name record r gives its child when written across against record o (written
 * across: written_across(); and r's given field holds o's family name), else 0. */
static uint64_t across_name(const struct linkage_rec *r, const struct linkage_rec *o)
{
	if (!written_across(r) || !set_has(o->family_set, LINKAGE_SET_MAX, r->given_set[0]))
		return 0;
	return across_h(r);
}

/* own_form: each a child of its own (own_ids) needs each side known by a name of its own, a given name as
 * written that two or more of its records carry. A component of two or more records no two of which carry one
 * name (a school's records "Tanvr" and "Tanver" beside Tanvir's health records) is spellings of a name, not a
 * second child known by another: it is left to the possible-twins decision (the split and twin shares
 * learnt on the input). Only for rb as it stands (own_name asks with a record added). */
static bool slips_only(struct uf *u, const struct linkage_rec *recs, uint32_t r)
{
	uint32_t f;
	if (form_max(u, r, &f) >= 2)
		return false;
	for (int i = 0; i < UF_NAMES && u->names[r][i] != UINT32_MAX; i++)
		if (name_in_use(u->mains, recs[u->names[r][i]].given_h))
			return false;
	return true;
}

static bool spelt_piece(struct uf *u, const struct linkage_rec *recs, uint32_t ra, uint32_t rb, uint32_t size_b)
{
	if (!(u->refuse & LINKAGE_REFUSE_SPELT_PIECE) || size_b != u->size[rb] || !u->mains)
		return false;
	return slips_only(u, recs, ra) || slips_only(u, recs, rb);
}

/* ---- absent_id: a second child's number, absent (r-dclu35; bit 31 a placeholder) ----
 * own_ids refuses a twin-like link between two components of two or more records that each hold a valid
 * identifier: in practice always an NHS number only against a UPN only (two numbers of one scheme are the hard
 * conflict). One child's health records beside her school records under the name the school knows her by (style d:
 * "Rorry", "Amel", "Oliv" beside Rory, Amelia, Olivia, each school's records under its UPN) are such a pair; so are
 * twins, one known to health, the other to the school. Round 18 found nothing in the names or the sources that tells
 * the two apart. What does: a twin is a child of her own, with numbers of her own. Were B (a UPN only) another child
 * than A's (an NHS number only), B's child's own NHS-number records would pair with B's records as a child's records
 * pair with one another, and A's child's own school records with A's: a number of the scheme each side lacks that is
 * not the other side's. Under one child the only such number is the other side's. How often a child's records show
 * the other scheme's number beside them is the input's: the share of children known by a UPN (records sharing one)
 * whose records hold or pair (at the link threshold) with a valid NHS number (c_nhs), and of children known by an
 * NHS number whose records hold or pair with a UPN (c_upn). When neither side pairs with a second child's number,
 * that absence is (1 - c_nhs)(1 - c_upn) as likely under twins as under one child: a likelihood ratio
 * 1 / ((1 - c_nhs)(1 - c_upn)). own_ids gives way only when that ratio alone reaches the link threshold's odds: where
 * a scheme covers few of the children, as on styles a, b and c (c_nhs 0.71 to 0.79, c_upn 0.41 to 0.48: ratios of 5.8
 * to 9.3; style d 0.99 and 0.71, ratios of 395 to 574), it never does,
 * and Round 18's twins (Abdullahi's school records beside Abdi's social-care records, style a) stay apart. The
 * possible-twins decision then judges the merge at the link threshold's odds, the ratio beside the middle names' as
 * evidence. No constant: the coverages are the input's, the odds the link threshold's. The pairs are read from the
 * records (scheme_read, over all of s before it is split into parts), so the clusters do not depend on the
 * threads. */
#define NEAR_MANY (UINT32_MAX - 1)

/* A valid NHS number (scheme 0) or a valid permanent UPN (1): a temporary UPN stands in for a number the school did
 * not know yet (upn_conflict), and is no second child's. */
static bool holds_scheme(const struct linkage_rec *r, int scheme)
{
	return scheme ? r->upn_state == LINKAGE_ID_VALID && !r->upn_temp : r->nhs_state == LINKAGE_ID_VALID;
}

/* Two near values (the first record holding a number of the scheme: one per number, so equal numbers are equal
 * values; NEAR_MANY; UINT32_MAX none) as one. */
static uint32_t near_join(uint32_t x, uint32_t y)
{
	if (x == UINT32_MAX || x == y)
		return y;
	if (y == UINT32_MAX)
		return x;
	return NEAR_MANY;
}

struct scheme_rec {
	uint64_t h;   /* scheme_hash of the number */
	uint32_t rec; /* the record holding it */
};

static uint64_t scheme_hash(const char *x)
{
	uint64_t h = 1469598103934665603ull; /* FNV-1a: only to sort the numbers (compared whole after) */
	for (; *x; x++)
		h = (h ^ (uint8_t)*x) * 1099511628211ull;
	return h;
}

static inline unsigned scheme_digit(const struct scheme_rec *x, unsigned pass)
{
	return (unsigned)(x->h >> (16 * pass)) & 0xFFFFu;
}

LINKAGE_RADIX_SORT(radix_scheme, struct scheme_rec, scheme_digit, 4)

static int cmp_scheme_rec(const void *p, const void *q)
{
	const struct scheme_rec *a = p, *b = q;
	if (a->h != b->h)
		return a->h < b->h ? -1 : 1;
	return (a->rec > b->rec) - (a->rec < b->rec);
}

/* absent_id's reading of the input (above): per record and scheme, the numbers its pairs at or above the link
 * threshold hold (the entries of s at that weight: accepted links and refused pairs) as near values (*out, n of them),
 * and the coverages and the ratio (*ab): the children known by a number of one scheme (records sharing it) and how
 * many of them hold or pair so with a number of the other. The link threshold, not the review threshold: a twin's own
 * records (her family, home and birthday, a name her sister's spells) reach it as one child's records do, while the
 * review band holds namesakes of other families born on the day (style d seed 1: the school's "Amel Morris" beside
 * Amelia Oldstone's health records, 0.86), no second child of this one's; read there, both the coverages and the test
 * count them (d 80k seeds 1-3: 122, 367 and 95 true pairs fewer, no false pair more or less). Each number stands as
 * the first record that holds it (rep), so that the pairs are read without the records' text. Returns -1 when out of
 * memory. */
static int scheme_read(const struct linkage_rec *recs, size_t n, const struct scored *s, size_t ns, double link_w,
		       uint32_t (**out)[2], struct linkage_absent_id *ab)
{
	uint32_t(*rep)[2] = malloc((n ? n : 1) * sizeof *rep), (*near)[2] = malloc((n ? n : 1) * sizeof *near);
	struct scheme_rec *v = NULL, *t = NULL;
	uint8_t *with = calloc(n ? n : 1, 1);
	int rc = -1;
	if (!rep || !near || !with)
		goto out;
	for (int sc = 0; sc < 2; sc++) {
		size_t nv = 0;
		for (size_t i = 0; i < n; i++)
			nv += holds_scheme(&recs[i], sc);
		free(v);
		free(t);
		v = malloc((nv ? nv : 1) * sizeof *v);
		t = malloc((nv ? nv : 1) * sizeof *t);
		if (!v || !t)
			goto out;
		nv = 0;
		for (size_t i = 0; i < n; i++) {
			rep[i][sc] = UINT32_MAX;
			if (holds_scheme(&recs[i], sc))
				v[nv++] = (struct scheme_rec){scheme_hash(sc ? recs[i].upn : recs[i].nhs), (uint32_t)i};
		}
		/* by hash, records in their order within one (stable); a number's records are then together, and two
		 * numbers of one hash, were there any, would be told apart by their text below (at worst as more numbers
		 * than there are: own_ids then stands) */
		if (radix_scheme(v, nv, t) != 0)
			qsort(v, nv, sizeof *v, cmp_scheme_rec);
		for (size_t i = 0, first = 0; i < nv; i++) {
			if (i == 0 || v[i].h != v[i - 1].h ||
			    strcmp(sc ? recs[v[i].rec].upn : recs[v[i].rec].nhs,
				   sc ? recs[v[first].rec].upn : recs[v[first].rec].nhs) != 0)
				first = i;
			rep[v[i].rec][sc] = v[first].rec;
		}
	}
	for (size_t i = 0; i < n; i++)
		near[i][0] = near[i][1] = UINT32_MAX;
	for (size_t i = 0; i < ns; i++) {
		if (s[i].weight < link_w)
			continue;
		uint32_t e[2] = {s[i].a, s[i].b};
		for (int k = 0; k < 2; k++)
			for (int sc = 0; sc < 2; sc++)
				if (rep[e[1 - k]][sc] != UINT32_MAX)
					near[e[k]][sc] = near_join(near[e[k]][sc], rep[e[1 - k]][sc]);
	}
	/* with[r], r a number's first record: bit sc set when a record of that number holds or pairs with the other */
	for (size_t i = 0; i < n; i++)
		for (int sc = 0; sc < 2; sc++)
			if (rep[i][sc] != UINT32_MAX && (rep[i][!sc] != UINT32_MAX || near[i][!sc] != UINT32_MAX))
				with[rep[i][sc]] |= (uint8_t)(1u << sc);
	uint64_t kids[2] = {0, 0}, cov[2] = {0, 0};
	for (size_t i = 0; i < n; i++)
		for (int sc = 0; sc < 2; sc++)
			if (rep[i][sc] == i) {
				kids[sc]++;
				cov[sc] += (with[i] >> sc) & 1u;
			}
	ab->nhs_children = kids[0];
	ab->nhs_with_upn = cov[0];
	ab->upn_children = kids[1];
	ab->upn_with_nhs = cov[1];
	double c_upn = ((double)cov[0] + 0.5) / ((double)kids[0] + 1.0);
	double c_nhs = ((double)cov[1] + 0.5) / ((double)kids[1] + 1.0);
	ab->ratio = 1.0 / ((1.0 - c_nhs) * (1.0 - c_upn));
	*out = near;
	near = NULL;
	rc = 0;
out:
	free(rep);
	free(near);
	free(v);
	free(t);
	free(with);
	return rc;
}

/* Whether own_ids gives way between ra and rb as they stand (rb taken as size_b records: only as it stands): one
 * holds an NHS number and no UPN, the other a UPN and no NHS number, the NHS side pairs with no UPN but the other
 * side's, the UPN side with no NHS number but the other side's, and the input's ratio reaches the link's odds. */
static bool absent_id(struct uf *u, const struct linkage_rec *recs, uint32_t ra, uint32_t rb, uint32_t size_b)
{
	if (!(u->refuse & LINKAGE_REFUSE_ABSENT_ID) || !u->near || size_b != u->size[rb])
		return false;
	double lt = u->model->link_threshold, link_odds = lt > 0 && lt < 1 ? lt / (1.0 - lt) : 1.0;
	if (!(u->absent_ratio >= link_odds))
		return false;
	uint32_t h = u->nhs[ra] >= 0 ? ra : rb, p = h == ra ? rb : ra; /* the NHS side, the UPN side */
	if (u->nhs[h] < 0 || u->upn[h] >= 0 || u->upn[p] < 0 || u->nhs[p] >= 0)
		return false;
	uint32_t xn = u->near[p][0], xu = u->near[h][1];
	if (xn == NEAR_MANY || (xn != UINT32_MAX && strcmp(recs[xn].nhs, recs[u->nhs[h]].nhs) != 0))
		return false;
	if (xu == NEAR_MANY)
		return false;
	return xu == UINT32_MAX || (!recs[u->upn[p]].upn_temp && strcmp(recs[xu].upn, recs[u->upn[p]].upn) == 0);
}

/* twins_conflict with component rb taken as size_b records, holding a valid identifier when id_b (own_name
 * asks it of rb with a lone record of rb's given name added). */
static bool twins_decide(struct uf *u, const struct linkage_rec *recs, uint32_t ra, uint32_t rb, uint32_t size_b,
			 bool id_b, unsigned level, unsigned middle, bool strict)
{
	if (!names_disjoint(u, recs, ra, rb) || level >= LINKAGE_MAX_LEVELS)
		return false;
	double lt = u->model->link_threshold, link_odds = lt > 0 && lt < 1 ? lt / (1.0 - lt) : 1.0;
	/* The link's middle names, both given: how often one child's records agree so (m) against how often
	 * twins' records do (twin_middle), both measured on this input: the likelihood ratio of "one child"
	 * against "twins" that the middle names add. Only for an exact middle name (the level where twins
	 * are rare: measured 0.004-0.007 of twins' record pairs against 0.98 of one child's). */
	double lr = 1.0;
	if (middle == LM_EXACT && u->model->twin_middle[middle] > 0 && u->model->m[LF_MIDDLE][middle] > 0)
		lr = u->model->m[LF_MIDDLE][middle] / u->model->twin_middle[middle];
	/* Each a child of its own: two or more records and a valid identifier on each side; unless the
	 * middle names alone say one child by the odds a link needs. */
	bool own = (u->refuse & LINKAGE_REFUSE_OWN_IDS) && u->size[ra] >= 2 && size_b >= 2 &&
		   (u->nhs[ra] >= 0 || u->upn[ra] >= 0) && id_b && lr < link_odds && !spelt_piece(u, recs, ra, rb, size_b);
	/* absent_id: no second child's number beside either side, which the input's coverage of the two schemes says
	 * is one child by the link's odds; the decision below then asks those odds with that ratio as evidence */
	bool absent = own && absent_id(u, recs, ra, rb, size_b);
	if (own && !absent)
		return true;
	if (absent)
		lr *= u->absent_ratio;
	/* id_asym: two components of two or more records, one holding a valid identifier (of either kind) and
	 * the other none. */
	if ((u->refuse & LINKAGE_REFUSE_ID_ASYM) && u->size[ra] >= 2 && size_b >= 2 &&
	    (u->nhs[ra] >= 0 || u->upn[ra] >= 0) != id_b)
		strict = true;
	uint32_t k = u->size[ra] < size_b ? u->size[ra] : size_b, k0 = k;
	/* twin_odds: the split shares were counted on the records that carry an identifier, a share split_seen
	 * of them, so a child's k records show there as about split_seen * k (at least one); read there. (By
	 * default the shares are read at k, an under-estimate: measured, reading them thinned without the odds
	 * below gains 0.0005-0.001 of recall and adds twin clusters, docs/BENCHMARKS.md.) */
	bool thinned = strict && u->model->split_seen > 0 && u->model->split_seen < 1;
	if (thinned) {
		k = (uint32_t)ceil(u->model->split_seen * (double)k - 1e-9);
		if (k < 1)
			k = 1;
	}
	if (k > LINKAGE_SPLIT_K)
		k = LINKAGE_SPLIT_K;
	/* twin_odds: one child must be as much likelier than twins as a link must be than two children, the
	 * odds of the link threshold (0.99: 99 to 1), the same cost policy; otherwise merely likelier. */
	double odds = strict || absent ? link_odds : 1.0;
	/* Twins' names are names parents give, which other children carry too; a slip seldom is one. */
	int real = 0;
	uint32_t r2[2] = {ra, rb};
	for (int c = 0; c < 2; c++)
		for (int i = 0; i < UF_NAMES && u->names[r2[c]][i] != UINT32_MAX; i++)
			if (!name_in_use(u->use, recs[u->names[r2[c]][i]].given_h))
				real = 1;
	double split = u->model->split_rate[real][level][k];
	/* spelt_piece: the smaller side's k records carry no name two of them share, none a name children are
	 * known by: one child's records written otherwise each its own way, read at split_any (the shares of
	 * children whose records of every other form at this level number k or more). */
	if (k0 >= 2 && (u->refuse & LINKAGE_REFUSE_SPELT_PIECE) && size_b == u->size[rb] && u->mains) {
		uint32_t small = u->size[ra] <= size_b ? ra : rb;
		if (slips_only(u, recs, small) && u->model->split_any[real][level][k] > split)
			split = u->model->split_any[real][level][k];
	}
	/* thin_bound (round 22): rounding split_seen * k up reads a child's two records of the other form as one
	 * (split_seen about 0.5), so the share of children with one record so written (mostly slips: style c
	 * close 0.063 at a million, 8.7e-5 at two) stood for two. If a piece's k records are the child's other
	 * form, all k are among the records the shares were counted on with probability q, the product of their
	 * sources' shares carrying the identifier (split_seen_src); so the share seen at k, over q, bounds the
	 * share at k from above, and the smaller reading is used. The bound assumes a record carries the number
	 * whatever form of the name it holds, which fails where the form follows the agency (a known-as name, a
	 * nickname, a transliteration one system keeps): so only when each piece is consistent on a name (read at
	 * the most records of one form, not its size), the two names are spellings of each other (close,
	 * phonetic, near, two edits) and both are names children are known by (the commonest name of two or more
	 * identified children: not a slip). A smaller piece on either side: the larger bound (towards one child). */
	if (thinned && (u->refuse & LINKAGE_REFUSE_THIN_BOUND) && k0 <= LINKAGE_SPLIT_K && size_b == u->size[rb]) {
		uint32_t fa, fb;
		unsigned fl = form_max(u, ra, &fa) && form_max(u, rb, &fb) ? linkage_cmp_given_names(&recs[fa], &recs[fb])
									    : LINKAGE_LEVEL_NULL;
		bool spelt = (fl == LN_CLOSE || fl == LN_PHONETIC || fl == LN_NEAR || fl == LN_EDIT2) &&
			     name_in_use(u->mains, recs[fa].given_h) && name_in_use(u->mains, recs[fb].given_h);
		double bound = 0;
		uint32_t side[2] = {ra, rb};
		for (int c = 0; spelt && c < 2; c++) {
			uint32_t r = side[c], fr, kf = form_max(u, r, &fr);
			if (u->size[r] != k0 || !kf)
				continue;
			if (kf > LINKAGE_SPLIT_K)
				kf = LINKAGE_SPLIT_K;
			double ls = u->logseen[r] * (double)kf / (double)u->size[r];
			double b = isfinite(ls) ? u->model->split_rate[real][level][kf] / exp2(ls) : INFINITY;
			if (b > bound)
				bound = b;
		}
		if (bound > 0 && bound < split)
			split = bound;
	}
	double twin = u->model->twin_rate[real][level];
	if (odds * twin > lr * split)
		return true;
	/* name_pairs (round 25b): the level's shares pool every pair of names at it, mostly slips; the input also
	 * says how often these two names are twins' names and how often one child's records carry both. The
	 * merge's two names (each side's commonest form) are judged on their own counts, with the level's shares
	 * as a prior worth one child: twin pairs so named plus the level's twin share of that one, against
	 * children split so in k records plus the rest of it. Each count is thinned by the identifier's coverage
	 * (split_seen): a twin pair is seen when both twins carry it, a split when the k records of the other
	 * form do. With no count of their own this is the level's decision above; it is asked only when that one
	 * merges, and refuses only where twins so named were seen: Oleksandr's one record beside her twin
	 * Oleksandra's three (style c at a million: three identified twin pairs so named, no identified child of
	 * either name with a record of the other). Only between spellings of each other (close, phonetic, near,
	 * two edits), where a slip and a twin's own name look alike, both names children are known by (the
	 * commonest name of two or more identified children, as thin_bound asks: a twin whose one identified
	 * record is a slip names a pair no child is known by); not when a record of one side gives the other's
	 * name as a middle name (one child known by it: Tuan Thanh Dang's record "Thanh", measured). */
	if (!(u->refuse & LINKAGE_REFUSE_NAME_PAIRS) || !u->pairs || !u->pairs->n)
		return false;
	uint32_t fa, fb;
	if (!form_max(u, ra, &fa) || !form_max(u, rb, &fb))
		return false;
	unsigned fl = linkage_cmp_given_names(&recs[fa], &recs[fb]);
	uint64_t ha = recs[fa].given_h, hb = recs[fb].given_h;
	/* read_across: a commonest form written across names its child by its family field; the names' level is
	 * then the link's (a link between names written across carries the weaker of the two crossed levels) */
	if (u->refuse & LINKAGE_REFUSE_READ_ACROSS) {
		uint64_t xa = across_name(&recs[fa], &recs[fb]), xb = across_name(&recs[fb], &recs[fa]);
		if (!xa != !xb) {
			ha = xa ? xa : ha;
			hb = xb ? xb : hb;
			fl = level;
		}
	}
	if ((fl != LN_CLOSE && fl != LN_PHONETIC && fl != LN_NEAR && fl != LN_EDIT2) ||
	    !name_in_use(u->mains, ha) || !name_in_use(u->mains, hb) ||
	    held_as_middle(u, recs, ra, &recs[fb]) || held_as_middle(u, recs, rb, &recs[fa]))
		return false;
	const struct name_pair *np = name_pairs_find(u->pairs, pair_key(ha, hb));
	if (!np || !np->twins || twin + split <= 0)
		return false;
	double seen = u->model->split_seen > 0 && u->model->split_seen < 1 ? u->model->split_seen : 1.0;
	double pi = twin / (twin + split);
	return odds * ((double)np->twins / seen + pi) > lr * ((double)np->split[k] / pow(seen, (double)k) + 1.0 - pi);
}

/* Two components holding different valid UPNs: two pupils; unless one is temporary (upn_temp) and the link that
 * would join them names the child alike (given names equal: same_name; middle names not unrelated), as the
 * comparison has it (linkage_cmp_upn). A temporary UPN stands in for a permanent one the school did not know yet
 * (ident_upn_temporary); beside a link of two names it is still as good as another pupil's number (twins). A
 * component keeps a permanent UPN before a temporary one (uf_union). */
static bool upn_conflict(struct uf *u, const struct linkage_rec *recs, uint32_t ra, uint32_t rb, bool same_name,
			 unsigned middle)
{
	if (u->upn[ra] < 0 || u->upn[rb] < 0)
		return false;
	const struct linkage_rec *a = &recs[u->upn[ra]], *b = &recs[u->upn[rb]];
	if (strcmp(a->upn, b->upn) == 0)
		return false;
	return !(same_name && middle != LM_ELSE && (a->upn_temp || b->upn_temp));
}

/* twin_level: the link's given-name level when it is twin-like (twinlike()), else 0. *twins is set when
 * the merge is refused as possible twins (a pair for review).
 * - names: only between components that share no exact given name (when they share one, the link's own
 *   name joins them; the unrelated names are other records', which the hard edges judge one by one);
 * - hard edges: a link on an equal valid identifier outweighs them (two twins cannot share an NHS number,
 *   while one odd record beside its own child's identifier is a record written otherwise); a "twins" edge
 *   is lifted only by a record that names both of its children (edge_bridged), not by any middle-name link.
 * Measured on style b (docs/LINKAGE.md, "Why the misses are missed"). */
static bool uf_conflict(struct uf *u, const struct linkage_rec *recs, uint32_t ra, uint32_t rb, bool idmatch,
			bool bridge, bool same_name, unsigned twin_level, unsigned middle, bool *twins)
{
	*twins = false;
	if ((u->refuse & LINKAGE_REFUSE_NAMES) && !idmatch && !bridge && names_disjoint(u, recs, ra, rb) &&
	    !names_shared_in_family(u, recs, ra, rb) && names_conflict(u, recs, ra, rb))
		return true;
	if (u->nhs[ra] >= 0 && u->nhs[rb] >= 0 && strcmp(recs[u->nhs[ra]].nhs, recs[u->nhs[rb]].nhs) != 0)
		return true;
	if (upn_conflict(u, recs, ra, rb, same_name, middle))
		return true;
	if ((u->refuse & LINKAGE_REFUSE_SEX_CLUSTER) && !idmatch && !same_name) {
		/* Each component's sex is what most of its records say (a slip in one record is outvoted). */
		int sa = (int)(u->sex[ra] & 0xFFFF) - (int)(u->sex[ra] >> 16), sb = (int)(u->sex[rb] & 0xFFFF) - (int)(u->sex[rb] >> 16);
		if ((sa > 0 && sb < 0) || (sa < 0 && sb > 0))
			return true;
	}
	uint32_t from = u->nedges[ra] <= u->nedges[rb] ? ra : rb, other = from == ra ? rb : ra;
	for (uint32_t e = u->head[from]; e != UINT32_MAX; e = u->edge_next[e])
		if (!idmatch && uf_find(u, u->edge_to[e]) == other &&
		    !(u->edge_kind[e] == 1 && edge_bridged(u, recs, ra, rb, u->edge_from[e], u->edge_to[e])) &&
		    !(u->edge_kind[e] && edge_judged(u, recs, from, other, u->edge_from[e], u->edge_to[e])) &&
		    !(u->edge_kind[e] == 1 && edge_heard(u, recs, from, other, u->edge_from[e], u->edge_to[e])) &&
		    !(u->edge_kind[e] == 1 && twin_level &&
		      edge_spelled(u, recs, from, other, u->edge_from[e], u->edge_to[e])))
			return true;
	*twins = (u->refuse & LINKAGE_REFUSE_POSSIBLE_TWINS) && !idmatch && twin_level &&
		 twins_conflict(u, recs, ra, rb, twin_level, middle, (u->refuse & LINKAGE_REFUSE_TWIN_ODDS) != 0);
	return *twins;
}

static void uf_union(struct uf *u, const struct linkage_rec *recs, uint32_t ra, uint32_t rb)
{
	if (u->size[ra] < u->size[rb] || (u->size[ra] == u->size[rb] && rb < ra)) {
		uint32_t t = ra;
		ra = rb;
		rb = t;
	}
	names_merge(u, recs, ra, rb);
	dobs_merge(u, recs, ra, rb);
	if (u->near)
		for (int k = 0; k < 2; k++)
			u->near[ra][k] = near_join(u->near[ra][k], u->near[rb][k]);
	u->parent[rb] = ra;
	u->size[ra] += u->size[rb];
	u->logseen[ra] += u->logseen[rb];
	if (u->nhs[ra] < 0)
		u->nhs[ra] = u->nhs[rb];
	if (u->upn[ra] < 0 || (u->upn[rb] >= 0 && recs[u->upn[ra]].upn_temp && !recs[u->upn[rb]].upn_temp))
		u->upn[ra] = u->upn[rb]; /* a permanent UPN before a temporary one (upn_conflict) */
	uint32_t m = (u->sex[ra] & 0xFFFF) + (u->sex[rb] & 0xFFFF), f = (u->sex[ra] >> 16) + (u->sex[rb] >> 16);
	u->sex[ra] = (m > 0xFFFF ? 0xFFFF : m) | (f > 0xFFFF ? 0xFFFFu : f) << 16;
	if (u->head[rb] != UINT32_MAX) {
		if (u->head[ra] == UINT32_MAX)
			u->head[ra] = u->head[rb];
		else
			u->edge_next[u->tail[ra]] = u->head[rb];
		u->tail[ra] = u->tail[rb];
		u->nedges[ra] += u->nedges[rb];
	}
}

static int cmp_scored(const void *x, const void *y)
{
	const struct scored *a = x, *b = y;
	if (a->weight != b->weight)
		return a->weight > b->weight ? -1 : 1;
	if (a->a != b->a)
		return a->a < b->a ? -1 : 1;
	return (a->b > b->b) - (a->b < b->b);
}

/* The order of cmp_scored (weight descending, then a, then b) as a 32-bit key of the weight: larger weights
 * first; -0 and +0 are one weight, as the comparison has them. */
static uint32_t weight_key(float w)
{
	uint32_t u;
	if (w == 0.0f)
		w = 0.0f;
	memcpy(&u, &w, sizeof u);
	u = (u & 0x80000000u) ? ~u : u | 0x80000000u; /* ascending with the float */
	return ~u;
}

static uint32_t scored_digit(const struct scored *x, unsigned pass)
{
	uint32_t v = pass < 2 ? x->b : pass < 4 ? x->a : weight_key(x->weight);
	return pass & 1 ? v >> 16 : v & 0xFFFFu;
}

LINKAGE_RADIX_SORT(radix_scored, struct scored, scored_digit, 6)

/* s into cmp_scored's order by a stable radix sort on (weight, a, b), 16 bits a pass (linkage/radix_sort.h),
 * through t (ns entries): the same order as qsort gives (no two entries are the same pair), in a fraction of
 * its time at a million records. Falls back on qsort when out of memory. */
static void sort_scored(struct scored *s, size_t ns, struct scored *t)
{
	if (ns > UINT32_MAX || radix_scored(s, ns, t) != 0)
		qsort(s, ns, sizeof *s, cmp_scored);
}

/* A record whose accepted links to a second component are within this many bits of its strongest link
 * is ambiguous (below). */
#define AMBIGUOUS_MARGIN 8.0f

/* The union-find's state for the records of part number pn (part NULL: every record) and the cannot-link
 * edges of s (that part's links), numbered from edge0. With parts, an edge between two of cluster_parts'
 * components (comp) is counted (xcnt, by record) but not listed: see "clustering on the threads". */
static void uf_init(struct uf *u, const struct linkage_rec *recs, size_t n, const struct scored *s, size_t ns,
		    const uint8_t *part, unsigned pn, uint32_t edge0, const uint32_t *comp, const uint32_t *xcnt)
{
	for (size_t i = 0; i < n; i++) {
		if (part && part[i] != pn)
			continue;
		u->parent[i] = (uint32_t)i;
		u->size[i] = 1;
		u->nhs[i] = recs[i].nhs_state == LINKAGE_ID_VALID ? (int64_t)i : -1;
		u->upn[i] = recs[i].upn_state == LINKAGE_ID_VALID ? (int64_t)i : -1;
		u->sex[i] = recs[i].sex == 'M' ? 1 : recs[i].sex == 'F' ? 1u << 16 : 0;
		{
			double p = recs[i].source <= LINKAGE_MAX_SOURCES ? u->model->split_seen_src[recs[i].source] : 0;
			u->logseen[i] = p > 0 && p < 1 ? log2(p) : p >= 1 ? 0 : -INFINITY;
		}
		u->head[i] = u->tail[i] = UINT32_MAX;
		u->nedges[i] = xcnt ? xcnt[i] : 0;
		for (int k = 0; k < UF_NAMES; k++) {
			u->names[i][k] = UINT32_MAX;
			u->name_n[i][k] = 0;
		}
		if (recs[i].given_len) {
			u->names[i][0] = (uint32_t)i;
			u->name_n[i][0] = 1;
		}
		for (int k = 0; k < UF_DOBS; k++)
			u->dobs[i][k] = UINT32_MAX;
		if (recs[i].dob_digits[0])
			u->dobs[i][0] = (uint32_t)i;
		if (u->near) {
			u->near[i][0] = u->near0[i][0];
			u->near[i][1] = u->near0[i][1];
		}
	}
	uint32_t ne = edge0;
	for (size_t i = 0; i < ns; i++) {
		if (s[i].cannot != 2 || (comp && comp[s[i].a] != comp[s[i].b]))
			continue;
		uint32_t ends[2] = {s[i].a, s[i].b};
		for (int k = 0; k < 2; k++) {
			uint32_t x = ends[k];
			u->edge_kind[ne] = s[i].kind;
			u->edge_to[ne] = ends[1 - k];
			u->edge_from[ne] = x;
			u->edge_next[ne] = UINT32_MAX;
			if (u->head[x] == UINT32_MAX)
				u->head[x] = ne;
			else
				u->edge_next[u->tail[x]] = ne;
			u->tail[x] = ne;
			u->nedges[x]++;
			ne++;
		}
	}
}

/* Between two components that carry given names and share none, joined by a weak link (weaklink(): no
 * given-name or no birthday evidence): the link says nothing of whether they are one child or two of a
 * family (twins share the family name, home and birthday). Judged by their names as possible twins are,
 * at the closest level between their names, and with the odds a link needs (twins_conflict, strict):
 * what joins them is the family's evidence, not the child's. Unrelated names are the names refusal's. */
static bool weak_conflict(struct uf *u, const struct linkage_rec *recs, uint32_t ra, uint32_t rb, bool strict, bool *twins)
{
	*twins = false;
	if (u->names[ra][0] == UINT32_MAX || u->names[rb][0] == UINT32_MAX || !names_disjoint(u, recs, ra, rb))
		return false;
	unsigned best = LN_ELSE;
	for (int i = 0; i < UF_NAMES && u->names[ra][i] != UINT32_MAX; i++)
		for (int j = 0; j < UF_NAMES && u->names[rb][j] != UINT32_MAX; j++) {
			const struct linkage_rec *x = &recs[u->names[ra][i]], *y = &recs[u->names[rb][j]];
			unsigned l = middle_bridge(x, y) ? LN_SWAPPED : linkage_cmp_given_names(x, y);
			if (l < best)
				best = l;
		}
	if (best <= LN_EXACT || best > LN_SWAPPED)
		return false;
	*twins = twins_conflict(u, recs, ra, rb, best, LINKAGE_LEVEL_NULL, strict);
	return *twins;
}

/* as_heard (round 31a, bit 28), for lone_reach: whether x's pair with y (weight w), a record outside the component A
 * that x's weak link l would join, may be set aside. lone_reach asks that x pair with A's records only, because
 * another child's records beside x could make x that child's. But a record written as heard (a police officer's or
 * A&E's spelling, often no date) also pairs above the review threshold with other children of a like name in the
 * area (style d seed 1 at 80k: of 2,776 refusals for a pair elsewhere, 1,686 for a pair with another identified child,
 * another family's 1,280 and a brother's or sister's 406, all one child's merges; 4 refusals of two children's merges,
 * none twins). Such a pair offers x another child only within the link threshold's odds of the
 * link: a pair's weight is the model's log2 likelihood ratio of one child, so l->weight - w >= link_w says A's
 * child is that much likelier than y's (the `stray` rule's test between two components). Only where the model's
 * weights can tell the two children apart, and where a twin's or a sibling's pieces cannot be what y is:
 * - y carries a valid identifier itself (an identified child's record; y's component is not read, which another
 *   part of the clustering may hold: the clusters must not depend on the threads), or y's family name is unrelated
 *   to the link's record of A (another family's child: a twin or a sibling without a number is written under the
 *   family's name, or a related one);
 * - y is of no possible twin of A (twin_family with the link's record of A and A's named records: twins share the
 *   family name, the home and the birthday, so their weights differ by the name alone, which `stray_name` found
 *   outweighed by which records carry the address).
 * A record without an identifier under the family's name still holds x back. No constant: the odds are the link
 * threshold's. */
static bool reach_far(struct uf *u, const struct linkage_rec *recs, const struct scored *l, uint32_t A, uint32_t x,
		      uint32_t y, float w)
{
	double lt = u->model->link_threshold, link_w = lt > 0 && lt < 1 ? log2(lt / (1.0 - lt)) : 0;
	if (!((double)l->weight - (double)w >= link_w))
		return false;
	uint32_t own = l->a == x ? l->b : l->a;
	linkage_gamma g = linkage_compare(&recs[own], &recs[y]);
	if (unidentified(&recs[y]) && linkage_gamma_level(g, LF_FAMILY) != LN_ELSE)
		return false;
	if (twin_family(g))
		return false;
	for (int i = 0; i < UF_NAMES && u->names[A][i] != UINT32_MAX; i++)
		if (twin_family(linkage_compare(&recs[u->names[A][i]], &recs[y])))
			return false;
	return true;
}

/* as_heard, for lone_reach: whether y, a record x pairs with outside A, is another record of x's kind that reaches
 * A only: without an identifier, of a name no identified child is known by (build_main_names), pairing at or above
 * the review threshold with A's records and x and no other record. Two police or A&E records of one child written
 * as heard pair with each other as well as with the child (style d seed 1 at 80k: 945 of the 1,712 refusals left
 * after a first form of reach_far, one child's merges). A second record of the kind offers x no other child: were the two a twin's, that
 * twin's own records would pair with them, as lone_reach asks of x. Read from the records' pairs only (not y's
 * component), so that the clusters do not depend on the threads. */
static bool reach_also(struct uf *u, const struct linkage_rec *recs, uint32_t A, uint32_t x, uint32_t y)
{
	if (!unidentified(&recs[y]) || name_in_use(u->mains, recs[y].given_h))
		return false;
	bool to_a = false;
	for (uint32_t k = u->reach_off[y]; k < u->reach_off[y + 1]; k++) {
		uint32_t z = u->reach_to[k];
		if (z == x)
			continue;
		if ((u->comp && u->comp[z] != u->comp[x]) || uf_find(u, z) != A)
			return false;
		to_a = true;
	}
	return to_a;
}

/* lone_reach (round 30a): a weak link between a lone record x without an identifier and a component A that holds
 * one (a valid NHS number or UPN), refused by weak_conflict at the link threshold's odds. Those odds are asked
 * because a weak link says nothing of which child of a family x is, and twins share the family's evidence; but
 * x's other pairs do. Were x another child's (a twin's, a sibling's), that child's own records would pair with x
 * too, as they pair with one another: same family, home, and a name x spells. When every pair x has at or above
 * the review threshold (accepted, refused or between the thresholds) is with A's records, nothing in the input
 * offers x another child, and the weak link is judged as a twin-like link is: possible twins at the odds of one
 * child likelier (weak_conflict, not strict). Style d, where police, A&E and housing write no NHS number, no
 * date and the name as heard: seed 1 at 80k, of the lone records refused so, one child's 4,230 true pairs kept
 * apart against 5 refusals between two children, none twins (docs/BENCHMARKS.md, "Round 30a"). A twin known by
 * this one record only still looks like her sister's record; the decision's shares weigh that. */
static bool lone_reach(struct uf *u, const struct linkage_rec *recs, const struct scored *l, uint32_t ra, uint32_t rb)
{
	if (!u->reach_off)
		return false;
	uint32_t x = u->size[ra] == 1 ? l->a : u->size[rb] == 1 ? l->b : UINT32_MAX;
	if (x == UINT32_MAX || !unidentified(&recs[x]))
		return false;
	/* x's given name is no name identified children are known by (build_main_names): a spelling, a slip, a name as
	 * heard. A name children are known by may be another child's whose records say nothing to x: Jayden's housing
	 * record "Jayden Midcroft" under the family's new name at the new home, no birthday, no sex, pairs only with his
	 * twin Jaydena's records there (style d, dob_missing x2; docs/BENCHMARKS.md, "Round 30a") */
	if (!u->mains || name_in_use(u->mains, recs[x].given_h))
		return false;
	uint32_t A = x == l->a ? rb : ra;
	if (u->nhs[A] < 0 && u->upn[A] < 0)
		return false;
	/* the link agrees on the home (the postcode in full, or the address): x is of A's household, whose other
	 * children's records pair with it; a namesake of another family, written at an incident's address, need not */
	linkage_gamma g = linkage_compare(&recs[l->a], &recs[l->b]);
	unsigned pc = linkage_gamma_level(g, LF_POSTCODE), addr = linkage_gamma_level(g, LF_ADDRESS);
	if (pc != LP_FULL && addr != LA_EXACT && addr != LA_OVERLAP)
		return false;
	for (uint32_t k = u->reach_off[x]; k < u->reach_off[x + 1]; k++) {
		uint32_t y = u->reach_to[k];
		bool in_a = !(u->comp && u->comp[y] != u->comp[x]) && uf_find(u, y) == A;
		if (!in_a && !((u->refuse & LINKAGE_REFUSE_AS_HEARD) &&
			       (reach_far(u, recs, l, A, x, y, u->reach_w[k]) || reach_also(u, recs, A, x, y))))
			return false;
	}
	return true;
}

/* lone_reach's index: for each record without an identifier, the records it pairs with at or above the review
 * threshold (every entry of s at that weight: links, refusals, cannot 3 to 6), by record. Returns -1 when out of
 * memory. */
static int reach_index(const struct linkage_rec *recs, size_t n, const struct scored *s, size_t ns, double review_w,
		       uint32_t **off_out, uint32_t **to_out, float **w_out)
{
	uint32_t *off = calloc(n + 1, sizeof *off), *to = NULL, *fill = NULL;
	float *wt = NULL;
	if (!off)
		return -1;
	for (size_t i = 0; i < ns; i++)
		if (s[i].weight >= review_w) {
			off[s[i].a + 1] += unidentified(&recs[s[i].a]);
			off[s[i].b + 1] += unidentified(&recs[s[i].b]);
		}
	for (size_t x = 0; x < n; x++)
		off[x + 1] += off[x];
	to = malloc((off[n] ? off[n] : 1) * sizeof *to);
	wt = malloc((off[n] ? off[n] : 1) * sizeof *wt);
	fill = malloc((n ? n : 1) * sizeof *fill);
	if (!to || !wt || !fill) {
		free(off);
		free(to);
		free(wt);
		free(fill);
		return -1;
	}
	memcpy(fill, off, n * sizeof *fill);
	for (size_t i = 0; i < ns; i++)
		if (s[i].weight >= review_w) {
			if (unidentified(&recs[s[i].a])) {
				wt[fill[s[i].a]] = s[i].weight;
				to[fill[s[i].a]++] = s[i].b;
			}
			if (unidentified(&recs[s[i].b])) {
				wt[fill[s[i].b]] = s[i].weight;
				to[fill[s[i].b]++] = s[i].a;
			}
		}
	free(fill);
	*off_out = off;
	*to_out = to;
	*w_out = wt;
	return 0;
}

/* One accepted link: the two components merge unless they refuse each other (uf_conflict; a weak link
 * also weak_conflict). Refusals are counted when count is set. Returns whether the link was taken. */
static bool take_link(struct uf *u, const struct linkage_rec *recs, const struct scored *l, bool weak, bool count,
		      struct linkage_result *res)
{
	uint32_t ra = uf_find(u, l->a), rb = uf_find(u, l->b);
	float p = (float)(l->weight > 60 ? 1.0 : exp2(l->weight) / (1.0 + exp2(l->weight)));
	if (ra != rb) {
		bool twins;
		if (uf_conflict(u, recs, ra, rb, l->idmatch, l->bridge, l->same_name, l->twin_level, l->middle, &twins) ||
		    (weak && weak_conflict(u, recs, ra, rb, true, &twins) &&
		     (!lone_reach(u, recs, l, ra, rb) || weak_conflict(u, recs, ra, rb, false, &twins))) ||
		    birthdays_conflict(u, recs, ra, rb, l)) {
			if (count) {
				res->refused_links++;
				res->reviews += twins;
			}
			return false;
		}
		uf_union(u, recs, ra, rb);
	}
	res->links++;
	if (p > res->probability[l->a])
		res->probability[l->a] = p;
	if (p > res->probability[l->b])
		res->probability[l->b] = p;
	return true;
}

/* The given-name evidence that record x is the child of component root: the model's weight of the closest
 * level between x's given name and the names root holds (a given name among the other's middle names counts
 * as "given<->middle"); -INFINITY when x or root has no given name. Twins share the family name, the home
 * and the birthday, so between two twins' components this is what says which child x is (stray_hold). */
static double name_evidence(struct uf *u, const struct linkage_rec *recs, uint32_t root, const struct linkage_rec *x)
{
	double best = -INFINITY;
	for (int i = 0; x->given_len && i < UF_NAMES && u->names[root][i] != UINT32_MAX; i++) {
		const struct linkage_rec *r = &recs[u->names[root][i]];
		unsigned l = linkage_cmp_given_names(r, x);
		if (l > LN_SWAPPED && middle_bridge(r, x))
			l = LN_SWAPPED;
		if (l != LINKAGE_LEVEL_NULL && l < LINKAGE_MAX_LEVELS && u->given_w[l] > best)
			best = u->given_w[l];
	}
	return best;
}

/* Whether a record of component root gives x's given name as a middle name (or x one of root's). */
static bool held_as_middle(struct uf *u, const struct linkage_rec *recs, uint32_t root, const struct linkage_rec *x)
{
	for (int i = 0; i < UF_NAMES && u->names[root][i] != UINT32_MAX; i++)
		if (middle_bridge(&recs[u->names[root][i]], x))
			return true;
	return false;
}

/* Whether components ra and rb could be twins: a record of each (one per given name they hold) that the
 * family's part of twinlike() pairs (twin_family: birthdays equal or nearly, family names related). Twins share
 * the family name, the home and the birthday, so between them the family's evidence says nothing of which
 * child; between siblings of different birthdays or two children of different NHS numbers it does
 * (stray_hold, merge_weak). */
static bool twin_components(struct uf *u, const struct linkage_rec *recs, uint32_t ra, uint32_t rb)
{
	for (int i = 0; i < UF_NAMES && u->names[ra][i] != UINT32_MAX; i++)
		for (int j = 0; j < UF_NAMES && u->names[rb][j] != UINT32_MAX; j++)
			if (twin_family(linkage_compare(&recs[u->names[ra][i]], &recs[u->names[rb][j]])))
				return true;
	return false;
}

/* A lone record joined by a twin-like or weak link (stray): x, alone after the first pass, about to join
 * component A by link i. It is held out (for review) when it also has an accepted link to another component
 * B, B would take it, A and B refuse each other (different identifiers, a hard edge, the names or sex rules),
 * and either the link to B is no more than link_w bits weaker than this one (the link threshold's odds: the
 * difference of two match weights is the log2 likelihood ratio of "A's child" against "B's"), or
 * (stray_name) A and B could be twins (twin_components) and the given names B holds are at least as close to
 * x's as A's are (name_evidence: the model's weight of the closest given-name level). A twin's one record written with the other twin's form of the name
 * links to both, and nothing in it says which child it is. The whole weights alone do not say it: twins share
 * the family name, the home and the birthday, so a link that is heavier in all because the record and one
 * twin's records carry the family's address says nothing of which child (OLU, a short form of both twins'
 * names Oluwadamilare, at the address, and Oluoludhe, without one). A stronger link to B holds it too, however
 * much stronger: with name_order the twin-like links come by the given name's evidence, so the link to B may
 * be the stronger in total and still come second (LINKAGE.md). With stray_name the weak links of a lone named
 * record are judged so too (merge_weak). off/lk: the accepted links of each record alone after the first pass
 * (lk[off[x]..off[x+1]) index s). */
static bool stray_hold(struct uf *u, const struct linkage_rec *recs, const struct scored *s, size_t i,
		       const uint32_t *off, const uint32_t *lk, const uint8_t *hold, double link_w, uint32_t *out)
{
	const struct scored *l = &s[i];
	uint32_t ra = uf_find(u, l->a), rb = uf_find(u, l->b);
	bool by_name = (u->refuse & LINKAGE_REFUSE_STRAY_NAME) != 0;
	for (int side = 0; side < 2; side++) {
		uint32_t x = side ? l->b : l->a, rx = side ? rb : ra, A = side ? ra : rb;
		bool tw;
		if (u->size[rx] != 1 || ra == rb ||
		    uf_conflict(u, recs, rx, A, l->idmatch, l->bridge, l->same_name, l->twin_level, l->middle, &tw))
			continue;
		double ga = by_name ? name_evidence(u, recs, A, &recs[x]) : -INFINITY;
		for (uint32_t k = off[x]; k < off[x + 1]; k++) {
			const struct scored *o = &s[lk[k]];
			uint32_t y = o->a == x ? o->b : o->a, B = uf_find(u, y);
			if (lk[k] == i || hold[y] || B == A || B == rx || (o->cannot && o->cannot != 4))
				continue;
			if (o->cannot == 4) {
				/* own_name: x's own given name as written, in a pair between the thresholds with B, while
				 * the twin-like link to A carries another form of it: would A refuse B with x in it? */
				if (!by_name || l->same_name || !l->twin_level ||
				    uf_conflict(u, recs, rx, B, false, o->bridge, true, 0, o->middle, &tw))
					continue;
				/* y one of the twins' family (twin_family: birthdays equal or nearly, family names
				 * related); and A holds x's name neither as written nor as a middle name */
				if (!twin_family(linkage_compare(&recs[x], &recs[y])) || holds_name(u, recs, A, &recs[x]) ||
				    held_as_middle(u, recs, A, &recs[x]))
					continue;
				bool idx = u->nhs[rx] >= 0 || u->upn[rx] >= 0, idb = u->nhs[B] >= 0 || u->upn[B] >= 0;
				if (((u->refuse & LINKAGE_REFUSE_POSSIBLE_TWINS) &&
				     twins_decide(u, recs, A, B, u->size[B] + 1, idb || idx, l->twin_level, l->middle,
						  (u->refuse & LINKAGE_REFUSE_TWIN_ODDS) != 0))) {
					*out = x;
					return true;
				}
				continue;
			}
			/* near: within the odds; as close: B's names (stray_name), between possible twins only */
			bool near = o->weight >= l->weight - link_w;
			double gb = by_name ? name_evidence(u, recs, B, &recs[x]) : -INFINITY;
			bool as_close = gb > -INFINITY && gb >= ga;
			if (!near && !as_close)
				continue;
			if (uf_conflict(u, recs, rx, B, o->idmatch, o->bridge, o->same_name, o->twin_level, o->middle, &tw))
				continue;
			if (uf_conflict(u, recs, A, B, false, false, false, 0, 0, &tw) && (near || twin_components(u, recs, A, B))) {
				*out = x;
				return true;
			}
		}
	}
	return false;
}

/* own_name, a lone record's whole name (round 16b): x, in a component whose records all carry x's given name
 * as written (one or many), about to join component A by link i whose given names are related but not equal
 * (whatever the family names: a twin recorded under an old family name links to her sister's records by the
 * same sound, the birthday and the home, and that link is not twin-like). The records that carry x's given
 * name as written and pair with it (accepted links, and pairs between the thresholds: cannot 4), outside A,
 * are x's child's records as much as x is; when one of them (y) is of A's family (twin_family with the link's
 * record of A: family names related, birthdays equal or nearly), a child of that name was born to A's family
 * on A's birthday, and A holds that name neither as written nor as a middle name: A against x with them is
 * judged as possible twins (twins_decide, the shares measured on the input). Refused: the link is not taken
 * (counted for review); x may still join its own records. A y that is A's own record under the variant name
 * is no evidence of a second child and is passed over: y has an accepted link into A, or y's valid NHS number
 * or UPN is A's. off/mid/lk: own_links' index. */
/* Whether every given name component root holds is x's as written. */
static bool one_name(struct uf *u, const struct linkage_rec *recs, uint32_t root, const struct linkage_rec *x)
{
	for (int i = 0; i < UF_NAMES && u->names[root][i] != UINT32_MAX; i++) {
		const struct linkage_rec *r = &recs[u->names[root][i]];
		if (r->given_h != x->given_h || r->given_len != x->given_len || memcmp(r->given, x->given, x->given_len) != 0)
			return false;
	}
	return true;
}

/* own_group_refuse's walk of x's pairs of its own name (records y outside A and x's component rx, not held,
 * no other identifier than rx's): their count with rx's (*g), whether one holds an identifier (*id), and
 * whether one is of A's family (twin_family with a, the link's record of A), returned. With own, a y that
 * is A's own record is passed over: A's NHS number or UPN, or an accepted link into A. */
static bool own_group(struct uf *u, const struct linkage_rec *recs, const struct scored *s, size_t i,
		      const uint32_t *off, const uint32_t *mid, const uint32_t *lk, const uint8_t *hold, uint32_t x,
		      uint32_t rx, uint32_t A, uint32_t a, bool own, uint32_t *g, bool *id)
{
	bool family = false;
	*g = u->size[rx];
	*id = u->nhs[rx] >= 0 || u->upn[rx] >= 0;
	for (uint32_t k = off[x]; k < mid[x]; k++) {
		const struct scored *o = &s[lk[k]];
		uint32_t y = o->a == x ? o->b : o->a;
		const struct linkage_rec *ry = &recs[y];
		if (lk[k] == i || hold[y])
			continue;
		uint32_t Y = uf_find(u, y);
		if (Y == A || Y == rx)
			continue;
		bool nhs = ry->nhs_state == LINKAGE_ID_VALID, upn = ry->upn_state == LINKAGE_ID_VALID;
		if ((nhs && u->nhs[rx] >= 0 && strcmp(ry->nhs, recs[u->nhs[rx]].nhs) != 0) ||
		    (upn && u->upn[rx] >= 0 && strcmp(ry->upn, recs[u->upn[rx]].upn) != 0))
			continue;
		if ((nhs && u->nhs[A] >= 0 && strcmp(ry->nhs, recs[u->nhs[A]].nhs) == 0) ||
		    (upn && u->upn[A] >= 0 && strcmp(ry->upn, recs[u->upn[A]].upn) == 0))
			continue;
		bool to_a = false;
		for (uint32_t k2 = off[y]; own && k2 < off[y + 1] && !to_a; k2++) {
			const struct scored *o2 = &s[lk[k2]];
			to_a = !o2->cannot && uf_find(u, o2->a == y ? o2->b : o2->a) == A;
		}
		if (to_a)
			continue;
		(*g)++;
		*id = *id || nhs || upn;
		family = family || twin_family(linkage_compare(ry, &recs[a]));
	}
	return family;
}

static bool own_group_refuse(struct uf *u, const struct linkage_rec *recs, const struct scored *s, size_t i,
			     const uint32_t *off, const uint32_t *mid, const uint32_t *lk, const uint8_t *hold)
{
	const struct scored *l = &s[i];
	uint32_t ra = uf_find(u, l->a), rb = uf_find(u, l->b);
	if (ra == rb || l->idmatch || l->same_name || !(u->refuse & LINKAGE_REFUSE_POSSIBLE_TWINS))
		return false;
	if (l->twin_level)
		return false;
	for (int side = 0; side < 2; side++) {
		uint32_t x = side ? l->b : l->a, rx = side ? rb : ra, A = side ? ra : rb, a = side ? l->a : l->b;
		const struct linkage_rec *rcx = &recs[x];
		if (!rcx->given_len || !one_name(u, recs, rx, rcx) || holds_name(u, recs, A, rcx) ||
		    held_as_middle(u, recs, A, rcx))
			continue;
		/* twice when the first finds one of A's family: the walk of each y's links into A only then */
		uint32_t g;
		bool id;
		if (!own_group(u, recs, s, i, off, mid, lk, hold, x, rx, A, a, false, &g, &id) ||
		    !own_group(u, recs, s, i, off, mid, lk, hold, x, rx, A, a, true, &g, &id))
			continue;
		/* the link twin-like but for the family names: given names related, not equal; birthdays equal or
		 * nearly (compared last: most links have no record of x's name outside both components) */
		linkage_gamma gm = linkage_compare(&recs[l->a], &recs[l->b]);
		unsigned level = linkage_gamma_level(gm, LF_GIVEN), dob = linkage_gamma_level(gm, LF_DOB);
		if ((gm & LINKAGE_GAMMA_CROSSED) || level <= LN_EXACT || level > LN_SWAPPED ||
		    linkage_gamma_level(gm, LF_FAMILY) != LN_ELSE || dob == LINKAGE_LEVEL_NULL || dob == LD_ELSE ||
		    dob == LD_PART)
			return false;
		if (twins_decide(u, recs, A, rx, g, id, level, l->middle, (u->refuse & LINKAGE_REFUSE_TWIN_ODDS) != 0))
			return true;
	}
	return false;
}

struct nameless {
	uint32_t self, link; /* a component without a given name, and one of its weak links (index into s) */
};

static int cmp_nameless(const void *x, const void *y)
{
	const struct nameless *a = x, *b = y;
	if (a->self != b->self)
		return a->self < b->self ? -1 : 1;
	return (a->link > b->link) - (a->link < b->link); /* s is sorted strongest first */
}

/* The third pass: weak links (weaklink()), after every child's own records have formed components.
 *  1. between two components that carry given names (weak_conflict judges them);
 *  2. a component without a given name (a record with the given name empty) joins the named component it
 *     links to most strongly, and through it any other it links to that is one child with it; when
 *     another it links to would refuse that one (twins, different identifiers, unrelated names), it
 *     joins only if the first is likelier by the odds a link needs (link_w bits: the difference of two
 *     match weights is the log2 likelihood ratio of "this child" against "that one"); otherwise it is
 *     left alone, for review;
 *  3. the rest (links between records without names, links of components that gained a name).
 * Returns -1 when out of memory. */
static int merge_weak(struct uf *u, const struct linkage_rec *recs, size_t n, const struct scored *s, size_t ns,
		      double link_w, uint8_t *held, const uint32_t *off, const uint32_t *lk, struct linkage_result *res)
{
	uint8_t *done = calloc(ns ? ns : 1, 1), *alone = NULL, *lone = NULL;
	struct nameless *v = NULL;
	size_t nv = 0, cap = 0;
	int rc = -1;
	if (!done)
		return -1;
#define WEAK_OK(i) (s[i].weak && !s[i].cannot && !done[i] && !(held && (held[s[i].a] || held[s[i].b])))
	for (size_t i = 0; i < ns; i++) {
		if (!WEAK_OK(i))
			continue;
		uint32_t ra = uf_find(u, s[i].a), rb = uf_find(u, s[i].b), x;
		if (u->names[ra][0] == UINT32_MAX || u->names[rb][0] == UINT32_MAX)
			continue;
		if (off && stray_hold(u, recs, s, i, off, lk, held, link_w, &x)) {
			held[x] = 1; /* a lone named record between twins (stray_name) */
			res->reviews++;
			continue;
		}
		if (take_link(u, recs, &s[i], true, false, res))
			done[i] = 1;
	}
	/* With stray_name a nameless component's candidates between the thresholds (cannot 3) are weighed too,
	 * and whatever the weights when the two components could be twins (twin_components): with no given
	 * name, what a link's weight holds is the family's evidence (name, home, birthday), as good for one
	 * twin as for the other; not for siblings of different birthdays. */
	bool by_name = off != NULL;
	for (size_t i = 0; i < ns; i++) {
		bool cand = by_name && s[i].weak && s[i].cannot == 3 && !(held && (held[s[i].a] || held[s[i].b]));
		if (!WEAK_OK(i) && !cand)
			continue;
		uint32_t ra = uf_find(u, s[i].a), rb = uf_find(u, s[i].b);
		bool na = u->names[ra][0] == UINT32_MAX, nb = u->names[rb][0] == UINT32_MAX;
		if (ra == rb || na == nb)
			continue;
		if (nv == cap) {
			size_t nc = cap ? cap * 2 : 1024;
			struct nameless *t = realloc(v, nc * sizeof *v);
			if (!t)
				goto out;
			v = t;
			cap = nc;
		}
		v[nv++] = (struct nameless){na ? ra : rb, (uint32_t)i};
	}
	if (nv)
		qsort(v, nv, sizeof *v, cmp_nameless);
	alone = calloc(nv ? nv : 1, 1);
	lone = calloc(n ? n : 1, 1);
	if (!alone || !lone)
		goto out;
	for (size_t i = 0; i < nv;) {
		size_t j = i;
		while (j < nv && v[j].self == v[i].self)
			j++;
		const struct scored *first = &s[v[i].link];
		uint32_t t1 = uf_find(u, first->a) == v[i].self ? uf_find(u, first->b) : uf_find(u, first->a);
		bool hold = false;
		if (first->cannot) { /* candidates only (s is sorted strongest first): nothing to join */
			i = j;
			continue;
		}
		for (size_t k = i + 1; k < j && !hold; k++) {
			const struct scored *l = &s[v[k].link];
			uint32_t t = uf_find(u, l->a) == v[i].self ? uf_find(u, l->b) : uf_find(u, l->a);
			bool twins;
			if (t == t1 || t == v[i].self)
				continue;
			/* whatever the weights (stray_name) between possible twins only: siblings of different
			 * birthdays, or two children of different NHS numbers, are told apart by the family's evidence */
			if ((uf_conflict(u, recs, t1, t, false, false, false, 0, 0, &twins) || weak_conflict(u, recs, t1, t, true, &twins)) &&
			    ((!l->cannot && first->weight - l->weight < link_w) || (by_name && twin_components(u, recs, t1, t))))
				hold = true;
		}
		if (hold) {
			for (size_t k = i; k < j; k++)
				alone[k] = 1;
			res->reviews++;
		} else {
			for (size_t k = i; k < j; k++)
				if (!s[v[k].link].cannot)
					done[v[k].link] = take_link(u, recs, &s[v[k].link], true, true, res) ? 1 : 2;
		}
		i = j;
	}
	/* A component left alone stays so (its root is still its own: it joined nothing); the rest of the
	 * weak links, strongest first. */
	for (size_t k = 0; k < nv; k++)
		if (alone[k])
			lone[v[k].self] = 1;
	for (size_t i = 0; i < ns; i++)
		if (WEAK_OK(i)) {
			if (!lone[uf_find(u, s[i].a)] && !lone[uf_find(u, s[i].b)])
				take_link(u, recs, &s[i], true, true, res);
		}
	rc = 0;
out:
#undef WEAK_OK
	free(lone);
	free(alone);
	free(v);
	free(done);
	return rc;
}

/* The accepted links of the records alone after the first pass, by record (stray_hold). Returns -1 when out
 * of memory. */
static int lone_links(struct uf *u, size_t n, const struct scored *s, size_t ns, uint32_t **off_out, uint32_t **lk_out)
{
	uint32_t *off = calloc(n + 1, sizeof *off), *lk;
	if (!off)
		return -1;
	for (size_t i = 0; i < ns; i++)
		if (!s[i].cannot || s[i].cannot == 4) {
			off[s[i].a + 1] += u->size[uf_find(u, s[i].a)] == 1;
			off[s[i].b + 1] += u->size[uf_find(u, s[i].b)] == 1;
		}
	for (size_t x = 0; x < n; x++)
		off[x + 1] += off[x];
	lk = malloc((off[n] ? off[n] : 1) * sizeof *lk);
	uint32_t *fill = malloc((n ? n : 1) * sizeof *fill);
	if (!lk || !fill) {
		free(off);
		free(lk);
		free(fill);
		return -1;
	}
	memcpy(fill, off, n * sizeof *fill);
	for (size_t i = 0; i < ns; i++)
		if (!s[i].cannot || s[i].cannot == 4) {
			if (u->size[uf_find(u, s[i].a)] == 1)
				lk[fill[s[i].a]++] = (uint32_t)i;
			if (u->size[uf_find(u, s[i].b)] == 1)
				lk[fill[s[i].b]++] = (uint32_t)i;
		}
	free(fill);
	*off_out = off;
	*lk_out = lk;
	return 0;
}

/* own_group_refuse's index, by record (built before the first pass, the records alone): first (off[x] to
 * mid[x]) its pairs with records of its own given name as written (accepted, or between the thresholds:
 * cannot 4), then (mid[x] to off[x + 1]) its other accepted links, kept only for a record that has such a
 * pair (it may be a y). The other pairs are not needed. Returns -1 when out of memory. */
static int own_links(struct uf *u, const struct linkage_rec *recs, size_t n, const struct scored *s, size_t ns,
		     uint32_t **off_out, uint32_t **mid_out, uint32_t **lk_out)
{
	uint32_t *off = calloc(n + 1, sizeof *off), *mid = calloc(n ? n : 1, sizeof *mid), *lk = NULL, *fill = NULL;
	uint8_t *same = malloc(ns ? ns : 1); /* 1 the pair's given names equal, 2 an accepted link otherwise */
	if (!off || !mid || !same)
		goto oom;
	/* mid[x] first counts x's pairs of its own name, off[x + 1] its other accepted links */
	for (size_t i = 0; i < ns; i++) {
		same[i] = 0;
		if (s[i].cannot && s[i].cannot != 4)
			continue;
		same[i] = s[i].same_written ? 1 : s[i].cannot ? 0 : 2;
		if (same[i] == 1) {
			mid[s[i].a] += u->size[uf_find(u, s[i].a)] == 1;
			mid[s[i].b] += u->size[uf_find(u, s[i].b)] == 1;
		}
	}
	for (size_t i = 0; i < ns; i++)
		if (same[i] == 2) {
			off[s[i].a + 1] += mid[s[i].a] && u->size[uf_find(u, s[i].a)] == 1;
			off[s[i].b + 1] += mid[s[i].b] && u->size[uf_find(u, s[i].b)] == 1;
		}
	for (size_t x = 0; x < n; x++) {
		mid[x] += off[x];
		off[x + 1] += mid[x];
	}
	lk = malloc((off[n] ? off[n] : 1) * sizeof *lk);
	fill = malloc((n ? 2 * n : 1) * sizeof *fill);
	if (!lk || !fill)
		goto oom;
	for (size_t x = 0; x < n; x++) {
		fill[2 * x] = off[x];
		fill[2 * x + 1] = mid[x];
	}
	for (size_t i = 0; i < ns; i++) {
		if (!same[i])
			continue;
		size_t part = same[i] == 2;
		if (u->size[uf_find(u, s[i].a)] == 1 && (!part || mid[s[i].a] > off[s[i].a]))
			lk[fill[2 * (size_t)s[i].a + part]++] = (uint32_t)i;
		if (u->size[uf_find(u, s[i].b)] == 1 && (!part || mid[s[i].b] > off[s[i].b]))
			lk[fill[2 * (size_t)s[i].b + part]++] = (uint32_t)i;
	}
	free(same);
	free(fill);
	*off_out = off;
	*mid_out = mid;
	*lk_out = lk;
	return 0;
oom:
	free(off);
	free(mid);
	free(lk);
	free(fill);
	free(same);
	return -1;
}

/* The order of the second pass (name_order): the twin-like links by the model's weight of their given-name
 * level, strongest first, then as s has them (weight descending); the other links after them, in s's order
 * (the second pass skips them). Twins share the family name, the home and the birthday, so among the links
 * that twins could make the given name is what says which child a record is: a twin's record "Olhe" beside
 * her own "Olha" (one edit) and her sister Yulia (the same sound) goes to Olha first, and Yulia's component
 * then refuses them (different NHS numbers). The weights are the fitted model's: no fixed order of levels.
 * A stable counting sort over the levels. Indices of 32 bits (a part of style d at a million holds 3.8M links,
 * two parts at once: 30 MB less than size_t's); returns NULL when out of memory or past them. */
static uint32_t *name_order(const struct linkage_model *m, const struct scored *s, size_t ns)
{
	double tbl[LF_NFIELD][LINKAGE_MAX_LEVELS];
	linkage_weight_table(m, tbl);
	unsigned rank[LINKAGE_MAX_LEVELS], lv[LINKAGE_MAX_LEVELS];
	for (unsigned l = 0; l < LINKAGE_MAX_LEVELS; l++)
		lv[l] = l;
	for (unsigned a = 1; a < LINKAGE_MAX_LEVELS; a++) /* insertion sort, stable: weight descending */
		for (unsigned b = a; b > 0 && tbl[LF_GIVEN][lv[b]] > tbl[LF_GIVEN][lv[b - 1]]; b--) {
			unsigned t = lv[b];
			lv[b] = lv[b - 1];
			lv[b - 1] = t;
		}
	for (unsigned r = 0; r < LINKAGE_MAX_LEVELS; r++)
		rank[lv[r]] = r;
	size_t cnt[LINKAGE_MAX_LEVELS + 1] = {0};
	uint32_t *ord = ns < UINT32_MAX ? malloc((ns ? ns : 1) * sizeof *ord) : NULL;
	if (!ord)
		return NULL;
	for (size_t i = 0; i < ns; i++) {
		unsigned l = s[i].twin_level;
		cnt[l && l < LINKAGE_MAX_LEVELS && !s[i].idmatch ? rank[l] : LINKAGE_MAX_LEVELS]++;
	}
	for (size_t r = 0, at = 0; r <= LINKAGE_MAX_LEVELS; r++) {
		size_t c = cnt[r];
		cnt[r] = at;
		at += c;
	}
	for (size_t i = 0; i < ns; i++) {
		unsigned l = s[i].twin_level;
		ord[cnt[l && l < LINKAGE_MAX_LEVELS && !s[i].idmatch ? rank[l] : LINKAGE_MAX_LEVELS]++] = (uint32_t)i;
	}
	return ord;
}

/* Accepted links (s sorted strongest first) through the union-find; links touching a held record
 * (hold[i] set) are left out. Three passes: first every link that is not twin-like (or is an equal
 * identifier) and not weak, so that each child's records form a component under that child's own name;
 * then the twin-like links, by the given name's evidence first (name_order; strongest first with
 * -name_order), each judged between whole components (twins_conflict), a
 * lone record that could be either of two children held out (stray_hold: added to hold, counted for
 * review); then the weak links (merge_weak; with the weak refusal in force, else they go with the first).
 * In the first pass a link twin-like but for unrelated family names may be refused as possible twins
 * with the records of its own name (own_group_refuse, own_name). Returns -1 when out of memory. */
/* Whether a middle name of a record component root keeps (names) is one edit from x's given name (the edit half
 * of the comparison's test for a close spelling): "Samueol" beside a record "Tesee Samuel Mehari". */
static bool middle_respelt(struct uf *u, const struct linkage_rec *recs, uint32_t root, const struct linkage_rec *x)
{
	for (int i = 0; i < UF_NAMES && u->names[root][i] != UINT32_MAX; i++) {
		const struct linkage_rec *r = &recs[u->names[root][i]];
		for (size_t a = 0; a < r->middle_len;) {
			size_t b = a;
			while (b < r->middle_len && r->middle[b] != ' ')
				b++;
			if (b > a && linkage_one_edit(r->middle + a, b - a, x->given, x->given_len))
				return true;
			a = b + 1;
		}
	}
	return false;
}

/* lone_middle (round 28), after the other passes: a record x still alone whose pair with a component A reached the
 * link threshold with the given names unrelated, one family and birthday (twins_gave_way; refused "given", cannot
 * 5), joins A when A holds x's given name as a middle name (held_as_middle: "Shilan" beside Hevi's component, one
 * of whose records reads "HEVI SHILAN FARAJ"), or one edit from one ("Samueol" beside "Tesee Samuel Mehari"): x
 * then names A's child as a given<->middle link does, and is judged as one, whole components (uf_conflict with
 * the given<->middle level: hard edges, identifiers, sex, the possible-twins decision on the shares measured on
 * the input). The pair itself compares x's given name with a record of A that shows no middle name, so until
 * now nothing joined it: the pairwise "given" rule refused it and clustering's `names` rule never saw it. A twin
 * known by one record under her own name stays apart: her twin's records do not carry her name as a middle name.
 * Strongest pair first; x joins once. */
static void merge_lone_middle(struct uf *u, const struct linkage_rec *recs, const struct scored *s, size_t ns,
			      const uint8_t *hold, struct linkage_result *res)
{
	for (size_t i = 0; i < ns; i++) {
		if (s[i].cannot != 5 || hold[s[i].a] || hold[s[i].b])
			continue;
		uint32_t ra = uf_find(u, s[i].a), rb = uf_find(u, s[i].b);
		for (int side = 0; side < 2 && ra != rb; side++) {
			uint32_t x = side ? s[i].b : s[i].a, rx = side ? rb : ra, A = side ? ra : rb;
			bool twins;
			if (u->size[rx] != 1 || !recs[x].given_len ||
			    (!held_as_middle(u, recs, A, &recs[x]) && !middle_respelt(u, recs, A, &recs[x])))
				continue;
			if (uf_conflict(u, recs, rx, A, false, true, false, LN_SWAPPED, s[i].middle, &twins)) {
				res->reviews += twins;
				continue;
			}
			uf_union(u, recs, rx, A);
			res->refused_links--; /* counted refused in merge_links' walk */
			res->links++;
			float p = (float)(s[i].weight > 60 ? 1.0 : exp2(s[i].weight) / (1.0 + exp2(s[i].weight)));
			if (p > res->probability[s[i].a])
				res->probability[s[i].a] = p;
			if (p > res->probability[s[i].b])
				res->probability[s[i].b] = p;
			break;
		}
	}
}

static int merge_links(struct uf *u, const struct linkage_rec *recs, size_t n, const struct scored *s, size_t ns,
		       double link_w, uint8_t *hold, struct linkage_result *res)
{
	bool defer = (u->refuse & LINKAGE_REFUSE_WEAK) != 0, stray = (u->refuse & LINKAGE_REFUSE_STRAY) != 0;
	uint32_t *off = NULL, *lk = NULL;
	uint32_t *ord = (u->refuse & LINKAGE_REFUSE_NAME_ORDER) ? name_order(u->model, s, ns) : NULL;
	if ((u->refuse & LINKAGE_REFUSE_NAME_ORDER) && !ord)
		return -1;
	/* own_name: each record's pairs of its own given name, and their accepted links (own_group_refuse) */
	uint32_t *off0 = NULL, *mid0 = NULL, *lk0 = NULL;
	bool own = (u->refuse & LINKAGE_REFUSE_OWN_NAME) && (u->refuse & LINKAGE_REFUSE_STRAY_NAME);
	if (own && own_links(u, recs, n, s, ns, &off0, &mid0, &lk0) != 0) {
		free(ord);
		return -1;
	}
	for (size_t k = 0; k < 2 * ns; k++) {
		size_t i = k < ns ? k : ord ? ord[k - ns] : k - ns;
		bool twinlike = s[i].twin_level && !s[i].idmatch;
		if (k == ns && stray && lone_links(u, n, s, ns, &off, &lk) != 0) {
			free(off0);
			free(mid0);
			free(lk0);
			free(ord);
			return -1;
		}
		if (s[i].cannot) {
			if (k < ns && s[i].weight >= link_w)
				res->refused_links++;
			continue;
		}
		if (defer && s[i].weak)
			continue;
		if (twinlike != (k >= ns))
			continue;
		if (hold[s[i].a] || hold[s[i].b])
			continue;
		uint32_t x;
		if (off && stray_hold(u, recs, s, i, off, lk, hold, link_w, &x)) {
			hold[x] = 1;
			res->reviews++;
			continue;
		}
		if (off0 && own_group_refuse(u, recs, s, i, off0, mid0, lk0, hold)) {
			res->refused_links++;
			res->reviews++;
			continue;
		}
		take_link(u, recs, &s[i], false, true, res);
	}
	free(off0);
	free(mid0);
	free(lk0);
	free(ord);
	int rc = 0;
	if (defer) {
		bool by_name = (u->refuse & LINKAGE_REFUSE_STRAY_NAME) != 0;
		rc = merge_weak(u, recs, n, s, ns, link_w, hold, by_name ? off : NULL, lk, res);
	}
	if (rc == 0 && (u->refuse & LINKAGE_REFUSE_LONE_MIDDLE))
		merge_lone_middle(u, recs, s, ns, hold, res);
	free(off);
	free(lk);
	return rc;
}

/* Whether two components refuse each other outright: different valid NHS numbers or UPNs, a hard
 * cannot-link edge between them, or possible twins (twin_level: the link's, as in uf_conflict). */
static bool uf_refuse(struct uf *u, const struct linkage_rec *recs, uint32_t ra, uint32_t rb, unsigned twin_level,
		      unsigned middle)
{
	if (u->nhs[ra] >= 0 && u->nhs[rb] >= 0 && strcmp(recs[u->nhs[ra]].nhs, recs[u->nhs[rb]].nhs) != 0)
		return true;
	if (upn_conflict(u, recs, ra, rb, false, middle))
		return true;
	uint32_t from = u->nedges[ra] <= u->nedges[rb] ? ra : rb, other = from == ra ? rb : ra;
	for (uint32_t e = u->head[from]; e != UINT32_MAX; e = u->edge_next[e])
		if (uf_find(u, u->edge_to[e]) == other)
			return true;
	return (u->refuse & LINKAGE_REFUSE_POSSIBLE_TWINS) && twin_level &&
	       twins_conflict(u, recs, ra, rb, twin_level, middle, (u->refuse & LINKAGE_REFUSE_TWIN_ODDS) != 0);
}

struct bridge {
	uint32_t self, other, rec; /* rec, in component self, links to component other */
	float margin;              /* the link's weight minus rec's strongest link */
};

static int cmp_bridge(const void *x, const void *y)
{
	const struct bridge *a = x, *b = y;
	if (a->self != b->self)
		return a->self < b->self ? -1 : 1;
	if (a->other != b->other)
		return a->other < b->other ? -1 : 1;
	return (a->rec > b->rec) - (a->rec < b->rec);
}

/* Ambiguous records, after a first pass. A record links strongly to its own component and to another
 * that refuses it (different identifiers, a hard cannot-link, possible twins: uf_refuse), the second link
 * within AMBIGUOUS_MARGIN bits of its strongest, and it is one of at most half of its component's records
 * that link there: the two components are kept apart by the rest of its own, and what ties them is this
 * record. Abdullahi's housing record written "Abdi" links to Abdullahi and to his twin Abdi alike; which
 * child it is, a person decides. Returns how many were held, SIZE_MAX when out of memory. */
static size_t find_ambiguous(struct uf *u, const struct linkage_rec *recs, size_t n, const struct scored *s, size_t ns,
			     uint8_t *held)
{
	float *w1 = malloc((n ? n : 1) * sizeof *w1);
	struct bridge *br = NULL;
	size_t nb = 0, cap = 0, nheld = 0;
	if (!w1)
		return SIZE_MAX;
	for (size_t i = 0; i < n; i++)
		w1[i] = NAN;
	for (size_t i = 0; i < ns; i++) {
		if (s[i].cannot)
			continue;
		uint32_t end[2] = {s[i].a, s[i].b};
		for (int k = 0; k < 2; k++)
			if (isnan(w1[end[k]]))
				w1[end[k]] = s[i].weight; /* s is sorted strongest first */
		uint32_t ra = uf_find(u, s[i].a), rb = uf_find(u, s[i].b);
		if (ra == rb || !uf_refuse(u, recs, ra, rb, s[i].twin_level, s[i].middle))
			continue;
		if (nb + 2 > cap) {
			size_t nc = cap ? cap * 2 : 1024;
			struct bridge *t = realloc(br, nc * sizeof *br);
			if (!t) {
				free(br);
				free(w1);
				return SIZE_MAX;
			}
			br = t;
			cap = nc;
		}
		br[nb++] = (struct bridge){ra, rb, s[i].a, s[i].weight - w1[s[i].a]};
		br[nb++] = (struct bridge){rb, ra, s[i].b, s[i].weight - w1[s[i].b]};
	}
	if (nb)
		qsort(br, nb, sizeof *br, cmp_bridge);
	for (size_t i = 0; i < nb;) {
		size_t j = i, recs_n = 0;
		for (; j < nb && br[j].self == br[i].self && br[j].other == br[i].other; j++)
			recs_n += j == i || br[j].rec != br[j - 1].rec;
		if (2 * recs_n <= u->size[br[i].self] && u->size[br[i].self] > 1)
			for (size_t k = i; k < j; k++)
				if (br[k].margin >= -AMBIGUOUS_MARGIN && !held[br[k].rec]) {
					held[br[k].rec] = 1;
					nheld++;
				}
		i = j;
	}
	free(br);
	free(w1);
	return nheld;
}

/* ---- even_twins: a record that says no more of one twin than of the other (round 31c) ----
 * Twins share the family name, the home and the birthday, so of a record's links to two twins' components only
 * the child's own fields (the given name, the middle names, the sex) say which child it is; the rest of the
 * weight is the family's, and differs between the two links only by which records happen to carry the family's
 * address. Clustering takes links by weight, so a record whose own fields agree as well with both twins joins
 * whichever link comes first: style d's "Muhammad Khan" police and A&E records (no number, no middle name) of
 * twins Muhammad Ali and Muhammad Bilal Khan, spread between the two clusters by their postcodes
 * (docs/BENCHMARKS.md, "Round 31c"). `stray` holds such a record only when it is alone after the first pass and
 * its link is twin-like; this reads every record after a whole pass (as `ambiguous` does), whatever its links:
 * x, without a valid NHS number or UPN, in a component X of two records or more, with an accepted link to
 * another component Y, where
 *   - X and Y hold two children's numbers (two_numbers: different NHS numbers, or UPNs neither temporary),
 *   - the records holding them are twins' (twin_numbers: one family name, one birthday exactly, one home),
 *   - and x's evidence for Y is at least its evidence for X: the largest, over x's accepted links to records
 *     holding that component's number, of the model's weights of the pair's given-name, middle-name and sex
 *     levels (own_fields). The numbers' records are what says who each child is: a component's other records
 *     may be strays of the other child, which would otherwise lend x their name.
 * Then nothing in x says it is X's child rather than Y's: x is held out (alone, counted for review) and the
 * links are merged again without it, as for `ambiguous`. No constant: the levels' weights are the model's. A
 * record written with one twin's own name, or her middle name, or her sex, says which, and stays. Returns how
 * many were held, SIZE_MAX when out of memory. */
struct even_cand {
	uint32_t x, other;  /* a record and a component it links to (its root after the pass) */
	float own, far;     /* x's evidence for its own component and for other (-INFINITY: no link read) */
};

static int cmp_even(const void *p, const void *q)
{
	const struct even_cand *a = p, *b = q;
	if (a->x != b->x)
		return a->x < b->x ? -1 : 1;
	return (a->other > b->other) - (a->other < b->other);
}

/* The child's own fields of a pair (given name, middle names, sex: what twins do not share), as the model
 * weighs them. */
static float own_fields(const struct uf *u, const struct linkage_rec *x, const struct linkage_rec *y)
{
	linkage_gamma g = linkage_compare(x, y);
	return (float)(u->given_w[linkage_gamma_level(g, LF_GIVEN)] + u->middle_w[linkage_gamma_level(g, LF_MIDDLE)] +
		       u->sex_w[linkage_gamma_level(g, LF_SEX)]);
}

static size_t even_find(const struct even_cand *c, size_t nc, uint32_t x, uint32_t other)
{
	size_t lo = 0, hi = nc;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (c[mid].x < x || (c[mid].x == x && c[mid].other < other))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Whether components ra and rb hold two children's numbers: different valid NHS numbers, or different UPNs
 * neither of them temporary (a temporary UPN beside a permanent one may be one pupil's: upn_conflict). One child's
 * records split between two components that refuse each other otherwise (a hard edge, a temporary number) are
 * one family and one birthday, and would be read as twins (d 80k: a pupil's temporary UPN held 300 records). */
static bool two_numbers(struct uf *u, const struct linkage_rec *recs, uint32_t ra, uint32_t rb)
{
	if (u->nhs[ra] >= 0 && u->nhs[rb] >= 0 && strcmp(recs[u->nhs[ra]].nhs, recs[u->nhs[rb]].nhs) != 0)
		return true;
	if (u->upn[ra] < 0 || u->upn[rb] < 0)
		return false;
	const struct linkage_rec *a = &recs[u->upn[ra]], *b = &recs[u->upn[rb]];
	return !a->upn_temp && !b->upn_temp && strcmp(a->upn, b->upn) != 0;
}

/* Whether the records that hold ra's and rb's numbers (NHS number, UPN) are twins': one family (twin_family) and
 * one birthday exactly, and a record of each (the numbers' and the names' records) at one address (or one full
 * postcode where an address is missing). Not twin_components, which reads any record of each: a record of one
 * child joined to a brother's component born two years later (a family name as the household head's) makes the
 * two look like twins; and namesakes of one family name born a digit apart, or on one day in two homes, are two
 * children whose birthdays or homes say which a record is. */
static bool twin_numbers(struct uf *u, const struct linkage_rec *recs, uint32_t ra, uint32_t rb)
{
	int64_t ia[2] = {u->nhs[ra], u->upn[ra]}, ib[2] = {u->nhs[rb], u->upn[rb]};
	bool family = false, home = false;
	for (int i = 0; i < 2; i++)
		for (int j = 0; j < 2; j++)
			if (ia[i] >= 0 && ib[j] >= 0) {
				linkage_gamma g = linkage_compare(&recs[ia[i]], &recs[ib[j]]);
				family |= twin_family(g) && linkage_gamma_level(g, LF_DOB) == LD_EXACT;
			}
	if (!family)
		return false;
	uint32_t ha[2 + UF_NAMES], hb[2 + UF_NAMES];
	size_t na = 0, nb = 0;
	for (int i = 0; i < 2; i++) {
		if (ia[i] >= 0)
			ha[na++] = (uint32_t)ia[i];
		if (ib[i] >= 0)
			hb[nb++] = (uint32_t)ib[i];
	}
	for (int i = 0; i < UF_NAMES; i++) {
		if (u->names[ra][i] != UINT32_MAX)
			ha[na++] = u->names[ra][i];
		if (u->names[rb][i] != UINT32_MAX)
			hb[nb++] = u->names[rb][i];
	}
	for (size_t i = 0; i < na && !home; i++)
		for (size_t j = 0; j < nb && !home; j++) {
			linkage_gamma g = linkage_compare(&recs[ha[i]], &recs[hb[j]]);
			unsigned addr = linkage_gamma_level(g, LF_ADDRESS);
			home = addr == LA_EXACT || (addr == LINKAGE_LEVEL_NULL && linkage_gamma_level(g, LF_POSTCODE) == LP_FULL);
		}
	return home;
}

/* Whether record y holds its component's number (the NHS number or the UPN the component is known by). */
static bool holds_number(struct uf *u, const struct linkage_rec *recs, uint32_t y, uint32_t ry)
{
	const struct linkage_rec *r = &recs[y];
	return (r->nhs_state == LINKAGE_ID_VALID && u->nhs[ry] >= 0 && strcmp(r->nhs, recs[u->nhs[ry]].nhs) == 0) ||
	       (r->upn_state == LINKAGE_ID_VALID && u->upn[ry] >= 0 && strcmp(r->upn, recs[u->upn[ry]].upn) == 0);
}

static size_t find_even_twins(struct uf *u, const struct linkage_rec *recs, size_t n, const struct scored *s,
			      size_t ns, uint8_t *held)
{
	struct even_cand *c = NULL;
	uint8_t *mark = NULL;
	size_t nc = 0, cap = 0, nheld = 0;
	for (size_t i = 0; i < ns; i++) {
		if (s[i].cannot)
			continue;
		uint32_t ra = uf_find(u, s[i].a), rb = uf_find(u, s[i].b);
		if (ra == rb)
			continue;
		bool ua = unidentified(&recs[s[i].a]) && u->size[ra] > 1 && !held[s[i].a];
		bool ub = unidentified(&recs[s[i].b]) && u->size[rb] > 1 && !held[s[i].b];
		if ((!ua && !ub) || !two_numbers(u, recs, ra, rb) || !twin_numbers(u, recs, ra, rb))
			continue;
		if (nc + 2 > cap) {
			size_t ncap = cap ? 2 * cap : 256;
			struct even_cand *t = realloc(c, ncap * sizeof *c);
			if (!t)
				goto oom;
			c = t;
			cap = ncap;
		}
		if (ua)
			c[nc++] = (struct even_cand){s[i].a, rb, -INFINITY, -INFINITY};
		if (ub)
			c[nc++] = (struct even_cand){s[i].b, ra, -INFINITY, -INFINITY};
	}
	if (!nc)
		goto done;
	qsort(c, nc, sizeof *c, cmp_even);
	size_t k = 0;
	for (size_t i = 0; i < nc; i++)
		if (!k || c[i].x != c[k - 1].x || c[i].other != c[k - 1].other)
			c[k++] = c[i];
	nc = k;
	mark = calloc(n ? n : 1, 1);
	if (!mark)
		goto oom;
	for (size_t i = 0; i < nc; i++)
		mark[c[i].x] = 1;
	/* each candidate's evidence, from its accepted links (the pass's components, read as they stand) */
	for (size_t i = 0; i < ns; i++) {
		if (s[i].cannot || (!mark[s[i].a] && !mark[s[i].b]))
			continue;
		for (int side = 0; side < 2; side++) {
			uint32_t x = side ? s[i].b : s[i].a, y = side ? s[i].a : s[i].b;
			if (!mark[x])
				continue;
			uint32_t rx = uf_find(u, x), ry = uf_find(u, y);
			if (!holds_number(u, recs, y, ry))
				continue;
			if (ry == rx) {
				float e = own_fields(u, &recs[x], &recs[y]);
				for (size_t m = even_find(c, nc, x, 0); m < nc && c[m].x == x; m++)
					if (e > c[m].own)
						c[m].own = e;
			} else {
				size_t m = even_find(c, nc, x, ry);
				if (m < nc && c[m].x == x && c[m].other == ry) {
					float e = own_fields(u, &recs[x], &recs[y]);
					if (e > c[m].far)
						c[m].far = e;
				}
			}
		}
	}
	for (size_t i = 0; i < nc; i++)
		if (!held[c[i].x] && c[i].own > -INFINITY && c[i].far >= c[i].own) {
			held[c[i].x] = 1;
			nheld++;
		}
done:
	free(c);
	free(mark);
	return nheld;
oom:
	free(c);
	free(mark);
	return SIZE_MAX;
}

/* ---- clustering on the threads ----
 * Every component a pass compares or joins is reached from the link at hand through scored pairs that may
 * join (cannot 0), or that stray_hold, merge_weak and merge_lone_middle weigh (cannot 4, 3 and 5): take the connected components
 * of the records through those pairs (cluster_parts). A pass never joins two of them, and everything it
 * reads or writes for a link (a root's state, hold and held, a record's probability) is of the link's own,
 * but for one thing: a cannot-link edge (cannot 2) may run to a record of another component, and uf_conflict
 * walks the edges of a root, finding each one's far end. Such an edge can never be between the two
 * components a pass compares, so it is counted in its records' nedges (which choose the side walked, as
 * before) but left out of the lists. The components are then dealt out to parts, one part a task on the
 * pool: each part's pairs keep s's order (sorted on their own), its refusals, holds and ambiguous records are
 * its own, and the parts' counts add up: the clusters, probabilities and counts are those of one pass over
 * all pairs, for any number of parts, however the components are dealt. At a million records of style c
 * the largest component held 794 of 2.7M pairs (docs/BENCHMARKS.md, r-linkspeed26); of style d, 3.43M of
 * 7.58M (340,327 records chained by pairs of one given name between the thresholds, cannot 4), and dealt
 * by a hash its part took 5.56M pairs, the other 2.02M: so the largest components go first, each to the
 * part with the fewest pairs so far (cluster_parts; docs/BENCHMARKS.md, r-linkspeed31). */

struct cluster_part {
	struct scored *s, *tmp;    /* the part's pairs, and scratch for their sort (as many) */
	size_t ns;
	uint32_t edge0;            /* the number of its first listed cannot-link edge */
	struct linkage_result res; /* its counts; probability is the whole array (its records only written) */
	size_t nheld;
	int rc;
};

struct cluster_job {
	struct uf *u;
	const struct linkage_rec *recs;
	size_t n;
	const uint8_t *part;  /* each record's part; NULL with one part */
	const uint32_t *comp; /* each record's component (its smallest record); NULL with one part */
	const uint32_t *xcnt; /* each record's cannot-link edges to other components; NULL with one part */
	uint8_t *held, *hold; /* ambiguous records; those and the strays of a pass */
	double link_w;
	struct cluster_part *parts;
};

static void cluster_part(void *ctx, size_t p)
{
	struct cluster_job *j = ctx;
	struct cluster_part *cp = &j->parts[p];
	struct uf *u = j->u;
	size_t n = j->n;
	cp->rc = -1;
	sort_scored(cp->s, cp->ns, cp->tmp);
	/* First pass: every accepted link. Then the ambiguous records are held out and the links merged
	 * again without them (a part without any would merge as before: the same pass again). */
	uf_init(u, j->recs, n, cp->s, cp->ns, j->part, (unsigned)p, cp->edge0, j->comp, j->xcnt);
	struct linkage_result first = cp->res;
	if (merge_links(u, j->recs, n, cp->s, cp->ns, j->link_w, j->hold, &first) != 0)
		return;
	cp->nheld = (u->refuse & LINKAGE_REFUSE_AMBIGUOUS) ? find_ambiguous(u, j->recs, n, cp->s, cp->ns, j->held) : 0;
	if (cp->nheld == SIZE_MAX)
		return;
	if (u->refuse & LINKAGE_REFUSE_EVEN_TWINS) {
		size_t even = find_even_twins(u, j->recs, n, cp->s, cp->ns, j->held);
		if (even == SIZE_MAX)
			return;
		cp->nheld += even;
	}
	if (cp->nheld) {
		uf_init(u, j->recs, n, cp->s, cp->ns, j->part, (unsigned)p, cp->edge0, j->comp, j->xcnt);
		for (size_t i = 0; i < n; i++)
			if (!j->part || j->part[i] == p) {
				cp->res.probability[i] = 0;
				j->hold[i] = j->held[i];
			}
		if (merge_links(u, j->recs, n, cp->s, cp->ns, j->link_w, j->hold, &cp->res) != 0)
			return;
		cp->res.reviews += cp->nheld;
	} else {
		cp->res = first;
	}
	cp->rc = 0;
}

struct comp_load {
	uint32_t root, pairs; /* a component (its smallest record) and the pairs of s listed with it */
};

/* Most pairs first, then by root: an order that depends on the data only. */
static int cmp_comp_load(const void *x, const void *y)
{
	const struct comp_load *a = x, *b = y;
	if (a->pairs != b->pairs)
		return a->pairs > b->pairs ? -1 : 1;
	return (a->root > b->root) - (a->root < b->root);
}

/* Each record's component (comp: its smallest record) through the pairs of s that a pass may follow
 * (cannot 0, 3, 4, 5; not 6, which lone_reach reads across components through comp), and its part of k. A part's work goes with the pairs listed with it (each pair goes
 * with its first record's component), so the components are dealt largest first, each to the part with
 * the fewest pairs so far (ties to the lowest part: the parts depend on the data only); a component
 * without pairs, by a hash of its root. Returns -1 when out of memory. */
static int cluster_parts(const struct scored *s, size_t ns, size_t n, unsigned k, uint32_t *comp, uint8_t *part)
{
	for (size_t i = 0; i < n; i++)
		comp[i] = (uint32_t)i;
	for (size_t i = 0; i < ns; i++) {
		if (s[i].cannot == 1 || s[i].cannot == 2 || s[i].cannot == 6)
			continue;
		uint32_t a = s[i].a, b = s[i].b;
		while (comp[a] != a)
			a = comp[a] = comp[comp[a]];
		while (comp[b] != b)
			b = comp[b] = comp[comp[b]];
		if (a < b)
			comp[b] = a;
		else if (b < a)
			comp[a] = b;
	}
	/* a root is its component's smallest record, so comp[i] <= i: in index order each one's root is known */
	for (size_t i = 0; i < n; i++)
		comp[i] = comp[comp[i]];
	uint32_t *cnt = calloc(n ? n : 1, sizeof *cnt);
	if (!cnt)
		return -1;
	size_t nc = 0;
	for (size_t i = 0; i < ns; i++)
		nc += cnt[comp[s[i].a]]++ == 0;
	struct comp_load *c = malloc((nc ? nc : 1) * sizeof *c);
	if (!c) {
		free(cnt);
		return -1;
	}
	nc = 0;
	for (size_t i = 0; i < n; i++)
		if (cnt[i])
			c[nc++] = (struct comp_load){(uint32_t)i, cnt[i]};
	free(cnt);
	qsort(c, nc, sizeof *c, cmp_comp_load);
	for (size_t i = 0; i < n; i++)
		if (comp[i] == i)
			part[i] = (uint8_t)(((uint64_t)(uint32_t)((uint32_t)i * 0x9E3779B1u) * k) >> 32);
	uint64_t load[64] = {0};
	for (size_t i = 0; i < nc; i++) {
		unsigned best = 0;
		for (unsigned p = 1; p < k; p++)
			if (load[p] < load[best])
				best = p;
		part[c[i].root] = (uint8_t)best;
		load[best] += c[i].pairs;
	}
	free(c);
	for (size_t i = 0; i < n; i++)
		part[i] = part[comp[i]];
	return 0;
}

static int cluster(const struct linkage_rec *recs, size_t n, const struct linkage_model *m,
		   const struct name_use *use, const struct name_use *mains, const struct name_pairs *npairs,
		   struct scored *s, size_t ns,
		   const struct linkage_opts *o, unsigned threads, struct linkage_result *res)
{
	struct uf u;
	size_t nedge = 0;
	uint8_t *held = NULL, *hold = NULL, *part = NULL;
	uint32_t *comp = NULL, *xcnt = NULL, *reach_off = NULL, *reach_to = NULL;
	float *reach_w = NULL;
	uint32_t(*near0)[2] = NULL;
	struct scored *split = NULL;
	unsigned k = threads < 2 || n < 2 ? 1 : threads > 64 ? 64 : threads;
	struct cluster_part parts[64];
	int rc = -1;
	for (size_t i = 0; i < ns; i++)
		nedge += s[i].cannot == 2 ? 2 : 0;
	memset(&u, 0, sizeof u);
	u.parent = malloc(n * sizeof *u.parent);
	u.size = malloc(n * sizeof *u.size);
	u.nhs = malloc(n * sizeof *u.nhs);
	u.upn = malloc(n * sizeof *u.upn);
	u.sex = malloc(n * sizeof *u.sex);
	u.logseen = malloc(n * sizeof *u.logseen);
	u.head = malloc(n * sizeof *u.head);
	u.tail = malloc(n * sizeof *u.tail);
	u.nedges = calloc(n, sizeof *u.nedges);
	u.edge_to = malloc((nedge ? nedge : 1) * sizeof *u.edge_to);
	u.edge_from = malloc((nedge ? nedge : 1) * sizeof *u.edge_from);
	u.edge_next = malloc((nedge ? nedge : 1) * sizeof *u.edge_next);
	u.edge_kind = malloc(nedge ? nedge : 1);
	u.refuse = m->refuse;
	{
		double tbl[LF_NFIELD][LINKAGE_MAX_LEVELS];
		linkage_weight_table(m, tbl);
		memcpy(u.given_w, tbl[LF_GIVEN], sizeof u.given_w);
		memcpy(u.middle_w, tbl[LF_MIDDLE], sizeof u.middle_w);
		memcpy(u.sex_w, tbl[LF_SEX], sizeof u.sex_w);
	}
	u.model = m;
	u.use = use;
	u.mains = mains;
	u.pairs = npairs;
	u.names = malloc(n * sizeof *u.names);
	u.name_n = malloc(n * sizeof *u.name_n);
	u.dobs = malloc(n * sizeof *u.dobs);
	held = calloc(n ? n : 1, 1);
	hold = calloc(n ? n : 1, 1);
	split = malloc((ns ? ns : 1) * sizeof *split);
	if (k > 1) {
		part = malloc(n);
		comp = malloc(n * sizeof *comp);
		xcnt = calloc(n, sizeof *xcnt);
	}
	if (!held || !hold || !u.names || !u.name_n || !u.dobs || !u.parent || !u.size || !u.nhs || !u.upn || !u.sex || !u.logseen || !u.head || !u.tail || !u.nedges ||
	    !u.edge_to || !u.edge_from || !u.edge_next || !u.edge_kind || !split || (k > 1 && (!part || !comp || !xcnt)))
		goto out;
	if ((m->refuse & LINKAGE_REFUSE_LONE_REACH) &&
	    reach_index(recs, n, s, ns, log2(m->review_threshold / (1.0 - m->review_threshold)), &reach_off, &reach_to, &reach_w) != 0)
		goto out;
	u.reach_off = reach_off;
	u.reach_to = reach_to;
	u.reach_w = reach_w;
	if ((m->refuse & LINKAGE_REFUSE_ABSENT_ID) && (m->refuse & LINKAGE_REFUSE_OWN_IDS)) {
		if (scheme_read(recs, n, s, ns, log2(m->link_threshold / (1.0 - m->link_threshold)), &near0,
				&res->absent_id) != 0)
			goto out;
		/* the per-root copy only where the ratio can reach the link's odds (absent_id asks nothing else) */
		double lt = m->link_threshold;
		if (res->absent_id.ratio >= (lt > 0 && lt < 1 ? lt / (1.0 - lt) : 1.0)) {
			if (!(u.near = malloc((n ? n : 1) * sizeof *u.near)))
				goto out;
			u.near0 = (const uint32_t(*)[2])near0;
			u.absent_ratio = res->absent_id.ratio;
		} else {
			free(near0);
			near0 = NULL;
		}
	}
	memset(parts, 0, sizeof parts);
	if (k == 1) {
		parts[0].s = s;
		parts[0].tmp = split;
		parts[0].ns = ns;
	} else {
		/* the parts' pairs one part after another in split, each in s's order; s their sorts' scratch. A pair
		 * between two components (cannot 1 or 2) goes with its first record's: there it is only counted. */
		size_t at[64] = {0};
		uint32_t edges[64] = {0};
		if (cluster_parts(s, ns, n, k, comp, part) != 0)
			goto out;
		u.comp = comp;
		for (size_t i = 0; i < ns; i++) {
			parts[part[s[i].a]].ns++;
			if (s[i].cannot != 2)
				continue;
			if (comp[s[i].a] == comp[s[i].b]) {
				edges[part[s[i].a]] += 2;
			} else {
				xcnt[s[i].a]++;
				xcnt[s[i].b]++;
			}
		}
		for (unsigned p = 0, sum = 0, e = 0; p < k; p++) {
			at[p] = sum;
			parts[p].s = split + sum;
			parts[p].tmp = s + sum;
			parts[p].edge0 = e;
			sum += (unsigned)parts[p].ns;
			e += edges[p];
		}
		for (size_t i = 0; i < ns; i++)
			split[at[part[s[i].a]]++] = s[i];
	}
	for (unsigned p = 0; p < k; p++) {
		parts[p].res.probability = res->probability;
		parts[p].res.cluster = res->cluster;
	}
	struct cluster_job cj = {&u, recs, n, part, comp, xcnt, held, hold, log2(m->link_threshold / (1.0 - m->link_threshold)),
				 parts};
	pool_run(k, k, cluster_part, &cj, o, "cluster");
	for (unsigned p = 0; p < k; p++) {
		if (parts[p].rc != 0)
			goto out;
		res->links += parts[p].res.links;
		res->refused_links += parts[p].res.refused_links;
		res->reviews += parts[p].res.reviews;
	}
	/* A cluster is named by its smallest record index. */
	for (size_t i = 0; i < n; i++)
		res->cluster[i] = UINT32_MAX;
	for (size_t i = 0; i < n; i++) {
		uint32_t r = uf_find(&u, (uint32_t)i);
		if (res->cluster[r] == UINT32_MAX) {
			res->cluster[r] = (uint32_t)i;
			res->clusters++;
		}
	}
	for (size_t i = 0; i < n; i++)
		res->cluster[i] = res->cluster[uf_find(&u, (uint32_t)i)];
	/* a twin's records of her own name left in her twin's cluster (twin_names.c) */
	if (u.refuse & LINKAGE_REFUSE_TWIN_NAMES)
		res->reviews += linkage_twin_names(recs, n, m, res->cluster, res->probability, &res->clusters,
						   &res->twin_names);
	rc = 0;
out:
	free(held);
	free(hold);
	free(part);
	free(comp);
	free(xcnt);
	free(split);
	free(u.parent);
	free(u.size);
	free(u.nhs);
	free(u.upn);
	free(reach_off);
	free(reach_to);
	free(reach_w);
	free(near0);
	free(u.near);
	free(u.sex);
	free(u.logseen);
	free(u.head);
	free(u.tail);
	free(u.nedges);
	free(u.edge_to);
	free(u.edge_from);
	free(u.edge_next);
	free(u.edge_kind);
	free(u.names);
	free(u.name_n);
	free(u.dobs);
	return rc;
}

void linkage_result_free(struct linkage_result *r)
{
	free(r->cluster);
	free(r->probability);
	free(r->pairs);
	memset(r, 0, sizeof *r);
}

static int cmp_u64(const void *x, const void *y)
{
	uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
	return (a > b) - (a < b);
}

/* Distinct values of v[0..n) (sorted in place). */
static size_t distinct_u64(uint64_t *v, size_t n)
{
	size_t d = 0;
	qsort(v, n, sizeof *v, cmp_u64);
	for (size_t i = 0; i < n; i++)
		d += i == 0 || v[i] != v[i - 1];
	return d;
}

/* A fixed choice, not learned: before the input says otherwise, one child in a thousand is taken to have a
 * twin whose name is related to theirs in a given way, and that belief weighs as much as 200 children with
 * identifiers would. It decides only inputs that hold too few identifiers to measure the share. */
#define TWIN_PRIOR 1e-3
#define TWIN_PRIOR_CHILDREN 200.0

/* What the pseudo-children of the prior say about splits: each record of a child shows a level-l form
 * with probability m(l) / 2 (a matching pair shows the level when one of its two records does), so k
 * records do with (m / 2)^k. */
static double split_prior(const struct linkage_model *m, unsigned l, unsigned k)
{
	double q = m->m[LF_GIVEN][l] / 2.0;
	return l < linkage_nlevels[LF_GIVEN] && k > 0 ? pow(q, (double)k) : 0.0;
}

struct idrec {
	uint64_t h;
	uint32_t rec;
};

static int cmp_idrec(const void *x, const void *y)
{
	const struct idrec *a = x, *b = y;
	if (a->h != b->h)
		return a->h < b->h ? -1 : 1;
	return (a->rec > b->rec) - (a->rec < b->rec);
}

static int cmp_pair64(const void *x, const void *y)
{
	const uint64_t *a = x, *b = y;
	if (a[0] != b[0])
		return a[0] < b[0] ? -1 : 1;
	return (a[1] > b[1]) - (a[1] < b[1]);
}

/* name_pairs' counts as they are found, one a child split or a twin pair (name_pairs_make sums them). */
struct np_raw {
	uint64_t key;
	uint32_t twins, split; /* a twin pair so named (1), or the records of the other name (k or more: split) */
};
struct np_vec {
	struct np_raw *v;
	size_t n, cap;
};

static int np_push(struct np_vec *x, uint64_t key, uint32_t twins, uint32_t split)
{
	if (x->n == x->cap) {
		size_t nc = x->cap ? 2 * x->cap : 1024;
		struct np_raw *t = realloc(x->v, nc * sizeof *t);
		if (!t)
			return -1;
		x->v = t;
		x->cap = nc;
	}
	x->v[x->n++] = (struct np_raw){key, twins, split};
	return 0;
}

static int cmp_np_raw(const void *x, const void *y)
{
	const struct np_raw *a = x, *b = y;
	return (a->key > b->key) - (a->key < b->key);
}

/* The counts summed by pair of names (struct name_pairs). Returns -1 when out of memory. */
static int name_pairs_make(struct np_vec *raw, struct name_pairs *np)
{
	np->v = NULL;
	np->n = 0;
	if (!raw->n)
		return 0;
	qsort(raw->v, raw->n, sizeof *raw->v, cmp_np_raw);
	size_t d = 0;
	for (size_t i = 0; i < raw->n; i++)
		d += i == 0 || raw->v[i].key != raw->v[i - 1].key;
	np->v = calloc(d, sizeof *np->v);
	if (!np->v)
		return -1;
	for (size_t i = 0; i < raw->n; i++) {
		if (i == 0 || raw->v[i].key != raw->v[i - 1].key)
			np->v[np->n++].key = raw->v[i].key;
		struct name_pair *e = &np->v[np->n - 1];
		e->twins += raw->v[i].twins;
		for (uint32_t k = 1; k <= raw->v[i].split && k <= LINKAGE_SPLIT_K; k++)
			e->split[k]++;
	}
	return 0;
}

/* model->split_rate from the records that share a valid identifier (one child each): per child, its
 * commonest given name, and per level the most records carrying one other form at that level. With raw
 * (name_pairs), each child's other names as split counts of their pair with its name, and (idmain) each
 * child's identifier hash and name hash, in the identifiers' order. Returns -1 when out of memory. */
static int split_rates(const struct linkage_rec *recs, struct idrec *v, size_t nv, size_t children,
		       const struct name_use *use, struct linkage_model *m, struct np_vec *raw, uint64_t *idmain,
		       size_t *nidmain)
{
	double count[2][LINKAGE_MAX_LEVELS][LINKAGE_SPLIT_K + 1], count_any[2][LINKAGE_MAX_LEVELS][LINKAGE_SPLIT_K + 1];
	memset(count, 0, sizeof count);
	memset(count_any, 0, sizeof count_any);
	qsort(v, nv, sizeof *v, cmp_idrec);
	for (size_t lo = 0; lo < nv;) {
		size_t hi = lo;
		while (hi < nv && v[hi].h == v[lo].h)
			hi++;
		/* distinct given names of the group, with counts (a child has few) */
		uint32_t name[16], cnt[16];
		unsigned nn = 0;
		for (size_t i = lo; i < hi; i++) {
			const struct linkage_rec *r = &recs[v[i].rec];
			if (!r->given_len)
				continue;
			unsigned j = 0;
			while (j < nn && recs[name[j]].given_h != r->given_h)
				j++;
			if (j < nn)
				cnt[j]++;
			else if (nn < 16) {
				name[nn] = v[i].rec;
				cnt[nn++] = 1;
			}
		}
		unsigned main = 0;
		for (unsigned j = 1; j < nn; j++)
			if (cnt[j] > cnt[main])
				main = j;
		if (raw && nn) {
			idmain[2 * *nidmain] = v[lo].h;
			idmain[2 * *nidmain + 1] = recs[name[main]].given_h;
			(*nidmain)++;
		}
		uint32_t best[2][LINKAGE_MAX_LEVELS], all[2][LINKAGE_MAX_LEVELS];
		memset(best, 0, sizeof best);
		memset(all, 0, sizeof all);
		for (unsigned j = 0; j < nn; j++) {
			const struct linkage_rec *a = &recs[name[main]], *b = &recs[name[j]];
			if (j == main || linkage_names_crossed(a, b))
				continue;
			if (raw && np_push(raw, pair_key(a->given_h, b->given_h), 0, cnt[j]) != 0)
				return -1;
			unsigned l = linkage_cmp_given(a, b);
			int real = !(name_in_use(use, a->given_h) && name_in_use(use, b->given_h));
			if (l < LINKAGE_MAX_LEVELS && cnt[j] > best[real][l])
				best[real][l] = cnt[j];
			if (l < LINKAGE_MAX_LEVELS)
				all[real][l] += cnt[j];
		}
		for (int real = 0; real < 2; real++)
			for (unsigned l = 0; l < LINKAGE_MAX_LEVELS; l++) {
				for (uint32_t k = 1; k <= best[real][l] && k <= LINKAGE_SPLIT_K; k++)
					count[real][l][k]++;
				for (uint32_t k = 1; k <= all[real][l] && k <= LINKAGE_SPLIT_K; k++)
					count_any[real][l][k]++;
			}
		lo = hi;
	}
	for (int real = 0; real < 2; real++)
		for (unsigned l = 0; l < LINKAGE_MAX_LEVELS; l++)
			for (unsigned k = 0; k <= LINKAGE_SPLIT_K; k++)
			{
				m->split_rate[real][l][k] = (count[real][l][k] + TWIN_PRIOR_CHILDREN * split_prior(m, l, k)) /
							    ((double)children + TWIN_PRIOR_CHILDREN);
				m->split_any[real][l][k] = (count_any[real][l][k] + TWIN_PRIOR_CHILDREN * split_prior(m, l, k)) /
							   ((double)children + TWIN_PRIOR_CHILDREN);
			}
	return 0;
}

/* The name hash of the identified child whose identifier hashes to h (idmain: pairs sorted by identifier),
 * 0 when none. */
static uint64_t idmain_name(const uint64_t *idmain, size_t n, uint64_t h)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (idmain[2 * mid] < h)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && idmain[2 * lo] == h ? idmain[2 * lo + 1] : 0;
}

/* model->twin_rate: per given-name level, distinct pairs of children that are certainly two (both NHS
 * numbers valid and different, or else both UPNs) yet share a birthday, a family name and a home (postcode
 * or address), over the children with a valid identifier of that kind. Of the two kinds, the one more records hold. */
static int estimate_twin_rate(const struct linkage_rec *recs, size_t n, const struct pairvec *pairs,
			      const struct name_use *use, struct linkage_model *m, struct name_pairs *np)
{
	struct np_vec raw = {0};
	uint64_t *idmain = NULL, *tp = NULL; /* tp: (twin pair of identifiers, pair of their names) */
	size_t nidmain = 0, ntp = 0, captp = 0;
	np->v = NULL;
	np->n = 0;
	size_t held[2] = {0, 0};
	for (size_t i = 0; i < n; i++) {
		held[0] += recs[i].nhs_state == LINKAGE_ID_VALID;
		held[1] += recs[i].upn_state == LINKAGE_ID_VALID;
	}
	int kind = held[1] > held[0];
	memset(m->twin_middle, 0, sizeof m->twin_middle);
	memset(m->split_seen_src, 0, sizeof m->split_seen_src);
	for (int real = 0; real < 2; real++)
		for (unsigned l = 0; l < LINKAGE_MAX_LEVELS; l++) {
			m->twin_rate[real][l] = TWIN_PRIOR;
			for (unsigned k = 0; k <= LINKAGE_SPLIT_K; k++)
				m->split_rate[real][l][k] = m->split_any[real][l][k] = split_prior(m, l, k);
		}
	if (!held[kind])
		return 0;
	bool pairs_wanted = (m->refuse & LINKAGE_REFUSE_NAME_PAIRS) != 0;
	uint64_t *ids = malloc(held[kind] * sizeof *ids);
	struct idrec *byid = malloc(held[kind] * sizeof *byid);
	size_t ni = 0, nt = 0, cap = 1024, midcount[LINKAGE_MAX_LEVELS] = {0};
	uint64_t *tw = malloc(cap * sizeof *tw);
	if (pairs_wanted)
		idmain = malloc(2 * held[kind] * sizeof *idmain);
	if (!ids || !tw || !byid || (pairs_wanted && !idmain)) {
		free(ids);
		free(tw);
		free(byid);
		free(idmain);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		const char *id = kind ? recs[i].upn : recs[i].nhs;
		if ((kind ? recs[i].upn_state : recs[i].nhs_state) == LINKAGE_ID_VALID) {
			byid[ni] = (struct idrec){linkage_hash64(id, strlen(id), LINKAGE_FNV64), (uint32_t)i};
			ids[ni] = byid[ni].h;
			ni++;
		}
	}
	size_t children = distinct_u64(ids, ni);
	m->split_seen = n ? (double)ni / (double)n : 0;
	{
		size_t all[LINKAGE_MAX_SOURCES + 1] = {0}, with[LINKAGE_MAX_SOURCES + 1] = {0};
		for (size_t i = 0; i < n; i++) {
			unsigned src = recs[i].source <= LINKAGE_MAX_SOURCES ? recs[i].source : 0;
			all[src]++;
			with[src] += (kind ? recs[i].upn_state : recs[i].nhs_state) == LINKAGE_ID_VALID;
		}
		for (unsigned src = 0; src <= LINKAGE_MAX_SOURCES; src++)
			m->split_seen_src[src] = ((double)with[src] + 0.5) / ((double)all[src] + 1.0);
	}
	if (split_rates(recs, byid, ni, children, use, m, pairs_wanted ? &raw : NULL, idmain, &nidmain) != 0) {
		free(byid);
		goto oom;
	}
	free(byid);
	for (size_t i = 0; i < pairs->n; i++) {
		linkage_gamma g = pairs->gam.g[pairs->v[i].pat];
		unsigned idl = linkage_gamma_level(g, kind ? LF_UPN : LF_NHS), fam = linkage_gamma_level(g, LF_FAMILY);
		unsigned given = linkage_gamma_level(g, LF_GIVEN);
		/* Twins: one birthday, one family name, one home (the same postcode or address) */
		unsigned pc = linkage_gamma_level(g, LF_POSTCODE), addr = linkage_gamma_level(g, LF_ADDRESS);
		if (idl != LI_DIFF_VALID || linkage_gamma_level(g, LF_DOB) != LD_EXACT || fam == LINKAGE_LEVEL_NULL ||
		    fam == LN_ELSE || given == LINKAGE_LEVEL_NULL || (g & LINKAGE_GAMMA_CROSSED) ||
		    !(pc == LP_FULL || addr == LA_EXACT || addr == LA_OVERLAP))
			continue;
		unsigned mid = linkage_gamma_level(g, LF_MIDDLE);
		if (mid != LINKAGE_LEVEL_NULL && mid < LINKAGE_MAX_LEVELS)
			midcount[mid]++;
		const struct linkage_rec *a = &recs[pairs->v[i].a], *b = &recs[pairs->v[i].b];
		const char *x = kind ? a->upn : a->nhs, *y = kind ? b->upn : b->nhs;
		uint64_t hx = linkage_hash64(x, strlen(x), LINKAGE_FNV64), hy = linkage_hash64(y, strlen(y), LINKAGE_FNV64);
		int real = !(name_in_use(use, a->given_h) && name_in_use(use, b->given_h));
		uint64_t key = (rng_mix64(hx < hy ? hx ^ rng_mix64(hy) : hy ^ rng_mix64(hx)) & ~(uint64_t)31) |
			       ((uint64_t)real << 4) | given;
		if (nt == cap) {
			uint64_t *t = realloc(tw, 2 * cap * sizeof *tw);
			if (!t)
				goto oom;
			tw = t;
			cap *= 2;
		}
		tw[nt++] = key;
		/* name_pairs: the pair of children, by the names they are known by */
		uint64_t na = pairs_wanted ? idmain_name(idmain, nidmain, hx) : 0, nb = na ? idmain_name(idmain, nidmain, hy) : 0;
		if (na && nb && na != nb) {
			if (ntp == captp) {
				size_t nc = captp ? 2 * captp : 256;
				uint64_t *t = realloc(tp, 2 * nc * sizeof *t);
				if (!t)
					goto oom;
				tp = t;
				captp = nc;
			}
			tp[2 * ntp] = pair_key(hx, hy);
			tp[2 * ntp + 1] = pair_key(na, nb);
			ntp++;
		}
	}
	/* Middle names of twins' records (both given), with half a pair at each level (Jeffreys' prior for a
	 * share: no level is read as impossible from a few pairs). */
	size_t midn = 0;
	for (unsigned l = 1; l < LM_NLEVELS; l++)
		midn += midcount[l];
	if (midn)
		for (unsigned l = 1; l < LM_NLEVELS; l++)
			m->twin_middle[l] = ((double)midcount[l] + 0.5) / ((double)midn + 0.5 * (LM_NLEVELS - 1));
	qsort(tw, nt, sizeof *tw, cmp_u64);
	size_t count[2][LINKAGE_MAX_LEVELS];
	memset(count, 0, sizeof count);
	for (size_t i = 0; i < nt; i++)
		if (i == 0 || tw[i] != tw[i - 1])
			count[(tw[i] >> 4) & 1][tw[i] & 15]++;
	/* With pseudo-counts: TWIN_PRIOR_CHILDREN children among whom a share TWIN_PRIOR have a twin so
	 * named, so that an input with few identifiers is not read as "no twins". */
	/* A twin pair is counted only when both twins carry the identifier, while the denominator counts every
	 * child who does: the count is thinned once more by the share of the other twin's records that carry
	 * it. Read it back at the share of records that carry the identifier (split_seen; a child's share is
	 * at least that, so this errs towards twins). */
	double seen = m->split_seen > 0 && m->split_seen < 1 ? m->split_seen : 1.0;
	for (int real = 0; real < 2; real++)
		for (unsigned l = 0; l < LINKAGE_MAX_LEVELS; l++)
			m->twin_rate[real][l] = ((double)count[real][l] / seen + TWIN_PRIOR * TWIN_PRIOR_CHILDREN) /
						((double)children + TWIN_PRIOR_CHILDREN);
	/* name_pairs: each twin pair of identifiers once (its records pair many times), under its names */
	if (ntp)
		qsort(tp, ntp, 2 * sizeof *tp, cmp_pair64);
	for (size_t i = 0; i < ntp; i++)
		if ((i == 0 || tp[2 * i] != tp[2 * i - 2]) && np_push(&raw, tp[2 * i + 1], 1, 0) != 0)
			goto oom;
	if (pairs_wanted && name_pairs_make(&raw, np) != 0)
		goto oom;
	free(raw.v);
	free(idmain);
	free(tp);
	free(ids);
	free(tw);
	return 0;
oom:
	free(raw.v);
	free(idmain);
	free(tp);
	free(ids);
	free(tw);
	return -1;
}

/* The given names in use (struct name_use): sort (name, family + date of birth) and keep the names with two
 * or more distinct keys. */
static int build_name_use(const struct linkage_rec *recs, size_t n, struct name_use *u)
{
	uint64_t *v = malloc((n ? n : 1) * 2 * sizeof *v);
	size_t k = 0;
	u->h = NULL;
	u->n = 0;
	if (!v)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (!recs[i].given_len)
			continue;
		v[2 * k] = recs[i].given_h;
		/* The family as spelt, whatever its split (family_h keeps the split, for the comparison memo). */
		uint64_t fh = recs[i].family_flat_len
				  ? linkage_hash64(recs[i].family_flat, recs[i].family_flat_len, LINKAGE_FNV64 ^ 0x5f) | 1u
				  : 0;
		v[2 * k + 1] = linkage_hash64(recs[i].dob_digits, strlen(recs[i].dob_digits), fh ^ LINKAGE_FNV64);
		k++;
	}
	qsort(v, k, 2 * sizeof *v, cmp_pair64);
	size_t out = 0;
	for (size_t i = 0; i < k;) {
		size_t j = i;
		unsigned keys = 0;
		for (; j < k && v[2 * j] == v[2 * i]; j++)
			keys += j == i || v[2 * j + 1] != v[2 * j - 1];
		if (keys >= 2)
			v[out++] = v[2 * i]; /* out <= i: writes behind the reads */
		i = j;
	}
	u->h = v;
	u->n = out;
	return 0;
}

/* The names children are known by (thin_bound, name_pairs): the commonest given name of the records of two or more
 * identified children (records sharing a valid NHS number, or UPN if more records hold one), sorted hashes.
 * Returns -1 when out of memory. */
static int build_main_names(const struct linkage_rec *recs, size_t n, struct name_use *u)
{
	size_t held[2] = {0, 0};
	u->h = NULL;
	u->n = 0;
	for (size_t i = 0; i < n; i++) {
		held[0] += recs[i].nhs_state == LINKAGE_ID_VALID;
		held[1] += recs[i].upn_state == LINKAGE_ID_VALID;
	}
	int kind = held[1] > held[0];
	if (!held[kind])
		return 0;
	struct idrec *v = malloc(held[kind] * sizeof *v);
	uint64_t *mains = malloc(held[kind] * sizeof *mains);
	size_t nv = 0, nm = 0;
	if (!v || !mains) {
		free(v);
		free(mains);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		const char *id = kind ? recs[i].upn : recs[i].nhs;
		if ((kind ? recs[i].upn_state : recs[i].nhs_state) == LINKAGE_ID_VALID)
			v[nv++] = (struct idrec){linkage_hash64(id, strlen(id), LINKAGE_FNV64), (uint32_t)i};
	}
	qsort(v, nv, sizeof *v, cmp_idrec);
	for (size_t lo = 0; lo < nv;) {
		size_t hi = lo;
		while (hi < nv && v[hi].h == v[lo].h)
			hi++;
		uint64_t name[16];
		uint32_t cnt[16];
		unsigned nn = 0;
		for (size_t i = lo; i < hi; i++) {
			const struct linkage_rec *r = &recs[v[i].rec];
			if (!r->given_len)
				continue;
			unsigned j = 0;
			while (j < nn && name[j] != r->given_h)
				j++;
			if (j < nn)
				cnt[j]++;
			else if (nn < 16) {
				name[nn] = r->given_h;
				cnt[nn++] = 1;
			}
		}
		unsigned best = 0;
		for (unsigned j = 1; j < nn; j++)
			if (cnt[j] > cnt[best])
				best = j;
		if (nn)
			mains[nm++] = name[best];
		lo = hi;
	}
	free(v);
	qsort(mains, nm, sizeof *mains, cmp_u64);
	size_t out = 0;
	for (size_t i = 0; i < nm;) {
		size_t j = i;
		while (j < nm && mains[j] == mains[i])
			j++;
		if (j - i >= 2)
			mains[out++] = mains[i];
		i = j;
	}
	u->h = mains;
	u->n = out;
	return 0;
}

/* The names in use (build_name_use) and, with thin_bound, the names children are known by (build_main_names)
 * read the records alone: with two threads or more they are made on a thread of their own while blocking
 * and comparing run, and taken (names_join) where they are first needed. They were 0.3 s of c 1M's
 * calling thread between the pools. */
struct names_job {
	const struct linkage_rec *recs;
	size_t n;
	bool mains_wanted;
	struct name_use use, mains;
	int rc;
	pthread_t tid;
	bool started;
};

static void *names_make(void *arg)
{
	struct names_job *j = arg;
	j->rc = build_name_use(j->recs, j->n, &j->use);
	if (j->rc == 0 && j->mains_wanted)
		j->rc = build_main_names(j->recs, j->n, &j->mains);
	/* made before blocking's peak: the arrays (room for every record) cut to what they hold */
	struct name_use *u[2] = {&j->use, &j->mains};
	for (int k = 0; k < 2 && j->rc == 0; k++)
		if (u[k]->h) {
			uint64_t *h = realloc(u[k]->h, (u[k]->n ? u[k]->n : 1) * sizeof *h);
			if (h)
				u[k]->h = h;
		}
	return NULL;
}

static int names_join(struct names_job *j)
{
	if (j->started) {
		pthread_join(j->tid, NULL);
		j->started = false;
	} else if (j->rc == 1) {
		names_make(j);
	}
	return j->rc;
}

int linkage_dedupe(const struct linkage_rec *recs, size_t n, struct linkage_model *model,
		   const struct linkage_opts *o, struct linkage_result *res)
{
	struct pairvec pairs = {0};
	struct name_use use = {0};
	struct name_pairs npairs = {0};
	struct names_job names = {.recs = recs, .n = n,
				  .mains_wanted = (model->refuse & (LINKAGE_REFUSE_THIN_BOUND | LINKAGE_REFUSE_NAME_PAIRS |
							    LINKAGE_REFUSE_SPELT_PIECE)) != 0,
				  .rc = 1};
	struct scored **outs = NULL, *all = NULL;
	size_t *nouts = NULL, nch = 0;
	uint64_t *reviews = NULL;
	unsigned threads = o->threads ? o->threads : 1;
	memset(res, 0, sizeof *res);
	if (n >= UINT32_MAX)
		return -1;
	res->cluster = malloc((n ? n : 1) * sizeof *res->cluster);
	res->probability = calloc(n ? n : 1, sizeof *res->probability);
	if (!res->cluster || !res->probability)
		goto fail;
	if (o->progress)
		o->progress("block", 0, 1, o->progress_ctx);
	if (threads > 1 && !o->train_only && pthread_create(&names.tid, NULL, names_make, &names) == 0)
		names.started = true;
	if (block_and_compare(recs, n, o, threads, &pairs, res) != 0)
		goto fail;
	res->candidate_pairs = pairs.n;
	if (o->train) {
		if (o->progress)
			o->progress("train", 0, 1, o->progress_ctx);
		if (train(recs, n, &pairs, model, o, threads) != 0)
			goto fail;
		if (o->train_only) {
			pv_free(&pairs);
			free(use.h);
			free(res->cluster);
			free(res->probability);
			res->cluster = NULL;
			res->probability = NULL;
			return 0;
		}
	}
	/* Twins and one child's name splits, measured on this input with this model (twins_conflict). */
	if (names_join(&names) != 0)
		goto fail;
	use = names.use;
	names.use.h = NULL;
	if (estimate_twin_rate(recs, n, &pairs, &use, model, &npairs) != 0)
		goto fail;
	if (o->progress)
		o->progress("score", 0, 1, o->progress_ctx);
	nch = (pairs.n + CHUNK_SCORE - 1) / CHUNK_SCORE;
	outs = calloc(nch ? nch : 1, sizeof *outs);
	nouts = calloc(nch ? nch : 1, sizeof *nouts);
	reviews = calloc(nch ? nch : 1, sizeof *reviews);
	if (!outs || !nouts || !reviews)
		goto fail;
	struct score_job sj = {.recs = recs, .m = model, .pairs = pairs.v, .gam = pairs.gam.g, .n = pairs.n, .out = outs, .nout = nouts, .reviews = reviews,
			       .use = &use, .mains = &names.mains, .npairs = &npairs};
	linkage_weight_table(model, sj.tbl);
	sj.prior = linkage_prior_weight(model);
	sj.link_w = log2(model->link_threshold / (1.0 - model->link_threshold));
	sj.review_w = log2(model->review_threshold / (1.0 - model->review_threshold));
	/* Cannot-link edges matter only between records that something might join: keep those with
	 * probability at least 1 in 1000. */
	sj.keep_weight = -10.0;
	pool_run(threads, nch, score_chunk, &sj, o, "score");
	size_t ns = 0;
	for (size_t c = 0; c < nch; c++) {
		if (!outs[c])
			goto fail;
		ns += nouts[c];
		res->reviews += reviews[c];
	}
	if (!o->keep_pairs) /* clustering needs the accepted links alone: the candidate pairs go first */
		pv_free(&pairs);
	all = malloc((ns ? ns : 1) * sizeof *all);
	if (!all)
		goto fail;
	ns = 0;
	for (size_t c = 0; c < nch; c++) {
		memcpy(all + ns, outs[c], nouts[c] * sizeof *all);
		ns += nouts[c];
		free(outs[c]);
		outs[c] = NULL;
	}
	if (o->progress)
		o->progress("cluster", 0, 1, o->progress_ctx);
	struct name_use mains = names.mains;
	names.mains.h = NULL;
	if (cluster(recs, n, model, &use, &mains, &npairs, all, ns, o, threads, res) != 0) {
		free(mains.h);
		goto fail;
	}
	free(mains.h);
	free(npairs.v);
	npairs.v = NULL;
	if (o->keep_pairs) {
		res->pairs = malloc((pairs.n ? pairs.n : 1) * sizeof *res->pairs);
		if (!res->pairs)
			goto fail;
		for (size_t i = 0; i < pairs.n; i++)
			res->pairs[i] = pv_pair(&pairs, i);
		res->npairs = pairs.n;
	}
	pv_free(&pairs);
	free(use.h);
	free(all);
	free(outs);
	free(nouts);
	free(reviews);
	return 0;
fail:
	if (names.started)
		pthread_join(names.tid, NULL);
	free(names.use.h);
	free(names.mains.h);
	free(use.h);
	free(npairs.v);
	for (size_t c = 0; outs && c < nch; c++)
		free(outs[c]);
	free(outs);
	free(nouts);
	free(reviews);
	free(all);
	pv_free(&pairs);
	linkage_result_free(res);
	return -1;
}
