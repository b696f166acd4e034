#include "service/access.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "service/alerts.h"
#include "service/audit.h"
#include "service/children.h"
#include "service/service_int.h"
#include "service/tokens.h"

struct decide_args {
	const struct access_person *p;
	int64_t child_id;
	char now[STORE_TS_LEN + 1];
	enum access_level *level;
	char *basis;
	char *until; /* NULL, or where a break-glass's expiry goes */
	bool *allocated; /* NULL, or where "the allocated worker" goes */
	bool *exists; /* NULL, or where whether the child exists goes */
	bool *in_view; /* NULL, or where whether the reader's view shows the child goes (access_reader.child_in_view) */
};

static void grant(struct decide_args *d, enum access_level level, const char *basis)
{
	*d->level = level;
	snprintf(d->basis, ACCESS_BASIS_MAX, "%s", basis);
}

static void view_common(const struct access_reader *r, struct store_view *out);

/* The list view of a person or agency system (access_list_view), for the decisions that name no reader. */
static void person_list_view(const struct access_person *p, struct store_view *out)
{
	struct access_reader r;
	access_reader_person(&r, p->user_id, p->username, p->agency, p->role);
	view_common(&r, out);
}

/* The facts of a child as this person may know them (r-ntk24): a child whom the person's view does not know
 * (VIEW_PERSON's rule, asked by the store: known only from records they may not see, such as a sexual health
 * clinic's) does not exist for them, in every decision as in every list. A sealed record stays what it is
 * (the roles named for sealed records see it whole). A writer that names no agency is the operator's (the
 * command line's allocation, every agency's: access_operator_view) or a queue's role-gated write whose pages
 * ask with the person first (the administrator's allocation: access_allocation_may_find). */
static int facts_for(store_conn *c, const struct access_person *p, int64_t child_id, struct store_access_facts *f,
		     bool *in_view /* NULL, or access_reader.child_in_view */)
{
	struct store_view v;
	if (!p->agency || !p->agency[0])
		access_operator_view(&v);
	else
		person_list_view(p, &v);
	int rc = store_access_facts(c, child_id, &v, f);
	if (rc == STORE_OK && f->exists && !f->sealed && !f->known)
		f->exists = false;
	/* what VIEW_PERSON would answer of the child with this view, now: there, known, and sealed only to a view
	 * that shows sealed persons (a sealed record's `exists` is not folded with `known` above) */
	if (in_view)
		*in_view = rc == STORE_OK && f->exists && f->known && (!f->sealed || v.sealed);
	return rc;
}

static int decide_run(store_conn *c, void *arg)
{
	struct decide_args *d = arg;
	bool yes = false;
	/* Whether the child exists (for this reader), is sealed, and who holds it, in one statement (issue 17:
	 * three round trips of the writer's for every audited read). */
	struct store_access_facts f;
	bool in_view = false;
	int rc = facts_for(c, d->p, d->child_id, &f, &in_view);
	if (d->exists)
		*d->exists = rc == STORE_OK && f.exists;
	if (d->in_view)
		*d->in_view = in_view;
	if (rc != STORE_OK)
		return rc;
	if (!d->p->agency || !d->p->agency[0])
		return STORE_OK; /* no reader named: nothing */
	/* A refusal asks the same statements whatever the id holds (r-ntk27): an id that holds no child (or one the
	 * reader's view does not know), a sealed record and a child the reader has no relationship with go through
	 * every question below, which finds nothing for the first two (`there` false: ACCESS_NONE, the same refusal as
	 * for a child one may not see; a sealed record ACCESS_HIDDEN), so the answer, which is the same, is not told
	 * apart by its time either. Only a grant of the whole record stops early. */
	bool there = f.exists && !f.sealed;
	/* And asks them of no child when the id holds none for this reader (r-review47): the same statements asked of
	 * her id still read her rows (her contacts, her events by agency), a cost an id with no child has not. */
	const int64_t ask = there ? d->child_id : 0;
	if (f.exists && f.sealed) {
		if (access_sees_sealed(d->p->role)) {
			grant(d, ACCESS_FULL, "sealed record: named role");
			return STORE_OK;
		}
		grant(d, ACCESS_HIDDEN, "sealed record");
	}
	if (!d->p->role) {
		/* An agency's system (a token with records:read, service/tokens.h): its own agency's records about a
		 * child it has sent records about (issue 14), never the household; any other child is refused. */
		if ((rc = store_child_agency_contributed(c, ask, d->p->agency, &yes)) != STORE_OK)
			return rc;
		if (there && yes)
			grant(d, ACCESS_AGENCY, "own agency's records");
		else if (there)
			snprintf(d->basis, ACCESS_BASIS_MAX, "agency system: no records sent about this child");
		return STORE_OK;
	}
	if (there && f.allocated && f.worker[0] && strcmp(f.worker, d->p->username) == 0) {
		grant(d, ACCESS_FULL, "allocated worker");
		if (d->allocated)
			*d->allocated = true;
	} else if (there && f.allocated && f.manager[0] && strcmp(f.manager, d->p->username) == 0)
		grant(d, ACCESS_FULL, "manager of the allocated team");
	if (*d->level == ACCESS_FULL)
		return STORE_OK;
	if (strcmp(d->p->role, "mash_worker") == 0) {
		if ((rc = store_child_awaiting_decision(c, ask, &yes)) != STORE_OK)
			return rc;
		if (there && yes) {
			grant(d, ACCESS_FULL, "MASH triage");
			return STORE_OK;
		}
	}
	char until[STORE_TS_LEN + 1];
	if ((rc = store_break_glass_until(c, ask, d->p->user_id, d->now, until)) != STORE_OK)
		return rc;
	if (there && until[0]) {
		grant(d, ACCESS_FULL, "break-glass");
		if (d->until)
			memcpy(d->until, until, sizeof until);
		return STORE_OK;
	}
	if ((rc = store_child_agency_contributed(c, ask, d->p->agency, &yes)) != STORE_OK)
		return rc;
	if (there && yes)
		grant(d, ACCESS_AGENCY, "own agency's records");
	return STORE_OK;
}

int access_decide(store *st, const struct access_person *p, int64_t child_id, int64_t now, enum access_level *level,
		  char basis[ACCESS_BASIS_MAX])
{
	struct decide_args d = {.p = p, .child_id = child_id, .level = level, .basis = basis};
	*level = ACCESS_NONE;
	snprintf(basis, ACCESS_BASIS_MAX, "no legitimate relationship");
	ts_format_utc(now, d.now);
	int rc = service_in_snapshot(st, decide_run, &d);
	if (rc != STORE_OK)
		*level = ACCESS_NONE;
	return rc;
}

