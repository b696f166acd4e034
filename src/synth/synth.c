/*
 * synth/synth.c — the synthetic area generator (contract in synth.h, tables in names.c).
 *
 * Shape of a run: families in order 1..n; each family draws from its own PRNG stream (seeded from the
 * options' seed and the family number), so a family's people do not depend on how many records earlier
 * families produced. Identifiers must be unique across the whole run, so they come from keyed
 * permutations of the child's number (NHS) or of a per-LA, per-year counter (UPN), never from a random
 * draw that could repeat. Nothing is allocated: one family and one record live on the stack.
 */
#include "synth/synth.h"

#include <stdbool.h>
#include <string.h>

#include "core/date.h"
#include "core/ident.h"
#include "lib/rng.h"
#include "synth/synth_int.h"

#define SYNTH_MAX_FAMILIES 10000000
#define SYNTH_MAX_CHILDREN 5
#define SYNTH_MAX_RECORDS 6 /* per child per agency */
#define SYNTH_MAX_LAS 8

/* NHS numbers: first digit 4-9 then seven digits (6e7 eight-digit prefixes), and 9 of the ninth digits
 * that leave a valid check digit (at least 9 of 10 always do). */
#define NHS_SPACE 540000000u
/* UPNs per LA and year of allocation: establishment 2000-7999 times serial 000-999. */
#define UPN_SPACE 6000000u

const char *const synth_factor_name[SYNTH_NFACTORS] = {
	"nickname", "typo", "transliteration", "dob_swap", "dob_off", "moved", "no_id", "surname_part",
	"error_records", "twins", "double_barrel", "half_sibling", "mixed",
};

static const char *const agency_code[SYNTH_NAGENCY] = {"police", "health", "education", "social_care",
                                                       "housing"};
static const char *const agency_prefix[SYNTH_NAGENCY] = {"POL", "HLT", "EDU", "SC", "HSG"};


/* An index drawn by weight; n when every weight is 0. */
static unsigned rng_weighted(struct rng *r, const unsigned char *w, unsigned n)
{
	unsigned total = 0;
	for (unsigned i = 0; i < n; i++)
		total += w[i];
	if (total == 0)
		return n;
	unsigned x = rng_below(r, total);
	for (unsigned i = 0; i < n; i++) {
		if (x < w[i])
			return i;
		x -= w[i];
	}
	return n - 1;
}

/* rng_weighted over wider weights (scaled ones): the same draw for the same weights. */
static unsigned rng_weighted_u(struct rng *r, const unsigned *w, unsigned n)
{
	unsigned total = 0;
	for (unsigned i = 0; i < n; i++)
		total += w[i];
	if (total == 0)
		return n;
	unsigned x = rng_below(r, total);
	for (unsigned i = 0; i < n; i++) {
		if (x < w[i])
			return i;
		x -= w[i];
	}
	return n - 1;
}

/* Favours the top of a popularity-ordered list: the smaller of two draws. */
static unsigned rng_popular(struct rng *r, unsigned n)
{
	unsigned a = rng_below(r, n), b = rng_below(r, n);
	return a < b ? a : b;
}

/* True with probability pct% times the run's scale of factor f (0 meaning 1). With scale 1 it draws
 * exactly as rng_pct(r, pct) does: (h * 10000) >> 32 < 100 pct iff (h * 100) >> 32 < pct. */
static bool pct_scaled(struct rng *r, const struct synth_opts *o, unsigned pct, int f)
{
	double s = o->scale[f] > 0 ? o->scale[f] : 1.0, t = pct * 100.0 * s;
	return rng_below(r, 10000) < (t > 10000 ? 10000u : (unsigned)(t + 0.5));
}

/* ---- keyed permutation of [0, n): a 4-round Feistel network on 2k bits, cycle-walked into range ---- */

struct perm {
	uint64_t n;
	unsigned half;
	uint64_t key[4];
};

static void perm_init(struct perm *p, uint64_t n, uint64_t key)
{
	unsigned bits = 2;
	while (((uint64_t)1 << bits) < n)
		bits += 2;
	p->n = n;
	p->half = bits / 2;
	for (int i = 0; i < 4; i++)
		p->key[i] = rng_splitmix64(&key);
}

/* x < n. A permutation's cycle through x returns to x, so walking ends inside [0, n). */
static uint64_t perm_apply(const struct perm *p, uint64_t x)
{
	uint64_t mask = ((uint64_t)1 << p->half) - 1;
	do {
		uint64_t l = x >> p->half, rt = x & mask;
		for (int i = 0; i < 4; i++) {
			uint64_t t = l ^ (rng_mix64(rt ^ p->key[i]) & mask);
			l = rt;
			rt = t;
		}
		x = (l << p->half) | rt;
	} while (x >= p->n);
	return x;
}

/* ---- small string helpers (no snprintf: no locale, and this is the hot path) ---- */

static void scopy(char *dst, size_t cap, const char *src)
{
	size_t n = strlen(src);
	if (n >= cap)
		n = cap - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* Appends src at *pos within dst[cap], keeping dst NUL-terminated; truncates. */
static void sappend(char *dst, size_t cap, size_t *pos, const char *src)
{
	while (*src && *pos + 1 < cap)
		dst[(*pos)++] = *src++;
	dst[*pos] = '\0';
}

/* Zero-padded decimal of at least width digits into out (which must hold 21 + NUL). */
static size_t fmt_uint(char *out, uint64_t v, unsigned width)
{
	char tmp[21];
	unsigned n = 0;
	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n < width && n < sizeof tmp)
		tmp[n++] = '0';
	for (unsigned i = 0; i < n; i++)
		out[i] = tmp[n - 1 - i];
	out[n] = '\0';
	return n;
}

