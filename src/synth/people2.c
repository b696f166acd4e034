/*
 * synth/people2.c — the second generator of children's records (contract in people2.h, lists in
 * people2_names.c).
 *
 * A run: one area (LA and postcode districts) by the seed; households 1..n, each from its own PRNG stream,
 * so a household does not depend on earlier ones. A household: a naming tradition (sometimes another for
 * the given names), two parents' surnames, an address history (moves on dated days), children of one or
 * two unions (twins, triplets), sometimes cousins of the same surname living in. A child: names (a middle
 * name, a short form in use, a name it goes by), a family name that may change on a dated day, a true date
 * of birth, an NHS number and a UPN. Records: dated encounters with sources; each source has its own way of
 * writing a record (date format, case, fields it holds, how careless it is), then each error happens or
 * not on its own rate.
 */
#include "synth/people2.h"

#include <math.h>
#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include "core/ident.h"
#include "lib/rng.h"
#include "synth/people2_int.h"

const char *const p2_factor_name[P2_NFACTORS] = {
	[P2_SWAP_NAMES] = "swap_names",	  [P2_KNOWN_AS] = "known_as",	      [P2_VARIANT_GIVEN] = "variant_given",
	[P2_VARIANT_FAMILY] = "variant_family", [P2_NICKNAME] = "nickname",     [P2_TYPO] = "typo",
	[P2_FAMILY_CHANGE] = "family_change", [P2_FAMILY_PART] = "family_part", [P2_DOB_SWAP] = "dob_swap",
	[P2_DOB_PART] = "dob_part",	  [P2_DOB_YEAR] = "dob_year",	      [P2_DOB_DIGIT] = "dob_digit",
	[P2_DAY_FIRST] = "day_first",	  [P2_EMPTY] = "empty",		      [P2_CASE] = "case",
	[P2_STALE_ADDRESS] = "stale_address", [P2_ID_TYPO] = "id_typo",	      [P2_SEX_WRONG] = "sex_wrong",
	[P2_TWINS] = "twins",		  [P2_RECORDS] = "records",	      [P2_CHILDREN] = "children",
	[P2_DOUBLE_BARREL] = "double_barrel", [P2_MOVES] = "moves",	      [P2_HALF_SIBLINGS] = "half_siblings",
	[P2_COUSINS] = "cousins",	  [P2_MIDDLE] = "middle",
};

/* Defaults: rates a little above what local authorities' data-quality reports describe, so that every
 * kind of error is met often enough to matter. Nothing here was chosen by looking at linkage results. */
const double p2_factor_default[P2_NFACTORS] = {
	[P2_SWAP_NAMES] = 0.015,  [P2_KNOWN_AS] = 0.12,	    [P2_VARIANT_GIVEN] = 0.04, [P2_VARIANT_FAMILY] = 0.03,
	[P2_NICKNAME] = 0.15,	  [P2_TYPO] = 0.03,	    [P2_FAMILY_CHANGE] = 0.04, [P2_FAMILY_PART] = 0.25,
	[P2_DOB_SWAP] = 0.012,	  [P2_DOB_PART] = 0.015,    [P2_DOB_YEAR] = 0.01,      [P2_DOB_DIGIT] = 0.005,
	[P2_DAY_FIRST] = 1.0,	  [P2_EMPTY] = 1.0,	    [P2_CASE] = 1.0,	       [P2_STALE_ADDRESS] = 0.06,
	[P2_ID_TYPO] = 0.006,	  [P2_SEX_WRONG] = 0.004,   [P2_TWINS] = 0.035,	       [P2_RECORDS] = 4.5,
	[P2_CHILDREN] = 2.1,	  [P2_DOUBLE_BARREL] = 0.10, [P2_MOVES] = 0.12,	       [P2_HALF_SIBLINGS] = 0.12,
	[P2_COUSINS] = 0.06,	  [P2_MIDDLE] = 0.6,
};

const char *const p2_error_name[P2E_NBITS] = {
	"swap_names", "known_as", "variant_given", "variant_family", "nickname", "typo", "old_family_name",
	"family_part", "dob_swap", "dob_part", "dob_year", "dob_digit", "empty", "stale_address", "id_typo",
	"sex_wrong", "moved",
};

int p2_factor_find(const char *name)
{
	for (int i = 0; i < P2_NFACTORS; i++)
		if (name && strcmp(name, p2_factor_name[i]) == 0)
			return i;
	return -1;
}

#define MAX_KIDS 10
#define MAX_ADDR 8
#define MAX_HOUSEHOLDS 5000000

/* ---- small helpers ---- */

