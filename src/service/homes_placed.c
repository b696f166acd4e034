#include "service/homes_placed.h"

#include <stdlib.h>
#include <string.h>

#include "service/access.h"
#include "service/service_int.h"

struct residents_args {
	const struct homes_police *pol;
	int64_t home_id;
	const char *today;
	int64_t now;
	struct access_reader reader; /* a copy: its level is decided child by child */
	struct store_view view;
	struct homes_residents *out;
	size_t cap;
	int err;
};

static int push_resident(const struct store_home_placement *p, void *ctx)
{
	struct residents_args *x = ctx;
	if (!p->person_id || p->end[0] || strcmp(p->start, x->today) > 0)
		return 0; /* not on the record, ended, or not started yet: not placed now */
	if (x->out->nplaced == x->cap) {
		size_t cap = x->cap ? x->cap * 2 : 16;
		void *q = realloc(x->out->placed, cap * sizeof *x->out->placed);
		if (!q) {
			x->err = STORE_EIO;
			return 1;
		}
		x->out->placed = q;
		x->cap = cap;
	}
	struct homes_resident *r = &x->out->placed[x->out->nplaced++];
	memset(r, 0, sizeof *r);
	r->home_id = p->home_id;
	r->person_id = p->person_id;
	memcpy(r->given_name, p->given_name, sizeof r->given_name);
	memcpy(r->family_name, p->family_name, sizeof r->family_name);
	memcpy(r->start, p->start, sizeof r->start);
	return 0;
}

static int residents_run(store_conn *c, void *arg)
{
	struct residents_args *x = arg;
	const struct homes_police *pol = x->pol;
	int rc = STORE_OK;
	for (size_t i = 0; i < pol->nhomes && rc == STORE_OK; i++) {
		if (x->home_id && pol->homes[i].id != x->home_id)
			continue;
		rc = store_home_placements(c, &x->view, pol->homes[i].id, push_resident, x);
		if (x->err)
			rc = x->err;
	}
	/* The reader's relationship with each child named: with the placed, whether to name them at all. */
	for (size_t i = 0; i < x->out->nplaced && rc == STORE_OK; i++) {
		struct homes_resident *r = &x->out->placed[i];
		for (size_t k = 0; k < pol->nmissing && !r->missing; k++)
			r->missing = pol->missing[k].person_id == r->person_id;
		if ((rc = access_decide_reader(c, &x->reader, r->person_id, x->now)) != STORE_OK)
			break;
		r->named = access_names_resident(&x->reader, r->missing);
		r->level = r->named ? x->reader.level : ACCESS_NONE;
		if (!r->named) {
			r->given_name[0] = r->family_name[0] = '\0';
			r->person_id = 0;
		}
	}
	for (size_t k = 0; k < pol->nmissing && rc == STORE_OK; k++) {
		x->out->missing_level[k] = ACCESS_NONE;
		if (!pol->missing[k].person_id)
			continue;
		rc = access_decide_reader(c, &x->reader, pol->missing[k].person_id, x->now);
		x->out->missing_level[k] = x->reader.level;
	}
	return rc;
}

int homes_residents_load(store *st, const struct children_access *a, const struct homes_police *pol, int64_t home_id,
			 const char *today, int64_t now, struct homes_residents *out)
{
	memset(out, 0, sizeof *out);
	if (!a || !a->audited)
		return CHILDREN_ENOAUDIT;
	if (!(out->missing_level = calloc(pol->nmissing + 1, sizeof *out->missing_level)))
		return STORE_EIO;
	struct residents_args x = {.pol = pol, .home_id = home_id, .today = today, .now = now, .reader = a->reader, .out = out};
	access_list_view(&a->reader, &x.view);
	return service_in_snapshot(st, residents_run, &x);
}

void homes_residents_free(struct homes_residents *r)
{
	free(r->placed);
	free(r->missing_level);
	memset(r, 0, sizeof *r);
}
