/*
 * linkage/model.c — the Fellegi-Sunter model: weights from m and u, scores with their explanation, term
 * frequencies of names, u from random pairs and m by expectation-maximisation.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lib/rng.h"
#include "linkage/linkage_int.h"

/* No probability is allowed to be 0 or 1: a level never seen in training still has finite weight. */
#define P_FLOOR 1e-6
/* u's own floor, as training keeps it (dedupe.c train) and as the model file and the weights per source
 * read it. u of a valid identifier's equal level is counted on every pair (id_u): about 2e-10 at a million
 * records. Floored at P_FLOOR here (until 2026-12-07) it weighed at most log2(1 / 1e-6) = 19.9 bits, while
 * the prior falls with the area (-17.8 bits at a million): pairs sharing a valid NHS number and a birthday,
 * names written otherwise, scored 5 bits (review) where the model file said 15 (docs/BENCHMARKS.md,
 * "Round 24"). */
#define U_FLOOR 1e-9

void linkage_model_defaults(struct linkage_model *m)
{
	/* Starting guesses: most of the mass of m on the strongest agreement, u flat. EM and the random pairs
	 * replace both when the model is trained. */
	memset(m, 0, sizeof *m);
	for (unsigned f = 0; f < LF_NFIELD; f++) {
		unsigned n = linkage_nlevels[f];
		for (unsigned l = 1; l < n; l++) {
			m->m[f][l] = l == 1 ? 0.9 : 0.1 / (double)(n - 2);
			m->u[f][l] = l == n - 1 ? 0.9 : 0.1 / (double)(n - 2);
		}
	}
	/* Both identifiers valid and different is the strongest sign of two children. */
	m->m[LF_NHS][LI_DIFF_VALID] = m->m[LF_UPN][LI_DIFF_VALID] = 0.001;
	m->lambda = 1e-4;
	m->link_threshold = 0.99;
	m->review_threshold = 0.5;
	m->tf_names = true;
	m->refuse = LINKAGE_REFUSE_DEFAULT;
}

void linkage_model_release(struct linkage_model *m)
{
	free(m->by_source);
	m->by_source = NULL;
	free(m->by_agency);
	m->by_agency = NULL;
}

static double clampp(double p)
{
	return p < P_FLOOR ? P_FLOOR : p > 1.0 - P_FLOOR ? 1.0 - P_FLOOR : p;
}

static double clampu(double p)
{
	return p < U_FLOOR ? U_FLOOR : p > 1.0 - P_FLOOR ? 1.0 - P_FLOOR : p;
}

static double level_weight(const struct linkage_model *m, unsigned f, unsigned l)
{
	if (l == LINKAGE_LEVEL_NULL || l >= linkage_nlevels[f])
		return 0.0;
	return log2(clampp(m->m[f][l]) / clampu(m->u[f][l]));
}

static double prior_weight(const struct linkage_model *m)
{
	double l = clampp(m->lambda);
	return log2(l / (1.0 - l));
}

double linkage_gamma_weight(const struct linkage_model *m, linkage_gamma g)
{
	double w = prior_weight(m);
	for (unsigned f = 0; f < LF_NFIELD; f++)
		w += level_weight(m, f, linkage_gamma_level(g, (enum linkage_field)f));
	return w;
}

/* Term-frequency adjustment (as Splink does it): agreeing exactly on a name that a share tf of records
 * carry is evidence log2(m_exact / tf) rather than log2(m_exact / u_exact), so "smith" counts for less
 * than "okonkwo". The adjusted weight is never below the plain variant level's (an exact common name still
 * beats a nickname) and never more than 8 bits above the plain exact weight. */
static double tf_weight(const struct linkage_model *m, const double (*tbl)[LINKAGE_MAX_LEVELS], int sp, unsigned f,
			double tf)
{
	const struct linkage_source_m *bs = sp >= 0 ? m->by_source : NULL;
	double plain = bs ? bs->w[sp][f][LN_EXACT] : tbl ? tbl[f][LN_EXACT] : level_weight(m, f, LN_EXACT);
	if (!m->tf_names || tf <= 0.0)
		return plain;
	if (tf < 1e-7)
		tf = 1e-7;
	double w = log2(clampp(bs ? bs->m[sp][f][LN_EXACT] : m->m[f][LN_EXACT]) / tf);
	double floor = bs ? bs->w[sp][f][LN_VARIANT] : tbl ? tbl[f][LN_VARIANT] : level_weight(m, f, LN_VARIANT);
	if (w < floor)
		w = floor;
	if (w > plain + 8.0)
		w = plain + 8.0;
	return w;
}

