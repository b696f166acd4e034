/*
 * linkage/compare.c — two prepared records to one comparison level per field, and the string measures
 * behind the name levels (Jaro-Winkler, Levenshtein, one edit or transposition). Written here: Debian has
 * no C library for Jaro-Winkler, and these are a few dozen lines on short, bounded names.
 */
#include <stdlib.h>
#include <string.h>

#include "lib/rng.h"
#include "linkage/linkage_int.h"

const unsigned linkage_nlevels[LF_NFIELD] = {
	[LF_GIVEN] = LN_NLEVELS, [LF_FAMILY] = LN_NLEVELS, [LF_MIDDLE] = LM_NLEVELS,
	[LF_DOB] = LD_NLEVELS,   [LF_SEX] = LS_NLEVELS,    [LF_POSTCODE] = LP_NLEVELS,
	[LF_ADDRESS] = LA_NLEVELS, [LF_NHS] = LI_NLEVELS,  [LF_UPN] = LI_NLEVELS,
};

const char *const linkage_field_name[LF_NFIELD] = {
	"given_name", "family_name", "middle_names", "dob", "sex", "postcode", "address", "nhs_number", "upn",
};

const char *linkage_level_name(enum linkage_field f, unsigned level)
{
	static const char *const names[LF_NFIELD][LINKAGE_MAX_LEVELS] = {
		[LF_GIVEN] = {"missing", "exact", "variant", "close", "phonetic", "near", "short_form",
			      "given_middle_swapped", "two_edits", "else"},
		[LF_FAMILY] = {"missing", "exact", "variant", "close", "phonetic", "near", "short_form", "part",
			       "two_edits", "else"},
		[LF_MIDDLE] = {"missing", "exact", "partial", "else"},
		[LF_DOB] = {"missing", "exact", "day_month_swapped", "day_or_month_off_by_one", "year_off_by_one",
			    "one_digit", "two_parts_equal", "else"},
		[LF_SEX] = {"missing", "equal", "different"},
		[LF_POSTCODE] = {"missing", "full", "sector", "district", "area", "else"},
		[LF_ADDRESS] = {"missing", "exact", "overlap", "else"},
		[LF_NHS] = {"missing", "equal_valid", "typo", "both_valid_different", "else"},
		[LF_UPN] = {"missing", "equal_valid", "typo", "both_valid_different", "else"},
	};
	if ((unsigned)f >= LF_NFIELD || level >= linkage_nlevels[f])
		return "?";
	return names[f][level];
}

/* ---- string measures ---- */

double linkage_jaro_winkler(const char *a, size_t alen, const char *b, size_t blen)
{
	unsigned char amatch[256] = {0}, bmatch[256] = {0};
	if (alen == 0 && blen == 0)
		return 1.0;
	if (alen == 0 || blen == 0)
		return 0.0;
	if (alen > 255)
		alen = 255;
	if (blen > 255)
		blen = 255;
	size_t range = (alen > blen ? alen : blen) / 2;
	range = range > 0 ? range - 1 : 0;
	size_t m = 0;
	for (size_t i = 0; i < alen; i++) {
		size_t lo = i > range ? i - range : 0, hi = i + range + 1 < blen ? i + range + 1 : blen;
		for (size_t j = lo; j < hi; j++)
			if (!bmatch[j] && a[i] == b[j]) {
				amatch[i] = bmatch[j] = 1;
				m++;
				break;
			}
	}
	if (m == 0)
		return 0.0;
	size_t t = 0, k = 0;
	for (size_t i = 0; i < alen; i++) {
		if (!amatch[i])
			continue;
		while (!bmatch[k])
			k++;
		if (a[i] != b[k])
			t++;
		k++;
	}
	double md = (double)m;
	double jaro = (md / (double)alen + md / (double)blen + (md - (double)t / 2.0) / md) / 3.0;
	size_t p = 0;
	while (p < 4 && p < alen && p < blen && a[p] == b[p])
		p++;
	return jaro + (double)p * 0.1 * (1.0 - jaro);
}

