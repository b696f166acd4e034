/*
 * store/store_clients.h — agencies and their API clients.
 * One part of the store's contract (issue 17): store/store.h includes every part.
 */
#ifndef SAFEGUARD_STORE_STORE_CLIENTS_H
#define SAFEGUARD_STORE_STORE_CLIENTS_H

#include "store/store_core.h"

/* ---- agencies and their API clients --------------------------------------------------------------- */

int store_agency_upsert(store_conn *c, const char *code, const char *name);
int store_agency_exists(store_conn *c, const char *code, bool *found);
/* The agencies, by code (`safeguard agency list`): the reference data the migrations seed and `user add`,
 * `token create` and the pages name by code. */
struct store_agency {
	char code[STORE_CODE_MAX + 1];
	char name[101];
};
typedef int (*store_agency_fn)(const struct store_agency *a, void *ctx);
int store_agencies(store_conn *c, store_agency_fn fn, void *ctx);

/* An agency system's token: what it may do (scope: space-separated scope names, service/tokens.h), who made
 * it, and whether it still awaits a second person's approval. */
#define STORE_SCOPE_MAX 200
#define STORE_ACTOR_MAX 95
struct store_client {
	int64_t id;
	char agency[STORE_CODE_MAX + 1];
	char scope[STORE_SCOPE_MAX + 1];
	char label[401];                        /* up to 100 characters */
	char created_by[STORE_ACTOR_MAX + 1];   /* the audit's actor who made it ("cli", "user:3:ada.admin") */
	bool pending;                           /* made, not yet approved: refused until it is */
};

int store_client_insert(store_conn *c, const char *agency, const uint8_t hash[STORE_TOKEN_HASH_LEN],
			const char *label, const char *scope, const char *created_by, bool pending, int64_t *id);
/* Finds a client that is not revoked by the hash of its token. */
int store_client_find(store_conn *c, const uint8_t hash[STORE_TOKEN_HASH_LEN], struct store_client *out,
		      bool *found);

/* The API clients' generation: a number that changes with every change to a client (revocation, approval,
 * anything later), whoever makes it; the same on every connection once the change is committed. Each change
 * sets a fresh random 63-bit value, never n + 1, so a value seen in a transaction that rolled back is not
 * taken again by a later change: compare generations for equality only, never by order. A client found while
 * the generation read before it was G is still as found while the generation is G (service/tokens.h's
 * cache). In a writer's transaction it is read once and then answered from memory until the transaction
 * ends or this connection changes a client (writers serialise: no other process changes one meanwhile). */
int store_auth_generation(store_conn *c, int64_t *gen);

/* Whether this connection's open transaction has written api_client (store_client_insert, _approve,
 * _revoke): its generation then includes its own uncommitted change, which a rollback undoes, so it must
 * not be kept as the generation at which a cached client was seen. Cleared when the transaction ends. */
bool store_clients_changed(store_conn *c);

/* An API client as the administrator sees it: never its token (only the hash is kept, and not shown). */
struct store_client_info {
	int64_t id;
	char agency[STORE_CODE_MAX + 1];
	char label[401];                    /* up to 100 characters */
	char created_at[STORE_TS_LEN + 1];
	char revoked_at[STORE_TS_LEN + 1];  /* "" while live */
	char scope[STORE_SCOPE_MAX + 1];
	char created_by[STORE_ACTOR_MAX + 1];
	bool pending;
	char approved_by[STORE_ACTOR_MAX + 1]; /* "" unless a second person approved it */
	char approved_at[STORE_TS_LEN + 1];
};
typedef int (*store_client_fn)(const struct store_client_info *k, void *ctx);
/* Every client, newest first, up to limit. */
int store_clients(store_conn *c, int limit, store_client_fn fn, void *ctx);
/* Revokes a client at `at` (a client revoked before keeps its first time); *found false when there is no
 * such client. */
int store_client_revoke(store_conn *c, int64_t id, const char *at, bool *found);
/* One client by id (revoked ones too). */
int store_client_get(store_conn *c, int64_t id, struct store_client_info *out, bool *found);
/* Approves a pending client that is not revoked; *changed false when there was none to approve. */
int store_client_approve(store_conn *c, int64_t id, const char *by, const char *at, bool *changed);

#endif
