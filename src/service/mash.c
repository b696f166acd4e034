#include "service/mash.h"

#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock/clock.h"
#include "core/event.h"
#include "service/alerts.h"
#include "service/audit.h"
#include "service/intake.h"
#include "service/service_int.h"

static const struct mash_outcome outcomes[] = {
	{"nfa", "No further action", "No concerns that need children's social care; the referrer is told why.", NULL},
	{"early_help", "Early help", "Needs met by early help or universal services, with the family's agreement.",
	 NULL},
	{"s17", "Child in need: section 17 assessment",
	 "A social worker assesses the child's needs (within 45 working days).", "assessment"},
	{"s47", "Section 47 enquiry: hold a strategy discussion",
	 "Reasonable cause to suspect significant harm: police, health and social care meet by the next working day.",
	 "strategy"},
	{"immediate_protection", "Immediate protection",
	 "The child needs protecting now (police protection or an emergency protection order), with a strategy "
	 "discussion.",
	 "strategy"},
};

const struct mash_outcome *mash_outcome_at(size_t i)
{
	return i < sizeof outcomes / sizeof outcomes[0] ? &outcomes[i] : NULL;
}

const struct mash_outcome *mash_outcome_find(const char *code)
{
	for (size_t i = 0; code && i < sizeof outcomes / sizeof outcomes[0]; i++)
		if (strcmp(outcomes[i].code, code) == 0)
			return &outcomes[i];
	return NULL;
}

struct date mash_due(struct date received)
{
	struct rules_settings s;
	rules_settings_default(&s);
	/* Working Together 2023: a decision within one working day of the referral being received. */
	return clock_add_working_days(NULL, received, s.referral_decision_working_days);
}

/* ---- the queue ---- */

/* The UTC instant at which England's date d begins. */
static void uk_midnight(struct date d, char out[STORE_TS_LEN + 1])
{
	int64_t local = date_to_days(d) * 86400;
	ts_format_utc(local - (ts_uk_local(local - 3600) - (local - 3600)), out);
}

struct queue_args {
	struct store_view view;
	struct store_mash_query q;
	store_mash_fn fn;
	void *ctx;
	int64_t *total, event_id, *child_id;
	bool *found;
	/* a page of the queue: rows given to fn so far, at most page_rows; one more read says a next page */
	int rows, page_rows;
	bool last;
	struct mash_page *out;
	char last_at[STORE_TS_LEN + 1]; /* the last row given to fn, in the list's order */
	int64_t last_id;
};

/* A row as the reader may see it: the contact by the list's view, and the decision on it, an event of its own,
 * by the same view, both decided by the store's one rule (store_alerts.h decision_shown; access.h explains what
 * can differ). A decision the reader may not see leaves the row decided (so that nobody decides it twice) and
 * says nothing of what, who, when or why. */
static int shown_row(const struct store_mash_item *m, void *ctx)
{
	struct queue_args *a = ctx;
	if (a->page_rows && a->rows >= a->page_rows) { /* the row after the page: there is a next page */
		a->out->next = true;
		return 0;
	}
	a->rows++;
	snprintf(a->last_at, sizeof a->last_at, "%s", m->event.occurred_at);
	a->last_id = m->event.id;
	if (!m->decision_id || m->decision_shown)
		return a->fn(m, a->ctx);
	struct store_mash_item *w = malloc(sizeof *w);
	if (!w)
		return STORE_EIO;
	*w = *m;
	w->decided_at[0] = w->outcome[0] = w->decided_by[0] = '\0';
	w->reason = "";
	w->decision_withheld = true;
	int rc = a->fn(w, a->ctx);
	free(w);
	return rc;
}

