/*
 * oversight/reason.h — a signal of the monitor said in words, for the people who decide whether a home
 * deserves a look ("restraints 2.4 times what similar homes record, rising for 3 months").
 *
 * Pure: no I/O, no allocation (numbers by snprintf with one decimal; the binary never calls setlocale, so
 * the separator is "."). The words point, they never accuse: "times what similar homes record", never
 * "abuse" (OVERSIGHT.md).
 */
#ifndef SAFEGUARD_OVERSIGHT_REASON_H
#define SAFEGUARD_OVERSIGHT_REASON_H

#include <stdbool.h>
#include <stddef.h>

#include "oversight/oversight.h"

/* What a signal rests on, over the months its chart climbed before it signalled (months >= 1; the month of
 * the signal included): the count observed and what similar homes (peers, ov_fit's Ep) would have
 * recorded with the same child-nights. For the combined chart, the same per indicator of the harm pattern
 * (ind_expected < 0 for an indicator not in it). */
struct ov_reason {
	int indicator;                  /* 0..OV_NIND-1, or OV_COMBINED */
	bool high;
	int months;
	double observed, expected;
	double ind_observed[OV_NIND], ind_expected[OV_NIND];
	/* Combined chart: the months of the climb with a Regulation 44 report saying children were not
	 * effectively safeguarded (0: none, or no opinions read). */
	int reg44_concerns;
};

/* "restraints", "injuries", "missing episodes", "police call-outs", "complaints", "self-harm incidents",
 * "notifications", "allegations against staff"; "" otherwise. */
const char *ov_indicator_words(int k);

/* The reason in words, e.g.
 *   "restraints 2.4 times what similar homes record, rising for 3 months"
 *   "complaints 0.3 times what similar homes record over 4 months: children may not be heard"
 *   "restraints, injuries and missing episodes up and complaints down together: restraints 2.1 times,
 *    injuries 1.8 times, missing episodes 2.5 times and complaints 0.4 times what similar homes record,
 *    over 4 months"
 *   and, when a visitor said so in reg44_concerns of those months, "; the Regulation 44 visitor said children
 *   were not effectively safeguarded in 2 of these months" ("this month" when the climb is one month).
 * Always NUL-terminated (truncated to outsz); returns what snprintf would. */
int ov_reason_text(const struct ov_reason *r, char *out, size_t outsz);

#endif
