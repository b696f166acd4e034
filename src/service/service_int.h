/*
 * service/service_int.h — what the service modules share and nothing above them uses.
 */
#ifndef SAFEGUARD_SERVICE_INT_H
#define SAFEGUARD_SERVICE_INT_H

#include "store/store.h"

/* Runs fn in one read snapshot on a pooled connection (service/children.c). */
int service_in_snapshot(store *st, int (*fn)(store_conn *c, void *arg), void *arg);

struct children_access;
/* The same, in the access's page snapshot when it holds one (children_snapshot_begin). */
int service_in_read(store *st, const struct children_access *a, int (*fn)(store_conn *c, void *arg), void *arg);

/* ---- a write's decision and its refusal's entry, apart (service/access.c) ----
 * The edges have only access_write_checked and access_write_decided (service/access.h), which pair the two; a
 * service whose own decision comes first (alerts_write_decided: alerts_reader_may) queues the entry with
 * access_write_refuse. `make layering` keeps these from the edges. */
#include "service/access.h"

/* In the caller's transaction, no entry written: for the functions of service/access.c. */
int access_write_check(store_conn *c, const struct access_writer *w, int64_t child_id, int64_t now,
		       enum access_write what, bool *allowed, char basis[ACCESS_BASIS_MAX]);
/* Queues the refusal's entry (r filled: the actor copied, the rest as given); done(r) runs once it is durable or
 * has failed. */
void access_write_refuse(txq *q, struct access_write_refusal *r, const char *actor, enum access_write what,
			 const char *action, int64_t id, void (*done)(struct access_write_refusal *r));

#endif
