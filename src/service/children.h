/*
 * service/children.h — reading a child's record. Every read appends an audit entry (who, what, which
 * child) in the same transaction, so a read that was shown was recorded. Run inside a txq job.
 *
 * Until the access-control issue brings the policy module, any authenticated agency client may read any
 * child; the audit is what makes each read answerable.
 */
#ifndef SAFEGUARD_SERVICE_CHILDREN_H
#define SAFEGUARD_SERVICE_CHILDREN_H

#include <stdbool.h>

#include "store/store.h"

/* What a reader is shown of a child, delivered piece by piece. Any callback may be NULL. A non-zero
 * return stops the walk and becomes the result. */
struct child_visitor {
	int (*person)(const struct store_person *p, void *ctx);
	int (*identifier)(const char *kind, const char *value, const char *first_seen, void *ctx);
	int (*household)(const struct store_household *h, void *ctx); /* then its members */
	int (*member)(const struct store_person *p, void *ctx);
};

/* *found false (and nothing shown) when there is no such child; the attempt is audited either way. */
int children_read(store_conn *c, const char *actor, int64_t child_id, const struct child_visitor *v, void *ctx,
		  bool *found);

#define CHRONOLOGY_PAGE_MAX 500
#define CHRONOLOGY_PAGE_DEFAULT 100

/* One page of the child's multi-agency chronology, newest first. page->limit counts the one extra row the
 * caller asks for to learn whether a next page exists. */
int children_chronology(store_conn *c, const char *actor, int64_t child_id, const struct store_page *page,
			store_event_fn fn, void *ctx, bool *found);

#endif
