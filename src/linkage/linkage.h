/*
 * linkage/linkage.h — record linkage: is this the same child? (docs/LINKAGE.md describes the method.)
 *
 * Pure: no I/O, no clock, no mutable globals. It allocates (records, candidate pairs) and, in the batch,
 * scores pairs on worker threads; the results do not depend on the number of threads.
 *
 * Three layers, each usable alone:
 *   1. prepare: a record as an agency sent it (struct linkage_input) -> a normalised record
 *      (struct linkage_rec): folded names, nickname and spelling-variant canonical forms, phonetic keys,
 *      parsed date of birth, validated NHS number and UPN, normalised postcode, address tokens.
 *   2. compare and score: two prepared records -> one level per field (linkage_compare) -> a match weight
 *      and probability under a Fellegi-Sunter model, with every field's level and contribution
 *      (linkage_score). This is what the service uses to score an incoming record against a handful of
 *      candidates from its blocking index.
 *   3. batch: a whole file of records -> candidate pairs by a union of blocking rules, a model trained on
 *      them (u from random pairs, m by expectation-maximisation), scores, and clusters that never join two
 *      records that are strong non-matches (linkage_dedupe).
 */
#ifndef SAFEGUARD_LINKAGE_LINKAGE_H
#define SAFEGUARD_LINKAGE_LINKAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/date.h"

/* ---- fields and their comparison levels ---- */

enum linkage_field {
	LF_GIVEN,
	LF_FAMILY,
	LF_MIDDLE,
	LF_DOB,
	LF_SEX,
	LF_POSTCODE,
	LF_ADDRESS,
	LF_NHS,
	LF_UPN,
	LF_NFIELD
};

/* Level 0 of every field is "missing on either side": it carries no evidence (weight 0) and is left out
 * of m and u. Levels are ordered from the strongest agreement down. */
#define LINKAGE_LEVEL_NULL 0
#define LINKAGE_MAX_LEVELS 16

enum { /* given and family names */
	LN_EXACT = 1,   /* the folded names are equal */
	LN_VARIANT,     /* a nickname or spelling variant of the same name (Billy/William, Mohamed/Muhammad) */
	LN_CLOSE,       /* Jaro-Winkler >= 0.92, or one edit or transposition apart */
	LN_PHONETIC,    /* the phonetic keys are equal */
	LN_NEAR,        /* Jaro-Winkler >= 0.88, or (given) a typo of a nickname or variant of the other */
	LN_SHORT,       /* given: a short form no table lists: one is the start of the other (three letters or
	                 * more, a diminutive ending -ie, -y, -o, -i, -a, -ee set aside: Tobie, Tobiloba), or its
	                 * end (four letters or more: Femi, Oluwafemi) */
	LN_SWAPPED,     /* given: one's given name is one of the other's middle names (a child known by a middle
	                 * name); family: one name is a part of the other ("Khan" in "Khan-Ali") */
	LN_EDIT2,       /* two edits apart (two typos, or a typo on a variant): never linked on its own */
	LN_ELSE,
	LN_NLEVELS
};
enum { /* middle names */
	LM_EXACT = 1,
	LM_PARTIAL, /* a middle name in common (variant-aware), or close by Jaro-Winkler */
	LM_ELSE,
	LM_NLEVELS
};
enum { /* date of birth */
	LD_EXACT = 1,
	LD_SWAP,   /* day and month swapped */
	LD_OFF1,   /* day or month off by one, the rest equal */
	LD_YEAR1,  /* year off by one, day and month equal */
	LD_TYPO,   /* one digit different or two adjacent digits transposed (also for impossible dates) */
	LD_PART,   /* two of the three parts equal, the third different in any way (a day typed wrong, a year
	            * off by more than one) */
	LD_ELSE,
	LD_NLEVELS
};
enum { /* sex */
	LS_EQUAL = 1,
	LS_DIFF,
	LS_NLEVELS
};
enum { /* postcode */
	LP_FULL = 1,
	LP_SECTOR,   /* "LS6 2" */
	LP_DISTRICT, /* "LS6" */
	LP_AREA,     /* "LS" */
	LP_ELSE,
	LP_NLEVELS
};
enum { /* address */
	LA_EXACT = 1,
	LA_OVERLAP, /* at least two thirds of the shorter address's tokens are in the other */
	LA_ELSE,
	LA_NLEVELS
};
enum { /* NHS number and UPN */
	LI_EQUAL = 1,   /* equal and check-valid: very strong */
	LI_TYPO,        /* at least one fails its check, and they are one edit or a transposition apart */
	LI_DIFF_VALID,  /* both check-valid and different: strong against */
	LI_ELSE,        /* different, one or both invalid and not close */
	LI_NLEVELS
};

extern const unsigned linkage_nlevels[LF_NFIELD];    /* levels per field, including NULL */
extern const char *const linkage_field_name[LF_NFIELD]; /* "given_name", "family_name", ... */
/* "exact", "variant", ... for a field's level (NULL level: "missing"). */
const char *linkage_level_name(enum linkage_field f, unsigned level);

/* ---- normalisation ---- */

#define LINKAGE_NAME_MAX 48  /* bytes of a folded name, tokens separated by one space */
#define LINKAGE_FIELD_MAX 32 /* bytes of a name kept in a prepared record (cut on a character boundary) */
#define LINKAGE_ADDR_TOKENS 12
#define LINKAGE_SET_MAX 8

/* A name folded for matching (core/text.h text_name_fold per token): lower case, accents folded, hyphens,
 * commas, dots and white space separate tokens, apostrophes dropped; tokens joined by one space. Truncated
 * on a token boundary at LINKAGE_NAME_MAX - 1 bytes. Returns the length. */
