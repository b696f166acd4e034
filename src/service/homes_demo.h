/*
 * service/homes_demo.h — the demonstration area's homes data (cli/demo_homes.c decides what it is: which children
 * are placed where, their missing episodes, the Regulation 44 reports; these read and write it, in the caller's
 * write transaction, as homes_import writes the register: demo data, not audited as a person's act).
 */
#ifndef SAFEGUARD_SERVICE_HOMES_DEMO_H
#define SAFEGUARD_SERVICE_HOMES_DEMO_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

/* The ids of the homes on the register, up to max, in the register's order; *n how many. */
int homes_demo_home_ids(store_conn *c, int64_t *ids, size_t max, size_t *n);
/* A child's date of birth (YYYY-MM-DD, or "" when not known); *found false when there is no such person. */
int homes_demo_child_dob(store_conn *c, int64_t id, char dob[11], bool *found);
/* A placement, a missing episode (or other incident) and a Regulation 44 report, as given. */
int homes_demo_place(store_conn *c, const struct store_home_placement *p);
int homes_demo_incident(store_conn *c, const struct store_home_incident *m);
int homes_demo_reg44(store_conn *c, const struct store_reg44 *r);

#endif
