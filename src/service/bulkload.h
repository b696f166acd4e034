/*
 * service/bulkload.h — a synthetic area loaded straight into the store through its bulk path (store_bulk.h:
 * COPY on PostgreSQL), for the scale benchmark (bench/scale.sh, docs/BENCHMARKS.md): children with their NHS
 * number and the blocking keys intake would give them, and a chronology of events each, from many agencies.
 * Not intake: no linkage, no rules; what intake would have left in the tables, at the size of a whole
 * region. Deterministic: the same seed gives the same area.
 */
#ifndef SAFEGUARD_SERVICE_BULKLOAD_H
#define SAFEGUARD_SERVICE_BULKLOAD_H

#include <stdint.h>

#include "store/store.h"

struct bulkload_opts {
	int64_t children;         /* how many children */
	int events_per_child;     /* events each (>= 1) */
	uint64_t seed;
	int64_t chunk;            /* children per transaction (0: 10,000) */
	const char *actor;        /* for the audit entry */
	/* called after each committed chunk with the children loaded so far (may be NULL) */
	void (*progress)(int64_t done, int64_t total, void *ctx);
	void *ctx;
};

struct bulkload_result {
	int64_t children, events, first_child_id, last_child_id;
};

/* Loads the area: one transaction per chunk, each whole or not at all (a failed chunk stops the load with
 * its STORE_E*; the chunks before it stay). Negative on failure. */
int bulkload_area(store *st, const struct bulkload_opts *o, struct bulkload_result *out);

#endif