static void sappend_uint(char *dst, size_t cap, size_t *pos, uint64_t v, unsigned width)
{
	char num[22];
	fmt_uint(num, v, width);
	sappend(dst, cap, pos, num);
}

static void fmt_date(struct date d, char out[DATE_ISO_LEN + 1])
{
	size_t pos = 0;
	sappend_uint(out, DATE_ISO_LEN + 1, &pos, (uint64_t)d.y, 4);
	sappend(out, DATE_ISO_LEN + 1, &pos, "-");
	sappend_uint(out, DATE_ISO_LEN + 1, &pos, (uint64_t)d.m, 2);
	sappend(out, DATE_ISO_LEN + 1, &pos, "-");
	sappend_uint(out, DATE_ISO_LEN + 1, &pos, (uint64_t)d.d, 2);
}

/* ---- the people ---- */

struct addr {
	char line[96];
	char postcode[9];
	unsigned street;
};

struct child {
	uint64_t id;
	char given[32];
	char middle[32];
	char surname[64];
	char part[2][32]; /* the halves of a double-barrelled surname */
	unsigned nparts;
	char sex; /* 'M' or 'F' */
	int64_t dob_days;
	struct date dob;
	char nhs[IDENT_NHS_LEN + 1];
	char upn[IDENT_UPN_LEN + 1]; /* "" when the child has none */
	const struct synth_alias *nick;
	const struct synth_translit *tl_given, *tl_middle, *tl_part[2];
	const char *disability, *communication, *language; /* NULL when none */
};

struct family {
	uint64_t id;
	const struct synth_group *sg; /* tradition of the surname */
	const struct synth_group *gg; /* tradition of the given names (differs in mixed families) */
	char surname[64];
	struct addr cur, prev; /* prev: where the family lived before; some records still say so */
	unsigned n;
	struct child c[SYNTH_MAX_CHILDREN];
};

struct gen {
	const struct synth_opts *o;
	synth_emit_fn emit;
	void *ctx;
	int64_t today;        /* days since the epoch */
	int64_t earliest_dob; /* the first day of birth that is still 17 on today */
	int64_t window_lo;    /* three years back */
	const struct synth_area *area;
	unsigned noutward;
	unsigned home_la; /* index into synth_other_las */
	struct perm nhs_perm;
	uint64_t upn_key;
	uint32_t upn_next[SYNTH_MAX_LAS][100];
	uint64_t next_child, next_record, agency_seq[SYNTH_NAGENCY];
};

static const struct synth_group *pick_group(struct rng *r)
{
	unsigned total = 0;
	for (unsigned i = 0; i < synth_ngroups; i++)
		total += synth_groups[i].weight;
	unsigned x = rng_below(r, total);
	for (unsigned i = 0; i < synth_ngroups; i++) {
		if (x < synth_groups[i].weight)
			return &synth_groups[i];
		x -= synth_groups[i].weight;
	}
	return &synth_groups[0];
}

static const char *pick_surname(struct rng *r, const struct synth_group *g)
{
	return g->surnames[rng_popular(r, g->nsurnames)];
}

static const char *pick_given(struct rng *r, const struct synth_group *g, char sex)
{
	return sex == 'M' ? g->boys[rng_popular(r, g->nboys)] : g->girls[rng_popular(r, g->ngirls)];
}

static void make_address(const struct gen *g, struct rng *r, unsigned avoid_street, struct addr *a)
{
	static const char inward_letters[] = "ABDEFGHJLNPQRSTUWXYZ"; /* never C I K M O V */
	unsigned stem = rng_below(r, synth_nstreet_stems), kind = rng_below(r, synth_nstreet_kinds);
	if (stem * synth_nstreet_kinds + kind == avoid_street)
		stem = (stem + 1) % synth_nstreet_stems;
	a->street = stem * synth_nstreet_kinds + kind;

	size_t pos = 0;
	a->line[0] = '\0';
	if (rng_pct(r, 18)) {
		sappend(a->line, sizeof a->line, &pos, "Flat ");
		sappend_uint(a->line, sizeof a->line, &pos, 1 + rng_below(r, 12), 1);
		sappend(a->line, sizeof a->line, &pos, ", ");
	}
	sappend_uint(a->line, sizeof a->line, &pos, 1 + rng_below(r, 180), 1);
	sappend(a->line, sizeof a->line, &pos, " ");
	sappend(a->line, sizeof a->line, &pos, synth_street_stems[stem]);
	sappend(a->line, sizeof a->line, &pos, " ");
	sappend(a->line, sizeof a->line, &pos, synth_street_kinds[kind]);

	pos = 0;
	a->postcode[0] = '\0';
	sappend(a->postcode, sizeof a->postcode, &pos, g->area->outward[rng_below(r, g->noutward)]);
	char inward[4] = {(char)('0' + rng_below(r, 10)),
	                  inward_letters[rng_below(r, sizeof inward_letters - 1)],
	                  inward_letters[rng_below(r, sizeof inward_letters - 1)], '\0'};
	sappend(a->postcode, sizeof a->postcode, &pos, " ");
	sappend(a->postcode, sizeof a->postcode, &pos, inward);
}

