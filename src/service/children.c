#include "service/children.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock/now.h"
#include "service/alerts.h"
#include "service/audit.h"
#include "service/service_int.h"
#include "service/summary.h"

/* The entry of a read, in the write transaction that decides the reader's relationship with the child: a
 * read that needs more is written as a refusal (the action asked for and the basis in its detail), so the
 * auditor sees who tried; an agency system's read of an id that holds no child stays the attempt it is. */
static int audit_run(store_conn *c, void *arg)
{
	struct children_access *a = arg;
	char object[40], detail[CHILDREN_DETAIL_MAX + ACCESS_BASIS_MAX + 64];
	int rc;
	a->refused = false;
	if (a->refuse) { /* refused by the object's rule before the entry: one kind of entry, whatever the id holds */
		a->refused = true;
		a->exists = false;
		snprintf(detail, sizeof detail, "%s refused: %s", a->action, a->detail);
		struct store_audit e = {.actor = a->actor, .action = "access.refused", .object = a->object, .detail = detail};
		return audit_append(c, &e);
	}
	if (a->child_id == 0) { /* a search or a list: about no one child */
		struct store_audit e = {.actor = a->actor, .action = a->action, .object = "search", .detail = a->detail};
		return audit_append(c, &e);
	}
	if ((rc = access_decide_reader_exists(c, &a->reader, a->child_id, clock_now(), &a->exists)) != STORE_OK)
		return rc;
	a->refused = a->need > ACCESS_NONE && a->reader.level < a->need;
	bool person = a->reader.role[0] != '\0';
	const char *action = a->action;
	snprintf(object, sizeof object, "child:%lld", (long long)a->child_id);
	if (a->refused && (a->exists || person)) {
		action = "access.refused";
		snprintf(detail, sizeof detail, "%s refused: %s", a->action, a->exists ? a->reader.basis : "no such child");
	} else if (!a->exists) {
		snprintf(detail, sizeof detail, "no such child");
	} else if (a->need > ACCESS_NONE) {
		snprintf(detail, sizeof detail, "%s%s%s", a->detail, a->detail[0] ? "; " : "", a->reader.basis);
	} else {
		/* A read gated by a rule of its own (one alert, who has looked, a recording) records its basis as every
		 * read does (issue 15: who has looked shows one for every look): the reader's relationship with the
		 * child when there is one, else the rule that let them in. */
		const char *basis = a->reader.basis;
		if (a->reader.level < ACCESS_AGENCY && strcmp(a->action, "alert.read") == 0)
			basis = "alert owner";
		else if (a->reader.level < ACCESS_AGENCY && person && access_sees_sealed(a->reader.role))
			basis = "data protection officer";
		size_t n = strlen(a->detail), m = strlen(basis);
		bool has = n >= m && strcmp(a->detail + n - m, basis) == 0;
		snprintf(detail, sizeof detail, "%s%s%s", a->detail, has || !a->detail[0] ? "" : "; ", has ? "" : basis);
	}
	struct store_audit e = {
		.actor = a->actor,
		.action = action,
		.child_id = a->exists ? a->child_id : 0,
		.object = object,
		.detail = detail,
	};
	return audit_append(c, &e);
}

/* txq's `ahead` for a batch of audited reads: the children's facts asked at once (on PostgreSQL one statement
 * for the batch instead of one round trip a read; the decision itself is made by each job, in access.c, as
 * before: the answers only spare it the asking). */
