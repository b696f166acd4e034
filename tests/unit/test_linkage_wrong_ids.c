/* Unit tests for linkage/wrong_ids.c: an NHS number written from another child of the family is taken as not
 * written when the record's names and birthday say that child; between twins only where the record's source
 * is shown, on brothers and sisters born on other days, to write numbers from another child more often than
 * names; one child's records under two names, a placeholder name ("Baby") and a record whose name is another
 * child's keep their numbers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "nhs_numbers.h"

#include <stdio.h>
#include <string.h>

#include "linkage/linkage.h"

enum { GP = 1, SCHOOL = 2, AE = 3, POLICE = 4, MATERNITY = 5 };

static struct linkage_rec rec(uint8_t src, const char *given, const char *family, const char *dob, const char *sex,
			      const char *addr, const char *nhs)
{
	struct linkage_input in = {given, "", family, dob, sex, "LS12 9XJ", addr, nhs, ""};
	struct linkage_rec r;
	linkage_prepare(&in, &r);
	r.source = src;
	return r;
}


/* Families of two children born on different days, each child's number on a GP and a school record; an A&E
 * record written with the younger child's name and birthday and the elder's number. Returns the index of each
 * family's A&E record in at[]. */
static size_t siblings(struct linkage_rec *r, size_t n, unsigned long *nine, int families, uint8_t src, size_t *at)
{
	static const char *fam[] = {"Okafor", "Lindqvist", "Brennan", "Haddad", "Nowak", "Ferreira", "Tanaka"};
	for (int f = 0; f < families; f++) {
		char ne[11], ny[11], addr[32];
		next_nhs(nine, ne);
		next_nhs(nine, ny);
		snprintf(addr, sizeof addr, "%d Mill Lane", 10 + f);
		r[n++] = rec(GP, "Chidera", fam[f], "2012-03-04", "F", addr, ne);
		r[n++] = rec(SCHOOL, "Chidera", fam[f], "04/03/2012", "F", addr, ne);
		r[n++] = rec(GP, "Emeka", fam[f], "2014-06-07", "M", addr, ny);
		r[n++] = rec(SCHOOL, "Emeka", fam[f], "07/06/2014", "M", addr, ny);
		at[f] = n;
		r[n++] = rec(src, "Emeka", fam[f], "07/06/2014", "M", addr, ne);
	}
	return n;
}

static void a_siblings_number_goes_where_name_and_birthday_say(void **state)
{
	(void)state;
	struct linkage_rec r[16];
	size_t at[1];
	unsigned long nine = 401023456;
	size_t n = siblings(r, 0, &nine, 1, AE, at);
	struct linkage_wrong_ids w;
	assert_int_equal(linkage_drop_wrong_ids(r, n, &w), 1);
	assert_int_equal(r[at[0]].nhs_state, LINKAGE_ID_NONE);
	assert_int_equal(w.number[AE], 1);
	assert_int_equal(w.dropped[AE], 1);
	/* every other record keeps its number */
	for (size_t i = 0; i < n; i++)
		if (i != at[0])
			assert_int_equal(r[i].nhs_state, LINKAGE_ID_VALID);
	/* once not written, the record compares with its own child's records as a record without a number */
	assert_int_equal(linkage_gamma_level(linkage_compare(&r[at[0]], &r[2]), LF_NHS), LINKAGE_LEVEL_NULL);
	/* run again, nothing more goes */
	assert_int_equal(linkage_drop_wrong_ids(r, n, NULL), 0);
}

/* Twins Maria and Alexandra Popescu, one birthday; an A&E record "Maria Popescu" carries Alexandra's number. A&E
 * is shown by five families of brothers and sisters to write a child's number on another child's record (and
 * never the reverse): its twin record loses the number. Twins Ioana and Elena Dumitru: a police record "Ioana"
 * carries Elena's number, and the police have shown nothing: it keeps it. Through the batch, A&E's record then
 * joins Maria, not Alexandra. */
