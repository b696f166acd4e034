/*
 * store/store_audit.h — the audit.
 * One part of the store's contract (issue 17): store/store.h includes every part.
 */
#ifndef SAFEGUARD_STORE_STORE_AUDIT_H
#define SAFEGUARD_STORE_STORE_AUDIT_H

#include "store/store_core.h"
#include "store/store_alerts.h"

/* ---- audit ------------------------------------------------------------------------------------------- */

struct store_audit {
	const char *actor;  /* "client:3:police", "cli", "user:..." */
	const char *action; /* "event.create", "child.read", "chronology.read", "token.create" */
	int64_t child_id;   /* 0 when the entry concerns no child */
	const char *object; /* what was touched: "event:42" */
	const char *detail; /* no personal data: ids, counts, outcomes */
	/* The chain (service/audit.h fills them; nothing else appends): the entry's number, its time, and
	 * BLAKE2b-256 over the previous entry's hash and this entry. */
	int64_t id;
	const char *at;     /* YYYY-MM-DDTHH:MM:SSZ */
	const uint8_t *hash;
};

#define STORE_AUDIT_HASH_LEN 32

/* Appends one entry with the id, time and hash it carries. Use audit_append (service/audit.h). */
int store_audit_append(store_conn *c, const struct store_audit *a);
/* The newest entry's id and hash (*found false on an empty audit; hash zero when the newest has none). */
int store_audit_last(store_conn *c, int64_t *id, uint8_t hash[STORE_AUDIT_HASH_LEN], bool *found);
/* Every entry in id order, for verification; hash NULL when the row has none. */
typedef int (*store_audit_fn)(const struct store_audit *a, void *ctx);
int store_audit_each(store_conn *c, store_audit_fn fn, void *ctx);
/* Entries that have no hash (written before schema 5), oldest first; store_audit_seal gives one its hash
 * (the only change the audit table allows, once). */
int store_audit_unsealed(store_conn *c, store_audit_fn fn, void *ctx);
int store_audit_seal(store_conn *c, int64_t id, const uint8_t hash[STORE_AUDIT_HASH_LEN]);

/* Who has looked at a child: the entries about the child whose action is a read (child.read,
 * chronology.read, alert.read, flags.lookup, viewers.read, recordings.list, recording.download, recording.play), a refused read
 * (access.refused), a break-glass opening or a placement recorded (placement.record: the writer saw enough of
 * the child to place them), newest first. */
int store_audit_reads_of_child(store_conn *c, int64_t child_id, int limit, store_audit_fn fn, void *ctx);
/* Entries filtered by action, child (> 0), object and time (at >= since, UTC "YYYY-MM-DDTHH:MM:SSZ"); NULL or
 * "" (0 for the child) for none; newest first, up to limit (0: all). For `safeguard audit list`. */
struct store_audit_query {
	const char *action, *object, *since;
	int64_t child_id;
	int64_t limit;
};
int store_audit_list(store_conn *c, const struct store_audit_query *q, store_audit_fn fn, void *ctx);
/* The same with who each entry names (their agency and role, from their account or token), filtered: from/to
 * UTC instants (at >= from, at < to), agency; NULL or "" for none; newest first, up to limit. */
struct store_look_query {
	const char *from, *to, *agency;
	int limit;
};
struct store_look {
	struct store_audit a;
	char agency[STORE_CODE_MAX + 1], role[STORE_CODE_MAX + 1], username[STORE_USER_MAX + 1];
};
typedef int (*store_look_fn)(const struct store_look *l, void *ctx);
int store_child_looks(store_conn *c, int64_t child_id, const struct store_look_query *q, store_look_fn fn, void *ctx);

/* Signed checkpoints of the chain: entry audit_id had hash, signed (Ed25519) by the server's key. */
#define STORE_SIGN_PUBLIC_LEN 32
#define STORE_SIGNATURE_LEN 64
struct store_checkpoint {
	int64_t audit_id;
	uint8_t hash[STORE_AUDIT_HASH_LEN];
	char at[STORE_TS_LEN + 1];
	uint8_t public_key[STORE_SIGN_PUBLIC_LEN];
	uint8_t signature[STORE_SIGNATURE_LEN];
	bool well_formed; /* on reads: false when a column has the wrong length (not written by this code) */
};
typedef int (*store_checkpoint_fn)(const struct store_checkpoint *k, void *ctx);
/* STORE_ECONFLICT when that entry already has a checkpoint. */
int store_checkpoint_add(store_conn *c, const struct store_checkpoint *k);
int store_checkpoints(store_conn *c, store_checkpoint_fn fn, void *ctx); /* by audit_id */
int store_audit_count(store_conn *c, int64_t *n);

#endif
