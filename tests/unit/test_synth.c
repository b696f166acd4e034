/* Unit tests for synth: determinism, valid identifiers and dates, ground truth, the error model. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/event.h"
#include "core/ident.h"
#include "synth/synth.h"

static const struct date today = {2025, 6, 15};

/* ---- collecting records ---- */

struct recs {
	struct synth_record *r;
	size_t n, cap;
};

static int collect(const struct synth_record *r, void *ctx)
{
	struct recs *rs = ctx;
	if (rs->n == rs->cap) {
		rs->cap = rs->cap ? rs->cap * 2 : 1024;
		rs->r = realloc(rs->r, rs->cap * sizeof *rs->r);
		if (!rs->r)
			return -99;
	}
	rs->r[rs->n++] = *r;
	return 0;
}

static struct recs gen(uint64_t seed, int families, int error_pct)
{
	struct synth_opts o = {.seed = seed, .families = families, .today = today, .error_pct = error_pct};
	struct recs rs = {0};
	assert_int_equal(synth_generate(&o, collect, &rs), 0);
	assert_true(rs.n > 0);
	return rs;
}

static uint64_t fnv(uint64_t h, const char *s)
{
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	return (h ^ 0xff) * 0x100000001b3ULL;
}

static uint64_t hash_record(uint64_t h, const struct synth_record *r)
{
	const struct synth_subject *s = &r->subject;
	const char *f[] = {r->agency, r->source_ref, r->kind, r->occurred_at, r->summary, s->given_name,
	                   s->middle_names, s->family_name, s->dob, s->sex, s->postcode, s->address,
	                   s->nhs_number, s->upn};
	for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
		h = fnv(h, f[i]);
	h = (h ^ r->record_no ^ (r->true_child << 20) ^ (r->family << 40) ^ ((uint64_t)r->errors << 56)) *
	    0x100000001b3ULL;
	return h;
}

static uint64_t hash_all(const struct recs *rs)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	for (size_t i = 0; i < rs->n; i++)
		h = hash_record(h, &rs->r[i]);
	return h;
}

/* ---- options ---- */

static int never(const struct synth_record *r, void *ctx)
{
	(void)r;
	(void)ctx;
	return 0;
}

static void options_out_of_range(void **state)
{
	struct synth_opts o = {.seed = 1, .families = 10, .today = today, .error_pct = 10};
	assert_int_equal(synth_generate(&o, never, NULL), 0);
	o.families = 0;
	assert_int_equal(synth_generate(&o, never, NULL), -1);
	o.families = -5;
	assert_int_equal(synth_generate(&o, never, NULL), -1);
	o.families = 10000001;
	assert_int_equal(synth_generate(&o, never, NULL), -1);
	o.families = 10;
	o.error_pct = -1;
	assert_int_equal(synth_generate(&o, never, NULL), -1);
	o.error_pct = 101;
	assert_int_equal(synth_generate(&o, never, NULL), -1);
	o.error_pct = 100;
	assert_int_equal(synth_generate(&o, never, NULL), 0);
	o.today = (struct date){2025, 2, 30};
	assert_int_equal(synth_generate(&o, never, NULL), -1);
	o.today = (struct date){2025, 13, 1};
	assert_int_equal(synth_generate(&o, never, NULL), -1);
	o.today = (struct date){0, 1, 1};
	assert_int_equal(synth_generate(&o, never, NULL), -1);
	o.today = today;
	assert_int_equal(synth_generate(NULL, never, NULL), -1);
	assert_int_equal(synth_generate(&o, NULL, NULL), -1);
}

/* ---- determinism ---- */

static void same_seed_same_records(void **state)
{
	struct recs a = gen(42, 300, 25), b = gen(42, 300, 25), c = gen(43, 300, 25);

	assert_int_equal(a.n, b.n);
	for (size_t i = 0; i < a.n; i++) {
		assert_int_equal(hash_record(0, &a.r[i]), hash_record(0, &b.r[i]));
		assert_int_equal(a.r[i].record_no, i + 1);
	}
	assert_int_not_equal(hash_all(&a), hash_all(&c));
	/* A family is the same whatever comes after it: the first families of a longer run match. */
	struct recs d = gen(42, 600, 25);
	assert_true(d.n > a.n);
	for (size_t i = 0; i < a.n; i++)
		assert_int_equal(hash_record(0, &a.r[i]), hash_record(0, &d.r[i]));
	free(a.r);
	free(b.r);
	free(c.r);
	free(d.r);
}