static int decide_reader(store_conn *c, struct access_reader *r, int64_t child_id, bool *exists, int64_t now)
{
	struct access_person p = {r->user_id, r->username, r->agency, r->role[0] ? r->role : NULL};
	struct decide_args d = {.p = &p, .child_id = child_id, .level = &r->level, .basis = r->basis,
				.until = r->glass_until, .allocated = &r->allocated_worker, .exists = exists,
				.in_view = &r->child_in_view};
	r->level = ACCESS_NONE;
	r->allocated_worker = false;
	r->child_in_view = false;
	r->glass_until[0] = '\0';
	snprintf(r->basis, sizeof r->basis, "no legitimate relationship");
	ts_format_utc(now, d.now);
	int rc = decide_run(c, &d);
	if (rc != STORE_OK)
		r->level = ACCESS_NONE;
	return rc;
}

int access_decide_reader(store_conn *c, struct access_reader *r, int64_t child_id, int64_t now)
{
	return decide_reader(c, r, child_id, NULL, now);
}

int access_decide_reader_exists(store_conn *c, struct access_reader *r, int64_t child_id, int64_t now, bool *exists)
{
	return decide_reader(c, r, child_id, exists, now);
}

void access_reader_person(struct access_reader *r, int64_t user_id, const char *username, const char *agency,
			  const char *role)
{
	memset(r, 0, sizeof *r);
	r->user_id = user_id;
	snprintf(r->username, sizeof r->username, "%s", username ? username : "");
	snprintf(r->agency, sizeof r->agency, "%s", agency ? agency : "");
	snprintf(r->role, sizeof r->role, "%s", role ? role : "");
	r->level = ACCESS_NONE;
}

void access_reader_system(struct access_reader *r, const char *agency)
{
	access_reader_person(r, 0, "", agency, "");
}

/* ---- what a reader is shown: the views every list applies ---- */

/* The same for every reader: sealed persons to the named roles only; health-only categories to health only.
 * A reader who names no agency is shown no event (agency "" has none) and no sealed person. */
static void view_common(const struct access_reader *r, struct store_view *out)
{
	memset(out, 0, sizeof *out);
	out->sealed = r->agency[0] && access_sees_sealed(r->role);
	if (!r->agency[0])
		out->agency = "";
	if (strcmp(r->agency, ACCESS_HEALTH_AGENCY) != 0) {
		out->private_agency = ACCESS_HEALTH_AGENCY;
		out->private_categories = ACCESS_HEALTH_ONLY;
	}
}

void access_view(const struct access_reader *r, struct store_view *out)
{
	view_common(r, out);
	if (r->level == ACCESS_AGENCY)
		out->agency = r->agency; /* their own agency's events, and what those alone show */
	else if (r->level != ACCESS_FULL)
		out->agency = ""; /* nothing: no event has agency "" */
}

bool access_child_decided(const struct access_reader *r)
{
	return r->level >= ACCESS_AGENCY && r->child_in_view;
}

void access_list_view(const struct access_reader *r, struct store_view *out)
{
	view_common(r, out);
}

void access_outside_health_view(struct store_view *out)
{
	memset(out, 0, sizeof *out);
	out->private_agency = ACCESS_HEALTH_AGENCY;
	out->private_categories = ACCESS_HEALTH_ONLY;
}

void access_operator_view(struct store_view *out)
{
	memset(out, 0, sizeof *out); /* every agency's; sealed persons left out */
}

/* A record standing merged into a sealed child is sealed with it (access_seal), so its own seal decides. */
int access_operator_names(store_conn *c, int64_t child_id, bool *names)
{
	bool sealed = true;
	int rc = store_person_sealed(c, child_id, &sealed);
	*names = rc == STORE_OK && !sealed;
	return rc;
}

bool access_view_shows(const struct store_view *v, const char *agency)
{
	return !v->agency || strcmp(v->agency, agency) == 0;
}

bool access_names_resident(const struct access_reader *r, bool reported_missing)
{
	if (r->level == ACCESS_HIDDEN)
		return false;
	return r->level >= ACCESS_AGENCY || reported_missing;
}

/* The allowance of break-glass tries per person in 24 hours: server configuration, set once at start. */
static int glass_per_day = ACCESS_BREAK_GLASS_PER_DAY;

void access_set_break_glass_per_day(int n)
{
	glass_per_day = n > 0 ? n : ACCESS_BREAK_GLASS_PER_DAY;
}

int access_break_glass_per_day(void)
{
	return glass_per_day;
}

static int notify_dpo(store_conn *c, const char *kind, const struct access_person *p, int64_t child_id,
		      int64_t glass_id, const char *at, const char *detail)
{
	struct store_notice n;
	int64_t id = 0;
	memset(&n, 0, sizeof n);
	snprintf(n.kind, sizeof n.kind, "%s", kind);
	snprintf(n.at, sizeof n.at, "%s", at);
	n.user_id = p->user_id;
	n.child_id = child_id;
	n.break_glass_id = glass_id;
	snprintf(n.detail, sizeof n.detail, "%s", detail);
	return store_notice_add(c, &n, &id);
}

/* The daily allowance, the same for every try: *refused (audited, and the DPO told once a day) when used. */
static int glass_allowance(store_conn *c, const struct access_person *p, const char *actor, int64_t child_id,
			   const char *at, const char *since, const char *object, bool *refused)
{
	char detail[160];
	int64_t tries = 0;
	*refused = false;
	/* Every try counts, whatever the id holds: the allowance bounds probing as well as misuse. */
	int rc = store_notice_count(c, p->user_id, "break_glass", since, &tries);
	if (rc != STORE_OK || tries < glass_per_day)
		return rc;
	int64_t told = 0;
	*refused = true;
	if ((rc = store_notice_count(c, p->user_id, "break_glass_misuse", since, &told)) != STORE_OK)
		return rc;
	if (!told) { /* once a day per person: a burst is one thing to look into, not a hundred */
		snprintf(detail, sizeof detail, "possible misuse: a try past the allowance of %d records opened in an "
			 "emergency in 24 hours was refused", glass_per_day);
		if ((rc = notify_dpo(c, "break_glass_misuse", p, child_id, 0, at, detail)) != STORE_OK)
			return rc;
	}
	snprintf(detail, sizeof detail, "allowance of %d in 24 hours used: nothing opened", glass_per_day);
	struct store_audit a = {.actor = actor, .action = "break_glass.refused", .object = object, .detail = detail};
	return audit_append(c, &a);
}

/* Whether there is a child this person may open: not for an id that holds no child, nor a sealed record (but
 * for the roles named for sealed records). When not, the try is told to the DPO and audited as empty. */