static int audit_ahead(store_conn *c, struct txq_job *const *jobs, int n)
{
	int64_t ids[TXQ_BATCH_MAX];
	int m = 0;
	struct store_view v; /* whether each child is known is asked with the first reader's view (another asks again) */
	for (int i = 0; i < n && m < TXQ_BATCH_MAX; i++) {
		const struct children_access *a = jobs[i]->arg;
		if (a->child_id != 0 && !a->refuse) {
			if (m == 0)
				access_list_view(&a->reader, &v);
			ids[m++] = a->child_id;
		}
	}
	return m > 0 ? store_access_facts_ahead(c, ids, m, &v) : STORE_OK;
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
	/* audit_run decides afresh and writes only its entry (id and hash from the chain as it then stands), so
	 * a batch of reads may run without a savepoint each (txq.h), their children's facts asked at once
	 * (audit_ahead): on PostgreSQL a page's read costs the writer no RELEASE and no facts round trip of its
	 * own, and a batch's time no longer grows by two round trips a read (issue 17). */
	a->job.replayable = true;
	a->job.ahead = audit_ahead;
	txq_submit(q, &a->job);
}

int children_access_decided(txq *q, struct children_access *a, bool may, const char *fmt, ...)
{
	if (!may) {
		va_list ap;
		a->refuse = true;
		va_start(ap, fmt);
		vsnprintf(a->object, sizeof a->object, fmt, ap);
		va_end(ap);
	}
	if (a->hold)
		a->hold(a);
	children_access_audit(q, a);
	return STORE_OK;
}

int service_in_snapshot(store *st, int (*fn)(store_conn *c, void *arg), void *arg)
{
	store_conn *c = store_conn_get_read(st); /* a replica's, with serve --db-read */
	int rc;
	if (!c)
		return STORE_EUNAVAIL;
	if ((rc = store_begin_read(c)) == STORE_EUNAVAIL) { /* lost before anything ran: once on a new one */
		store_conn_put(st, c);
		if (!(c = store_conn_get_read(st)))
			return STORE_EUNAVAIL;
		rc = store_begin_read(c);
	}
	if (rc == STORE_OK) {
		rc = fn(c, arg);
		int end = store_commit(c); /* ends the snapshot; nothing was written */
		if (rc == STORE_OK)
			rc = end;
	}
	store_conn_put(st, c);
	return rc;
}

/* ---- one snapshot for a page's reads (issue 17) ---- */

struct children_snapshot {
	store_conn *c;
	bool broken; /* a read failed in it: the reads after take their own */
	struct store_ahead_counts at_begin;
};

int children_snapshot_begin(store *st, struct children_access *a)
{
	a->snapshot = NULL;
	if (!a->audited || a->refused)
		return STORE_OK; /* nothing will be read: nothing to hold */
	struct children_snapshot *s = calloc(1, sizeof *s);
	if (!s)
		return STORE_EIO;
	if (!(s->c = store_conn_get_read(st))) {
		free(s);
		return STORE_EUNAVAIL;
	}
	int rc = store_begin_read(s->c);
	if (rc == STORE_EUNAVAIL) { /* lost before anything ran: once on a new one */
		store_conn_put(st, s->c);
		if (!(s->c = store_conn_get_read(st))) {
			free(s);
			return STORE_EUNAVAIL;
		}
		rc = store_begin_read(s->c);
	}
	if (rc != STORE_OK) {
		store_conn_put(st, s->c);
		free(s);
		return rc;
	}
	store_conn_ahead_counts(s->c, &s->at_begin);
	memset(&a->ahead, 0, sizeof a->ahead);
	a->snapshot = s;
	return STORE_OK;
}

void children_snapshot_end(store *st, struct children_access *a)
{
	struct children_snapshot *s = a->snapshot;
	if (!s)
		return;
	a->snapshot = NULL;
	struct store_ahead_counts now;
	store_conn_ahead_counts(s->c, &now);
	a->ahead.sent = now.sent - s->at_begin.sent;
	a->ahead.taken = now.taken - s->at_begin.taken;
	a->ahead.fresh = now.fresh - s->at_begin.fresh;
	if (s->broken)
		store_rollback(s->c);
	else if (store_commit(s->c) != STORE_OK) /* ends the snapshot; nothing was written */
		store_rollback(s->c);
	store_conn_put(st, s->c);
	free(s);
}

