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

#endif
