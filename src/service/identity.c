#include "service/identity.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"

/* ---- the interim scorer -----------------------------------------------------------------------------------
 * THE SEAM: everything from here to "deciding" is what the linkage core (src/linkage/linkage.h) replaces
 * with trained m and u, term frequencies and transliteration-aware comparisons. Until it merges, a small
 * Fellegi-Sunter scorer with fixed m and u, chosen by hand for children's records in one local authority
 * (each value says P(level | same child) and P(level | two children) among blocked pairs). Jaro-Winkler and
 * Soundex are written here because no Debian C library offers them and they are twenty lines each; the core
 * brings its own. */

struct level {
	const char *name;
	double m, u;
};

/* Prior: about one blocked pair in 8,000 is the same child (log2 = -13). */
#define PRIOR_WEIGHT (-13.0)

static const struct level NHS_EXACT = {"exact", 0.99, 1e-7}, NHS_DIFF = {"different", 0.005, 0.999};
static const struct level UPN_EXACT = {"exact", 0.99, 2.4e-7}, UPN_DIFF = {"different", 0.01, 0.999};
static const struct level FAM_EXACT = {"exact", 0.90, 0.01}, FAM_CLOSE = {"close", 0.07, 0.0124},
			  FAM_DIFF = {"different", 0.03, 0.9776};
static const struct level GIV_EXACT = {"exact", 0.88, 0.02}, GIV_CLOSE = {"close", 0.08, 0.0133},
			  GIV_DIFF = {"different", 0.02, 0.9667};
static const struct level DOB_EXACT = {"exact", 0.93, 3e-4}, DOB_SWAP = {"day_month_swapped", 0.02, 3e-4},
			  DOB_NEAR = {"one_part_differs", 0.03, 0.009}, DOB_DIFF = {"different", 0.02, 0.9957};
static const struct level PC_EXACT = {"exact", 0.60, 0.015}, PC_DISTRICT = {"same_district", 0.15, 0.05},
			  PC_DIFF = {"different", 0.25, 0.935};
static const struct level SEX_EXACT = {"exact", 0.96, 0.5}, SEX_DIFF = {"different", 0.04, 0.5};

double identity_jaro_winkler(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la == 0 && lb == 0)
		return 1.0;
	if (la == 0 || lb == 0)
		return 0.0;
	if (la > 64 || lb > 64) /* names longer than this compare exactly */
		return strcmp(a, b) == 0 ? 1.0 : 0.0;
	bool ma[64] = {false}, mb[64] = {false};
	size_t window = (la > lb ? la : lb) / 2;
	window = window > 0 ? window - 1 : 0;
	size_t matches = 0;
	for (size_t i = 0; i < la; i++) {
		size_t lo = i > window ? i - window : 0, hi = i + window + 1 < lb ? i + window + 1 : lb;
		for (size_t j = lo; j < hi; j++)
			if (!mb[j] && a[i] == b[j]) {
				ma[i] = mb[j] = true;
				matches++;
				break;
			}
	}
	if (!matches)
		return 0.0;
	size_t t = 0, k = 0;
	for (size_t i = 0; i < la; i++) {
		if (!ma[i])
			continue;
		while (!mb[k])
			k++;
		if (a[i] != b[k])
			t++;
		k++;
	}
	double m = (double)matches;
	double jaro = (m / (double)la + m / (double)lb + (m - (double)t / 2.0) / m) / 3.0;
	size_t prefix = 0;
	while (prefix < 4 && prefix < la && prefix < lb && a[prefix] == b[prefix])
		prefix++;
	return jaro + (double)prefix * 0.1 * (1.0 - jaro);
}

void identity_soundex(const char *folded, char out[5])
{
	/*                        abcdefghijklmnopqrstuvwxyz */
	static const char code[] = "01230120022455012623010202";
	size_t n = 0;
	char last = 0;
	out[0] = '\0';
	for (const char *p = folded; *p && n < 4; p++) {
		if (*p < 'a' || *p > 'z')
			continue;
		char c = code[*p - 'a'];
		if (n == 0) {
			out[n++] = (char)(*p - 'a' + 'A');
			last = c;
			continue;
		}
		if (c != '0' && c != last)
			out[n++] = c;
		if (*p != 'h' && *p != 'w') /* h and w do not separate two letters of the same code */
			last = c;
	}
	while (n > 0 && n < 4)
		out[n++] = '0';
	out[n] = '\0';
}