int service_in_read(store *st, const struct children_access *a, int (*fn)(store_conn *c, void *arg), void *arg)
{
	struct children_snapshot *s = a ? a->snapshot : NULL;
	if (!s || s->broken)
		return service_in_snapshot(st, fn, arg);
	int rc = fn(s->c, arg);
	if (rc != STORE_OK) /* on PostgreSQL a failed statement ends the transaction's use */
		s->broken = true;
	return rc;
}

/* Keyset paging, once for every caller: ask the store for one row more than the page holds; that row only
 * says an older page exists, and the last row shown becomes the cursor for it. */
struct page_walk {
	store_event_fn fn;
	void *ctx;
	int limit, rows;
	struct children_page_end *end;
	char last_at[STORE_TS_LEN + 1];
	int64_t last_id;
};

static int page_row(const struct store_event *e, void *arg)
{
	struct page_walk *w = arg;
	if (++w->rows > w->limit) {
		w->end->more = true;
		event_cursor_format(w->last_at, w->last_id, w->end->cursor);
		return 0;
	}
	memcpy(w->last_at, e->occurred_at, sizeof w->last_at);
	w->last_id = e->id;
	return w->fn(e, w->ctx);
}

static int chronology_page(store_conn *c, const struct store_view *v, int64_t child_id, const struct store_page *page,
			   store_event_fn fn, void *ctx, struct children_page_end *end)
{
	struct page_walk w = {.fn = fn, .ctx = ctx, .limit = page->limit, .end = end};
	struct store_page plus_one = *page;
	plus_one.limit = page->limit + 1;
	memset(end, 0, sizeof *end);
	return store_chronology(c, v, child_id, &plus_one, page_row, &w);
}

/* Whether the read may show the child at all: audited, and the relationship decided for it allows a look. */
static bool may_show(const struct children_access *a)
{
	return a->audited && !a->refused && a->reader.level >= ACCESS_AGENCY;
}

struct read_args {
	const struct children_access *a;
	struct store_view view; /* access_view of the reader */
	const struct child_visitor *v;
	void *ctx;
	bool *found;
	store_conn *c;
	const struct store_page *page;
	store_event_fn fn;
	int marks_max;
	struct children_page_end *end;
};

static int on_household(const struct store_household *h, void *arg)
{
	struct read_args *r = arg;
	int rc;
	if (r->v->household && (rc = r->v->household(h, r->ctx)) != 0)
		return rc;
	if (r->v->member)
		return store_household_members(r->c, &r->view, h->id, r->v->member, r->ctx);
	return 0;
}

/* The kinds of event seen among the marks, each with its latest time, as store_event_kinds gives them. */
#define MARK_KINDS_MAX 64

struct mark_kinds {
	store_event_fn fn; /* the visitor's mark */
	void *ctx;
	int rows, n;
	bool overflow; /* more kinds than fit: the store groups them instead */
	struct {
		char kind[STORE_CODE_MAX + 1];
		char latest[STORE_TS_LEN + 1];
	} k[MARK_KINDS_MAX];
};

static int mark_kind_row(const struct store_event *e, void *arg)
{
	struct mark_kinds *m = arg;
	int i = 0;
	m->rows++;
	while (i < m->n && strcmp(m->k[i].kind, e->kind) != 0)
		i++;
	if (i == m->n) {
		if (m->n == MARK_KINDS_MAX || strlen(e->kind) > STORE_CODE_MAX) {
			m->overflow = true;
		} else {
			memcpy(m->k[i].kind, e->kind, strlen(e->kind) + 1);
			m->k[i].latest[0] = '\0';
			m->n++;
		}
	}
	if (i < m->n && strcmp(e->occurred_at, m->k[i].latest) > 0)
		snprintf(m->k[i].latest, sizeof m->k[i].latest, "%s", e->occurred_at);
	return m->fn(e, m->ctx);
}

static int kind_cmp(const void *a, const void *b)
{
	return strcmp(a, b); /* the kind is the first member */
}

