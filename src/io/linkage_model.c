/*
 * io/linkage_model.c — the linkage model file (contract in linkage_model.h), with jansson.
 */
#include "io/linkage_model.h"

#include <jansson.h>
#include <math.h>
#include <string.h>

static int tf_put(const char *name, double freq, void *ctx)
{
	return json_object_set_new(ctx, name, json_real(freq));
}

/* The file keeps 10 significant digits: a prior or a threshold within 5e-11 of 1 would be written as 1, which the
 * reader refuses (both must be below 1), so such a value is written as the largest 10-digit value below 1
 * (fuzz/fuzz_models found the model that could be read but not written back). */
static double under_one(double p)
{
	return p > 0.9999999999 ? 0.9999999999 : p;
}

int linkage_model_write(FILE *f, const struct linkage_model *m, const struct linkage_tf *tf, char *err, size_t errsz)
{
	json_t *root = json_object(), *fields = json_object(), *tfo = json_object();
	int rc = -1;
	if (!root || !fields || !tfo)
		goto out;
	for (unsigned fi = 0; fi < LF_NFIELD; fi++) {
		json_t *levels = json_object();
		if (!levels || json_object_set_new(fields, linkage_field_name[fi], levels) != 0)
			goto out;
		for (unsigned l = 1; l < linkage_nlevels[fi]; l++) {
			double w = log2(m->m[fi][l] / m->u[fi][l]);
			json_t *lv = json_pack("{s:f, s:f, s:f}", "m", m->m[fi][l], "u", m->u[fi][l], "weight",
					       isfinite(w) ? w : 0.0);
			if (!lv || json_object_set_new(levels, linkage_level_name(fi, l), lv) != 0)
				goto out;
		}
	}
	if (tf) {
		json_t *g = json_object(), *fam = json_object();
		if (!g || !fam || json_object_set_new(tfo, "given_name", g) != 0 ||
		    json_object_set_new(tfo, "family_name", fam) != 0 ||
		    linkage_tf_each(tf, LF_GIVEN, LINKAGE_MODEL_TF_MIN, tf_put, g) != 0 ||
		    linkage_tf_each(tf, LF_FAMILY, LINKAGE_MODEL_TF_MIN, tf_put, fam) != 0)
			goto out;
	}
	json_t *prior = json_pack("{s:f, s:f}", "lambda", under_one(m->lambda), "weight", log2(m->lambda / (1.0 - m->lambda)));
	json_t *th = json_pack("{s:f, s:f}", "link", under_one(m->link_threshold), "review", under_one(m->review_threshold));
	json_t *tr = json_pack("{s:I, s:I, s:I, s:i}", "records", (json_int_t)m->trained_records, "candidate_pairs",
			       (json_int_t)m->trained_pairs, "random_pairs", (json_int_t)m->random_pairs,
			       "em_iterations", (int)m->em_iterations);
	if (!prior || !th || !tr || json_object_set_new(root, "format", json_string(LINKAGE_MODEL_FORMAT)) != 0 ||
	    json_object_set_new(root, "prior", prior) != 0 || json_object_set_new(root, "thresholds", th) != 0 ||
	    json_object_set_new(root, "term_frequency_adjustment", json_boolean(m->tf_names)) != 0 ||
	    json_object_set_new(root, "trained", tr) != 0 || json_object_set(root, "fields", fields) != 0 ||
	    json_object_set(root, "term_frequencies", tfo) != 0)
		goto out;
	if (json_dumpf(root, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10)) != 0 || fputc('\n', f) == EOF)
		goto out;
	rc = 0;
out:
	if (rc != 0)
		snprintf(err, errsz, "cannot write the model");
	json_decref(root);
	json_decref(fields);
	json_decref(tfo);
	return rc;
}

static int prob(json_t *o, const char *key, double *out)
{
	json_t *v = json_object_get(o, key);
	if (!json_is_number(v))
		return -1;
	double d = json_number_value(v);
	if (!(d > 0.0 && d <= 1.0))
		return -1;
	*out = d;
	return 0;
}

/* Every key of o is one of the names (NULL-terminated). */
static const char *unknown_key(json_t *o, const char *const *names)
{
	const char *k;
	json_t *v;
	json_object_foreach(o, k, v) {
		bool ok = false;
		for (size_t i = 0; names[i] && !ok; i++)
			ok = strcmp(k, names[i]) == 0;
		if (!ok)
			return k;
	}
	return NULL;
}