/* tf_weight through memo's entry for field f (NULL: none): the weight is a pure function of (sp, tf). */
static double tf_weight_memo(const struct linkage_model *m, const double (*tbl)[LINKAGE_MAX_LEVELS], int sp,
			     unsigned f, double tf, struct linkage_tf_memo *memo)
{
	if (!memo)
		return tf_weight(m, tbl, sp, f, tf);
	unsigned k = f == LF_FAMILY;
	if (!memo->ok[k] || memo->sp[k] != sp || memo->tf[k] != tf) {
		memo->w[k] = tf_weight(m, tbl, sp, f, tf);
		memo->sp[k] = sp;
		memo->tf[k] = tf;
		memo->ok[k] = true;
	}
	return memo->w[k];
}

static double contributions(const struct linkage_model *m, const double (*tbl)[LINKAGE_MAX_LEVELS], double prior,
			    struct linkage_tf_memo *memo, const struct linkage_rec *a, const struct linkage_rec *b,
			    linkage_gamma g, double *out)
{
	double w = prior;
	int sp = m->by_source ? (int)linkage_source_pair(a->source, b->source) : -1;
	if (sp >= 0 && !m->by_source->own[sp])
		sp = -1;
	/* Names compared crosswise: the given name's frequency goes with the family name it met, and the
	 * reverse. */
	bool crossed = (g & LINKAGE_GAMMA_CROSSED) != 0;
	for (unsigned f = 0; f < LF_NFIELD; f++) {
		unsigned l = linkage_gamma_level(g, (enum linkage_field)f);
		double c;
		if (f == LF_GIVEN && l == LN_EXACT)
			c = tf_weight_memo(m, tbl, sp, f,
					   a->tf_given > (crossed ? b->tf_family : b->tf_given) ? a->tf_given
											       : (crossed ? b->tf_family : b->tf_given),
					   memo);
		else if (f == LF_FAMILY && l == LN_EXACT)
			c = tf_weight_memo(m, tbl, sp, f,
					   a->tf_family > (crossed ? b->tf_given : b->tf_family) ? a->tf_family
											       : (crossed ? b->tf_given : b->tf_family),
					   memo);
		else if (l == LINKAGE_LEVEL_NULL || l >= linkage_nlevels[f])
			c = 0.0;
		else if (sp >= 0)
			c = m->by_source->w[sp][f][l];
		else
			c = tbl ? tbl[f][l] : level_weight(m, f, l);
		if (out)
			out[f] = c;
		w += c;
	}
	return w;
}

static double probability(double w)
{
	if (w > 60)
		return 1.0;
	if (w < -60)
		return 0.0;
	double x = exp2(w);
	return x / (1.0 + x);
}

void linkage_score(const struct linkage_model *m, const struct linkage_rec *a, const struct linkage_rec *b,
		   struct linkage_score *out)
{
	memset(out, 0, sizeof *out);
	out->gamma = linkage_compare(a, b);
	out->prior = prior_weight(m);
	out->weight = contributions(m, NULL, out->prior, NULL, a, b, out->gamma, out->contribution);
	out->probability = probability(out->weight);
	out->names_crossed = (out->gamma & LINKAGE_GAMMA_CROSSED) != 0;
	out->cannot_link = linkage_cannot_link_with(out->gamma, m->refuse, &out->cannot_link_hard);
	if (!out->cannot_link && linkage_transposed_twins(m->refuse, a, b, out->gamma)) {
		out->cannot_link = "twins";
		out->cannot_link_hard = true;
	}
	if (out->cannot_link)
		out->decision = LINKAGE_DISTINCT;
	else if (out->probability >= m->link_threshold)
		out->decision = LINKAGE_LINK;
	else if (out->probability >= m->review_threshold)
		out->decision = LINKAGE_REVIEW;
	else
		out->decision = LINKAGE_DISTINCT;
}

