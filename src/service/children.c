#include "service/children.h"

#include <stdio.h>
#include <stdlib.h>

static int audit_run(store_conn *c, void *arg)
{
	struct children_access *a = arg;
	char object[40];
	int rc;
	if (a->child_id == 0) { /* a search: about no one child */
		struct store_audit e = {.actor = a->actor, .action = a->action, .object = "search", .detail = a->detail};
		return store_audit_append(c, &e);
	}
	if ((rc = store_person_exists(c, a->child_id, &a->exists)) != STORE_OK)
		return rc;
	snprintf(object, sizeof object, "child:%lld", (long long)a->child_id);
	struct store_audit e = {
		.actor = a->actor,
		.action = a->action,
		.child_id = a->exists ? a->child_id : 0,
		.object = object,
		.detail = a->exists ? a->detail : "no such child",
	};
	return store_audit_append(c, &e);
}

static void audit_done(struct txq_job *job)
{
	struct children_access *a = (struct children_access *)job;
	a->rc = job->rc;
	a->audited = job->rc == STORE_OK;
	a->done(a);
}

void children_access_audit(txq *q, struct children_access *a)
{
	a->audited = false;
	a->job.run = audit_run;
	a->job.arg = a;
	a->job.done = audit_done;
	txq_submit(q, &a->job);
}

/* Runs fn in one read snapshot on a pooled connection. */
static int in_snapshot(store *st, int (*fn)(store_conn *c, void *arg), void *arg)
{
	store_conn *c = store_conn_get(st);
	int rc;
	if (!c)
		return STORE_EIO;
	if ((rc = store_begin_read(c)) == STORE_OK) {
		rc = fn(c, arg);
		int end = store_commit(c); /* ends the snapshot; nothing was written */
		if (rc == STORE_OK)
			rc = end;
	}
	store_conn_put(st, c);
	return rc;
}

struct read_args {
	const struct children_access *a;
	const struct child_visitor *v;
	void *ctx;
	bool *found;
	store_conn *c;
	const struct store_page *page;
	store_event_fn fn;
	int marks_max;
};

static int on_household(const struct store_household *h, void *arg)
{
	struct read_args *r = arg;
	int rc;
	if (r->v->household && (rc = r->v->household(h, r->ctx)) != 0)
		return rc;
	if (r->v->member)
		return store_household_members(r->c, h->id, r->v->member, r->ctx);
	return 0;
}

static int read_run(store_conn *c, void *arg)
{
	struct read_args *r = arg;
	struct store_person *p = malloc(sizeof *p); /* 4 KiB: not on a server thread's stack */
	int rc;
	if (!p)
		return STORE_EIO;
	r->c = c;
	if ((rc = store_person_get(c, r->a->child_id, p, r->found)) != STORE_OK || !*r->found)
		goto out;
	if (r->v->person && (rc = r->v->person(p, r->ctx)) != 0)
		goto out;
	if (r->v->identifier && (rc = store_identifiers_each(c, r->a->child_id, r->v->identifier, r->ctx)) != 0)
		goto out;
	if ((r->v->household || r->v->member) && (rc = store_households_of(c, r->a->child_id, on_household, r)) != 0)
		goto out;
	if (r->v->kind && (rc = store_event_kinds(c, r->a->child_id, r->v->kind, r->ctx)) != 0)
		goto out;
	if (r->page && r->v->event && (rc = store_chronology(c, r->a->child_id, r->page, r->v->event, r->ctx)) != 0)
		goto out;
	if (r->page && r->v->mark && r->marks_max > 0) {
		struct store_page all = {.limit = r->marks_max, .agency = r->page->agency, .kind = r->page->kind};
		rc = store_event_marks(c, r->a->child_id, &all, r->v->mark, r->ctx);
	}
out:
	free(p);
	return rc;
}

int children_read(store *st, const struct children_access *a, const struct child_visitor *v, void *ctx,
		  bool *found)
{
	*found = false;
	if (!a->audited)
		return CHILDREN_ENOAUDIT;
	struct read_args r = {.a = a, .v = v, .ctx = ctx, .found = found};
	return in_snapshot(st, read_run, &r);
}

int children_record(store *st, const struct children_access *a, const struct child_visitor *v,
		    const struct store_page *page, int marks_max, void *ctx, bool *found)
{
	*found = false;
	if (!a->audited)
		return CHILDREN_ENOAUDIT;
	struct read_args r = {.a = a, .v = v, .ctx = ctx, .found = found, .page = page, .marks_max = marks_max};
	return in_snapshot(st, read_run, &r);
}

struct search_args {
	const struct store_search *q;
	store_person_fn fn;
	void *ctx;
};

static int search_run(store_conn *c, void *arg)
{
	struct search_args *s = arg;
	return store_person_search(c, s->q, s->fn, s->ctx);
}

int children_search(store *st, const struct store_search *q, store_person_fn fn, void *ctx)
{
	struct search_args s = {q, fn, ctx};
	return in_snapshot(st, search_run, &s);
}

static int chronology_run(store_conn *c, void *arg)
{
	struct read_args *r = arg;
	struct store_person *p = malloc(sizeof *p);
	int rc;
	if (!p)
		return STORE_EIO;
	if ((rc = store_person_get(c, r->a->child_id, p, r->found)) == STORE_OK && *r->found)
		rc = store_chronology(c, r->a->child_id, r->page, r->fn, r->ctx);
	free(p);
	return rc;
}

int children_chronology(store *st, const struct children_access *a, const struct store_page *page,
			store_event_fn fn, void *ctx, bool *found)
{
	*found = false;
	if (!a->audited)
		return CHILDREN_ENOAUDIT;
	struct read_args r = {.a = a, .ctx = ctx, .found = found, .page = page, .fn = fn};
	return in_snapshot(st, chronology_run, &r);
}