size_t linkage_name_norm(const char *in, char out[LINKAGE_NAME_MAX]);

/* The canonical form of a folded one-token given name: a nickname's full name (billy -> william), a spelling
 * variant's usual spelling (muhammad -> mohammed), else NULL. A nickname of several names (alex) gives
 * the first; linkage_name_variants tells whether two names share any canonical form. */
const char *linkage_name_canonical(const char *folded);
bool linkage_name_variants(const char *a, const char *b);
/* True when a is one edit or transposition from a nickname or variant of b, or from a name b is a variant
 * of ("vidky" from "vicky", a nickname of "victoria"): a typo on top of a nickname. */
bool linkage_name_typo_of_variant(const char *a, const char *b);
/* The nickname and variant table's size and entries (for tests: it is sorted and each row is unique). */
size_t linkage_nickname_count(void);
const char *linkage_nickname_at(size_t i, const char **canonical);

#define LINKAGE_PHON_MAX 12
/* A phonetic key of a folded name (ASCII letters; others ignored): a simplified Double Metaphone tuned to
 * transliterations (mohammed, muhammad, mohamed -> "MMT"). At most LINKAGE_PHON_MAX - 1 characters. */
size_t linkage_phonetic(const char *folded, char out[LINKAGE_PHON_MAX]);

/* ---- string similarity ---- */

/* Jaro-Winkler similarity in [0, 1] (prefix scale 0.1, prefix up to 4), over bytes. */
double linkage_jaro_winkler(const char *a, size_t alen, const char *b, size_t blen);
/* Levenshtein distance, stopping once it passes max (returns max + 1 then). */
unsigned linkage_edit_distance(const char *a, size_t alen, const char *b, size_t blen, unsigned max);
/* True when a and b are equal, one edit apart, or equal but for two adjacent characters swapped. */
bool linkage_one_edit(const char *a, size_t alen, const char *b, size_t blen);

/* ---- records ---- */

/* A record as sent: NUL-terminated strings, "" or NULL when absent. dob as YYYY-MM-DD or DD/MM/YYYY. */
struct linkage_input {
	const char *given, *middle, *family, *dob, *sex, *postcode, *address, *nhs, *upn;
};

enum { LINKAGE_ID_NONE, LINKAGE_ID_VALID, LINKAGE_ID_BADCHECK, LINKAGE_ID_BADFORMAT };
enum { LINKAGE_DOB_NONE, LINKAGE_DOB_VALID, LINKAGE_DOB_IMPOSSIBLE, LINKAGE_DOB_BADFORMAT };
enum { LINKAGE_PC_NONE, LINKAGE_PC_VALID, LINKAGE_PC_BAD };

/* Bit set of what prepare found wrong in a value (counted by the CLI, never an error). */
enum {
	LINKAGE_BAD_DOB = 1u << 0,      /* impossible date or unreadable */
	LINKAGE_BAD_NHS = 1u << 1,      /* wrong check digit or shape */
	LINKAGE_BAD_UPN = 1u << 2,
	LINKAGE_BAD_POSTCODE = 1u << 3,
	LINKAGE_BAD_SEX = 1u << 4,      /* not M, F, male, female (case-insensitive) */
};

/* The fields are laid out for the batch's comparison of candidate pairs, which reads two records that lie
 * anywhere in memory: what every comparison reads (hashes, name sets, the states, the date, the postcode,
 * the NHS number) in the first two 64-byte lines, the rest after, and no padding (384 bytes; 400 with the
 * fields in the order they were added: 16 MB at a million records). */
struct linkage_rec {
	/* Precomputed for speed: hashes of each name and of the names it is a nickname or variant of (two
	 * names are variants when their sets meet; 0 is an empty slot), and the ranges of the variant table
	 * holding the nicknames of the given name and of its canonical form. */
	uint64_t given_h, family_h;    /* hashes of given and of family with its spaces (0 when empty): keys of
	                                * comparison memos (the family level depends on the split) */
	uint64_t addr_hash;            /* of the whole folded address, 0 when none */
	uint32_t given_set[3], middle_set[8];
	struct date dob;               /* when dob_state is VALID */
	uint8_t given_len, middle_len, family_flat_len, nfamily_parts;
	uint8_t dob_state;
	char sex;                      /* 'M', 'F' or 0 */
	uint8_t pc_state;
	uint8_t pc_outward_len;        /* length of the outward code when valid */
	uint8_t naddr;                 /* address tokens: hashes of the folded words, sorted, unique */
	uint8_t nhs_state, upn_state;
	char dob_digits[9];            /* YYYYMMDD as written, for typo comparison; "" when unreadable */
	char postcode[12];             /* "LS6 2AB" normalised, or the text upper-cased without spaces when bad */
	char nhs[16], upn[16];         /* normalised when the shape is right, else the digits/letters as sent */
	uint32_t addr[LINKAGE_ADDR_TOKENS];

	char given[LINKAGE_FIELD_MAX];  /* first given token */
	char middle[LINKAGE_FIELD_MAX]; /* middle names, folded (plus the rest of a multi-token given name) */
	char family_flat[LINKAGE_FIELD_MAX]; /* the family name folded, without spaces ("smith jones" ->
	                                      * "smithjones") */
	const char *given_canon;       /* canonical given name (static table), or NULL */
	char given_phon[LINKAGE_PHON_MAX], family_phon[LINKAGE_PHON_MAX];
	uint32_t family_part_phon[2];  /* hashes of the first and last family token's phonetic keys */
	uint32_t family_set[8];
	uint16_t given_var[2][2];

