/*
 * service/homes_placed.h — the children in the area's children's homes, for the police pages (issue 15): who is
 * placed in each home now, and, for every child these pages name (placed now or reported missing), what the
 * reader may do with the name. access.c decides both: the list of a home's children names a child only to a
 * reader with a need to know (access_names_resident), and the reader's relationship with each child
 * (access_decide_reader) says whether their record opens to them or only in an emergency (break-glass).
 *
 * Reads are audit-first, as every read naming children: the caller holds a children_access whose entry is
 * durable (the pages' web_read_start). Sealed children are in no list (the list view, access_list_view).
 */
#ifndef SAFEGUARD_SERVICE_HOMES_PLACED_H
#define SAFEGUARD_SERVICE_HOMES_PLACED_H

#include <stdbool.h>
#include <stdint.h>

#include "service/children.h"
#include "service/homes.h"

struct homes_resident {
	int64_t home_id, person_id;
	char given_name[STORE_NAME_BYTES], family_name[STORE_NAME_BYTES];
	char start[STORE_DAY_LEN + 1];
	bool named;                /* the reader may be told who this is (access_names_resident) */
	bool missing;              /* reported missing from a home of the list in its window */
	enum access_level level;   /* the reader's relationship with the child (ACCESS_NONE when not named) */
};

struct homes_residents {
	struct homes_resident *placed; size_t nplaced; /* placed now (started on or before today, not ended), by home */
	enum access_level *missing_level;              /* one per pol->missing, in its order */
};

/* The children placed today ("YYYY-MM-DD") in pol's homes (home_id 0: all of them, else that one home), and the
 * reader's relationship with each child pol->missing names, decided at now. */
int homes_residents_load(store *st, const struct children_access *a, const struct homes_police *pol, int64_t home_id,
			 const char *today, int64_t now, struct homes_residents *out);
void homes_residents_free(struct homes_residents *r);

#endif