/* Polish surnames agree with sex: Kowalski, Kowalska; Nowicki, Nowicka. Applied to each half. */
static void feminine_surname(char *s)
{
	char *start = s;
	for (char *p = s;; p++) {
		if (*p == '-' || *p == '\0') {
			size_t len = (size_t)(p - start);
			if (len >= 4 && p[-1] == 'i' && p[-2] == 'k' && (p[-3] == 's' || p[-3] == 'c' || p[-3] == 'z'))
				p[-1] = 'a';
			if (*p == '\0')
				break;
			start = p + 1;
		}
	}
}

static void make_nhs(const struct gen *g, uint64_t idx, char out[IDENT_NHS_LEN + 1])
{
	uint64_t x = perm_apply(&g->nhs_perm, idx);
	uint64_t prefix = x / 9;
	unsigned j = (unsigned)(x % 9);
	char d[IDENT_NHS_LEN + 1];

	d[0] = (char)('4' + prefix / 10000000);
	fmt_uint(d + 1, prefix % 10000000, 7);
	unsigned s8 = 0;
	for (unsigned i = 0; i < 8; i++)
		s8 += (unsigned)(d[i] - '0') * (10 - i);
	/* The ninth digit (weight 2) that would leave remainder 1, i.e. check 10: none exists when it is 10. */
	unsigned bad = (6 * ((1 + 11 - s8 % 11) % 11)) % 11;
	unsigned d9 = (bad <= j) ? j + 1 : j;
	d[8] = (char)('0' + d9);
	d[9] = '\0';
	int chk = ident_nhs_check_digit(d);
	if (chk < 0) {
		out[0] = '\0';
		return;
	}
	d[9] = (char)('0' + chk);
	d[10] = '\0';
	memcpy(out, d, sizeof d);
}

/* A UPN for a child of school age (5-16 on today): mostly from the area's LA, some from where the child
 * lived before; year of allocation is the September after the fourth birthday, or later for a child who
 * joined later. Left empty if the (LA, year) space is used up. */
static void make_upn(struct gen *g, struct rng *r, struct child *c)
{
	int age = date_age_years(c->dob, g->o->today);
	c->upn[0] = '\0';
	if (age < 5 || age > 16)
		return;
	unsigned la = rng_pct(r, 85) ? g->home_la : rng_below(r, synth_nother_las);
	int year = c->dob.y + 4 + (c->dob.m >= 9);
	if (rng_pct(r, 10))
		year += 1 + (int)rng_below(r, 3);
	if (year > g->o->today.y)
		year = g->o->today.y;
	unsigned yy = (unsigned)(year % 100);
	uint32_t k = g->upn_next[la][yy];
	if (k >= UPN_SPACE)
		return;
	g->upn_next[la][yy] = k + 1;

	struct perm p;
	perm_init(&p, UPN_SPACE, g->upn_key ^ rng_mix64(la * 100u + yy + 1));
	uint64_t x = perm_apply(&p, k);
	char rest[13];
	size_t pos = 0;
	rest[0] = '\0';
	sappend_uint(rest, sizeof rest, &pos, (uint64_t)synth_other_las[la], 3);
	sappend_uint(rest, sizeof rest, &pos, 2000 + x / 1000, 4);
	sappend_uint(rest, sizeof rest, &pos, yy, 2);
	sappend_uint(rest, sizeof rest, &pos, x % 1000, 3);
	char chk = ident_upn_check_letter(rest);
	if (!chk)
		return;
	c->upn[0] = chk;
	memcpy(c->upn + 1, rest, 13);
}

static bool same_name(const char *a, const char *b)
{
	if (strcmp(a, b) == 0)
		return true;
	const struct synth_translit *t = synth_translit_find(a);
	return t && t == synth_translit_find(b);
}

static void name_child(const struct gen *g, struct rng *r, const struct family *f, struct child *c, bool twin_of_prev)
{
	const struct synth_group *gg = f->gg, *sg = f->sg;

	/* Siblings (and above all twins) get different given names. */
	const char *given = pick_given(r, gg, c->sex);
	for (int tries = 0; tries < 12; tries++) {
		bool clash = false;
		for (const struct child *s = f->c; s < c; s++)
			if (same_name(s->given, given))
				clash = true;
		if (!clash)
			break;
		given = pick_given(r, gg, c->sex);
	}
	scopy(c->given, sizeof c->given, given);

	c->middle[0] = '\0';
	if (gg->middle_m) {
		scopy(c->middle, sizeof c->middle, c->sex == 'M' ? gg->middle_m : gg->middle_f);
	} else if (rng_pct(r, gg->middle_pct)) {
		const char *m = pick_given(r, gg, c->sex);
		if (strcmp(m, given) != 0)
			scopy(c->middle, sizeof c->middle, m);
	}

	if (sg->sex_surname_pct && rng_pct(r, sg->sex_surname_pct)) {
		/* Harjit Singh, Simran Kaur: the religious name is then the surname, not a middle name. */
		scopy(c->surname, sizeof c->surname, c->sex == 'M' ? sg->middle_m : sg->middle_f);
		if (strcmp(c->middle, c->surname) == 0)
			c->middle[0] = '\0';
	}
	else if (c > f->c && !twin_of_prev && pct_scaled(r, g->o, 6, SYNTH_F_HALF_SIBLING)) /* another surname */
		scopy(c->surname, sizeof c->surname, pick_surname(r, sg));
	else
		scopy(c->surname, sizeof c->surname, f->surname);
	if (c->sex == 'F')
		feminine_surname(c->surname);

	const char *hy = strchr(c->surname, '-');
	if (hy) {
		c->nparts = 2;
		size_t n0 = (size_t)(hy - c->surname);
		if (n0 >= sizeof c->part[0])
			n0 = sizeof c->part[0] - 1;
		memcpy(c->part[0], c->surname, n0);
		c->part[0][n0] = '\0';
		scopy(c->part[1], sizeof c->part[1], hy + 1);
	} else {
		c->nparts = 1;
		scopy(c->part[0], sizeof c->part[0], c->surname);
		c->part[1][0] = '\0';
	}
	c->nick = synth_alias_find(c->given);
	c->tl_given = synth_translit_find(c->given);
	c->tl_middle = c->middle[0] ? synth_translit_find(c->middle) : NULL;
	c->tl_part[0] = synth_translit_find(c->part[0]);
	c->tl_part[1] = c->nparts == 2 ? synth_translit_find(c->part[1]) : NULL;
}

