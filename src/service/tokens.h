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

/* ---- scopes (issue 14): what a token may do ----
 *
 *   events:write      POST /api/v1/events (the default: an agency system sends its records)
 *   records:read      a child its agency has sent records about: identity, identifiers and the agency's own
 *                     events (GET /api/v1/children/{id} and /chronology); never the household, never another
 *                     agency's events, never a child the agency has sent nothing about
 *   flags:read        the unscheduled-care flag look-up, GET /api/v1/flags (health systems only)
 *   alerts:read       the alerts inbox and one alert (social care systems only)
 *   alerts:write      acknowledge and resolve an alert (social care systems only)
 *   placements:write  POST /api/v1/homes/{id}/placements (social care systems only)
 *
 * A scope ending ":read" reads children. A token with one, made by an administrator on the pages, is pending:
 * the API refuses it until a second person (another administrator, or the operator on the command line)
 * approves it. The command line is the operator's, who holds the database file and the keys: what it makes
 * works at once (audited as "cli"). */
#define TOKENS_SCOPE_DEFAULT "events:write"
/* The i-th scope's name and the one agency it is for (NULL: any agency); false past the end. */
bool tokens_scope_at(size_t i, const char **name, const char **agency, bool *reads);
/* text (names separated by commas or spaces) as the canonical scope ("events:write flags:read"); "" gives the
 * default. False, with err naming the scope at fault, for an unknown name or one not for this agency. */
bool tokens_scope_parse(const char *text, const char *agency, char out[STORE_SCOPE_MAX + 1], char *err, size_t errsz);
bool tokens_scope_has(const char *scope, const char *name);
bool tokens_scope_reads(const char *scope); /* any ":read" scope */

/* Creates a client of the agency with scope (canonical, tokens_scope_parse) and writes its token; *agency_found
 * false when there is no such agency. by_operator: made on the command line (works at once); otherwise a
 * scope that reads children makes it *pending. Runs inside a write transaction; audited as "token.create"
 * (agency, scope, pending). */
int tokens_create(store_conn *c, const char *actor, const char *agency, const char *label, const char *scope,
		  bool by_operator, char token[TOKEN_TEXT_MAX], bool *agency_found, bool *pending);

enum tokens_approve_result {
	TOKENS_APPROVED = 0,
	TOKENS_NO_TOKEN,    /* no such token, or revoked */
	TOKENS_NOT_PENDING, /* nothing to approve */
	TOKENS_SAME_PERSON, /* the approver made it: a second person must approve */
};
/* A second person approves a pending token, from now on it works. Audited as "token.approve". Must run in
 * a write transaction. */
int tokens_approve(store_conn *c, const char *actor, int64_t id, int64_t now, enum tokens_approve_result *res);

/* What an audit entry of a read through a token says of it: "token N 'LABEL' made by CREATOR" (the label cut
 * to 40 bytes and the creator to 48, at most 125 bytes; no ';' or quote from the label: an entry's basis
 * follows the last ';'). */
void tokens_note(const struct store_client *k, char *out, size_t outsz);

/* Revokes a client: its token is refused from now on (401). Audited as "token.revoke". *found false when
 * there is no such client. Must run in a write transaction. */
int tokens_revoke(store_conn *c, const char *actor, int64_t id, int64_t now, bool *found);

/* Every client, newest first, up to limit: id, agency, label, created and revoked, never the token. */
int tokens_list(store *st, int limit, store_client_fn fn, void *ctx);

/* The client a bearer token belongs to. */
int tokens_authenticate(store_conn *c, const char *token, struct store_client *client, bool *found);

/* ---- the token cache (issue 17): an agency system's token not looked up on every event ----
 *
 * Validated clients, kept in the server's memory by their token's hash with the API clients' generation
 * read before they were found (store_auth_generation): at most TOKENS_CACHE_SLOTS, each for at most
 * TOKENS_CACHE_TTL seconds. A client taken from it is used only where the writer checks it again inside the
 * write transaction that acts on the request (tokens_cache_check): a revocation or any other change to a
 * client, committed by any process before that transaction, moves the generation, and the writer then reads
 * the client again and refuses the request if it is no longer as cached. Only agency systems' tokens are
 * kept: a person's session (suspension, role, idle timeout) is looked up on every request as before. */
#define TOKENS_CACHE_SLOTS 256
#define TOKENS_CACHE_TTL 300.0
typedef struct tokens_cache tokens_cache;
tokens_cache *tokens_cache_new(void);
void tokens_cache_free(tokens_cache *tc);

/* The client of a token from the cache alone (no connection needed), with the generation to check it against
 * in the write transaction and the token's hash; false when it is not kept. */
bool tokens_cache_find(tokens_cache *tc, const char *token, struct store_client *client, int64_t *gen,
		       uint8_t hash[STORE_TOKEN_HASH_LEN]);
/* tokens_authenticate, keeping a client found (not pending) in the cache (tc NULL: none). */
int tokens_authenticate_cached(store_conn *c, tokens_cache *tc, const char *token, struct store_client *client,
			       bool *found);

/* Forgets a token's entry (hash from tokens_cache_find): a request with a cached token refused before the
 * writer saw it (a bad body: 400, 415) must not leave the entry to answer for a token revoked meanwhile. */
void tokens_cache_forget(tokens_cache *tc, const uint8_t hash[STORE_TOKEN_HASH_LEN]);

/* Inside the write transaction: whether a client taken from the cache at generation gen is still as cached
 * (the generation is read once a transaction: store_auth_generation). Where the generation differs, the client
 * is read again (the cache refreshed, or the entry dropped when it is gone or changed); where this transaction
 * changed a client itself (store_clients_changed) it is read every time and no generation is kept. STORE_EIO
 * when the generation's row is missing. */
int tokens_cache_check(store_conn *c, tokens_cache *tc, const uint8_t hash[STORE_TOKEN_HASH_LEN],
		       const struct store_client *client, int64_t gen, bool *valid);

/* Fills hash with BLAKE2b-256 of the token text (libsodium). */
void tokens_hash(const char *token, uint8_t hash[STORE_TOKEN_HASH_LEN]);

#endif
