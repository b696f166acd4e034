/*
 * synth/synth.h — a synthetic area: children in families, known to one or more agencies, with the errors
 * real records have, and the ground truth of who is who.
 *
 * Pure and deterministic: the same options give the same records, byte for byte, on every machine (own
 * PRNG, no libc rand, no clock, no locale). No I/O: records are handed to a callback, so the CLI writes
 * files, tests keep them in memory and the demo feeds them to intake.
 */
#ifndef SAFEGUARD_SYNTH_SYNTH_H
#define SAFEGUARD_SYNTH_SYNTH_H

#include <stdint.h>

#include "core/date.h"

/* Factors a run may scale (the robustness sweep, bench/robustness_linkage.sh): the relative weight of
 * each kind of error among records with errors, the share of records with errors, and base rates. */
enum synth_factor {
	SYNTH_F_NICKNAME, SYNTH_F_TYPO, SYNTH_F_TRANSLIT, SYNTH_F_DOB_SWAP, SYNTH_F_DOB_OFF, SYNTH_F_MOVED,
	SYNTH_F_NO_ID, SYNTH_F_SURNAME_PART, /* in SYNTH_ERR_* bit order */
	SYNTH_F_ERROR_RECORDS, /* error_pct */
	SYNTH_F_TWINS,         /* families with twins (7% of those with two or more children) */
	SYNTH_F_DOUBLE_BARREL, /* double-barrelled family names (8% of families) */
	SYNTH_F_HALF_SIBLING,  /* a later child with another surname (6%) */
	SYNTH_F_MIXED,         /* given names from another tradition than the surname (6%) */
	SYNTH_NFACTORS
};
extern const char *const synth_factor_name[SYNTH_NFACTORS]; /* "nickname", ..., "mixed" */

struct synth_opts {
	uint64_t seed;
	int families;           /* households to create; each has 1-5 children (some twins) */
	struct date today;      /* no event or birth after this day; children are 0-17 on it */
	int error_pct;          /* share of agency records carrying at least one recording error, 0-100 */
	double scale[SYNTH_NFACTORS]; /* multipliers of the defaults, 0 meaning 1 (all 0: the usual area) */
};

/* A child as one agency recorded it. Empty strings for what the agency does not hold. */
struct synth_subject {
	char given_name[64];
	char middle_names[64];
	char family_name[64];
	char dob[11];       /* YYYY-MM-DD, or "" */
	char sex[2];        /* "M", "F" or "" */
	char postcode[9];
	char address[96];
	char nhs_number[11]; /* always check-valid when present (intake rejects bad check digits) */
	char upn[14];        /* always check-valid when present */
	/* What agencies that meet the child record about them (health, education, social care). */
	char communication_needs[80]; /* "Non-verbal; uses PECS", or "" */
	char disability[48];
	char ethnicity[48];           /* as the census categories name them */
	char first_language[24];
};

struct synth_record {
	uint64_t record_no;      /* 1, 2, 3, ... in order of emission */
	const char *agency;      /* police, health, education, social_care, housing */
	char source_ref[32];     /* unique per agency, e.g. "POL-000123" */
	const char *kind;        /* an event kind code from core/event.h */
	char occurred_at[21];    /* YYYY-MM-DDTHH:MM:SSZ, not after opts.today */
	char summary[200];
	struct synth_subject subject;
	uint64_t true_child;     /* ground truth: 1-based id of the real child */
	uint64_t family;         /* 1-based id of the household */
	unsigned errors;         /* bit set of SYNTH_ERR_* applied to this record */
};

enum {
	SYNTH_ERR_NICKNAME = 1u << 0,      /* William -> Billy */
	SYNTH_ERR_TYPO = 1u << 1,          /* one edit in a name */
	SYNTH_ERR_TRANSLIT = 1u << 2,      /* Mohammed -> Muhammad */
	SYNTH_ERR_DOB_SWAP = 1u << 3,      /* day and month swapped */
	SYNTH_ERR_DOB_OFF = 1u << 4,       /* one part of the date off by one */
	SYNTH_ERR_MOVED = 1u << 5,         /* an older or newer address */
	SYNTH_ERR_NO_ID = 1u << 6,         /* identifiers the agency would hold are missing */
	SYNTH_ERR_SURNAME_PART = 1u << 7,  /* one half of a double-barrelled surname */
};

typedef int (*synth_emit_fn)(const struct synth_record *r, void *ctx);

/* Calls emit once per record; stops and returns emit's value when it is non-zero. 0 on success,
 * -1 when the options are out of range. */
int synth_generate(const struct synth_opts *o, synth_emit_fn emit, void *ctx);

#endif
