/*
 * linkage/wrong_ids.c — NHS numbers written from another child of the family.
 *
 * An A&E clerk with the family's other child's card, a form filled in for two children at once: a record
 * carries a valid NHS number that is its brother's or sister's. Compared as it stands, that number is the
 * strongest evidence a pair can show (an equal valid number lifts every pairwise refusal), so the record
 * joins the other child's records, and when the two are twins (one family name, birthday and home) it joins
 * twins (style d: docs/BENCHMARKS.md "Round 28b", 9 of the 15 twin clusters at 80k on seeds 1-3, "Round 29b").
 *
 * The record says so itself. It is odd among the records of its number: its given name is unrelated to the
 * given name of every one of them of another source (no middle name, no crossing explains it). And another child is named as it
 * is: a record of another source, holding another valid number and not itself odd, whose given name is of one
 * sound with it. For the family name, the birthday and the sex, a field sides with that child when it agrees
 * with it and is unrelated to every record of the odd record's own number, and the reverse. Then:
 *   - "number": the other child was born on the record's birthday and some field besides the given name sides
 *     with it, none with the record's own number (two fields against one): the number is taken as not written;
 *   - "name": the other child was born on an unrelated day while the record's birthday agrees with its own
 *     number's records, and no field sides with the other child: the name was written from a brother or
 *     sister born another day; counted, nothing changed;
 *   - "twins": born the same day, no field siding either way (twins share the family name, the birthday and
 *     the home): the record alone cannot say which was written from the other child. Brothers and sisters born
 *     on other days can, and the input holds them: the number is taken as not written when the source's
 *     "number" records outnumber its "name" records by a one-sided sign test at 5% (under the hypothesis that
 *     both errors are as common; a convention, not a figure fitted to a generator).
 * A given name that most of its records hold odd among their number's, by the same test ("Baby", "Unknown":
 * the words of maternity and triage for a child not yet named), names no child: its records are not judged and
 * make no other record odd. With no such evidence nothing changes: styles a, b and c show none
 * (docs/BENCHMARKS.md, "Round 29b"). A number taken as not written is compared as missing: the record is then
 * judged by its names, its birthday and its home, as a record without a number is.
 *
 * Batch only, before blocking (linkage_dedupe sees the records as changed): the service links one record at a
 * time against its store and keeps every number it is sent.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lib/rng.h"
#include "linkage/linkage_int.h"
#include "linkage/radix_sort.h"

/* A number carried by more records than this is not judged record by record (its records are compared with
 * each other, k squared): no child has so many, and the cost stays bounded. */
#define WRONG_GROUP_MAX 256
/* The one-sided sign test's level: the share of sources with as many "number" as "name" records that would
 * pass by chance. */
#define WRONG_SIGN_LEVEL 0.05

struct wid {
	uint64_t key;
	uint32_t i;
};

static int cmp_wid(const void *x, const void *y)
{
	const struct wid *a = x, *b = y;
	if (a->key != b->key)
		return a->key < b->key ? -1 : 1;
	return a->i < b->i ? -1 : a->i > b->i;
}

static unsigned wid_digit(const struct wid *x, unsigned pass)
{
	return (unsigned)(x->key >> (16 * pass)) & 0xFFFFu;
}

LINKAGE_RADIX_SORT(radix_wid, struct wid, wid_digit, 4)

/* w (n entries, each i unique and increasing, or only its key read) into cmp_wid's order by a stable
 * least-significant-digit radix sort on the key, 16 bits a pass (linkage/radix_sort.h, as dedupe's sort_scored):
 * the entries are made in record order, so a stable sort on the key alone gives the order qsort gives on
 * (key, i), at a fraction of its cost at a million records (glibc's qsort with a comparator was half the pass:
 * docs/BENCHMARKS.md "Round 29b"). Where i is not increasing (the names judged, i their oddness), the order
 * within a key differs from qsort's and nothing reads it: the runs are summed and their key kept. Small arrays,
 * or no memory for the scratch: qsort. */
#define WID_RADIX_MIN 4096
static void sort_wid(struct wid *w, size_t n)
{
	struct wid *tmp = n >= WID_RADIX_MIN ? malloc(n * sizeof *tmp) : NULL;
	if (!tmp || radix_wid(w, n, tmp) != 0)
		qsort(w, n, sizeof *w, cmp_wid);
	free(tmp);
}

static uint64_t str_key(const char *s, uint64_t h)
{
	return linkage_hash64(s, strlen(s), h);
}