static void child_needs(const struct gen *g, const struct family *f, struct child *c);

static void make_family(struct gen *g, struct rng *r, struct family *f)
{
	static const unsigned char nchildren_w[SYNTH_MAX_CHILDREN] = {35, 33, 18, 9, 5};

	f->sg = pick_group(r);
	f->gg = pct_scaled(r, g->o, 6, SYNTH_F_MIXED) ? pick_group(r) : f->sg;

	const char *s1 = pick_surname(r, f->sg);
	scopy(f->surname, sizeof f->surname, s1);
	if (pct_scaled(r, g->o, 8, SYNTH_F_DOUBLE_BARREL)) {
		const struct synth_group *g2 = rng_pct(r, 50) ? f->sg : pick_group(r);
		const char *s2 = pick_surname(r, g2);
		if (strcmp(s1, s2) != 0 && !g2->sex_surname_pct) {
			size_t pos = strlen(f->surname);
			sappend(f->surname, sizeof f->surname, &pos, "-");
			sappend(f->surname, sizeof f->surname, &pos, s2);
		}
	}
	make_address(g, r, (unsigned)-1, &f->cur);
	make_address(g, r, f->cur.street, &f->prev);

	f->n = 1 + rng_weighted(r, nchildren_w, SYNTH_MAX_CHILDREN);
	/* About 3% of births in England are twins; here 7% of families with two or more children. */
	int twin_at = (f->n >= 2 && pct_scaled(r, g->o, 7, SYNTH_F_TWINS)) ? (int)rng_below(r, f->n - 1) + 1 : -1;
	int64_t gap[SYNTH_MAX_CHILDREN] = {0}, span = 0;
	for (unsigned i = 1; i < f->n; i++) {
		gap[i] = (int)i == twin_at ? 0 : 330 + (int64_t)rng_below(r, 1500);
		span += gap[i];
	}
	int64_t range = g->today - g->earliest_dob; /* about 18 years */
	if (span > range) {
		int64_t scaled = 0;
		for (unsigned i = 1; i < f->n; i++) {
			gap[i] = gap[i] * range / span;
			scaled += gap[i];
		}
		span = scaled;
	}
	int64_t dob = g->earliest_dob + (int64_t)rng_below(r, (uint32_t)(range - span + 1));
	for (unsigned i = 0; i < f->n; i++) {
		struct child *c = &f->c[i];
		dob += gap[i];
		c->id = ++g->next_child;
		c->dob_days = dob;
		c->dob = date_from_days(dob);
		c->sex = rng_pct(r, 51) ? 'M' : 'F';
		name_child(g, r, f, c, (int)i == twin_at);
		make_nhs(g, c->id - 1, c->nhs);
		make_upn(g, r, c);
		child_needs(g, f, c);
	}
}

/* Disability, communication and language, from a stream of the child's own (seed and child id), so that
 * adding them changed no other record. About 6% of children are disabled; some cannot speak, and the
 * record must say how they communicate (reviews found disabled children who were never asked). */
static void child_needs(const struct gen *g, const struct family *f, struct child *c)
{
	static const struct {
		const char *disability, *communication;
	} needs[] = {
		{"Autism", "Non-verbal; uses PECS (picture exchange)"},
		{"Cerebral palsy", "Non-verbal; uses Makaton and an eye-gaze device"},
		{"Learning disability", "Uses Makaton; understands short sentences"},
		{"Deaf", "British Sign Language; needs a BSL interpreter"},
		{"Down syndrome", "Uses Makaton signs alongside speech"},
		{"Autism", NULL},
		{"ADHD", NULL},
		{"Visual impairment", "Needs information spoken or in large print"},
	};
	static const struct {
		const char *group, *language;
	} languages[] = {
		{"polish", "Polish"}, {"romanian", "Romanian"}, {"pakistani", "Urdu"},     {"bangladeshi", "Bengali (Sylheti)"},
		{"sikh", "Panjabi"},  {"hindu", "Gujarati"},    {"somali", "Somali"},      {"chinese", "Cantonese"},
	};
	struct rng r;
	rng_seed(&r, rng_mix64(g->o->seed ^ rng_mix64(c->id * 0x9e3779b97f4a7c15ULL + 0x5eed)));
	c->disability = c->communication = NULL;
	if (rng_pct(&r, 6)) {
		unsigned k = rng_below(&r, sizeof needs / sizeof needs[0]);
		c->disability = needs[k].disability;
		c->communication = needs[k].communication;
	}
	c->language = "English";
	for (size_t i = 0; i < sizeof languages / sizeof languages[0]; i++)
		if (strcmp(f->gg->code, languages[i].group) == 0 && rng_pct(&r, 45)) /* others speak English first */
			c->language = languages[i].language;
}