/* Jaro-Winkler when it can reach floor, else 0 (the same value whenever it is at least floor). An upper
 * bound first: the matching characters are at most the bytes the two strings share (as multisets), and the
 * prefix bonus at most 0.4 of what is left; most pairs of unrelated names stop there. */
static double jw_at_least(const char *a, size_t alen, const char *b, size_t blen, double floor)
{
	if (!alen || !blen)
		return linkage_jaro_winkler(a, alen, b, blen) >= floor ? linkage_jaro_winkler(a, alen, b, blen) : 0.0;
	unsigned char ca[256] = {0};
	size_t common = 0;
	for (size_t i = 0; i < alen; i++)
		ca[(unsigned char)a[i]]++;
	for (size_t i = 0; i < blen; i++)
		if (ca[(unsigned char)b[i]]) {
			ca[(unsigned char)b[i]]--;
			common++;
		}
	double mm = (double)common, bound = (mm / (double)alen + mm / (double)blen + 1.0) / 3.0;
	bound += 0.4 * (1.0 - bound);
	if (common == 0 || bound < floor)
		return 0.0;
	double jw = linkage_jaro_winkler(a, alen, b, blen);
	return jw >= floor ? jw : 0.0;
}

unsigned linkage_edit_distance(const char *a, size_t alen, const char *b, size_t blen, unsigned max)
{
	unsigned row[257];
	if (alen > 256)
		alen = 256;
	if (blen > 256)
		blen = 256;
	if ((alen > blen ? alen - blen : blen - alen) > max)
		return max + 1;
	for (size_t j = 0; j <= blen; j++)
		row[j] = (unsigned)j;
	for (size_t i = 1; i <= alen; i++) {
		unsigned diag = row[0], best;
		row[0] = (unsigned)i;
		best = row[0];
		for (size_t j = 1; j <= blen; j++) {
			unsigned up = row[j], v = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < v)
				v = up + 1;
			if (row[j - 1] + 1 < v)
				v = row[j - 1] + 1;
			diag = up;
			row[j] = v;
			if (v < best)
				best = v;
		}
		if (best > max)
			return max + 1;
	}
	return row[blen] > max ? max + 1 : row[blen];
}

bool linkage_one_edit(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t i = 0;
	if (alen == blen) {
		while (i < alen && a[i] == b[i])
			i++;
		if (i == alen)
			return true;
		/* one substitution, or two adjacent swapped */
		if (memcmp(a + i + 1, b + i + 1, alen - i - 1) == 0)
			return true;
		return i + 1 < alen && a[i] == b[i + 1] && a[i + 1] == b[i] &&
		       memcmp(a + i + 2, b + i + 2, alen - i - 2) == 0;
	}
	if (alen + 1 == blen || blen + 1 == alen) {
		const char *s = alen < blen ? a : b, *l = alen < blen ? b : a;
		size_t sl = alen < blen ? alen : blen;
		while (i < sl && s[i] == l[i])
			i++;
		return memcmp(s + i, l + i + 1, sl - i) == 0;
	}
	return false;
}

/* ---- fields ---- */

static size_t first_token(const char *s, char out[LINKAGE_NAME_MAX])
{
	size_t n = 0;
	while (s[n] && s[n] != ' ' && n < LINKAGE_NAME_MAX - 1) {
		out[n] = s[n];
		n++;
	}
	out[n] = '\0';
	return n;
}

/* Whether the shorter of two names is a short form of the longer that no table lists: its start (three
 * letters or more once a diminutive ending is set aside: "tobie" -> "tob" in "tobiloba") or its end (four
 * letters or more: "femi" in "oluwafemi"). */
