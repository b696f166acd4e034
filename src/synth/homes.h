/*
 * synth/homes.h — synthetic children's homes: the register, child-nights per month, every recorded
 * incident, and the ground truth of which homes turned harmful and when (issue 6, the oversight
 * simulator; OVERSIGHT.md for what the monitor does with it).
 *
 * Pure and deterministic, like synth.h: the same options give the same rows, byte for byte (own PRNG,
 * no libc rand, no clock, no locale; floating point only through log/exp/sqrt/cos). No I/O and no
 * allocation: rows are handed to callbacks home by home, in the order
 *     home, its months (occupancy), its incidents (by date), its truth,
 * so the CLI streams four files at once and a test keeps what it needs in memory.
 *
 * What makes it hard on purpose (each a named constant in homes.c, documented there):
 *   - homes differ legitimately: rates by specialism times gamma-distributed home effects;
 *   - seasonality: missing episodes (and the police call-outs that follow them) peak in summer;
 *   - bursty counts: each month's count is gamma-Poisson (negative binomial), with a monthly "distress"
 *     factor shared by restraints, injuries, self-harm and police call-outs;
 *   - short legitimate spikes: a child with high needs arrives and restraints and self-harm rise for
 *     one or two months, then settle;
 *   - occupancy changes: children arrive and leave mid-month, and homes stand empty for a month or two;
 *   - harm: from its onset month to the end a harmful home records 2-3 times the restraints, injuries
 *     and missing episodes, and 0.3 times the complaints.
 */
#ifndef SAFEGUARD_SYNTH_HOMES_H
#define SAFEGUARD_SYNTH_HOMES_H

#include <stdint.h>

#define SYNTH_HOMES_MAX 100000
#define SYNTH_HOMES_MIN_MONTHS 6
#define SYNTH_HOMES_MAX_MONTHS 240

/* Two simulators with one contract: style a is this file's model (homes.c); style b (homes2.c) was written
 * apart from it with a different data-generating process (children who carry their own propensities, log-
 * normal correlated home levels, incidents that cause incidents, holidays in steps, area-wide changes,
 * turnover and reporting changes, homes opening and closing, harm that ramps up with a pattern of its own),
 * so that the monitor can be measured on data it was not developed on (issue 16). */
enum synth_homes_style { SYNTH_HOMES_STYLE_A, SYNTH_HOMES_STYLE_B };

#define SYNTH_HOMES_SCALE_MIN 0.1
#define SYNTH_HOMES_SCALE_MAX 10.0

struct synth_homes_opts {
	uint64_t seed;
	int homes;        /* 1..SYNTH_HOMES_MAX */
	int months;       /* SYNTH_HOMES_MIN_MONTHS..SYNTH_HOMES_MAX_MONTHS */
	int start_year;   /* first month of the span, e.g. 2023 */
	int start_month;  /* 1-12 */
	double harmful_pct; /* chance, 0-100 (to 0.01), that a home turns harmful during the span */
	int style;        /* enum synth_homes_style */
	/* The robustness sweep (bench/robustness_homes.sh), each 1 by default and within
	 * SYNTH_HOMES_SCALE_MIN..MAX: every base rate times rate_scale; every variance of the model's
	 * overdispersion (home levels, month and child noise) times dispersion_scale; each harmful rise or fall
	 * raised to the power harm_scale (x0.5: a 2.5-fold rise becomes 1.58-fold); each seasonal swing
	 * (factor - 1) times season_scale. At 1 the output is what it was without them, byte for byte. */
	double rate_scale, dispersion_scale, harm_scale, season_scale;
};

/* Defaults: 2,000 homes, 36 months from 2023-01, seed 1, 5% harmful, style a, every scale 1. */
void synth_homes_defaults(struct synth_homes_opts *o);

/* Harmful onsets fall in months lo..hi (1-based within the span): after a year of ordinary history,
 * and early enough to leave months to detect them (13..30 of 36). */
void synth_homes_onset_range(int months, int *lo, int *hi);

enum synth_incident_type {
	SYNTH_INC_RESTRAINT,
	SYNTH_INC_INJURY,
	SYNTH_INC_MISSING,
	SYNTH_INC_POLICE,
	SYNTH_INC_COMPLAINT,
	SYNTH_INC_SELF_HARM,
	SYNTH_INC_NOTIFICATION,
	SYNTH_INC_ALLEGATION,
	SYNTH_INC_NTYPES
};

/* "restraint", "injury", "missing", "police", "complaint", "self_harm", "notification", "allegation". */
const char *synth_incident_type_name(enum synth_incident_type t);

struct synth_home {
	uint64_t home_no;       /* 1..homes */
	char home_id[12];       /* "SC" and six digits, unique */
	char name[48];
	char provider[40];
	char la_code[4];        /* DfE LA number of the host authority */
	const char *specialism; /* "disability", "emotional_behavioural", "general" */
	int places;             /* registered places, 2-8 */
	const char *rating;     /* "outstanding", "good", "requires_improvement", "inadequate" */
};

struct synth_home_month {
	const struct synth_home *home;
	char month[8];          /* YYYY-MM */
	int month_no;           /* 1..months */
	int child_nights;       /* 0 when the home stood empty */
};

struct synth_home_incident {
	const struct synth_home *home;
	char date[11];          /* YYYY-MM-DD, in a month with child_nights > 0 */
	enum synth_incident_type type;
};

struct synth_home_truth {
	const struct synth_home *home;
	int harmful;            /* 0 or 1 */
	int onset_month_no;     /* 1..months when harmful, else 0 */
	char onset_month[8];    /* YYYY-MM when harmful, else "" */
};

/* A month's Regulation 44 visit report: the independent visitor's opinion whether children are effectively
 * safeguarded (Reg 44(4)(c)). Drawn from a PRNG stream of its own per home, so the other rows are the same
 * with or without a reg44 callback. How often a visitor sees harm is an assumption of each simulator (its
 * REG44_ constants), not something either can know. */
struct synth_home_reg44 {
	const struct synth_home *home;
	char month[8];          /* YYYY-MM, a month with child_nights > 0 */
	int safeguarded;        /* 1 yes, 0 no */
};

/* Each callback returns 0 to go on; a non-zero value stops the run and is returned. */
struct synth_homes_sink {
	int (*home)(const struct synth_home *h, void *ctx);
	int (*month)(const struct synth_home_month *m, void *ctx);
	int (*incident)(const struct synth_home_incident *i, void *ctx);
	int (*truth)(const struct synth_home_truth *t, void *ctx);
	void *ctx;
	int (*reg44)(const struct synth_home_reg44 *r, void *ctx); /* may be NULL; after the month's incidents */
};

/* 0 on success, -1 when the options are out of range, or the first non-zero callback value. Style b is
 * synth_homes2_generate. */
int synth_homes_generate(const struct synth_homes_opts *o, const struct synth_homes_sink *sink);
/* Style b (homes2.c) with the same contract; the style field is not read. */
int synth_homes2_generate(const struct synth_homes_opts *o, const struct synth_homes_sink *sink);
/* The options' common bounds (both styles): 0 when in range, else -1. */
int synth_homes_check_opts(const struct synth_homes_opts *o);

#endif
