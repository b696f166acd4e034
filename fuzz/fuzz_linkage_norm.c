/*
 * libFuzzer target for linkage/: the normaliser and the comparisons on any bytes. The input is split at
 * 0x1e into the nine fields of two records (given, middle, family, dob, sex, postcode, address, nhs, upn,
 * then the second record's). Invariants: normalised names are NUL-terminated, short enough and idempotent;
 * phonetic keys are upper-case ASCII; every field's level is in range and the comparison is symmetric;
 * a record compared with itself never reaches a cannot-link reason from names or dates; a score's weight
 * is the prior plus the fields' contributions.
 * --refuse's list (linkage_refuse_parse) on the first field, against 64 rule names (the 31 of today and r31..r63):
 * refused, the set is unchanged and the place named starts an item; taken, the set written back as a list of
 * its names parses to the same set (every bit to 63 kept), and with the 31 names bits 31..63 are the starting
 * set's or none.
 */
#include <assert.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "linkage/linkage.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const refuse_names[64] = {
    "sex", "twins", "given", "dob", "names", "possible_twins", "ambiguous", "sex_cluster", "own_ids", "twin_odds",
    "weak", "stray", "id_asym", "transposed", "name_order", "stray_name", "birthdays", "own_name", "thin_bound",
    "id_u", "block_u", "name_pairs", "read_across", "lone_middle", "age_dates", "wrong_id", "lone_reach",
    "twin_names", "as_heard", "spelt_piece", "even_twins", "r31", "r32", "r33", "r34", "r35", "r36", "r37", "r38",
    "r39", "r40", "r41", "r42", "r43", "r44", "r45", "r46", "r47", "r48", "r49", "r50", "r51", "r52", "r53", "r54",
    "r55", "r56", "r57", "r58", "r59", "r60", "r61", "r62", "r63"};

static void refuse_list(const char *spec)
{
	const linkage_refuse_set start = LINKAGE_REFUSE_DEFAULT | LINKAGE_REFUSE_BIT(40) | LINKAGE_REFUSE_BIT(63);
	for (size_t n = 31; n <= 64; n += 33) {
		linkage_refuse_set set = start;
		size_t bad = (size_t)-1;
		int rc = linkage_refuse_parse(spec, refuse_names, n, &set, &bad);
		assert(rc == 0 || rc == -1);
		if (rc) {
			assert(set == start);
			assert(bad < strlen(spec) + 1 && (bad == 0 || spec[bad - 1] == ','));
			continue;
		}
		if (n == 31) {
			linkage_refuse_set high = ~LINKAGE_REFUSE_FIRST(31);
			assert((set & high) == (start & high) || (set & high) == 0);
			continue;
		}
		char back[64 * 16] = "none";
		for (unsigned k = 0; k < 64; k++)
			if (set & LINKAGE_REFUSE_BIT(k)) {
				strcat(back, ",");
				strcat(back, refuse_names[k]);
			}
		linkage_refuse_set again = ~set;
		assert(linkage_refuse_parse(back, refuse_names, 64, &again, NULL) == 0 && again == set);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 1), *field[18];
	size_t nf = 0;
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	field[nf++] = buf;
	for (size_t i = 0; i < size && nf < 18; i++)
		if (buf[i] == 0x1e) {
			buf[i] = '\0';
			field[nf++] = buf + i + 1;
		}
	while (nf < 18)
		field[nf++] = "";
	refuse_list(field[0]);

	char n1[LINKAGE_NAME_MAX], n2[LINKAGE_NAME_MAX], ph[LINKAGE_PHON_MAX];
	size_t l1 = linkage_name_norm(field[0], n1);
	assert(l1 == strlen(n1) && l1 < LINKAGE_NAME_MAX);
	size_t l2 = linkage_name_norm(n1, n2);
	assert(l2 == l1 && strcmp(n1, n2) == 0);
	size_t lp = linkage_phonetic(n1, ph);
	assert(lp == strlen(ph) && lp < LINKAGE_PHON_MAX);
	for (size_t i = 0; i < lp; i++)
		assert(ph[i] >= 'A' && ph[i] <= 'Z');

	struct linkage_rec a, b;
	struct linkage_input ia = {field[0], field[1], field[2], field[3], field[4], field[5], field[6], field[7], field[8]};
	struct linkage_input ib = {field[9], field[10], field[11], field[12], field[13], field[14], field[15], field[16],
				   field[17]};
	linkage_prepare(&ia, &a);
	linkage_prepare(&ib, &b);
	linkage_gamma g = linkage_compare(&a, &b), h = linkage_compare(&b, &a);
	assert(g == h);
	for (unsigned f = 0; f < LF_NFIELD; f++)
		assert(linkage_gamma_level(g, (enum linkage_field)f) < linkage_nlevels[f]);
	linkage_gamma self = linkage_compare(&a, &a);
	const char *why = linkage_cannot_link(self, NULL);
	assert(!why || strcmp(why, "nhs_number") != 0);
	assert(!why || strcmp(why, "twins") != 0);

	struct linkage_model m;
	struct linkage_score s;
	linkage_model_defaults(&m);
	linkage_score(&m, &a, &b, &s);
	double sum = s.prior;
	for (unsigned f = 0; f < LF_NFIELD; f++)
		sum += s.contribution[f];
	assert(fabs(sum - s.weight) < 1e-6);
	assert(s.probability >= 0.0 && s.probability <= 1.0);
	free(buf);
	return 0;
}