static const char *ethnicity_of(const struct family *f)
{
	static const struct {
		const char *group, *ethnicity;
	} census[] = {
		{"english", "White British"},         {"irish", "White Irish"},
		{"polish", "Any other White background"}, {"romanian", "Any other White background"},
		{"pakistani", "Pakistani"},           {"bangladeshi", "Bangladeshi"},
		{"sikh", "Indian"},                   {"hindu", "Indian"},
		{"nigerian", "Black African"},        {"somali", "Black African"},
		{"caribbean", "Black Caribbean"},     {"chinese", "Chinese"},
	};
	if (f->gg != f->sg)
		return "Any other mixed background";
	for (size_t i = 0; i < sizeof census / sizeof census[0]; i++)
		if (strcmp(f->sg->code, census[i].group) == 0)
			return census[i].ethnicity;
	return "";
}

/* ---- what one agency holds about a child ---- */

struct view {
	bool middle;       /* records middle names */
	bool nhs_expected; /* the agency's system would hold the NHS number: missing is an error */
	bool upn_expected;
	bool nhs_extra; /* holds it though it need not (a referral passed it on) */
	bool upn_extra;
	bool no_sex;
};

static void make_view(struct rng *r, int agency, const struct child *c, struct view *v)
{
	memset(v, 0, sizeof *v);
	switch (agency) {
	case SYNTH_POLICE:
		v->middle = rng_pct(r, 30);
		v->nhs_extra = rng_pct(r, 5);
		v->no_sex = rng_below(r, 1000) < 20;
		break;
	case SYNTH_HEALTH:
		v->middle = rng_pct(r, 80);
		v->nhs_expected = true;
		v->no_sex = rng_below(r, 1000) < 5;
		break;
	case SYNTH_EDUCATION:
		v->middle = rng_pct(r, 90);
		v->upn_expected = c->upn[0] != '\0';
		v->nhs_extra = rng_pct(r, 10);
		v->no_sex = rng_below(r, 1000) < 5;
		break;
	case SYNTH_SOCIAL_CARE:
		v->middle = rng_pct(r, 85);
		v->nhs_extra = rng_pct(r, 60);
		v->upn_extra = c->upn[0] && rng_pct(r, 50);
		v->no_sex = rng_below(r, 1000) < 5;
		break;
	default: /* housing */
		v->middle = rng_pct(r, 15);
		v->nhs_extra = rng_pct(r, 2);
		v->no_sex = rng_below(r, 1000) < 20;
		break;
	}
}

/* ---- recording errors ---- */

struct touched {
	bool given, middle, surname, dob;
};

/* Keyboard neighbours on a UK QWERTY layout, for substitution typos. */
static const char *const kb_near[26] = {
    "qwsz", "vghn", "xdfv", "serfcx", "wsdr", "drtgvc", "ftyhbv", "gyujnb", "ujko", "huikmn",
    "jiolm", "kop", "njk", "bhjm", "iklp", "ol", "wa", "edft", "awedxz", "rfgy", "yhji", "cfgb",
    "qase", "zsdc", "tghu", "asx",
};

static bool is_lower(char ch)
{
	return ch >= 'a' && ch <= 'z';
}

/* One edit (substitute a neighbouring key, drop, double, or swap two letters) on an ASCII lower-case
 * letter after the first, so capitals and UTF-8 sequences stay whole. False when none applies. */
static bool typo(struct rng *r, char *s, size_t cap)
{
	size_t len = strlen(s);
	if (len < 2)
		return false;
	for (int attempt = 0; attempt < 8; attempt++) {
		size_t pos = 1 + rng_below(r, (uint32_t)(len - 1));
		if (!is_lower(s[pos]))
			continue;
		switch (rng_below(r, 4)) {
		case 0: {
			const char *near = kb_near[s[pos] - 'a'];
			s[pos] = near[rng_below(r, (uint32_t)strlen(near))];
			return true;
		}
		case 1:
			if (len < 3)
				continue;
			memmove(s + pos, s + pos + 1, len - pos);
			return true;
		case 2:
			if (len + 2 > cap)
				continue;
			memmove(s + pos + 1, s + pos, len - pos + 1);
			return true;
		default:
			if (pos + 1 >= len || !is_lower(s[pos + 1]) || s[pos] == s[pos + 1])
				continue;
			char t = s[pos];
			s[pos] = s[pos + 1];
			s[pos + 1] = t;
			return true;
		}
	}
	return false;
}

/* Another spelling of name from its group into out. */
static void other_spelling(struct rng *r, const struct synth_translit *t, const char *name, char *out,
                           size_t cap)
{
	unsigned n = 0, cur = 0;
	while (n < 6 && t->v[n]) {
		if (strcmp(t->v[n], name) == 0)
			cur = n;
		n++;
	}
	unsigned j = rng_below(r, n - 1);
	if (j >= cur)
		j++;
	scopy(out, cap, t->v[j]);
}

