/*
 * service/linktrain.c — the service's own linkage model (contract in linktrain.h): training from the
 * store, checking and correcting on reviewed pairs, storing, and installing into intake.
 */
#include "service/linktrain.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock/now.h"
#include "linkage/linkage.h"
#include "service/identity.h"
#include "service/service_int.h"
#include "service/txq.h"

/* Names seen fewer times than this are left out of the stored frequencies (the exact level's u serves). */
#define TF_MIN_COUNT 2
#define MODEL_FORMAT "safeguard-service-linkage-model/1"

/* ---- the model as text ---- */

static int tf_put(const char *name, double freq, void *ctx)
{
	return json_object_set_new(ctx, name, json_real(freq));
}

/* The text keeps 12 significant digits: a prior or a threshold within 5e-13 of 1 would be stored as 1, which
 * linktrain_model_parse refuses (intake would then score with the built-in model), so such a value is stored as the
 * largest 12-digit value below 1 (found by fuzz/fuzz_models). */
static double under_one(double p)
{
	return p > 0.999999999999 ? 0.999999999999 : p;
}

char *linktrain_model_text(const struct linkage_model *m, const struct linkage_tf *tf)
{
	json_t *root = json_object(), *mo = json_object(), *uo = json_object(), *g = json_object(), *fam = json_object();
	char *out = NULL;
	if (!root || !mo || !uo || !g || !fam)
		goto done;
	for (unsigned f = 0; f < LF_NFIELD; f++) {
		json_t *ma = json_array(), *ua = json_array();
		if (json_object_set_new(mo, linkage_field_name[f], ma) != 0 ||
		    json_object_set_new(uo, linkage_field_name[f], ua) != 0)
			goto done;
		for (unsigned l = 0; l < linkage_nlevels[f]; l++)
			if (json_array_append_new(ma, json_real(l ? m->m[f][l] : 0)) != 0 ||
			    json_array_append_new(ua, json_real(l ? m->u[f][l] : 0)) != 0)
				goto done;
	}
	if (m->by_agency) {
		json_t *ag = json_object();
		if (json_object_set_new(root, "m_by_agency", ag) != 0)
			goto done;
		for (unsigned a = 1; a <= LINKAGE_MAX_SOURCES; a++) {
			if (!m->by_agency->own[a] || !m->by_agency->name[a][0])
				continue;
			json_t *one = json_object(), *am = json_object();
			if (json_object_set_new(ag, m->by_agency->name[a], one) != 0 ||
			    json_object_set_new(one, "m", am) != 0 ||
			    json_object_set_new(one, "matches", json_real(m->by_agency->matches[a])) != 0)
				goto done;
			for (unsigned f = 0; f < LF_NFIELD; f++) {
				json_t *ma = json_array();
				if (json_object_set_new(am, linkage_field_name[f], ma) != 0)
					goto done;
				for (unsigned l = 0; l < linkage_nlevels[f]; l++)
					if (json_array_append_new(ma, json_real(l ? m->by_agency->m[a][f][l] : 0)) != 0)
						goto done;
			}
		}
	}
	if (tf && (linkage_tf_each(tf, LF_GIVEN, TF_MIN_COUNT, tf_put, g) != 0 ||
		   linkage_tf_each(tf, LF_FAMILY, TF_MIN_COUNT, tf_put, fam) != 0))
		goto done;
	if (json_object_set_new(root, "format", json_string(MODEL_FORMAT)) != 0 ||
	    json_object_set_new(root, "lambda", json_real(under_one(m->lambda))) != 0 ||
	    json_object_set_new(root, "link_threshold", json_real(under_one(m->link_threshold))) != 0 ||
	    json_object_set_new(root, "review_threshold", json_real(under_one(m->review_threshold))) != 0 ||
	    json_object_set_new(root, "tf_names", json_boolean(m->tf_names && tf)) != 0 ||
	    json_object_set(root, "m", mo) != 0 || json_object_set(root, "u", uo) != 0 ||
	    json_object_set(root, "tf_given", g) != 0 || json_object_set(root, "tf_family", fam) != 0)
		goto done;
	out = json_dumps(root, JSON_COMPACT | JSON_REAL_PRECISION(12));
done:
	json_decref(root);
	json_decref(mo);
	json_decref(uo);
	json_decref(g);
	json_decref(fam);
	return out;
}

