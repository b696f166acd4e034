/*
 * service/mash.h — the MASH's front door: the queue of contacts and referrals with its filters and pages, one
 * item, and the decision on it with its reason.
 *
 * The decisions are Working Together 2023's next steps after a referral (../shared/design/DOMAIN.md): no further
 * action, early help, a child in need assessment under section 17, a strategy discussion for a section 47
 * enquiry, or immediate protection (police protection or an emergency protection order, with a strategy
 * discussion). A referral to the police is no outcome of its own: the police sit in the MASH and in the
 * strategy discussion. The decision is a `referral_decision` event on the child's chronology, written through
 * intake in the write's transaction with its audit entry; the rules then start the clock it needs
 * (rules/rules.c: STRATEGY_DISCUSSION_OVERDUE, ASSESSMENT_OVERDUE) and the item leaves "awaiting". Only social
 * care's referral decision answers an item (core/event.h's EVENT_REFERRAL_DECIDER): one another agency sends
 * through intake is that agency's own record on the chronology, and the item still awaits the MASH.
 */
#ifndef SAFEGUARD_SERVICE_MASH_H
#define SAFEGUARD_SERVICE_MASH_H

#include <stdbool.h>
#include <stdint.h>

#include "core/date.h"
#include "service/access.h"
#include "service/children.h"
#include "store/store.h"

struct alerts_config;

/* ---- the decisions ---- */

struct mash_outcome {
	const char *code;  /* kept in the event's details.outcome: "s47" */
	const char *label; /* "Section 47 enquiry: hold a strategy discussion" */
	const char *hint;  /* one line under the radio button */
	const char *clock; /* "strategy", "assessment" or NULL: what the decision starts */
};
const struct mash_outcome *mash_outcome_at(size_t i); /* NULL past the end */
const struct mash_outcome *mash_outcome_find(const char *code);

#define MASH_REASON_MAX 2000 /* characters */
#define MASH_PAGE_SIZE 25

/* ---- the queue ---- */

enum mash_age {
	MASH_AGE_ANY = 0,
	MASH_AGE_OVERDUE,     /* the decision's due date (one working day after receipt) has passed */
	MASH_AGE_NOT_OVERDUE, /* due today or later */
	MASH_AGE_OLD,         /* received more than 28 days ago */
};

struct mash_filter {
	bool decided;
	const char *agency; /* NULL: every agency */
	enum mash_age age;
	const char *name;   /* NULL: anyone */
	int page;           /* from 1 */
	/* The pages' links carry the row they continue from (web/mash_pages.c), so that a page far into a list
	 * costs what the first costs: key_at set, the page holds the rows after the row (key_at, key_id) in the
	 * list's order, or with before the rows just before it; page is then the number the link gave it. last: the
	 * list's last page, read from its end, its number set by the count (the first page when there are more
	 * than MASH_COUNT_MAX). Neither: page by number (OFFSET: reads every row before it). */
	const char *key_at;
	int64_t key_id;
	bool before, last;
};

/* What a page found beside its rows. */
struct mash_page {
	int64_t total; /* at most bound + 1: more than bound says "more than bound" */
	int64_t bound; /* how far it was counted (mash_count_bound) */
	int page;      /* the page's number: the filter's, the last page's, or 1 when before found the start */
	bool next;     /* a row comes after the page's last */
};

/* The decision on an item received on `received` (England's date) is due on (Working Together 2023: one
 * working day). */
struct date mash_due(struct date received);

/* How far the lists count: a page's *total above mash_count_bound(page) means "more than" it, and no more is
 * known. A MASH's queue holds what came in since the last working day, tens to a few hundred items, which
 * the heading gives exactly; past 1,000 the front door is overwhelmed and the exact figure changes nothing a
 * manager does, while counting it read every contact of the area for every page (0.2-0.4 s of CPU on SQLite,
 * 0.6-3 s on PostgreSQL at 300,000 contacts: docs/BENCHMARKS.md, r-mashcnt21). The decisions grow for
 * years: their count past 1,000 is history, not work. A page past the 1,000th item counts to its own last
 * row, so that it knows whether a next page exists. */
#define MASH_COUNT_MAX 1000
int64_t mash_count_bound(int page);

/* One page of the queue as the reader may see it (a is audited: web_read_start), by today's date, in the
 * list's order. A page by number counts to mash_count_bound(f->page), one reached by a key to MASH_COUNT_MAX:
 * its rows and whether a next page exists do not depend on the count, and counting to a far page read every
 * row before it. A page before a key that finds fewer than MASH_PAGE_SIZE rows (rows before it were decided
 * since the link was made) is the list's first page, filled with the rows that follow them. */
int mash_queue(store *st, const struct children_access *a, const struct mash_filter *f, struct date today,
	       store_mash_fn fn, void *ctx, struct mash_page *out);
/* One item, for a page about it (a audited at the level the page needs, for a->child_id). */
int mash_item(store *st, const struct children_access *a, int64_t event_id, store_mash_fn fn, void *ctx);
/* Which child an item is about, read outside any audit to decide the audited read: nothing of it is shown.
 * reader: whose item it is to be (NULL: anyone's); a contact its list view leaves out whose child it does not know
 * (r-ntk24: known only from health-only records) is not found, as one of a sealed child (r-review44). */
int mash_child_of(store *st, const struct access_reader *reader, int64_t event_id, int64_t *child_id, bool *found);

/* ---- the decision ---- */

enum mash_decision_result {
	MASH_DECIDED = 0,
	MASH_NO_ITEM,         /* no contact or referral with this id that the writer's view shows (r-ntk25) */
	MASH_ALREADY_DECIDED, /* a decision already answered it: nothing written */
	MASH_REFUSED,         /* the writer may not decide for this child (service/access.h WRITE_MASH_DECISION) */
};

struct mash_decision {
	const struct access_writer *writer;
	const char *actor;  /* "user:ID:USERNAME" */
	int64_t event_id;   /* the contact or referral */
	const char *outcome; /* a mash_outcome code, checked by the caller */
	const char *reason;
	const struct alerts_config *alerts;
	int64_t now;
	/* out */
	enum mash_decision_result result;
	int64_t child_id, decision_id;
	struct date due; /* the clock started, when the outcome starts one ({0,0,0} otherwise) */
};

/* Must run inside a write transaction (a txq job). */
int mash_decide(store_conn *c, struct mash_decision *d);
/* The ids of the oldest items awaiting a decision, up to max, in the caller's transaction: for batch tools
 * (the demo) that decide as the MASH would; no reader, no view. */
int mash_oldest_awaiting(store_conn *c, int64_t *ids, int max, int *n);

#endif