static bool err_nickname(struct rng *r, struct synth_subject *s, const struct child *c, struct touched *t)
{
	if (t->given || !c->nick)
		return false;
	unsigned n = 0;
	while (n < 5 && c->nick->alt[n])
		n++;
	scopy(s->given_name, sizeof s->given_name, c->nick->alt[rng_below(r, n)]);
	t->given = true;
	return true;
}

static bool err_translit(struct rng *r, struct synth_subject *s, const struct child *c, struct touched *t)
{
	unsigned char w[4] = {
	    !t->given && c->tl_given,
	    !t->middle && s->middle_names[0] && c->tl_middle,
	    !t->surname && c->tl_part[0],
	    !t->surname && c->nparts == 2 && c->tl_part[1],
	};
	switch (rng_weighted(r, w, 4)) {
	case 0:
		other_spelling(r, c->tl_given, c->given, s->given_name, sizeof s->given_name);
		t->given = true;
		return true;
	case 1:
		other_spelling(r, c->tl_middle, c->middle, s->middle_names, sizeof s->middle_names);
		t->middle = true;
		return true;
	case 2:
	case 3: {
		unsigned k = w[2] ? (w[3] && rng_pct(r, 50) ? 1 : 0) : 1;
		char part[32];
		other_spelling(r, c->tl_part[k], c->part[k], part, sizeof part);
		size_t pos = 0;
		s->family_name[0] = '\0';
		if (c->nparts == 1) {
			sappend(s->family_name, sizeof s->family_name, &pos, part);
		} else {
			sappend(s->family_name, sizeof s->family_name, &pos, k == 0 ? part : c->part[0]);
			sappend(s->family_name, sizeof s->family_name, &pos, "-");
			sappend(s->family_name, sizeof s->family_name, &pos, k == 1 ? part : c->part[1]);
		}
		t->surname = true;
		return true;
	}
	default:
		return false;
	}
}

static bool err_typo(struct rng *r, struct synth_subject *s, struct touched *t)
{
	unsigned char w[3] = {45, 45, s->middle_names[0] ? 10 : 0};
	for (;;) {
		unsigned k = rng_weighted(r, w, 3);
		if (k == 3)
			return false;
		w[k] = 0;
		if (k == 0 && typo(r, s->given_name, sizeof s->given_name)) {
			t->given = true;
			return true;
		}
		if (k == 1 && typo(r, s->family_name, sizeof s->family_name)) {
			t->surname = true;
			return true;
		}
		if (k == 2 && typo(r, s->middle_names, sizeof s->middle_names)) {
			t->middle = true;
			return true;
		}
	}
}

static bool err_dob_swap(const struct gen *g, struct synth_subject *s, const struct child *c,
                         struct touched *t)
{
	struct date d = c->dob, sw = {d.y, d.d, d.m};
	if (t->dob || d.d > 12 || d.m > 12 || d.d == d.m || date_to_days(sw) > g->today)
		return false;
	fmt_date(sw, s->dob);
	t->dob = true;
	return true;
}

static bool err_dob_off(const struct gen *g, struct rng *r, struct synth_subject *s, const struct child *c,
                        struct touched *t)
{
	if (t->dob)
		return false;
	struct date cand[6];
	unsigned n = 0;
	for (int part = 0; part < 3; part++)
		for (int delta = -1; delta <= 1; delta += 2) {
			struct date d = c->dob;
			if (part == 0)
				d.d += delta;
			else if (part == 1)
				d.m += delta;
			else
				d.y += delta;
			if (date_valid(d) && date_to_days(d) <= g->today)
				cand[n++] = d;
		}
	if (n == 0)
		return false;
	fmt_date(cand[rng_below(r, n)], s->dob);
	t->dob = true;
	return true;
}

static bool err_no_id(struct synth_subject *s, const struct view *v)
{
	bool done = false;
	if (v->nhs_expected && s->nhs_number[0]) {
		s->nhs_number[0] = '\0';
		done = true;
	}
	if (v->upn_expected && s->upn[0]) {
		s->upn[0] = '\0';
		done = true;
	}
	return done;
}

static bool err_surname_part(struct rng *r, struct synth_subject *s, const struct child *c, struct touched *t)
{
	if (t->surname || c->nparts != 2)
		return false;
	/* Either half is dropped in practice; keep it even. */
	scopy(s->family_name, sizeof s->family_name, c->part[rng_below(r, 2)]);
	t->surname = true;
	return true;
}

static void err_moved(struct synth_subject *s, const struct family *f)
{
	scopy(s->address, sizeof s->address, f->prev.line);
	scopy(s->postcode, sizeof s->postcode, f->prev.postcode);
}

