#include "service/children.h"

#include <stdio.h>
#include <stdlib.h>

static int audit_read(store_conn *c, const char *actor, const char *action, int64_t child_id, bool found,
		      const char *detail)
{
	char object[40];
	snprintf(object, sizeof object, "child:%lld", (long long)child_id);
	struct store_audit a = {
		.actor = actor,
		.action = action,
		.child_id = found ? child_id : 0,
		.object = object,
		.detail = found ? detail : "not found",
	};
	return store_audit_append(c, &a);
}

struct hh_ctx {
	store_conn *c;
	const struct child_visitor *v;
	void *ctx;
};

static int on_household(const struct store_household *h, void *arg)
{
	struct hh_ctx *x = arg;
	int rc;
	if (x->v->household && (rc = x->v->household(h, x->ctx)) != 0)
		return rc;
	if (x->v->member)
		return store_household_members(x->c, h->id, x->v->member, x->ctx);
	return 0;
}

int children_read(store_conn *c, const char *actor, int64_t child_id, const struct child_visitor *v, void *ctx,
		  bool *found)
{
	struct store_person *p = malloc(sizeof *p);
	int rc;
	if (!p)
		return STORE_EIO;
	*found = false;
	if ((rc = store_person_get(c, child_id, p, found)) != STORE_OK)
		goto out;
	if ((rc = audit_read(c, actor, "child.read", child_id, *found, "")) != STORE_OK || !*found)
		goto out;
	if (v->person && (rc = v->person(p, ctx)) != 0)
		goto out;
	if (v->identifier && (rc = store_identifiers_each(c, child_id, v->identifier, ctx)) != 0)
		goto out;
	struct hh_ctx x = {c, v, ctx};
	if (v->household || v->member)
		rc = store_households_of(c, child_id, on_household, &x);
out:
	free(p);
	return rc;
}

int children_chronology(store_conn *c, const char *actor, int64_t child_id, const struct store_page *page,
			store_event_fn fn, void *ctx, bool *found)
{
	struct store_person *p = malloc(sizeof *p);
	int rc;
	char detail[48];
	if (!p)
		return STORE_EIO;
	*found = false;
	if ((rc = store_person_get(c, child_id, p, found)) != STORE_OK)
		goto out;
	snprintf(detail, sizeof detail, "limit %d%s", page->limit - 1, page->before_at ? ", next page" : "");
	if ((rc = audit_read(c, actor, "chronology.read", child_id, *found, detail)) != STORE_OK || !*found)
		goto out;
	rc = store_chronology(c, child_id, page, fn, ctx);
out:
	free(p);
	return rc;
}
