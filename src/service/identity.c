#include "service/identity.h"

#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "linkage/linkage.h"
#include "service/linktrain.h"

/* ---- scoring: the linkage core (src/linkage/linkage.h) ----------------------------------------------------
 * identity_score prepares the subject and the candidate as the core's records and scores them with the
 * service's model: a file handed over at start (identity_use_model: `safeguard serve --linkage-model FILE`,
 * written by `safeguard link train --in`), else the model the service trained on its own store (`safeguard
 * link train --db`, or the nightly sweep: service/linktrain.h), else the built-in parameters below. The built-in m and u are
 * set by hand for children's records in one local authority, per level of the core's comparisons (each
 * pair: P(level | same child), P(level | two children) among blocked pairs); a model trained on `safeguard
 * gen`'s synthetic area learns that area's quirks (every record of a child carrying the same address), so
 * it is not the default for real agencies' records. */

struct level_mu {
	enum linkage_field f;
	unsigned level;
	double m, u;
};

static const struct level_mu BUILTIN[] = {
	{LF_GIVEN, LN_EXACT, 0.87, 0.02},	  {LF_GIVEN, LN_VARIANT, 0.05, 0.002},
	{LF_GIVEN, LN_CLOSE, 0.04, 0.0133},	  {LF_GIVEN, LN_PHONETIC, 0.01, 0.01},
	{LF_GIVEN, LN_NEAR, 0.005, 0.01},	  {LF_GIVEN, LN_SHORT, 0.005, 0.004},
	{LF_GIVEN, LN_SWAPPED, 0.005, 0.003},
	{LF_GIVEN, LN_EDIT2, 0.003, 0.006},	  {LF_GIVEN, LN_ELSE, 0.017, 0.9357},
	{LF_FAMILY, LN_EXACT, 0.90, 0.01},	  {LF_FAMILY, LN_VARIANT, 0.01, 0.001},
	{LF_FAMILY, LN_CLOSE, 0.04, 0.0124},	  {LF_FAMILY, LN_PHONETIC, 0.01, 0.005},
	{LF_FAMILY, LN_NEAR, 0.005, 0.005},	  {LF_FAMILY, LN_SHORT, 1e-6, 1e-6},
	{LF_FAMILY, LN_SWAPPED, 0.02, 0.003},
	{LF_FAMILY, LN_EDIT2, 0.002, 0.004},	  {LF_FAMILY, LN_ELSE, 0.013, 0.9596},
	{LF_MIDDLE, LM_EXACT, 0.6, 0.05},	  {LF_MIDDLE, LM_PARTIAL, 0.2, 0.02},
	{LF_MIDDLE, LM_ELSE, 0.2, 0.93},	  {LF_DOB, LD_EXACT, 0.93, 3e-4},
	{LF_DOB, LD_SWAP, 0.02, 3e-4},		  {LF_DOB, LD_OFF1, 0.02, 0.003},
	{LF_DOB, LD_YEAR1, 0.01, 0.002},	  {LF_DOB, LD_TYPO, 0.01, 0.01},
	{LF_DOB, LD_PART, 0.005, 0.006},	  {LF_DOB, LD_ELSE, 0.005, 0.9784},	  {LF_SEX, LS_EQUAL, 0.96, 0.5},
	{LF_SEX, LS_DIFF, 0.04, 0.5},		  {LF_POSTCODE, LP_FULL, 0.6, 0.015},
	{LF_POSTCODE, LP_SECTOR, 0.05, 0.02},	  {LF_POSTCODE, LP_DISTRICT, 0.1, 0.05},
	{LF_POSTCODE, LP_AREA, 0.15, 0.5},	  {LF_POSTCODE, LP_ELSE, 0.1, 0.415},
	{LF_ADDRESS, LA_EXACT, 0.5, 0.01},	  {LF_ADDRESS, LA_OVERLAP, 0.1, 0.01},
	{LF_ADDRESS, LA_ELSE, 0.4, 0.98},	  {LF_NHS, LI_EQUAL, 0.99, 1e-7},
	{LF_NHS, LI_TYPO, 0.004, 1e-5},		  {LF_NHS, LI_DIFF_VALID, 0.005, 0.999},
	{LF_NHS, LI_ELSE, 0.001, 0.001},	  {LF_UPN, LI_EQUAL, 0.99, 2.4e-7},
	{LF_UPN, LI_TYPO, 0.004, 1e-5},		  {LF_UPN, LI_DIFF_VALID, 0.005, 0.999},
	{LF_UPN, LI_ELSE, 0.001, 0.001},
};

/* The model in use: a file's (serve --linkage-model, set once at start, before any thread scores: it wins),
 * else the store's latest trained model (service/linktrain.c installs it, and may swap it while other
 * threads score: scoring holds the read lock), else the built-in one. */