static bool prob_ok(double p, bool zero_ok)
{
	return isfinite(p) && (zero_ok ? p >= 0 : p > 0) && p <= 1;
}

static int tf_load(json_t *o, enum linkage_field f, struct linkage_tf *tf)
{
	const char *name;
	json_t *v;
	if (!json_is_object(o))
		return -1;
	json_object_foreach(o, name, v)
	{
		if (!json_is_number(v) || !prob_ok(json_number_value(v), false) ||
		    linkage_tf_add(tf, f, name, json_number_value(v)) != 0)
			return -1;
	}
	return 0;
}

int linktrain_model_parse(const char *text, struct linkage_model *m, struct linkage_tf **tfout)
{
	json_t *root = json_loads(text, 0, NULL);
	struct linkage_tf *tf = NULL;
	int rc = -1;
	*tfout = NULL;
	linkage_model_defaults(m);
	if (!json_is_object(root) || !json_is_string(json_object_get(root, "format")) ||
	    strcmp(json_string_value(json_object_get(root, "format")), MODEL_FORMAT) != 0)
		goto out;
	json_t *mo = json_object_get(root, "m"), *uo = json_object_get(root, "u");
	for (unsigned f = 0; f < LF_NFIELD; f++) {
		json_t *ma = json_object_get(mo, linkage_field_name[f]), *ua = json_object_get(uo, linkage_field_name[f]);
		if (json_array_size(ma) != linkage_nlevels[f] || json_array_size(ua) != linkage_nlevels[f])
			goto out;
		for (unsigned l = 1; l < linkage_nlevels[f]; l++) {
			double mv = json_number_value(json_array_get(ma, l)), uv = json_number_value(json_array_get(ua, l));
			if (!prob_ok(mv, true) || !prob_ok(uv, true))
				goto out;
			m->m[f][l] = mv;
			m->u[f][l] = uv;
		}
	}
	m->lambda = json_number_value(json_object_get(root, "lambda"));
	m->link_threshold = json_number_value(json_object_get(root, "link_threshold"));
	m->review_threshold = json_number_value(json_object_get(root, "review_threshold"));
	if (!prob_ok(m->lambda, false) || m->lambda >= 1 || !prob_ok(m->link_threshold, false) ||
	    m->link_threshold >= 1 || !prob_ok(m->review_threshold, false) || m->review_threshold > m->link_threshold)
		goto out;
	json_t *ag = json_object_get(root, "m_by_agency");
	if (ag) {
		const char *name;
		json_t *one;
		unsigned a = 0;
		if (!json_is_object(ag) || json_object_size(ag) > LINKAGE_MAX_SOURCES ||
		    !(m->by_agency = calloc(1, sizeof *m->by_agency)))
			goto out;
		json_object_foreach(ag, name, one)
		{
			json_t *am = json_object_get(one, "m");
			double matches = json_number_value(json_object_get(one, "matches"));
			if (!json_is_object(am) || !isfinite(matches) || matches <= 0 || !name[0] ||
			    strlen(name) >= sizeof m->by_agency->name[0])
				goto out;
			a++;
			m->by_agency->own[a] = true;
			m->by_agency->matches[a] = matches;
			snprintf(m->by_agency->name[a], sizeof m->by_agency->name[a], "%s", name);
			for (unsigned f = 0; f < LF_NFIELD; f++) {
				json_t *ma = json_object_get(am, linkage_field_name[f]);
				if (json_array_size(ma) != linkage_nlevels[f])
					goto out;
				for (unsigned l = 1; l < linkage_nlevels[f]; l++) {
					double mv = json_number_value(json_array_get(ma, l));
					if (!prob_ok(mv, true))
						goto out;
					m->by_agency->m[a][f][l] = mv;
				}
			}
		}
	}
	m->tf_names = json_is_true(json_object_get(root, "tf_names"));
	if (m->tf_names) {
		if (!(tf = linkage_tf_new()) || tf_load(json_object_get(root, "tf_given"), LF_GIVEN, tf) != 0 ||
		    tf_load(json_object_get(root, "tf_family"), LF_FAMILY, tf) != 0)
			goto out;
	}
	*tfout = tf;
	tf = NULL;
	rc = 0;
out:
	if (rc != 0)
		linkage_model_release(m);
	linkage_tf_free(tf);
	json_decref(root);
	return rc;
}