static int glass_target(store_conn *c, const struct access_person *p, const char *actor, int64_t child_id,
			const char *at, const char *object, bool *there)
{
	struct store_access_facts f;
	*there = false;
	int rc = facts_for(c, p, child_id, &f, NULL);
	if (rc != STORE_OK)
		return rc;
	bool exists = f.exists, sealed = f.sealed;
	if (exists && !(sealed && !access_sees_sealed(p->role))) {
		*there = true;
		return STORE_OK;
	}
	const char *why = exists ? "nothing opened: the record is sealed" : "nothing opened: no child has this id";
	if ((rc = notify_dpo(c, "break_glass", p, child_id, 0, at, why)) != STORE_OK)
		return rc;
	struct store_audit a = {.actor = actor, .action = "break_glass.empty", .child_id = exists ? child_id : 0,
				.object = object, .detail = why};
	return audit_append(c, &a);
}

int access_break_glass_start(store_conn *c, const struct access_person *p, const char *actor, int64_t child_id,
			     int64_t now, bool *refused, bool *found)
{
	char at[STORE_TS_LEN + 1], since[STORE_TS_LEN + 1], object[40];
	*refused = *found = false;
	ts_format_utc(now, at);
	ts_format_utc(now - 24 * 60 * 60, since);
	snprintf(object, sizeof object, "child:%lld", (long long)child_id);
	int rc = glass_allowance(c, p, actor, child_id, at, since, object, refused);
	if (rc != STORE_OK || *refused)
		return rc;
	if ((rc = glass_target(c, p, actor, child_id, at, object, found)) != STORE_OK || !*found)
		return rc;
	if ((rc = notify_dpo(c, "break_glass", p, child_id, 0, at, ACCESS_GLASS_STARTED)) != STORE_OK)
		return rc;
	struct store_audit a = {.actor = actor, .action = "break_glass.start", .child_id = child_id, .object = object,
				.detail = "reason asked for"};
	return audit_append(c, &a);
}

int access_break_glass(store_conn *c, const struct access_person *p, const char *actor, int64_t child_id,
		       const char *reason, int64_t now, bool *refused, char expires_at[STORE_TS_LEN + 1])
{
	struct store_break_glass b;
	char since[STORE_TS_LEN + 1], hour_ago[STORE_TS_LEN + 1], object[40], detail[160];
	int64_t id = 0, pending = 0;
	bool there = false, attached = false;
	memset(&b, 0, sizeof b);
	*refused = false;
	expires_at[0] = '\0';
	ts_format_utc(now, b.at);
	ts_format_utc(now - 24 * 60 * 60, since);
	ts_format_utc(now - ACCESS_BREAK_GLASS_SECONDS, hour_ago);
	snprintf(object, sizeof object, "child:%lld", (long long)child_id);
	/* A try started on the page within the hour was counted then (access_break_glass_start). */
	int rc = store_notice_pending(c, p->user_id, child_id, hour_ago, ACCESS_GLASS_STARTED, &pending);
	if (rc != STORE_OK)
		return rc;
	if (!pending && ((rc = glass_allowance(c, p, actor, child_id, b.at, since, object, refused)) != STORE_OK ||
			 *refused))
		return rc;
	ts_format_utc(now + ACCESS_BREAK_GLASS_SECONDS, b.expires_at);
	if ((rc = glass_target(c, p, actor, child_id, b.at, object, &there)) != STORE_OK)
		return rc;
	if (!there) { /* answered as an opening is: the answer must not tell which ids hold children */
		memcpy(expires_at, b.expires_at, STORE_TS_LEN + 1);
		return STORE_OK;
	}
	b.child_id = child_id;
	b.user_id = p->user_id;
	snprintf(b.reason, sizeof b.reason, "%s", reason);
	if ((rc = store_break_glass_add(c, &b, &id)) != STORE_OK)
		return rc;
	memcpy(expires_at, b.expires_at, STORE_TS_LEN + 1);
	/* The reason stays in break_glass (it may name people); the audit and the notices say where to find it. */
	snprintf(detail, sizeof detail, "break_glass:%lld until %s", (long long)id, b.expires_at);
	struct store_audit a = {.actor = actor, .action = "break_glass.open", .child_id = child_id, .object = object,
				.detail = detail};
	if ((rc = audit_append(c, &a)) != STORE_OK)
		return rc;
	snprintf(detail, sizeof detail, "opened until %s", b.expires_at);
	if (pending && (rc = store_notice_attach(c, p->user_id, child_id, hour_ago, ACCESS_GLASS_STARTED, id, detail,
						 &attached)) != STORE_OK)
		return rc;
	if (!attached && (rc = notify_dpo(c, "break_glass", p, child_id, id, b.at, detail)) != STORE_OK)
		return rc;
	const struct access_looker by = {actor, p->username, p->agency, p->role ? p->role : ""};
	if ((rc = access_notify_worker(c, "break_glass", &by, child_id, id, b.at, detail)) != STORE_OK)
		return rc;
	return alerts_break_glass(c, child_id, id, actor, ts_utc_date(ts_uk_local(now)));
}

int access_notify_worker(store_conn *c, const char *kind, const struct access_looker *by, int64_t child_id,
			 int64_t glass_id, const char *at, const char *detail)
{
	struct store_allocation *al = malloc(sizeof *al);
	struct store_worker_notice *n = NULL;
	bool found = false;
	int64_t id = 0;
	if (!al)
		return STORE_EIO;
	int rc = store_allocation_get(c, child_id, al, &found);
	if (rc != STORE_OK || !found)
		goto out;
	/* The allocated worker; with none, the manager of the allocated team. */
	const char *to = al->worker[0] ? al->worker : al->manager;
	const char *uname = strncmp(by->actor, "user:", 5) == 0 ? strchr(by->actor + 5, ':') : NULL;
	if (!to[0] || (uname && strcmp(uname + 1, to) == 0))
		goto out; /* nobody to tell, or they looked themselves */
	if (!(n = calloc(1, sizeof *n))) {
		rc = STORE_EIO;
		goto out;
	}
	snprintf(n->kind, sizeof n->kind, "%s", kind);
	snprintf(n->at, sizeof n->at, "%s", at);
	snprintf(n->recipient, sizeof n->recipient, "%s", to);
	n->child_id = child_id;
	snprintf(n->actor, sizeof n->actor, "%s", by->actor);
	snprintf(n->who, sizeof n->who, "%s", by->who);
	snprintf(n->agency, sizeof n->agency, "%s", by->agency ? by->agency : "");
	snprintf(n->role, sizeof n->role, "%s", by->role ? by->role : "");
	n->break_glass_id = glass_id;
	snprintf(n->detail, sizeof n->detail, "%s", detail ? detail : "");
	rc = store_worker_notice_add(c, n, &id);
out:
	free(n);
	free(al);
	return rc;
}

struct notices_args {
	struct store_view v;
	int limit;
	store_notice_fn fn;
	void *ctx;
};