static struct linkage_model the_model;
static const struct linkage_tf *the_tf;
static pthread_once_t builtin_once = PTHREAD_ONCE_INIT;
static bool model_given;
static pthread_rwlock_t trained_lock = PTHREAD_RWLOCK_INITIALIZER;
static struct linkage_model *trained;
static struct linkage_tf *trained_tf;
static int64_t trained_id;
/* Bumped (under the write lock) whenever the trained model changes: a subject prepared with one model is not
 * reused with the next, even if the new one's name frequencies come to sit at the old address. */
static uint64_t model_generation;

static void builtin_model(void)
{
	if (model_given)
		return;
	linkage_model_defaults(&the_model);
	for (size_t i = 0; i < sizeof BUILTIN / sizeof BUILTIN[0]; i++) {
		the_model.m[BUILTIN[i].f][BUILTIN[i].level] = BUILTIN[i].m;
		the_model.u[BUILTIN[i].f][BUILTIN[i].level] = BUILTIN[i].u;
	}
	/* About one blocked pair in 8,000 is the same child (log2 = -13). */
	the_model.lambda = 1.0 / 8193.0;
	the_model.link_threshold = IDENTITY_UPPER;
	the_model.review_threshold = IDENTITY_LOWER;
	the_model.tf_names = false; /* the built-in model keeps no name frequencies */
}

void identity_use_model(const struct linkage_model *m, const struct linkage_tf *tf)
{
	the_model = *m;
	the_tf = tf;
	the_model.tf_names = tf != NULL && m->tf_names;
	model_given = true;
}

const struct linkage_model *identity_model(void)
{
	pthread_once(&builtin_once, builtin_model);
	return &the_model;
}

bool identity_model_from_file(void)
{
	return model_given;
}

int64_t identity_trained_id(void)
{
	pthread_rwlock_rdlock(&trained_lock);
	int64_t id = trained_id;
	pthread_rwlock_unlock(&trained_lock);
	return id;
}

void identity_install_trained(int64_t id, struct linkage_model *m, struct linkage_tf *tf)
{
	if (model_given) { /* the operator's file wins */
		if (m)
			linkage_model_release(m);
		free(m);
		linkage_tf_free(tf);
		return;
	}
	pthread_rwlock_wrlock(&trained_lock);
	struct linkage_model *old = trained;
	struct linkage_tf *old_tf = trained_tf;
	trained = m;
	trained_tf = tf;
	trained_id = id;
	model_generation++;
	pthread_rwlock_unlock(&trained_lock);
	if (old)
		linkage_model_release(old);
	free(old);
	linkage_tf_free(old_tf);
}

/* The model to score with and its name frequencies; the caller holds the read lock. */
static const struct linkage_model *model_in_use(const struct linkage_tf **tf)
{
	if (trained && !model_given) {
		*tf = trained_tf;
		return trained;
	}
	*tf = the_tf;
	return identity_model();
}

void identity_thresholds(double *upper, double *lower)
{
	const struct linkage_tf *tf;
	pthread_rwlock_rdlock(&trained_lock);
	const struct linkage_model *m = model_in_use(&tf);
	*upper = m->link_threshold;
	*lower = m->review_threshold;
	pthread_rwlock_unlock(&trained_lock);
}

static void prepare(const struct linkage_tf *tf, const char *given, const char *middle, const char *family,
		    const char *dob, const char *sex, const char *postcode, const char *address, const char *nhs,
		    const char *upn, struct linkage_rec *r)
{
	struct linkage_input in = {given, middle, family, dob, sex, postcode, address, nhs, upn};
	linkage_prepare(&in, r);
	/* The batch's own step (linkage_tf_apply), not a copy of part of it: the frequencies and whether each
	 * name as written is commoner in the other field (given_as_family, family_as_given), which the
	 * transposed-names refusal reads; the service had set only the frequencies, so that rule never ran here. */
	if (tf)
		linkage_tf_apply(tf, r, 1);
}

/* The candidate's identifier of a kind to compare: the subject's own when the candidate holds it, else the
 * first it holds (a different valid one is evidence against), else none. */
static const char *held(const char *v, const char *first, size_t stride, int n)
{
	for (int i = 0; i < n; i++)
		if (v[0] && strcmp(first + (size_t)i * stride, v) == 0)
			return v;
	return n > 0 ? first : "";
}

static bool same_folded(const char *a, const char *b)
{
	char fa[STORE_NAME_BYTES], fb[STORE_NAME_BYTES];
	return text_name_fold(a, fa, sizeof fa) > 0 && text_name_fold(b, fb, sizeof fb) > 0 && strcmp(fa, fb) == 0;
}

/* The subject as the core's record, kept across one record's candidates (identity_resolve): it is the same for
 * every candidate that does not lend it a spelling of its names, and preparing it again for each was ~2% of
 * the intake writer (issue 17). */
struct subject_memo {
	bool ok;
	uint64_t generation;
	struct linkage_rec rec;
};