static void add(struct identity_score *sc, const char *field, const struct level *l)
{
	struct identity_field *f = &sc->fields[sc->nfields++];
	f->field = field;
	f->level = l->name;
	f->contribution = log2(l->m / l->u);
	sc->weight += f->contribution;
}

static void missing(struct identity_score *sc, const char *field)
{
	struct identity_field *f = &sc->fields[sc->nfields++];
	f->field = field;
	f->level = "missing";
	f->contribution = 0.0;
}

/* One identifier kind: agrees when the candidate holds the value, differs when it holds others only. */
static void score_id(struct identity_score *sc, const char *field, const char *v, const char *held, size_t stride,
		     int n, const struct level *exact, const struct level *diff)
{
	if (!v[0] || n == 0) {
		missing(sc, field);
		return;
	}
	const char *p = held;
	for (int i = 0; i < n; i++, p += stride)
		if (strcmp(p, v) == 0) {
			add(sc, field, exact);
			return;
		}
	add(sc, field, diff);
}

/* One name part is the other's whole word or prefix ("khan" in "khanali"): a double-barrelled name used
 * in part. */
static bool name_part(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la < 3 || lb < 3 || la == lb)
		return false;
	const char *s = la < lb ? a : b, *l = la < lb ? b : a;
	size_t ls = la < lb ? la : lb;
	return strncmp(s, l, ls) == 0 || (strlen(l) >= ls && strcmp(l + strlen(l) - ls, s) == 0);
}

static void score_name(struct identity_score *sc, const char *field, const char *a, const char *b, bool family)
{
	char fa[STORE_NAME_BYTES], fb[STORE_NAME_BYTES];
	if (text_name_fold(a, fa, sizeof fa) <= 0 || text_name_fold(b, fb, sizeof fb) <= 0) {
		missing(sc, field);
		return;
	}
	if (strcmp(fa, fb) == 0) {
		add(sc, field, family ? &FAM_EXACT : &GIV_EXACT);
		return;
	}
	bool close = identity_jaro_winkler(fa, fb) >= 0.92;
	if (family && !close) {
		char sa[5], sb[5];
		identity_soundex(fa, sa);
		identity_soundex(fb, sb);
		close = (sa[0] && strcmp(sa, sb) == 0) || name_part(fa, fb);
	}
	if (close)
		add(sc, field, family ? &FAM_CLOSE : &GIV_CLOSE);
	else
		add(sc, field, family ? &FAM_DIFF : &GIV_DIFF);
}

static void score_dob(struct identity_score *sc, const char *a, const char *b)
{
	if (strlen(a) != 10 || strlen(b) != 10) {
		missing(sc, "dob");
		return;
	}
	if (strcmp(a, b) == 0) {
		add(sc, "dob", &DOB_EXACT);
		return;
	}
	/* YYYY-MM-DD: year 0..3, month 5..6, day 8..9 */
	bool y = strncmp(a, b, 4) == 0, m = strncmp(a + 5, b + 5, 2) == 0, d = strncmp(a + 8, b + 8, 2) == 0;
	if (y && strncmp(a + 5, b + 8, 2) == 0 && strncmp(a + 8, b + 5, 2) == 0)
		add(sc, "dob", &DOB_SWAP);
	else if ((int)y + (int)m + (int)d == 2)
		add(sc, "dob", &DOB_NEAR);
	else
		add(sc, "dob", &DOB_DIFF);
}

static void score_postcode(struct identity_score *sc, const char *a, const char *b)
{
	if (!a[0] || !b[0]) {
		missing(sc, "postcode");
		return;
	}
	if (strcmp(a, b) == 0) {
		add(sc, "postcode", &PC_EXACT);
		return;
	}
	const char *sa = strchr(a, ' '), *sb = strchr(b, ' ');
	size_t oa = sa ? (size_t)(sa - a) : strlen(a), ob = sb ? (size_t)(sb - b) : strlen(b);
	add(sc, "postcode", oa == ob && strncmp(a, b, oa) == 0 ? &PC_DISTRICT : &PC_DIFF);
}

