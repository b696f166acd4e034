/*
 * linkage/norm.c — a record as sent to a record ready to compare: folded names with their canonical forms
 * and phonetic keys, the date of birth parsed (or kept as digits when it cannot be a date), identifiers
 * validated by core/ident.h, the postcode normalised, the address as a set of word hashes.
 */
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "core/ident.h"
#include "core/text.h"
#include "linkage/linkage_int.h"

size_t linkage_name_norm(const char *in, char out[LINKAGE_NAME_MAX])
{
	char tmp[256], folded[256];
	size_t n = 0;
	out[0] = '\0';
	if (!in)
		return 0;
	/* Hyphens, dots, commas and slashes separate the parts of a name ("Khan-Ali", "St.John"); the folding
	 * would drop a hyphen and join the parts. */
	for (; in[n] && n < sizeof tmp - 1; n++)
		tmp[n] = (in[n] == '-' || in[n] == '.' || in[n] == ',' || in[n] == '/' || in[n] == '_') ? ' ' : in[n];
	tmp[n] = '\0';
	if (text_name_fold(tmp, folded, sizeof folded) < 0 && !folded[0])
		return 0;
	size_t len = strlen(folded);
	if (len >= LINKAGE_NAME_MAX) { /* cut on a token boundary */
		len = LINKAGE_NAME_MAX - 1;
		while (len > 0 && folded[len] != ' ')
			len--;
		if (len == 0) { /* one enormous token: cut on a character boundary */
			len = LINKAGE_NAME_MAX - 1;
			while (len > 0 && ((unsigned char)folded[len] & 0xC0) == 0x80)
				len--;
		}
		while (len > 0 && folded[len - 1] == ' ')
			len--;
	}
	memcpy(out, folded, len);
	out[len] = '\0';
	return len;
}

/* ---- nicknames and variants ---- */

/* Index of the first row for variant, or linkage_nnicks. */
static size_t nick_first(const char *v)
{
	size_t lo = 0, hi = linkage_nnicks;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(linkage_nicks[mid].variant, v) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (lo < linkage_nnicks && strcmp(linkage_nicks[lo].variant, v) == 0) ? lo : linkage_nnicks;
}

const char *linkage_name_canonical(const char *folded)
{
	size_t i = folded && folded[0] ? nick_first(folded) : linkage_nnicks;
	return i < linkage_nnicks ? linkage_nicks[i].canonical : NULL;
}

/* Whether name (itself, or as a variant) belongs to canonical c. */
static bool belongs(const char *name, size_t first, const char *c)
{
	if (strcmp(name, c) == 0)
		return true;
	for (size_t i = first; i < linkage_nnicks && strcmp(linkage_nicks[i].variant, name) == 0; i++)
		if (strcmp(linkage_nicks[i].canonical, c) == 0)
			return true;
	return false;
}

bool linkage_name_variants(const char *a, const char *b)
{
	if (!a || !b || !a[0] || !b[0])
		return false;
	if (strcmp(a, b) == 0)
		return true;
	size_t fa = nick_first(a), fb = nick_first(b);
	if (belongs(b, fb, a) || belongs(a, fa, b))
		return true;
	for (size_t i = fa; i < linkage_nnicks && strcmp(linkage_nicks[i].variant, a) == 0; i++)
		if (belongs(b, fb, linkage_nicks[i].canonical))
			return true;
	return false;
}

/* The rows of linkage_nicks_by_canonical whose canonical is c. */
static void var_range(const char *c, uint16_t out[2])
{
	size_t lo = 0, hi = linkage_nnicks;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(linkage_nicks_by_canonical[mid].canonical, c) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	hi = lo;
	while (hi < linkage_nnicks && strcmp(linkage_nicks_by_canonical[hi].canonical, c) == 0)
		hi++;
	out[0] = (uint16_t)lo;
	out[1] = (uint16_t)hi;
}