static int score_with(const struct linkage_model *m, const struct linkage_tf *tf, const struct identity_subject *s,
		      const struct store_person *candidate, const struct identity_ids *ids, struct identity_score *out,
		      struct subject_memo *memo, uint64_t generation);

/* identity_score, with the subject kept in memo (NULL: none). */
static int score_memo(const struct identity_subject *s, const struct store_person *candidate,
		      const struct identity_ids *ids, struct identity_score *out, struct subject_memo *memo)
{
	const struct linkage_tf *tf;
	pthread_rwlock_rdlock(&trained_lock);
	const struct linkage_model *m = model_in_use(&tf);
	int rc = score_with(m, tf, s, candidate, ids, out, memo, model_generation);
	pthread_rwlock_unlock(&trained_lock);
	return rc;
}

int identity_score(const struct identity_subject *s, const struct store_person *candidate,
		   const struct identity_ids *ids, struct identity_score *out)
{
	return score_memo(s, candidate, ids, out, NULL);
}

int identity_score_with(const struct linkage_model *m, const struct linkage_tf *tf, const struct identity_subject *s,
			const struct store_person *candidate, const struct identity_ids *ids, struct identity_score *out)
{
	return score_with(m, tf, s, candidate, ids, out, NULL, 0);
}

static int score_with(const struct linkage_model *m, const struct linkage_tf *tf, const struct identity_subject *s,
		      const struct store_person *candidate, const struct identity_ids *ids, struct identity_score *out,
		      struct subject_memo *memo, uint64_t generation)
{
	static const struct identity_ids none;
	struct linkage_rec subj, b;
	const struct linkage_rec *a = &subj;
	struct linkage_score ls;
	if (!s || !candidate || !out)
		return -1;
	if (!ids)
		ids = &none;
	/* Names equal after the foundation's folding (core/text.h: hyphens and apostrophes dropped) are one name:
	 * the core reads "Mary-Jane" as Mary with a middle name Jane, and "MaryJane" as another name. A candidate
	 * that writes the name as the subject does lends nothing: the subject's own text is kept, so its memo (the
	 * subject prepared on the request's thread, identity_ready_make) serves, where the candidate's copy of the
	 * same bytes had it prepared again on the writer (~10.7k instructions, for most records; r-sqlw29). */
	const char *given = strcmp(s->given_name, candidate->given_name) == 0 ? s->given_name
			    : same_folded(s->given_name, candidate->given_name) ? candidate->given_name
										 : s->given_name;
	const char *family = strcmp(s->family_name, candidate->family_name) == 0 ? s->family_name
			     : same_folded(s->family_name, candidate->family_name) ? candidate->family_name
										   : s->family_name;
	/* the subject's own spelling is prepared once a record (memo); a candidate's spelling of it, each time */
	bool own_spelling = memo && given == s->given_name && family == s->family_name;
	if (own_spelling)
		a = &memo->rec;
	if (!own_spelling || !memo->ok || memo->generation != generation) {
		prepare(tf, given, s->middle_names, family, s->dob, s->sex, s->postcode, s->address, s->nhs_number, s->upn,
			own_spelling ? &memo->rec : &subj);
		if (own_spelling) {
			memo->ok = true;
			memo->generation = generation;
		}
	}
	prepare(tf, candidate->given_name, candidate->middle_names, candidate->family_name, candidate->dob, candidate->sex,
		candidate->postcode, candidate->address, held(s->nhs_number, ids->nhs[0], sizeof ids->nhs[0], ids->n_nhs),
		held(s->upn, ids->upn[0], sizeof ids->upn[0], ids->n_upn), &b);
	/* m of the agency that sent the record, where training measured it (linkage_model.by_agency). */
	const struct linkage_source_m *ba = m->by_agency;
	int own = -1;
	for (int i = 1; ba && s->agency[0] && i <= LINKAGE_MAX_SOURCES && own < 0; i++)
		if (ba->own[i] && strcmp(ba->name[i], s->agency) == 0)
			own = i;
	if (own > 0) {
		struct linkage_model *am = malloc(sizeof *am);
		if (!am)
			return -1;
		*am = *m;
		am->by_agency = am->by_source = NULL;
		memcpy(am->m, ba->m[own], sizeof am->m);
		linkage_score(am, a, &b, &ls);
		free(am);
	} else
		linkage_score(m, a, &b, &ls);
	memset(out, 0, sizeof *out);
	out->gamma = ls.gamma;
	out->agency_m = own > 0;
	out->weight = ls.weight;
	out->probability = ls.probability;
	out->prior = ls.prior;
	out->cannot_link = ls.cannot_link;
	/* Two children by the core's hard rules (both NHS numbers or UPNs valid and different; twins) whose given
	 * names are unrelated too: no one need be asked. */
	out->distinct = ls.cannot_link_hard && linkage_gamma_level(ls.gamma, LF_GIVEN) > LN_CLOSE;
	out->nfields = LF_NFIELD;
	for (unsigned f = 0; f < LF_NFIELD; f++) {
		out->fields[f].field = linkage_field_name[f];
		out->fields[f].level = linkage_level_name((enum linkage_field)f, linkage_gamma_level(ls.gamma, (enum linkage_field)f));
		out->fields[f].contribution = ls.contribution[f];
	}
	/* Twins share a family name, a birthday, an address and often a sound-alike given name (Tobias, Tobin):
	 * the core refuses unrelated given names on a shared birthday; the service refuses any given name short
	 * of the same, a variant or a typo (close) on an equal date of birth, unless an identifier agrees. */
	unsigned g = linkage_gamma_level(ls.gamma, LF_GIVEN), d = linkage_gamma_level(ls.gamma, LF_DOB);
	if (!out->cannot_link && d == LD_EXACT && g > LN_CLOSE && linkage_gamma_level(ls.gamma, LF_NHS) != LI_EQUAL &&
	    linkage_gamma_level(ls.gamma, LF_UPN) != LI_EQUAL)
		out->cannot_link = "twins";
	return 0;
}