	/* Term frequencies of the exact given and family names in the data the model was fitted on (0 when
	 * unknown: the exact level's own u is used). Filled by linkage_tf_* below. */
	float tf_given, tf_family;
	unsigned bad; /* LINKAGE_BAD_* */
	uint8_t source; /* the record's source (agency, system) as a number 1..LINKAGE_MAX_SOURCES given by the
	                 * caller, 0 when unknown: pairs of sources get m of their own (linkage_model.by_source) */
	uint8_t given_as_family; /* the given name as written is commoner as a family name in the data (names in
	                          * each other's fields, or a family name given as a first name): linkage_tf_apply */
	uint8_t family_as_given; /* the family name as written is commoner as a given name in the data (a child's
	                          * given name in the family field): linkage_tf_apply */
	uint8_t dob_from_age;    /* the record's source writes dates from an age (linkage_drop_estimated_dobs: its
	                          * 1 January dates were dropped), so its other dates may be estimates too */
	uint8_t upn_temp;        /* the UPN is valid and temporary (ident_upn_temporary: it ends in a letter), so a
	                          * different UPN is no other pupil's (linkage_prepare; linkage_cmp_upn) */
	uint8_t given_extra;     /* how many of middle's first words came from the given field ("Qing-Kai",
	                          * "Mary Jane": 1), so the given field can be read joined (linkage_cmp_given) */
};

#define LINKAGE_MAX_SOURCES 14
#define LINKAGE_SOURCE_PAIRS ((LINKAGE_MAX_SOURCES + 1) * (LINKAGE_MAX_SOURCES + 2) / 2)
/* The index of an unordered pair of sources (0..LINKAGE_SOURCE_PAIRS-1). */
static inline unsigned linkage_source_pair(uint8_t a, uint8_t b)
{
	unsigned x = a < b ? a : b, y = a < b ? b : a;
	if (y > LINKAGE_MAX_SOURCES)
		x = y = 0;
	return y * (y + 1) / 2 + x;
}

/* Normalises in into out (every field, including "" ones). Never fails; a value that cannot be right is
 * kept for comparison as text and flagged in out->bad. */
void linkage_prepare(const struct linkage_input *in, struct linkage_rec *out);
/* linkage_prepare of in[0..n) into out[0..n) on up to threads threads (records are independent; the result
 * is the same for any number of threads). */
void linkage_prepare_many(const struct linkage_input *in, size_t n, struct linkage_rec *out, unsigned threads);

/* Dates of birth written as estimates (estimates.c): per source (the records' source numbers, 0 unknown),
 * its valid dates and how many fall on 1 January. A source with 20 or more of them and at least five times
 * the share of birthdays there (1/365.25) writes estimates; its 1 January dates are made "not written"
 * (dob_state NONE, no digits) before anything is compared. Returns how many were; est (may be NULL) gets the
 * counts. Batch only: the service sees one record at a time. */
struct linkage_estimates {
	size_t dated[LINKAGE_MAX_SOURCES + 1], jan1[LINKAGE_MAX_SOURCES + 1];
	bool dropped[LINKAGE_MAX_SOURCES + 1];
};
size_t linkage_drop_estimated_dobs(struct linkage_rec *r, size_t n, struct linkage_estimates *est);
/* The same pass marks every record of such a source (dob_from_age). Its dates that are not on 1 January are
 * estimates as well in part (the day of the encounter, so many years back), and nothing in one of them says
 * which: whether two birthdays that disagree may be one child's, one of them written from an age. True when
 * both dates are valid and unrelated (linkage_cmp_dob ELSE), one record is of such a source and the two
 * years are equal or adjacent (an age in whole years puts the birth in the year it implies or the one
 * before). The `birthdays` refusal then does not refuse, nor `dob` a pair whose given names are equal as
 * written (LINKAGE_REFUSE_AGE_DATES; the batch's dedupe.c). */
bool linkage_dob_from_age(const struct linkage_rec *a, const struct linkage_rec *b);

/* NHS numbers written from another child of the family (wrong_ids.c; docs/LINKAGE.md "A number written from
 * another child"): a record whose given name is unrelated to every other record carrying its valid NHS number,
 * and whose given name, family name and birthday are those of a child whose records hold another valid number.
 * Per source (the records' source numbers, 0 unknown): records of that shape whose birthday is unrelated to
 * every dated record of their own number ("number": the number is the other child's), whose name is that
 * child's but born another day while their birthday agrees with their own number's records ("name": the name
 * is the other child's), and between twins, where both birthdays agree ("twins"). A "number" record's number
 * is made not written (nhs_state NONE); a "twins" record's too when its source's "number" records outnumber
 * its "name" records by a one-sided sign test at 5%. Returns how many were (0 also when out of memory: then
 * nothing is changed); out (may be NULL) gets the counts. Batch only, before linkage_dedupe; switched by
 * LINKAGE_REFUSE_WRONG_ID in the caller. */
struct linkage_wrong_ids {
	size_t grouped[LINKAGE_MAX_SOURCES + 1]; /* records whose valid number another record carries */
	size_t number[LINKAGE_MAX_SOURCES + 1], name[LINKAGE_MAX_SOURCES + 1], twins[LINKAGE_MAX_SOURCES + 1];
	bool twins_dropped[LINKAGE_MAX_SOURCES + 1];
	size_t dropped[LINKAGE_MAX_SOURCES + 1];
};
size_t linkage_drop_wrong_ids(struct linkage_rec *r, size_t n, struct linkage_wrong_ids *out);

/* ---- comparison ---- */

/* A comparison vector: one level per field, 4 bits each (field f in bits 4f..4f+3); bit 40 is set when
 * the given and family names agreed crosswise (each one's given name in the other's family name field,
 * and the reverse) and the name levels are those of the crossed comparison. */
typedef uint64_t linkage_gamma;
#define LINKAGE_GAMMA_CROSSED ((linkage_gamma)1 << 40)
static inline unsigned linkage_gamma_level(linkage_gamma g, enum linkage_field f)
{
	return (unsigned)(g >> (4 * f)) & 15u;
}