bool linkage_name_typo_of_variant(const char *a, const char *b)
{
	struct linkage_rec rb;
	size_t la = a ? strlen(a) : 0;
	if (!la || !b || !b[0] || strlen(b) >= LINKAGE_FIELD_MAX)
		return false;
	memset(&rb, 0, sizeof rb);
	memcpy(rb.given, b, strlen(b) + 1); /* shorter than LINKAGE_FIELD_MAX: checked above */
	rb.given_canon = linkage_name_canonical(b);
	var_range(b, rb.given_var[0]);
	if (rb.given_canon)
		var_range(rb.given_canon, rb.given_var[1]);
	return linkage_typo_of_variant(a, la, &rb);
}

bool linkage_typo_of_variant(const char *a, size_t la, const struct linkage_rec *b)
{
	if (b->given_canon && linkage_one_edit(a, la, b->given_canon, strlen(b->given_canon)))
		return true;
	for (int k = 0; k < 2; k++)
		for (uint16_t i = b->given_var[k][0]; i < b->given_var[k][1]; i++) {
			const char *v = linkage_nicks_by_canonical[i].variant;
			size_t lv = strlen(v);
			if (lv + 1 >= la && lv <= la + 1 && linkage_one_edit(a, la, v, lv))
				return true;
		}
	return false;
}

size_t linkage_nickname_count(void)
{
	return linkage_nnicks;
}

const char *linkage_nickname_at(size_t i, const char **canonical)
{
	if (i >= linkage_nnicks)
		return NULL;
	if (canonical)
		*canonical = linkage_nicks[i].canonical;
	return linkage_nicks[i].variant;
}

/* ---- phonetic key ----
 * Written here: Debian packages no C library for Double Metaphone or any other phonetic code. This is a
 * simplified Double Metaphone (its primary code) with rules chosen for how names are romanised in UK
 * records: vowels (and y, w, h after the first letter) carry nothing, so Mohammed, Muhammad and Mohamed
 * agree; d and t, v and f, z and s, q and k, c and k (s before e, i, y) are one sound; ch and sh are one
 * (Chowdhury, Chaudhry); ph is f; kh, gh and dh are k, k and t; an initial vowel is 'A' (Umar, Omar);
 * Somali initial c before a consonant is silent (Cabdullahi, Abdullahi); doubled letters count once. */

static bool is_vowel(char c)
{
	return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y';
}

