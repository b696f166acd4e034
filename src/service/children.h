/*
 * service/children.h — reading a child's record, each read answerable.
 *
 * A read is two steps, and the first gates the second:
 *   1. children_access_audit() queues the audit entry (who, what, which child) on the write queue; in the
 *      same transaction it decides the reader's relationship with the child (need-to-know,
 *      service/access.h) into access->reader.level, and a read that needs more than that is written as a
 *      refusal ("access.refused") instead; its done() runs once the entry is durable.
 *   2. children_read() / children_chronology() read on any connection, in one snapshot, and refuse
 *      (CHILDREN_ENOAUDIT) unless given an access whose entry is on disk; they show only what the decided
 *      relationship allows (access_view), so an edge cannot show more by asking differently.
 * So no data is read, let alone shown, that the audit does not already hold; and reads run on as many
 * threads as the server has, while the audit entries of concurrent reads share one commit.
 *
 * Which roles may read at all is decided before these are called (access_role_may); the reader's
 * relationship with the child is decided here. The audit is what makes each read answerable, refusals
 * included.
 */
#ifndef SAFEGUARD_SERVICE_CHILDREN_H
#define SAFEGUARD_SERVICE_CHILDREN_H

#include <stdbool.h>

#include "core/date.h"
#include "core/event.h"
#include "service/access.h"
#include "service/txq.h"
#include "store/store.h"

enum { CHILDREN_ENOAUDIT = -100 };

/* An audit entry's detail: room for a search's every id (web/web.c checks SEARCH_LIMIT fits). */
#define CHILDREN_DETAIL_MAX 1200

struct children_access {
	struct txq_job job; /* private */
	char actor[96];
	const char *action; /* "child.read", "chronology.read" (static strings) */
	int64_t child_id;
	char detail[CHILDREN_DETAIL_MAX]; /* no personal data: paging, purpose, ids found by a search */
	/* Who reads (access_reader_person, access_reader_system); the service sets reader.level and basis. */
	struct access_reader reader;
	/* What the read needs of the child (ACCESS_AGENCY, ACCESS_FULL): less is refused, audited as
	 * "access.refused" with the basis, and nothing is read. ACCESS_NONE: a read gated by a rule of its own
	 * (one alert, who has looked, recordings), audited as asked; its relationship is decided all the same. */
	enum access_level need;
	bool audited;       /* set when the entry is durable */
	bool refused;       /* set with audited: the read needed more than the reader has */
	bool exists;        /* whether the id held a child when audited (an attempt on no child is kept too,
			     * with no child attached, so probing ids is visible to the auditor) */
	/* Set by the caller when an object's own rule refused the read before its entry (one alert, a recording:
	 * an id that holds nothing, an object not the reader's, or one about a child they may not see, decided in
	 * one snapshot by the object's service). The entry is then "access.refused" on `object` ("alert:ID"),
	 * detail "ACTION refused: DETAIL", naming no child and asking nothing of one, and `refused` is set: a
	 * refused read is audited whatever the id holds, by the same work (r-ntk27: a refusal after an entry was
	 * told from one before any by its time). child_id is ignored. */
	bool refuse;
	char object[40];
	int rc;             /* the store's answer when it is not */
	/* Called on the write queue's completer thread when the entry is durable or has failed; must not block. */
	void (*done)(struct children_access *a);
	/* May be NULL. For the reads decided and audited in one call (alerts_read_decided, recordings_read_decided):
	 * run on the deciding thread once decided, just before the entry is queued (an edge suspends its request
	 * there, as done() may answer it at once, and may finish detail from the decision). */
	void (*hold)(struct children_access *a);
	void *ctx;
	/* The read snapshot of a page's reads (children_snapshot_begin): NULL, each read takes its own. */
	struct children_snapshot *snapshot;
	/* What the snapshot's reads sent ahead came to (children_snapshot_end sets it; store_conn_ahead_counts):
	 * on PostgreSQL a page whose ahead list (children_record_ahead) matches its reads sent as many as it took,
	 * and read nothing afresh but what depends on another read's answer (a household's members). */
	struct store_ahead_counts ahead;
};

/* Queues the audit entry of a read. */
void children_access_audit(txq *q, struct children_access *a);

/* One read snapshot for all of a page's reads made with this access once its entry is durable (issue 17:
 * the record page began and committed five; on PostgreSQL each is two more statements and round trips):
 * children_record, alerts_list, homes_child_placement and summary_read then run in it, and see one
 * consistent state. Nothing is held for an access that is not audited or was refused. A read that fails in
 * it ends its use: the reads after it take their own snapshots, as without one.
 * children_snapshot_end (also when begin failed or held nothing) hands the connection back. */
int children_snapshot_begin(store *st, struct children_access *a);
void children_snapshot_end(store *st, struct children_access *a);

/* What a reader is shown of a child, delivered piece by piece. Any callback may be NULL. A non-zero
 * return stops the walk and becomes the result. */
struct child_visitor {
	int (*person)(const struct store_person *p, void *ctx);
	int (*identifier)(const char *kind, const char *value, const char *first_seen, void *ctx);
	int (*household)(const struct store_household *h, void *ctx); /* then its members */
	int (*member)(const struct store_person *p, void *ctx);
	int (*kind)(const char *kind, const char *latest_at, void *ctx); /* each kind of event, latest first seen */
	/* with children_record: the page, as a page draws each row (store_page.drawn: no person_id,
	 * source_record_id or recorded_at) */
	int (*event)(const struct store_event *e, void *ctx);
	int (*mark)(const struct store_event *e, void *ctx);             /* with children_record: the whole history */
};