/* ---- reading what training needs, in one snapshot ---- */

struct labelled {
	struct identity_subject s;
	struct store_person p;
	struct identity_ids ids;
	bool same;
};

struct load {
	struct linkage_rec *recs;
	size_t n, cap;
	struct labelled *lab;
	size_t nlab, caplab;
	int64_t review_tasks, records;
	bool nomem;
	/* The agencies, numbered 1.. in the order first met (linkage_rec.source; later ones share 0). */
	char agency[LINKAGE_MAX_SOURCES + 1][32];
	unsigned nagency;
};

static uint8_t agency_number(struct load *l, const char *agency)
{
	for (unsigned a = 1; a <= l->nagency; a++)
		if (strcmp(l->agency[a], agency) == 0)
			return (uint8_t)a;
	if (!agency[0] || l->nagency == LINKAGE_MAX_SOURCES || strlen(agency) >= sizeof l->agency[0])
		return 0;
	snprintf(l->agency[++l->nagency], sizeof l->agency[0], "%s", agency);
	return (uint8_t)l->nagency;
}

static void subject_of(const struct store_link_subject *r, struct identity_subject *s)
{
	memset(s, 0, sizeof *s);
	memcpy(s->given_name, r->given_name, sizeof s->given_name);
	memcpy(s->middle_names, r->middle_names, sizeof s->middle_names);
	memcpy(s->family_name, r->family_name, sizeof s->family_name);
	memcpy(s->dob, r->dob, sizeof s->dob);
	memcpy(s->sex, r->sex, sizeof s->sex);
	memcpy(s->postcode, r->postcode, sizeof s->postcode);
	memcpy(s->address, r->address, sizeof s->address);
	memcpy(s->nhs_number, r->nhs_number, sizeof s->nhs_number);
	memcpy(s->upn, r->upn, sizeof s->upn);
	snprintf(s->agency, sizeof s->agency, "%s", r->agency);
}

static int add_record(const struct store_link_subject *r, void *ctx)
{
	struct load *l = ctx;
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 1024;
		struct linkage_rec *p = realloc(l->recs, cap * sizeof *p);
		if (!p) {
			l->nomem = true;
			return STORE_EIO;
		}
		l->recs = p;
		l->cap = cap;
	}
	struct linkage_input in = {r->given_name, r->middle_names, r->family_name, r->dob, r->sex,
				   r->postcode,   r->address,      r->nhs_number,  r->upn};
	linkage_prepare(&in, &l->recs[l->n]);
	l->recs[l->n++].source = agency_number(l, r->agency);
	return 0;
}

static int collect_ident(const char *kind, const char *value, const char *first_seen, void *ctx)
{
	struct identity_ids *ids = ctx;
	if (strcmp(kind, "nhs") == 0 && ids->n_nhs < IDENTITY_IDS_MAX)
		snprintf(ids->nhs[ids->n_nhs++], sizeof ids->nhs[0], "%s", value);
	else if (strcmp(kind, "upn") == 0 && ids->n_upn < IDENTITY_IDS_MAX)
		snprintf(ids->upn[ids->n_upn++], sizeof ids->upn[0], "%s", value);
	return 0;
}

struct labelled_walk {
	struct load *l;
	store_conn *c;
};