size_t linkage_phonetic(const char *folded, char out[LINKAGE_PHON_MAX])
{
	char s[LINKAGE_NAME_MAX + 2];
	size_t n = 0, o = 0;
	char last = 0;
	out[0] = '\0';
	if (!folded)
		return 0;
	for (const char *p = folded; *p && n < LINKAGE_NAME_MAX; p++)
		if (*p >= 'a' && *p <= 'z' && (n == 0 || s[n - 1] != *p))
			s[n++] = *p;
	s[n] = s[n + 1] = '\0';
	size_t i = 0;
	if (n >= 2 && ((s[0] == 'k' && s[1] == 'n') || (s[0] == 'g' && s[1] == 'n') || (s[0] == 'p' && s[1] == 'n') ||
		       (s[0] == 'w' && s[1] == 'r') || (s[0] == 'c' && !is_vowel(s[1]) && s[1] != 'h' && s[1] != 'l' &&
							 s[1] != 'r')))
		i = 1;
	for (; i < n && o < LINKAGE_PHON_MAX - 1; i++) {
		char c = s[i], nx = s[i + 1];
		const char *code = "";
		if (o == 0 && last == 0 && (is_vowel(c) || (c == 'w' && nx != 'h' && !is_vowel(nx)))) {
			out[o++] = 'A';
			last = 'A';
			continue;
		}
		switch (c) {
		case 'a': case 'e': case 'i': case 'o': case 'u': case 'y': case 'h':
			if (o == 0 && c == 'h') {
				code = "H";
				break;
			}
			last = 0; /* a vowel separates two equal sounds: "mohamed" keeps both m */
			continue;
		case 'w':
			if (o == 0) {
				code = "W";
				if (nx == 'h')
					i++;
				break;
			}
			last = 0;
			continue;
		case 'b': code = "B"; break;
		case 'c':
			if (nx == 'h') {
				code = "X";
				i++;
			} else if (nx == 'e' || nx == 'i' || nx == 'y') {
				code = "S";
			} else {
				code = "K";
			}
			break;
		case 'd': code = "T"; if (nx == 'h') i++; break;
		case 'f': case 'v': code = "F"; break;
		case 'g':
			if (nx == 'h') {
				code = "K";
				i++;
			} else if (nx == 'e' || nx == 'i' || nx == 'y') {
				code = "J";
			} else {
				code = "K";
			}
			break;
		case 'j': code = "J"; break;
		case 'k': case 'q': code = "K"; if (nx == 'h') i++; break;
		case 'l': code = "L"; break;
		case 'm': code = "M"; break;
		case 'n': code = "N"; break;
		case 'p': if (nx == 'h') { code = "F"; i++; } else code = "P"; break;
		case 'r': code = "R"; break;
		case 's':
			if (nx == 'h') {
				code = "X";
				i++;
			} else if (nx == 'c' && s[i + 2] == 'h') {
				code = "SK";
				i += 2;
			} else {
				code = "S";
			}
			break;
		case 't': code = "T"; if (nx == 'h') i++; break;
		case 'x': code = o == 0 ? "S" : "KS"; break;
		case 'z': code = "S"; break;
		default: continue;
		}
		for (const char *k = code; *k && o < LINKAGE_PHON_MAX - 1; k++) {
			if (*k == last)
				continue;
			out[o++] = *k;
			last = *k;
		}
	}
	out[o] = '\0';
	return o;
}

/* ---- the record ---- */

static uint32_t phon_hash(const char *token_start, size_t len)
{
	char tok[LINKAGE_NAME_MAX], ph[LINKAGE_PHON_MAX];
	if (len >= sizeof tok)
		len = sizeof tok - 1;
	memcpy(tok, token_start, len);
	tok[len] = '\0';
	const char *canon = linkage_name_canonical(tok);
	size_t n = linkage_phonetic(canon ? canon : tok, ph);
	return (uint32_t)linkage_hash64(ph, n, LINKAGE_FNV64) | 1u; /* never 0: 0 means none */
}

static uint32_t name_hash(const char *s, size_t n)
{
	return (uint32_t)linkage_hash64(s, n, LINKAGE_FNV64) | 1u;
}

/* Adds token and its canonical forms to set[0..max) (0 marks a free slot). */
static void set_add(uint32_t *set, size_t max, const char *s, size_t n, int ncanon)
{
	char tok[LINKAGE_NAME_MAX];
	size_t k = 0;
	if (n == 0)
		return;
	if (n >= sizeof tok)
		n = sizeof tok - 1;
	memcpy(tok, s, n);
	tok[n] = '\0';
	while (k < max && set[k])
		k++;
	if (k < max)
		set[k++] = name_hash(tok, n);
	for (size_t i = nick_first(tok); i < linkage_nnicks && ncanon > 0 && k < max &&
					 strcmp(linkage_nicks[i].variant, tok) == 0;
	     i++, ncanon--)
		set[k++] = name_hash(linkage_nicks[i].canonical, strlen(linkage_nicks[i].canonical));
}

static void set_add_tokens(uint32_t *set, size_t max, const char *s)
{
	for (const char *p = s; *p;) {
		size_t n = 0;
		while (p[n] && p[n] != ' ')
			n++;
		set_add(set, max, p, n, 1);
		p += n;
		while (*p == ' ')
			p++;
	}
}

