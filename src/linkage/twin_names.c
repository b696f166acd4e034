/*
 * linkage/twin_names.c — a record whose given name is its twin's, read after clustering (`twin_names`).
 *
 * Twins share the family name, the home and the birthday, so of a record's links to the two twins' records
 * only the given name says which child it is; the rest of the weight is the family's. Clustering takes a
 * record's links by weight, and a twin's record that reaches the other twin's component first (a link by the
 * family's address, a family name written as the household's head's, a pair whose weights tie) stays there:
 * "Amelia Greenbottom" (housing, the head's family name) in her twin Ameli's cluster while Amelia's own
 * records, under her own name, form a cluster beside it (style d at a million: 24 of 58 twin clusters joined
 * by a spelling of the other twin's name, docs/BENCHMARKS.md "Round 30c").
 *
 * So, once the clusters are made, the twins' clusters are found and read by the names their identified records
 * give them. Two clusters are twins when each holds a valid identifier of one scheme, different (two
 * children), the first identified record of each was born on one day, and among the first few records of each
 * two share a family name's sound, a postcode or an address (twins' records may carry different family names, a
 * new one or the household head's, not different homes and family names at once); each twin's
 * name is the commonest given name (as written) of its records that hold its identifier. Between twins whose
 * names differ and are related (Ameli and Amelia: unrelated names the `names` rule keeps apart), the input
 * says how often a record of one twin, identified by its number, is written with the other twin's name exactly
 * (e of them) against its own name exactly (o): the ratio (o + 1/2) / (e + 1/2) is the likelihood ratio that a
 * record written with B's name exactly is B's rather than A's (P(own name | own child) over P(the twin's name
 * | the other child), both read on the identified records of every twin pair). Then, in a cluster A, the
 * records of B's name as written that are not A's name, a minority of A's named records and without a valid
 * identifier (a number says whose record it is; an NHS number written from another child is wrong_id's) leave
 * A: they join B when the ratio reaches the link threshold's odds (as a pair must to link), and are held apart
 * (a cluster of their own, for review) otherwise, where the ratio is above 1. Twins given one name (Muhammad
 * and Muhammad) are not read: the name does not say which. No constant of our own: the rate is the input's,
 * the odds the model's link threshold. Measured: docs/BENCHMARKS.md, "Round 30c".
 *
 * Batch only, after clustering (linkage_dedupe): the service links one record at a time against its store.
 */
#include <stdlib.h>
#include <string.h>

#include "lib/rng.h"
#include "linkage/linkage_int.h"

/* A cluster larger than this is not read (its records are counted name by name, k squared): no child has so
 * many records in a set of our size, and the cost stays bounded. */
#define TN_CLUSTER_MAX 512
/* The records of a cluster whose family names, postcodes and addresses key it as a family's. */
#define TN_FAMILY_TRIES 8

static bool same_given(const struct linkage_rec *p, const struct linkage_rec *q)
{
	return p->given_len && p->given_h == q->given_h && p->given_len == q->given_len &&
	       memcmp(p->given, q->given, p->given_len) == 0;
}

struct tkey {
	uint64_t key;
	uint32_t c;
};

static int cmp_tkey(const void *x, const void *y)
{
	const struct tkey *a = x, *b = y;
	if (a->key != b->key)
		return a->key < b->key ? -1 : 1;
	return (a->c > b->c) - (a->c < b->c);
}

/* keys into cmp_tkey's order: dealt into 2^b buckets by their top bits (the keys are hashes, spread evenly), each
 * bucket (a few keys) then sorted by insertion. A million records give about two million keys, and glibc's qsort
 * with a comparator took a third of a second of the clustering thread (docs/BENCHMARKS.md, "Round 30c"); this is
 * linear. Hand-written as wrong_ids.c's sort_wid is: no well-kept C library sorts on a key without a comparator.
 * *v is replaced by the sorted copy. 0, or -1 when out of memory (*v unchanged). */
static int sort_keys(struct tkey **v, size_t n)
{
	unsigned b = 1;
	while (b < 30 && ((size_t)1 << b) < n)
		b++;
	size_t nb = (size_t)1 << b;
	size_t *cnt = calloc(nb + 1, sizeof *cnt);
	struct tkey *out = malloc((n ? n : 1) * sizeof *out);
	if (!cnt || !out) {
		free(cnt);
		free(out);
		return -1;
	}
	struct tkey *in = *v;
	for (size_t i = 0; i < n; i++)
		cnt[(in[i].key >> (64 - b)) + 1]++;
	for (size_t d = 0; d < nb; d++)
		cnt[d + 1] += cnt[d];
	for (size_t i = 0; i < n; i++)
		out[cnt[in[i].key >> (64 - b)]++] = in[i];
	/* cnt[d] is now the end of bucket d: sort each by insertion */
	for (size_t d = 0, lo = 0; d < nb; lo = cnt[d++])
		for (size_t i = lo + 1; i < cnt[d]; i++) {
			struct tkey x = out[i];
			size_t j = i;
			for (; j > lo && cmp_tkey(&out[j - 1], &x) > 0; j--)
				out[j] = out[j - 1];
			out[j] = x;
		}
	free(cnt);
	free(in);
	*v = out;
	return 0;
}