static int add_labelled(const struct store_link_labelled *v, void *ctx)
{
	struct labelled_walk *w = ctx;
	struct load *l = w->l;
	if (l->nlab == l->caplab) {
		size_t cap = l->caplab ? 2 * l->caplab : 64;
		struct labelled *p = realloc(l->lab, cap * sizeof *p);
		if (!p) {
			l->nomem = true;
			return STORE_EIO;
		}
		l->lab = p;
		l->caplab = cap;
	}
	struct labelled *x = &l->lab[l->nlab];
	bool found = false;
	memset(x, 0, sizeof *x);
	subject_of(&v->subject, &x->s);
	x->same = v->same;
	int rc = store_person_get(w->c, v->candidate_id, &x->p, &found);
	if (rc != STORE_OK)
		return rc;
	if (!found)
		return 0;
	if ((rc = store_identifiers_each(w->c, v->candidate_id, collect_ident, &x->ids)) != STORE_OK)
		return rc;
	l->nlab++;
	return 0;
}

static int load_run(store_conn *c, void *arg)
{
	struct load *l = arg;
	struct labelled_walk w = {l, c};
	int rc;
	if ((rc = store_link_training_records(c, add_record, l)) != STORE_OK ||
	    (rc = store_link_reviews_decided(c, add_labelled, &w)) != STORE_OK)
		return rc;
	return store_link_review_counts(c, &l->review_tasks, &l->records);
}

/* ---- checking and correcting on reviewed pairs ---- */

struct scored_pair {
	double p;
	bool linkable, same;
};

static int by_p_desc(const void *a, const void *b)
{
	const struct scored_pair *x = a, *y = b;
	return x->p > y->p ? -1 : x->p < y->p;
}

/* Precision and recall of linking the reviewed pairs at threshold t. */
static void measure(const struct scored_pair *v, size_t n, double t, struct store_link_model *row)
{
	row->reviewed = (int64_t)n;
	row->reviewed_same = row->linked = row->linked_same = 0;
	for (size_t i = 0; i < n; i++) {
		row->reviewed_same += v[i].same;
		if (v[i].linkable && v[i].p >= t) {
			row->linked++;
			row->linked_same += v[i].same;
		}
	}
}

static bool precise(const struct store_link_model *row)
{
	return row->linked == 0 || (double)row->linked_same >= LINKTRAIN_PRECISION * (double)row->linked;
}

/* The lowest threshold at or above t0 at which precision on the reviewed pairs holds: the midpoint below
 * the last pair that can be kept linked (pairs sorted by probability, highest first). */
static double corrected_threshold(struct scored_pair *v, size_t n, double t0, struct store_link_model *row)
{
	measure(v, n, t0, row);
	if (precise(row))
		return t0;
	qsort(v, n, sizeof *v, by_p_desc);
	/* Only the linkable pairs count; walk down from the most links still made at t0. */
	size_t k = 0, linked = 0, same = 0, best = 0;
	double best_t = 0;
	for (k = 0; k < n; k++) {
		if (!v[k].linkable)
			continue;
		if (v[k].p < t0)
			break;
		linked++;
		same += v[k].same;
		/* A threshold just below v[k].p links pairs 0..k; it must leave the next linkable pair out. */
		size_t next = k + 1;
		while (next < n && !v[next].linkable)
			next++;
		bool separable = next == n || v[next].p < v[k].p;
		if (separable && (double)same >= LINKTRAIN_PRECISION * (double)linked) {
			best = linked;
			double below = next == n || v[next].p < t0 ? t0 : v[next].p;
			best_t = (v[k].p + below) / 2;
		}
	}
	double t;
	if (best == 0) { /* not even the strongest pair: above every reviewed pair */
		size_t first = 0;
		while (first < n && !v[first].linkable)
			first++;
		t = (v[first].p + 1.0) / 2;
	} else
		t = best_t < t0 ? t0 : best_t;
	if (t > 0.999999)
		t = 0.999999;
	measure(v, n, t, row);
	return t;
}

/* ---- training ---- */

struct insert_args {
	struct store_link_model *row;
	int64_t id;
};

static int insert_run(store_conn *c, void *arg)
{
	struct insert_args *a = arg;
	return store_link_model_insert(c, a->row, &a->id);
}