/* ---- blocking ------------------------------------------------------------------------------------------ */

/* The first character of a folded name (one UTF-8 sequence). */
static size_t initial(const char *folded, char out[8])
{
	size_t n = 1;
	while (folded[n] && ((unsigned char)folded[n] & 0xC0) == 0x80 && n < 7)
		n++;
	memcpy(out, folded, n);
	out[n] = '\0';
	return n;
}

int identity_block_keys(const struct identity_subject *s, char keys[IDENTITY_KEYS_MAX][IDENTITY_KEY_BYTES])
{
	int n = 0;
	char given[STORE_NAME_BYTES], family[STORE_NAME_BYTES], gi[8] = "", sx[LINKAGE_PHON_MAX] = "";
	bool has_given = text_name_fold(s->given_name, given, sizeof given) > 0;
	bool has_family = text_name_fold(s->family_name, family, sizeof family) > 0;
	if (has_given) {
		/* The initial of the name a nickname stands for (Billy and William block together). */
		char first[LINKAGE_NAME_MAX];
		linkage_name_norm(s->given_name, first);
		char *sp = strchr(first, ' ');
		if (sp)
			*sp = '\0';
		const char *canon = linkage_name_canonical(first);
		initial(canon ? canon : given, gi);
	}
	if (has_family) {
		char flat[LINKAGE_NAME_MAX];
		linkage_name_norm(s->family_name, flat);
		linkage_phonetic(flat, sx);
	}
	bool dob = strlen(s->dob) == 10;
	if (s->nhs_number[0])
		snprintf(keys[n++], IDENTITY_KEY_BYTES, "nhs:%s", s->nhs_number);
	if (s->upn[0])
		snprintf(keys[n++], IDENTITY_KEY_BYTES, "upn:%s", s->upn);
	/* The coarse keys: a family name's sound (a family name with no Latin letter is its own code) with the birth
	 * year and month, and with the given initial and the birth year. Each catches what the narrow keys miss
	 * (a full date of birth written wrong, a new postcode, no identifier); two of them, so that a month or an
	 * initial written wrong is still covered by the other. The sound with the year alone (fdob, before
	 * migration 32) grew with the area: several hundred children a block at a million (docs/SCALING.md "The
	 * candidate search as the area grows"); these hold about a tenth of that. */
	if (has_family && dob)
		snprintf(keys[n++], IDENTITY_KEY_BYTES, "fdm:%s|%.7s", sx[0] ? sx : family, s->dob);
	if (has_family && has_given && dob)
		snprintf(keys[n++], IDENTITY_KEY_BYTES, "fgi:%s|%.4s|%s", sx[0] ? sx : family, s->dob, gi);
	if (has_given && dob)
		snprintf(keys[n++], IDENTITY_KEY_BYTES, "gdob:%s|%s", gi, s->dob);
	if (has_given && s->postcode[0])
		snprintf(keys[n++], IDENTITY_KEY_BYTES, "pc:%s|%s", s->postcode, gi);
	return n;
}

/* Which of a record's keys to write as JSON: all, or the fine ones (identifiers, the full date of birth, the
 * postcode): all but the coarse ones (a family name's sound with a birth year and month or initial: the keys
 * whose blocks grow with the area, docs/SCALING.md "The candidate search as the area grows"). */
enum key_pass { KEYS_ALL, KEYS_FINE };

static bool coarse_key(const char *key)
{
	return strncmp(key, "fdm:", 4) == 0 || strncmp(key, "fgi:", 4) == 0;
}