/* In the store's order (GROUP BY kind: by kind's bytes). */
static int mark_kinds_give(struct mark_kinds *m, store_kind_fn fn, void *ctx)
{
	int rc = 0;
	qsort(m->k, (size_t)m->n, sizeof m->k[0], kind_cmp);
	for (int i = 0; i < m->n && rc == 0; i++)
		rc = fn(m->k[i].kind, m->k[i].latest, ctx);
	return rc;
}

/* The first page of the chronology is the newest of the marks: the same events under the same view and filters,
 * in the same order (page->limit + 1 of them, chronology_page's one more among them). So on a record that asks for
 * both they are read once, as rows with their details, and given as marks too; the marks are read from after
 * them (store_page.skip). Issue 17 (r-pgpage29): PostgreSQL read, sent and the server parsed those 101 marks
 * twice a record page, ~180,000 of PostgreSQL's instructions. */
static bool rows_lead_marks(const struct store_page *page, bool rows, bool marks, int marks_max)
{
	return page && rows && marks && !page->before_at && page->limit > 0 && marks_max > page->limit + 1;
}

/* The marks' page read after the rows when rows_lead_marks: the marks read_run asks for, less the rows'. */
static struct store_page marks_after_rows(const struct store_page *marks, const struct store_page *page)
{
	struct store_page out = *marks;
	out.skip = page->limit + 1;
	out.limit = marks->limit - out.skip;
	return out;
}

struct lead_walk {
	store_event_fn mark; /* each row, as a mark */
	void *mark_ctx;
	struct page_walk w; /* and the page's rows (page_row) */
};

static int lead_row(const struct store_event *e, void *arg)
{
	struct lead_walk *l = arg;
	int rc = l->mark(e, l->mark_ctx);
	return rc != 0 ? rc : page_row(e, &l->w);
}

static int read_run(store_conn *c, void *arg)
{
	struct read_args *r = arg;
	struct store_person *p = malloc(sizeof *p); /* 4 KiB: not on a server thread's stack */
	struct mark_kinds *mk = NULL;
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
	/* Who the child lives with is not an agency's own record: the household is for the whole record only. */
	if ((r->v->household || r->v->member) && r->a->reader.level == ACCESS_FULL &&
	    (rc = store_households_of(c, r->a->child_id, on_household, r)) != 0)
		goto out;
	/* Unfiltered marks under the same view are the very rows the kinds are grouped from: when they hold the
	 * whole history, the kinds come from them (issue 17: the record page read the history a third time for
	 * its kinds, 13% of the page's CPU); else from the store, as before. */
	bool marks_first = r->page && r->v->mark && r->marks_max > 0 && r->v->kind && !r->page->agency && !r->page->kind;
	bool lead = rows_lead_marks(r->page, r->v->event, r->v->mark, r->marks_max);
	if (marks_first) {
		struct store_page all = {.limit = r->marks_max};
		if (!(mk = calloc(1, sizeof *mk))) {
			rc = STORE_EIO;
			goto out;
		}
		mk->fn = r->v->mark;
		mk->ctx = r->ctx;
		if (lead) { /* the page's rows, each a mark too; then the marks after them */
			struct lead_walk l = {.mark = mark_kind_row, .mark_ctx = mk,
					      .w = {.fn = r->v->event, .ctx = r->ctx, .limit = r->page->limit, .end = r->end}};
			struct store_page plus_one = *r->page, after = marks_after_rows(&all, r->page);
			plus_one.limit = r->page->limit + 1;
			plus_one.drawn = true;
			memset(r->end, 0, sizeof *r->end);
			if ((rc = store_chronology(c, &r->view, r->a->child_id, &plus_one, lead_row, &l)) != 0 ||
			    (rc = store_event_marks(c, &r->view, r->a->child_id, &after, mark_kind_row, mk)) != 0)
				goto out;
		} else if ((rc = store_event_marks(c, &r->view, r->a->child_id, &all, mark_kind_row, mk)) != 0) {
			goto out;
		}
		if (mk->rows < r->marks_max && !mk->overflow)
			rc = mark_kinds_give(mk, r->v->kind, r->ctx);
		else
			rc = store_event_kinds(c, &r->view, r->a->child_id, r->v->kind, r->ctx);
		if (rc != 0)
			goto out;
	} else if (r->v->kind && (rc = store_event_kinds(c, &r->view, r->a->child_id, r->v->kind, r->ctx)) != 0) {
		goto out;
	}
	if (marks_first && lead)
		goto out; /* the rows were read with the marks */
	if (!marks_first && lead) {
		struct lead_walk l = {.mark = r->v->mark, .mark_ctx = r->ctx,
				      .w = {.fn = r->v->event, .ctx = r->ctx, .limit = r->page->limit, .end = r->end}};
		struct store_page plus_one = *r->page;
		struct store_page all = {.limit = r->marks_max, .agency = r->page->agency, .kind = r->page->kind};
		struct store_page after = marks_after_rows(&all, r->page);
		plus_one.limit = r->page->limit + 1;
		plus_one.drawn = true;
		memset(r->end, 0, sizeof *r->end);
		if ((rc = store_chronology(c, &r->view, r->a->child_id, &plus_one, lead_row, &l)) == 0)
			rc = store_event_marks(c, &r->view, r->a->child_id, &after, r->v->mark, r->ctx);
		goto out;
	}
	if (r->page && r->v->event) {
		struct store_page drawn = *r->page; /* what the page draws of each row */
		drawn.drawn = true;
		if ((rc = chronology_page(c, &r->view, r->a->child_id, &drawn, r->v->event, r->ctx, r->end)) != 0)
			goto out;
	}
	if (!marks_first && r->page && r->v->mark && r->marks_max > 0) {
		struct store_page all = {.limit = r->marks_max, .agency = r->page->agency, .kind = r->page->kind};
		rc = store_event_marks(c, &r->view, r->a->child_id, &all, r->v->mark, r->ctx);
	}
out:
	free(mk);
	free(p);
	return rc;
}