static void between_twins_the_source_decides(void **state)
{
	(void)state;
	struct linkage_rec r[64], before[64];
	size_t at[5];
	unsigned long nine = 512034567;
	char nm[11], na[11];
	next_nhs(&nine, nm);
	next_nhs(&nine, na);
	size_t n = 0;
	r[n++] = rec(GP, "Maria", "Popescu", "2007-09-11", "F", "3 Acre Court", nm);
	r[n++] = rec(SCHOOL, "Maria", "Popescu", "11/09/2007", "F", "3 Acre Court", nm);
	r[n++] = rec(GP, "Alexandra", "Popescu", "2007-09-11", "F", "3 Acre Court", na);
	r[n++] = rec(SCHOOL, "Alexandra", "Popescu", "11/09/2007", "F", "3 Acre Court", na);
	r[n++] = rec(AE, "Alexandra", "Popescu", "11/09/2007", "F", "3 Acre Court", na);
	size_t twin_ae = n;
	r[n++] = rec(AE, "Maria", "Popescu", "11/09/2007", "F", "3 Acre Court", na);
	char ni[11], ne[11];
	next_nhs(&nine, ni);
	next_nhs(&nine, ne);
	r[n++] = rec(GP, "Ioana", "Dumitru", "2009-05-02", "F", "8 Ash Grove", ni);
	r[n++] = rec(GP, "Elena", "Dumitru", "2009-05-02", "F", "8 Ash Grove", ne);
	r[n++] = rec(SCHOOL, "Elena", "Dumitru", "02/05/2009", "F", "8 Ash Grove", ne);
	size_t twin_police = n;
	r[n++] = rec(POLICE, "Ioana", "Dumitru", "02/05/2009", "F", "8 Ash Grove", ne);
	n = siblings(r, n, &nine, 5, AE, at);
	memcpy(before, r, n * sizeof *r);
	struct linkage_wrong_ids w;
	assert_int_equal(linkage_drop_wrong_ids(r, n, &w), 6);
	assert_int_equal(w.number[AE], 5);
	assert_int_equal(w.name[AE], 0);
	assert_int_equal(w.twins[AE], 1);
	assert_true(w.twins_dropped[AE]);
	assert_int_equal(w.twins[POLICE], 1);
	assert_false(w.twins_dropped[POLICE]);
	assert_int_equal(r[twin_ae].nhs_state, LINKAGE_ID_NONE);
	assert_int_equal(r[twin_police].nhs_state, LINKAGE_ID_VALID);

	/* the batch: with the number, A&E's "Maria" joins Alexandra (an equal valid number lifts the refusals);
	 * without it, Maria */
	struct linkage_model m;
	linkage_model_defaults(&m);
	m.lambda = 0.01;
	struct linkage_opts o = {.threads = 1};
	struct linkage_result res;
	assert_int_equal(linkage_dedupe(before, n, &m, &o, &res), 0);
	assert_int_equal(res.cluster[twin_ae], res.cluster[2]);
	assert_int_not_equal(res.cluster[twin_ae], res.cluster[0]);
	linkage_result_free(&res);
	assert_int_equal(linkage_dedupe(r, n, &m, &o, &res), 0);
	assert_int_equal(res.cluster[twin_ae], res.cluster[0]);
	assert_int_not_equal(res.cluster[twin_ae], res.cluster[2]);
	assert_int_not_equal(res.cluster[0], res.cluster[2]);
	linkage_result_free(&res);
}

/* Round 31c. Twins Olivia and Ava Barwell: two A&E records "Ava" carry Olivia's number (the desk kept the family's
 * other card): each is named as the other, but by the same source, which says nothing of Olivia's number's
 * child; they are odd among the number's records and go. Twins Yanlin and Isla Wu: Isla is known only to A&E
 * (her own number on two A&E records), and an A&E record "Isla" carries Yanlin's number: the twin named as it is
 * is found among records of its own source too, and the number goes. A&E is shown by five families of brothers
 * and sisters to write another child's number (as above). */
static void a_desks_habit_and_its_own_twin(void **state)
{
	(void)state;
	struct linkage_rec r[64];
	size_t at[5];
	unsigned long nine = 845067891;
	char no[11], na[11], ny[11], ni[11];
	next_nhs(&nine, no);
	next_nhs(&nine, na);
	next_nhs(&nine, ny);
	next_nhs(&nine, ni);
	size_t n = 0;
	r[n++] = rec(GP, "Olivia", "Barwell", "2018-05-28", "F", "7 Kiln Row", no);
	r[n++] = rec(SCHOOL, "Olivia", "Barwell", "28/05/2018", "F", "7 Kiln Row", no);
	r[n++] = rec(AE, "Olivia", "Barwell", "28/05/2018", "F", "7 Kiln Row", no);
	r[n++] = rec(GP, "Ava", "Barwell", "2018-05-28", "F", "7 Kiln Row", na);
	r[n++] = rec(AE, "Ava", "Barwell", "28/05/2018", "F", "7 Kiln Row", na);
	size_t ava1 = n;
	r[n++] = rec(AE, "Ava", "Barwell", "28/05/2018", "F", "7 Kiln Row", no);
	size_t ava2 = n;
	r[n++] = rec(AE, "Ava", "Barwell", "28/05/2018", "F", "2 Dye Lane", no);
	r[n++] = rec(GP, "Yanlin", "Wu", "2019-01-29", "F", "4 Loom Street", ny);
	r[n++] = rec(SCHOOL, "Yanlin", "Wu", "29/01/2019", "F", "4 Loom Street", ny);
	r[n++] = rec(AE, "Isla", "Wu", "29/01/2019", "F", "4 Loom Street", ni);
	r[n++] = rec(AE, "Isla", "Wu", "29/01/2019", "F", "4 Loom Street", ni);
	size_t isla = n;
	r[n++] = rec(AE, "Isla", "Wu", "29/01/2019", "F", "4 Loom Street", ny);
	size_t own = n;
	n = siblings(r, n, &nine, 5, AE, at);
	struct linkage_wrong_ids w;
	assert_int_equal(linkage_drop_wrong_ids(r, n, &w), 8);
	assert_true(w.twins_dropped[AE]);
	assert_int_equal(w.twins[AE], 3);
	assert_int_equal(r[ava1].nhs_state, LINKAGE_ID_NONE);
	assert_int_equal(r[ava2].nhs_state, LINKAGE_ID_NONE);
	assert_int_equal(r[isla].nhs_state, LINKAGE_ID_NONE);
	for (size_t i = 0; i < own; i++)
		if (i != ava1 && i != ava2 && i != isla)
			assert_int_equal(r[i].nhs_state, LINKAGE_ID_VALID);
}

