#include "service/audit.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clock/now.h"
#include "core/date.h"
#include "service/service_int.h"

/* A keyed BLAKE2b with a fixed, public key is a domain separator: these hashes can never be confused
 * with BLAKE2b of the same bytes for another purpose (the token hashes, for one). */
static const unsigned char chain_key[] = "safeguard audit v1";

static void put_u64(crypto_generichash_state *st, uint64_t v)
{
	unsigned char b[8];
	for (int i = 7; i >= 0; i--, v >>= 8)
		b[i] = (unsigned char)(v & 0xff);
	crypto_generichash_update(st, b, sizeof b);
}

static void put_str(crypto_generichash_state *st, const char *s)
{
	size_t n = s ? strlen(s) : 0;
	put_u64(st, n);
	if (n)
		crypto_generichash_update(st, (const unsigned char *)s, n);
}

void audit_entry_hash(const uint8_t prev[STORE_AUDIT_HASH_LEN], const struct store_audit *e,
		      uint8_t out[STORE_AUDIT_HASH_LEN])
{
	crypto_generichash_state st;
	crypto_generichash_init(&st, chain_key, sizeof chain_key - 1, STORE_AUDIT_HASH_LEN);
	crypto_generichash_update(&st, prev, STORE_AUDIT_HASH_LEN);
	put_u64(&st, (uint64_t)e->id);
	put_str(&st, e->at);
	put_str(&st, e->actor);
	put_str(&st, e->action);
	put_u64(&st, (uint64_t)e->child_id);
	put_str(&st, e->object);
	put_str(&st, e->detail);
	crypto_generichash_final(&st, out, STORE_AUDIT_HASH_LEN);
}

int audit_append(store_conn *c, const struct store_audit *e)
{
	uint8_t prev[STORE_AUDIT_HASH_LEN], hash[STORE_AUDIT_HASH_LEN];
	char at[TS_UTC_LEN + 1];
	int64_t last = 0;
	bool found = false;
	int rc = store_audit_last(c, &last, prev, &found);
	if (rc != STORE_OK)
		return rc;
	struct store_audit x = *e;
	ts_format_utc(clock_now(), at);
	x.id = last + 1;
	x.at = at;
	audit_entry_hash(prev, &x, hash);
	x.hash = hash;
	return store_audit_append(c, &x);
}

/* ---- sealing what came before the chain ---- */

struct sealing {
	uint8_t prev[STORE_AUDIT_HASH_LEN];
	int64_t *ids;
	uint8_t (*hashes)[STORE_AUDIT_HASH_LEN];
	size_t n, cap;
	bool oom;
};

static int seal_row(const struct store_audit *a, void *ctx)
{
	struct sealing *s = ctx;
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 1024;
		int64_t *ids = realloc(s->ids, cap * sizeof *ids);
		if (ids)
			s->ids = ids;
		uint8_t(*h)[STORE_AUDIT_HASH_LEN] = ids ? realloc(s->hashes, cap * sizeof *h) : NULL;
		if (!ids || !h) {
			s->oom = true;
			return STORE_EIO;
		}
		s->hashes = h;
		s->cap = cap;
	}
	audit_entry_hash(s->prev, a, s->hashes[s->n]);
	memcpy(s->prev, s->hashes[s->n], STORE_AUDIT_HASH_LEN);
	s->ids[s->n++] = a->id;
	return 0;
}

int audit_seal_legacy(store *st, int64_t *sealed)
{
	struct sealing s = {0};
	store_conn *c = store_conn_get(st);
	int rc;
	*sealed = 0;
	if (!c)
		return STORE_EIO;
	if ((rc = store_begin(c)) != STORE_OK)
		goto out;
	/* Legacy rows all come before the first chained one (schema 5 chains every new entry), so the chain of
	 * the old rows starts from zero. Collected first: the rows are not updated while being read. */
	rc = store_audit_unsealed(c, seal_row, &s);
	for (size_t i = 0; i < s.n && rc == STORE_OK; i++)
		rc = store_audit_seal(c, s.ids[i], s.hashes[i]);
	if (rc == STORE_OK && (rc = store_commit(c)) == STORE_OK)
		*sealed = (int64_t)s.n;
	else
		store_rollback(c);
out:
	store_conn_put(st, c);
	free(s.ids);
	free(s.hashes);
	return rc;
}