static int queue_run(store_conn *c, void *arg)
{
	struct queue_args *a = arg;
	if (a->last) { /* the last page: its rows from the list's end, as many as the count leaves for it */
		int rc;
		a->q.count_only = true;
		if ((rc = store_mash_queue(c, &a->view, &a->q, shown_row, a, a->total)) != STORE_OK)
			return rc;
		a->q.count_only = false;
		if (*a->total > 0 && *a->total <= MASH_COUNT_MAX) {
			a->out->page = (int)((*a->total + MASH_PAGE_SIZE - 1) / MASH_PAGE_SIZE);
			a->q.before = true;
			a->q.limit = (int)(*a->total - (int64_t)(a->out->page - 1) * MASH_PAGE_SIZE);
			a->page_rows = 0;
		} else { /* no last page known: the first */
			a->out->page = 1;
		}
	}
	int rc = store_mash_queue(c, &a->view, &a->q, shown_row, a, a->total);
	if (rc != STORE_OK || !a->q.before || !a->q.key_at)
		return rc;
	if (a->rows == MASH_PAGE_SIZE) {
		a->out->next = true; /* the key's row comes after */
		return rc;
	}
	/* Fewer rows before the key than a page (rows before it were decided since the link was made): they are
	 * the list's first, so this is its first page, filled as the first page by number is with the rows that
	 * follow them (from the key's row on). Alone they made a short first page whose next link started from
	 * the key, numbered 2 ("Showing 26 to 30 of 7"; r-review41). */
	a->out->page = 1;
	a->q.before = false;
	a->q.key_at = a->rows ? a->last_at : NULL;
	a->q.key_id = a->rows ? a->last_id : 0;
	a->q.offset = 0;
	a->q.limit = MASH_PAGE_SIZE - a->rows + 1;
	a->page_rows = MASH_PAGE_SIZE;
	return store_mash_queue(c, &a->view, &a->q, shown_row, a, a->total);
}

int64_t mash_count_bound(int page)
{
	int64_t last = (int64_t)(page > 1 ? page : 1) * MASH_PAGE_SIZE;
	return last > MASH_COUNT_MAX ? last : MASH_COUNT_MAX;
}

int mash_queue(store *st, const struct children_access *a, const struct mash_filter *f, struct date today,
	       store_mash_fn fn, void *ctx, struct mash_page *out)
{
	char from[STORE_TS_LEN + 1], before[STORE_TS_LEN + 1];
	memset(out, 0, sizeof *out);
	out->page = f->page > 1 ? f->page : 1;
	if (!a->audited)
		return CHILDREN_ENOAUDIT;
	struct queue_args args = {.fn = fn, .ctx = ctx, .total = &out->total, .out = out};
	access_list_view(&a->reader, &args.view);
	args.q.decided = f->decided;
	args.q.agency = f->agency && f->agency[0] ? f->agency : NULL;
	args.q.name = f->name && f->name[0] ? f->name : NULL;
	/* one row more than the page, to know whether a next page exists (not before a key: the key's row is next) */
	args.page_rows = MASH_PAGE_SIZE;
	args.q.limit = MASH_PAGE_SIZE + 1;
	if (f->last) {
		args.last = true;
		args.q.count_max = MASH_COUNT_MAX;
	} else if (f->key_at) {
		args.q.key_at = f->key_at;
		args.q.key_id = f->key_id;
		args.q.before = f->before;
		args.q.count_max = MASH_COUNT_MAX;
		if (f->before) {
			args.q.limit = MASH_PAGE_SIZE;
			args.page_rows = 0;
		}
	} else {
		args.q.offset = (out->page - 1) * MASH_PAGE_SIZE;
		args.q.count_max = mash_count_bound(out->page);
	}
	out->bound = args.q.count_max;
	if (f->age == MASH_AGE_OVERDUE || f->age == MASH_AGE_NOT_OVERDUE) {
		/* The last day of receipt whose decision is overdue today: mash_due grows with the day received, so
		 * walk back from yesterday (a working day is never more than a fortnight away: bounded). */
		struct date d = clock_add_days(today, -1);
		for (int i = 0; i < 14 && date_cmp(mash_due(d), today) >= 0; i++)
			d = clock_add_days(d, -1);
		uk_midnight(clock_add_days(d, 1), f->age == MASH_AGE_OVERDUE ? before : from);
		if (f->age == MASH_AGE_OVERDUE)
			args.q.received_before = before;
		else
			args.q.received_from = from;
	} else if (f->age == MASH_AGE_OLD) {
		uk_midnight(clock_add_days(today, -28), before);
		args.q.received_before = before;
	}
	return service_in_snapshot(st, queue_run, &args);
}