static bool short_form(const char *a, size_t al, const char *b, size_t bl)
{
	const char *x = al <= bl ? a : b, *y = al <= bl ? b : a;
	size_t xl = al <= bl ? al : bl, yl = al <= bl ? bl : al;
	if (xl < 3 || xl == yl)
		return false;
	if (xl >= 4 && memcmp(y + yl - xl, x, xl) == 0)
		return true;
	static const char *const endings[] = {"", "ie", "ee", "y", "o", "i", "a"};
	for (size_t k = 0; k < sizeof endings / sizeof endings[0]; k++) {
		size_t el = strlen(endings[k]);
		if (xl < 3 + el || memcmp(x + xl - el, endings[k], el) != 0)
			continue;
		size_t pl = xl - el;
		if (pl < yl && memcmp(x, y, pl) == 0)
			return true;
	}
	return false;
}

/* The level of the given names alone (everything but the swap with a middle name). */
static unsigned given_names(const struct linkage_rec *a, const struct linkage_rec *b)
{
	if (a->given_len == b->given_len && memcmp(a->given, b->given, a->given_len) == 0)
		return LN_EXACT;
	if (linkage_sets_meet(a->given_set, 3, b->given_set, 3))
		return LN_VARIANT;
	if (linkage_one_edit(a->given, a->given_len, b->given, b->given_len))
		return LN_CLOSE;
	double jw = jw_at_least(a->given, a->given_len, b->given, b->given_len, 0.88);
	if (jw >= 0.92)
		return LN_CLOSE;
	if (a->given_phon[0] && strcmp(a->given_phon, b->given_phon) == 0)
		return LN_PHONETIC;
	if (jw >= 0.88 || (!a->given_canon && linkage_typo_of_variant(a->given, a->given_len, b)) ||
	    (!b->given_canon && linkage_typo_of_variant(b->given, b->given_len, a)))
		return LN_NEAR;
	if (short_form(a->given, a->given_len, b->given, b->given_len))
		return LN_SHORT;
	if (linkage_edit_distance(a->given, a->given_len, b->given, b->given_len, 2) <= 2)
		return LN_EDIT2;
	return LN_ELSE;
}

/* The given field joined: the given name and the words of the field after it (given_extra) with no space
 * between them ("qing" + "kai" -> "qingkai"). Returns the length. */
static size_t given_joined(const struct linkage_rec *r, char out[2 * LINKAGE_FIELD_MAX])
{
	size_t n = r->given_len;
	memcpy(out, r->given, n);
	const char *p = r->middle;
	for (unsigned w = 0; w < r->given_extra && *p; w++) {
		while (*p && *p != ' ')
			out[n++] = *p++;
		while (*p == ' ')
			p++;
	}
	return n;
}

/* A compound given name written apart, hyphenated or whole ("Qing Kai", "Qing-Kai", "Qingkai"; "Mary-Jane",
 * "Maryjane"; "Abdul Rahman", "Abdulrahman"): the same name, only the writing differs (agencies write it
 * every way), so it is the exact level. Only for a given field of two words or more on one side at least;
 * the middle names field is never joined (a middle name is not part of the name the child is called by).
 * docs/BENCHMARKS.md, "Round 30d". */
bool linkage_given_written_apart(const struct linkage_rec *a, const struct linkage_rec *b)
{
	if (!a->given_extra && !b->given_extra)
		return false;
	char ja[2 * LINKAGE_FIELD_MAX], jb[2 * LINKAGE_FIELD_MAX];
	size_t na = given_joined(a, ja), nb = given_joined(b, jb);
	return na == nb && memcmp(ja, jb, na) == 0;
}

unsigned linkage_cmp_given_names(const struct linkage_rec *a, const struct linkage_rec *b)
{
	if (!a->given_len || !b->given_len)
		return LINKAGE_LEVEL_NULL;
	if (a->given_h == b->given_h && a->given_len == b->given_len && memcmp(a->given, b->given, a->given_len) == 0)
		return LN_EXACT;
	if (linkage_given_written_apart(a, b))
		return LN_EXACT;
	return given_names(a, b);
}