/* ---- checkpoints ---- */

static const char checkpoint_domain[] = "safeguard audit checkpoint v1";

/* What a checkpoint signs: the domain, the entry's number, its hash and the checkpoint's time. */
static size_t checkpoint_message(const struct store_checkpoint *k, unsigned char *m, size_t cap)
{
	size_t n = sizeof checkpoint_domain - 1, at = strlen(k->at);
	if (n + 8 + STORE_AUDIT_HASH_LEN + at > cap)
		return 0;
	memcpy(m, checkpoint_domain, n);
	uint64_t id = (uint64_t)k->audit_id;
	for (int i = 7; i >= 0; i--, id >>= 8)
		m[n + (size_t)i] = (unsigned char)(id & 0xff);
	n += 8;
	memcpy(m + n, k->hash, STORE_AUDIT_HASH_LEN);
	n += STORE_AUDIT_HASH_LEN;
	memcpy(m + n, k->at, at);
	return n + at;
}

int audit_checkpoint(store_conn *c, const uint8_t secret_key[AUDIT_SECRET_KEY_LEN], int64_t *audit_id)
{
	struct store_checkpoint k;
	unsigned char m[128];
	bool found = false;
	memset(&k, 0, sizeof k);
	*audit_id = 0;
	int rc = store_audit_last(c, &k.audit_id, k.hash, &found);
	if (rc != STORE_OK || !found)
		return rc;
	ts_format_utc(clock_now(), k.at);
	memcpy(k.public_key, secret_key + AUDIT_SECRET_KEY_LEN - STORE_SIGN_PUBLIC_LEN, STORE_SIGN_PUBLIC_LEN);
	size_t n = checkpoint_message(&k, m, sizeof m);
	if (!n || crypto_sign_detached(k.signature, NULL, m, n, secret_key) != 0)
		return STORE_EIO;
	rc = store_checkpoint_add(c, &k);
	if (rc == STORE_ECONFLICT) /* nothing written since the last checkpoint */
		return STORE_OK;
	if (rc == STORE_OK)
		*audit_id = k.audit_id;
	return rc;
}

/* ---- verification ---- */

struct verifying {
	uint8_t prev[STORE_AUDIT_HASH_LEN];
	int64_t last_id;
	struct audit_verify_result *r;
	const uint8_t *public_key;
	struct store_checkpoint *k; /* all of them, by audit_id */
	size_t nk, capk, next;
	bool oom;
};

static int collect_checkpoint(const struct store_checkpoint *k, void *ctx)
{
	struct verifying *v = ctx;
	if (v->nk == v->capk) {
		size_t cap = v->capk ? v->capk * 2 : 64;
		struct store_checkpoint *x = realloc(v->k, cap * sizeof *x);
		if (!x) {
			v->oom = true;
			return STORE_EIO;
		}
		v->k = x;
		v->capk = cap;
	}
	v->k[v->nk++] = *k;
	return 0;
}

/* A checkpoint's own validity: well formed, signed by the expected key. */
static bool checkpoint_signed(const struct verifying *v, const struct store_checkpoint *k, char *why, size_t whysz)
{
	unsigned char m[128];
	size_t n = checkpoint_message(k, m, sizeof m);
	if (!k->well_formed || !n) {
		snprintf(why, whysz, "the checkpoint of %.20s at this entry is malformed", k->at);
		return false;
	}
	if (v->public_key && sodium_memcmp(v->public_key, k->public_key, STORE_SIGN_PUBLIC_LEN) != 0) {
		snprintf(why, whysz, "the checkpoint of %.20s at this entry was signed by another key", k->at);
		return false;
	}
	if (crypto_sign_verify_detached(k->signature, m, n, k->public_key) != 0) {
		snprintf(why, whysz, "the checkpoint of %.20s at this entry has a signature that does not verify", k->at);
		return false;
	}
	return true;
}

