/*
 * synth/people2_int.h — the second generator's tables (people2_names.c). Internal to src/synth/.
 */
#ifndef SAFEGUARD_SYNTH_PEOPLE2_INT_H
#define SAFEGUARD_SYNTH_PEOPLE2_INT_H

struct p2_tradition {
	const char *code;
	unsigned weight;
	const char *const *boys;
	unsigned nboys;
	const char *const *girls;
	unsigned ngirls;
	const char *const *surnames;
	unsigned nsurnames;
	unsigned surname_first; /* records are often written family name first (names swapped more often) */
	unsigned double_surname; /* children carry both parents' surnames, with a space (Silva Santos) */
};

struct p2_area {
	int la;
	const char *outward[11]; /* NULL-terminated */
};

extern const struct p2_tradition p2_traditions[];
extern const unsigned p2_ntraditions;
extern const char *const p2_streets[];
extern const unsigned p2_nstreets;
extern const char *const p2_kinds[][2];
extern const unsigned p2_nkinds;
extern const char *const p2_localities[];
extern const unsigned p2_nlocalities;
extern const struct p2_area p2_areas[];
extern const unsigned p2_nareas;

#endif