/* The key of a record's names for finding another child of the family named as it is: the given and family
 * names' phonetic keys (spelling variants share them: mohammed, muhammad -> "MMT"). */
static uint64_t names_key(const struct linkage_rec *r)
{
	return rng_mix64(str_key(r->given_phon, LINKAGE_FNV64) ^ rng_mix64(str_key(r->family_phon, LINKAGE_FNV64 + 1)));
}

static bool dob_agrees(unsigned l)
{
	return l != LINKAGE_LEVEL_NULL && l != LD_ELSE && l != LD_PART;
}

/* P(X >= k) for X binomial(k + j, 1/2). */
static double sign_tail(size_t k, size_t j)
{
	double n = (double)(k + j), p = 0;
	for (size_t x = k; x <= k + j; x++)
		p += exp(lgamma(n + 1) - lgamma((double)x + 1) - lgamma(n - (double)x + 1) - n * log(2.0));
	return p;
}

enum { W_NONE, W_NAME, W_TWIN, W_NUMBER };

/* The fields besides the given name that say which child a record is: 0 family name, 1 birthday, 2 sex. (The
 * home as a fourth was tried: it kept a namesake's birthday from taking a number at style c's million, and cost
 * style d seven twin clusters there; docs/BENCHMARKS.md, "Round 29b".) */
#define NFIELDS 3
static unsigned field_level(int f, const struct linkage_rec *x, const struct linkage_rec *y)
{
	if (f == 0) {
		/* a family name in the other record's given field (names written across: "RUSU ROXANA") is the
		 * family's, not another */
		unsigned l = linkage_cmp_family(x, y);
		if (l == LN_ELSE && (linkage_sets_meet(x->family_set, LINKAGE_SET_MAX, y->given_set, 3) ||
				     linkage_sets_meet(y->family_set, LINKAGE_SET_MAX, x->given_set, 3)))
			return LN_VARIANT;
		return l;
	}
	if (f == 1)
		return linkage_cmp_dob(x, y);
	return !x->sex || !y->sex ? LINKAGE_LEVEL_NULL : x->sex == y->sex ? LS_EQUAL : LS_DIFF;
}

/* Related (family: any level but else; birthday: equal or nearly, not merely two parts; sex: equal). */
static bool level_agrees(int f, unsigned l)
{
	if (l == LINKAGE_LEVEL_NULL)
		return false;
	return f == 0 ? l != LN_ELSE : f == 1 ? dob_agrees(l) : l == LS_EQUAL;
}

/* Unrelated (family, birthday: else; sex: different). */
static bool level_against(int f, unsigned l)
{
	if (l == LINKAGE_LEVEL_NULL)
		return false;
	return f == 0 ? l == LN_ELSE : f == 1 ? l == LD_ELSE : l == LS_DIFF;
}

/* A field of a record against the other records of its number: agrees with one of them (with), unrelated to
 * every one that holds it (against, when seen). */
struct side {
	bool with, against, seen;
};

static void side_add(struct side *s, unsigned l, int f)
{
	if (l == LINKAGE_LEVEL_NULL)
		return;
	s->seen = true;
	if (level_agrees(f, l))
		s->with = true;
	if (!level_against(f, l))
		s->against = false;
}

/* Whether r's given name is one that, in the input, names no child: the records holding it that share a valid
 * number with named records are odd among them more often than not, by the sign test at WRONG_SIGN_LEVEL (at
 * least five, none named as their number's others: "Baby", "Unknown", maternity's and triage's words for a
 * child not yet named). ph: sorted hashes of such names. */
static bool placeholder(const struct wid *ph, size_t nph, const struct linkage_rec *r)
{
	size_t lo = 0, hi = nph;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (ph[mid].key < r->given_h)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < nph && ph[lo].key == r->given_h;
}

/* Whether record byid[a] of the group byid[lo..hi) (one number) has a given name unrelated to every other
 * record of the number that has one (no middle name, no crossing explains it), or of the other sex and not
 * equal (Yusuf and Yusufa, as the pairwise sex refusal reads them); grp gets, for the family name,
 * the birthday and the sex, whether it agrees with one of them (with) or is unrelated to every one holding the
 * field (against); grp NULL: the standing alone (the fields are read only for the odd records, below). False
 * when no other record of the number has a given name. */
