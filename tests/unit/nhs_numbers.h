/*
 * tests/unit/nhs_numbers.h — valid NHS numbers made from nine-digit stems (modulus 11 check digit), for the
 * linkage tests that need many distinct children with identifiers. Header-only (static) because each test is one
 * translation unit; include it after <cmocka.h> (next_nhs fails the test through fail_msg).
 */
#ifndef SAFEGUARD_TESTS_NHS_NUMBERS_H
#define SAFEGUARD_TESTS_NHS_NUMBERS_H

#include <stdio.h>

/* The NHS number of stem nine into out, or 0 when the stem has none (its check digit would be 10). */
static inline int nhs_from(unsigned long nine, char out[11])
{
	unsigned sum = 0;
	snprintf(out, 11, "%09lu", nine);
	for (int i = 0; i < 9; i++)
		sum += (unsigned)(out[i] - '0') * (unsigned)(10 - i);
	unsigned check = 11 - sum % 11;
	if (check == 10)
		return 0;
	out[9] = (char)('0' + (check == 11 ? 0 : check));
	out[10] = 0;
	return 1;
}

/* The next valid NHS number from *nine on, *nine moved past its stem (about one stem in eleven has none);
 * bounded at 11 stems. */
static inline void next_nhs(unsigned long *nine, char out[11])
{
	for (int i = 0; i < 11; i++)
		if (nhs_from((*nine)++, out))
			return;
	fail_msg("no valid NHS number from %lu", *nine);
}

#endif