/* link_counts (store_link_counts_set): the counts just made, written in their own transaction, as of the instant
 * taken before their snapshot (a count held meanwhile by a walk that started later is newer and stays). */
struct counts_args {
	int64_t reviews, records, at;
};

static int counts_run(store_conn *c, void *arg)
{
	struct counts_args *a = arg;
	return store_link_counts_set(c, a->reviews, a->records, a->at);
}

static int counts_write(store *st, int64_t reviews, int64_t records, int64_t at)
{
	struct counts_args a = {reviews, records, at};
	return txq_exec(st, counts_run, &a);
}

static double ratio(int64_t a, int64_t b)
{
	return b > 0 ? (double)a / (double)b : -1;
}

int linktrain_run(store *st, const char *how, unsigned threads, struct linktrain_report *out)
{
	struct load l = {0};
	struct linkage_model *m = calloc(1, sizeof *m);
	struct linkage_tf *tf = NULL;
	struct scored_pair *sp = NULL;
	struct linkage_label *labels = NULL;
	char *text = NULL;
	int rc;
	memset(out, 0, sizeof *out);
	out->precision = out->recall = -1;
	if (!m) {
		rc = LINKTRAIN_ENOMEM;
		goto out;
	}
	/* the counts' instant: before the snapshot, so no record they leave out is older than it */
	int64_t counted_at = clock_now();
	if ((rc = service_in_snapshot(st, load_run, &l)) != STORE_OK) {
		if (l.nomem)
			rc = LINKTRAIN_ENOMEM;
		goto out;
	}
	out->review_tasks = l.review_tasks;
	out->records = l.records;
	out->model.records = (int64_t)l.n;
	/* The page's counts, as of this walk (also when there are too few records to train on). They are a display:
	 * a failure to write them is the caller's warning (out->counts_rc), never the model's loss (review33 F4). */
	out->counts_rc = counts_write(st, l.review_tasks, l.records, counted_at);
	if (l.n < LINKTRAIN_MIN_RECORDS) {
		rc = LINKTRAIN_ETOO_FEW;
		goto out;
	}
	/* What the batch does with its input (cli/cmd_link.c): frequencies from these records, then u from random
	 * pairs, m and the prior by EM over the candidate pairs. */
	if (!(tf = linkage_tf_build(l.recs, l.n))) {
		rc = LINKTRAIN_ENOMEM;
		goto out;
	}
	linkage_tf_apply(tf, l.recs, l.n);
	linkage_model_defaults(m);
	/* The reviewers' decisions enter the EM as labelled pairs: the comparison vector of the record against
	 * the person it was asked about (a vector depends on the records alone, so the built-in model serves
	 * to make it), with its responsibility fixed by the decision. */
	if (l.nlab && !(labels = calloc(l.nlab, sizeof *labels))) {
		rc = LINKTRAIN_ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < l.nlab; i++) {
		struct identity_score sc;
		identity_score_with(identity_model(), NULL, &l.lab[i].s, &l.lab[i].p, &l.lab[i].ids, &sc);
		labels[i] = (struct linkage_label){sc.gamma & LINKAGE_GAMMA_MASK, l.lab[i].same,
						   agency_number(&l, l.lab[i].s.agency)};
	}
	out->labelled = l.nlab;
	struct linkage_opts o = {.threads = threads, .train = true, .train_only = true, .seed = 1, .by_agency = true,
				 .labels = labels, .nlabels = l.nlab};
	struct linkage_result res;
	if (linkage_dedupe(l.recs, l.n, m, &o, &res) != 0) {
		rc = LINKTRAIN_ENOMEM;
		goto out;
	}
	linkage_result_free(&res);
	for (unsigned a = 1; m->by_agency && a <= l.nagency; a++)
		snprintf(m->by_agency->name[a], sizeof m->by_agency->name[a], "%s", l.agency[a]);
	for (unsigned a = 1; m->by_agency && a <= LINKAGE_MAX_SOURCES; a++)
		out->agencies_own_m += m->by_agency->own[a];
	m->link_threshold = IDENTITY_UPPER;
	m->review_threshold = IDENTITY_LOWER;
	out->fitted_link_threshold = m->link_threshold;
	out->lambda = m->lambda;
	out->em_iterations = m->em_iterations;

	/* The reviewers' decisions, scored by the new model as intake would score them. */
	if (l.nlab && !(sp = calloc(l.nlab, sizeof *sp))) {
		rc = LINKTRAIN_ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < l.nlab; i++) {
		struct identity_score sc;
		identity_score_with(m, tf, &l.lab[i].s, &l.lab[i].p, &l.lab[i].ids, &sc);
		sp[i] = (struct scored_pair){sc.probability, sc.cannot_link == NULL, l.lab[i].same};
	}
	struct store_link_model *row = &out->model;
	m->link_threshold = corrected_threshold(sp, l.nlab, m->link_threshold, row);
	if (m->review_threshold > m->link_threshold)
		m->review_threshold = m->link_threshold;
	out->precision = ratio(row->linked_same, row->linked);
	out->recall = ratio(row->linked_same, row->reviewed_same);

	if (!(text = linktrain_model_text(m, tf))) {
		rc = LINKTRAIN_ENOMEM;
		goto out;
	}
	snprintf(row->how, sizeof row->how, "%s", how);
	row->pairs = (int64_t)m->trained_pairs;
	row->random_pairs = (int64_t)m->random_pairs;
	row->link_threshold = m->link_threshold;
	row->review_threshold = m->review_threshold;
	row->params = text;
	struct insert_args ia = {row, 0};
	if ((rc = txq_exec(st, insert_run, &ia)) != STORE_OK)
		goto out;
	row->id = ia.id;
	row->params = NULL;
	identity_install_trained(ia.id, m, tf);
	m = NULL;
	tf = NULL;
out:
	if (out->model.params == text)
		out->model.params = NULL;
	free(text);
	free(sp);
	free(labels);
	free(l.lab);
	free(l.recs);
	linkage_tf_free(tf);
	if (m)
		linkage_model_release(m);
	free(m);
	return rc;
}