/* Copies at most cap - 1 bytes of s[0..n) into out, cut on a character boundary (UTF-8), NUL-terminated.
 * Returns the length. */
static size_t copy_cut(const char *s, size_t n, char *out, size_t cap)
{
	if (n >= cap) {
		n = cap - 1;
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
	}
	memcpy(out, s, n);
	out[n] = '\0';
	return n;
}

static void prepare_names(const struct linkage_input *in, struct linkage_rec *r)
{
	char g[LINKAGE_NAME_MAX], m[LINKAGE_NAME_MAX], family[LINKAGE_NAME_MAX], rest[2 * LINKAGE_NAME_MAX];
	size_t gl = linkage_name_norm(in->given, g), ml = linkage_name_norm(in->middle, m);
	size_t gt = 0;
	while (gt < gl && g[gt] != ' ')
		gt++;
	r->given_len = (uint8_t)copy_cut(g, gt, r->given, sizeof r->given);
	/* The rest of a multi-word given name ("Mary Ann") counts as a middle name; the middle names are kept
	 * to whole words that fit. */
	size_t mo = 0;
	if (gt < gl) {
		memcpy(rest, g + gt + 1, gl - gt - 1);
		mo = gl - gt - 1;
	}
	if (ml) {
		if (mo)
			rest[mo++] = ' ';
		memcpy(rest + mo, m, ml);
		mo += ml;
	}
	rest[mo] = '\0';
	if (mo >= sizeof r->middle) {
		mo = sizeof r->middle - 1;
		while (mo > 0 && rest[mo] != ' ')
			mo--;
		if (mo == 0)
			mo = copy_cut(rest, sizeof r->middle, r->middle, sizeof r->middle);
	}
	copy_cut(rest, mo, r->middle, sizeof r->middle);
	r->middle_len = (uint8_t)strlen(r->middle);
	/* The words of the given field after its first, as kept in middle (a cut may have dropped some). */
	r->given_extra = 0;
	if (gt < gl) {
		size_t words = 1, kept = r->middle_len ? 1 : 0;
		for (size_t i = gt + 1; i < gl; i++)
			words += g[i] == ' ';
		for (size_t i = 0; i < r->middle_len; i++)
			kept += r->middle[i] == ' ';
		r->given_extra = (uint8_t)(words < kept ? words : kept > 255 ? 255 : kept);
	}
	r->given_canon = linkage_name_canonical(r->given);
	linkage_phonetic(r->given_canon ? r->given_canon : r->given, r->given_phon);

	linkage_name_norm(in->family, family);
	char flat[LINKAGE_NAME_MAX];
	size_t fl = 0, parts = 0;
	const char *first = NULL, *lastp = NULL;
	size_t firstlen = 0, lastlen = 0;
	for (const char *p = family; *p;) {
		const char *st = p;
		while (*p && *p != ' ')
			flat[fl++] = *p++;
		if (!first) {
			first = st;
			firstlen = (size_t)(p - st);
		}
		lastp = st;
		lastlen = (size_t)(p - st);
		parts++;
		while (*p == ' ')
			p++;
	}
	r->family_flat_len = (uint8_t)copy_cut(flat, fl, r->family_flat, sizeof r->family_flat);
	r->nfamily_parts = (uint8_t)(parts > 255 ? 255 : parts);
	const char *fc = linkage_name_canonical(r->family_flat);
	linkage_phonetic(fc ? fc : r->family_flat, r->family_phon);
	r->family_part_phon[0] = first ? phon_hash(first, firstlen) : 0;
	r->family_part_phon[1] = parts > 1 ? phon_hash(lastp, lastlen) : 0;

	r->given_h = r->given_len ? linkage_hash64(r->given, r->given_len, LINKAGE_FNV64) | 1u : 0;
	/* The family level depends on where the name splits ("Ali-Khan" and "ALIKHAN" fold to one flat string but
	 * read differently against "Khan"), so the memo's key is the folded name with its spaces. */
	r->family_h = r->family_flat_len ? linkage_hash64(family, strlen(family), LINKAGE_FNV64 ^ 0x5f) | 1u : 0;
	set_add(r->given_set, 3, r->given, r->given_len, 2);
	set_add_tokens(r->middle_set, LINKAGE_SET_MAX, r->middle);
	set_add_tokens(r->family_set, LINKAGE_SET_MAX, family);
	if (r->given_len) {
		var_range(r->given, r->given_var[0]);
		if (r->given_canon)
			var_range(r->given_canon, r->given_var[1]);
	}
}