static char *keys_json_of(const struct identity_subject *s, enum key_pass pass)
{
	char keys[IDENTITY_KEYS_MAX][IDENTITY_KEY_BYTES];
	int n = identity_block_keys(s, keys);
	json_t *a = json_array();
	for (int i = 0; i < n; i++)
		if (pass == KEYS_ALL || !coarse_key(keys[i]))
			json_array_append_new(a, json_string(keys[i]));
	char *out = json_dumps(a, JSON_COMPACT);
	json_decref(a);
	return out;
}

static char *keys_json(const struct identity_subject *s)
{
	return keys_json_of(s, KEYS_ALL);
}

const char *identity_keys(const struct identity_subject *s, const struct identity_match *m, char **made)
{
	*made = m->keys ? NULL : keys_json(s);
	return m->keys ? m->keys : *made;
}

void identity_match_key(const struct identity_subject *s, char *out, size_t outsz)
{
	char given[STORE_NAME_BYTES], family[STORE_NAME_BYTES];
	out[0] = '\0';
	if (!s->dob[0] || text_name_fold(s->given_name, given, sizeof given) <= 0 ||
	    text_name_fold(s->family_name, family, sizeof family) <= 0)
		return;
	/* '|' never survives folding, so the parts cannot run into each other. */
	snprintf(out, outsz, "%s|%s|%s", family, given, s->dob);
}

/* ---- deciding ------------------------------------------------------------------------------------------- */

struct scored {
	int64_t id;
	double weight, probability;
	bool id_agrees; /* an NHS number or UPN in common */
	bool cannot;    /* the core's cannot-link: never linked without a person */
	bool distinct;  /* two children for certain: never a review */
	bool attrs_held; /* the person's row already holds every attribute the record gives (nothing to write) */
	char dob[11];    /* the person's row's date of birth ("" for none) */
};

/* Records searched, candidates scored and records whose first pass reached IDENTITY_CANDIDATES_MAX (the
 * crowded search) since the process started (identity_resolve_counts): every search, a record that makes a
 * new child and a batch retried included. */
static atomic_ullong resolved_records, resolved_candidates, resolved_crowded;

/* The candidates as the blocking index gives them, each scored as it comes (store_block_candidates_scored). */
struct resolve_walk {
	store_conn *c;
	const struct identity_subject *s;
	struct scored *list;
	struct store_person p;
	struct identity_ids ids;
	int n;
	int cap;  /* list[0..cap) may be filled: IDENTITY_CANDIDATES_MAX a pass */
	int seen; /* list[0..seen) were scored by an earlier pass: the same persons again are skipped */
	int rc;
	struct subject_memo memo; /* the subject, prepared once for all its candidates */
};

static int collect_ident(const char *kind, const char *value, const char *first_seen, void *ctx)
{
	struct identity_ids *ids = ctx;
	if (strcmp(kind, "nhs") == 0 && ids->n_nhs < IDENTITY_IDS_MAX)
		snprintf(ids->nhs[ids->n_nhs++], sizeof ids->nhs[0], "%s", value);
	else if (strcmp(kind, "upn") == 0 && ids->n_upn < IDENTITY_IDS_MAX)
		snprintf(ids->upn[ids->n_upn++], sizeof ids->upn[0], "%s", value);
	return 0;
}

struct merged_walk {
	int64_t kept;
	int64_t ids[16];
	int n;
};

static int collect_merged(const struct store_merge *m, void *ctx)
{
	struct merged_walk *w = ctx;
	if (m->kept_id == w->kept && !m->undone_at[0] && w->n < 16)
		w->ids[w->n++] = m->merged_id;
	return 0;
}

/* Scores a candidate (p: its row, ids: its identifiers) as the best of its own row and the rows of the persons
 * merged into it (a person is every record it gained, and a reviewer's "same" should make the next such
 * record link); those are read only when has_merged says there are any. p is left holding the best row. */
static int score_loaded(store_conn *c, const struct identity_subject *s, int64_t id, bool has_merged,
			struct store_person *p, const struct identity_ids *ids, struct identity_score *best,
			int64_t *best_row, struct subject_memo *memo)
{
	struct identity_score sc;
	bool found = false;
	int rc;
	score_memo(s, p, ids, best, memo);
	*best_row = id;
	if (!has_merged)
		return STORE_OK;
	struct merged_walk w = {.kept = id};
	if ((rc = store_merges_of(c, id, 16, collect_merged, &w)) != STORE_OK)
		return rc;
	for (int i = 0; i < w.n; i++) {
		if ((rc = store_person_get(c, w.ids[i], p, &found)) != STORE_OK)
			return rc;
		if (found && score_memo(s, p, ids, &sc, memo) == 0 && sc.weight > best->weight) {
			*best = sc;
			*best_row = w.ids[i];
		}
	}
	if (*best_row != id && (rc = store_person_get(c, *best_row, p, &found)) != STORE_OK)
		return rc;
	return STORE_OK;
}