double linkage_pair_weight(const struct linkage_model *m, const struct linkage_rec *recs, const struct linkage_pair *p)
{
	return contributions(m, NULL, prior_weight(m), NULL, &recs[p->a], &recs[p->b],
			     p->gamma & (LINKAGE_GAMMA_MASK | LINKAGE_GAMMA_CROSSED), NULL);
}

void linkage_weight_table(const struct linkage_model *m, double tbl[LF_NFIELD][LINKAGE_MAX_LEVELS])
{
	for (unsigned f = 0; f < LF_NFIELD; f++)
		for (unsigned l = 0; l < LINKAGE_MAX_LEVELS; l++)
			tbl[f][l] = level_weight(m, f, l);
}

double linkage_pair_weight_tbl(const struct linkage_model *m, const double (*tbl)[LINKAGE_MAX_LEVELS], double prior,
			       struct linkage_tf_memo *memo, const struct linkage_rec *recs, const struct linkage_pair *p)
{
	return contributions(m, tbl, prior, memo, &recs[p->a], &recs[p->b],
			     p->gamma & (LINKAGE_GAMMA_MASK | LINKAGE_GAMMA_CROSSED), NULL);
}

double linkage_prior_weight(const struct linkage_model *m)
{
	return prior_weight(m);
}

/* ---- term frequencies: an open-addressed table of (field, folded name) -> count ---- */

struct tf_entry {
	uint64_t hash; /* 0: empty */
	uint32_t count;
	uint8_t field;
	float freq;
	char name[LINKAGE_NAME_MAX];
};

struct linkage_tf {
	struct tf_entry *e;
	size_t cap, used;
	uint64_t total[LF_NFIELD];
};

static uint64_t tf_hash(unsigned f, const char *s)
{
	uint64_t h = linkage_hash64(s, strlen(s), LINKAGE_FNV64 ^ (uint64_t)(f + 1) * 0x9e3779b97f4a7c15ULL);
	return h ? h : 1;
}

static struct tf_entry *tf_slot(struct linkage_tf *t, unsigned f, const char *s, bool insert)
{
	uint64_t h = tf_hash(f, s);
	if (insert && (t->used + 1) * 2 > t->cap) {
		size_t ncap = t->cap ? t->cap * 2 : 1024;
		struct tf_entry *ne = calloc(ncap, sizeof *ne);
		if (!ne)
			return NULL;
		for (size_t i = 0; i < t->cap; i++) {
			if (!t->e[i].hash)
				continue;
			size_t k = t->e[i].hash & (ncap - 1);
			while (ne[k].hash)
				k = (k + 1) & (ncap - 1);
			ne[k] = t->e[i];
		}
		free(t->e);
		t->e = ne;
		t->cap = ncap;
	}
	if (!t->cap)
		return NULL;
	size_t k = h & (t->cap - 1);
	while (t->e[k].hash) {
		if (t->e[k].hash == h && t->e[k].field == f && strcmp(t->e[k].name, s) == 0)
			return &t->e[k];
		k = (k + 1) & (t->cap - 1);
	}
	if (!insert)
		return NULL;
	t->e[k].hash = h;
	t->e[k].field = (uint8_t)f;
	t->e[k].count = 0;
	t->e[k].freq = 0;
	strncpy(t->e[k].name, s, LINKAGE_NAME_MAX - 1);
	t->e[k].name[LINKAGE_NAME_MAX - 1] = '\0';
	t->used++;
	return &t->e[k];
}

struct linkage_tf *linkage_tf_new(void)
{
	return calloc(1, sizeof(struct linkage_tf));
}

void linkage_tf_free(struct linkage_tf *t)
{
	if (!t)
		return;
	free(t->e);
	free(t);
}