linkage_gamma linkage_compare(const struct linkage_rec *a, const struct linkage_rec *b);

/* Single-field comparisons (what linkage_compare uses; exposed for tests and explanations). */
unsigned linkage_cmp_given(const struct linkage_rec *a, const struct linkage_rec *b);
unsigned linkage_cmp_family(const struct linkage_rec *a, const struct linkage_rec *b);
unsigned linkage_cmp_middle(const struct linkage_rec *a, const struct linkage_rec *b);
unsigned linkage_cmp_dob(const struct linkage_rec *a, const struct linkage_rec *b);
unsigned linkage_cmp_postcode(const struct linkage_rec *a, const struct linkage_rec *b);
unsigned linkage_cmp_address(const struct linkage_rec *a, const struct linkage_rec *b);
unsigned linkage_cmp_ident(uint8_t astate, const char *a, uint8_t bstate, const char *b);
/* linkage_cmp_ident of the two UPNs, but NULL (not compared) where they differ, one is temporary (upn_temp) and
 * the records name the child alike: the given-name level (given) exact and the middle-name level (middle) not
 * else. */
unsigned linkage_cmp_upn(const struct linkage_rec *a, const struct linkage_rec *b, unsigned given, unsigned middle);

/* Why two records may not be linked directly, whatever their weight, or NULL when they may (docs/LINKAGE.md,
 * "Refusals"), with the default refusals. Hard reasons (*hard true) also keep the two records out of one
 * cluster, however others chain them: both NHS numbers (or both UPNs) check-valid and different
 * ("nhs_number", "upn"); sexes both given and different with given names that differ ("sex"); given names
 * unrelated (level ELSE) with family names related and birthdays equal or nearly ("twins"). Soft reasons:
 * given names two edits apart or unrelated otherwise ("given_name"); dates of birth unrelated (level ELSE:
 * "dob"). An equal valid NHS number or UPN lifts the sex and given-name reasons. hard may be NULL. */
const char *linkage_cannot_link(linkage_gamma g, bool *hard);

/* The rules that refuse a merge whatever the weight, each measured on both generators (docs/LINKAGE.md,
 * "Refusals"); a model's refuse field holds the set in force.
 *
 * A set of them is a linkage_refuse_set, 64 bits wide: rule n is bit n (LINKAGE_REFUSE_BIT). The rules are
 * macros of type uint64_t, not an enum: an enumeration constant must be representable as an int (C11 6.7.2.2),
 * so bit 31 and beyond are an extension in one (gcc takes them and widens the type; -pedantic says so), not C.
 * Every variable, field and parameter that holds a set is a linkage_refuse_set: an unsigned, or a cast such as
 * ~(unsigned)LINKAGE_REFUSE_X, drops bits 32..63 without a warning (tests/unit/test_linkage_refuse.c carries a
 * rule at bit 40 through the model's set and --refuse's parsing, and checks the pairwise refusals' parameter
 * types). A new rule takes the next bit, widens LINKAGE_REFUSE_ALL, and gets its --refuse name in
 * src/cli/cmd_link.c's refuse_names (a _Static_assert ties the two) and its place in docs/LINKAGE.md,
 * "Refusals". */
typedef uint64_t linkage_refuse_set;
#define LINKAGE_REFUSE_BIT(n) (UINT64_C(1) << (n))
/* The first n rules (bits 0..n-1), 1 <= n <= 64. */
#define LINKAGE_REFUSE_FIRST(n) (~UINT64_C(0) >> (64 - (n)))
/* pair: sexes both given and different (hard) */
#define LINKAGE_REFUSE_SEX LINKAGE_REFUSE_BIT(0)
/* pair: given names unrelated, family related, birthdays equal or nearly (hard, lifted by a middle-name bridge in
 * clustering) */
#define LINKAGE_REFUSE_TWINS LINKAGE_REFUSE_BIT(1)
/* pair: given names unrelated otherwise (soft) */
#define LINKAGE_REFUSE_GIVEN LINKAGE_REFUSE_BIT(2)
/* pair: birthdays unrelated (soft) */
#define LINKAGE_REFUSE_DOB LINKAGE_REFUSE_BIT(3)
/* cluster: two components whose given names are unrelated */
#define LINKAGE_REFUSE_NAMES LINKAGE_REFUSE_BIT(4)
/* cluster: twin-like link between two children of their own */
#define LINKAGE_REFUSE_POSSIBLE_TWINS LINKAGE_REFUSE_BIT(5)
/* cluster: a record that links as strongly to two such is held out */
#define LINKAGE_REFUSE_AMBIGUOUS LINKAGE_REFUSE_BIT(6)
/* cluster: components whose records mostly say different sexes */
#define LINKAGE_REFUSE_SEX_CLUSTER LINKAGE_REFUSE_BIT(7)
/* cluster: a twin-like link between two components of two or more records each holding a valid identifier */
#define LINKAGE_REFUSE_OWN_IDS LINKAGE_REFUSE_BIT(8)
/* cluster: possible twins refused unless one child is likelier by the link threshold's odds (99 to 1), not merely
 * likelier */
#define LINKAGE_REFUSE_TWIN_ODDS LINKAGE_REFUSE_BIT(9)
/* cluster: a link with no given-name evidence (a name empty on either side) or no birthday evidence (two parts
 * equal, or missing) is merged last, judged between whole components by the model's odds */
#define LINKAGE_REFUSE_WEAK LINKAGE_REFUSE_BIT(10)
/* cluster: a lone record joined by a twin-like link is held out when it links nearly as strongly (within the link
 * threshold's odds) to a component that the first refuses: which twin it is, a person decides */