/* ---- identifiers ---- */

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Each true child has at most one NHS number and one UPN, and no two children share one. */
static void check_unique_per_child(const struct recs *rs, int upn)
{
	size_t maxc = 0;
	for (size_t i = 0; i < rs->n; i++)
		if (rs->r[i].true_child > maxc)
			maxc = rs->r[i].true_child;
	const char **byc = calloc(maxc + 1, sizeof *byc);
	assert_non_null(byc);
	for (size_t i = 0; i < rs->n; i++) {
		const char *id = upn ? rs->r[i].subject.upn : rs->r[i].subject.nhs_number;
		if (!id[0])
			continue;
		const char **slot = &byc[rs->r[i].true_child];
		if (*slot)
			assert_string_equal(*slot, id);
		else
			*slot = id;
	}
	size_t n = 0;
	for (size_t c = 0; c <= maxc; c++)
		if (byc[c])
			byc[n++] = byc[c];
	assert_true(n > 100);
	qsort(byc, n, sizeof *byc, cmp_str);
	for (size_t i = 1; i < n; i++)
		assert_string_not_equal(byc[i - 1], byc[i]);
	free(byc);
}

static void identifiers_check_valid(void **state)
{
	struct recs rs = gen(7, 800, 30);
	char nhs[IDENT_NHS_LEN + 1], upn[IDENT_UPN_LEN + 1], pc[IDENT_POSTCODE_MAX + 1];
	size_t with_nhs = 0, with_upn = 0;

	for (size_t i = 0; i < rs.n; i++) {
		const struct synth_subject *s = &rs.r[i].subject;
		if (s->nhs_number[0]) {
			assert_int_equal(ident_nhs_check(s->nhs_number, nhs), IDENT_OK);
			assert_string_equal(nhs, s->nhs_number);
			assert_true(s->nhs_number[0] >= '4' && s->nhs_number[0] <= '9');
			with_nhs++;
		}
		if (s->upn[0]) {
			assert_int_equal(ident_upn_check(s->upn, upn), IDENT_OK);
			assert_string_equal(upn, s->upn);
			with_upn++;
		}
		assert_int_equal(ident_postcode_normalise(s->postcode, pc), IDENT_OK);
		assert_string_equal(pc, s->postcode);
		assert_true(s->address[0] != '\0');
		assert_true(s->given_name[0] != '\0' && s->family_name[0] != '\0');
		assert_true(strcmp(s->sex, "M") == 0 || strcmp(s->sex, "F") == 0 || s->sex[0] == '\0');
	}
	assert_true(with_nhs > rs.n / 5);
	assert_true(with_upn > rs.n / 10);
	check_unique_per_child(&rs, 0);
	check_unique_per_child(&rs, 1);

	/* Health usually has the NHS number, police usually not. */
	size_t health = 0, health_nhs = 0, police = 0, police_nhs = 0;
	for (size_t i = 0; i < rs.n; i++) {
		if (strcmp(rs.r[i].agency, "health") == 0) {
			health++;
			health_nhs += rs.r[i].subject.nhs_number[0] != '\0';
		} else if (strcmp(rs.r[i].agency, "police") == 0) {
			police++;
			police_nhs += rs.r[i].subject.nhs_number[0] != '\0';
		}
	}
	assert_true(health_nhs * 10 > health * 8);
	assert_true(police_nhs * 10 < police);
	free(rs.r);
}

/* ---- dates ---- */

static void dates_parse_and_are_in_range(void **state)
{
	struct recs rs = gen(11, 800, 30);
	int64_t today_days = date_to_days(today);

	for (size_t i = 0; i < rs.n; i++) {
		const struct synth_record *r = &rs.r[i];
		struct date dob, ev;
		int64_t epoch;
		assert_int_equal(date_parse_iso(r->subject.dob, &dob), DATE_OK);
		assert_int_equal(ts_parse_rfc3339(r->occurred_at, &epoch), DATE_OK);
		ev = ts_utc_date(epoch);
		assert_true(date_cmp(ev, today) <= 0);
		assert_true(date_to_days(ev) >= today_days - 3 * 366);
		assert_true(date_cmp(dob, today) <= 0);
		if (r->errors & (SYNTH_ERR_DOB_SWAP | SYNTH_ERR_DOB_OFF))
			continue;
		/* the true date of birth: children 0-17, no event before birth */
		int age = date_age_years(dob, today);
		assert_true(age >= 0 && age <= 17);
		assert_true(date_cmp(ev, dob) >= 0);
		if (strcmp(r->agency, "education") == 0)
			assert_true(date_age_years(dob, ev) >= 4);
	}
	free(rs.r);
}

/* ---- kinds, agencies, references ---- */