/* A child known by a middle name: one record's given name is one of the other's middle names. */
static unsigned given_level(const struct linkage_rec *a, const struct linkage_rec *b, unsigned names)
{
	if (names != LN_EXACT && linkage_given_written_apart(a, b))
		return LN_EXACT;
	if (names >= LN_EDIT2 && (linkage_sets_meet(a->given_set, 3, b->middle_set, LINKAGE_SET_MAX) ||
				  linkage_sets_meet(b->given_set, 3, a->middle_set, LINKAGE_SET_MAX)))
		return LN_SWAPPED;
	return names;
}

unsigned linkage_cmp_given(const struct linkage_rec *a, const struct linkage_rec *b)
{
	if (!a->given_len || !b->given_len)
		return LINKAGE_LEVEL_NULL;
	return given_level(a, b, given_names(a, b));
}

unsigned linkage_cmp_family(const struct linkage_rec *a, const struct linkage_rec *b)
{
	if (!a->family_flat_len || !b->family_flat_len)
		return LINKAGE_LEVEL_NULL;
	if (a->family_flat_len == b->family_flat_len && memcmp(a->family_flat, b->family_flat, a->family_flat_len) == 0)
		return LN_EXACT;
	if (a->nfamily_parts == 1 && b->nfamily_parts == 1 &&
	    linkage_sets_meet(a->family_set, LINKAGE_SET_MAX, b->family_set, LINKAGE_SET_MAX))
		return LN_VARIANT;
	if (linkage_one_edit(a->family_flat, a->family_flat_len, b->family_flat, b->family_flat_len))
		return LN_CLOSE;
	double jw = jw_at_least(a->family_flat, a->family_flat_len, b->family_flat, b->family_flat_len, 0.88);
	if (jw >= 0.92)
		return LN_CLOSE;
	if (a->family_phon[0] && strcmp(a->family_phon, b->family_phon) == 0)
		return LN_PHONETIC;
	if ((a->nfamily_parts > 1 || b->nfamily_parts > 1) &&
	    linkage_sets_meet(a->family_set, LINKAGE_SET_MAX, b->family_set, LINKAGE_SET_MAX))
		return LN_SWAPPED; /* "part" for family names */
	if (jw >= 0.88)
		return LN_NEAR;
	if (linkage_edit_distance(a->family_flat, a->family_flat_len, b->family_flat, b->family_flat_len, 2) <= 2)
		return LN_EDIT2;
	return LN_ELSE;
}

unsigned linkage_cmp_middle(const struct linkage_rec *a, const struct linkage_rec *b)
{
	if (!a->middle_len || !b->middle_len)
		return LINKAGE_LEVEL_NULL;
	if (a->middle_len == b->middle_len && memcmp(a->middle, b->middle, a->middle_len) == 0)
		return LM_EXACT;
	if (linkage_sets_meet(a->middle_set, LINKAGE_SET_MAX, b->middle_set, LINKAGE_SET_MAX))
		return LM_PARTIAL;
	char ta[LINKAGE_NAME_MAX], tb[LINKAGE_NAME_MAX];
	size_t na = first_token(a->middle, ta), nb = first_token(b->middle, tb);
	if (linkage_one_edit(ta, na, tb, nb) || jw_at_least(ta, na, tb, nb, 0.92) >= 0.92)
		return LM_PARTIAL;
	return LM_ELSE;
}

unsigned linkage_cmp_dob(const struct linkage_rec *a, const struct linkage_rec *b)
{
	if (!a->dob_digits[0] || !b->dob_digits[0])
		return LINKAGE_LEVEL_NULL;
	if (a->dob_state == LINKAGE_DOB_VALID && b->dob_state == LINKAGE_DOB_VALID) {
		struct date x = a->dob, y = b->dob;
		if (x.y == y.y && x.m == y.m && x.d == y.d)
			return LD_EXACT;
		if (x.y == y.y && x.d == y.m && x.m == y.d)
			return LD_SWAP;
		if (x.y == y.y && ((x.m == y.m && abs(x.d - y.d) == 1) || (x.d == y.d && abs(x.m - y.m) == 1)))
			return LD_OFF1;
		if (x.m == y.m && x.d == y.d && abs(x.y - y.y) == 1)
			return LD_YEAR1;
	}
	/* An impossible date is never trusted: at best it is one slip away from the other. */
	if (linkage_one_edit(a->dob_digits, 8, b->dob_digits, 8))
		return LD_TYPO;
	if (a->dob_state == LINKAGE_DOB_VALID && b->dob_state == LINKAGE_DOB_VALID) {
		struct date x = a->dob, y = b->dob;
		if ((x.y == y.y) + (x.m == y.m) + (x.d == y.d) == 2)
			return LD_PART;
	}
	return LD_ELSE;
}