struct linkage_tf *linkage_tf_build(const struct linkage_rec *recs, size_t n)
{
	struct linkage_tf *t = linkage_tf_new();
	if (!t)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		const char *v[2] = {recs[i].given, recs[i].family_flat};
		unsigned f[2] = {LF_GIVEN, LF_FAMILY};
		for (int k = 0; k < 2; k++) {
			if (!v[k][0])
				continue;
			struct tf_entry *e = tf_slot(t, f[k], v[k], true);
			if (!e) {
				linkage_tf_free(t);
				return NULL;
			}
			e->count++;
			t->total[f[k]]++;
		}
	}
	for (size_t i = 0; i < t->cap; i++)
		if (t->e[i].hash)
			t->e[i].freq = (float)((double)t->e[i].count / (double)t->total[t->e[i].field]);
	return t;
}

int linkage_tf_add(struct linkage_tf *t, enum linkage_field f, const char *folded, double freq)
{
	if (!t || (f != LF_GIVEN && f != LF_FAMILY) || !folded || !folded[0] || !(freq > 0.0 && freq <= 1.0))
		return -1;
	struct tf_entry *e = tf_slot(t, f, folded, true);
	if (!e)
		return -1;
	e->freq = (float)freq;
	e->count = 1;
	return 0;
}

double linkage_tf_lookup(const struct linkage_tf *t, enum linkage_field f, const char *folded)
{
	if (!t || !folded || !folded[0])
		return 0.0;
	struct tf_entry *e = tf_slot((struct linkage_tf *)t, f, folded, false);
	return e ? e->freq : 0.0;
}

void linkage_tf_apply(const struct linkage_tf *t, struct linkage_rec *recs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		recs[i].tf_given = (float)linkage_tf_lookup(t, LF_GIVEN, recs[i].given);
		recs[i].tf_family = (float)linkage_tf_lookup(t, LF_FAMILY, recs[i].family_flat);
		recs[i].given_as_family = recs[i].given[0] &&
					  linkage_tf_lookup(t, LF_FAMILY, recs[i].given) > (double)recs[i].tf_given;
		recs[i].family_as_given = recs[i].family_flat[0] &&
					  linkage_tf_lookup(t, LF_GIVEN, recs[i].family_flat) > (double)recs[i].tf_family;
	}
}

static int cmp_entry_name(const void *x, const void *y)
{
	const struct tf_entry *a = *(const struct tf_entry *const *)x, *b = *(const struct tf_entry *const *)y;
	return strcmp(a->name, b->name);
}

int linkage_tf_each(const struct linkage_tf *t, enum linkage_field f, unsigned min_count,
		    int (*fn)(const char *name, double freq, void *ctx), void *ctx)
{
	if (!t || !t->used)
		return 0;
	const struct tf_entry **v = malloc(t->used * sizeof *v);
	size_t k = 0;
	int rc = 0;
	if (!v)
		return -1;
	for (size_t i = 0; i < t->cap; i++)
		if (t->e[i].hash && t->e[i].field == f && t->e[i].count >= min_count)
			v[k++] = &t->e[i];
	qsort(v, k, sizeof *v, cmp_entry_name); /* a stable order for files people diff */
	for (size_t i = 0; i < k && rc == 0; i++)
		rc = fn(v[i]->name, v[i]->freq, ctx);
	free(v);
	return rc;
}

/* ---- u from random pairs ---- */

/* A level never met among the random pairs gets half a pair's worth, so its weight is large but finite. */
void linkage_u_from_counts(uint64_t counts[LF_NFIELD][LINKAGE_MAX_LEVELS], struct linkage_model *m)
{
	for (unsigned f = 0; f < LF_NFIELD; f++) {
		uint64_t total = 0;
		for (unsigned l = 1; l < linkage_nlevels[f]; l++)
			total += counts[f][l];
		if (total == 0)
			continue;
		for (unsigned l = 1; l < linkage_nlevels[f]; l++)
			m->u[f][l] = ((double)counts[f][l] + (counts[f][l] ? 0.0 : 0.5)) / (double)total;
	}
}



void linkage_estimate_u(const struct linkage_rec *recs, size_t n, uint64_t npairs, uint64_t seed,
			struct linkage_model *model)
{
	uint64_t counts[LF_NFIELD][LINKAGE_MAX_LEVELS];
	memset(counts, 0, sizeof counts);
	if (n < 2)
		return;
	struct rng r;
	rng_seed(&r, seed ^ 0x75a5ULL);
	for (uint64_t k = 0; k < npairs; k++) {
		size_t i = (size_t)(rng_next(&r) % n), j = (size_t)(rng_next(&r) % (n - 1));
		if (j >= i)
			j++;
		linkage_gamma g = linkage_compare(&recs[i], &recs[j]);
		for (unsigned f = 0; f < LF_NFIELD; f++)
			counts[f][linkage_gamma_level(g, (enum linkage_field)f)]++;
	}
	linkage_u_from_counts(counts, model);
}