static int notices_run(store_conn *c, void *arg)
{
	struct notices_args *n = arg;
	return store_notices(c, &n->v, ACCESS_GLASS_STARTED, n->limit, n->fn, n->ctx);
}

/* The DPO's notices, through the reader's list view (r-redteam26): an opening of a child the view does not list
 * (known only from health-only records, which the DPO's view leaves out) is not the DPO's to hear of; health's
 * readers are told of it by its BREAK_GLASS alert, as the openings list (access_glass_openings) leaves it out. */
int access_notices(store *st, const struct children_access *a, int limit, store_notice_fn fn, void *ctx)
{
	if (!a->audited)
		return CHILDREN_ENOAUDIT;
	struct notices_args n = {.limit = limit, .fn = fn, .ctx = ctx};
	access_list_view(&a->reader, &n.v);
	return service_in_snapshot(st, notices_run, &n);
}

struct worker_notices_args {
	struct store_view v;
	const char *recipient;
	int limit;
	store_worker_notice_fn fn;
	void *ctx;
};

static int worker_notices_run(store_conn *c, void *arg)
{
	struct worker_notices_args *n = arg;
	return store_worker_notices(c, &n->v, n->recipient, n->limit, n->fn, n->ctx);
}

int access_worker_notices(store *st, const struct children_access *a, int limit, store_worker_notice_fn fn,
			  void *ctx)
{
	if (!a->audited)
		return CHILDREN_ENOAUDIT;
	struct worker_notices_args n = {.recipient = a->reader.username, .limit = limit, .fn = fn, .ctx = ctx};
	access_list_view(&a->reader, &n.v);
	return service_in_snapshot(st, worker_notices_run, &n);
}

struct openings_args {
	struct store_view v;
	const struct store_glass_query *q;
	store_break_glass_fn fn;
	void *ctx;
};

static int openings_run(store_conn *c, void *arg)
{
	struct openings_args *o = arg;
	return store_break_glass_area(c, &o->v, o->q, o->fn, o->ctx);
}

int access_glass_openings(store *st, const struct children_access *a, const struct store_glass_query *q,
			  store_break_glass_fn fn, void *ctx)
{
	if (!a->audited)
		return CHILDREN_ENOAUDIT;
	if (!access_role_may(a->reader.role, a->reader.agency, ACT_NOTICES))
		return CHILDREN_ENOAUDIT; /* the DPO's list only */
	struct openings_args o = {.q = q, .fn = fn, .ctx = ctx};
	access_list_view(&a->reader, &o.v);
	return service_in_snapshot(st, openings_run, &o);
}

/* ---- health's own openings, for health's safeguarding lead (r-ntk27) ---- */

struct lead_args {
	const char *username;
	bool *lead;
};

/* Health's team by its code (one row by key, not every team: this runs on each page a health practitioner asks
 * for, signin.c), and whether she manages it. */
static int lead_run(store_conn *c, void *arg)
{
	struct lead_args *l = arg;
	struct store_team_contact t;
	bool found = false;
	int rc = store_team_contact_get(c, ALERTS_HEALTH_TEAM, &t, &found);
	if (rc == STORE_OK)
		*l->lead = found && t.team.manager[0] && strcmp(t.team.manager, l->username) == 0;
	return rc;
}

static bool may_lead(const struct access_reader *r)
{
	return r->role[0] && r->username[0] && strcmp(r->agency, ACCESS_HEALTH_AGENCY) == 0 &&
	       access_role_may(r->role, r->agency, ACT_HEALTH_GLASS);
}

int access_health_lead(store *st, const struct access_reader *r, bool *lead)
{
	*lead = false;
	if (!may_lead(r))
		return STORE_OK;
	struct lead_args l = {r->username, lead};
	return service_in_snapshot(st, lead_run, &l);
}

int access_health_lead_on(store_conn *c, const struct access_reader *r, bool *lead)
{
	*lead = false;
	if (!may_lead(r))
		return STORE_OK;
	struct lead_args l = {r->username, lead};
	return lead_run(c, &l); /* one statement: consistent on its own, no snapshot to begin and end */
}

int access_health_openings(store *st, const struct children_access *a, const struct store_glass_query *q,
			   store_break_glass_fn fn, void *ctx)
{
	bool lead = false;
	if (!a->audited)
		return CHILDREN_ENOAUDIT;
	int rc = access_health_lead(st, &a->reader, &lead);
	if (rc != STORE_OK)
		return rc;
	if (!lead)
		return CHILDREN_ENOAUDIT; /* the lead's list only */
	struct store_glass_query hq = *q;
	hq.agency = ACCESS_HEALTH_AGENCY;
	struct openings_args o = {.q = &hq, .fn = fn, .ctx = ctx};
	access_list_view(&a->reader, &o.v);
	return service_in_snapshot(st, openings_run, &o);
}

/* ---- the basis of a look ---- */

static const struct {
	const char *basis, *code;
} look_bases[] = {
	{"allocated worker", "allocated_worker"},
	{"manager of the allocated team", "team_manager"},
	{"MASH triage", "mash"},
	{"break-glass", "break_glass"},
	{"own agency's records", "own_agency"},
	{"data protection officer", "dpo"},
	{"sealed record: named role", "sealed_dpo"},
	{"alert owner", "alert_owner"},
};

const char *access_look_basis(const char *action, const char *detail)
{
	if (strcmp(action, "break_glass.open") == 0)
		return "break_glass";
	if (strcmp(action, "flags.lookup") == 0)
		return "flag_lookup";
	if (strcmp(action, "access.refused") == 0)
		return "refused";
	const char *tail = strrchr(detail, ';');
	tail = tail ? tail + 1 : detail;
	while (*tail == ' ')
		tail++;
	for (size_t i = 0; i < sizeof look_bases / sizeof look_bases[0]; i++)
		if (strcmp(tail, look_bases[i].basis) == 0)
			return look_bases[i].code;
	return "none";
}

/* ---- sealed records ---- */

bool access_sees_sealed(const char *role)
{
	return role && strcmp(role, ACCESS_SEALED_ROLES) == 0;
}

struct sealed_args {
	int64_t child_id;
	bool *sealed;
};

static int sealed_run(store_conn *c, void *arg)
{
	struct sealed_args *s = arg;
	return store_person_sealed(c, s->child_id, s->sealed);
}

int access_sealed(store *st, int64_t child_id, bool *sealed)
{
	struct sealed_args s = {child_id, sealed};
	*sealed = false;
	return service_in_snapshot(st, sealed_run, &s);
}

/* The records standing merged into a child, through merges of merges: each with the record it stands merged
 * into (via; 0 for the child). Collected whole before anything is sealed, so that a set past the bound is
 * refused with nothing written rather than sealed in part. */