unsigned linkage_cmp_postcode(const struct linkage_rec *a, const struct linkage_rec *b)
{
	if (a->pc_state == LINKAGE_PC_NONE || b->pc_state == LINKAGE_PC_NONE)
		return LINKAGE_LEVEL_NULL;
	if (a->pc_state == LINKAGE_PC_VALID && b->pc_state == LINKAGE_PC_VALID) {
		if (strcmp(a->postcode, b->postcode) == 0)
			return LP_FULL;
		size_t ol = a->pc_outward_len;
		if (ol != b->pc_outward_len || memcmp(a->postcode, b->postcode, ol) != 0) {
			size_t k = 0;
			while (a->postcode[k] >= 'A' && a->postcode[k] <= 'Z' && a->postcode[k] == b->postcode[k])
				k++;
			bool area = k > 0 && !(a->postcode[k] >= 'A' && a->postcode[k] <= 'Z') &&
				    !(b->postcode[k] >= 'A' && b->postcode[k] <= 'Z');
			return area ? LP_AREA : LP_ELSE;
		}
		return a->postcode[ol + 1] == b->postcode[ol + 1] ? LP_SECTOR : LP_DISTRICT;
	}
	/* A postcode of the wrong shape is compared as text (without spaces), never as a full match. */
	char x[16], y[16];
	size_t xn = 0, yn = 0;
	for (const char *p = a->postcode; *p; p++)
		if (*p != ' ')
			x[xn++] = *p;
	for (const char *p = b->postcode; *p; p++)
		if (*p != ' ')
			y[yn++] = *p;
	if (xn == yn && memcmp(x, y, xn) == 0)
		return LP_SECTOR;
	if (linkage_one_edit(x, xn, y, yn))
		return LP_DISTRICT;
	return LP_ELSE;
}

unsigned linkage_cmp_address(const struct linkage_rec *a, const struct linkage_rec *b)
{
	if (!a->naddr || !b->naddr)
		return LINKAGE_LEVEL_NULL;
	if (a->addr_hash == b->addr_hash)
		return LA_EXACT;
	unsigned common = 0, i = 0, j = 0;
	while (i < a->naddr && j < b->naddr) {
		if (a->addr[i] == b->addr[j]) {
			common++;
			i++;
			j++;
		} else if (a->addr[i] < b->addr[j]) {
			i++;
		} else {
			j++;
		}
	}
	unsigned shorter = a->naddr < b->naddr ? a->naddr : b->naddr;
	return (common >= 2 && 3 * common >= 2 * shorter) ? LA_OVERLAP : LA_ELSE;
}

unsigned linkage_cmp_ident(uint8_t as, const char *a, uint8_t bs, const char *b)
{
	if (as == LINKAGE_ID_NONE || bs == LINKAGE_ID_NONE)
		return LINKAGE_LEVEL_NULL;
	bool eq = strcmp(a, b) == 0;
	if (as == LINKAGE_ID_VALID && bs == LINKAGE_ID_VALID)
		return eq ? LI_EQUAL : LI_DIFF_VALID;
	/* At least one fails its check: a typo, so at best weak agreement. */
	if (eq || linkage_one_edit(a, strlen(a), b, strlen(b)))
		return LI_TYPO;
	return LI_ELSE;
}