static int item_run(store_conn *c, void *arg)
{
	struct queue_args *a = arg;
	return store_mash_item(c, &a->view, a->event_id, shown_row, a);
}

int mash_item(store *st, const struct children_access *a, int64_t event_id, store_mash_fn fn, void *ctx)
{
	if (!a->audited)
		return CHILDREN_ENOAUDIT;
	struct queue_args args = {.fn = fn, .ctx = ctx, .event_id = event_id};
	access_view(&a->reader, &args.view);
	return service_in_snapshot(st, item_run, &args);
}

static int child_row(const struct store_mash_item *m, void *ctx)
{
	struct queue_args *a = ctx;
	*a->child_id = m->event.person_id;
	*a->found = true;
	return 0;
}

int mash_child_of(store *st, const struct access_reader *reader, int64_t event_id, int64_t *child_id, bool *found)
{
	struct queue_args args = {.event_id = event_id, .child_id = child_id, .found = found};
	*child_id = 0;
	*found = false;
	/* Only to learn whose it is; the audited read decides the rest. A sealed child's contact is not found, as
	 * a sealed child is nowhere in a list (nobody who reaches the MASH pages sees sealed records); nor, for a
	 * reader, a contact their list view leaves out (a health-only one) of a child it does not know: else that
	 * id was the record's refusal (403) where an id with no contact is "not found" (404), saying a health-only
	 * service has a contact about a child they cannot find (r-review44). Only the view's category part is
	 * asked: the agency part (an own agency's reader) is the audited read's. */
	if (reader) {
		access_list_view(reader, &args.view);
		args.view.agency = NULL;
	}
	args.view.sealed = false;
	args.fn = child_row;
	args.ctx = &args;
	return service_in_snapshot(st, item_run, &args);
}

/* ---- the decision ---- */

struct decide_item {
	bool found;
	int64_t child_id, decision_id;
};

static int decide_row(const struct store_mash_item *m, void *ctx)
{
	struct decide_item *it = ctx;
	it->found = true;
	it->child_id = m->event.person_id;
	it->decision_id = m->decision_id;
	return 0;
}

