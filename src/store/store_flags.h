/*
 * store/store_flags.h — unscheduled-care flag look-ups.
 * One part of the store's contract (issue 17): store/store.h includes every part.
 */
#ifndef SAFEGUARD_STORE_STORE_FLAGS_H
#define SAFEGUARD_STORE_STORE_FLAGS_H

#include "store/store_core.h"

/* ---- unscheduled-care flag look-ups (as NHS CP-IS) --------------------------------------------------- */

struct store_flag_access {
	int64_t person_id;
	char at[STORE_TS_LEN + 1];
	char actor[96];           /* the client or user */
	char organisation[101];   /* the agency's name */
	char setting[401];        /* "emergency department", "walk-in centre", ... (100 characters) */
};
typedef int (*store_flag_access_fn)(const struct store_flag_access *a, void *ctx);
int store_flag_access_add(store_conn *c, const struct store_flag_access *a, int64_t *id);
/* The newest first. */
int store_flag_accesses(store_conn *c, int64_t person_id, int limit, store_flag_access_fn fn, void *ctx);

#endif