/* Two UPNs; a temporary one (upn_temp) against another UPN, on two records that name the child alike (given
 * names equal, middle names not unrelated: the given-name and middle-name levels given), is compared as not
 * written: a temporary UPN stands in for a permanent one the school did not know yet (DfE; ident_upn_temporary),
 * so one pupil's records carry both, and two schools may each give a pupil a temporary one. Between records of
 * two names it stays two pupils' numbers: a twin's temporary UPN beside her sister's permanent one is what held
 * three pairs of twins apart at a million records of style d (docs/BENCHMARKS.md, "Round 30a"). Equal, it is
 * still one number. */
unsigned linkage_cmp_upn(const struct linkage_rec *a, const struct linkage_rec *b, unsigned given, unsigned middle)
{
	unsigned l = linkage_cmp_ident(a->upn_state, a->upn, b->upn_state, b->upn);
	return l == LI_DIFF_VALID && (a->upn_temp || b->upn_temp) && given == LN_EXACT && middle != LM_ELSE
		       ? LINKAGE_LEVEL_NULL
		       : l;
}

static unsigned cmp_sex(const struct linkage_rec *a, const struct linkage_rec *b)
{
	if (!a->sex || !b->sex)
		return LINKAGE_LEVEL_NULL;
	return a->sex == b->sex ? LS_EQUAL : LS_DIFF;
}

static unsigned memo_get(struct linkage_memo *m, int k, uint64_t ha, uint64_t hb, bool *hit)
{
	uint64_t key = rng_mix64(ha < hb ? ha ^ rng_mix64(hb) : hb ^ rng_mix64(ha)) | 1u;
	size_t slot = key & ((1u << LINKAGE_MEMO_BITS) - 1);
	*hit = m->key[k][slot] == key;
	return *hit ? m->level[k][slot] : (unsigned)slot;
}

static void memo_put(struct linkage_memo *m, int k, uint64_t ha, uint64_t hb, unsigned slot, unsigned level)
{
	m->key[k][slot] = rng_mix64(ha < hb ? ha ^ rng_mix64(hb) : hb ^ rng_mix64(ha)) | 1u;
	m->level[k][slot] = (uint8_t)level;
}

static linkage_gamma compare_rest(const struct linkage_rec *a, const struct linkage_rec *b, linkage_gamma g);

/* The level of one name against a name from the other field (crossed): by the strings and their phonetic
 * keys only (the variant table lists given names). */
static unsigned cross_level(const char *x, size_t xl, const char *xp, const char *y, size_t yl, const char *yp)
{
	if (!xl || !yl)
		return LINKAGE_LEVEL_NULL;
	if (xl == yl && memcmp(x, y, xl) == 0)
		return LN_EXACT;
	if (linkage_one_edit(x, xl, y, yl))
		return LN_CLOSE;
	double jw = jw_at_least(x, xl, y, yl, 0.88);
	if (jw >= 0.92)
		return LN_CLOSE;
	if (xp[0] && strcmp(xp, yp) == 0)
		return LN_PHONETIC;
	return jw >= 0.88 ? LN_NEAR : LN_ELSE;
}

/* x's given name against y's family name crossed; against either part of a double-barrelled family name
 * too, by the phonetic key ("Hoqua" beside "Zenua Hoque"). */
static unsigned cross_given(const struct linkage_rec *x, const struct linkage_rec *y)
{
	unsigned l = cross_level(x->given, x->given_len, x->given_phon, y->family_flat, y->family_flat_len, y->family_phon);
	if ((l == LINKAGE_LEVEL_NULL || l > LN_PHONETIC) && x->given_phon[0] && y->nfamily_parts > 1) {
		uint32_t h = (uint32_t)linkage_hash64(x->given_phon, strlen(x->given_phon), LINKAGE_FNV64) | 1u;
		if (h == y->family_part_phon[0] || h == y->family_part_phon[1])
			l = LN_PHONETIC;
	}
	return l;
}

