/*
 * core/ident.c — NHS numbers, UPNs and postcodes (see ident.h).
 *
 * Hand-written character tests rather than <ctype.h>: the classes must not depend on the locale, and
 * <ctype.h> is undefined for negative chars, which any byte of user input can be.
 */
#include "core/ident.h"

#include <string.h>

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int is_upper(char c)
{
	return c >= 'A' && c <= 'Z';
}

static char to_upper(char c)
{
	return c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
}

/* ---- NHS number ---------------------------------------------------------------------------------- */

int ident_nhs_check_digit(const char first9[9])
{
	int sum = 0;

	if (!first9)
		return -1;
	for (int i = 0; i < 9; i++) {
		if (!is_digit(first9[i]))
			return -1;
		/* DOMAIN.md (NHS Data Dictionary, NHS NUMBER): weights 10 down to 2 on the first nine digits. */
		sum += (first9[i] - '0') * (10 - i);
	}
	int check = 11 - sum % 11;
	if (check == 11)
		return 0;
	if (check == 10) /* no digit fits: such a number is never issued */
		return -1;
	return check;
}

/*
 * Spaces and hyphens are separators only between digits ("943 476 5919", "943-476-5919"); spaces
 * around the whole value are trimmed, as forms and spreadsheets add them. Anything else is a format error.
 */
int ident_nhs_check(const char *in, char out[IDENT_NHS_LEN + 1])
{
	size_t n = 0;
	int hyphen = 0; /* the last separator was a hyphen: valid only if another digit follows */

	if (out)
		out[0] = '\0';
	if (!in || !out)
		return IDENT_EFORMAT;
	while (*in == ' ')
		in++;
	for (; *in; in++) {
		char c = *in;
		if (is_digit(c)) {
			if (n == IDENT_NHS_LEN)
				goto bad;
			out[n++] = c;
			hyphen = 0;
		} else if (c == ' ' || c == '-') {
			if (c == '-' && n == 0)
				goto bad;
			hyphen = hyphen || c == '-';
		} else {
			goto bad;
		}
	}
	if (n != IDENT_NHS_LEN || hyphen)
		goto bad;
	out[n] = '\0';
	int check = ident_nhs_check_digit(out);
	return check >= 0 && out[9] - '0' == check ? IDENT_OK : IDENT_ECHECK;
bad:
	out[0] = '\0';
	return IDENT_EFORMAT;
}

/* ---- Unique Pupil Number ------------------------------------------------------------------------- */

/* DfE, "Unique pupil numbers (UPN)": check letters and letters of temporary UPNs omit I, O and S. */
static const char upn_letters[] = "ABCDEFGHJKLMNPQRTUVWXYZ";

/* The index of an upper-case letter in upn_letters, or -1. */
static int upn_letter_value(char c)
{
	const char *p = is_upper(c) ? memchr(upn_letters, c, sizeof upn_letters - 1) : NULL;
	return p ? (int)(p - upn_letters) : -1;
}

char ident_upn_check_letter(const char rest12[12])
{
	int sum = 0;

	if (!rest12)
		return 0;
	/*
	 * DfE UPN guidance: characters 2-13 are weighted 2..13; digits count as themselves, the letter
	 * ending a temporary UPN counts as its index in the 23-letter alphabet (A=0 ... Z=22); the sum
	 * mod 23 indexes the check letter in the same alphabet.
	 */
	for (int i = 0; i < 12; i++) {
		char c = rest12[i];
		int v;
		if (is_digit(c))
			v = c - '0';
		else if (i == 11 && (v = upn_letter_value(c)) >= 0)
			;
		else
			return 0;
		sum += v * (i + 2);
	}
	return upn_letters[sum % 23];
}

/* Spaces are dropped anywhere ("B801 2000 05001"); letters are upper-cased. */
int ident_upn_check(const char *in, char out[IDENT_UPN_LEN + 1])
{
	size_t n = 0;

	if (out)
		out[0] = '\0';
	if (!in || !out)
		return IDENT_EFORMAT;
	for (; *in; in++) {
		if (*in == ' ')
			continue;
		if (n == IDENT_UPN_LEN) {
			out[0] = '\0';
			return IDENT_EFORMAT;
		}
		out[n++] = to_upper(*in);
	}
	out[n] = '\0';
	if (n != IDENT_UPN_LEN || upn_letter_value(out[0]) < 0) {
		out[0] = '\0';
		return IDENT_EFORMAT;
	}
	char want = ident_upn_check_letter(out + 1);
	if (want == 0) { /* a non-digit in 2-12, or a last character outside digits and the 23 letters */
		out[0] = '\0';
		return IDENT_EFORMAT;
	}
	return want == out[0] ? IDENT_OK : IDENT_ECHECK;
}

bool ident_upn_temporary(const char *upn)
{
	return upn && strlen(upn) == IDENT_UPN_LEN && upn_letter_value(upn[IDENT_UPN_LEN - 1]) >= 0;
}

/* ---- Postcode ------------------------------------------------------------------------------------ */

/*
 * Shape only, as ident.h states: 'A' a letter, '9' a digit. The Royal Mail's finer letter rules (no Q, V,
 * X first; inward letters never C, I, K, M, O, V) are not applied: a postcode that passes here may still
 * not exist, and only the PAF can say that.
 */
static const char *const outward_shapes[] = {"A9", "A99", "A9A", "AA9", "AA99", "AA9A"};

static int matches_shape(const char *s, size_t len, const char *shape)
{
	if (strlen(shape) != len)
		return 0;
	for (size_t i = 0; i < len; i++)
		if (shape[i] == 'A' ? !is_upper(s[i]) : !is_digit(s[i]))
			return 0;
	return 1;
}

/*
 * Spaces and tabs are allowed around the value and between the outward and inward codes (any number:
 * " sw1a  1aa "), nowhere else: "S W1A 1AA" is a format error rather than a guess.
 */
int ident_postcode_normalise(const char *in, char out[IDENT_POSTCODE_MAX + 1])
{
	char c7[7]; /* the compact form: at most 4 + 3 characters */
	size_t n = 0;
	size_t gap_at = 0; /* position in c7 where an inner run of spaces was seen, 0 when none */
	int space = 0;

	if (out)
		out[0] = '\0';
	if (!in || !out)
		return IDENT_EFORMAT;
	for (; *in; in++) {
		char c = *in;
		if (c == ' ' || c == '\t') {
			space = 1;
			continue;
		}
		if (space && n > 0) {
			if (gap_at)
				return IDENT_EFORMAT; /* a second inner gap */
			gap_at = n;
		}
		space = 0;
		c = to_upper(c);
		if ((!is_upper(c) && !is_digit(c)) || n == sizeof c7)
			return IDENT_EFORMAT;
		c7[n++] = c;
	}
	if (n < 5 || (gap_at && gap_at != n - 3))
		return IDENT_EFORMAT;
	if (!matches_shape(c7 + n - 3, 3, "9AA"))
		return IDENT_EFORMAT;

	size_t outlen = n - 3;
	int ok = outlen == 3 && memcmp(c7, "GIR0AA", 6) == 0;
	for (size_t i = 0; !ok && i < sizeof outward_shapes / sizeof outward_shapes[0]; i++)
		ok = matches_shape(c7, outlen, outward_shapes[i]);
	if (!ok)
		return IDENT_EFORMAT;

	memcpy(out, c7, outlen);
	out[outlen] = ' ';
	memcpy(out + outlen + 1, c7 + outlen, 3);
	out[n + 1] = '\0';
	return IDENT_OK;
}