struct seal_set {
	int64_t *id, *via;
	size_t n, cap;
	int64_t kept; /* the record whose merges are being read */
	bool over;    /* past ACCESS_SEAL_MERGED_MAX */
	int rows;     /* merges read for `kept` */
};

/* Merges read for one record: a bound on the walk, not a page (each merge is a decision someone made). */
#define SEAL_MERGES_OF_MAX 100000

static int seal_set_add(struct seal_set *x, int64_t id, int64_t via)
{
	for (size_t i = 0; i < x->n; i++)
		if (x->id[i] == id)
			return STORE_OK; /* the store lets merges form a cycle (B<-A while A<-B stands) and a merge be
					  * made again: a record named twice is sealed once, and the walk ends */
	if (x->n >= (size_t)ACCESS_SEAL_MERGED_MAX + 1) {
		x->over = true;
		return STORE_OK;
	}
	if (x->n == x->cap) {
		size_t cap = x->cap ? x->cap * 2 : 16;
		int64_t *id2 = realloc(x->id, cap * sizeof *id2);
		if (!id2)
			return STORE_EIO;
		x->id = id2;
		int64_t *via2 = realloc(x->via, cap * sizeof *via2);
		if (!via2)
			return STORE_EIO;
		x->via = via2;
		x->cap = cap;
	}
	x->id[x->n] = id;
	x->via[x->n++] = via;
	return STORE_OK;
}

static int merged_into_one(const struct store_merge *m, void *ctx)
{
	struct seal_set *x = ctx;
	x->rows++;
	if (m->kept_id == x->kept && !m->undone_at[0])
		return seal_set_add(x, m->merged_id, x->kept);
	return STORE_OK;
}

static int seal_set_collect(store_conn *c, int64_t child_id, struct seal_set *x)
{
	int rc = seal_set_add(x, child_id, 0);
	/* Breadth first over the set as it grows: each record's merges are read once; the set's bound ends it. */
	for (size_t i = 0; rc == STORE_OK && i < x->n && !x->over; i++) {
		x->kept = x->id[i];
		x->rows = 0;
		rc = store_merges_of(c, x->id[i], SEAL_MERGES_OF_MAX, merged_into_one, x);
		if (rc == STORE_OK && x->rows >= SEAL_MERGES_OF_MAX)
			x->over = true; /* more merges than were read: the set is not known whole */
	}
	return rc;
}

static int seal_one(store_conn *c, const char *actor, int64_t sealed_with, int64_t child_id, const char *basis,
		    int64_t via, bool *already)
{
	int rc = store_person_seal(c, child_id, basis, actor, already);
	if (rc != STORE_OK || *already)
		return rc;
	char object[40], detail[STORE_REASON_BYTES + 96];
	snprintf(object, sizeof object, "child:%lld", (long long)child_id);
	if (via > 0)
		snprintf(detail, sizeof detail, "%s; merged into child:%lld; sealed with child:%lld", basis, (long long)via,
			 (long long)sealed_with);
	else
		snprintf(detail, sizeof detail, "%s", basis);
	struct store_audit a = {.actor = actor, .action = "record.seal", .child_id = child_id, .object = object,
				.detail = detail};
	return audit_append(c, &a);
}

int access_seal(store_conn *c, const char *actor, int64_t child_id, const char *basis, bool *found, bool *already,
		int *merged, int64_t *kept_by)
{
	struct seal_set x = {0};
	*already = false;
	*merged = 0;
	*kept_by = 0;
	int rc = store_person_exists(c, child_id, found);
	if (rc != STORE_OK || !*found)
		return rc;
	/* A record standing merged into the child is the child's (its allocations, notices, look-ups and
	 * break-glass openings stay under its own id): sealed with it, however deep the chain of merges, so every
	 * list that leaves out a sealed record leaves it out too. A set too large to be a child's duplicates is
	 * refused whole (*merged ACCESS_SEAL_TOO_MANY, nothing written): the operator is told, never left with a
	 * record sealed in part. */
	if ((rc = seal_set_collect(c, child_id, &x)) != STORE_OK)
		goto out;
	if (x.over) {
		/* Refused, nothing sealed, and the refusal audited as the refusals of the audit's other kinds are
		 * (access.refused, break_glass.refused): a seal asked for (a court order, an adoption) and not done is
		 * for the DPO to see. Ids only. */
		char object[40], detail[STORE_REASON_BYTES + 64];
		snprintf(object, sizeof object, "child:%lld", (long long)child_id);
		snprintf(detail, sizeof detail, "%s; nothing sealed: more than %d records stand merged into it", basis,
			 ACCESS_SEAL_MERGED_MAX);
		struct store_audit a = {.actor = actor, .action = "record.seal_refused", .child_id = child_id,
					.object = object, .detail = detail};
		*merged = ACCESS_SEAL_TOO_MANY;
		rc = audit_append(c, &a);
		goto out;
	}
	/* A record standing merged into another (K) is K's now: its records are read under K, so sealing it
	 * alone would leave them in view. Refused, nothing written, K named: the operator seals K, which seals
	 * it. Not when K is in its own set (a cycle of merges): sealing it seals K too. */
	int64_t kept = 0;
	if ((rc = store_person_merged_into(c, child_id, &kept)) != STORE_OK)
		goto out;
	bool in_set = false;
	for (size_t i = 0; kept > 0 && i < x.n && !in_set; i++)
		in_set = x.id[i] == kept;
	if (kept > 0 && !in_set) {
		*kept_by = kept;
		goto out;
	}
	for (size_t i = 0; i < x.n; i++) {
		bool was = false;
		if ((rc = seal_one(c, actor, child_id, x.id[i], basis, x.via[i], &was)) != STORE_OK)
			goto out;
		if (i == 0)
			*already = was;
		else if (!was)
			(*merged)++;
	}
out:
	free(x.id);
	free(x.via);
	return rc;
}

/* ---- writes that touch a child ---- */

static const char *const write_names[WRITE_COUNT] = {
	[WRITE_CONCERN] = "concern",     [WRITE_VISIT] = "visit", [WRITE_PLACEMENT] = "placement",
	[WRITE_RECORDING] = "recording", [WRITE_ALERT] = "alert", [WRITE_ALLOCATION] = "allocation",
	[WRITE_LINK] = "link",          [WRITE_MASH_DECISION] = "mash_decision", [WRITE_MERGE_UNDO] = "merge_undo",
};

const char *access_write_name(enum access_write what)
{
	return what >= 0 && what < WRITE_COUNT ? write_names[what] : "unknown";
}

