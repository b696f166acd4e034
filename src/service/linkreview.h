/*
 * service/linkreview.h — review tasks of record linkage, the decisions on them, merges and their undoing.
 *
 * Intake queues a task when identity_resolve() (service/identity.h) is unsure: the record's person (new, or
 * the one it was linked to) may be the candidate. A reviewer sees the two side by side with each field's
 * level and contribution (the explanation, JSON) and decides:
 *   - "same": the younger person is merged into the older (store_person_merge: source records, events,
 *     identifiers, alerts and household memberships move, each row listed, source records keep what the
 *     agency sent); the merge can be undone (store_person_unmerge), which puts back exactly the rows moved;
 *   - "different": the pair is refused (store_link_refusal_add) and is never linked or asked about again
 *     without a person saying so.
 * A task about a sealed person is not there: not listed, not found, not decided. Every write runs in the
 * caller's transaction (a txq job) with its audit entry; reads go audit-first (service/children.h).
 *
 * Who reviews is the role policy's (ACT_LINK_REVIEW, service/access.h).
 */
#ifndef SAFEGUARD_SERVICE_LINKREVIEW_H
#define SAFEGUARD_SERVICE_LINKREVIEW_H

#include <stdbool.h>
#include <stdint.h>

#include "service/children.h"
#include "service/identity.h"
#include "store/store.h"

#define LINKREVIEW_REASON_MIN 5
#define LINKREVIEW_REASON_MAX 500 /* characters */

/* Queues the task of m (m->review_candidate set) for the record just stored. Audited ("link_review.create",
 * no personal data). */
int linkreview_queue(store_conn *c, const char *actor, int64_t source_record_id, int64_t person_id,
		     const struct identity_subject *s, const struct identity_match *m, int64_t *id);

enum linkreview_result {
	LINKREVIEW_DONE,
	LINKREVIEW_NOT_FOUND, /* no such task (or merge), or it concerns a sealed person */
	LINKREVIEW_DECIDED,   /* decided before (or, for an undo, undone before) */
	LINKREVIEW_GONE,      /* one of the two persons has since been merged into another: decide on that one */
	LINKREVIEW_LATER,     /* undo: a later merge involving either person stands; undo that first */
};

/* Decides a task. same: merges (*merge_id gets the merge); otherwise refuses the pair. agency: the reviewer's;
 * a task or merge about a person the reviewer's view does not know (known only from records their agency may
 * not see, r-ntk24) is as absent as one about a sealed person, as in the queue. */
int linkreview_decide(store_conn *c, const char *actor, const char *agency, int64_t id, bool same, const char *reason,
		      enum linkreview_result *res, int64_t *merge_id);

/* Undoes a merge, with a reason; *res LINKREVIEW_NOT_FOUND, _DECIDED (undone before), _LATER or _DONE. */
int linkreview_unmerge(store_conn *c, const char *actor, const char *agency, int64_t merge_id, const char *reason,
		       enum linkreview_result *res);
/* The rule linkreview_unmerge applies (pure): a merge undone before is LINKREVIEW_DECIDED; one that a later
 * merge still standing involves (either person kept or merged in it: it may have moved the same rows) is
 * LINKREVIEW_LATER (undo that one first); otherwise LINKREVIEW_DONE (it may be undone). involving: the
 * merges either person was part of, in any order (m itself among them or not). */
enum linkreview_result linkreview_unmerge_check(const struct store_merge *m, const struct store_merge *involving,
						size_t n);

/* ---- reads, once the access's audit entry is durable (children_access_audit) ---- */

/* Open tasks, oldest first; none about a sealed person, nor about one the reader's view does not know
 * (VIEW_PERSON, r-ntk24). */
int linkreview_list(store *st, const struct children_access *a, int limit, store_link_review_fn fn, void *ctx);
/* One task; out->explanation is the caller's to free(). *found false for a task about a sealed person, or about one the reader's view does not know. */
int linkreview_get(store *st, const struct children_access *a, int64_t id, struct store_link_review *out,
		   bool *found);
int linkreview_merge_get(store *st, const struct children_access *a, int64_t id, struct store_merge *out,
			 bool *found);

#endif