#define LINKAGE_REFUSE_STRAY LINKAGE_REFUSE_BIT(11)
/* cluster: possible twins between two components of two or more records, one holding a valid identifier and the
 * other none, need the link threshold's odds (twin_odds' decision) */
#define LINKAGE_REFUSE_ID_ASYM LINKAGE_REFUSE_BIT(12)
/* pair: given names equal and both commoner in the input as family names, family fields unrelated, one birthday:
 * twins' records written with the names read across (hard) */
#define LINKAGE_REFUSE_TRANSPOSED LINKAGE_REFUSE_BIT(13)
/* cluster: twin-like links taken by the given name's evidence first (the model's weight of the level), then by
 * weight: twins share every other field, so the closest name says which child */
#define LINKAGE_REFUSE_NAME_ORDER LINKAGE_REFUSE_BIT(14)
/* cluster: stray also when the given names of the other component are as close to the lone record's (the given-name
 * level's weight), and for a lone named record's weak links */
#define LINKAGE_REFUSE_STRAY_NAME LINKAGE_REFUSE_BIT(15)
/* cluster: two components whose birthdays are all unrelated (level else across every pair), linked through a record
 * with none: namesakes (docs/LINKAGE.md, "Namesakes") */
#define LINKAGE_REFUSE_BIRTHDAYS LINKAGE_REFUSE_BIT(16)
/* cluster: a lone record joining by a twin-like link is held out when a record of its own given name as written, of
 * its family, pairs with it between the thresholds and the first component would refuse that one's with it as
 * possible twins (with stray_name) */
#define LINKAGE_REFUSE_OWN_NAME LINKAGE_REFUSE_BIT(17)
/* cluster: possible twins read strictly (id_asym, twin_odds) read the split share at the smaller component's k
 * records at most at the share seen at k over the chance that all k carry the identifier (by their sources'
 * shares); docs/LINKAGE.md */
#define LINKAGE_REFUSE_THIN_BOUND LINKAGE_REFUSE_BIT(18)
/* training, not a refusal (switched like one, as name_order): u of a valid identifier's equal level counted on
 * every pair that shares one, less the share its blocking rule's EM calls one child's, not on the random pairs
 * (docs/LINKAGE.md, "The model") */
#define LINKAGE_REFUSE_ID_U LINKAGE_REFUSE_BIT(19)
/* training, not a refusal: each blocking rule's EM reads u of the fields it does not hold out from its own pairs
 * that two valid different identifiers say are two children, not from random pairs (docs/LINKAGE.md, "The model")
 */
#define LINKAGE_REFUSE_BLOCK_U LINKAGE_REFUSE_BIT(20)
/* cluster: possible twins also judged by the two names' own counts on the input (twin pairs so named, children
 * split so), the level's shares their prior; refuses only where twins so named were seen (docs/LINKAGE.md, "Two
 * names' own counts") */
#define LINKAGE_REFUSE_NAME_PAIRS LINKAGE_REFUSE_BIT(21)
/* cluster: records written across (given field commoner in the input as a family name, family field as a given
 * name) read by the name in their family field: two such whose family fields are spellings of each other and
 * identified twins' names make a twin-like link, and name_pairs reads that name (docs/LINKAGE.md, "Written across")
 */
#define LINKAGE_REFUSE_READ_ACROSS LINKAGE_REFUSE_BIT(22)
/* cluster, not a refusal (switched like one, as name_order): a record alone whose pair with a component at the link
 * threshold was refused `given` once `twins` gave way to `names` joins that component when it holds the record's
 * given name as a middle name (or one edit from one), judged as a given<->middle link (docs/LINKAGE.md, "Under a
 * middle name its component holds") */
#define LINKAGE_REFUSE_LONE_MIDDLE LINKAGE_REFUSE_BIT(23)
/* pair and cluster, a refusal lifted (switched like one): birthdays unrelated but in one year or two adjacent ones,
 * one of them written by a source that writes dates from an age (linkage_dob_from_age), refuse neither by `dob`
 * (given names equal as written) nor by `birthdays` (docs/LINKAGE.md, "Dates written from an age") */
#define LINKAGE_REFUSE_AGE_DATES LINKAGE_REFUSE_BIT(24)
/* input, not a refusal (switched like one): a record's NHS number taken as not written when its names and birthday
 * say it is another child's of the family, read per source (linkage_drop_wrong_ids; docs/LINKAGE.md, "A number
 * written from another child") */
#define LINKAGE_REFUSE_WRONG_ID LINKAGE_REFUSE_BIT(25)
/* cluster, a refusal lifted (switched like one): a lone record without an identifier, refused by the weak rule's
 * possible-twins decision beside an identified component, is judged at the twin-like links' odds when every pair it
 * has at or above the review threshold is with that component (docs/LINKAGE.md, "A lone record that reaches one
 * child") */
#define LINKAGE_REFUSE_LONE_REACH LINKAGE_REFUSE_BIT(26)
/* cluster, after it: a cluster's minority records of one given name, no identifier, whose name is closer to a
 * twin's cluster's names than to their own cluster's (the model's given-name weights) go to the twin at the link's
 * odds, else are held apart (linkage_twin_names; docs/LINKAGE.md, "A twin's record under her own name") */
#define LINKAGE_REFUSE_TWIN_NAMES LINKAGE_REFUSE_BIT(27)
/* cluster, refusals narrowed (switched like one): a "twins" edge is judged when a component holds a spelling of the
 * other side's name, and lone_reach sets aside a lone record's pair with another child that its link outweighs by
 * the link threshold's odds, or with a second such record (docs/LINKAGE.md, "A spelling as heard") */
