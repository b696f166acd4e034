/*
 * store/store.h — the only door to the database.
 *
 * A store is opened from a URL ("sqlite:PATH" today; "postgresql://..." is the next backend) and hands out
 * connections. Everything above this header sees the two opaque types and the functions below; SQL, the
 * dialect and the driver live behind it in one backend file each (store/sqlite.c), dispatched through
 * struct store_ops (store_int.h). Adding a backend adds a file and a row in store.c, nothing above.
 *
 * Threads: a store is shared by every thread; a store_conn is used by one thread at a time (take it with
 * store_conn_get, give it back with store_conn_put).
 *
 * Transactions: the caller (service/) owns them. store_begin starts a write transaction; every store_* call
 * that writes must run inside one. Savepoints nest inside it so that one job of a group commit can fail
 * without undoing the others (service/txq.c).
 *
 * Errors: 0 on success, a negative STORE_E* on failure. "Not found" is not a failure: finders set *found.
 * store_conn_errmsg() says what the database said; it never holds personal data (values are bound, not
 * interpolated, so they do not appear in messages).
 *
 * Strings handed to callbacks are valid only for the duration of the callback.
 */
#ifndef SAFEGUARD_STORE_STORE_H
#define SAFEGUARD_STORE_STORE_H

/* The contract, one header per area (issue 17); including store.h includes them all. */
#include "store/store_core.h"
#include "store/store_clients.h"
#include "store/store_people.h"
#include "store/store_events.h"
#include "store/store_alerts.h"
#include "store/store_linkage.h"
#include "store/store_users.h"
#include "store/store_access.h"
#include "store/store_flags.h"
#include "store/store_recordings.h"
#include "store/store_audit.h"
#include "store/store_homes.h"
#include "store/store_lado.h"
#include "store/store_speakup.h"
#include "store/store_bulk.h"

#endif