static bool group_odd(const struct linkage_rec *r, const struct wid *byid, size_t lo, size_t hi, size_t a,
		      const struct wid *ph, size_t nph, struct side grp[NFIELDS])
{
	const struct linkage_rec *x = &r[byid[a].i];
	bool odd = true, named = false;
	for (int f = 0; grp && f < NFIELDS; f++)
		grp[f] = (struct side){false, true, false};
	for (size_t b = lo; b < hi && odd; b++) {
		const struct linkage_rec *y = &r[byid[b].i];
		if (b == a || strcmp(x->nhs, y->nhs) != 0)
			continue;
		/* only a record of another source says the number's child is known by x's name: two records of one
		 * source with one name and another child's number are one desk's habit written twice (an A&E
		 * keeping the family's other card on file: style d's "Ava Barwell" twice with her twin Olivia's
		 * number, docs/BENCHMARKS.md "Round 31c") */
		if (y->given_len && !placeholder(ph, nph, y) && y->source != x->source) {
			named = true;
			/* related names, unless the sexes differ and the names are not equal (Amir and Amira: the
			 * pairwise sex refusal's two children) */
			unsigned g = linkage_cmp_given(x, y);
			bool sexes = x->sex && y->sex && x->sex != y->sex;
			if ((g != LN_ELSE && !(sexes && g != LN_EXACT)) || linkage_names_crossed(x, y))
				odd = false;
		}
		for (int f = 0; grp && f < NFIELDS; f++)
			side_add(&grp[f], field_level(f, x, y), f);
	}
	return odd && named;
}

/* A record's standing among the records of its number: not judged (alone, unnamed, or a number too common),
 * named as they are (at least one other record's given name related to its own), or odd (group_odd). */
enum { G_NONE, G_HELD, G_ODD };