/* What must keep its number: one child under two unrelated names (Muhammad, known as Ali) with no other child so
 * named; a maternity "Baby" record (a word most of whose records are odd among their number's: no child's name);
 * a record whose birthday agrees with its own number's records while its name is a brother's born another day
 * (the name was written from the other child, counted as such). And with as many "name" as "number" records, a
 * source's twin record keeps its number. */
static void one_child_under_two_names_keeps_its_number(void **state)
{
	(void)state;
	struct linkage_rec r[64];
	unsigned long nine = 623045678;
	char n1[11], n2[11], nb[11];
	size_t n = 0;
	next_nhs(&nine, n1);
	next_nhs(&nine, n2);
	r[n++] = rec(GP, "Muhammad", "Khan", "2010-03-23", "M", "5 Oak Road", n1);
	r[n++] = rec(SCHOOL, "Ali", "Khan", "23/03/2010", "M", "5 Oak Road", n1);
	r[n++] = rec(AE, "Ali", "Khan", "23/03/2010", "M", "5 Oak Road", n1);
	r[n++] = rec(GP, "Yusuf", "Khan", "2013-07-06", "M", "5 Oak Road", n2);
	/* a brother's name on a record dated and numbered as Muhammad's: the name is the other child's */
	size_t named = n;
	r[n++] = rec(AE, "Yusuf", "Khan", "23/03/2010", "M", "5 Oak Road", n1);
	/* maternity's "Baby" records, each beside its child's GP record */
	static const char *fam[] = {"Okafor", "Lindqvist", "Brennan", "Haddad", "Nowak", "Ferreira"};
	for (int f = 0; f < 6; f++) {
		char dob[40];
		snprintf(dob, sizeof dob, "2019-0%d-1%d", 1 + f, f);
		next_nhs(&nine, nb);
		r[n++] = rec(MATERNITY, "Baby", fam[f], dob, "F", "9 Elm Street", nb);
		r[n++] = rec(GP, f % 2 ? "Ada" : "Ines", fam[f], dob, "F", "9 Elm Street", nb);
	}
	struct linkage_wrong_ids w;
	assert_int_equal(linkage_drop_wrong_ids(r, n, &w), 0);
	assert_int_equal(w.name[AE], 1);
	assert_int_equal(w.number[AE], 0);
	assert_int_equal(w.number[GP] + w.number[MATERNITY] + w.twins[GP] + w.twins[MATERNITY], 0);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(r[i].nhs_state, LINKAGE_ID_VALID);
	(void)named;

	/* one "number" record against one "name" record in A&E: a twin record there keeps its number */
	size_t at[1];
	char nm[11], na[11];
	next_nhs(&nine, nm);
	next_nhs(&nine, na);
	r[n++] = rec(GP, "Maria", "Popescu", "2007-09-11", "F", "3 Acre Court", nm);
	r[n++] = rec(GP, "Alexandra", "Popescu", "2007-09-11", "F", "3 Acre Court", na);
	r[n++] = rec(SCHOOL, "Alexandra", "Popescu", "11/09/2007", "F", "3 Acre Court", na);
	size_t twin = n;
	r[n++] = rec(AE, "Maria", "Popescu", "11/09/2007", "F", "3 Acre Court", na);
	n = siblings(r, n, &nine, 1, AE, at);
	assert_int_equal(linkage_drop_wrong_ids(r, n, &w), 1);
	assert_int_equal(w.number[AE], 1);
	assert_int_equal(w.name[AE], 1);
	assert_false(w.twins_dropped[AE]);
	assert_int_equal(r[twin].nhs_state, LINKAGE_ID_VALID);
	assert_int_equal(r[at[0]].nhs_state, LINKAGE_ID_NONE);
}

