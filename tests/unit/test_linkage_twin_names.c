/* Unit tests for linkage/twin_names.c: after clustering, a twin's record written with her own name (her
 * identified records' commonest name) that clustering left in her twin's cluster leaves it: held apart where the
 * input's twins are written with each other's names now and then (the likelihood ratio under the link's odds),
 * moved to her own cluster where they are not; twins of one name, and a record that holds an identifier, are not
 * read. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "nhs_numbers.h"

#include <stdio.h>
#include <string.h>

#include "linkage/linkage.h"
#include "linkage/linkage_int.h"

enum { GP = 1, SCHOOL = 2, AE = 3, POLICE = 4 };

static struct linkage_rec rec(uint8_t src, const char *given, const char *family, const char *dob, const char *addr,
			      const char *nhs)
{
	struct linkage_input in = {given, "", family, dob, "F", "LS12 9XJ", addr, nhs, ""};
	struct linkage_rec r;
	linkage_prepare(&in, &r);
	r.source = src;
	return r;
}

#define MAXR 1024

struct set {
	struct linkage_rec r[MAXR];
	uint32_t cluster[MAXR];
	float p[MAXR];
	size_t n;
	unsigned long nine;
};

/* One child's records, each with her number (GP, school, A&E), as one cluster; returns its first index. */
static uint32_t child(struct set *s, const char *given, const char *family, const char *dob, const char *addr)
{
	char nhs[11];
	next_nhs(&s->nine, nhs);
	uint32_t first = (uint32_t)s->n;
	const uint8_t src[3] = {GP, SCHOOL, AE};
	for (int k = 0; k < 3 && s->n < MAXR; k++) {
		s->r[s->n] = rec(src[k], given, family, dob, addr, nhs);
		s->cluster[s->n] = first;
		s->p[s->n] = 1;
		s->n++;
	}
	return first;
}

/* families of twins with related names (one letter apart), one birthday and home each */
static void twins(struct set *s, int families, uint32_t *a, uint32_t *b)
{
	static const char *names[][2] = {{"Ameli", "Amelia"}, {"Lily", "Lilly"}, {"Evie", "Evi"}, {"Connor", "Conner"}};
	for (int f = 0; f < families; f++) {
		char fam[32], addr[32], dob[16];
		snprintf(fam, sizeof fam, "Thompsonfield%c%c", 'a' + f % 26, 'a' + f / 26);
		snprintf(addr, sizeof addr, "%d Mill Lane", 10 + f);
		snprintf(dob, sizeof dob, "2015-%02d-%02d", 1 + f % 12, 1 + f % 28);
		uint32_t x = child(s, names[f % 4][0], fam, dob, addr), y = child(s, names[f % 4][1], fam, dob, addr);
		if (f == 0) {
			*a = x;
			*b = y;
		}
	}
}

/* A police record "Amelia" without a number in the first family's Ameli's cluster (as a link by the home left it). */
static uint32_t stray(struct set *s, uint32_t a)
{
	uint32_t i = (uint32_t)s->n++;
	s->r[i] = rec(POLICE, "Amelia", s->r[a].family_flat, "2015-01-01", "10 Mill Lane", "");
	s->cluster[i] = a;
	s->p[i] = 1;
	return i;
}

static void run(struct set *s, struct linkage_twin_names *st)
{
	struct linkage_model m;
	linkage_model_defaults(&m);
	uint64_t clusters = 0;
	linkage_twin_names(s->r, s->n, &m, s->cluster, s->p, &clusters, st);
	linkage_model_release(&m);
}

/* Four families of twins, each twin's three identified records under her own name: the input's ratio is (24 +
 * 1/2) / (0 + 1/2) = 49, under the link's 99: the record is held apart, Ameli and Amelia keep their records. */
static void a_twins_record_under_her_name_is_held_apart(void **state)
{
	(void)state;
	static struct set s;
	memset(&s, 0, sizeof s);
	s.nine = 401023456;
	uint32_t a, b;
	twins(&s, 4, &a, &b);
	uint32_t x = stray(&s, a);
	struct linkage_twin_names st;
	run(&s, &st);
	assert_int_equal(st.pairs, 4);
	assert_int_equal(st.own, 24);
	assert_int_equal(st.twins, 0);
	assert_int_equal(st.held, 1);
	assert_int_equal(st.joined, 0);
	assert_int_equal(s.cluster[x], x);
	assert_true(s.p[x] == 0);
	for (uint32_t k = 0; k < 3; k++) {
		assert_int_equal(s.cluster[a + k], a);
		assert_int_equal(s.cluster[b + k], b);
	}
}

/* Forty families, none written with the twin's name: (240 + 1/2) / (1/2) = 481, over 99: the record joins
 * Amelia's cluster. */
static void at_the_links_odds_it_joins_her_own(void **state)
{
	(void)state;
	static struct set s;
	memset(&s, 0, sizeof s);
	s.nine = 402023456;
	uint32_t a, b;
	twins(&s, 40, &a, &b);
	uint32_t x = stray(&s, a);
	struct linkage_twin_names st;
	run(&s, &st);
	assert_int_equal(st.joined, 1);
	assert_int_equal(st.held, 0);
	assert_int_equal(s.cluster[x], b);
	assert_true(s.p[x] == 1);
	assert_int_equal(s.cluster[a + 1], a);
}

/* Twins of one name (Muhammad and Muhammad Khan): the name does not say which, and a record "Muhammad" in one
 * twin's cluster stays. A record written with the twin's name that holds a number is not read (whose number it
 * is, is wrong_id's question). */
static void when_the_name_says_nothing_nothing_moves(void **state)
{
	(void)state;
	static struct set s;
	struct linkage_twin_names st;
	uint32_t a, b;
	memset(&s, 0, sizeof s);
	s.nine = 404023456;
	uint32_t m1 = child(&s, "Muhammad", "Khan", "2010-03-23", "5 Oak Road");
	uint32_t m2 = child(&s, "Muhammad", "Khan", "2010-03-23", "5 Oak Road");
	(void)m2;
	twins(&s, 4, &a, &b);
	uint32_t y = (uint32_t)s.n++;
	s.r[y] = rec(POLICE, "Muhammad", "Khan", "2010-03-23", "5 Oak Road", "");
	s.cluster[y] = m1;
	uint32_t z = stray(&s, a);
	char nhs[11];
	next_nhs(&s.nine, nhs);
	s.r[z] = rec(POLICE, "Amelia", s.r[a].family_flat, "2015-01-01", "10 Mill Lane", nhs);
	run(&s, &st);
	assert_int_equal(s.cluster[y], m1);
	assert_int_equal(s.cluster[z], a);
	assert_int_equal(st.held + st.joined, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(a_twins_record_under_her_name_is_held_apart),
	    cmocka_unit_test(at_the_links_odds_it_joins_her_own),
	    cmocka_unit_test(when_the_name_says_nothing_nothing_moves),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