bool linkage_names_crossed(const struct linkage_rec *a, const struct linkage_rec *b)
{
	unsigned cg = cross_given(a, b);
	unsigned cf = cross_given(b, a);
	return cg != LINKAGE_LEVEL_NULL && cf != LINKAGE_LEVEL_NULL && cg <= LN_NEAR && cf <= LN_NEAR;
}

/* Names in each other's fields: when neither name agrees as written (level two edits or worse, or one
 * missing) and both agree crosswise (each at least "near"), the crossed levels stand for the names. */
static linkage_gamma cross_names(const struct linkage_rec *a, const struct linkage_rec *b, linkage_gamma g)
{
	unsigned gl = linkage_gamma_level(g, LF_GIVEN), fl = linkage_gamma_level(g, LF_FAMILY);
	if ((gl != LINKAGE_LEVEL_NULL && gl < LN_EDIT2) || (fl != LINKAGE_LEVEL_NULL && fl < LN_EDIT2) ||
	    (gl == LINKAGE_LEVEL_NULL && fl == LINKAGE_LEVEL_NULL))
		return g;
	unsigned cg = cross_given(a, b);
	unsigned cf = cross_given(b, a);
	if (cg == LINKAGE_LEVEL_NULL || cf == LINKAGE_LEVEL_NULL || cg > LN_NEAR || cf > LN_NEAR)
		return g;
	/* The better of the two crossed pairs goes in the given name's level and the worse in the family's, so
	 * that compare(a, b) == compare(b, a): which record's given name met which family name is not a fact
	 * about the pair (fuzz_linkage_norm found the asymmetry). */
	unsigned lo = cg < cf ? cg : cf, hi = cg < cf ? cf : cg;
	g &= ~(((linkage_gamma)15 << (4 * LF_GIVEN)) | ((linkage_gamma)15 << (4 * LF_FAMILY)));
	return g | ((linkage_gamma)lo << (4 * LF_GIVEN)) | ((linkage_gamma)hi << (4 * LF_FAMILY)) | LINKAGE_GAMMA_CROSSED;
}

linkage_gamma linkage_compare_memo(const struct linkage_rec *a, const struct linkage_rec *b, struct linkage_memo *m)
{
	linkage_gamma g = 0;
	bool hit;
	if (a->given_len && b->given_len) {
		unsigned r = memo_get(m, 0, a->given_h, b->given_h, &hit), names = r;
		if (!hit) {
			names = given_names(a, b);
			memo_put(m, 0, a->given_h, b->given_h, r, names);
		}
		g |= (linkage_gamma)given_level(a, b, names) << (4 * LF_GIVEN);
	}
	if (a->family_flat_len && b->family_flat_len) {
		unsigned r = memo_get(m, 1, a->family_h, b->family_h, &hit), level = r;
		if (!hit) {
			level = linkage_cmp_family(a, b);
			memo_put(m, 1, a->family_h, b->family_h, r, level);
		}
		g |= (linkage_gamma)level << (4 * LF_FAMILY);
	}
	return compare_rest(a, b, cross_names(a, b, g));
}

linkage_gamma linkage_compare(const struct linkage_rec *a, const struct linkage_rec *b)
{
	linkage_gamma g = 0;
	g |= (linkage_gamma)linkage_cmp_given(a, b) << (4 * LF_GIVEN);
	g |= (linkage_gamma)linkage_cmp_family(a, b) << (4 * LF_FAMILY);
	return compare_rest(a, b, cross_names(a, b, g));
}

