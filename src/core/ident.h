/*
 * core/ident.h — identifiers that agencies hold for a child, validated and normalised.
 *
 * Pure: no I/O, no allocation. Every function takes the value as sent (NUL-terminated, any length) and
 * writes a normalised copy into a caller buffer of the stated size, always NUL-terminated on success.
 * Returns 0 when the value is well-formed and its check character is right, or a negative IDENT_E*:
 * the caller tells a format error ("not 10 digits") from a typo ("check digit wrong") for its messages.
 * On IDENT_ECHECK out still holds the normalised value (for a "did you mean" message); on IDENT_EFORMAT
 * out is "". A NULL argument is IDENT_EFORMAT.
 */
#ifndef SAFEGUARD_CORE_IDENT_H
#define SAFEGUARD_CORE_IDENT_H

#include <stdbool.h>
#include <stddef.h>

enum {
	IDENT_OK = 0,
	IDENT_EFORMAT = -1, /* wrong shape: length, characters */
	IDENT_ECHECK = -2,  /* right shape, wrong check character: most likely a typo */
};

#define IDENT_NHS_LEN 10
#define IDENT_UPN_LEN 13
#define IDENT_POSTCODE_MAX 8 /* "SW1A 1AA" */

/* NHS number: 10 digits; spaces and hyphens between digits are dropped ("943 476 5919").
 * DOMAIN.md: weights 10..2 on the first nine, check = 11 - (sum mod 11); 11 -> 0; 10 -> never valid. */
int ident_nhs_check(const char *in, char out[IDENT_NHS_LEN + 1]);

/* The check digit for nine leading digits, or -1 when none exists (remainder 10) or one is not a digit.
 * Used by generators. */
int ident_nhs_check_digit(const char first9[9]);

/* Unique Pupil Number: 13 characters, letters upper-cased, spaces dropped. Check letter first, then the
 * 3-digit LA number, 4-digit establishment, 2-digit year, 3-digit serial; a temporary UPN ends in a letter.
 * DOMAIN.md: weights 2..13 on characters 2-13 valued by their index in ABCDEFGHJKLMNPQRTUVWXYZ0123456789
 * (digits as themselves), sum mod 23 indexes the check letter. The LA number is not checked against the
 * list of local authorities (it changes with reorganisations); "UN1".."UN5" are not UPNs (IDENT_EFORMAT). */
int ident_upn_check(const char *in, char out[IDENT_UPN_LEN + 1]);

/* Whether a UPN as ident_upn_check leaves it (13 characters, NUL-terminated) is a temporary one: DfE, "Unique pupil numbers
 * (UPN)": a school that cannot find a pupil's permanent UPN gives a temporary one, whose last character is a
 * letter, and replaces it with the permanent UPN once that is known. So a temporary UPN and another UPN are
 * not two pupils' numbers; two equal temporary UPNs are still one school's one pupil. */
bool ident_upn_temporary(const char *upn);

/* The check letter for characters 2-13 of a UPN, or 0 when one of them is not allowed (2-12 must be digits,
 * 13 a digit or an upper-case letter of the 23-letter alphabet). */
char ident_upn_check_letter(const char rest12[12]);

/* UK postcode: case and spacing normalised to "OUTWARD INWARD" upper case ("ls62ab" -> "LS6 2AB").
 * Returns IDENT_EFORMAT when it is not a UK postcode shape (A9 9AA, A99 9AA, A9A 9AA, AA9 9AA, AA99 9AA,
 * AA9A 9AA, and GIR 0AA). Shape only: the Royal Mail's per-position letter rules are not applied. White
 * space is allowed around the value and between the two halves, not inside either. */
int ident_postcode_normalise(const char *in, char out[IDENT_POSTCODE_MAX + 1]);

#endif