int identity_score(const struct identity_subject *s, const struct store_person *candidate,
		   const struct identity_ids *ids, struct identity_score *out)
{
	static const struct identity_ids none;
	if (!s || !candidate || !out)
		return -1;
	if (!ids)
		ids = &none;
	memset(out, 0, sizeof *out);
	out->weight = PRIOR_WEIGHT;
	score_id(out, "nhs_number", s->nhs_number, ids->nhs[0], sizeof ids->nhs[0], ids->n_nhs, &NHS_EXACT, &NHS_DIFF);
	score_id(out, "upn", s->upn, ids->upn[0], sizeof ids->upn[0], ids->n_upn, &UPN_EXACT, &UPN_DIFF);
	score_name(out, "family_name", s->family_name, candidate->family_name, true);
	score_name(out, "given_name", s->given_name, candidate->given_name, false);
	score_dob(out, s->dob, candidate->dob);
	score_postcode(out, s->postcode, candidate->postcode);
	bool sa = s->sex[0] == 'M' || s->sex[0] == 'F', sb = candidate->sex[0] == 'M' || candidate->sex[0] == 'F';
	if (!sa || !sb)
		missing(out, "sex");
	else
		add(out, "sex", s->sex[0] == candidate->sex[0] ? &SEX_EXACT : &SEX_DIFF);
	double p = exp2(out->weight);
	out->probability = isinf(p) ? 1.0 : p / (1.0 + p);
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
	char given[STORE_NAME_BYTES], family[STORE_NAME_BYTES], gi[8] = "", sx[5] = "";
	bool has_given = text_name_fold(s->given_name, given, sizeof given) > 0;
	bool has_family = text_name_fold(s->family_name, family, sizeof family) > 0;
	if (has_given)
		initial(given, gi);
	if (has_family)
		identity_soundex(family, sx);
	bool dob = strlen(s->dob) == 10;
	if (s->nhs_number[0])
		snprintf(keys[n++], IDENTITY_KEY_BYTES, "nhs:%s", s->nhs_number);
	if (s->upn[0])
		snprintf(keys[n++], IDENTITY_KEY_BYTES, "upn:%s", s->upn);
	if (has_family && dob)
		/* a family name with no Latin letter is its own code */
		snprintf(keys[n++], IDENTITY_KEY_BYTES, "fdob:%s|%.4s", sx[0] ? sx : family, s->dob);
	if (has_given && dob)
		snprintf(keys[n++], IDENTITY_KEY_BYTES, "gdob:%s|%s", gi, s->dob);
	if (has_given && s->postcode[0])
		snprintf(keys[n++], IDENTITY_KEY_BYTES, "pc:%s|%s", s->postcode, gi);
	return n;
}

static char *keys_json(const struct identity_subject *s)
{
	char keys[IDENTITY_KEYS_MAX][IDENTITY_KEY_BYTES];
	int n = identity_block_keys(s, keys);
	json_t *a = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(a, json_string(keys[i]));
	char *out = json_dumps(a, JSON_COMPACT);
	json_decref(a);
	return out;
}

int identity_index(store_conn *c, const struct identity_subject *s, int64_t person_id, int64_t source_record_id)
{
	char *k = keys_json(s);
	if (!k)
		return STORE_EIO;
	int rc = store_block_keys_add(c, person_id, source_record_id, k);
	free(k);
	return rc;
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
};

struct resolve_walk {
	int64_t ids[IDENTITY_CANDIDATES_MAX];
	int n;
};