static linkage_gamma compare_rest(const struct linkage_rec *a, const struct linkage_rec *b, linkage_gamma g)
{
	unsigned middle = linkage_cmp_middle(a, b);
	g |= (linkage_gamma)middle << (4 * LF_MIDDLE);
	g |= (linkage_gamma)linkage_cmp_dob(a, b) << (4 * LF_DOB);
	g |= (linkage_gamma)cmp_sex(a, b) << (4 * LF_SEX);
	unsigned pc = linkage_cmp_postcode(a, b);
	g |= (linkage_gamma)pc << (4 * LF_POSTCODE);
	/* The address counts only where the postcodes are equal or one is missing: a move changes
	 * both, and the two fields are far from independent, so counting both would punish one move twice. */
	if (pc == LINKAGE_LEVEL_NULL || pc == LP_FULL)
		g |= (linkage_gamma)linkage_cmp_address(a, b) << (4 * LF_ADDRESS);
	g |= (linkage_gamma)linkage_cmp_ident(a->nhs_state, a->nhs, b->nhs_state, b->nhs) << (4 * LF_NHS);
	g |= (linkage_gamma)linkage_cmp_upn(a, b, linkage_gamma_level(g, LF_GIVEN), middle) << (4 * LF_UPN);
	return g;
}

const char *linkage_cannot_link(linkage_gamma g, bool *hard)
{
	return linkage_cannot_link_with(g, LINKAGE_REFUSE_DEFAULT, hard);
}

const char *linkage_cannot_link_with(linkage_gamma g, linkage_refuse_set refuse, bool *hard)
{
	unsigned nhs = linkage_gamma_level(g, LF_NHS), upn = linkage_gamma_level(g, LF_UPN);
	unsigned given = linkage_gamma_level(g, LF_GIVEN), family = linkage_gamma_level(g, LF_FAMILY);
	unsigned dob = linkage_gamma_level(g, LF_DOB);
	bool dummy;
	if (!hard)
		hard = &dummy;
	*hard = true;
	if (nhs == LI_DIFF_VALID && upn != LI_EQUAL)
		return "nhs_number";
	if (upn == LI_DIFF_VALID && nhs != LI_EQUAL)
		return "upn";
	*hard = false;
	if (nhs == LI_EQUAL || upn == LI_EQUAL)
		return NULL;
	/* Sexes differ and so do the given names (Amir and Amira): two children. With one given name, a sex
	 * written wrongly is likelier, and the field's weight says how much it counts. */
	bool same_given = given == LN_EXACT && (!(g & LINKAGE_GAMMA_CROSSED) || family == LN_EXACT);
	if ((refuse & LINKAGE_REFUSE_SEX) && linkage_gamma_level(g, LF_SEX) == LS_DIFF && !same_given) {
		*hard = true;
		return "sex";
	}
	/* Same family, (nearly) the same birthday, unrelated given names: twins, or one child known by a
	 * middle name that neither record holds. Never in one cluster unless a record shows the middle name
	 * (clustering lifts it then). */
	if ((refuse & LINKAGE_REFUSE_TWINS) && given == LN_ELSE && family != LINKAGE_LEVEL_NULL && family != LN_ELSE &&
	    dob != LINKAGE_LEVEL_NULL && dob != LD_ELSE && dob != LD_PART) {
		*hard = true;
		return "twins";
	}
	if ((refuse & LINKAGE_REFUSE_GIVEN) && (given == LN_EDIT2 || given == LN_ELSE))
		return "given_name";
	/* Born on unrelated days: brothers and sisters share everything else a record holds. */
	if ((refuse & LINKAGE_REFUSE_DOB) && dob == LD_ELSE)
		return "dob";
	return NULL;
}

bool linkage_transposed_twins(linkage_refuse_set refuse, const struct linkage_rec *a, const struct linkage_rec *b,
			      linkage_gamma g)
{
	unsigned dob = linkage_gamma_level(g, LF_DOB);
	return (refuse & LINKAGE_REFUSE_TRANSPOSED) && a->given_as_family && b->given_as_family &&
	       (a->family_as_given || b->family_as_given) &&
	       !(g & LINKAGE_GAMMA_CROSSED) && linkage_gamma_level(g, LF_GIVEN) == LN_EXACT &&
	       linkage_gamma_level(g, LF_FAMILY) == LN_ELSE && dob != LINKAGE_LEVEL_NULL && dob != LD_ELSE &&
	       dob != LD_PART && linkage_gamma_level(g, LF_NHS) != LI_EQUAL && linkage_gamma_level(g, LF_UPN) != LI_EQUAL;
}
