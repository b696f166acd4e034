/*
 * libFuzzer target for core/ident and core/text: every identifier parser and the name folder on any bytes;
 * and speak up's reference and passphrase as a reporter types them (service/speakup.h, issue 18).
 * Invariants: a normalised value re-checks to itself; check characters agree with their generators;
 * folding is idempotent, keeps UTF-8 valid and never leaves leading, trailing or doubled spaces.
 */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/ident.h"
#include "core/text.h"
#include "service/speakup.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_nhs(const char *s)
{
	char out[IDENT_NHS_LEN + 1], again[IDENT_NHS_LEN + 1];
	int rc = ident_nhs_check(s, out);

	assert(rc == IDENT_OK || rc == IDENT_EFORMAT || rc == IDENT_ECHECK);
	if (rc == IDENT_EFORMAT) {
		assert(out[0] == '\0');
		return;
	}
	assert(strlen(out) == IDENT_NHS_LEN);
	assert(ident_nhs_check(out, again) == rc);
	assert(strcmp(out, again) == 0);
	int digit = ident_nhs_check_digit(out);
	assert((rc == IDENT_OK) == (digit >= 0 && digit == out[9] - '0'));
}

static void check_upn(const char *s)
{
	char out[IDENT_UPN_LEN + 1], again[IDENT_UPN_LEN + 1];
	int rc = ident_upn_check(s, out);

	assert(rc == IDENT_OK || rc == IDENT_EFORMAT || rc == IDENT_ECHECK);
	if (rc == IDENT_EFORMAT) {
		assert(out[0] == '\0');
		return;
	}
	assert(strlen(out) == IDENT_UPN_LEN);
	assert(ident_upn_check(out, again) == rc);
	assert(strcmp(out, again) == 0);
	char letter = ident_upn_check_letter(out + 1);
	assert(letter != 0);
	assert((rc == IDENT_OK) == (letter == out[0]));
	/* a wrong check letter put right gives a valid UPN */
	again[0] = letter;
	assert(ident_upn_check(again, out) == IDENT_OK);
}

static void check_postcode(const char *s)
{
	char out[IDENT_POSTCODE_MAX + 1], again[IDENT_POSTCODE_MAX + 1];
	int rc = ident_postcode_normalise(s, out);

	assert(rc == IDENT_OK || rc == IDENT_EFORMAT);
	if (rc != IDENT_OK) {
		assert(out[0] == '\0');
		return;
	}
	size_t n = strlen(out);
	assert(n >= 6 && n <= IDENT_POSTCODE_MAX);
	assert(out[n - 4] == ' ');
	assert(ident_postcode_normalise(out, again) == IDENT_OK);
	assert(strcmp(out, again) == 0);
}

static void check_text(const char *s, size_t size)
{
	char out[512], again[512], small[8];

	if (text_utf8_valid(s, size))
		assert(text_utf8_length(s, size) <= size);
	(void)text_has_controls(s, size);

	int n = text_name_fold(s, out, sizeof out);
	if (n < 0)
		return; /* too long for this buffer */
	assert((size_t)n == strlen(out));
	assert(text_utf8_valid(out, (size_t)n));
	assert(!text_has_controls(out, (size_t)n));
	if (n > 0) {
		assert(out[0] != ' ' && out[n - 1] != ' ');
		assert(strstr(out, "  ") == NULL);
	}
	assert(text_name_fold(out, again, sizeof again) == n);
	assert(strcmp(out, again) == 0);

	/* a smaller buffer gives -1 and a valid prefix, or the same result */
	int m = text_name_fold(s, small, sizeof small);
	assert(strlen(small) < sizeof small);
	assert(strncmp(out, small, strlen(small)) == 0);
	assert(text_utf8_valid(small, strlen(small)));
	if (m >= 0)
		assert(m == n && strcmp(small, out) == 0);
	else
		assert((size_t)n >= sizeof small - 1);
}

/* A reference parses to 8 characters of its alphabet, shows as SU-XXXX-XXXX and parses back to itself; a
 * passphrase normalises to lower-case words with single spaces, and again to itself. */
static void check_speakup(const char *s)
{
	char ref[STORE_SPEAKUP_REF_LEN + 1], shown[SPEAKUP_REF_SHOWN + 1], again[STORE_SPEAKUP_REF_LEN + 1];
	if (speakup_ref_parse(s, ref) == 0) {
		assert(strlen(ref) == STORE_SPEAKUP_REF_LEN);
		assert(strspn(ref, "ABCDEFGHJKMNPQRSTVWXYZ23456789") == STORE_SPEAKUP_REF_LEN);
		speakup_ref_show(ref, shown);
		assert(strlen(shown) == SPEAKUP_REF_SHOWN);
		assert(speakup_ref_parse(shown, again) == 0 && strcmp(ref, again) == 0);
	}
	char pass[SPEAKUP_PASS_MAX], pass2[SPEAKUP_PASS_MAX];
	if (speakup_pass_normalise(s, pass) == 0) {
		size_t n = strlen(pass);
		assert(n > 0 && n < SPEAKUP_PASS_MAX);
		assert(strspn(pass, "abcdefghijklmnopqrstuvwxyz ") == n);
		assert(pass[0] != ' ' && pass[n - 1] != ' ' && !strstr(pass, "  "));
		assert(speakup_pass_normalise(pass, pass2) == 0 && strcmp(pass, pass2) == 0);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	check_nhs(s);
	check_upn(s);
	check_postcode(s);
	check_text(s, size);
	check_speakup(s);
	free(s);
	return 0;
}