#define LINKAGE_REFUSE_AS_HEARD LINKAGE_REFUSE_BIT(28)
/* cluster, a refusal lifted (switched like one): own_ids gives way where one side's records (two or more) share no
 * given name and carry no name children are known by (slips of one name, not a second child known by another), and
 * the possible-twins decision reads that side at split_any (docs/LINKAGE.md, "Slips of one name under another
 * identifier") */
#define LINKAGE_REFUSE_SPELT_PIECE LINKAGE_REFUSE_BIT(29)
/* cluster: a record without an identifier whose own fields (given name, middle names, sex) say no more of its
 * component than of a twin's that refuses it is held out after the first pass (find_even_twins; docs/LINKAGE.md, "A
 * record that says no more of one twin") */
#define LINKAGE_REFUSE_EVEN_TWINS LINKAGE_REFUSE_BIT(30)
/* cluster, a refusal lifted (switched like one): own_ids gives way between a component with an NHS number only and
 * one with a UPN only when neither pairs with another child's number of the scheme it lacks and the input's coverage
 * of each scheme says that absence alone is the link threshold's odds of one child (docs/LINKAGE.md, "A second
 * child's number, absent") */
#define LINKAGE_REFUSE_ABSENT_ID LINKAGE_REFUSE_BIT(31)
/* Every rule that exists (bits 0..31): a new rule widens it. */
#define LINKAGE_REFUSE_ALL LINKAGE_REFUSE_FIRST(32)
/* In force by default: every rule that paid on both generators (docs/BENCHMARKS.md, "Refusals");
 * sex_cluster changed nothing there; twin_odds costs recall on small areas (docs/LINKAGE.md); block_u
 * gives the model the input supports but costs style c recall at a million (docs/BENCHMARKS.md,
 * "Round 25"). */
#define LINKAGE_REFUSE_DEFAULT \
	(LINKAGE_REFUSE_ALL & ~LINKAGE_REFUSE_SEX_CLUSTER & ~LINKAGE_REFUSE_TWIN_ODDS & ~LINKAGE_REFUSE_BLOCK_U)
/* linkage_cannot_link with a set of refusals (the identifier rules always apply: two valid different NHS
 * numbers or UPNs are two children). */
const char *linkage_cannot_link_with(linkage_gamma g, linkage_refuse_set refuse, bool *hard);
/* A list of rules by name (--refuse, src/cli/cmd_link.c) applied in order to *set: items separated by commas,
 * NAME adds rule k where names[k] is NAME, -NAME takes it away, "none" and "all" (or "-none", "-all") clear the
 * set and fill it with the n rules named (bits 0..n-1); empty items are skipped. names holds n names, 1 <= n
 * <= 64, one per bit in bit order. 0 on success; -1 on a name not in names, with *set unchanged and *bad (when
 * not NULL) at the byte of spec where that item starts. */
int linkage_refuse_parse(const char *spec, const char *const *names, size_t n, linkage_refuse_set *set,
			 size_t *bad);

/* ---- the model ---- */

struct linkage_model {
	double m[LF_NFIELD][LINKAGE_MAX_LEVELS]; /* P(level | same child), level 1..n-1 (0 unused) */
	double u[LF_NFIELD][LINKAGE_MAX_LEVELS]; /* P(level | different children) */
	double lambda;           /* prior: P(two records picked at random are the same child) */
	double link_threshold;   /* probability at or above which a pair links */
	double review_threshold; /* probability at or above which (below link) a pair goes to review */
	bool tf_names;           /* adjust exact name levels by term frequency */
	linkage_refuse_set refuse; /* LINKAGE_REFUSE_* in force (not kept in the model file) */
	/* Per given-name level: the share of children with a twin whose given name is at that level to theirs,
	 * measured on the input by dedupe (pairs with one birthday and family name but two valid identifiers);
	 * used by the possible-twins refusal. Not kept in the model file. */
	/* [0]: both names are names in use (carried by records of two or more families or birthdays in the
	 * input); [1]: not. */
	double twin_rate[2][LINKAGE_MAX_LEVELS];
	/* Per given-name level and k = 1..LINKAGE_SPLIT_K: the share of children (records with one valid
	 * identifier) whose records carry another form of their given name at that level in k or more records
	 * (k = LINKAGE_SPLIT_K: that many or more); [0] when that form is a name in use, [1] when not. Measured
	 * by dedupe; used with twin_rate. */
#define LINKAGE_SPLIT_K 8
	double split_rate[2][LINKAGE_MAX_LEVELS][LINKAGE_SPLIT_K + 1];
	/* As split_rate, counting a child's records of every other form at that level together (k records
	 * written otherwise, each its own way): what a piece of slips, no two of one form, is read at
	 * (spelt_piece in dedupe.c). */
	double split_any[2][LINKAGE_MAX_LEVELS][LINKAGE_SPLIT_K + 1];
	/* The share of records that carry the valid identifier split_rate was counted on (a child's records
	 * are seen there thinned by it). Measured by dedupe; 0 when none. */
	double split_seen;
	/* The same share per source (the records' source numbers; 0 unknown), with half a record's worth each
	 * way (Jeffreys): what the thinning bound of possible twins reads (LINKAGE_REFUSE_THIN_BOUND). */
	double split_seen_src[LINKAGE_MAX_SOURCES + 1];
	/* Per middle-name level (both present): the share of pairs of records of twins (as twin_rate counts
	 * them) at that level; 0 when the input holds no such pair. Used with m of the middle-name field as
	 * the likelihood ratio "one child" against "twins" of a twin-like link's middle names. */
	double twin_middle[LINKAGE_MAX_LEVELS];
	/* m per pair of sources, where the input holds enough of them (dedupe's training: NULL otherwise and
	 * in a model read from a file). Owned by the model: linkage_model_release frees it. */
	struct linkage_source_m *by_source;
	/* m per source (one source's records against any record): index = the record's source number, 0 for
	 * unknown. Trained with linkage_opts.by_agency (the service scores one agency's incoming record with
	 * its agency's m); NULL otherwise. Owned by the model: linkage_model_release frees it. */
	struct linkage_source_m *by_agency;
	/* What training saw (for the model file's reader). */
	uint64_t trained_records, trained_pairs, random_pairs;
	unsigned em_iterations;
};

