/*
 * service/audit.h — the tamper-evident audit: every read and write of personal data, each entry chained to
 * the one before by a hash.
 *
 * hash(n) = BLAKE2b-256(key "safeguard audit v1", hash(n-1) || id || at || actor || action || child_id ||
 * object || detail), each text field length-prefixed so that no two entries share an encoding; hash(0) is
 * 32 zero bytes. An entry changed, deleted, inserted or moved breaks the chain at that entry or the next, and
 * audit_verify names the first one. (An attacker who can rewrite the file can recompute a whole chain: the
 * signed checkpoints of the access-control issue close that; the chain alone makes any edit by anyone
 * else, and any edit of a part of the chain, visible.)
 *
 * audit_append is the only way entries are written; it must run in a write transaction (entries are
 * numbered from the newest one, so appends are serialised by the single writer).
 */
#ifndef SAFEGUARD_SERVICE_AUDIT_H
#define SAFEGUARD_SERVICE_AUDIT_H

#include <stdint.h>

#include "store/store.h"

/* Fills the entry's id, time and hash (whatever e carried in them is ignored) and appends it. */
int audit_append(store_conn *c, const struct store_audit *e);

/* The hash of entry e after prev (e->id and e->at as given). */
void audit_entry_hash(const uint8_t prev[STORE_AUDIT_HASH_LEN], const struct store_audit *e,
		      uint8_t out[STORE_AUDIT_HASH_LEN]);

/* Gives the entries written before the chain existed (schema 5) their hashes, in order, continuing from
 * the last sealed entry before them. Runs its own transaction; *sealed says how many. */
int audit_seal_legacy(store *st, int64_t *sealed);

/* ---- signed checkpoints ----
 * Anyone who can rewrite the file can recompute a whole chain. A checkpoint signs (Ed25519, libsodium) the
 * newest entry's number and hash with the server's key, which lives in a file outside the database: a
 * chain rewritten, or cut short, before a checkpoint no longer matches what was signed. The sweep makes
 * one every night, `safeguard audit checkpoint` on demand. */
#define AUDIT_SECRET_KEY_LEN 64 /* crypto_sign_SECRETKEYBYTES: the public key is its last 32 bytes */

/* Signs the newest entry; must run in a write transaction. *audit_id is the entry signed, 0 when the audit
 * is empty (nothing to sign) or the newest entry already has a checkpoint. */
int audit_checkpoint(store_conn *c, const uint8_t secret_key[AUDIT_SECRET_KEY_LEN], int64_t *audit_id);

struct audit_verify_result {
	int64_t verified;     /* entries whose hash matched, from the first */
	int64_t checkpoints;  /* signed checkpoints that matched the chain */
	int64_t first_bad_id; /* 0 when the whole chain holds */
	char why[200];        /* what is wrong with it, no personal data */
};

/* Walks the whole audit and its checkpoints in one read snapshot. With public_key, every checkpoint must
 * be signed by that key; without, each is checked against the key stored beside it. 0 with the result
 * filled (the chain may be broken: see first_bad_id), or a store error. */
int audit_verify(store *st, const uint8_t *public_key, struct audit_verify_result *r);

/* The entries that match q, newest first, in one read snapshot: `safeguard audit list`. Reading the audit is
 * the operator's act, like audit_verify, and is not itself audited. */
int audit_list(store *st, const struct store_audit_query *q, store_audit_fn fn, void *ctx);

/* How many entries the trail holds, in one read snapshot (the demo's banner). */
int audit_count(store *st, int64_t *n);

#endif
