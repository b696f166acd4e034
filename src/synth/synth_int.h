/*
 * synth/synth_int.h — the generator's tables (names, streets, areas, summaries). Internal to src/synth/.
 *
 * All data is constant and ASCII or UTF-8; nothing here is a real person's record. Lists are ordered by
 * popularity within a group: the generator favours the top of each list so that common names are common
 * (linkage has to cope with many "Smith"s and "Khan"s, and few "Okonkwo"s).
 */
#ifndef SAFEGUARD_SYNTH_SYNTH_INT_H
#define SAFEGUARD_SYNTH_SYNTH_INT_H

#include <stddef.h>

/* Agencies, in the order records of one child are emitted. */
enum { SYNTH_POLICE, SYNTH_HEALTH, SYNTH_EDUCATION, SYNTH_SOCIAL_CARE, SYNTH_HOUSING, SYNTH_NAGENCY };

/* A naming tradition: given names by sex, family names, and how middle names are given. */
struct synth_group {
	const char *code;
	unsigned weight;                 /* share of households, relative */
	const char *const *boys;
	unsigned nboys;
	const char *const *girls;
	unsigned ngirls;
	const char *const *surnames;
	unsigned nsurnames;
	unsigned middle_pct;             /* children with a middle name from the same lists */
	const char *middle_m, *middle_f; /* a fixed middle name by sex (Sikh Singh / Kaur), or NULL */
	unsigned sex_surname_pct;        /* children whose surname is middle_m / middle_f instead */
};

/* Informal forms of a given name, NULL-terminated. */
struct synth_alias {
	const char *name;
	const char *alt[5];
};

/* Spellings of one name in the Latin alphabet, NULL-terminated. */
struct synth_translit {
	const char *v[6];
};

/* A local authority area: its DfE LA number and the postcode districts its families live in. */
struct synth_area {
	int la;
	const char *outward[8]; /* NULL-terminated */
};

/* A record summary an agency might write; ages are the child's whole years at the event. */
struct synth_tmpl {
	const char *kind;
	unsigned char min_age, max_age;
	unsigned char h0, h1; /* hours of the day it is recorded at, inclusive */
	unsigned char weight;
	const char *text;
};

struct synth_tmpl_set {
	const struct synth_tmpl *t;
	unsigned n;
};

extern const struct synth_group synth_groups[];
extern const unsigned synth_ngroups;

extern const struct synth_alias synth_aliases[];
extern const unsigned synth_naliases;

extern const struct synth_translit synth_translits[];
extern const unsigned synth_ntranslits;

extern const char *const synth_street_stems[];
extern const unsigned synth_nstreet_stems;
extern const char *const synth_street_kinds[];
extern const unsigned synth_nstreet_kinds;

extern const struct synth_area synth_areas[];
extern const unsigned synth_nareas;
/* LA numbers a child may have been given a UPN in before moving to the area. */
extern const int synth_other_las[];
extern const unsigned synth_nother_las;

extern const struct synth_tmpl_set synth_tmpls[SYNTH_NAGENCY];

/* Lookups by exact spelling; NULL when the name has no alias / no other spelling. */
const struct synth_alias *synth_alias_find(const char *name);
const struct synth_translit *synth_translit_find(const char *name);

#endif