/* *found false (and nothing shown) when there is no such child. */
int children_read(store *st, const struct children_access *a, const struct child_visitor *v, void *ctx,
		  bool *found);

/* Where a page of the chronology ended: whether older events remain, and the cursor that asks for them
 * (store_page.before_at / before_id, as event_cursor_parse reads it back). */
struct children_page_end {
	bool more;
	char cursor[EVENT_CURSOR_MAX];
};

/* The whole record a page shows, in one snapshot: the child as children_read gives it, the kinds of event
 * it has, one page of its chronology (page->limit events to v->event; *end says what follows), and, for an
 * overview such as a timeline, up to marks_max of its newest events with the page's filters but from the
 * start (to v->mark). */
int children_record(store *st, const struct children_access *a, const struct child_visitor *v,
		    const struct store_page *page, int marks_max, void *ctx, bool *found, struct children_page_end *end);

/* Send now, read later (issue 17): the record page's independent reads sent to the database together in the
 * access's snapshot (children_snapshot_begin), before they are made: children_record with a visitor that
 * takes every part and this page and marks_max, alerts_list with alerts (NULL: none), summary_read with
 * today. On PostgreSQL they are then answered in one round trip with the first of them made (they took one
 * each). Nothing is sent without a snapshot or for an access that may not read. The reads are made as
 * ever, after this, audited and under the reader's view: one made otherwise reads afresh (store_send_ahead). */
struct store_alert_query;
int children_record_ahead(store *st, const struct children_access *a, const struct store_page *page, int marks_max,
			  const struct store_alert_query *alerts, struct date today);

/* Children matching a search, as the reader may see them: fn gets each child with the reader's relationship
 * with it. A child they may not see is left out, but for an exact search (NHS number, UPN: exact true), where
 * it comes with level ACCESS_NONE and a person holding only its id (known, nothing more); a sealed child is
 * never known but to the roles named for sealed records. Unlike the reads above this runs before its audit
 * entry, because the entry names the children found: the caller holds the results until the entry it then
 * queues with children_access_audit (child_id 0, the ids in detail) is durable, and shows nothing
 * otherwise. */
typedef int (*children_found_fn)(const struct store_person *p, enum access_level level, void *ctx);
int children_search(store *st, const struct access_reader *r, const struct store_search *q, bool exact,
		    children_found_fn fn, void *ctx);

#define CHRONOLOGY_PAGE_MAX 500

/* ---- who has looked ----
 * The reads of a child's record, for the allocated worker and the data protection officer only (issue 4:
 * "who has looked at this child's record"), each audited first like every other read ("viewers.read").
 * children_viewers_read_decided decides and audits it in one call (r-ntk32, as alerts_read_decided): whether this
 * person may (the DPO for every record, the allocated worker for their child not sealed; an agency's system
 * never; an id that holds no child as a child someone else holds), then a's entry queued. a: actor, action,
 * reader, detail, done, ctx and hold set by the caller, need ACCESS_NONE, refuse false. Decided, a->child_id is
 * child_id, and refused, a->refuse is set with a->object "child:ID" (one `access.refused` entry on the id asked,
 * naming no child, the same whatever the id holds); then a->hold(a) runs (the edge suspends its request, and may
 * finish detail from the decision) and the entry is queued. The store's failure to decide is returned: nothing
 * queued, no hold. The bare decision is service/service_int.h's children_may_see_viewers (`make layering`). */
int children_viewers_read_decided(store *st, txq *q, int64_t child_id, struct children_access *a);
/* The same for the person of an audited access, from what its audit decided (no read: the allocation and the
 * seal as the decision saw them, in the transaction of the audit entry). */
bool children_may_see_viewers_of(const struct children_access *a);
/* children_viewers, children_break_glass and children_looks read nothing for an access whose entry is not durable or
 * was a refusal (CHILDREN_ENOAUDIT): a refusal decided by an object's rule keeps the child it named (r-review32). */
int children_viewers(store *st, const struct children_access *a, int limit, store_audit_fn fn, void *ctx);
/* The child's break-glass openings with their reasons, newest first, for the same readers under the same
 * audit entry ("viewers.read"): the reason may name people, so it is shown only there. */
int children_break_glass(store *st, const struct children_access *a, int limit, store_break_glass_fn fn, void *ctx);
/* The same reads with who each names (agency, role) and filters (store_look_query), and the child they are
 * about (*found false when the id holds no child), under the same audit entry ("viewers.read"). */
int children_looks(store *st, const struct children_access *a, const struct store_look_query *q, store_look_fn fn,
		   void *ctx, struct store_person *child, bool *found);
#define CHRONOLOGY_PAGE_DEFAULT 100

/* One page of the child's multi-agency chronology, newest first: page->limit events to fn, and where the
 * page ended in *end. */
int children_chronology(store *st, const struct children_access *a, const struct store_page *page,
			store_event_fn fn, void *ctx, bool *found, struct children_page_end *end);

#endif