/* Reasonable starting values (m guesses, u flat, lambda 1e-4, thresholds 0.99 / 0.5). */
void linkage_model_defaults(struct linkage_model *m);
/* Frees what training attached to the model (by_source, by_agency). */
void linkage_model_release(struct linkage_model *m);

/* m of one pair of sources, shrunk towards the pooled m by how many matches its pairs hold. */
struct linkage_source_m {
	bool own[LINKAGE_SOURCE_PAIRS];       /* estimated from its own pairs (else the pooled m) */
	double matches[LINKAGE_SOURCE_PAIRS]; /* matching pairs its EM saw */
	double m[LINKAGE_SOURCE_PAIRS][LF_NFIELD][LINKAGE_MAX_LEVELS];
	double w[LINKAGE_SOURCE_PAIRS][LF_NFIELD][LINKAGE_MAX_LEVELS]; /* log2(m / u) */
	char name[LINKAGE_MAX_SOURCES + 1][32]; /* by_agency: the caller's name of each source ("" unknown) */
};

/* A pair whose status a person decided (a reviewer's "same" or "different"): its comparison vector, and
 * the source of the record that raised it (0 unknown). In the EM it is a fixed responsibility, 1 or 0. */
struct linkage_label {
	linkage_gamma gamma;
	bool same;
	uint8_t source;
};

/* A scored pair with its explanation. */
struct linkage_score {
	linkage_gamma gamma;
	double weight;        /* log2 Bayes factor sum plus the prior */
	double probability;   /* 2^w / (1 + 2^w) */
	double contribution[LF_NFIELD]; /* log2(m/u) of each field's level, with its TF adjustment; 0 for NULL */
	double prior;         /* log2(lambda / (1 - lambda)) */
	bool names_crossed;      /* given and family names agreed crosswise (LINKAGE_GAMMA_CROSSED) */
	const char *cannot_link; /* linkage_cannot_link's reason, or NULL */
	bool cannot_link_hard;
	enum { LINKAGE_DISTINCT, LINKAGE_REVIEW, LINKAGE_LINK } decision; /* DISTINCT whenever cannot_link */
};

/* Scores one pair (the service's "one incoming record against a handful of candidates"). */
void linkage_score(const struct linkage_model *m, const struct linkage_rec *a, const struct linkage_rec *b,
		   struct linkage_score *out);

/* The weight of a comparison vector without term-frequency adjustment (tables, explanations). */
double linkage_gamma_weight(const struct linkage_model *m, linkage_gamma g);

/* ---- term frequencies ---- */

/* Counts of each exact folded given and family name in a set of records, then each record's tf_* set to
 * count / number of records holding that field. Used by the batch on its own input; the service loads the
 * frequencies saved in the model file with linkage_tf_lookup. */
struct linkage_tf;
struct linkage_tf *linkage_tf_build(const struct linkage_rec *recs, size_t n);
void linkage_tf_apply(const struct linkage_tf *tf, struct linkage_rec *recs, size_t n);
/* The frequency of a folded name (field LF_GIVEN or LF_FAMILY), 0 when unseen. */
double linkage_tf_lookup(const struct linkage_tf *tf, enum linkage_field f, const char *folded);
/* Walks the names seen at least min_count times (for the model file): fn returns non-zero to stop. */
int linkage_tf_each(const struct linkage_tf *tf, enum linkage_field f, unsigned min_count,
		    int (*fn)(const char *name, double freq, void *ctx), void *ctx);
/* A table from saved frequencies (the model file): names not listed get 0. */
struct linkage_tf *linkage_tf_new(void);
int linkage_tf_add(struct linkage_tf *tf, enum linkage_field f, const char *folded, double freq);
void linkage_tf_free(struct linkage_tf *tf);

/* ---- batch: blocking, training, scoring, clustering ---- */

enum linkage_rule {
	LR_NHS,             /* same NHS number (as written) */
	LR_UPN,             /* same UPN */
	LR_FAMILY_DOB,      /* family-name phonetic key (any part, or the given name's: names in each other's
	                     * fields) + date of birth */
	LR_GIVEN_DOB,       /* canonical given-name phonetic key + date of birth */
	LR_NAMES_YEAR,      /* given key and family key (any part), in either order, + year of birth */
	LR_NAMES_DAY,       /* given key and family key, in either order, + day and month of birth (a year
	                     * written wrong) */
	LR_POSTCODE_GIVEN,  /* full postcode + initial of the canonical given name */
	LR_DOB_FAMILY_INITIAL, /* date of birth + first letter of the family name */
	LR_DOB_SECTOR,      /* date of birth + postcode sector (both names written otherwise) */
	LR_NAMES_NODOB,     /* given key and family key, in either order, for pairs of which one record has no
	                     * date of birth (only those pairs are made: a block costs its size per such record) */
	LR_ONE_NAME_DM,     /* one name's key (family part or given) + the other name's initial + day and month of
	                     * birth in either order: the other name written past its key and the year wrong, or
	                     * day and month swapped */
	LR_ONE_NAME_YD,     /* the same + year and day of birth (the month wrong) */
	LR_NAMES_AGE,       /* given key and family key, in either order, + a year of birth one before the year
	                     * of a date written from an age (dob_from_age): only such pairs are made */
	LR_NRULES
};
extern const char *const linkage_rule_name[LR_NRULES];

