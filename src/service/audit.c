#include "service/audit.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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
	ts_format_utc((int64_t)time(NULL), at);
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

/* ---- verification ---- */

struct verifying {
	uint8_t prev[STORE_AUDIT_HASH_LEN];
	int64_t last_id;
	struct audit_verify_result *r;
};

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
	memcpy(v->prev, a->hash, STORE_AUDIT_HASH_LEN);
	v->last_id = a->id;
	v->r->verified++;
	return 0;
}

static int verify_run(store_conn *c, void *arg)
{
	int rc = store_audit_each(c, verify_row, arg);
	return rc == 1 ? STORE_OK : rc; /* 1: stopped at the first broken entry */
}

int audit_verify(store *st, struct audit_verify_result *r)
{
	struct verifying v = {.r = r};
	memset(r, 0, sizeof *r);
	return service_in_snapshot(st, verify_run, &v);
}