/* The same for a candidate known by id alone (the review's, rescored for its explanation). */
static int score_candidate(store_conn *c, const struct identity_subject *s, int64_t id, struct store_person *p,
			   struct identity_ids *ids, struct identity_score *best, int64_t *best_row)
{
	bool found = false;
	int rc;
	memset(ids, 0, sizeof *ids);
	if ((rc = store_person_get(c, id, p, &found)) != STORE_OK)
		return rc;
	if (!found)
		return STORE_EIO;
	if ((rc = store_identifiers_each(c, id, collect_ident, ids)) != STORE_OK)
		return rc;
	return score_loaded(c, s, id, true, p, ids, best, best_row, NULL);
}

static bool ids_agree(const struct identity_score *sc)
{
	for (int i = 0; i < sc->nfields; i++)
		if ((strcmp(sc->fields[i].field, "nhs_number") == 0 || strcmp(sc->fields[i].field, "upn") == 0) &&
		    strcmp(sc->fields[i].level, "equal_valid") == 0)
			return true;
	return false;
}

/* Whether the person's row, as read in this transaction, already has each attribute the record gives: an
 * empty one in the record leaves the row's as it is (store_person_update_attributes). */
static bool attrs_held(const struct identity_subject *s, const struct store_person *p)
{
	return (!s->communication_needs[0] || strcmp(s->communication_needs, p->communication_needs) == 0) &&
	       (!s->disability[0] || strcmp(s->disability, p->disability) == 0) &&
	       (!s->ethnicity[0] || strcmp(s->ethnicity, p->ethnicity) == 0) &&
	       (!s->first_language[0] || strcmp(s->first_language, p->first_language) == 0);
}

static int score_each(const struct store_candidate *cand, void *ctx)
{
	struct resolve_walk *w = ctx;
	struct identity_score sc;
	int64_t row;
	if (w->n >= w->cap)
		return 0;
	for (int i = 0; i < w->seen; i++)
		if (w->list[i].id == cand->person.id)
			return 0;
	_Static_assert(sizeof w->ids.nhs == sizeof cand->nhs && sizeof w->ids.upn == sizeof cand->upn,
		       "a candidate's identifiers as identity_ids holds them");
	memset(&w->ids, 0, sizeof w->ids);
	memcpy(w->ids.nhs, cand->nhs, sizeof cand->nhs);
	memcpy(w->ids.upn, cand->upn, sizeof cand->upn);
	w->ids.n_nhs = cand->n_nhs;
	w->ids.n_upn = cand->n_upn;
	/* Scored in place unless persons stand merged into it (their rows are then read into w->p): a person's
	 * row is 7 KB, copied for each candidate before (issue 17: the candidates grow with the area). */
	if (!cand->has_merged) {
		score_memo(w->s, &cand->person, &w->ids, &sc, &w->memo);
	}
	else {
		w->p = cand->person;
		w->rc = score_loaded(w->c, w->s, cand->person.id, true, &w->p, &w->ids, &sc, &row, &w->memo);
		if (w->rc != STORE_OK)
			return 1; /* stops the walk; rc says why */
	}
	atomic_fetch_add_explicit(&resolved_candidates, 1, memory_order_relaxed);
	w->list[w->n++] = (struct scored){cand->person.id, sc.weight, sc.probability, ids_agree(&sc),
					  sc.cannot_link != NULL, sc.distinct, attrs_held(w->s, &cand->person), ""};
	memcpy(w->list[w->n - 1].dob, cand->person.dob, sizeof cand->person.dob);
	return 0;
}

static int by_weight(const void *a, const void *b)
{
	const struct scored *x = a, *y = b;
	if (x->weight != y->weight)
		return x->weight > y->weight ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id; /* the older person first on a tie */
}

void identity_match_free(struct identity_match *m)
{
	free(m->review_person);
	m->review_person = NULL;
	free(m->keys);
	m->keys = NULL;
}

/* Keeps the candidate as the review's, rescored (its explanation goes into the task). */
static int keep_review(store_conn *c, const struct identity_subject *s, struct identity_match *m, int64_t id)
{
	int64_t row = 0;
	if (!m->review_person && !(m->review_person = malloc(sizeof *m->review_person)))
		return STORE_EIO;
	m->review_candidate = id;
	return score_candidate(c, s, id, m->review_person, &m->review_ids, &m->review_score, &row);
}

/* The blocks held at least as many persons as are scored (IDENTITY_CANDIDATES_MAX), and the store gave the
 * first of them by id: in a large area the coarse keys' blocks can hold more (the sound and birth year alone,
 * before migration 32, about 500 children in a million; the sound with the month or the initial at most about
 * 70, but a record's keys count together), and the first by id are then the oldest of those namesakes, not
 * the child the record's NHS number or full date of birth would find. So a second pass adds to the first
 * (whose persons are all kept, review 16: starting again lost a child found by the coarse key alone) the fine
 * keys' persons not yet scored, up to IDENTITY_CANDIDATES_MAX more: a crowded record scores at most twice the
 * limit. The fine keys' query may give again each of the first pass's persons (skipped), hence its larger
 * limit. Below the limit (every block in an area of 100,000 children: docs/BENCHMARKS.md "Scale: intake as
 * the area grows") this is never reached and the persons scored are the same. */