static bool all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

/* A month's number from its English name or a prefix of it of three letters or more ("May", "SEPT",
 * "september"), else 0. */
static int month_name(const char *s, size_t n)
{
	static const char *const months[12] = {"january", "february", "march",	   "april",   "may",	  "june",
					       "july",	  "august",   "september", "october", "november", "december"};
	if (n < 3 || n > 9)
		return 0;
	for (int m = 0; m < 12; m++) {
		size_t k = 0;
		while (k < n && months[m][k] && (s[k] | 0x20) == months[m][k])
			k++;
		if (k == n)
			return m + 1;
	}
	return 0;
}

static bool year_like(const char *s)
{
	return (s[0] == '1' && s[1] == '9') || (s[0] == '2' && s[1] == '0');
}

/* Dates as agencies' systems export them: year first (2016-05-03, 2016/05/03, 2016.05.03, 20160503,
 * with or without a time after it) or day first (03/05/2016, 3-5-2016, 03.05.2016, 03052016, 3 May 2016,
 * 03-MAY-2016). Month first (the American order) is not read: a UK record never means it, and reading
 * 03/05 both ways would make every such date ambiguous. The digits are kept as YYYYMMDD whatever the day,
 * so an impossible date is still compared as text. */
static void prepare_dob(const char *in, struct linkage_rec *r)
{
	char s[40];
	size_t n = 0;
	r->dob_state = LINKAGE_DOB_NONE;
	r->dob_digits[0] = '\0';
	if (!in)
		return;
	while (*in == ' ' || *in == '\t')
		in++;
	for (; in[n] && n < sizeof s - 1; n++)
		s[n] = in[n];
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	s[n] = '\0';
	if (n == 0)
		return;
	/* Up to three parts: runs of digits or of letters, separated by one of - / . or spaces. A time after a
	 * year-first date (T or a space, then digits and colons) is dropped. */
	const char *part[3];
	size_t plen[3], np = 0, i = 0;
	bool ok = true;
	while (i < n && ok) {
		if (np == 3) {
			/* a time: "2016-05-03T00:00:00", "2016-05-03 00:00" */
			ok = plen[0] == 4 && (s[i - 1] == 'T' || s[i - 1] == ' ');
			for (size_t k = i; ok && k < n; k++)
				ok = (s[k] >= '0' && s[k] <= '9') || s[k] == ':' || s[k] == '.' || s[k] == 'Z';
			break;
		}
		size_t st = i;
		bool digits = s[i] >= '0' && s[i] <= '9';
		while (i < n && (digits ? (s[i] >= '0' && s[i] <= '9') : ((s[i] | 0x20) >= 'a' && (s[i] | 0x20) <= 'z')))
			i++;
		if (i == st) {
			ok = false;
			break;
		}
		part[np] = s + st;
		plen[np++] = i - st;
		if (i < n) {
			char sep = s[i];
			if (np == 3 && sep == 'T') {
				i++;
				continue;
			}
			if (sep != '-' && sep != '/' && sep != '.' && sep != ' ') {
				ok = false;
				break;
			}
			i++;
			while (i < n && s[i] == ' ' && sep == ' ')
				i++;
		}
	}
	char y[5] = "", mo[3] = "", d[3] = "";
	if (ok && np == 1 && plen[0] == 8 && part[0][0] >= '0' && part[0][0] <= '9') {
		/* 20160503 or 03052016. When both halves look like years (20072013: a day of 19 or 20 written day
		 * first), the year-first reading's month would be 19 or 20, never a month: the day-first one is
		 * meant. */
		if (year_like(part[0]) && !year_like(part[0] + 4)) {
			memcpy(y, part[0], 4), memcpy(mo, part[0] + 4, 2), memcpy(d, part[0] + 6, 2);
		} else if (year_like(part[0] + 4)) {
			memcpy(d, part[0], 2), memcpy(mo, part[0] + 2, 2), memcpy(y, part[0] + 4, 4);
		}
	} else if (ok && np == 3) {
		size_t yi = plen[0] == 4 ? 0 : plen[2] == 4 ? 2 : 3;
		const char *dp = yi == 0 ? part[2] : part[0], *mp = part[1];
		size_t dl = yi == 0 ? plen[2] : plen[0], ml = plen[1];
		bool year_digits = yi < 3 && all_digits(part[yi], 4);
		bool day_digits = dl >= 1 && dl <= 2 && all_digits(dp, dl);
		int mn = all_digits(mp, ml) ? 0 : month_name(mp, ml);
		if (year_digits && day_digits && (mn || (ml >= 1 && ml <= 2 && all_digits(mp, ml)))) {
			memcpy(y, part[yi], 4);
			y[4] = '\0';
			d[0] = dl == 2 ? dp[0] : '0';
			d[1] = dp[dl - 1];
			if (mn) {
				mo[0] = (char)('0' + mn / 10);
				mo[1] = (char)('0' + mn % 10);
			} else {
				mo[0] = ml == 2 ? mp[0] : '0';
				mo[1] = mp[ml - 1];
			}
		}
	}
	if (y[0] && mo[0] && d[0]) {
		memcpy(r->dob_digits, y, 4);
		memcpy(r->dob_digits + 4, mo, 2);
		memcpy(r->dob_digits + 6, d, 2);
		r->dob_digits[8] = '\0';
	}
	if (!r->dob_digits[0]) {
		r->dob_state = LINKAGE_DOB_BADFORMAT;
		r->bad |= LINKAGE_BAD_DOB;
		return;
	}
	const char *g = r->dob_digits;
	struct date dd = {(g[0] - '0') * 1000 + (g[1] - '0') * 100 + (g[2] - '0') * 10 + (g[3] - '0'),
			  (g[4] - '0') * 10 + (g[5] - '0'), (g[6] - '0') * 10 + (g[7] - '0')};
	if (dd.y >= 1 && date_valid(dd)) {
		r->dob = dd;
		r->dob_state = LINKAGE_DOB_VALID;
	} else {
		r->dob_state = LINKAGE_DOB_IMPOSSIBLE;
		r->bad |= LINKAGE_BAD_DOB;
	}
}