int children_read(store *st, const struct children_access *a, const struct child_visitor *v, void *ctx,
		  bool *found)
{
	*found = false;
	if (!a->audited)
		return CHILDREN_ENOAUDIT;
	if (!may_show(a))
		return STORE_OK; /* nothing: as for no child */
	struct read_args r = {.a = a, .v = v, .ctx = ctx, .found = found};
	access_view(&a->reader, &r.view);
	return service_in_read(st, a, read_run, &r);
}

int children_record(store *st, const struct children_access *a, const struct child_visitor *v,
		    const struct store_page *page, int marks_max, void *ctx, bool *found, struct children_page_end *end)
{
	*found = false;
	memset(end, 0, sizeof *end);
	if (!a->audited)
		return CHILDREN_ENOAUDIT;
	if (!may_show(a))
		return STORE_OK;
	struct read_args r = {
		.a = a, .v = v, .ctx = ctx, .found = found, .page = page, .marks_max = marks_max, .end = end};
	access_view(&a->reader, &r.view);
	return service_in_read(st, a, read_run, &r);
}

int children_record_ahead(store *st, const struct children_access *a, const struct store_page *page, int marks_max,
			  const struct store_alert_query *alerts, struct date today)
{
	(void)st;
	struct children_snapshot *s = a->snapshot;
	if (!s || s->broken || !may_show(a))
		return STORE_OK;
	struct store_ahead ah = {.child_id = a->child_id, .person = true, .identifiers = true};
	char day[DATE_ISO_LEN + 1];
	struct store_alert_query alerts_q;
	access_view(&a->reader, &ah.view);
	/* read_run's reads, in its order and with its arguments */
	ah.households = a->reader.level == ACCESS_FULL;
	struct store_page marks = {.limit = marks_max}, rows = *page;
	if (page->agency || page->kind) {
		marks.agency = page->agency;
		marks.kind = page->kind;
	}
	/* the kinds are read apart unless they come from the unfiltered marks (read_run's marks_first) */
	ah.kinds = page->agency || page->kind || marks_max <= 0;
	/* the page's visitor takes every part (children_record_ahead's contract), its rows and its marks */
	if (rows_lead_marks(page, true, true, marks_max))
		marks = marks_after_rows(&marks, page);
	if (marks_max > 0)
		ah.marks = &marks;
	rows.limit = page->limit + 1; /* chronology_page's one row more */
	rows.drawn = true;
	ah.rows = &rows;
	if (alerts)
		alerts_list_ahead(a, alerts, &ah, &alerts_q);
	summary_read_ahead(a, today, &ah, day);
	int rc = store_send_ahead(s->c, &ah);
	if (rc != STORE_OK)
		s->broken = true; /* as a failed read: the reads after take their own */
	return rc;
}