int access_write_check(store_conn *c, const struct access_writer *w, int64_t child_id, int64_t now,
		       enum access_write what, bool *allowed, char basis[ACCESS_BASIS_MAX])
{
	bool yes = false;
	*allowed = false;
	snprintf(basis, ACCESS_BASIS_MAX, "refused");
	if (what < 0 || what >= WRITE_COUNT || child_id <= 0)
		return STORE_OK;
	const struct access_person wp = {w->user_id, w->username, w->agency, w->role};
	struct store_access_facts f;
	int rc = facts_for(c, &wp, child_id, &f, NULL);
	if (rc != STORE_OK || !f.exists)
		return rc;
	bool sealed = f.sealed;
	bool person = w->role != NULL;
	if (sealed && !(person && access_sees_sealed(w->role)))
		return STORE_OK; /* not there to be written to: the refusal for no child */
	if (what == WRITE_ALERT || what == WRITE_ALLOCATION || what == WRITE_LINK || what == WRITE_MERGE_UNDO) {
		*allowed = true; /* the alert's owner, the administrator's role, the review queue: their callers' */
		snprintf(basis, ACCESS_BASIS_MAX, "%s", sealed ? "sealed record: named role" : "the child is there");
		return STORE_OK;
	}
	if (!person) { /* an agency's system: only placements, for a child its agency has sent records about */
		if (what != WRITE_PLACEMENT)
			return STORE_OK;
		if ((rc = store_child_agency_contributed(c, child_id, w->agency, &yes)) != STORE_OK || !yes)
			return rc;
		*allowed = true;
		snprintf(basis, ACCESS_BASIS_MAX, "own agency's records");
		return STORE_OK;
	}
	/* A person: the relationship access_decide grants, in this transaction. */
	enum access_level level = ACCESS_NONE;
	const struct access_person p = {w->user_id, w->username, w->agency, w->role};
	struct decide_args d = {.p = &p, .child_id = child_id, .level = &level, .basis = basis};
	ts_format_utc(now, d.now);
	snprintf(basis, ACCESS_BASIS_MAX, "no legitimate relationship");
	if ((rc = decide_run(c, &d)) != STORE_OK)
		return rc;
	enum access_level need = what == WRITE_CONCERN ? ACCESS_AGENCY : ACCESS_FULL;
	*allowed = level >= need;
	if (!*allowed)
		snprintf(basis, ACCESS_BASIS_MAX, "refused");
	return STORE_OK;
}

static const char *const write_actions[WRITE_COUNT] = {
	[WRITE_CONCERN] = "concern.record",     [WRITE_VISIT] = "visit.record",
	[WRITE_PLACEMENT] = "placement.record", [WRITE_RECORDING] = "recording.upload",
	[WRITE_ALERT] = "alert.act",            [WRITE_ALLOCATION] = "allocation.record",
	[WRITE_LINK] = "link_review.decide",    [WRITE_MASH_DECISION] = "mash.decision",
	[WRITE_MERGE_UNDO] = "person.unmerge",
};

const char *access_write_action(enum access_write what)
{
	return what >= 0 && what < WRITE_COUNT ? write_actions[what] : "write";
}

/* The one entry of a refused write (r-ntk30), as a refused read's (children_access.refuse): on the id the write
 * named, naming no child whatever it held, so that her id and an empty one write the same entry but for the id. */
static int write_refused(store_conn *c, const char *actor, enum access_write what, const char *action, int64_t id)
{
	char object[40], detail[96];
	const char *kind = "child", *named = "child";
	if (what == WRITE_ALERT)
		kind = named = "alert";
	else if (what == WRITE_MASH_DECISION)
		kind = "mash", named = "MASH item event";
	else if (what == WRITE_LINK)
		kind = "link_review", named = "link review task";
	else if (what == WRITE_MERGE_UNDO)
		kind = named = "merge";
	snprintf(object, sizeof object, "%s:%lld", kind, (long long)id);
	snprintf(detail, sizeof detail, "%s refused: %s %lld", action ? action : access_write_action(what), named,
		 (long long)id);
	struct store_audit e = {.actor = actor, .action = "access.refused", .object = object, .detail = detail};
	return audit_append(c, &e);
}

int access_write_checked(store_conn *c, const struct access_write_ask *a, int64_t child_id, int64_t also_id,
			 int64_t now, bool *allowed, char *basis)
{
	char why[ACCESS_BASIS_MAX];
	char *b = basis ? basis : why;
	bool second = true;
	int rc = access_write_check(c, a->w, child_id, now, a->what, allowed, b);
	if (rc == STORE_OK && child_id > 0 && also_id != 0) { /* both asked, as before: one refusal, one entry */
		char why2[ACCESS_BASIS_MAX];
		rc = access_write_check(c, a->w, also_id, now, a->what, &second, why2);
		if (*allowed && !second) {
			*allowed = false;
			snprintf(b, ACCESS_BASIS_MAX, "refused");
		}
	}
	if (rc != STORE_OK) {
		*allowed = false;
		return rc;
	}
	return *allowed ? STORE_OK : write_refused(c, a->actor, a->what, a->action, a->id);
}

static int refusal_run(store_conn *c, void *arg)
{
	struct access_write_refusal *r = arg;
	return write_refused(c, r->actor, r->what, r->action, r->id);
}

static void refusal_done(struct txq_job *job)
{
	struct access_write_refusal *r = (struct access_write_refusal *)job;
	r->rc = job->rc;
	r->done(r);
}

/* Queues r, filled; done(r) once its entry is durable or has failed. */
static void refusal_prepare(struct access_write_refusal *r, void (*done)(struct access_write_refusal *r))
{
	r->done = done;
	r->rc = 0;
	r->job.run = refusal_run;
	r->job.arg = r;
	r->job.done = refusal_done;
	r->job.ahead = NULL;
	r->job.replayable = true; /* it writes its entry alone, from the chain as it then stands */
}

static void refusal_submit(txq *q, struct access_write_refusal *r, void (*done)(struct access_write_refusal *r))
{
	refusal_prepare(r, done);
	if (r->hold)
		r->hold(r);
	txq_submit(q, &r->job);
}

void access_write_refuse(txq *q, struct access_write_refusal *r, const char *actor, enum access_write what,
			 const char *action, int64_t id, void (*done)(struct access_write_refusal *r))
{
	snprintf(r->actor, sizeof r->actor, "%s", actor);
	r->action = action;
	r->what = what;
	r->id = id;
	refusal_submit(q, r, done);
}

struct write_args {
	const struct access_writer *w;
	int64_t child_id, now;
	enum access_write what;
	bool *allowed;
	char *basis;
};

static int write_run(store_conn *c, void *arg)
{
	struct write_args *x = arg;
	return access_write_check(c, x->w, x->child_id, x->now, x->what, x->allowed, x->basis);
}