static char lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

static bool word_is(const char *s, const char *w)
{
	while (*s == ' ')
		s++;
	for (; *w; s++, w++)
		if (lower(*s) != *w)
			return false;
	while (*s == ' ')
		s++;
	return *s == '\0';
}

static void prepare_sex(const char *in, struct linkage_rec *r)
{
	r->sex = 0;
	if (!in || word_is(in, ""))
		return;
	if (word_is(in, "m") || word_is(in, "male") || word_is(in, "boy"))
		r->sex = 'M';
	else if (word_is(in, "f") || word_is(in, "female") || word_is(in, "girl"))
		r->sex = 'F';
	else if (!word_is(in, "u") && !word_is(in, "unknown") && !word_is(in, "not known"))
		r->bad |= LINKAGE_BAD_SEX;
}

/* Letters upper-cased and digits, nothing else, at most cap - 1. */
static size_t compact_alnum(const char *in, char *out, size_t cap)
{
	size_t o = 0;
	for (; *in && o < cap - 1; in++) {
		char c = *in;
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
			out[o++] = c;
	}
	out[o] = '\0';
	return o;
}

static void prepare_postcode(const char *in, struct linkage_rec *r)
{
	char pc[IDENT_POSTCODE_MAX + 1];
	r->pc_state = LINKAGE_PC_NONE;
	r->postcode[0] = '\0';
	if (!in || word_is(in, ""))
		return;
	if (ident_postcode_normalise(in, pc) == IDENT_OK) {
		snprintf(r->postcode, sizeof r->postcode, "%s", pc);
		r->pc_state = LINKAGE_PC_VALID;
		r->pc_outward_len = (uint8_t)(strchr(pc, ' ') - pc);
	} else {
		r->bad |= LINKAGE_BAD_POSTCODE;
		if (compact_alnum(in, r->postcode, sizeof r->postcode))
			r->pc_state = LINKAGE_PC_BAD;
	}
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return (x > y) - (x < y);
}

