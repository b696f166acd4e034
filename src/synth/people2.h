/*
 * synth/people2.h — a second generator of children's records for record linkage ("style b"), written
 * afresh so that the linkage core can be measured on data it was not developed on.
 *
 * It shares no code, table or structure with synth/synth.h: households hold parents' surnames and
 * children of one or more unions (half-siblings, cousins, twins and triplets); each household has an
 * address history with dated moves; each child has a name history (a surname changed at a dated event, a
 * name it goes by); records are dated encounters with sources, each source with its own way of writing
 * (date format, case, which fields it holds), and every error is an independent event with its own rate
 * (never "one to three errors from a list"). Names come from its own lists and from a syllable generator,
 * and spelling variants are made by edit operations (vowel shifts, doubled letters, h after a consonant,
 * y for i...), so most variants are in no table.
 *
 * Every rate and base rate is a named factor whose default can be scaled (p2_factor_*), for the
 * robustness sweep (bench/robustness_linkage.sh).
 *
 * Pure and deterministic: the same options give the same records, byte for byte, on every machine (own
 * PRNG streams per household, no clock, no locale, no allocation). No I/O: records go to a callback.
 */
#ifndef SAFEGUARD_SYNTH_PEOPLE2_H
#define SAFEGUARD_SYNTH_PEOPLE2_H

#include <stdint.h>

#include "core/date.h"

/* Factors: each has a default value; a run scales them. Rates are probabilities (capped at 0.95 after
 * scaling); base rates are means or shares. */
enum p2_factor {
	/* errors in a record (per record unless said otherwise) */
	P2_SWAP_NAMES,       /* given and family names in each other's fields */
	P2_KNOWN_AS,         /* share of children with a middle name who go by it (child level) */
	P2_VARIANT_GIVEN,    /* a spelling or transliteration variant of the given name (edit operations) */
	P2_VARIANT_FAMILY,   /* the same for the family name */
	P2_NICKNAME,         /* a short form of the given name (child level: share who have one in use) */
	P2_TYPO,             /* a keyboard slip in a name */
	P2_FAMILY_CHANGE,    /* share of children whose family name changed at some date (child level) */
	P2_FAMILY_PART,      /* a double-barrelled family name written as one of its halves */
	P2_DOB_SWAP,         /* day and month swapped */
	P2_DOB_PART,         /* day or month off by one or two */
	P2_DOB_YEAR,         /* year off by one */
	P2_DOB_DIGIT,        /* one digit of the date mistyped */
	P2_DAY_FIRST,        /* share of dates a source writes day first (scales every source's share) */
	P2_EMPTY,            /* fields left empty (scales every field's rate) */
	P2_CASE,             /* names written in upper or lower case */
	P2_STALE_ADDRESS,    /* an address the family had left when the record was made */
	P2_ID_TYPO,          /* an NHS number or UPN mistyped (fails its check) */
	P2_SEX_WRONG,        /* sex recorded wrongly */
	/* base rates */
	P2_TWINS,            /* share of births that are twins (a few are triplets) */
	P2_RECORDS,          /* records per child (mean, before sources' age limits) */
	P2_CHILDREN,         /* children per household (mean) */
	P2_DOUBLE_BARREL,    /* share of children with a double-barrelled family name */
	P2_MOVES,            /* moves per household per year */
	P2_HALF_SIBLINGS,    /* share of later children of another union (another surname) */
	P2_COUSINS,          /* share of households with cousins of the same family name living in */
	P2_MIDDLE,           /* share of children with a middle name */
	P2_NFACTORS
};

extern const char *const p2_factor_name[P2_NFACTORS];  /* "swap_names", ... */
extern const double p2_factor_default[P2_NFACTORS];
/* The factor of a name, or -1. */
int p2_factor_find(const char *name);

struct p2_opts {
	uint64_t seed;
	int households;               /* 1 .. 5,000,000 */
	struct date today;            /* no birth or record after it; children are 0-17 on it */
	double scale[P2_NFACTORS];    /* multiplier of each default; 0 means 1 */
	double namesakes;             /* share of children (not twins, not a household's first) given the name of
				       * an earlier child of the household: a sibling or a cousin with another
				       * birthday (issue 16); 0 leaves the output as it was (its own random stream) */
};

/* Bits of what was done to a record (truth.csv "errors"). */
enum {
	P2E_SWAP_NAMES = 1u << 0,
	P2E_KNOWN_AS = 1u << 1,
	P2E_VARIANT_GIVEN = 1u << 2,
	P2E_VARIANT_FAMILY = 1u << 3,
	P2E_NICKNAME = 1u << 4,
	P2E_TYPO = 1u << 5,
	P2E_OLD_FAMILY = 1u << 6,   /* the family name before a change */
	P2E_FAMILY_PART = 1u << 7,
	P2E_DOB_SWAP = 1u << 8,
	P2E_DOB_PART = 1u << 9,
	P2E_DOB_YEAR = 1u << 10,
	P2E_DOB_DIGIT = 1u << 11,
	P2E_EMPTY = 1u << 12,        /* a name or the date of birth left empty */
	P2E_STALE_ADDRESS = 1u << 13,
	P2E_ID_TYPO = 1u << 14,
	P2E_SEX_WRONG = 1u << 15,
	P2E_MOVED = 1u << 16,        /* the household lived elsewhere when the record was made */
	P2E_NBITS = 17
};
extern const char *const p2_error_name[P2E_NBITS];

struct p2_record {
	uint64_t record_no;          /* 1, 2, 3, ... */
	const char *source;
	char given[64], middle[64], family[96];
	char dob[16];                /* in the source's format, or "" */
	char sex[8];
	char postcode[12];
	char address[112];
	char nhs[16], upn[16];
	/* truth */
	uint64_t child, household;
	uint64_t namesake_of;        /* the earlier child whose given name this child was given, or 0 */
	char true_dob[11];           /* YYYY-MM-DD */
	unsigned errors;             /* P2E_* */
};

typedef int (*p2_emit_fn)(const struct p2_record *r, void *ctx);

/* Calls emit once per record; stops and returns emit's value when it is non-zero. 0 on success, -1 when
 * the options are out of range. */
int p2_generate(const struct p2_opts *o, p2_emit_fn emit, void *ctx);

#endif