size_t linkage_drop_wrong_ids(struct linkage_rec *r, size_t n, struct linkage_wrong_ids *out)
{
	struct linkage_wrong_ids st;
	struct wid *byid = NULL, *byname = NULL, *ph = NULL;
	uint8_t *kind = NULL, *standing = NULL;
	size_t nid = 0, nname = 0, nph = 0, dropped = 0;
	memset(&st, 0, sizeof st);
	for (size_t i = 0; i < n; i++)
		if (r[i].nhs_state == LINKAGE_ID_VALID)
			nid++;
	byid = malloc((nid ? nid : 1) * sizeof *byid);
	byname = malloc((nid ? nid : 1) * sizeof *byname);
	kind = calloc(n ? n : 1, 1);
	standing = calloc(n ? n : 1, 1);
	ph = malloc((nid ? nid : 1) * sizeof *ph);
	if (!byid || !byname || !kind || !standing || !ph)
		goto out;
	for (size_t i = 0; i < n; i++) {
		if (r[i].nhs_state != LINKAGE_ID_VALID)
			continue;
		byid[nname++] = (struct wid){str_key(r[i].nhs, LINKAGE_FNV64), (uint32_t)i};
	}
	sort_wid(byid, nname);
	/* first each record's standing among its number's records, twice: the first reading finds the given names
	 * that name no child (odd in most of their groups: placeholder), the second reads them as no name */
	for (int pass = 0; pass < 2; pass++) {
		for (size_t lo = 0, hi; lo < nname; lo = hi) {
			for (hi = lo + 1; hi < nname && byid[hi].key == byid[lo].key; hi++)
				;
			if (hi - lo < 2 || hi - lo > WRONG_GROUP_MAX)
				continue;
			if (pass) {
				/* a group none of whose records holds a placeholder name reads as the first reading
				 * read it: its standings stand (most groups; every one when no name is a placeholder) */
				bool held = false;
				for (size_t a = lo; a < hi && !held; a++)
					held = placeholder(ph, nph, &r[byid[a].i]);
				if (!held)
					continue;
			}
			for (size_t a = lo; a < hi; a++) {
				const struct linkage_rec *x = &r[byid[a].i];
				if (pass == 0)
					st.grouped[x->source <= LINKAGE_MAX_SOURCES ? x->source : 0]++;
				standing[byid[a].i] = !x->given_len || placeholder(ph, nph, x) ? G_NONE
						      : group_odd(r, byid, lo, hi, a, ph, nph, NULL) ? G_ODD
						      : G_HELD;
			}
		}
		if (pass)
			break;
		/* the names judged, by name (byname's array reused as scratch: its order is made below) */
		size_t nj = 0;
		for (size_t i = 0; i < n; i++)
			if (standing[i] != G_NONE)
				byname[nj++] = (struct wid){r[i].given_h, standing[i] == G_ODD};
		sort_wid(byname, nj);
		for (size_t lo = 0, hi; lo < nj; lo = hi) {
			size_t odd = 0;
			for (hi = lo; hi < nj && byname[hi].key == byname[lo].key; hi++)
				odd += byname[hi].i;
			if (2 * odd > hi - lo && sign_tail(odd, hi - lo - odd) <= WRONG_SIGN_LEVEL)
				ph[nph++] = byname[lo];
		}
	}
	for (size_t i = 0, k = 0; i < n; i++)
		if (r[i].nhs_state == LINKAGE_ID_VALID)
			byname[k++] = (struct wid){names_key(&r[i]), (uint32_t)i};
	sort_wid(byname, nname);
	/* then each odd record against the children named as it is */
	for (size_t lo = 0, hi; lo < nname; lo = hi) {
		for (hi = lo + 1; hi < nname && byid[hi].key == byid[lo].key; hi++)
			;
		for (size_t a = lo; a < hi; a++) {
			const struct linkage_rec *x = &r[byid[a].i];
			unsigned s = x->source <= LINKAGE_MAX_SOURCES ? x->source : 0;
			struct side grp[NFIELDS];
			if (standing[byid[a].i] != G_ODD)
				continue;
			group_odd(r, byid, lo, hi, a, ph, nph, grp);
			/* another child of the family named as x is (given names of one sound: equal, a variant, one edit,
			 * the same phonetic key), known by that name among the records of its own valid number (y named
			 * as its number's records of other sources are: not odd), of any source: a source's own way of
			 * writing, "Baby" and the like, names no child (placeholder) and its records are not judged, and
			 * the twin's own A&E records are what the A&E record written with her sister's number resembles
			 * (round 31c: until then y had to be of another source): the fields that side with it and not
			 * with x's number (fx) and the reverse (fg) */
			uint64_t key = names_key(x);
			size_t at = 0, top = nname;
			while (at < top) {
				size_t mid = at + (top - at) / 2;
				if (byname[mid].key < key)
					at = mid + 1;
				else
					top = mid;
			}
			unsigned k = W_NONE;
			for (; at < nname && byname[at].key == key && k != W_NUMBER; at++) {
				const struct linkage_rec *y = &r[byname[at].i];
				if (standing[byname[at].i] == G_ODD || strcmp(x->nhs, y->nhs) == 0)
					continue;
				unsigned g = linkage_cmp_given(x, y);
				if (g == LINKAGE_LEVEL_NULL || g > LN_PHONETIC)
					continue;
				/* y born on the day x says (then x is y's record unless a field sides with x's number), or on
				 * an unrelated day while x's birthday agrees with its number's records (then x's name is
				 * y's, written on the record of a brother or sister born another day); a namesake whose
				 * birthday is not known says nothing */
				unsigned d = linkage_cmp_dob(x, y), fx = 0, fg = 0;
				if (d != LD_EXACT && !(d == LD_ELSE && grp[1].with))
					continue;
				for (int f = 0; f < NFIELDS; f++) {
					unsigned l = f == 1 ? d : field_level(f, x, y);
					fx += level_agrees(f, l) && grp[f].against && grp[f].seen;
					fg += level_against(f, l) && grp[f].with;
				}
				unsigned c = d != LD_EXACT ? (fx == 0 ? W_NAME : W_NONE)
					   : fg == 0 && fx >= 1 ? W_NUMBER
					   : fg == 0	       ? W_TWIN
							       : W_NONE;
				if (c > k)
					k = c;
			}
			kind[byid[a].i] = (uint8_t)k;
			if (k == W_NUMBER)
				st.number[s]++;
			else if (k == W_NAME)
				st.name[s]++;
			else if (k == W_TWIN)
				st.twins[s]++;
		}
	}
	for (unsigned s = 0; s <= LINKAGE_MAX_SOURCES; s++)
		st.twins_dropped[s] = st.twins[s] && st.number[s] > st.name[s] &&
				      sign_tail(st.number[s], st.name[s]) <= WRONG_SIGN_LEVEL;
	for (size_t i = 0; i < n; i++) {
		unsigned s = r[i].source <= LINKAGE_MAX_SOURCES ? r[i].source : 0;
		if (kind[i] == W_NUMBER || (kind[i] == W_TWIN && st.twins_dropped[s])) {
			r[i].nhs_state = LINKAGE_ID_NONE;
			r[i].nhs[0] = '\0';
			dropped++;
			st.dropped[s]++;
		}
	}
out:
	free(byid);
	free(byname);
	free(kind);
	free(standing);
	free(ph);
	if (out)
		*out = st;
	return dropped;
}