static bool holds_id(const struct linkage_rec *r)
{
	return r->nhs_state == LINKAGE_ID_VALID || r->upn_state == LINKAGE_ID_VALID;
}

/* Whether clusters a and b (nhs, upn: a record of each holding a valid one, or -1) hold two children: valid identifiers of one
 * scheme, different. */
static bool two_children(const struct linkage_rec *r, const int32_t *nhs, const int32_t *upn, uint32_t a, uint32_t b)
{
	return (nhs[a] >= 0 && nhs[b] >= 0 && strcmp(r[nhs[a]].nhs, r[nhs[b]].nhs) != 0) ||
	       (upn[a] >= 0 && upn[b] >= 0 && strcmp(r[upn[a]].upn, r[upn[b]].upn) != 0);
}

/* Whether clusters a and b, of one birthday and family (the caller's keys), are twins whose names say which is
 * which: two children (two_children), their names (main) different and related. */
static bool twins_named(const struct linkage_rec *r, const int32_t *nhs, const int32_t *upn, const int32_t *main,
			uint32_t a, uint32_t b)
{
	const struct linkage_rec *xa = &r[main[a]], *xb = &r[main[b]];
	return two_children(r, nhs, upn, a, b) && !same_given(xa, xb) && linkage_cmp_given_names(xa, xb) != LN_ELSE;
}

struct tpair {
	uint32_t a, b;
};

static int cmp_tpair(const void *x, const void *y)
{
	const struct tpair *p = x, *q = y;
	if (p->a != q->a)
		return p->a < q->a ? -1 : 1;
	return (p->b > q->b) - (p->b < q->b);
}

/* The records of cluster c (mem[off[c]..off[c+1])) that hold its identifier and are written with name x
 * exactly: *same; with name y exactly: *other. */
static void count_names(const struct linkage_rec *r, const uint32_t *off, const uint32_t *mem, uint32_t c,
			const struct linkage_rec *x, const struct linkage_rec *y, uint64_t *same, uint64_t *other)
{
	for (uint32_t k = off[c]; k < off[c + 1]; k++) {
		const struct linkage_rec *q = &r[mem[k]];
		if (!holds_id(q))
			continue;
		*same += same_given(q, x);
		*other += same_given(q, y);
	}
}

/* The six arrays of a cluster's identifiers and name, one a cluster, needed only until the twins are keyed: freed
 * then (at a million records 22 MB fewer held while the pairs are built) or on the way out, whichever comes first,
 * by the one list below. */
struct tn_scratch {
	uint64_t *hv;                 /* the candidate name's hash, then the cluster's birthday */
	uint32_t *votes, *agree, *nid; /* Boyer and Moore's vote, then the count of the name against the identified */
	uint8_t *hl, *seen;           /* the candidate name's length; the records read for the family's keys */
};

static bool scratch_alloc(struct tn_scratch *s, size_t n)
{
	size_t k = n ? n : 1;
	s->hv = malloc(k * sizeof *s->hv);
	s->votes = calloc(k, sizeof *s->votes);
	s->agree = calloc(k, sizeof *s->agree);
	s->nid = calloc(k, sizeof *s->nid);
	s->hl = calloc(k, 1);
	s->seen = calloc(k, 1);
	return s->hv && s->votes && s->agree && s->nid && s->hl && s->seen;
}

/* Frees what scratch_alloc allocated; again, nothing. */
static void scratch_free(struct tn_scratch *s)
{
	free(s->hv);
	free(s->votes);
	free(s->agree);
	free(s->nid);
	free(s->hl);
	free(s->seen);
	memset(s, 0, sizeof *s);
}