static void scopy(char *dst, size_t cap, const char *src)
{
	size_t n = strlen(src);
	if (n >= cap)
		n = cap - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

static void sput(char *dst, size_t cap, size_t *pos, const char *src)
{
	while (*src && *pos + 1 < cap)
		dst[(*pos)++] = *src++;
	dst[*pos] = '\0';
}

static void sput_num(char *dst, size_t cap, size_t *pos, unsigned long long v, unsigned width)
{
	char t[24];
	unsigned n = 0;
	do {
		t[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v && n < sizeof t);
	while (n < width && n < sizeof t)
		t[n++] = '0';
	char o[25];
	for (unsigned i = 0; i < n; i++)
		o[i] = t[n - 1 - i];
	o[n] = '\0';
	sput(dst, cap, pos, o);
}

static bool chance(struct rng *r, double p)
{
	return p > 0 && rng_unit(r) < p;
}

/* ln and exp written out (frexp and halving are exact), so that the records do not depend on the libm a
 * machine has: the same options give the same bytes everywhere. */
static double det_ln(double x)
{
	int e;
	double m = frexp(x, &e);
	if (m < 0.7071067811865476) {
		m *= 2;
		e--;
	}
	double y = (m - 1) / (m + 1), y2 = y * y, t = y, s = 0;
	for (int k = 1; k < 40; k += 2) {
		s += t / k;
		t *= y2;
	}
	return 2 * s + e * 0.6931471805599453;
}

static double det_exp(double x)
{
	int k = 0;
	while ((x > 0.5 || x < -0.5) && k < 60) {
		x /= 2;
		k++;
	}
	double s = 1, t = 1;
	for (int i = 1; i < 20; i++) {
		t *= x / i;
		s += t;
	}
	while (k-- > 0)
		s *= s;
	return s;
}

/* Poisson by inversion (means here are small). */
static unsigned poisson(struct rng *r, double mean)
{
	if (mean <= 0)
		return 0;
	double u = rng_unit(r), term = det_exp(-mean), cum = term;
	unsigned k = 0;
	while (u > cum && k < 60) {
		k++;
		term *= mean / k;
		cum += term;
	}
	return k;
}

/* A popularity-ordered list: index drawn with weight about 1/(i+1) (Zipf's law). */
static unsigned zipf(struct rng *r, unsigned n)
{
	double x = det_exp(rng_unit(r) * det_ln((double)n + 1.0)) - 1.0;
	unsigned i = x < 0 ? 0 : (unsigned)x;
	return i < n ? i : n - 1;
}

static bool is_vowel(char c)
{
	return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
}

static void lower_ascii(char *s)
{
	for (; *s; s++)
		if (*s >= 'A' && *s <= 'Z')
			*s = (char)(*s - 'A' + 'a');
}

static void upper_ascii(char *s)
{
	for (; *s; s++)
		if (*s >= 'a' && *s <= 'z')
			*s = (char)(*s - 'a' + 'A');
}

/* Capital at the start of each word (after space, hyphen or apostrophe). */
static void title_ascii(char *s)
{
	bool start = true;
	for (; *s; s++) {
		if (*s >= 'a' && *s <= 'z' && start)
			*s = (char)(*s - 'a' + 'A');
		else if (*s >= 'A' && *s <= 'Z' && !start)
			*s = (char)(*s - 'A' + 'a');
		start = *s == ' ' || *s == '-' || *s == '\'';
	}
}

/* ---- names no list holds: syllables ---- */

static const char *const onsets[] = {"b", "d", "k", "l", "m", "n", "r", "s", "t", "v", "z", "j", "h", "sh",
				     "ch", "kh", "th", "y", "f", "g", "p", "dr", "kr", "st", "br", "tr", "w", "",
				     ""};
static const char *const nuclei[] = {"a", "e", "i", "o", "u", "a", "e", "i", "ai", "ee", "ia", "ou", "ay"};
static const char *const codas[] = {"", "", "", "n", "r", "l", "s", "m", "k", "sh", "th", "d", "nd", "st"};
static const char *const surname_ends[] = {"", "", "", "ov", "enko", "son", "ley", "ton", "ez", "ini", "ski",
					   "ani", "wala", "ogu", "ard", "well", "i", "u"};

/* An invented name, the same for the same (key, index): "popular" invented names recur. */
static void invented(uint64_t key, unsigned idx, int kind, char *out, size_t cap)
{
	struct rng r;
	rng_seed(&r, rng_mix64(key ^ rng_mix64((uint64_t)idx * 0x9e37u + (uint64_t)kind * 0x7f4a7c15u)));
	size_t pos = 0;
	unsigned syl = 2 + (rng_below(&r, 3) == 0);
	out[0] = '\0';
	for (unsigned s = 0; s < syl; s++) {
		sput(out, cap, &pos, onsets[rng_below(&r, sizeof onsets / sizeof onsets[0])]);
		sput(out, cap, &pos, nuclei[rng_below(&r, sizeof nuclei / sizeof nuclei[0])]);
		if (s + 1 == syl || rng_below(&r, 3) == 0)
			sput(out, cap, &pos, codas[rng_below(&r, sizeof codas / sizeof codas[0])]);
	}
	if (kind == 1 && pos > 0 && !is_vowel(out[pos - 1]))
		sput(out, cap, &pos, rng_below(&r, 2) ? "a" : "ie"); /* girls' names end in a vowel more often */
	if (kind == 2)
		sput(out, cap, &pos, surname_ends[rng_below(&r, sizeof surname_ends / sizeof surname_ends[0])]);
	if (pos < 3)
		sput(out, cap, &pos, kind == 1 ? "na" : "ran");
	title_ascii(out);
}

/* ---- spelling variants by edit operations ---- */

struct rule {
	const char *from, *to;
	bool at_end;
};

/* How a name's spelling moves between writers and alphabets: vowels, doubled letters, h after a
 * consonant, y and i, k and c, ph and f, -ah and -a. None of this consults a list of names. */
static const struct rule rules[] = {
	{"ou", "u", 0},	  {"u", "ou", 0},  {"oo", "u", 0},   {"u", "oo", 0},  {"ee", "i", 0},	{"i", "ee", 0},
	{"ie", "i", 0},	  {"y", "i", 0},   {"i", "y", 0},    {"ph", "f", 0},  {"f", "ph", 0},	{"k", "c", 0},
	{"c", "k", 0},	  {"ck", "k", 0},  {"kh", "k", 0},   {"k", "kh", 0},  {"dh", "d", 0},	{"th", "t", 0},
	{"t", "th", 0},	  {"j", "y", 0},   {"y", "j", 0},    {"v", "w", 0},   {"w", "v", 0},	{"z", "s", 0},
	{"s", "z", 0},	  {"x", "ks", 0},  {"q", "k", 0},    {"a", "e", 0},   {"e", "a", 0},	{"o", "u", 0},
	{"u", "o", 0},	  {"e", "i", 0},   {"i", "e", 0},    {"ai", "ay", 0}, {"ay", "ai", 0},	{"ei", "ey", 0},
	{"ia", "iya", 0}, {"iya", "ia", 0}, {"ah", "a", 1},  {"a", "ah", 1},  {"e", "", 1},	{"y", "ie", 1},
	{"ie", "y", 1},	  {"sh", "sch", 0}, {"ch", "tch", 0}, {"g", "gh", 0}, {"gh", "g", 0},	{"d", "dh", 0},
};
#define NRULES (sizeof rules / sizeof rules[0])

static bool apply_one(struct rng *r, char *s, size_t cap)
{
	/* Candidate edits: each rule at each place it applies, plus doubling or undoubling a consonant. */
	size_t len = strlen(s);
	unsigned total = 0;
	struct cand {
		unsigned short rule, pos;
	} cand[256];
	for (unsigned k = 0; k < NRULES; k++) {
		size_t fl = strlen(rules[k].from);
		for (size_t i = 0; i + fl <= len && total < 250; i++) {
			if (rules[k].at_end && i + fl != len)
				continue;
			if (memcmp(s + i, rules[k].from, fl) == 0)
				cand[total++] = (struct cand){(unsigned short)k, (unsigned short)i};
		}
	}
	for (size_t i = 1; i < len && total < 256; i++)
		if (!is_vowel(s[i]) && s[i] >= 'a' && s[i] <= 'z')
			cand[total++] = (struct cand){(unsigned short)NRULES, (unsigned short)i};
	if (!total)
		return false;
	unsigned pick = rng_below(r, total);
	char out[128];
	size_t o = 0, i = cand[pick].pos;
	if (cand[pick].rule == NRULES) {
		if (i + 1 < len && s[i + 1] == s[i]) { /* undouble */
			memcpy(out, s, i);
			o = i;
			memcpy(out + o, s + i + 1, len - i - 1);
			o += len - i - 1;
		} else if (len + 1 < cap && len + 1 < sizeof out) { /* double */
			memcpy(out, s, i + 1);
			out[i + 1] = s[i];
			memcpy(out + i + 2, s + i + 1, len - i - 1);
			o = len + 1;
		} else {
			return false;
		}
	} else {
		const struct rule *ru = &rules[cand[pick].rule];
		size_t fl = strlen(ru->from), tl = strlen(ru->to);
		if (len - fl + tl + 1 > cap || len - fl + tl + 1 > sizeof out)
			return false;
		memcpy(out, s, i);
		memcpy(out + i, ru->to, tl);
		memcpy(out + i + tl, s + i + fl, len - i - fl);
		o = len - fl + tl;
	}
	out[o] = '\0';
	if (o < 2 || strcmp(out, s) == 0)
		return false;
	memcpy(s, out, o + 1);
	return true;
}

/* A spelling variant of name (one or two edits of the kinds above) into out; false when none. */
static bool variant(struct rng *r, const char *name, char *out, size_t cap)
{
	char w[128];
	scopy(w, sizeof w, name);
	lower_ascii(w);
	bool done = false;
	for (int tries = 0; tries < 6 && !done; tries++)
		done = apply_one(r, w, sizeof w);
	if (done && rng_below(r, 3) == 0)
		apply_one(r, w, sizeof w);
	if (!done)
		return false;
	title_ascii(w);
	bool differs = strcmp(w, name) != 0;
	scopy(out, cap, w);
	return differs;
}

/* A short form a child goes by: the name cut after its first vowel and consonant (Olek, Kav, Tob), with
 * an ending sometimes (Olly, Tobie), or its last syllables (Femi from Oluwafemi). */
static void short_form(struct rng *r, const char *name, char *out, size_t cap)
{
	char w[64];
	scopy(w, sizeof w, name);
	lower_ascii(w);
	size_t len = strlen(w), i = 0;
	if (len >= 7 && rng_below(r, 4) == 0) {
		size_t st = len - 4;
		while (st > 2 && is_vowel(w[st]))
			st--;
		scopy(out, cap, w + st);
		title_ascii(out);
		return;
	}
	while (i < len && !is_vowel(w[i]))
		i++;
	while (i < len && is_vowel(w[i]))
		i++;
	if (i < len)
		i++;
	if (i < len && w[i] == 'h')
		i++;
	if (i < 3)
		i = len < 4 ? len : 4;
	char o[64];
	memcpy(o, w, i);
	o[i] = '\0';
	size_t pos = i;
	unsigned k = rng_below(r, 10);
	if (k < 3)
		sput(o, sizeof o, &pos, "ie");
	else if (k < 5)
		sput(o, sizeof o, &pos, "y");
	else if (k < 6)
		sput(o, sizeof o, &pos, "o");
	if (strcmp(o, w) == 0 && i > 2)
		o[i - 1] = '\0';
	title_ascii(o);
	scopy(out, cap, o);
}

/* A keyboard slip: a neighbouring key, a letter dropped, doubled or swapped with the next. */
static const char *const qwerty[3] = {"qwertyuiop", "asdfghjkl", "zxcvbnm"};

static char neighbour(struct rng *r, char c)
{
	for (int row = 0; row < 3; row++) {
		const char *p = strchr(qwerty[row], c);
		if (!p)
			continue;
		int col = (int)(p - qwerty[row]);
		char opts[6];
		int n = 0;
		if (col > 0)
			opts[n++] = qwerty[row][col - 1];
		if (qwerty[row][col + 1])
			opts[n++] = qwerty[row][col + 1];
		for (int dr = -1; dr <= 1; dr += 2) {
			int rr = row + dr;
			if (rr < 0 || rr > 2)
				continue;
			int l = (int)strlen(qwerty[rr]);
			if (col < l)
				opts[n++] = qwerty[rr][col];
			if (col > 0 && col - 1 < l)
				opts[n++] = qwerty[rr][col - 1];
		}
		return n ? opts[rng_below(r, (uint32_t)n)] : c;
	}
	return c;
}

static bool slip(struct rng *r, char *s, size_t cap)
{
	size_t len = strlen(s);
	if (len < 3)
		return false;
	size_t i = 1 + rng_below(r, (uint32_t)(len - 1));
	char c = s[i];
	if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')))
		return false;
	switch (rng_below(r, 4)) {
	case 0: {
		char lc = (char)(c | 0x20), n = neighbour(r, lc);
		s[i] = (c >= 'A' && c <= 'Z') ? (char)(n - 'a' + 'A') : n;
		return n != lc;
	}
	case 1:
		memmove(s + i, s + i + 1, len - i);
		return true;
	case 2:
		if (len + 2 > cap)
			return false;
		memmove(s + i + 1, s + i, len - i + 1);
		return true;
	default:
		if (i + 1 >= len || s[i + 1] == c || !((s[i + 1] | 0x20) >= 'a' && (s[i + 1] | 0x20) <= 'z'))
			return false;
		s[i] = s[i + 1];
		s[i + 1] = c;
		return true;
	}
}

/* ---- the people ---- */

struct p2_addr {
	int64_t from;    /* day the household moved in */
	char line[80];   /* "Flat 3, 14 Larch Rise" (kind index kept to abbreviate) */
	unsigned number, flat, street, kind, locality;
	char postcode[10];
};

struct p2_child {
	uint64_t id, family;
	char sex;
	struct date dob;
	int64_t dob_days;
	char given[40], middle[40], nick[40];
	bool known_as;
	char surname[96], old_surname[96]; /* old: before change_day ("" when never changed) */
	int64_t change_day;
	char nhs[IDENT_NHS_LEN + 1], upn[IDENT_UPN_LEN + 1];
	unsigned trad, gtrad;
	uint64_t namesake_of;
};

struct household {
	uint64_t id;
	unsigned trad, gtrad;
	char father[48], mother[48], other[48]; /* surnames of the parents and of another union */
	struct p2_addr addr[MAX_ADDR];
	unsigned naddr;
	struct p2_child c[MAX_KIDS];
	unsigned n;
	struct rng ns; /* namesakes' own stream (p2_opts.namesakes), so the rest is drawn as without them */
};

struct p2gen {
	const struct p2_opts *o;
	double f[P2_NFACTORS];
	int64_t today, earliest;
	const struct p2_area *area;
	unsigned nout;
	uint64_t name_key;
	uint64_t next_child, next_record;
	p2_emit_fn emit;
	void *ctx;
};

static unsigned pick_tradition(struct rng *r)
{
	unsigned total = 0;
	for (unsigned i = 0; i < p2_ntraditions; i++)
		total += p2_traditions[i].weight;
	unsigned x = rng_below(r, total);
	for (unsigned i = 0; i < p2_ntraditions; i++) {
		if (x < p2_traditions[i].weight)
			return i;
		x -= p2_traditions[i].weight;
	}
	return 0;
}

#define INVENTED_POOL 3000

static void pick_given(const struct p2gen *g, struct rng *r, unsigned trad, char sex, char *out, size_t cap)
{
	const struct p2_tradition *t = &p2_traditions[trad];
	if (rng_below(r, 100) < 30) {
		invented(g->name_key, zipf(r, INVENTED_POOL), sex == 'F' ? 1 : 0, out, cap);
		return;
	}
	if (sex == 'F')
		scopy(out, cap, t->girls[zipf(r, t->ngirls)]);
	else
		scopy(out, cap, t->boys[zipf(r, t->nboys)]);
}

static void pick_surname(const struct p2gen *g, struct rng *r, unsigned trad, char *out, size_t cap)
{
	const struct p2_tradition *t = &p2_traditions[trad];
	if (rng_below(r, 100) < 25)
		invented(g->name_key ^ 0x5u, zipf(r, 2 * INVENTED_POOL), 2, out, cap);
	else
		scopy(out, cap, t->surnames[zipf(r, t->nsurnames)]);
}

static void make_address(const struct p2gen *g, struct rng *r, const struct p2_addr *prev, struct p2_addr *a)
{
	static const char letters[] = "ABDEFGHJLNPQRSTUWXYZ";
	a->street = rng_below(r, p2_nstreets);
	a->kind = rng_below(r, p2_nkinds);
	a->number = 1 + rng_below(r, 220);
	a->flat = rng_below(r, 100) < 22 ? 1 + rng_below(r, 30) : 0;
	a->locality = rng_below(r, p2_nlocalities);
	const struct p2_area *ar = g->area;
	unsigned nout = g->nout;
	if (prev && rng_below(r, 100) < 10) { /* a move out of the area */
		ar = &p2_areas[rng_below(r, p2_nareas)];
		nout = 0;
		while (nout < 10 && ar->outward[nout])
			nout++;
	}
	const char *out;
	if (prev && rng_below(r, 100) < 45) /* round the corner: the same district */
		out = NULL;
	else
		out = ar->outward[rng_below(r, nout)];
	size_t pos = 0;
	a->postcode[0] = '\0';
	if (out) {
		sput(a->postcode, sizeof a->postcode, &pos, out);
	} else {
		const char *sp = strchr(prev->postcode, ' ');
		size_t ol = sp ? (size_t)(sp - prev->postcode) : 0;
		memcpy(a->postcode, prev->postcode, ol);
		a->postcode[ol] = '\0';
		pos = ol;
	}
	char inward[5] = {' ', (char)('0' + rng_below(r, 10)), letters[rng_below(r, sizeof letters - 1)],
			  letters[rng_below(r, sizeof letters - 1)], '\0'};
	sput(a->postcode, sizeof a->postcode, &pos, inward);
}

/* NHS numbers: a bijection of the child's number into 400000000..899999999; a child whose nine digits
 * have no check digit has no NHS number (about one in eleven: unknown or temporary numbers exist). */
static void make_nhs(uint64_t idx, uint64_t key, char out[IDENT_NHS_LEN + 1])
{
	uint64_t x = (idx * 387420489ULL + (key % 500000000ULL)) % 500000000ULL;
	char d[11];
	size_t pos = 0;
	d[0] = '\0';
	sput_num(d, sizeof d, &pos, 400000000ULL + x, 9);
	int chk = ident_nhs_check_digit(d);
	out[0] = '\0';
	if (chk < 0)
		return;
	memcpy(out, d, 9);
	out[9] = (char)('0' + chk);
	out[10] = '\0';
}

/* UPNs: LA, establishment and serial by a bijection of the child's number, year of entry by age. */
static void make_upn(const struct p2gen *g, uint64_t idx, const struct p2_child *c, char out[IDENT_UPN_LEN + 1])
{
	struct date t = date_from_days(g->today);
	int age = date_age_years(c->dob, t);
	out[0] = '\0';
	if (age < 4 || age > 16)
		return;
	uint64_t x = (idx * 7919ULL + (g->name_key % 6000000ULL)) % 6000000ULL;
	char rest[13];
	size_t pos = 0;
	rest[0] = '\0';
	sput_num(rest, sizeof rest, &pos, (unsigned)g->area->la, 3);
	sput_num(rest, sizeof rest, &pos, 2000 + x / 1000, 4);
	sput_num(rest, sizeof rest, &pos, (unsigned)((c->dob.y + 4) % 100), 2);
	sput_num(rest, sizeof rest, &pos, x % 1000, 3);
	char chk = ident_upn_check_letter(rest);
	if (!chk)
		return;
	out[0] = chk;
	memcpy(out + 1, rest, 13);
}

/* Parents do not give a child a brother's or sister's given name, nor one as the other's middle name. */
static bool name_taken(const struct household *h, unsigned upto, const char *name)
{
	for (unsigned i = 0; i < upto; i++)
		if (strcmp(h->c[i].given, name) == 0 || strcmp(h->c[i].middle, name) == 0)
			return true;
	return false;
}

/* Names that rhyme: the same but for the first letter (Ava and Eva, Jack and Zack), or one is the other
 * with a letter in front (Ian and Rian). */
static bool rhymes(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la >= 3 && lb >= 3 && la == lb && a[0] != b[0] && strcmp(a + 1, b + 1) == 0)
		return true;
	return (la + 1 == lb && strcasecmp(a, b + 1) == 0) || (lb + 1 == la && strcasecmp(b, a + 1) == 0);
}

/* A twin's name chosen to go with the other's: a name that rhymes with it (when the lists have one), the
 * same initial, a boy's and a girl's form (Amir and Amira), or a name of its own. */
static void twin_name(const struct p2gen *g, struct rng *r, const struct household *h, unsigned k, char *out,
		      size_t cap)
{
	const struct p2_child *tw = &h->c[k - 1], *c = &h->c[k];
	unsigned how = rng_below(r, 100);
	char w[40] = "";
	bool found = false;
	if (how < 12) /* rhyming: drawn from the lists until one rhymes */
		for (int tries = 0; tries < 400 && !found; tries++) {
			pick_given(g, r, c->gtrad, c->sex, w, sizeof w);
			found = rhymes(w, tw->given) && !name_taken(h, k, w);
		}
	if (!found && how < 32) /* the same initial */
		for (int tries = 0; tries < 40 && !found; tries++) {
			pick_given(g, r, c->gtrad, c->sex, w, sizeof w);
			found = w[0] == tw->given[0] && !name_taken(h, k, w);
		}
	if (!found && how >= 32 && how < 40 && c->sex != tw->sex) { /* a boy's and a girl's form */
		scopy(w, sizeof w, tw->given);
		size_t l = strlen(w);
		if (c->sex == 'F' && l + 2 < sizeof w && !is_vowel(w[l - 1])) {
			w[l] = 'a';
			w[l + 1] = '\0';
			found = !name_taken(h, k, w);
		} else if (c->sex == 'M' && l > 3 && is_vowel(w[l - 1])) {
			w[l - 1] = '\0';
			found = !name_taken(h, k, w);
		}
	}
	for (int tries = 0; tries < 20 && !found; tries++) {
		pick_given(g, r, c->gtrad, c->sex, w, sizeof w);
		found = !name_taken(h, k, w);
	}
	scopy(out, cap, w);
}

static void make_children(struct p2gen *g, struct rng *r, struct household *h, unsigned from, unsigned n,
			  uint64_t family, const char *surname_f, const char *surname_m, bool cousins)
{
	/* Births: the first in the 18-year window, the rest 10 months to 5 years apart, twins on one day. */
	int64_t range = g->today - g->earliest;
	int64_t day = g->earliest + (int64_t)rng_below(r, (uint32_t)(range > 0 ? range : 1));
	bool other_union = false;
	unsigned twin_left = 0;
	for (unsigned i = 0; i < n && from + i < MAX_KIDS; i++) {
		unsigned k = from + i;
		struct p2_child *c = &h->c[k];
		memset(c, 0, sizeof *c);
		if (i > 0 && twin_left == 0)
			day += 300 + (int64_t)rng_below(r, 1500);
		if (day > g->today)
			break;
		bool twin = twin_left > 0;
		if (twin_left)
			twin_left--;
		else if (i + 1 < n && chance(r, g->f[P2_TWINS]))
			twin_left = rng_below(r, 30) == 0 ? 2 : 1; /* a few triplets */
		c->id = ++g->next_child;
		c->family = family;
		c->dob_days = day;
		c->dob = date_from_days(day);
		c->sex = twin && rng_below(r, 100) < 65 ? h->c[k - 1].sex : rng_below(r, 2) ? 'M' : 'F';
		c->trad = h->trad;
		c->gtrad = h->gtrad;
		if (!cousins && i > 0 && !twin && !other_union && chance(r, g->f[P2_HALF_SIBLINGS]))
			other_union = true;
		if (twin)
			twin_name(g, r, h, k, c->given, sizeof c->given);
		else
			for (int tries = 0; tries < 20; tries++) {
				pick_given(g, r, c->gtrad, c->sex, c->given, sizeof c->given);
				if (!name_taken(h, k, c->given))
					break;
			}
		if (chance(r, g->f[P2_MIDDLE]))
			for (int tries = 0; tries < 5; tries++) {
				pick_given(g, r, rng_below(r, 4) ? c->gtrad : 0, c->sex, c->middle, sizeof c->middle);
				if (strcmp(c->middle, c->given) != 0 && !name_taken(h, k, c->middle))
					break;
				c->middle[0] = '\0';
			}
		c->known_as = c->middle[0] && chance(r, g->f[P2_KNOWN_AS]);
		if (chance(r, g->f[P2_NICKNAME]))
			short_form(r, c->given, c->nick, sizeof c->nick);
		if (strcmp(c->nick, c->given) == 0)
			c->nick[0] = '\0';
		/* A namesake: the given name of an earlier child of the household, drawn from the household's
		 * own stream after everything else, so the children are otherwise as without the option. */
		if (g->o->namesakes > 0 && k > 0 && !twin && rng_unit(&h->ns) < g->o->namesakes) {
			/* an earlier child of the same sex: a girl and a boy sharing a given name would carry the sex's
			 * disagreement as evidence apart, which real namesakes (a cousin named after one grandfather)
			 * do not */
			unsigned same = 0, j = k;
			for (unsigned e = 0; e < k; e++)
				same += h->c[e].sex == c->sex;
			if (same > 0)
				for (unsigned e = 0, pick = rng_below(&h->ns, same); e < k; e++)
					if (h->c[e].sex == c->sex && pick-- == 0) {
						j = e;
						break;
					}
			if (j < k && h->c[j].dob_days != c->dob_days && strcmp(h->c[j].given, c->middle) != 0) {
				bool nick = c->nick[0] != '\0';
				scopy(c->given, sizeof c->given, h->c[j].given);
				c->nick[0] = '\0';
				if (nick)
					short_form(&h->ns, c->given, c->nick, sizeof c->nick);
				if (strcmp(c->nick, c->given) == 0)
					c->nick[0] = '\0';
				c->namesake_of = h->c[j].id;
			}
		}

		/* Family name: the father's, sometimes the mother's, or both (hyphen, or a space in traditions
		 * that give both). Another union's children carry that union's name. */
		const char *fs = other_union ? h->other : surname_f;
		size_t pos = 0;
		c->surname[0] = '\0';
		if (p2_traditions[h->trad].double_surname && rng_below(r, 100) < 60) {
			sput(c->surname, sizeof c->surname, &pos, surname_m);
			sput(c->surname, sizeof c->surname, &pos, " ");
			sput(c->surname, sizeof c->surname, &pos, fs);
		} else if (chance(r, g->f[P2_DOUBLE_BARREL]) && strcmp(fs, surname_m) != 0) {
			bool mf = rng_below(r, 2);
			sput(c->surname, sizeof c->surname, &pos, mf ? surname_m : fs);
			sput(c->surname, sizeof c->surname, &pos, "-");
			sput(c->surname, sizeof c->surname, &pos, mf ? fs : surname_m);
		} else {
			sput(c->surname, sizeof c->surname, &pos, rng_below(r, 100) < 12 ? surname_m : fs);
		}
		/* Twins share a family name. */
		if (twin && k > 0)
			scopy(c->surname, sizeof c->surname, h->c[k - 1].surname);
		c->old_surname[0] = '\0';
		c->change_day = 0;
		if (chance(r, g->f[P2_FAMILY_CHANGE])) {
			/* A new partner's name, the mother's, or one half dropped: from a day in the child's life. */
			scopy(c->old_surname, sizeof c->old_surname, c->surname);
			unsigned how = rng_below(r, 10);
			if (how < 6)
				pick_surname(g, r, h->trad, c->surname, sizeof c->surname);
			else if (how < 9 || !strchr(c->old_surname, '-'))
				scopy(c->surname, sizeof c->surname, surname_m);
			else
				scopy(c->surname, sizeof c->surname, strchr(c->old_surname, '-') + 1);
			if (strcmp(c->surname, c->old_surname) == 0)
				c->old_surname[0] = '\0';
			else
				c->change_day = c->dob_days + 1 + (int64_t)rng_below(r, (uint32_t)(g->today - c->dob_days + 1));
		}
		make_nhs(c->id, g->name_key, c->nhs);
		make_upn(g, c->id, c, c->upn);
	}
}

static void make_household(struct p2gen *g, struct rng *r, struct household *h)
{
	memset(h->c, 0, sizeof h->c);
	h->trad = pick_tradition(r);
	h->gtrad = rng_below(r, 100) < 8 ? pick_tradition(r) : h->trad;
	pick_surname(g, r, h->trad, h->father, sizeof h->father);
	if (rng_below(r, 100) < 70)
		pick_surname(g, r, rng_below(r, 100) < 85 ? h->trad : pick_tradition(r), h->mother, sizeof h->mother);
	else
		scopy(h->mother, sizeof h->mother, h->father);
	pick_surname(g, r, h->trad, h->other, sizeof h->other);

	/* Address history: moves as a Poisson process over the last 18 years. */
	h->naddr = 1;
	h->addr[0].from = g->earliest - 365;
	make_address(g, r, NULL, &h->addr[0]);
	double rate = g->f[P2_MOVES];
	int64_t day = h->addr[0].from;
	while (h->naddr < MAX_ADDR && rate > 0) {
		double gap = -det_ln(rng_unit(r)) / rate; /* exponential, in years */
		day += (int64_t)(gap * 365.25);
		if (day > g->today)
			break;
		h->addr[h->naddr].from = day;
		make_address(g, r, &h->addr[h->naddr - 1], &h->addr[h->naddr]);
		h->naddr++;
	}

	unsigned n = 1 + poisson(r, g->f[P2_CHILDREN] - 1 > 0 ? g->f[P2_CHILDREN] - 1 : 0);
	if (n > 7)
		n = 7;
	uint64_t fam = h->id * 4;
	make_children(g, r, h, 0, n, fam, h->father, h->mother, false);
	h->n = 0;
	while (h->n < MAX_KIDS && h->c[h->n].id)
		h->n++;
	if (h->n < MAX_KIDS - 1 && chance(r, g->f[P2_COUSINS])) {
		/* The father's brother's children: the same family name, the same home, another family. */
		unsigned m = 1 + rng_below(r, 3);
		if (h->n + m > MAX_KIDS)
			m = MAX_KIDS - h->n;
		char aunt[48];
		pick_surname(g, r, h->trad, aunt, sizeof aunt);
		make_children(g, r, h, h->n, m, fam + 1, h->father, aunt, true);
		while (h->n < MAX_KIDS && h->c[h->n].id)
			h->n++;
	}
}

/* ---- sources ---- */

struct source {
	const char *name;
	unsigned weight;
	int min_age, max_age;
	double day_first;  /* share of dates written day first */
	double upper;      /* share of records in capitals */
	double middle, nhs, upn, address, postcode, sex;
	double care;       /* multiplies every error rate */
	double swap;       /* multiplies the swap of names */
	double stale;      /* multiplies the stale address */
};

static const struct source sources[] = {
	{"gp_practice", 30, 0, 17, 0.15, 0.05, 0.85, 0.93, 0.00, 0.95, 0.97, 0.99, 0.6, 0.5, 1.0},
	{"hospital", 22, 0, 17, 0.55, 0.40, 0.55, 0.85, 0.00, 0.85, 0.95, 0.97, 1.0, 1.0, 0.8},
	{"school", 24, 4, 17, 0.45, 0.02, 0.90, 0.08, 0.95, 0.90, 0.95, 0.99, 0.8, 0.5, 1.2},
	{"police", 10, 8, 17, 0.90, 0.65, 0.25, 0.04, 0.01, 0.80, 0.85, 0.95, 1.6, 2.5, 1.0},
	{"childrens_services", 16, 0, 17, 0.35, 0.10, 0.75, 0.55, 0.35, 0.90, 0.92, 0.98, 1.0, 1.0, 1.0},
	{"housing", 8, 0, 17, 0.70, 0.30, 0.10, 0.02, 0.00, 1.00, 1.00, 0.55, 1.3, 1.5, 0.5},
	{"early_help", 8, 0, 11, 0.50, 0.05, 0.45, 0.30, 0.10, 0.85, 0.90, 0.90, 1.2, 1.0, 1.5},
	{"youth_justice", 5, 10, 17, 0.80, 0.50, 0.40, 0.35, 0.25, 0.85, 0.85, 0.98, 1.1, 1.5, 1.0},
};
#define NSOURCES (sizeof sources / sizeof sources[0])

static double cap95(double p)
{
	return p > 0.95 ? 0.95 : p < 0 ? 0 : p;
}

static void format_dob(struct rng *r, double day_first, struct date d, char *out, size_t cap)
{
	size_t pos = 0;
	out[0] = '\0';
	if (chance(r, cap95(day_first))) {
		static const char seps[] = "/////-.";
		char sep[2] = {seps[rng_below(r, sizeof seps - 1)], '\0'};
		bool pad = rng_below(r, 5) != 0;
		sput_num(out, cap, &pos, (unsigned)d.d, pad ? 2 : 1);
		sput(out, cap, &pos, sep);
		sput_num(out, cap, &pos, (unsigned)d.m, pad ? 2 : 1);
		sput(out, cap, &pos, sep);
		sput_num(out, cap, &pos, (unsigned)d.y, 4);
	} else {
		const char *sep = rng_below(r, 6) == 0 ? "/" : "-";
		sput_num(out, cap, &pos, (unsigned)d.y, 4);
		sput(out, cap, &pos, sep);
		sput_num(out, cap, &pos, (unsigned)d.m, 2);
		sput(out, cap, &pos, sep);
		sput_num(out, cap, &pos, (unsigned)d.d, 2);
	}
}

static void format_address(struct rng *r, const struct p2_addr *a, bool abbreviate, char *out, size_t cap)
{
	size_t pos = 0;
	out[0] = '\0';
	if (a->flat) {
		sput(out, cap, &pos, rng_below(r, 3) ? "Flat " : "");
		sput_num(out, cap, &pos, a->flat, 1);
		sput(out, cap, &pos, rng_below(r, 2) ? ", " : " ");
	}
	sput_num(out, cap, &pos, a->number, 1);
	sput(out, cap, &pos, " ");
	sput(out, cap, &pos, p2_streets[a->street]);
	sput(out, cap, &pos, " ");
	sput(out, cap, &pos, p2_kinds[a->kind][abbreviate ? 1 : 0]);
	if (rng_below(r, 5) == 0) {
		sput(out, cap, &pos, ", ");
		sput(out, cap, &pos, p2_localities[a->locality]);
	}
}

static const struct p2_addr *address_on(const struct household *h, int64_t day, unsigned *idx)
{
	unsigned k = 0;
	for (unsigned i = 0; i < h->naddr; i++)
		if (h->addr[i].from <= day)
			k = i;
	*idx = k;
	return &h->addr[k];
}

struct rec_ev {
	int64_t day;
	unsigned src;
};

static int emit_record(struct p2gen *g, struct rng *r, const struct household *h, const struct p2_child *c,
		       const struct rec_ev *ev)
{
	const struct source *s = &sources[ev->src];
	const double *f = g->f;
	double care = s->care;
	struct p2_record rec;
	memset(&rec, 0, sizeof rec);
	rec.record_no = ++g->next_record;
	rec.source = s->name;
	rec.child = c->id;
	rec.household = c->family;
	rec.namesake_of = c->namesake_of;
	date_format_iso(c->dob, rec.true_dob);

	/* Names as this source holds them on that day. */
	bool known = c->known_as && rng_below(r, 100) < 60;
	if (known) {
		scopy(rec.given, sizeof rec.given, c->middle);
		if (chance(r, s->middle) && rng_below(r, 100) < 40)
			scopy(rec.middle, sizeof rec.middle, c->given);
		rec.errors |= P2E_KNOWN_AS;
	} else {
		if (c->nick[0] && rng_below(r, 100) < 35) {
			scopy(rec.given, sizeof rec.given, c->nick);
			rec.errors |= P2E_NICKNAME;
		} else {
			scopy(rec.given, sizeof rec.given, c->given);
		}
		if (chance(r, s->middle))
			scopy(rec.middle, sizeof rec.middle, c->middle);
	}
	bool old = c->old_surname[0] && (ev->day < c->change_day || rng_below(r, 100) < 15);
	scopy(rec.family, sizeof rec.family, old ? c->old_surname : c->surname);
	if (old)
		rec.errors |= P2E_OLD_FAMILY;
	const char *sep = strpbrk(rec.family, "- ");
	if (sep && chance(r, cap95(f[P2_FAMILY_PART] * care))) {
		char half[96];
		if (rng_below(r, 2))
			scopy(half, sizeof half, sep + 1);
		else {
			size_t l = (size_t)(sep - rec.family);
			memcpy(half, rec.family, l);
			half[l] = '\0';
		}
		scopy(rec.family, sizeof rec.family, half);
		rec.errors |= P2E_FAMILY_PART;
	}
	double tl = p2_traditions[c->gtrad].weight >= 40 ? 0.5 : 1.5; /* transliteration: less for English names */
	if (chance(r, cap95(f[P2_VARIANT_GIVEN] * care * tl)) && variant(r, rec.given, rec.given, sizeof rec.given))
		rec.errors |= P2E_VARIANT_GIVEN;
	tl = p2_traditions[c->trad].weight >= 40 ? 0.5 : 1.5;
	if (chance(r, cap95(f[P2_VARIANT_FAMILY] * care * tl)) && variant(r, rec.family, rec.family, sizeof rec.family))
		rec.errors |= P2E_VARIANT_FAMILY;
	if (chance(r, cap95(f[P2_TYPO] * care))) {
		unsigned w = rng_below(r, 100);
		bool ok = w < 45	? slip(r, rec.given, sizeof rec.given)
			  : w < 90 || !rec.middle[0] ? slip(r, rec.family, sizeof rec.family)
						     : slip(r, rec.middle, sizeof rec.middle);
		if (ok)
			rec.errors |= P2E_TYPO;
	}
	double swap = f[P2_SWAP_NAMES] * care * s->swap * (p2_traditions[c->trad].surname_first ? 4.0 : 1.0);
	if (chance(r, cap95(swap))) {
		char t[96];
		scopy(t, sizeof t, rec.given);
		scopy(rec.given, sizeof rec.given, rec.family);
		scopy(rec.family, sizeof rec.family, t);
		rec.errors |= P2E_SWAP_NAMES;
	}

	/* Date of birth. */
	struct date d = c->dob;
	if (chance(r, cap95(f[P2_DOB_SWAP] * care)) && d.d <= 12 && d.d != d.m) {
		int t = d.d;
		d.d = d.m;
		d.m = t;
		rec.errors |= P2E_DOB_SWAP;
	} else if (chance(r, cap95(f[P2_DOB_PART] * care))) {
		struct date e = d;
		if (rng_below(r, 3))
			e.d += (rng_below(r, 2) ? 1 : -1) * (int)(1 + (rng_below(r, 4) == 0));
		else
			e.m += rng_below(r, 2) ? 1 : -1;
		if (date_valid(e) && date_to_days(e) <= g->today) {
			d = e;
			rec.errors |= P2E_DOB_PART;
		}
	} else if (chance(r, cap95(f[P2_DOB_YEAR] * care))) {
		struct date e = d;
		e.y += rng_below(r, 2) ? 1 : -1;
		if (e.m == 2 && e.d == 29)
			e.d = 28;
		if (date_to_days(e) <= g->today) {
			d = e;
			rec.errors |= P2E_DOB_YEAR;
		}
	}
	format_dob(r, s->day_first * f[P2_DAY_FIRST], d, rec.dob, sizeof rec.dob);
	if (chance(r, cap95(f[P2_DOB_DIGIT] * care))) {
		size_t l = strlen(rec.dob), i;
		for (int tries = 0; tries < 10; tries++) {
			i = rng_below(r, (uint32_t)l);
			if (rec.dob[i] >= '0' && rec.dob[i] <= '9') {
				char nd = (char)('0' + rng_below(r, 10));
				if (nd != rec.dob[i]) {
					rec.dob[i] = nd;
					rec.errors |= P2E_DOB_DIGIT;
					break;
				}
			}
		}
	}

	/* Sex. */
	if (chance(r, cap95(s->sex * (1.0 - 0.03 * f[P2_EMPTY])))) {
		char sx = c->sex;
		if (chance(r, cap95(f[P2_SEX_WRONG] * care))) {
			sx = sx == 'M' ? 'F' : 'M';
			rec.errors |= P2E_SEX_WRONG;
		}
		unsigned how = rng_below(r, 10);
		scopy(rec.sex, sizeof rec.sex, how < 6 ? (sx == 'M' ? "M" : "F") : how < 9 ? (sx == 'M' ? "Male" : "Female")
						       : (sx == 'M' ? "m" : "f"));
	}

	/* Where the child lived: as on that day, or an address the family had left. */
	unsigned ai;
	const struct p2_addr *a = address_on(h, ev->day, &ai);
	if (ai > 0 && chance(r, cap95(f[P2_STALE_ADDRESS] * s->stale))) {
		a = &h->addr[ai - 1];
		rec.errors |= P2E_STALE_ADDRESS;
	}
	if (a != &h->addr[h->naddr - 1])
		rec.errors |= P2E_MOVED;
	double miss = f[P2_EMPTY];
	if (chance(r, cap95(s->postcode * (1.0 - 0.04 * miss)))) {
		scopy(rec.postcode, sizeof rec.postcode, a->postcode);
		if (rng_below(r, 10) == 0) { /* written without its space, in lower case */
			char t[12];
			size_t o = 0;
			for (const char *p = a->postcode; *p; p++)
				if (*p != ' ')
					t[o++] = (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
			t[o] = '\0';
			scopy(rec.postcode, sizeof rec.postcode, t);
		}
	}
	if (chance(r, cap95(s->address * (1.0 - 0.04 * miss))))
		format_address(r, a, ev->src == 5 || ev->src == 3 || rng_below(r, 5) == 0, rec.address, sizeof rec.address);

	/* Identifiers. */
	if (c->nhs[0] && chance(r, s->nhs)) {
		char n[16];
		scopy(n, sizeof n, c->nhs);
		if (chance(r, cap95(f[P2_ID_TYPO] * care))) {
			char tmp[IDENT_NHS_LEN + 1];
			for (int tries = 0; tries < 10; tries++) {
				unsigned i = rng_below(r, 10);
				n[i] = (char)('0' + (n[i] - '0' + 1 + rng_below(r, 9)) % 10);
				if (ident_nhs_check(n, tmp) != 0)
					break;
			}
			rec.errors |= P2E_ID_TYPO;
		}
		if (rng_below(r, 10) < 3) { /* "943 476 5919" */
			size_t pos = 0;
			char sp[16];
			sp[0] = '\0';
			for (int i = 0; i < 10; i++) {
				char ch[2] = {n[i], '\0'};
				sput(sp, sizeof sp, &pos, ch);
				if (i == 2 || i == 5)
					sput(sp, sizeof sp, &pos, " ");
			}
			scopy(n, sizeof n, sp);
		}
		scopy(rec.nhs, sizeof rec.nhs, n);
	}
	if (c->upn[0] && chance(r, s->upn))
		scopy(rec.upn, sizeof rec.upn, c->upn);

	/* Fields left empty. */
	if (chance(r, cap95(0.004 * miss))) {
		rec.given[0] = '\0';
		rec.errors |= P2E_EMPTY;
	}
	if (chance(r, cap95(0.004 * miss))) {
		rec.family[0] = '\0';
		rec.errors |= P2E_EMPTY;
	}
	if (chance(r, cap95(0.015 * miss * care))) {
		rec.dob[0] = '\0';
		rec.errors |= P2E_EMPTY;
	}

	/* Case. */
	double up = s->upper * f[P2_CASE];
	if (chance(r, cap95(up))) {
		upper_ascii(rec.given);
		upper_ascii(rec.middle);
		upper_ascii(rec.family);
		if (rng_below(r, 2))
			upper_ascii(rec.address);
	} else if (chance(r, cap95(0.04 * f[P2_CASE]))) {
		lower_ascii(rec.given);
		lower_ascii(rec.middle);
		lower_ascii(rec.family);
	}
	return g->emit(&rec, g->ctx);
}

static int child_records(struct p2gen *g, struct rng *r, const struct household *h, const struct p2_child *c)
{
	struct rec_ev ev[40];
	struct date t = date_from_days(g->today);
	int age = date_age_years(c->dob, t);
	unsigned n = 1 + poisson(r, g->f[P2_RECORDS] - 1 > 0 ? g->f[P2_RECORDS] - 1 : 0);
	if (n > 40)
		n = 40;
	/* A child is known to a few sources, not to every one: pick two to four, then records among them. */
	unsigned allowed[NSOURCES], na = 0, chosen[NSOURCES], nc = 0;
	int64_t lo = c->dob_days > g->today - 6 * 365 ? c->dob_days : g->today - 6 * 365;
	for (unsigned s = 0; s < NSOURCES; s++)
		if (age >= sources[s].min_age && c->dob_days + (int64_t)(sources[s].max_age + 1) * 365 > lo)
			allowed[na++] = s;
	unsigned want = 2 + rng_below(r, 3);
	while (nc < want && na > 0) {
		unsigned total = 0;
		for (unsigned i = 0; i < na; i++)
			total += sources[allowed[i]].weight;
		unsigned x = rng_below(r, total), i = 0;
		while (x >= sources[allowed[i]].weight) {
			x -= sources[allowed[i]].weight;
			i++;
		}
		chosen[nc++] = allowed[i];
		allowed[i] = allowed[--na];
	}
	if (nc == 0)
		return 0;
	for (unsigned i = 0; i < n; i++) {
		ev[i].src = chosen[rng_below(r, nc)];
		const struct source *s = &sources[ev[i].src];
		int64_t slo = lo;
		int64_t at_min = c->dob_days + (int64_t)s->min_age * 365;
		if (at_min > slo)
			slo = at_min;
		int64_t shi = c->dob_days + (int64_t)(s->max_age + 1) * 365 - 1;
		if (shi > g->today)
			shi = g->today;
		if (slo > shi)
			slo = shi;
		ev[i].day = slo + (int64_t)rng_below(r, (uint32_t)(shi - slo + 1));
	}
	for (unsigned i = 1; i < n; i++)
		for (unsigned j = i; j > 0 && ev[j].day < ev[j - 1].day; j--) {
			struct rec_ev tmp = ev[j];
			ev[j] = ev[j - 1];
			ev[j - 1] = tmp;
		}
	for (unsigned i = 0; i < n; i++) {
		int rc = emit_record(g, r, h, c, &ev[i]);
		if (rc)
			return rc;
	}
	return 0;
}

int p2_generate(const struct p2_opts *o, p2_emit_fn emit, void *ctx)
{
	if (!o || !emit || o->households < 1 || o->households > MAX_HOUSEHOLDS || !date_valid(o->today) ||
	    o->today.y < 1900 || !(o->namesakes >= 0 && o->namesakes <= 1))
		return -1;
	struct p2gen g;
	memset(&g, 0, sizeof g);
	g.o = o;
	g.emit = emit;
	g.ctx = ctx;
	for (int i = 0; i < P2_NFACTORS; i++) {
		double s = o->scale[i];
		if (s < 0 || s > 100)
			return -1;
		g.f[i] = p2_factor_default[i] * (s > 0 ? s : 1.0);
	}
	g.today = date_to_days(o->today);
	g.earliest = g.today - 18 * 365 + 5;
	struct rng ar;
	rng_seed(&ar, o->seed ^ 0xb0b5eed5ULL);
	g.area = &p2_areas[rng_below(&ar, p2_nareas)];
	while (g.nout < 10 && g.area->outward[g.nout])
		g.nout++;
	g.name_key = rng_next(&ar);

	struct household h;
	struct household *hp = &h;
	for (int i = 1; i <= o->households; i++) {
		struct rng r;
		rng_seed(&r, rng_mix64(o->seed * 0x9e3779b97f4a7c15ULL + (uint64_t)i * 0xc2b2ae3d27d4eb4fULL));
		memset(hp, 0, sizeof *hp);
		hp->id = (uint64_t)i;
		if (o->namesakes > 0)
			rng_seed(&hp->ns, rng_mix64(o->seed * 0x9e3779b97f4a7c15ULL) ^ rng_mix64(0x6e616d6573ULL + (uint64_t)i));
		make_household(&g, &r, hp);
		for (unsigned k = 0; k < hp->n; k++) {
			int rc = child_records(&g, &r, hp, &hp->c[k]);
			if (rc)
				return rc;
		}
	}
	return 0;
}