/* A child's GP record whose number's only other record is maternity's "Baby" (a placeholder: see above) is
 * odd among its number's records on the first reading only; read again with "Baby" as no name it is not
 * judged, and a namesake born the same day at another school with another number takes nothing from it. */
static void beside_a_placeholder_a_record_is_read_again(void **state)
{
	(void)state;
	struct linkage_rec r[32];
	static const char *fam[] = {"Okafor", "Lindqvist", "Brennan", "Haddad", "Nowak", "Ferreira"};
	unsigned long nine = 734056789;
	char nb[11], nx[11];
	size_t n = 0;
	for (int f = 0; f < 6; f++) {
		char dob[40];
		snprintf(dob, sizeof dob, "2019-0%d-1%d", 1 + f, f);
		next_nhs(&nine, nb);
		r[n++] = rec(MATERNITY, "Baby", fam[f], dob, "F", "9 Elm Street", nb);
		r[n++] = rec(GP, f % 2 ? "Ada" : "Ines", fam[f], dob, "F", "9 Elm Street", nb);
	}
	next_nhs(&nine, nx);
	r[n++] = rec(SCHOOL, "Ines", "Okafor", "10/01/2019", "F", "9 Elm Street", nx);
	struct linkage_wrong_ids w;
	assert_int_equal(linkage_drop_wrong_ids(r, n, &w), 0);
	assert_int_equal(w.number[GP] + w.twins[GP] + w.name[GP], 0);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(r[i].nhs_state, LINKAGE_ID_VALID);
}

/* The same families among thousands of other children (each on a GP and a school record, one number, one
 * name): the numbers and the names are then sorted by the radix sort, not qsort (wrong_ids.c, sort_wid, from
 * 4096 entries), and the same records go, counted alike. The scenario's records come last, so that their
 * groups are found across the whole sorted range. */
static void among_thousands_the_same_records_go(void **state)
{
	(void)state;
	enum { CHILDREN = 2600 };
	static const char *syl[] = {"zor", "quil", "vex", "thu", "bri", "gon", "lup", "dax", "rem", "sif",
				    "kov", "yel", "wam", "pid", "ful", "hes", "nur", "cag", "tib", "jos"};
	static struct linkage_rec r[2 * CHILDREN + 64], small[64];
	size_t at[5], sat[5];
	unsigned long nine = 300000000;
	size_t n = 0;
	for (int c = 0; c < CHILDREN; c++) {
		char nhs[11], given[16], family[16], dob[16], addr[32];
		next_nhs(&nine, nhs);
		snprintf(given, sizeof given, "%s%s", syl[c % 20], syl[(c / 20) % 20]);
		snprintf(family, sizeof family, "%s%s%s", syl[(c / 7) % 20], syl[(c / 3) % 20], syl[c % 13]);
		snprintf(dob, sizeof dob, "20%02d-%02d-%02d", 5 + c % 12, 1 + c % 12, 1 + c % 28);
		snprintf(addr, sizeof addr, "%d Long Row", c);
		r[n++] = rec(GP, given, family, dob, c % 2 ? "F" : "M", addr, nhs);
		r[n++] = rec(SCHOOL, given, family, dob, c % 2 ? "F" : "M", addr, nhs);
	}
	size_t first = n;
	unsigned long snine = nine;
	n = siblings(r, n, &nine, 5, AE, at);
	size_t ns = siblings(small, 0, &snine, 5, AE, sat);
	struct linkage_wrong_ids w, ws;
	assert_int_equal(linkage_drop_wrong_ids(small, ns, &ws), 5);
	assert_int_equal(linkage_drop_wrong_ids(r, n, &w), 5);
	assert_int_equal(w.number[AE], ws.number[AE]);
	assert_int_equal(w.name[AE], ws.name[AE]);
	assert_int_equal(w.dropped[AE], 5);
	assert_int_equal(w.grouped[GP], CHILDREN + ws.grouped[GP]);
	for (size_t i = 0; i < ns; i++)
		assert_int_equal(r[first + i].nhs_state, small[i].nhs_state);
	for (int f = 0; f < 5; f++)
		assert_int_equal(r[at[f]].nhs_state, LINKAGE_ID_NONE);
	for (size_t i = 0; i < first; i++)
		assert_int_equal(r[i].nhs_state, LINKAGE_ID_VALID);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(a_siblings_number_goes_where_name_and_birthday_say),
	    cmocka_unit_test(between_twins_the_source_decides),
	    cmocka_unit_test(a_desks_habit_and_its_own_twin),
	    cmocka_unit_test(one_child_under_two_names_keeps_its_number),
	    cmocka_unit_test(beside_a_placeholder_a_record_is_read_again),
	    cmocka_unit_test(among_thousands_the_same_records_go),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
