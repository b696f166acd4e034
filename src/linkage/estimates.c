/*
 * linkage/estimates.c — dates of birth a source writes when it does not know one.
 *
 * A police officer told "she's about seven", an A&E triage nurse with no parent present, a housing system
 * that holds years: each writes a date all the same, and the commonest such date is the first of January of
 * the year the age implies. Compared as a birthday, that date is "else" against the child's own records, the
 * level brothers and sisters show, and the `dob` refusal keeps the records apart (bench/linkage/gen_d.mjs,
 * style d: docs/BENCHMARKS.md "Round 28b"). The input says which sources do it: 1 January holds 1/365 of
 * birthdays, so a source whose dates fall on it five times as often or more writes estimates in at least
 * four of five of them. Those dates are taken as not written; a record keeps its names, sex, address and
 * identifiers, and the source's other dates are untouched. No source of styles a, b or c comes near it (the
 * most, 0.6% of one small source's dates), so their records are unchanged.
 */
#include "linkage/linkage_int.h"

/* A source's 1 January share at which its 1 January dates are taken as estimates: five times the share of
 * birthdays (1 / 365.25), i.e. at least 80% of them cannot be birthdays. */
#define ESTIMATE_TIMES 5.0
/* Fewer 1 January dates than this in a source say nothing either way (a small source of 150 dated records
 * would need 3 by chance to pass the share). */
#define ESTIMATE_MIN 20

static bool is_jan1(const struct linkage_rec *r)
{
	return r->dob_state == LINKAGE_DOB_VALID && r->dob.m == 1 && r->dob.d == 1;
}

size_t linkage_drop_estimated_dobs(struct linkage_rec *r, size_t n, struct linkage_estimates *est)
{
	size_t dated[LINKAGE_MAX_SOURCES + 1] = {0}, jan1[LINKAGE_MAX_SOURCES + 1] = {0};
	for (size_t i = 0; i < n; i++) {
		unsigned s = r[i].source <= LINKAGE_MAX_SOURCES ? r[i].source : 0;
		if (r[i].dob_state != LINKAGE_DOB_VALID)
			continue;
		dated[s]++;
		jan1[s] += is_jan1(&r[i]);
	}
	bool drop[LINKAGE_MAX_SOURCES + 1] = {false};
	for (unsigned s = 0; s <= LINKAGE_MAX_SOURCES; s++) {
		drop[s] = jan1[s] >= ESTIMATE_MIN && (double)jan1[s] * 365.25 >= ESTIMATE_TIMES * (double)dated[s];
		if (est) {
			est->dated[s] = dated[s];
			est->jan1[s] = jan1[s];
			est->dropped[s] = drop[s];
		}
	}
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned s = r[i].source <= LINKAGE_MAX_SOURCES ? r[i].source : 0;
		if (drop[s])
			r[i].dob_from_age = 1;
		if (!drop[s] || !is_jan1(&r[i]))
			continue;
		r[i].dob_state = LINKAGE_DOB_NONE;
		r[i].dob = (struct date){0, 0, 0};
		r[i].dob_digits[0] = '\0';
		k++;
	}
	return k;
}

/* Why the year and the year next to it, and nothing closer: a date written from an age is the day the age was
 * given (or any day an officer picks) in the year the age implies, and the child was born that year or the
 * year before, by whether the birthday had come yet; the day and month say nothing. Nothing narrower can be
 * read from one record: which of the source's dates are estimates is not written (1 January's are dropped;
 * the rest look like birthdays). Brothers and sisters born a year apart pass this test too; the pair is then
 * judged on its other fields as any pair is (the weight keeps the unrelated birthdays' level), and a pair of
 * siblings has unrelated given names, which the `given` and `twins` refusals judge. Measured on style d
 * (docs/BENCHMARKS.md, "Round 29"). */
bool linkage_dob_from_age(const struct linkage_rec *a, const struct linkage_rec *b)
{
	if (!a->dob_from_age && !b->dob_from_age)
		return false;
	if (a->dob_state != LINKAGE_DOB_VALID || b->dob_state != LINKAGE_DOB_VALID)
		return false;
	int dy = a->dob.y - b->dob.y;
	return dy >= -1 && dy <= 1 && linkage_cmp_dob(a, b) == LD_ELSE;
}