static int kind_fits(const char *agency, const char *kind)
{
	static const struct {
		const char *agency, *kinds;
	} allowed[] = {
	    {"police", " concern police_callout domestic_abuse_incident missing_start "},
	    {"health", " unscheduled_care injury concern gp_appointment "},
	    {"education", " concern school_absence school_exclusion "},
	    {"social_care", " referral contact visit assessment_start "},
	    {"housing", " concern housing_notice "},
	};
	char word[64];
	size_t n = strlen(kind);
	if (n + 3 > sizeof word)
		return 0;
	word[0] = ' ';
	memcpy(word + 1, kind, n);
	word[n + 1] = ' ';
	word[n + 2] = '\0';
	for (size_t i = 0; i < sizeof allowed / sizeof allowed[0]; i++)
		if (strcmp(allowed[i].agency, agency) == 0)
			return strstr(allowed[i].kinds, word) != NULL;
	return 0;
}

static void kinds_agencies_refs(void **state)
{
	struct recs rs = gen(5, 800, 30);
	const char **refs = malloc(rs.n * sizeof *refs);
	size_t per_agency[5] = {0};
	static const char *const agencies[5] = {"police", "health", "education", "social_care", "housing"};
	static const char *const prefixes[5] = {"POL-", "HLT-", "EDU-", "SC-", "HSG-"};

	assert_non_null(refs);
	for (size_t i = 0; i < rs.n; i++) {
		const struct synth_record *r = &rs.r[i];
		assert_non_null(event_kind_find(r->kind));
		assert_true(kind_fits(r->agency, r->kind));
		assert_true(r->summary[0] != '\0');
		assert_true(r->true_child >= 1 && r->family >= 1 && r->family <= 800);
		size_t a = 0;
		while (a < 5 && strcmp(agencies[a], r->agency) != 0)
			a++;
		assert_true(a < 5);
		per_agency[a]++;
		assert_memory_equal(r->source_ref, prefixes[a], strlen(prefixes[a]));
		refs[i] = r->source_ref;
		/* ordered by family then child */
		if (i > 0) {
			assert_true(r->family >= rs.r[i - 1].family);
			assert_true(r->true_child >= rs.r[i - 1].true_child);
		}
	}
	for (size_t a = 0; a < 5; a++)
		assert_true(per_agency[a] > 0);
	/* source_ref carries its agency's prefix, so unique overall means unique per agency */
	qsort(refs, rs.n, sizeof *refs, cmp_str);
	for (size_t i = 1; i < rs.n; i++)
		assert_string_not_equal(refs[i - 1], refs[i]);
	free(refs);
	free(rs.r);
}

/* ---- the ground truth: twins, and errors that are what they say ---- */

struct truth {
	int known;
	uint64_t family;
	char given[64], family_name[64], dob[11], address[96];
};

/* What each child looks like in its error-free records (which all agree). */
static struct truth *truth_of(const struct recs *rs, size_t *nchild)
{
	size_t maxc = 0;
	for (size_t i = 0; i < rs->n; i++)
		if (rs->r[i].true_child > maxc)
			maxc = rs->r[i].true_child;
	struct truth *t = calloc(maxc + 1, sizeof *t);
	assert_non_null(t);
	for (size_t i = 0; i < rs->n; i++) {
		const struct synth_record *r = &rs->r[i];
		if (r->errors)
			continue;
		struct truth *c = &t[r->true_child];
		if (c->known) {
			assert_string_equal(c->given, r->subject.given_name);
			assert_string_equal(c->family_name, r->subject.family_name);
			assert_string_equal(c->dob, r->subject.dob);
			assert_string_equal(c->address, r->subject.address);
			assert_int_equal(c->family, r->family);
			continue;
		}
		c->known = 1;
		c->family = r->family;
		strcpy(c->given, r->subject.given_name);
		strcpy(c->family_name, r->subject.family_name);
		strcpy(c->dob, r->subject.dob);
		strcpy(c->address, r->subject.address);
	}
	*nchild = maxc;
	return t;
}

static void twins_exist(void **state)
{
	struct recs rs = gen(3, 500, 20);
	size_t n, twins = 0;
	struct truth *t = truth_of(&rs, &n);

	for (size_t c = 2; c <= n; c++) {
		if (!t[c].known || !t[c - 1].known || t[c].family != t[c - 1].family)
			continue;
		if (strcmp(t[c].dob, t[c - 1].dob) == 0) {
			/* the hard case: same surname, dob and address, different child */
			assert_string_not_equal(t[c].given, t[c - 1].given);
			assert_string_equal(t[c].address, t[c - 1].address);
			twins++;
		}
	}
	assert_true(twins >= 3);
	free(t);
	free(rs.r);
}