static int verify_row(const struct store_audit *a, void *ctx)
{
	struct verifying *v = ctx;
	uint8_t want[STORE_AUDIT_HASH_LEN];
	if (a->id != v->last_id + 1) {
		v->r->first_bad_id = a->id;
		if (a->id == v->last_id + 2)
			snprintf(v->r->why, sizeof v->r->why, "entry %lld before it is missing (deleted)",
				 (long long)v->last_id + 1);
		else
			snprintf(v->r->why, sizeof v->r->why,
				 "entries %lld to %lld before it are missing (deleted, or this one inserted out of "
				 "sequence)", (long long)v->last_id + 1, (long long)a->id - 1);
		return 1;
	}
	if (!a->hash) {
		v->r->first_bad_id = a->id;
		snprintf(v->r->why, sizeof v->r->why, "it has no chain hash (inserted, or never sealed)");
		return 1;
	}
	audit_entry_hash(v->prev, a, want);
	if (sodium_memcmp(want, a->hash, STORE_AUDIT_HASH_LEN) != 0) {
		v->r->first_bad_id = a->id;
		snprintf(v->r->why, sizeof v->r->why,
			 "its hash does not match its content and the entry before it (changed, inserted or moved)");
		return 1;
	}
	/* A checkpoint signed this entry: the chain up to here must be the one that was signed. */
	while (v->next < v->nk && v->k[v->next].audit_id <= a->id) {
		const struct store_checkpoint *k = &v->k[v->next++];
		if (k->audit_id < a->id)
			continue; /* its entry is missing: the gap was reported above, or it was a duplicate */
		if (!checkpoint_signed(v, k, v->r->why, sizeof v->r->why)) {
			v->r->first_bad_id = a->id;
			return 1;
		}
		if (sodium_memcmp(k->hash, a->hash, STORE_AUDIT_HASH_LEN) != 0) {
			v->r->first_bad_id = a->id;
			snprintf(v->r->why, sizeof v->r->why,
				 "it is not the entry the checkpoint of %.20s signed: the chain was rewritten at or before it",
				 k->at);
			return 1;
		}
		v->r->checkpoints++;
	}
	memcpy(v->prev, a->hash, STORE_AUDIT_HASH_LEN);
	v->last_id = a->id;
	v->r->verified++;
	return 0;
}

static int verify_run(store_conn *c, void *arg)
{
	struct verifying *v = arg;
	int rc = store_checkpoints(c, collect_checkpoint, v);
	if (rc != STORE_OK)
		return rc;
	rc = store_audit_each(c, verify_row, v);
	if (rc == 1) /* stopped at the first broken entry */
		return STORE_OK;
	if (rc != STORE_OK)
		return rc;
	/* The chain holds to its end; a checkpoint beyond the end signed entries that are no longer there. */
	if (v->next < v->nk) {
		const struct store_checkpoint *k = &v->k[v->next];
		v->r->first_bad_id = k->audit_id;
		snprintf(v->r->why, sizeof v->r->why,
			 "the checkpoint of %.20s signed this entry, and the audit now ends at entry %lld: the last "
			 "entries were deleted", k->at, (long long)v->last_id);
	}
	return STORE_OK;
}

int audit_verify(store *st, const uint8_t *public_key, struct audit_verify_result *r)
{
	struct verifying v = {.r = r, .public_key = public_key};
	memset(r, 0, sizeof *r);
	int rc = service_in_snapshot(st, verify_run, &v);
	free(v.k);
	return rc;
}

struct listing {
	const struct store_audit_query *q;
	store_audit_fn fn;
	void *ctx;
};

static int list_run(store_conn *c, void *arg)
{
	struct listing *l = arg;
	return store_audit_list(c, l->q, l->fn, l->ctx);
}

int audit_list(store *st, const struct store_audit_query *q, store_audit_fn fn, void *ctx)
{
	struct listing l = {q, fn, ctx};
	return service_in_snapshot(st, list_run, &l);
}

static int count_run(store_conn *c, void *arg)
{
	return store_audit_count(c, arg);
}

int audit_count(store *st, int64_t *n)
{
	return service_in_snapshot(st, count_run, n);
}