/* The decision in a read snapshot of its own, no entry: the two below queue it. */
static int decide_write(store *st, const struct access_write_ask *a, int64_t child_id, int64_t now, bool *allowed)
{
	char basis[ACCESS_BASIS_MAX];
	struct write_args x = {a->w, child_id, now, a->what, allowed, basis};
	*allowed = false;
	int rc = service_in_snapshot(st, write_run, &x);
	if (rc != STORE_OK)
		*allowed = false;
	return rc;
}

int access_write_decided(store *st, txq *q, const struct access_write_ask *a, int64_t child_id, int64_t now,
			 struct access_write_refusal *r, void (*done)(struct access_write_refusal *r), bool *allowed)
{
	int rc = decide_write(st, a, child_id, now, allowed);
	if (rc == STORE_OK && !*allowed)
		access_write_refuse(q, r, a->actor, a->what, a->action, a->id, done);
	return rc;
}

static void refuse_unwaited_done(struct access_write_refusal *r)
{
	if (r->rc != STORE_OK)
		fprintf(stderr, "safeguard: a refused upload's audit entry could not be written (store error %d)\n", r->rc);
	free(r);
}

int access_write_decided_held(store *st, const struct access_write_ask *a, int64_t child_id, int64_t now,
			      struct access_write_refusal **held, bool *allowed)
{
	*held = NULL;
	int rc = decide_write(st, a, child_id, now, allowed);
	if (rc != STORE_OK || *allowed)
		return rc;
	struct access_write_refusal *r = calloc(1, sizeof *r);
	if (!r) {
		fprintf(stderr, "safeguard: a refused upload's audit entry could not be queued (out of memory)\n");
		return STORE_OK; /* refused all the same */
	}
	snprintf(r->actor, sizeof r->actor, "%s", a->actor);
	r->action = a->action;
	r->what = a->what;
	r->id = a->id;
	*held = r;
	return STORE_OK;
}

int access_write_refusal_send(txq *q, struct access_write_refusal *held)
{
	if (!held)
		return 0;
	refusal_prepare(held, refuse_unwaited_done); /* held: no hold() of its own (calloc'd above) */
	if (txq_submit_unwaited(q, &held->job, ACCESS_UNWAITED_MAX) != 0) {
		free(held); /* no room (r-review34): the edge answers 503, not the refusal */
		return -1;
	}
	return 0;
}

void access_write_refusal_drop(struct access_write_refusal *held)
{
	free(held);
}

int access_write_decided_unwaited(store *st, txq *q, const struct access_write_ask *a, int64_t child_id,
				  int64_t now, bool *allowed)
{
	struct access_write_refusal *held = NULL;
	int rc = access_write_decided_held(st, a, child_id, now, &held, allowed);
	if (rc == STORE_OK && access_write_refusal_send(q, held) != 0)
		rc = STORE_EBUSY; /* refused, its entry no room: answered 503 busy, not 403 (r-review34) */
	return rc;
}

/* ---- the role policy ---- */

static const char *const action_names[ACT_COUNT] = {
	[ACT_PUBLIC] = "public",         [ACT_SIGNED_IN] = "signed_in",   [ACT_EVENT_WRITE] = "event.write",
	[ACT_CHILD_SEARCH] = "child.search", [ACT_CHILD_READ] = "child.read", [ACT_CONCERN] = "concern.record",
	[ACT_VISIT] = "visit.record",    [ACT_ALERTS] = "alerts",         [ACT_CASELOAD] = "caseload",
	[ACT_MASH] = "mash",             [ACT_FLAGS] = "flags",           [ACT_VIEWERS] = "viewers",
	[ACT_BREAK_GLASS] = "break_glass", [ACT_RECORDINGS] = "recordings", [ACT_ADMIN] = "admin",
	[ACT_OVERSIGHT] = "oversight",   [ACT_HOMES_POLICE] = "homes.police",
	[ACT_LINK_REVIEW] = "link.review",
	[ACT_PLACEMENT] = "placement.record",
	[ACT_NOTICES] = "notices",
	[ACT_TEAM] = "team",
	[ACT_LADO] = "lado",
	[ACT_LADO_READ] = "lado.read",
	[ACT_SPEAKUP] = "speakup",
	[ACT_HEALTH_GLASS] = "health.break_glass",
};

const char *access_action_name(enum access_action act)
{
	return act >= 0 && act < ACT_COUNT ? action_names[act] : "unknown";
}

/* Which roles may use each action: a row per role, in users.c's order of issue 4's codes. The decisions:
 * practitioners (everyone who works with children) search, read under need-to-know, record concerns and may
 * break the glass; statutory visits, and where a child in care is placed, are social care's; alerts go to the roles that own them; the DPO reviews
 * who has looked and reads records (for subject access and sealed records) under need-to-know, but does not
 * break the glass; the oversight analyst works on children's homes, not on children's records (the homes
 * pages show how many children are placed and how far from home, never who); the police see the homes of
 * their area and the children missing from them, and add location-risk notes; the administrator runs
 * accounts and never reads a child's record. Record linkage's review tasks (is this record that child?) are
 * children's social care's, who own the child's record once it is one: social workers, team managers, and the
 * MASH, which must know which child a contact is about before it can decide on it (issue 15: a MASH worker's day
 * includes "is this record that child?"); the DPO sees sealed identities, which no task ever names. */
enum { PR = 1u << ACT_CHILD_SEARCH | 1u << ACT_CHILD_READ | 1u << ACT_CONCERN | 1u << ACT_BREAK_GLASS |
	    1u << ACT_RECORDINGS };
static const struct {
	const char *role;
	unsigned may;
} role_policy[] = {
	{"social_worker", PR | 1u << ACT_VISIT | 1u << ACT_ALERTS | 1u << ACT_CASELOAD | 1u << ACT_VIEWERS |
				  1u << ACT_LINK_REVIEW | 1u << ACT_PLACEMENT},
	{"team_manager", PR | 1u << ACT_VISIT | 1u << ACT_ALERTS | 1u << ACT_CASELOAD | 1u << ACT_MASH | 1u << ACT_VIEWERS |
				 1u << ACT_LINK_REVIEW | 1u << ACT_PLACEMENT | 1u << ACT_TEAM},
	{"mash_worker", PR | 1u << ACT_ALERTS | 1u << ACT_MASH | 1u << ACT_LINK_REVIEW},
	{"police_officer", PR | 1u << ACT_HOMES_POLICE},
	/* Alerts: those escalated to them, as health's safeguarding lead (the manager of the team
	 * ALERTS_HEALTH_TEAM: service/alerts.h), whom an alert on a child only health may see goes to (r-ntk25). */
	/* Health's own break-glass openings: the page is the role's, the list the lead's only (access_health_lead). */
	{"health_practitioner", PR | 1u << ACT_FLAGS | 1u << ACT_ALERTS | 1u << ACT_HEALTH_GLASS},
	{"school_dsl", PR},
	{"conference_chair", PR},
	/* Speak up (issue 18): granted by role only, to no role a home's own organisation holds: the oversight
	 * analyst and the LADO review the reports. */
	{"oversight_analyst", 1u << ACT_OVERSIGHT | 1u << ACT_SPEAKUP},
	{"dpo", 1u << ACT_CHILD_SEARCH | 1u << ACT_CHILD_READ | 1u << ACT_VIEWERS | 1u << ACT_NOTICES |
			1u << ACT_LADO_READ},
	{"admin", 1u << ACT_ADMIN},
	/* Issue 18: the LADO works on allegations against people who work with children, never on a child's
	 * record; the person's record is the LADO's and the DPO's only (the DPO reads it, for subject access). */
	{"lado", 1u << ACT_LADO | 1u << ACT_LADO_READ | 1u << ACT_SPEAKUP},
};