/* One to three errors, each of a kind that changes something for this record; MOVED always can. */
static void add_errors(const struct gen *g, struct rng *r, struct synth_record *rec, const struct family *f,
                       const struct child *c, const struct view *v)
{
	/* Relative frequencies, in SYNTH_ERR_* bit order. */
	static const unsigned char kind_w[8] = {40, 25, 35, 8, 10, 12, 15, 40};
	static const unsigned char count_w[3] = {75, 20, 5};
	unsigned w[8];
	unsigned want = 1 + rng_weighted(r, count_w, 3);
	struct touched t = {0};
	struct synth_subject *s = &rec->subject;

	for (int k = 0; k < 8; k++) {
		double sc = g->o->scale[k] > 0 ? g->o->scale[k] : 1.0;
		w[k] = (unsigned)(kind_w[k] * sc + 0.5);
	}
	while (want > 0) {
		unsigned k = rng_weighted_u(r, w, 8);
		if (k == 8)
			break;
		w[k] = 0;
		bool ok;
		switch (1u << k) {
		case SYNTH_ERR_NICKNAME: ok = err_nickname(r, s, c, &t); break;
		case SYNTH_ERR_TYPO: ok = err_typo(r, s, &t); break;
		case SYNTH_ERR_TRANSLIT: ok = err_translit(r, s, c, &t); break;
		case SYNTH_ERR_DOB_SWAP: ok = err_dob_swap(g, s, c, &t); break;
		case SYNTH_ERR_DOB_OFF: ok = err_dob_off(g, r, s, c, &t); break;
		case SYNTH_ERR_MOVED: err_moved(s, f); ok = true; break;
		case SYNTH_ERR_NO_ID: ok = err_no_id(s, v); break;
		default: ok = err_surname_part(r, s, c, &t); break;
		}
		if (ok) {
			rec->errors |= 1u << k;
			want--;
		}
	}
	if (rec->errors == 0) {
		err_moved(s, f);
		rec->errors = SYNTH_ERR_MOVED;
	}
}

/* ---- records ---- */

struct ev {
	int64_t day;
	unsigned minute;
	const struct synth_tmpl *t;
};

static int emit_record(struct gen *g, struct rng *r, const struct family *f, const struct child *c,
                       int agency, const struct view *v, const struct ev *e)
{
	struct synth_record rec;
	struct synth_subject *s = &rec.subject;
	size_t pos = 0;

	memset(&rec, 0, sizeof rec);
	rec.record_no = ++g->next_record;
	rec.agency = agency_code[agency];
	sappend(rec.source_ref, sizeof rec.source_ref, &pos, agency_prefix[agency]);
	sappend(rec.source_ref, sizeof rec.source_ref, &pos, "-");
	sappend_uint(rec.source_ref, sizeof rec.source_ref, &pos, ++g->agency_seq[agency], 6);
	rec.kind = e->t->kind;

	fmt_date(date_from_days(e->day), rec.occurred_at);
	pos = DATE_ISO_LEN;
	sappend(rec.occurred_at, sizeof rec.occurred_at, &pos, "T");
	sappend_uint(rec.occurred_at, sizeof rec.occurred_at, &pos, e->minute / 60, 2);
	sappend(rec.occurred_at, sizeof rec.occurred_at, &pos, ":");
	sappend_uint(rec.occurred_at, sizeof rec.occurred_at, &pos, e->minute % 60, 2);
	sappend(rec.occurred_at, sizeof rec.occurred_at, &pos, ":00Z");
	scopy(rec.summary, sizeof rec.summary, e->t->text);

	scopy(s->given_name, sizeof s->given_name, c->given);
	if (v->middle)
		scopy(s->middle_names, sizeof s->middle_names, c->middle);
	scopy(s->family_name, sizeof s->family_name, c->surname);
	fmt_date(c->dob, s->dob);
	if (!v->no_sex) {
		s->sex[0] = c->sex;
		s->sex[1] = '\0';
	}
	scopy(s->postcode, sizeof s->postcode, f->cur.postcode);
	scopy(s->address, sizeof s->address, f->cur.line);
	if (v->nhs_expected || v->nhs_extra)
		scopy(s->nhs_number, sizeof s->nhs_number, c->nhs);
	if (v->upn_expected || v->upn_extra)
		scopy(s->upn, sizeof s->upn, c->upn);
	if (agency == SYNTH_HEALTH || agency == SYNTH_EDUCATION || agency == SYNTH_SOCIAL_CARE) {
		scopy(s->disability, sizeof s->disability, c->disability ? c->disability : "");
		scopy(s->communication_needs, sizeof s->communication_needs, c->communication ? c->communication : "");
		scopy(s->ethnicity, sizeof s->ethnicity, ethnicity_of(f));
		scopy(s->first_language, sizeof s->first_language, c->language);
	}

	rec.true_child = c->id;
	rec.family = f->id;
	if (pct_scaled(r, g->o, (unsigned)g->o->error_pct, SYNTH_F_ERROR_RECORDS))
		add_errors(g, r, &rec, f, c, v);
	return g->emit(&rec, g->ctx);
}

/* 0 Monday .. 6 Sunday; 1970-01-01 was a Thursday. */
static int weekday(int64_t day)
{
	return (int)(((day % 7) + 7 + 3) % 7);
}

/* A weekday outside the usual English school holidays (half-terms and Easter vary; left in). */
static bool is_school_day(int64_t day)
{
	struct date d = date_from_days(day);
	if (weekday(day) >= 5)
		return false;
	if ((d.m == 12 && d.d >= 21) || (d.m == 1 && d.d <= 3)) /* Christmas */
		return false;
	if ((d.m == 7 && d.d >= 23) || d.m == 8 || (d.m == 9 && d.d <= 2)) /* summer */
		return false;
	return true;
}

/* Police and hospitals work every day; social care and housing offices on weekdays; schools in term. */
static bool records_on(int agency, int64_t day)
{
	if (agency == SYNTH_EDUCATION)
		return is_school_day(day);
	if (agency == SYNTH_SOCIAL_CARE || agency == SYNTH_HOUSING)
		return weekday(day) < 5;
	return true;
}