/* ---- m by expectation-maximisation ---- */

unsigned linkage_em(const linkage_gamma *gammas, const uint64_t *counts, size_t n, unsigned fields_fixed,
		    struct linkage_model *model, double *lambda_out)
{
	return linkage_em_run(gammas, counts, n, fields_fixed, 200, 0.3, model, lambda_out);
}

unsigned linkage_em_run(const linkage_gamma *gammas, const uint64_t *counts, size_t n, unsigned fields_fixed,
			unsigned max_iter, double lambda, struct linkage_model *model, double *lambda_out)
{
	return linkage_em_labelled(gammas, counts, n, NULL, 0, fields_fixed, max_iter, lambda, model, lambda_out);
}

unsigned linkage_em_labelled(const linkage_gamma *gammas, const uint64_t *counts, size_t n,
			     const struct linkage_label *labels, size_t nlabels, unsigned fields_fixed, unsigned max_iter,
			     double lambda, struct linkage_model *model, double *lambda_out)
{
	double m[LF_NFIELD][LINKAGE_MAX_LEVELS];
	unsigned it;
	memcpy(m, model->m, sizeof m);
	for (it = 0; it < max_iter; it++) {
		double acc[LF_NFIELD][LINKAGE_MAX_LEVELS], post_total = 0, total = 0;
		memset(acc, 0, sizeof acc);
		for (size_t k = 0; k < n; k++) {
			double pm = lambda, pu = 1.0 - lambda;
			for (unsigned f = 0; f < LF_NFIELD; f++) {
				unsigned l = linkage_gamma_level(gammas[k], (enum linkage_field)f);
				if (l == LINKAGE_LEVEL_NULL || (fields_fixed & (1u << f)) || l >= linkage_nlevels[f])
					continue;
				pm *= clampp(m[f][l]);
				pu *= clampp(model->u[f][l]);
			}
			double post = pm / (pm + pu), c = (double)counts[k];
			post_total += post * c;
			total += c;
			for (unsigned f = 0; f < LF_NFIELD; f++) {
				unsigned l = linkage_gamma_level(gammas[k], (enum linkage_field)f);
				if (l != LINKAGE_LEVEL_NULL && l < linkage_nlevels[f])
					acc[f][l] += post * c;
			}
		}
		/* People's decisions: responsibility fixed at 1 (same) or 0 (different), whatever the model says. */
		for (size_t k = 0; k < nlabels; k++)
			for (unsigned f = 0; f < LF_NFIELD && labels[k].same; f++) {
				unsigned l = linkage_gamma_level(labels[k].gamma, (enum linkage_field)f);
				if (l != LINKAGE_LEVEL_NULL && l < linkage_nlevels[f])
					acc[f][l] += 1.0;
			}
		if (total == 0)
			break;
		double delta = fabs(post_total / total - lambda);
		lambda = post_total / total;
		for (unsigned f = 0; f < LF_NFIELD; f++) {
			if (fields_fixed & (1u << f))
				continue;
			double s = 0;
			for (unsigned l = 1; l < linkage_nlevels[f]; l++)
				s += acc[f][l];
			if (s <= 0)
				continue;
			for (unsigned l = 1; l < linkage_nlevels[f]; l++) {
				double v = acc[f][l] / s;
				if (fabs(v - m[f][l]) > delta)
					delta = fabs(v - m[f][l]);
				m[f][l] = v;
			}
		}
		if (delta < 1e-6) {
			it++;
			break;
		}
	}
	for (unsigned f = 0; f < LF_NFIELD; f++)
		if (!(fields_fixed & (1u << f)))
			memcpy(model->m[f], m[f], sizeof m[f]);
	if (lambda_out)
		*lambda_out = lambda;
	return it;
}