static int resolve_crowded(store_conn *c, const struct identity_subject *s, struct resolve_walk *w)
{
	char *fine = keys_json_of(s, KEYS_FINE);
	int rc = fine ? STORE_OK : STORE_EIO;
	w->seen = w->n;
	w->cap = w->n + IDENTITY_CANDIDATES_MAX;
	if (rc == STORE_OK)
		rc = store_block_candidates_scored(c, fine, IDENTITY_CANDIDATES_MAX + w->seen, score_each, w);
	if (w->rc != STORE_OK)
		rc = w->rc;
	free(fine);
	return rc;
}

void identity_resolve_counts(unsigned long long *records, unsigned long long *candidates,
			     unsigned long long *crowded)
{
	*records = atomic_load_explicit(&resolved_records, memory_order_relaxed);
	*candidates = atomic_load_explicit(&resolved_candidates, memory_order_relaxed);
	*crowded = atomic_load_explicit(&resolved_crowded, memory_order_relaxed);
}

int identity_resolve_ahead(store_conn *c, const struct identity_subject *const *s, int n)
{
	if (n <= 0 || !store_block_candidates_read_ahead(c))
		return STORE_OK; /* SQLite: each record reads for itself, and no keys are made twice */
	char **keys = calloc((size_t)n, sizeof *keys);
	int rc = STORE_OK;
	if (!keys)
		return STORE_OK; /* nothing read ahead: each record reads for itself */
	for (int i = 0; i < n && rc == STORE_OK; i++)
		if (!(keys[i] = keys_json(s[i])))
			rc = STORE_EIO;
	if (rc == STORE_OK)
		rc = store_block_candidates_ahead(c, (const char *const *)keys, n, IDENTITY_CANDIDATES_MAX);
	else
		rc = STORE_OK; /* likewise */
	for (int i = 0; i < n; i++)
		free(keys[i]);
	free(keys);
	return rc;
}

struct identity_ready {
	char *keys;              /* keys_json(s) */
	struct subject_memo memo; /* the subject prepared under the model of memo.generation */
	bool folded;             /* the new person's names folded and match key made */
	char given_fold[sizeof ((struct store_person *)0)->given_fold];
	char family_fold[sizeof ((struct store_person *)0)->family_fold];
	char match_key[sizeof ((struct store_person *)0)->match_key];
};

struct identity_ready *identity_ready_make(const struct identity_subject *s)
{
	struct identity_ready *r = calloc(1, sizeof *r);
	if (!r)
		return NULL;
	if (!(r->keys = keys_json(s))) {
		free(r);
		return NULL;
	}
	/* as score_with prepares the subject's own spelling for its memo */
	const struct linkage_tf *tf;
	pthread_rwlock_rdlock(&trained_lock);
	(void)model_in_use(&tf);
	prepare(tf, s->given_name, s->middle_names, s->family_name, s->dob, s->sex, s->postcode, s->address,
		s->nhs_number, s->upn, &r->memo.rec);
	r->memo.generation = model_generation;
	r->memo.ok = true;
	pthread_rwlock_unlock(&trained_lock);
	/* as identity_resolve makes a new person's */
	identity_match_key(s, r->match_key, sizeof r->match_key);
	r->folded = text_name_fold(s->given_name, r->given_fold, sizeof r->given_fold) >= 0 &&
		    text_name_fold(s->family_name, r->family_fold, sizeof r->family_fold) >= 0;
	return r;
}

void identity_ready_free(struct identity_ready *r)
{
	if (!r)
		return;
	free(r->keys);
	free(r);
}

int identity_resolve(store_conn *c, const struct identity_subject *s, struct identity_match *m)
{
	return identity_resolve_ready(c, s, NULL, m);
}