bool access_lado_may(const char *role, bool write)
{
	if (!role)
		return false;
	if (strcmp(role, "lado") == 0)
		return true;
	return !write && strcmp(role, "dpo") == 0;
}

bool access_role_may(const char *role, const char *agency, enum access_action act)
{
	if (act == ACT_PUBLIC)
		return true;
	if (act < 0 || act >= ACT_COUNT)
		return false;
	if (!role) { /* an agency's system */
		switch (act) {
		case ACT_EVENT_WRITE:
		case ACT_CHILD_READ:
			return true;
		case ACT_ALERTS:
		case ACT_PLACEMENT:
			return agency && strcmp(agency, "social_care") == 0;
		case ACT_FLAGS:
			return agency && strcmp(agency, "health") == 0;
		default:
			return false;
		}
	}
	if (act == ACT_SIGNED_IN)
		return true;
	for (size_t i = 0; i < sizeof role_policy / sizeof role_policy[0]; i++)
		if (strcmp(role_policy[i].role, role) == 0)
			return (role_policy[i].may >> act) & 1u;
	return false;
}

const char *access_system_scope(enum access_action act, bool write)
{
	switch (act) {
	case ACT_EVENT_WRITE:
		return write ? "events:write" : NULL;
	case ACT_CHILD_READ:
		return write ? NULL : "records:read";
	case ACT_ALERTS:
		return write ? "alerts:write" : "alerts:read";
	case ACT_FLAGS:
		return write ? NULL : "flags:read";
	case ACT_PLACEMENT:
		return write ? "placements:write" : NULL;
	default:
		return NULL;
	}
}

bool access_system_may(const char *agency, const char *scope, enum access_action act, bool write)
{
	if (act == ACT_PUBLIC)
		return true;
	const char *need = access_system_scope(act, write);
	return need && access_role_may(NULL, agency, act) && tokens_scope_has(scope, need);
}

bool access_role_offers(const char *role, const char *agency, enum access_action act)
{
	return access_role_may(role, agency, act);
}

/* The entry of a refusal by the first gate (access_route_decided): queued, not waited for. */
struct route_refusal {
	struct txq_job job; /* first */
	char actor[96];
	char object[128];
	char detail[320];
};

static int route_refusal_run(store_conn *c, void *arg)
{
	struct route_refusal *r = arg;
	struct store_audit e = {.actor = r->actor, .action = "access.refused", .object = r->object, .detail = r->detail};
	return audit_append(c, &e);
}

static void route_refusal_done(struct txq_job *job)
{
	if (job->rc != STORE_OK)
		fprintf(stderr, "safeguard: a refusal by role's audit entry could not be written (store error %d)\n", job->rc);
	free(job);
}

/* Whether the route is one of a child's: its first {id} is the child's. */
static bool route_names_child(const char *pattern)
{
	return strncmp(pattern, "/children/{id}", 14) == 0 || strncmp(pattern, "/api/v1/children/{id}", 21) == 0;
}

enum access_route_answer access_route_decided(txq *q, const struct access_route_ask *a)
{
	bool write = a->method && strcmp(a->method, "POST") == 0;
	enum access_route_answer ans = ACCESS_ROUTE_ALLOWED;
	const char *need = NULL;
	if (a->role) {
		if (!access_role_may(a->role, a->agency, a->act))
			ans = ACCESS_ROUTE_ROLE;
	} else if (!access_role_may(NULL, a->agency, a->act)) {
		ans = ACCESS_ROUTE_ROLE;
	} else if (!access_system_may(a->agency, a->scope, a->act, write)) {
		ans = ACCESS_ROUTE_SCOPE;
		need = access_system_scope(a->act, write);
	}
	if (ans == ACCESS_ROUTE_ALLOWED || !a->answerable || !a->actor || !a->actor[0])
		return ans;
	struct route_refusal *r = calloc(1, sizeof *r);
	if (!r) {
		fprintf(stderr, "safeguard: a refusal by role's audit entry could not be queued (out of memory)\n");
		return ans; /* refused all the same */
	}
	const char *method = a->method ? a->method : "", *pattern = a->pattern ? a->pattern : "";
	snprintf(r->actor, sizeof r->actor, "%s", a->actor);
	if (a->id > 0 && route_names_child(pattern))
		snprintf(r->object, sizeof r->object, "child:%lld", (long long)a->id);
	else
		snprintf(r->object, sizeof r->object, "route:%s %s", method, pattern);
	char why[96];
	if (ans == ACCESS_ROUTE_SCOPE && need)
		snprintf(why, sizeof why, "by scope: needs %s", need);
	else
		snprintf(why, sizeof why, "by role: %s", a->role ? a->role : "agency's system");
	snprintf(r->detail, sizeof r->detail, "%s refused %s; %s %s", access_action_name(a->act), why, method,
		 a->path ? a->path : pattern);
	r->job.run = route_refusal_run;
	r->job.arg = r;
	r->job.done = route_refusal_done;
	r->job.replayable = true; /* it writes its entry alone, from the chain as it then stands */
	if (txq_submit_unwaited(q, &r->job, ACCESS_UNWAITED_MAX) != 0) {
		free(r); /* no room: not answered as refused, so no refusal goes unaudited (access.h) */
		return ACCESS_ROUTE_BUSY;
	}
	return ans;
}

int access_allocation_may_find(store_conn *c, const struct access_reader *r, int64_t child_id, bool *may)
{
	*may = false;
	if (!r->role[0] || !access_role_may(r->role, r->agency, ACT_ADMIN))
		return STORE_OK;
	const struct access_person p = {r->user_id, r->username, r->agency, r->role};
	struct store_access_facts f;
	int rc = facts_for(c, &p, child_id, &f, NULL);
	*may = rc == STORE_OK && f.exists && !f.sealed;
	return rc;
}
