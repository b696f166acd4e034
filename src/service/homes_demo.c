/* The demonstration area's homes data, written for cli/demo_homes.c (service/homes_demo.h). */
#include "service/homes_demo.h"

#include <stdio.h>
#include <string.h>

struct ids {
	int64_t *v;
	size_t n, max;
};

static int collect_id(const struct store_home *h, void *ctx)
{
	struct ids *v = ctx;
	if (v->n == v->max)
		return 1; /* enough: stop */
	v->v[v->n++] = h->id;
	return 0;
}

int homes_demo_home_ids(store_conn *c, int64_t *ids, size_t max, size_t *n)
{
	struct ids v = {ids, 0, max};
	int rc = store_homes(c, "", collect_id, &v);
	*n = v.n;
	return rc == 1 ? STORE_OK : rc;
}

int homes_demo_child_dob(store_conn *c, int64_t id, char dob[11], bool *found)
{
	struct store_person p;
	dob[0] = '\0';
	int rc = store_person_get(c, id, &p, found);
	if (rc == STORE_OK && *found)
		snprintf(dob, 11, "%s", p.dob);
	return rc;
}

int homes_demo_place(store_conn *c, const struct store_home_placement *p)
{
	return store_home_placement_insert(c, p, NULL);
}

int homes_demo_incident(store_conn *c, const struct store_home_incident *m)
{
	return store_home_incident_insert(c, m, NULL);
}

int homes_demo_reg44(store_conn *c, const struct store_reg44 *r)
{
	return store_reg44_insert(c, r, NULL);
}