int identity_resolve_ready(store_conn *c, const struct identity_subject *s, const struct identity_ready *r,
			   struct identity_match *m)
{
	int rc = STORE_OK;
	struct store_person *p = malloc(sizeof *p);
	/* not zeroed: *w is set whole below before any use, and list[i] whole as each candidate is scored (both
	 * calloc'ed, ~26 KB zeroed a record searched, the walk's person and the 400 entries most of it) */
	struct resolve_walk *w = malloc(sizeof *w);
	struct scored *list = malloc(2 * IDENTITY_CANDIDATES_MAX * sizeof *list); /* two passes when crowded */
	char *keys = r ? strdup(r->keys) : keys_json(s);
	memset(m, 0, sizeof *m);
	m->score = 1.0;
	if (!p || !w || !list || !keys) {
		rc = STORE_EIO;
		goto out;
	}
	/* The store's latest trained model, when one is newer than the one in use (service/linktrain.h). */
	if ((rc = linktrain_refresh(c)) != STORE_OK)
		goto out;
	double upper, lower;
	identity_thresholds(&upper, &lower);
	*w = (struct resolve_walk){.c = c, .s = s, .list = list, .cap = IDENTITY_CANDIDATES_MAX};
	if (r) /* score_with prepares the subject again if the model has changed since */
		w->memo = r->memo;
	atomic_fetch_add_explicit(&resolved_records, 1, memory_order_relaxed);
	rc = store_block_candidates_scored(c, keys, IDENTITY_CANDIDATES_MAX, score_each, w);
	if (w->rc != STORE_OK)
		rc = w->rc;
	if (rc != STORE_OK)
		goto out;
	if (w->n >= IDENTITY_CANDIDATES_MAX) {
		atomic_fetch_add_explicit(&resolved_crowded, 1, memory_order_relaxed);
		if ((rc = resolve_crowded(c, s, w)) != STORE_OK)
			goto out;
	}
	int n = w->n;
	qsort(list, (size_t)n, sizeof *list, by_weight);

	if (n > 0 && list[0].probability >= upper && !list[0].cannot) {
		m->person_id = list[0].id;
		m->score = list[0].probability;
		m->rule = "score";
		m->dob_known = true;
		memcpy(m->dob, list[0].dob, sizeof m->dob);
		/* Two persons that may be one child: the next plausible candidate, unless refused or asked before. */
		for (int i = 1; i < n; i++) {
			if ((list[i].probability < lower && !list[i].id_agrees) || list[i].distinct)
				continue;
			bool refused = false, asked = false;
			if ((rc = store_link_refused(c, list[0].id, list[i].id, &refused)) != STORE_OK ||
			    (rc = store_link_review_pair(c, list[0].id, list[i].id, &asked)) != STORE_OK)
				goto out;
			if (!refused && !asked) {
				if ((rc = keep_review(c, s, m, list[i].id)) != STORE_OK)
					goto out;
				break;
			}
		}
		/* Nothing to write when the row already holds them (issue 17: on PostgreSQL the UPDATE of an unchanged
		 * row cost a new row version, its index entries and WAL on about half the events). */
		if (list[0].attrs_held)
			goto out;
		memset(p, 0, sizeof *p);
		memcpy(p->communication_needs, s->communication_needs, sizeof p->communication_needs);
		memcpy(p->disability, s->disability, sizeof p->disability);
		memcpy(p->ethnicity, s->ethnicity, sizeof p->ethnicity);
		memcpy(p->first_language, s->first_language, sizeof p->first_language);
		rc = store_person_update_attributes(c, m->person_id, p);
		goto out;
	}

	m->rule = "new";
	if (n > 0 && (list[0].probability >= lower || list[0].id_agrees) && !list[0].distinct) {
		m->rule = "review";
		if ((rc = keep_review(c, s, m, list[0].id)) != STORE_OK)
			goto out;
	}
	memset(p, 0, sizeof *p);
	memcpy(p->given_name, s->given_name, sizeof p->given_name);
	memcpy(p->middle_names, s->middle_names, sizeof p->middle_names);
	memcpy(p->family_name, s->family_name, sizeof p->family_name);
	memcpy(p->dob, s->dob, sizeof p->dob);
	memcpy(p->sex, s->sex, sizeof p->sex);
	memcpy(p->postcode, s->postcode, sizeof p->postcode);
	memcpy(p->address, s->address, sizeof p->address);
	if (r && r->folded) {
		memcpy(p->match_key, r->match_key, sizeof p->match_key);
		memcpy(p->given_fold, r->given_fold, sizeof p->given_fold);
		memcpy(p->family_fold, r->family_fold, sizeof p->family_fold);
	} else {
		identity_match_key(s, p->match_key, sizeof p->match_key);
		if (text_name_fold(s->given_name, p->given_fold, sizeof p->given_fold) < 0 ||
		    text_name_fold(s->family_name, p->family_fold, sizeof p->family_fold) < 0) {
			rc = STORE_EIO; /* cannot happen: a fold is never longer than its name */
			goto out;
		}
	}
	memcpy(p->communication_needs, s->communication_needs, sizeof p->communication_needs);
	memcpy(p->disability, s->disability, sizeof p->disability);
	memcpy(p->ethnicity, s->ethnicity, sizeof p->ethnicity);
	memcpy(p->first_language, s->first_language, sizeof p->first_language);
	rc = store_person_insert(c, p, &m->person_id);
	m->dob_known = rc == STORE_OK;
	memcpy(m->dob, p->dob, sizeof m->dob);
out:
	if (rc == STORE_OK) { /* kept for identity_keys: the same subject's keys */
		m->keys = keys;
		keys = NULL;
	}
	free(keys);
	free(list);
	free(w);
	free(p);
	if (rc != STORE_OK)
		identity_match_free(m);
	return rc;
}