struct search_args {
	struct access_reader reader; /* decided anew for each child found */
	struct store_view view;
	const struct store_search *q;
	bool exact;
	int64_t now;
	store_conn *c;
	struct store_person *known; /* only the id: a child known to exist, nothing more */
	children_found_fn fn;
	void *ctx;
};

static int search_found(const struct store_person *p, void *arg)
{
	struct search_args *s = arg;
	int rc = access_decide_reader(s->c, &s->reader, p->id, s->now);
	if (rc != STORE_OK)
		return rc;
	if (s->reader.level > ACCESS_NONE)
		return s->fn(p, s->reader.level, s->ctx);
	if (s->exact && s->reader.level == ACCESS_NONE) { /* a sealed record (ACCESS_HIDDEN) is not even known */
		memset(s->known, 0, sizeof *s->known);
		s->known->id = p->id;
		return s->fn(s->known, ACCESS_NONE, s->ctx);
	}
	return 0;
}

static int search_run(store_conn *c, void *arg)
{
	struct search_args *s = arg;
	s->c = c;
	return store_person_search(c, &s->view, s->q, search_found, s);
}

int children_search(store *st, const struct access_reader *r, const struct store_search *q, bool exact,
		    children_found_fn fn, void *ctx)
{
	struct search_args *s = calloc(1, sizeof *s);
	int rc = STORE_EIO;
	if (s && (s->known = malloc(sizeof *s->known))) {
		s->reader = *r;
		access_list_view(r, &s->view);
		s->q = q;
		s->exact = exact;
		s->now = clock_now();
		s->fn = fn;
		s->ctx = ctx;
		rc = service_in_snapshot(st, search_run, s);
	}
	if (s)
		free(s->known);
	free(s);
	return rc;
}

static int chronology_run(store_conn *c, void *arg)
{
	struct read_args *r = arg;
	int rc = store_person_exists(c, r->a->child_id, r->found);
	if (rc == STORE_OK && *r->found)
		rc = chronology_page(c, &r->view, r->a->child_id, r->page, r->fn, r->ctx, r->end);
	return rc;
}

int children_chronology(store *st, const struct children_access *a, const struct store_page *page,
			store_event_fn fn, void *ctx, bool *found, struct children_page_end *end)
{
	*found = false;
	memset(end, 0, sizeof *end);
	if (!a->audited)
		return CHILDREN_ENOAUDIT;
	if (!may_show(a))
		return STORE_OK;
	struct read_args r = {.a = a, .ctx = ctx, .found = found, .page = page, .fn = fn, .end = end};
	access_view(&a->reader, &r.view);
	return service_in_read(st, a, chronology_run, &r);
}

/* ---- who has looked ---- */

/* Who may see who has looked at a child's record: the data protection officer answers for every record; the
 * allocated worker for their child (not once it is sealed). Both ways of asking below end here. */
static bool may_see_viewers(const char *role, bool allocated_worker_unsealed)
{
	return strcmp(role, "dpo") == 0 || allocated_worker_unsealed;
}

struct may_args {
	const char *username, *role;
	int64_t child_id;
	bool *may;
};