int mash_decide(store_conn *c, struct mash_decision *d)
{
	struct decide_item it = {0};
	struct store_view seen;
	struct access_reader reader;
	char basis[ACCESS_BASIS_MAX], object[48], source_ref[48];
	bool allowed = false;
	const struct mash_outcome *o = mash_outcome_find(d->outcome);
	d->result = MASH_NO_ITEM;
	d->child_id = d->decision_id = 0;
	memset(&d->due, 0, sizeof d->due);
	if (!o)
		return STORE_EIO; /* the caller checks the outcome: a bug, not bad input */
	/* The item as the writer's list view shows it, as mash_child_of finds it for the item's page (r-ntk25): a
	 * contact the view leaves out (health's under a health-only category, to a writer outside health) or a
	 * sealed child's is no item, decided or not, so its id answers as an id with no contact does (MASH_NO_ITEM),
	 * never "already decided", which would say that a contact they may not see exists and was decided. Only
	 * the view's category part and seal are asked; the agency part is the write check's. */
	access_reader_person(&reader, d->writer->user_id, d->writer->username, d->writer->agency,
			     d->writer->role ? d->writer->role : "");
	access_list_view(&reader, &seen);
	seen.agency = NULL;
	int rc = store_mash_item(c, &seen, d->event_id, decide_row, &it);
	if (rc != STORE_OK)
		return rc;
	const struct access_write_ask ask = {d->writer, d->actor, WRITE_MASH_DECISION, NULL, d->event_id};
	if (!it.found) /* refused and audited as every refused write, naming no child (r-ntk30): nothing found */
		return access_write_checked(c, &ask, 0, 0, d->now, &allowed, basis);
	/* "Already decided" before the refusal: once decided, the MASH no longer triages the child (its access
	 * ends with the decision), and a second MASH worker must hear that someone decided, not that they may
	 * not. Only people whose role reaches the MASH pages get here, and the queue lists decided items anyway
	 * (those their view shows: above). */
	if (it.decision_id) {
		d->result = MASH_ALREADY_DECIDED;
		return STORE_OK;
	}
	if ((rc = access_write_checked(c, &ask, it.child_id, 0, d->now, &allowed, basis)) != STORE_OK)
		return rc;
	if (!allowed) { /* its entry written by the decision */
		d->result = MASH_REFUSED;
		return STORE_OK;
	}
	d->child_id = it.child_id;

	json_t *details = json_pack("{s:s, s:s, s:I, s:s}", "outcome", o->code, "reason", d->reason, "contact_event_id",
				    (json_int_t)d->event_id, "decided_by", d->writer->username);
	char *text = details ? json_dumps(details, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	size_t sumsz = strlen(o->label) + strlen(d->reason) + 64;
	char *summary = malloc(sumsz);
	json_decref(details);
	if (!text || !summary) {
		free(text);
		free(summary);
		return STORE_EIO;
	}
	snprintf(summary, sumsz, "MASH decision: %s. Reason: %s", o->label, d->reason);
	/* One decision per item: the item's id is the record's reference, so a second one is intake's conflict. */
	snprintf(source_ref, sizeof source_ref, "mash-decision-%lld", (long long)d->event_id);
	struct intake_request rq = {.actor = d->actor, .source_ref = source_ref, .kind = "referral_decision",
				    .summary = summary, .details = text, .payload = text,
				    .known_child_id = it.child_id, .alerts = d->alerts};
	snprintf(rq.agency, sizeof rq.agency, "%s", EVENT_REFERRAL_DECIDER);
	ts_format_utc(d->now, rq.occurred_at);
	crypto_generichash(rq.payload_hash, sizeof rq.payload_hash, (const unsigned char *)text, strlen(text), NULL, 0);
	struct intake_result res;
	rc = intake_apply(c, &rq, &res);
	free(summary);
	free(text);
	if (rc != STORE_OK)
		return rc;
	if (res.outcome != INTAKE_CREATED) {
		d->result = MASH_ALREADY_DECIDED;
		return STORE_OK;
	}
	d->decision_id = res.event_id;
	snprintf(object, sizeof object, "event:%lld", (long long)d->event_id);
	struct store_audit a = {.actor = d->actor, .action = "mash.decide", .child_id = it.child_id, .object = object,
				.detail = o->code};
	if ((rc = audit_append(c, &a)) != STORE_OK)
		return rc;
	struct rules_settings defaults;
	const struct rules_settings *s = d->alerts ? &d->alerts->rules : NULL;
	if (!s) {
		rules_settings_default(&defaults);
		s = &defaults;
	}
	struct date today = ts_utc_date(ts_uk_local(d->now));
	if (o->clock && strcmp(o->clock, "strategy") == 0)
		d->due = clock_add_working_days(s->calendar, today, s->strategy_discussion_working_days);
	else if (o->clock && strcmp(o->clock, "assessment") == 0)
		d->due = clock_add_working_days(s->calendar, today, s->assessment_working_days);
	d->result = MASH_DECIDED;
	return STORE_OK;
}

struct oldest {
	int64_t *ids;
	int max, *n;
};

static int oldest_row(const struct store_mash_item *m, void *ctx)
{
	struct oldest *o = ctx;
	if (*o->n < o->max)
		o->ids[(*o->n)++] = m->event.id;
	return 0;
}

int mash_oldest_awaiting(store_conn *c, int64_t *ids, int max, int *n)
{
	struct store_view whole = {.sealed = false};
	struct store_mash_query q = {.limit = max, .count_max = 1}; /* the total is not read */
	struct oldest o = {ids, max, n};
	int64_t total = 0;
	*n = 0;
	return store_mash_queue(c, &whole, &q, oldest_row, &o, &total);
}
