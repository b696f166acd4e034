/*
 * service/tokens.h — API tokens for agency systems. A token is shown once, when created; the store keeps
 * only its BLAKE2b-256 hash, so a copy of the database does not let anyone call the API.
 */
#ifndef SAFEGUARD_SERVICE_TOKENS_H
#define SAFEGUARD_SERVICE_TOKENS_H

#include <stdbool.h>

#include "store/store.h"

/* "sgt_" and 43 characters of URL-safe base64 (256 random bits). */
#define TOKEN_TEXT_MAX 64

/* Creates the agencies every area starts with (police, health, ...), once. */
int tokens_seed_agencies(store_conn *c);

/* Creates a client of the agency and writes its token; *agency_found false when there is no such agency.
 * Runs inside a write transaction; audited as "token.create". */
int tokens_create(store_conn *c, const char *actor, const char *agency, const char *label,
		  char token[TOKEN_TEXT_MAX], bool *agency_found);

/* Revokes a client: its token is refused from now on (401). Audited as "token.revoke". *found false when
 * there is no such client. Must run in a write transaction. */
int tokens_revoke(store_conn *c, const char *actor, int64_t id, int64_t now, bool *found);

/* Every client, newest first, up to limit: id, agency, label, created and revoked, never the token. */
int tokens_list(store *st, int limit, store_client_fn fn, void *ctx);

/* The client a bearer token belongs to. */
int tokens_authenticate(store_conn *c, const char *token, struct store_client *client, bool *found);

/* Fills hash with BLAKE2b-256 of the token text (libsodium). */
void tokens_hash(const char *token, uint8_t hash[STORE_TOKEN_HASH_LEN]);

#endif