static int collect_id(int64_t id, void *ctx)
{
	struct resolve_walk *w = ctx;
	if (w->n < IDENTITY_CANDIDATES_MAX)
		w->ids[w->n++] = id;
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

/* Scores a candidate as the best of its own row and the rows of the persons merged into it (a person is
 * every record it gained, and a reviewer's "same" should make the next such record link). */
static int score_candidate(store_conn *c, const struct identity_subject *s, int64_t id, struct store_person *p,
			   struct identity_ids *ids, struct identity_score *best, int64_t *best_row)
{
	struct identity_score sc;
	bool found = false;
	int rc;
	memset(ids, 0, sizeof *ids);
	if ((rc = store_person_get(c, id, p, &found)) != STORE_OK)
		return rc;
	if (!found)
		return STORE_EIO;
	if ((rc = store_identifiers_each(c, id, collect_ident, ids)) != STORE_OK)
		return rc;
	identity_score(s, p, ids, best);
	*best_row = id;
	struct merged_walk w = {.kept = id};
	if ((rc = store_merges_of(c, id, 16, collect_merged, &w)) != STORE_OK)
		return rc;
	for (int i = 0; i < w.n; i++) {
		if ((rc = store_person_get(c, w.ids[i], p, &found)) != STORE_OK)
			return rc;
		if (found && identity_score(s, p, ids, &sc) == 0 && sc.weight > best->weight) {
			*best = sc;
			*best_row = w.ids[i];
		}
	}
	if (*best_row != id && (rc = store_person_get(c, *best_row, p, &found)) != STORE_OK)
		return rc;
	return STORE_OK;
}

static bool ids_agree(const struct identity_score *sc)
{
	for (int i = 0; i < sc->nfields; i++)
		if ((strcmp(sc->fields[i].field, "nhs_number") == 0 || strcmp(sc->fields[i].field, "upn") == 0) &&
		    strcmp(sc->fields[i].level, "exact") == 0)
			return true;
	return false;
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

int identity_resolve(store_conn *c, const struct identity_subject *s, struct identity_match *m)
{
	int rc = STORE_OK;
	struct store_person *p = malloc(sizeof *p);
	struct resolve_walk *w = calloc(1, sizeof *w);
	struct scored *list = calloc(IDENTITY_CANDIDATES_MAX, sizeof *list);
	struct identity_ids *ids = malloc(sizeof *ids);
	char *keys = keys_json(s);
	memset(m, 0, sizeof *m);
	m->score = 1.0;
	if (!p || !w || !list || !ids || !keys) {
		rc = STORE_EIO;
		goto out;
	}
	if ((rc = store_block_candidates(c, keys, IDENTITY_CANDIDATES_MAX, collect_id, w)) != STORE_OK)
		goto out;
	int n = 0;
	for (int i = 0; i < w->n; i++) {
		struct identity_score sc;
		int64_t row;
		if ((rc = score_candidate(c, s, w->ids[i], p, ids, &sc, &row)) != STORE_OK)
			goto out;
		list[n++] = (struct scored){w->ids[i], sc.weight, sc.probability, ids_agree(&sc)};
	}
	qsort(list, (size_t)n, sizeof *list, by_weight);

	if (n > 0 && list[0].probability >= IDENTITY_UPPER) {
		m->person_id = list[0].id;
		m->score = list[0].probability;
		m->rule = "score";
		/* Two persons that may be one child: the next plausible candidate, unless refused or asked before. */
		for (int i = 1; i < n; i++) {
			if (list[i].probability < IDENTITY_LOWER && !list[i].id_agrees)
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
		if (!s->communication_needs[0] && !s->disability[0] && !s->ethnicity[0] && !s->first_language[0])
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
	if (n > 0 && (list[0].probability >= IDENTITY_LOWER || list[0].id_agrees)) {
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
	identity_match_key(s, p->match_key, sizeof p->match_key);
	if (text_name_fold(s->given_name, p->given_fold, sizeof p->given_fold) < 0 ||
	    text_name_fold(s->family_name, p->family_fold, sizeof p->family_fold) < 0) {
		rc = STORE_EIO; /* cannot happen: a fold is never longer than its name */
		goto out;
	}
	memcpy(p->communication_needs, s->communication_needs, sizeof p->communication_needs);
	memcpy(p->disability, s->disability, sizeof p->disability);
	memcpy(p->ethnicity, s->ethnicity, sizeof p->ethnicity);
	memcpy(p->first_language, s->first_language, sizeof p->first_language);
	rc = store_person_insert(c, p, &m->person_id);
out:
	free(keys);
	free(ids);
	free(list);
	free(w);
	free(p);
	if (rc != STORE_OK)
		identity_match_free(m);
	return rc;
}