int linkage_model_read(const char *path, struct linkage_model *m, struct linkage_tf **tfout, char *err, size_t errsz)
{
	json_error_t je;
	json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
	struct linkage_tf *tf = NULL;
	const char *what = NULL, *k = NULL, *bad_key = NULL;
	char buf[160];
	int rc = -1;
	if (tfout)
		*tfout = NULL;
	if (!root) {
		snprintf(err, errsz, "%s:%d:%d: %s", path, je.line, je.column, je.text);
		return -1;
	}
	linkage_model_defaults(m);
	static const char *const top[] = {"format", "prior", "thresholds", "term_frequency_adjustment", "trained",
					  "fields", "term_frequencies", NULL};
	json_t *v, *fields = json_object_get(root, "fields"), *th = json_object_get(root, "thresholds");
	if (!json_is_object(root) || (bad_key = unknown_key(root, top))) {
		what = json_is_object(root) ? "an unknown key" : "not a JSON object";
		goto out;
	}
	v = json_object_get(root, "format");
	if (!json_is_string(v) || strcmp(json_string_value(v), LINKAGE_MODEL_FORMAT) != 0) {
		what = "\"format\" is not " LINKAGE_MODEL_FORMAT;
		goto out;
	}
	if (prob(json_object_get(root, "prior"), "lambda", &m->lambda) != 0 || m->lambda >= 1.0) {
		what = "\"prior\".\"lambda\" must be a number in (0, 1)";
		goto out;
	}
	if (prob(th, "link", &m->link_threshold) != 0 || prob(th, "review", &m->review_threshold) != 0 ||
	    m->link_threshold >= 1.0 || m->review_threshold > m->link_threshold) {
		what = "\"thresholds\" must hold \"link\" and \"review\" with 0 < review <= link < 1";
		goto out;
	}
	v = json_object_get(root, "term_frequency_adjustment");
	if (v && !json_is_boolean(v)) {
		what = "\"term_frequency_adjustment\" must be true or false";
		goto out;
	}
	m->tf_names = v ? json_is_true(v) : true;
	if (!json_is_object(fields)) {
		what = "\"fields\" is missing";
		goto out;
	}
	for (unsigned f = 0; f < LF_NFIELD; f++) {
		json_t *levels = json_object_get(fields, linkage_field_name[f]);
		if (!json_is_object(levels)) {
			snprintf(buf, sizeof buf, "\"fields\".\"%s\" is missing", linkage_field_name[f]);
			what = buf;
			goto out;
		}
		for (unsigned l = 1; l < linkage_nlevels[f]; l++) {
			json_t *lv = json_object_get(levels, linkage_level_name(f, l));
			if (prob(lv, "m", &m->m[f][l]) != 0 || prob(lv, "u", &m->u[f][l]) != 0) {
				snprintf(buf, sizeof buf, "\"fields\".\"%s\".\"%s\" needs \"m\" and \"u\" in (0, 1]",
					 linkage_field_name[f], linkage_level_name(f, l));
				what = buf;
				goto out;
			}
		}
	}
	json_t *tr = json_object_get(root, "trained");
	if (json_is_object(tr)) {
		json_t *x;
		if (json_is_integer(x = json_object_get(tr, "records")))
			m->trained_records = (uint64_t)json_integer_value(x);
		if (json_is_integer(x = json_object_get(tr, "candidate_pairs")))
			m->trained_pairs = (uint64_t)json_integer_value(x);
		if (json_is_integer(x = json_object_get(tr, "random_pairs")))
			m->random_pairs = (uint64_t)json_integer_value(x);
	}
	json_t *tfo = json_object_get(root, "term_frequencies");
	if (tfout && json_is_object(tfo)) {
		if (!(tf = linkage_tf_new())) {
			what = "out of memory";
			goto out;
		}
		static const enum linkage_field tff[2] = {LF_GIVEN, LF_FAMILY};
		for (int i = 0; i < 2; i++) {
			json_t *names = json_object_get(tfo, linkage_field_name[tff[i]]), *fv;
			json_object_foreach(names, k, fv) {
				if (!json_is_number(fv) || linkage_tf_add(tf, tff[i], k, json_number_value(fv)) != 0) {
					snprintf(buf, sizeof buf, "\"term_frequencies\".\"%s\": a frequency must be in (0, 1]",
						 linkage_field_name[tff[i]]);
					what = buf;
					goto out;
				}
			}
		}
	}
	rc = 0;
out:
	if (rc != 0) {
		if (bad_key)
			snprintf(err, errsz, "%s: %s \"%.40s\"", path, what, bad_key);
		else
			snprintf(err, errsz, "%s: %s", path, what);
		linkage_tf_free(tf);
	} else if (tfout) {
		*tfout = tf;
	}
	json_decref(root);
	return rc;
}