struct latest_args {
	struct store_link_model row;
	bool found;
	int64_t reviews, records;
	char counted_at[STORE_TS_LEN + 1];
};

/* The latest model and the counts: recounted over the store (recount: the nightly sweep's check), or as last
 * written (the page and `link model`: constant time, as of counted_at). */
static int latest_read(store_conn *c, struct latest_args *a, bool recount)
{
	int rc = store_link_model_latest(c, &a->row, &a->found);
	if (rc != STORE_OK)
		return rc;
	if (recount)
		return store_link_review_counts(c, &a->reviews, &a->records);
	struct store_link_counts k;
	if ((rc = store_link_counts_get(c, &k)) != STORE_OK)
		return rc;
	a->reviews = k.reviews;
	a->records = k.records;
	snprintf(a->counted_at, sizeof a->counted_at, "%s", k.counted_at);
	return STORE_OK;
}

static int latest_recounted_run(store_conn *c, void *arg)
{
	return latest_read(c, arg, true);
}

static int latest_run(store_conn *c, void *arg)
{
	return latest_read(c, arg, false);
}

int linktrain_nightly(store *st, unsigned threads, bool *trained, struct linktrain_report *out)
{
	struct latest_args a;
	memset(&a, 0, sizeof a);
	*trained = false;
	memset(out, 0, sizeof *out);
	int64_t counted_at = clock_now(); /* before the snapshot, as linktrain_run */
	int rc = service_in_snapshot(st, latest_recounted_run, &a);
	free((void *)a.row.params);
	if (rc != STORE_OK)
		return rc;
	/* The page's counts, as of tonight (training writes them again when it runs). A failure to write them is
	 * reported in out->counts_rc and does not stop the training (as in linktrain_run). */
	out->counts_rc = counts_write(st, a.reviews, a.records, counted_at);
	if (a.records < LINKTRAIN_MIN_RECORDS ||
	    (a.found && (double)a.records < (1.0 + LINKTRAIN_NIGHTLY_GROWTH) * (double)a.row.records))
		return 0;
	rc = linktrain_run(st, "nightly", threads, out);
	*trained = rc == 0;
	return rc == LINKTRAIN_ETOO_FEW ? 0 : rc;
}