static void prepare_address(const char *in, struct linkage_rec *r)
{
	char f[256];
	r->naddr = 0;
	r->addr_hash = 0;
	if (!in || !in[0] || text_name_fold(in, f, sizeof f) < 0 || !f[0])
		return;
	/* "flat", "road" and the like still count: a street's kind tells two streets apart. */
	r->addr_hash = linkage_hash64(f, strlen(f), LINKAGE_FNV64) | 1u;
	for (const char *p = f; *p && r->naddr < LINKAGE_ADDR_TOKENS;) {
		const char *st = p;
		while (*p && *p != ' ')
			p++;
		r->addr[r->naddr++] = (uint32_t)linkage_hash64(st, (size_t)(p - st), LINKAGE_FNV64);
		while (*p == ' ')
			p++;
	}
	qsort(r->addr, r->naddr, sizeof r->addr[0], cmp_u32);
	uint8_t u = 0;
	for (uint8_t i = 0; i < r->naddr; i++)
		if (u == 0 || r->addr[u - 1] != r->addr[i])
			r->addr[u++] = r->addr[i];
	r->naddr = u;
}

_Static_assert(sizeof((struct linkage_rec *)0)->nhs == sizeof((struct linkage_rec *)0)->upn, "nhs and upn sizes");

static void prepare_ident(const char *in, bool nhs, struct linkage_rec *r)
{
	uint8_t *state = nhs ? &r->nhs_state : &r->upn_state;
	char *out = nhs ? r->nhs : r->upn;
	char norm[IDENT_UPN_LEN + 1];
	*state = LINKAGE_ID_NONE;
	out[0] = '\0';
	if (!in || word_is(in, ""))
		return;
	int rc = nhs ? ident_nhs_check(in, norm) : ident_upn_check(in, norm);
	if (rc == IDENT_OK || rc == IDENT_ECHECK) {
		snprintf(out, sizeof r->nhs, "%s", norm); /* r->nhs and r->upn are one size (asserted below) */
		*state = rc == IDENT_OK ? LINKAGE_ID_VALID : LINKAGE_ID_BADCHECK;
	} else {
		*state = compact_alnum(in, out, 16) ? LINKAGE_ID_BADFORMAT : LINKAGE_ID_NONE;
	}
	if (rc != IDENT_OK)
		r->bad |= nhs ? LINKAGE_BAD_NHS : LINKAGE_BAD_UPN;
}

void linkage_prepare(const struct linkage_input *in, struct linkage_rec *r)
{
	memset(r, 0, sizeof *r);
	prepare_names(in, r);
	prepare_dob(in->dob, r);
	prepare_sex(in->sex, r);
	prepare_postcode(in->postcode, r);
	prepare_address(in->address, r);
	prepare_ident(in->nhs, true, r);
	prepare_ident(in->upn, false, r);
	r->upn_temp = r->upn_state == LINKAGE_ID_VALID && ident_upn_temporary(r->upn);
}