static void errors_are_what_they_say(void **state)
{
	struct recs rs = gen(9, 2000, 30);
	size_t n, checked = 0;
	struct truth *t = truth_of(&rs, &n);
	const unsigned name_errs = SYNTH_ERR_NICKNAME | SYNTH_ERR_TYPO | SYNTH_ERR_TRANSLIT | SYNTH_ERR_SURNAME_PART;

	for (size_t i = 0; i < rs.n; i++) {
		const struct synth_record *r = &rs.r[i];
		const struct synth_subject *s = &r->subject;
		const struct truth *c = &t[r->true_child];
		if (!r->errors || !c->known)
			continue;
		checked++;
		if (r->errors & SYNTH_ERR_NICKNAME)
			assert_string_not_equal(s->given_name, c->given);
		if (r->errors & SYNTH_ERR_SURNAME_PART) {
			assert_string_not_equal(s->family_name, c->family_name);
			assert_non_null(strchr(c->family_name, '-'));
		}
		if (!(r->errors & name_errs)) {
			assert_string_equal(s->given_name, c->given);
			assert_string_equal(s->family_name, c->family_name);
		}
		if (r->errors & (SYNTH_ERR_DOB_SWAP | SYNTH_ERR_DOB_OFF))
			assert_string_not_equal(s->dob, c->dob);
		else
			assert_string_equal(s->dob, c->dob);
		if (r->errors & SYNTH_ERR_DOB_SWAP) {
			assert_memory_equal(s->dob, c->dob, 5);
			assert_memory_equal(s->dob + 5, c->dob + 8, 2);
			assert_memory_equal(s->dob + 8, c->dob + 5, 2);
		}
		if (r->errors & SYNTH_ERR_MOVED)
			assert_string_not_equal(s->address, c->address);
		else
			assert_string_equal(s->address, c->address);
		if (r->errors & SYNTH_ERR_NO_ID) {
			if (strcmp(r->agency, "health") == 0)
				assert_string_equal(s->nhs_number, "");
			if (strcmp(r->agency, "education") == 0)
				assert_string_equal(s->upn, "");
		}
	}
	assert_true(checked > 1000);
	free(t);
	free(rs.r);
}

static double error_share(const struct recs *rs, unsigned *seen)
{
	size_t with = 0;
	*seen = 0;
	for (size_t i = 0; i < rs->n; i++) {
		with += rs->r[i].errors != 0;
		*seen |= rs->r[i].errors;
	}
	return (double)with / (double)rs->n;
}

static void error_rate_follows_option(void **state)
{
	static const int pcts[] = {0, 5, 20, 50, 100};
	for (size_t k = 0; k < sizeof pcts / sizeof pcts[0]; k++) {
		struct recs rs = gen(100 + k, 2000, pcts[k]);
		unsigned seen;
		double share = error_share(&rs, &seen);
		assert_true(rs.n > 5000);
		assert_true(share >= pcts[k] / 100.0 - 0.02 && share <= pcts[k] / 100.0 + 0.02);
		if (pcts[k] >= 20)
			assert_int_equal(seen, 0xffu); /* every kind of error occurs */
		if (pcts[k] == 0)
			assert_int_equal(seen, 0);
		free(rs.r);
	}
}

/* ---- stopping ---- */

struct stopper {
	int calls, stop_at, value;
};

static int stop_after(const struct synth_record *r, void *ctx)
{
	struct stopper *s = ctx;
	(void)r;
	return ++s->calls == s->stop_at ? s->value : 0;
}

static void emit_stops_generation(void **state)
{
	struct synth_opts o = {.seed = 1, .families = 1000, .today = today, .error_pct = 10};
	struct stopper s = {0, 10, 7};
	assert_int_equal(synth_generate(&o, stop_after, &s), 7);
	assert_int_equal(s.calls, 10);

	s = (struct stopper){0, 1, -3};
	assert_int_equal(synth_generate(&o, stop_after, &s), -3);
	assert_int_equal(s.calls, 1);
}

/* ---- scale ---- */

struct counter {
	uint64_t n, last_child;
};

static int count(const struct synth_record *r, void *ctx)
{
	struct counter *c = ctx;
	c->n++;
	c->last_child = r->true_child;
	return 0;
}

static void many_families(void **state)
{
	struct synth_opts o = {.seed = 99, .families = 20000, .today = {2024, 2, 29}, .error_pct = 15};
	struct counter c = {0};
	assert_int_equal(synth_generate(&o, count, &c), 0);
	/* 1-5 children a family, 1-4 agencies, 1-6 records each */
	assert_true(c.last_child >= 20000 && c.last_child <= 100000);
	assert_true(c.n >= c.last_child);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(options_out_of_range),
	    cmocka_unit_test(same_seed_same_records),
	    cmocka_unit_test(identifiers_check_valid),
	    cmocka_unit_test(dates_parse_and_are_in_range),
	    cmocka_unit_test(kinds_agencies_refs),
	    cmocka_unit_test(twins_exist),
	    cmocka_unit_test(errors_are_what_they_say),
	    cmocka_unit_test(error_rate_follows_option),
	    cmocka_unit_test(emit_stops_generation),
	    cmocka_unit_test(many_families),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