int linktrain_refresh(store_conn *c)
{
	/* A model that could not be read is not tried again on every record. */
	static _Thread_local int64_t unreadable;
	int64_t id = 0;
	if (identity_model_from_file())
		return STORE_OK;
	int rc = store_link_model_latest_id(c, &id);
	if (rc != STORE_OK || id == 0 || id == identity_trained_id() || id == unreadable)
		return rc;
	struct store_link_model row;
	bool found = false;
	if ((rc = store_link_model_latest(c, &row, &found)) != STORE_OK || !found) {
		free((void *)row.params);
		return rc;
	}
	struct linkage_model *m = calloc(1, sizeof *m);
	struct linkage_tf *tf = NULL;
	if (!m || linktrain_model_parse(row.params, m, &tf) != 0) {
		fprintf(stderr, "safeguard: linkage model %lld cannot be read; intake keeps the model it has\n",
			(long long)row.id);
		unreadable = row.id;
		free(m); /* the parser released what it attached */
	} else
		identity_install_trained(row.id, m, tf);
	free((void *)row.params);
	return STORE_OK;
}

static int refresh_run(store_conn *c, void *arg)
{
	return linktrain_refresh(c);
}

int linktrain_load(store *st)
{
	return service_in_snapshot(st, refresh_run, NULL);
}

/* The figures from what latest_run read; params left to the caller (freed there). */
static void quality_from(const struct latest_args *a, struct linktrain_quality *q)
{
	q->review_tasks = a->reviews;
	q->records = a->records;
	snprintf(q->counted_at, sizeof q->counted_at, "%s", a->counted_at);
	if (!a->found)
		return;
	q->trained = true;
	q->model = a->row;
	q->model.params = NULL;
	q->precision = ratio(a->row.linked_same, a->row.linked);
	q->recall = ratio(a->row.linked_same, a->row.reviewed_same);
}

int linktrain_quality(store *st, struct linktrain_quality *q)
{
	struct latest_args a;
	memset(&a, 0, sizeof a);
	memset(q, 0, sizeof *q);
	q->precision = q->recall = -1;
	/* The page's figures: the model's params (the area's name frequencies, megabytes at scale) are not
	 * parsed here, only freed. */
	int rc = service_in_snapshot(st, latest_run, &a);
	free((void *)a.row.params);
	a.row.params = NULL;
	if (rc == STORE_OK)
		quality_from(&a, q);
	return rc;
}

int linktrain_model_figures(store *st, struct linktrain_quality *q, double *lambda)
{
	struct latest_args a;
	memset(&a, 0, sizeof a);
	memset(q, 0, sizeof *q);
	q->precision = q->recall = -1;
	*lambda = -1;
	int rc = service_in_snapshot(st, latest_run, &a);
	if (rc == STORE_OK && a.found && a.row.params) {
		/* The prior alone (the model's other parameters hold the area's name frequencies: not shown). */
		json_t *root = json_loads(a.row.params, 0, NULL);
		json_t *l = root ? json_object_get(root, "lambda") : NULL;
		if (json_is_number(l))
			*lambda = json_number_value(l);
		json_decref(root);
	}
	free((void *)a.row.params);
	a.row.params = NULL;
	if (rc != STORE_OK)
		return rc;
	quality_from(&a, q);
	if (!q->trained) {
		/* The built-in settings intake scores with until a model is trained (identity.c). */
		const struct linkage_model *m = identity_model();
		q->model.link_threshold = m->link_threshold;
		q->model.review_threshold = m->review_threshold;
		*lambda = m->lambda;
	}
	return STORE_OK;
}

bool linktrain_quality_shown_to(const char *role)
{
	/* The team managers who answer for the review queue (service/access.c's roles); the workers who
	 * decide each task see the task. */
	return role && strcmp(role, "team_manager") == 0;
}