struct linkage_opts {
	unsigned threads;        /* 0: 1 */
	uint32_t max_block;      /* a block with more records than this is skipped and counted (0: 2000) */
	uint64_t random_pairs;   /* pairs sampled for u (0: 1,000,000, at most n(n-1)/2) */
	uint64_t seed;           /* for the random pairs */
	bool train;              /* estimate u, m and lambda from the data, else use the model as given */
	bool keep_pairs;         /* keep every scored candidate pair in the result (for --pairs) */
	bool train_only;         /* stop after training: no scores, no clusters (result->cluster NULL) */
	bool by_source;          /* with train: also m per pair of sources (records' source numbers) */
	bool by_agency;          /* with train: also m per source (model->by_agency; the service's intake) */
	/* with train: pairs people decided, fixed responsibilities in every E step (linkage_em_labelled) */
	const struct linkage_label *labels;
	size_t nlabels;
	/* Called now and then from the calling thread with work done and work to do (progress bars). */
	void (*progress)(const char *stage, uint64_t done, uint64_t total, void *ctx);
	void *progress_ctx;
};

/* A candidate pair: the comparison vector in bits 0-35 of gamma (bit 40 LINKAGE_GAMMA_CROSSED) and, in
 * bits 48-63, the bit set of the blocking rules whose keys the two records share (linkage_pair_rules). */
struct linkage_pair {
	uint32_t a, b; /* record indices, a < b */
	linkage_gamma gamma;
};
#define LINKAGE_GAMMA_MASK ((linkage_gamma)0xFFFFFFFFFULL)
static inline unsigned linkage_pair_rules(const struct linkage_pair *p)
{
	return (unsigned)(p->gamma >> 48) & 0xFFFFu;
}
/* The pair's weight (prior, field weights and term-frequency adjustment), as linkage_score computes it. */
double linkage_pair_weight(const struct linkage_model *m, const struct linkage_rec *recs,
			   const struct linkage_pair *p);

/* What the twin_names pass (after clustering, twin_names.c) read and did. */
struct linkage_twin_names {
	uint64_t pairs, own, twins; /* twin pairs of related names; their identified records of their own name, of
	                             * the twin's */
	double ratio;               /* (own + 1/2) / (twins + 1/2) */
	uint64_t joined, held;      /* records moved to the twin's cluster, held apart */
};

/* What absent_id (dedupe.c) read on the input: the children known by a valid UPN (records sharing one) and how
 * many of them hold or pair (at the link threshold) with a valid NHS number; the same for NHS numbers and UPNs; and
 * the likelihood ratio of one child that the absence of a second child's numbers gives, 1 / ((1 - c_nhs) (1 - c_upn)),
 * each coverage with half a child each way (Jeffreys). */
struct linkage_absent_id {
	uint64_t upn_children, upn_with_nhs, nhs_children, nhs_with_upn;
	double ratio;
};

struct linkage_result {
	uint32_t *cluster;        /* per record: the cluster's number, the smallest record index in it */
	float *probability;       /* per record: the highest probability of a link that joined it to its
	                           * cluster; 0 for a record alone */
	struct linkage_pair *pairs; /* with keep_pairs: every candidate pair, in a fixed order */
	size_t npairs;
	/* Counts. */
	uint64_t candidate_pairs, links, reviews, refused_links; /* refused: above the link threshold but
	                                                         * cannot-link, or joining conflicting clusters;
	                                                         * reviews: pairs between the two thresholds,
	                                                         * and links refused as possible twins */
	uint64_t rule_pairs[LR_NRULES];       /* pairs first found by each rule */
	uint64_t capped_blocks, capped_records; /* blocks skipped for size, records in them */
	uint64_t clusters;
	struct linkage_twin_names twin_names; /* with LINKAGE_REFUSE_TWIN_NAMES */
	struct linkage_absent_id absent_id;   /* with LINKAGE_REFUSE_ABSENT_ID */
};

/* Deduplicates n prepared records (tf_* filled when model->tf_names). With opts->train, fits model in
 * place first (u from random pairs, m by EM on the candidate pairs, lambda). 0, or -1 when out of memory
 * (result then empty). The core reads no clock: opts->progress is called with each stage's name as it
 * starts ("block", "compare", "train", "score", "cluster"), so the caller can time them. */
int linkage_dedupe(const struct linkage_rec *recs, size_t n, struct linkage_model *model,
		   const struct linkage_opts *opts, struct linkage_result *result);
void linkage_result_free(struct linkage_result *r);

/* Training pieces, usable alone (and tested alone). */
/* u from npairs random pairs drawn by seed. */
void linkage_estimate_u(const struct linkage_rec *recs, size_t n, uint64_t npairs, uint64_t seed,
			struct linkage_model *model);
/* m and lambda by EM over comparison vectors with counts; u held fixed. fields_fixed: bit set of fields
 * whose m is not estimated (those a blocking rule forced to agree). Returns the iterations run. */
unsigned linkage_em(const linkage_gamma *gammas, const uint64_t *counts, size_t n, unsigned fields_fixed,
		    struct linkage_model *model, double *lambda_out);
/* linkage_em with labelled pairs: each enters every E step with its responsibility fixed (1 for "same", 0
 * for "different") instead of the model's posterior, so its levels count towards m as a certain match (or
 * not at all); labelled pairs are a chosen, not a random, sample, so they do not enter lambda. Up to
 * max_iter iterations from lambda. */
unsigned linkage_em_labelled(const linkage_gamma *gammas, const uint64_t *counts, size_t n,
			     const struct linkage_label *labels, size_t nlabels, unsigned fields_fixed, unsigned max_iter,
			     double lambda, struct linkage_model *model, double *lambda_out);

#endif