size_t linkage_twin_names(const struct linkage_rec *recs, size_t n, const struct linkage_model *m,
			  uint32_t *cluster, float *probability, uint64_t *clusters, struct linkage_twin_names *st)
{
	struct tn_scratch sc = {0};
	uint32_t *off = calloc(n + 2, sizeof *off), *mem = malloc((n ? n : 1) * sizeof *mem);
	int32_t *nhs = malloc((n ? n : 1) * sizeof *nhs), *upn = malloc((n ? n : 1) * sizeof *upn),
		*main = malloc((n ? n : 1) * sizeof *main);
	uint32_t *to = malloc((n ? n : 1) * sizeof *to);
	struct tkey *keys = NULL;
	struct tpair *tp = NULL;
	size_t moved = 0, nk = 0;
	struct linkage_twin_names z;
	memset(&z, 0, sizeof z);
	if (!off || !mem || !nhs || !upn || !main || !to)
		goto out;
	/* each cluster's records, in record order */
	for (size_t i = 0; i < n; i++)
		off[cluster[i] + 1]++;
	for (size_t c = 0; c < n; c++)
		off[c + 1] += off[c];
	memcpy(to, off, n * sizeof *to);
	for (size_t i = 0; i < n; i++)
		mem[to[cluster[i]]++] = (uint32_t)i;
	/* Each cluster's identifiers and name, in record order (the records are read one after another, not cluster
	 * by cluster: at a million records, 384 MB of them, reading them by cluster was a cache and TLB miss a record
	 * and cost ~0.9 s of the clustering thread, docs/BENCHMARKS.md "Round 30c"). The first record holding a valid
	 * NHS number (nhs), UPN (upn), and the name most of the cluster's identified records carry (a majority, by
	 * Boyer and Moore's vote and a count: hv, hl the candidate's hash and length, votes, then agree of nid); a
	 * cluster with no majority name has none (main -1). */
	if (!scratch_alloc(&sc, n))
		goto out;
	uint64_t *hv = sc.hv;
	uint32_t *votes = sc.votes, *agree = sc.agree, *nid = sc.nid;
	uint8_t *hl = sc.hl, *seen = sc.seen;
	for (size_t c = 0; c < n; c++)
		nhs[c] = upn[c] = main[c] = -1;
	for (size_t i = 0; i < n; i++) {
		const struct linkage_rec *q = &recs[i];
		uint32_t c = cluster[i];
		if (nhs[c] < 0 && q->nhs_state == LINKAGE_ID_VALID)
			nhs[c] = (int32_t)i;
		if (upn[c] < 0 && q->upn_state == LINKAGE_ID_VALID)
			upn[c] = (int32_t)i;
		if (!holds_id(q) || !q->given_len)
			continue;
		if (votes[c] == 0) {
			hv[c] = q->given_h;
			hl[c] = q->given_len;
			main[c] = (int32_t)i;
			votes[c] = 1;
		} else if (hv[c] == q->given_h && hl[c] == q->given_len) {
			votes[c]++;
		} else {
			votes[c]--;
		}
	}
	for (size_t i = 0; i < n; i++) {
		const struct linkage_rec *q = &recs[i];
		uint32_t c = cluster[i];
		if (!holds_id(q) || !q->given_len || main[c] < 0)
			continue;
		nid[c]++;
		agree[c] += hv[c] == q->given_h && hl[c] == q->given_len;
	}
	nk = 0;
	for (size_t c = 0; c < n; c++) {
		if (main[c] >= 0 && (2 * agree[c] <= nid[c] || off[c + 1] - off[c] > TN_CLUSTER_MAX))
			main[c] = -1;
		nk += main[c] >= 0;
	}
	/* the twins: clusters of one birthday (their first identified record's) and one family (a family name's
	 * sound, a postcode or an address held by one of the first TN_FAMILY_TRIES records of each), keyed so */
	keys = malloc((nk ? nk : 1) * 3 * TN_FAMILY_TRIES * sizeof *keys);
	if (!keys)
		goto out;
	for (size_t c = 0; c < n; c++) {
		hv[c] = 0; /* reused: each cluster's birthday, 0 none */
		if (main[c] < 0)
			continue;
		const struct linkage_rec *q = &recs[nhs[c] >= 0 ? nhs[c] : upn[c]];
		if (q->dob_state == LINKAGE_DOB_VALID)
			hv[c] = (uint64_t)q->dob.y << 16 | (uint64_t)q->dob.m << 8 | (uint64_t)q->dob.d;
	}
	nk = 0;
	for (size_t i = 0; i < n; i++) {
		uint32_t c = cluster[i];
		if (!hv[c] || seen[c] >= TN_FAMILY_TRIES)
			continue;
		seen[c]++;
		const struct linkage_rec *x = &recs[i];
		uint64_t k3[3] = {x->family_phon[0] ? linkage_hash64(x->family_phon, strlen(x->family_phon), 1) : 0,
				  x->pc_state == LINKAGE_PC_VALID ? linkage_hash64(x->postcode, strlen(x->postcode), 2) : 0,
				  x->addr_hash};
		for (int t = 0; t < 3; t++)
			if (k3[t])
				keys[nk++] = (struct tkey){rng_mix64(k3[t] ^ rng_mix64(hv[c] + (uint64_t)t)), c};
	}
	scratch_free(&sc); /* no longer needed: freed before the pairs are built */
	if (sort_keys(&keys, nk) != 0)
		goto out;
	/* one entry a key and cluster */
	{
		size_t w = 0;
		for (size_t e = 0; e < nk; e++)
			if (!w || keys[e].key != keys[w - 1].key || keys[e].c != keys[w - 1].c)
				keys[w++] = keys[e];
		nk = w;
	}
	/* the pairs of clusters so keyed, once each, that are twins named apart */
	size_t np = 0, cap = 0;
	for (size_t lo = 0, hi; lo < nk; lo = hi) {
		for (hi = lo + 1; hi < nk && keys[hi].key == keys[lo].key; hi++)
			;
		for (size_t a = lo; a < hi; a++)
			for (size_t b = a + 1; b < hi; b++) {
				if (np == cap) {
					size_t nc = cap ? 2 * cap : 1024;
					struct tpair *t2 = realloc(tp, nc * sizeof *tp);
					if (!t2)
						goto out;
					tp = t2;
					cap = nc;
				}
				uint32_t ca = keys[a].c, cb = keys[b].c;
				tp[np++] = (struct tpair){ca < cb ? ca : cb, ca < cb ? cb : ca};
			}
	}
	if (np)
		qsort(tp, np, sizeof *tp, cmp_tpair);
	size_t nt = 0;
	for (size_t i2 = 0; i2 < np; i2++) {
		if (i2 && tp[i2].a == tp[i2 - 1].a && tp[i2].b == tp[i2 - 1].b)
			continue;
		if (twins_named(recs, nhs, upn, main, tp[i2].a, tp[i2].b))
			tp[nt++] = tp[i2];
	}
	/* first the rate: over every twin pair, each twin's identified records written with its own name and with
	 * its twin's */
	for (size_t i2 = 0; i2 < nt; i2++) {
		uint32_t ca = tp[i2].a, cb = tp[i2].b;
		const struct linkage_rec *xa = &recs[main[ca]], *xb = &recs[main[cb]];
		z.pairs++;
		count_names(recs, off, mem, ca, xa, xb, &z.own, &z.twins);
		count_names(recs, off, mem, cb, xb, xa, &z.own, &z.twins);
	}
	double lr = ((double)z.own + 0.5) / ((double)z.twins + 0.5), lt = m->link_threshold;
	double odds = lt > 0 && lt < 1 ? lt / (1.0 - lt) : 1.0;
	z.ratio = lr;
	/* then the records of a twin's name in the other twin's cluster */
	for (size_t i = 0; i < n; i++)
		to[i] = cluster[i];
	for (size_t i2 = 0; lr > 1 && i2 < 2 * nt; i2++) {
		uint32_t ca = i2 < nt ? tp[i2].a : tp[i2 - nt].b, cb = i2 < nt ? tp[i2].b : tp[i2 - nt].a;
		const struct linkage_rec *xb = &recs[main[cb]];
		/* A's records written with B's name: a minority of A's named records, none identified */
		size_t named = 0, g = 0;
		bool idd = false;
		for (uint32_t k = off[ca]; k < off[ca + 1]; k++) {
			const struct linkage_rec *q = &recs[mem[k]];
			named += q->given_len != 0;
			if (same_given(q, xb)) {
				g++;
				idd = idd || holds_id(q);
			}
		}
		if (!g || idd || 2 * g >= named)
			continue;
		bool join = lr >= odds;
		uint32_t first = UINT32_MAX;
		for (uint32_t k = off[ca]; k < off[ca + 1]; k++) {
			uint32_t r = mem[k];
			if (!same_given(&recs[r], xb) || to[r] != cluster[r])
				continue;
			if (first == UINT32_MAX)
				first = r;
			to[r] = join ? cb : first | 0x80000000u;
			if (!join && g == 1)
				probability[r] = 0;
			moved++;
			if (join)
				z.joined++;
			else
				z.held++;
		}
	}
	if (moved) {
		/* a cluster is named by its smallest record index: name them again */
		uint32_t *first = off, *held = mem; /* reused: each cluster's new name, and each held group's (by its
		                                      * first record); UINT32_MAX unseen */
		memset(first, 0xFF, (n + 1) * sizeof *first);
		memset(held, 0xFF, n * sizeof *held);
		uint64_t nc = 0;
		for (size_t i = 0; i < n; i++) {
			uint32_t *slot = (to[i] & 0x80000000u) ? &held[to[i] & 0x7FFFFFFFu] : &first[to[i]];
			if (*slot == UINT32_MAX) {
				*slot = (uint32_t)i;
				nc++;
			}
			cluster[i] = *slot;
		}
		if (clusters)
			*clusters = nc;
	}
out:
	if (st)
		*st = z;
	scratch_free(&sc);
	free(off);
	free(mem);
	free(nhs);
	free(upn);
	free(main);
	free(to);
	free(keys);
	free(tp);
	return moved;
}