static int may_run(store_conn *c, void *arg)
{
	struct may_args *m = arg;
	struct store_allocation *al = malloc(sizeof *al);
	bool found = false;
	if (!al)
		return STORE_EIO;
	int rc = store_allocation_get(c, m->child_id, al, &found);
	bool sealed = false;
	if (rc == STORE_OK)
		rc = store_person_sealed(c, m->child_id, &sealed);
	/* An id that holds no child gets the same "no" as a child someone else holds. */
	*m->may = rc == STORE_OK && may_see_viewers(m->role, !sealed && found && strcmp(al->worker, m->username) == 0);
	free(al);
	return rc;
}

int children_may_see_viewers(store *st, const char *username, const char *role, int64_t child_id, bool *may)
{
	struct may_args m = {username, role, child_id, may};
	*may = false;
	return service_in_snapshot(st, may_run, &m);
}

int children_viewers_read_decided(store *st, txq *q, int64_t child_id, struct children_access *a)
{
	bool may = false;
	/* An agency's system is no one who answers for a child: refused without asking, as any other refusal. */
	int rc = a->reader.role[0] ? children_may_see_viewers(st, a->reader.username, a->reader.role, child_id, &may)
				   : STORE_OK;
	if (rc != STORE_OK)
		return rc;
	a->child_id = child_id;
	/* one entry whatever the id holds, as a refused write's: on the id asked, naming no child */
	return children_access_decided(q, a, may, "child:%lld", (long long)child_id);
}

bool children_may_see_viewers_of(const struct children_access *a)
{
	/* From what the audit's transaction decided (access.c: allocated_worker is never set for a sealed record):
	 * nothing more to read */
	return a->audited && !a->refused && a->reader.role[0] && may_see_viewers(a->reader.role, a->reader.allocated_worker);
}

struct viewers_args {
	int64_t child_id;
	int limit;
	store_audit_fn fn;
	void *ctx;
};

static int viewers_run(store_conn *c, void *arg)
{
	struct viewers_args *v = arg;
	return store_audit_reads_of_child(c, v->child_id, v->limit, v->fn, v->ctx);
}

int children_viewers(store *st, const struct children_access *a, int limit, store_audit_fn fn, void *ctx)
{
	if (!a->audited || a->refused) /* a refusal reads nothing (r-review32) */
		return CHILDREN_ENOAUDIT;
	struct viewers_args v = {a->child_id, limit, fn, ctx};
	return service_in_snapshot(st, viewers_run, &v);
}

struct glass_args {
	int64_t child_id;
	int limit;
	store_break_glass_fn fn;
	void *ctx;
};

static int glass_run(store_conn *c, void *arg)
{
	struct glass_args *g = arg;
	return store_break_glass_of_child(c, g->child_id, g->limit, g->fn, g->ctx);
}

int children_break_glass(store *st, const struct children_access *a, int limit, store_break_glass_fn fn, void *ctx)
{
	if (!a->audited || a->refused) /* a refusal reads nothing (r-review32) */
		return CHILDREN_ENOAUDIT;
	struct glass_args g = {a->child_id, limit, fn, ctx};
	return service_in_snapshot(st, glass_run, &g);
}

/* ---- who has looked, with filters (issue 15) ---- */

struct looks_args {
	int64_t child_id;
	const struct store_look_query *q;
	store_look_fn fn;
	void *ctx;
	struct store_person *child;
	bool *found;
};

static int looks_run(store_conn *c, void *arg)
{
	struct looks_args *l = arg;
	int rc = store_person_get(c, l->child_id, l->child, l->found);
	if (rc != STORE_OK || !*l->found)
		return rc;
	return store_child_looks(c, l->child_id, l->q, l->fn, l->ctx);
}

int children_looks(store *st, const struct children_access *a, const struct store_look_query *q, store_look_fn fn,
		   void *ctx, struct store_person *child, bool *found)
{
	*found = false;
	if (!a->audited || a->refused) /* a refusal reads nothing (r-review32) */
		return CHILDREN_ENOAUDIT;
	struct looks_args l = {a->child_id, q, fn, ctx, child, found};
	return service_in_snapshot(st, looks_run, &l);
}