static int agency_records(struct gen *g, struct rng *r, const struct family *f, const struct child *c,
                          int agency, int64_t lo, int64_t hi)
{
	static const unsigned char nrec_w[SYNTH_MAX_RECORDS] = {35, 25, 15, 12, 8, 5};
	const struct synth_tmpl_set *set = &synth_tmpls[agency];
	struct view v;
	struct ev ev[SYNTH_MAX_RECORDS];
	unsigned n = 1 + rng_weighted(r, nrec_w, SYNTH_MAX_RECORDS);

	make_view(r, agency, c, &v);
	for (unsigned i = 0; i < n; i++) {
		/* Offices and schools record on their working days: redraw a few times, then accept. */
		int64_t day = lo;
		for (int tries = 0; tries < 8; tries++) {
			day = lo + (int64_t)rng_below(r, (uint32_t)(hi - lo + 1));
			if (records_on(agency, day))
				break;
		}
		int age = date_age_years(c->dob, date_from_days(day));
		unsigned char w[32];
		unsigned nt = set->n < 32 ? set->n : 32;
		for (unsigned k = 0; k < nt; k++)
			w[k] = (age >= set->t[k].min_age && age <= set->t[k].max_age) ? set->t[k].weight : 0;
		unsigned k = rng_weighted(r, w, nt);
		if (k == nt)
			k = 0;
		const struct synth_tmpl *t = &set->t[k];
		ev[i].day = day;
		ev[i].t = t;
		ev[i].minute = t->h0 * 60u + rng_below(r, (t->h1 - t->h0 + 1u) * 60u);
	}
	for (unsigned i = 1; i < n; i++) /* in date order, as an agency's own chronology would be */
		for (unsigned j = i; j > 0 && (ev[j].day < ev[j - 1].day ||
		                               (ev[j].day == ev[j - 1].day && ev[j].minute < ev[j - 1].minute));
		     j--) {
			struct ev tmp = ev[j];
			ev[j] = ev[j - 1];
			ev[j - 1] = tmp;
		}
	for (unsigned i = 0; i < n; i++) {
		int rc = emit_record(g, r, f, c, agency, &v, &ev[i]);
		if (rc)
			return rc;
	}
	return 0;
}

static int child_records(struct gen *g, struct rng *r, const struct family *f, const struct child *c)
{
	static const unsigned char agency_w[SYNTH_NAGENCY] = {15, 30, 20, 25, 10};
	static const unsigned char nagency_w[4] = {40, 30, 20, 10};
	int64_t lo = c->dob_days > g->window_lo ? c->dob_days : g->window_lo, hi = g->today;
	int64_t lo_school = c->dob_days + 1462; /* from the fourth birthday: nursery and reception */
	if (lo_school < lo)
		lo_school = lo;
	unsigned char w[SYNTH_NAGENCY];
	memcpy(w, agency_w, sizeof w);
	if (lo_school > hi)
		w[SYNTH_EDUCATION] = 0;

	unsigned want = 1 + rng_weighted(r, nagency_w, 4), chosen = 0;
	while (want-- > 0) {
		unsigned a = rng_weighted(r, w, SYNTH_NAGENCY);
		if (a == SYNTH_NAGENCY)
			break;
		chosen |= 1u << a;
		w[a] = 0;
	}
	for (int a = 0; a < SYNTH_NAGENCY; a++) {
		if (!(chosen & (1u << a)))
			continue;
		int rc = agency_records(g, r, f, c, a, a == SYNTH_EDUCATION ? lo_school : lo, hi);
		if (rc)
			return rc;
	}
	return 0;
}

static int64_t years_before(struct date d, int years)
{
	struct date b = {d.y - years, d.m, d.d};
	int dim = date_days_in_month(b.y, b.m);
	if (b.d > dim)
		b.d = dim;
	return date_to_days(b);
}

int synth_generate(const struct synth_opts *o, synth_emit_fn emit, void *ctx)
{
	if (!o || !emit || o->families < 1 || o->families > SYNTH_MAX_FAMILIES || o->error_pct < 0 ||
	    o->error_pct > 100 || !date_valid(o->today) || o->today.y < 1900)
		return -1;

	struct gen g;
	memset(&g, 0, sizeof g);
	g.o = o;
	g.emit = emit;
	g.ctx = ctx;
	g.today = date_to_days(o->today);
	g.earliest_dob = years_before(o->today, 18) + 1;
	g.window_lo = years_before(o->today, 3);

	struct rng ar;
	rng_seed(&ar, o->seed ^ 0x5a17e5a17e5a17e5ULL);
	g.area = &synth_areas[rng_below(&ar, synth_nareas)];
	while (g.noutward < 8 && g.area->outward[g.noutward])
		g.noutward++;
	for (unsigned i = 0; i < synth_nother_las && i < SYNTH_MAX_LAS; i++)
		if (synth_other_las[i] == g.area->la)
			g.home_la = i;
	perm_init(&g.nhs_perm, NHS_SPACE, rng_next(&ar));
	g.upn_key = rng_next(&ar);

	for (int i = 1; i <= o->families; i++) {
		struct family f;
		struct rng r;
		uint64_t fs = o->seed + (uint64_t)i * 0xd1b54a32d192ed03ULL;
		rng_seed(&r, rng_mix64(fs));
		f.id = (uint64_t)i;
		make_family(&g, &r, &f);
		for (unsigned k = 0; k < f.n; k++) {
			int rc = child_records(&g, &r, &f, &f.c[k]);
			if (rc)
				return rc;
		}
	}
	return 0;
}
