#include "service/tokens.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "core/date.h"
#include "core/event.h"
#include "service/audit.h"
#include "service/service_int.h"

int tokens_seed_agencies(store_conn *c)
{
	const struct agency_kind *a;
	int rc;
	for (size_t i = 0; (a = agency_builtin_at(i)) != NULL; i++)
		if ((rc = store_agency_upsert(c, a->code, a->name)) != STORE_OK)
			return rc;
	return STORE_OK;
}

void tokens_hash(const char *token, uint8_t hash[STORE_TOKEN_HASH_LEN])
{
	crypto_generichash(hash, STORE_TOKEN_HASH_LEN, (const unsigned char *)token, strlen(token), NULL, 0);
}

int tokens_create(store_conn *c, const char *actor, const char *agency, const char *label,
		  char token[TOKEN_TEXT_MAX], bool *agency_found)
{
	unsigned char secret[32];
	uint8_t hash[STORE_TOKEN_HASH_LEN];
	int64_t id = 0;
	int rc;
	char object[40];

	token[0] = '\0';
	if ((rc = store_agency_exists(c, agency, agency_found)) != STORE_OK || !*agency_found)
		return rc;
	randombytes_buf(secret, sizeof secret);
	memcpy(token, "sgt_", 4);
	sodium_bin2base64(token + 4, TOKEN_TEXT_MAX - 4, secret, sizeof secret,
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(secret, sizeof secret);
	tokens_hash(token, hash);
	if ((rc = store_client_insert(c, agency, hash, label, &id)) != STORE_OK)
		return rc;
	snprintf(object, sizeof object, "client:%lld", (long long)id);
	struct store_audit a = {.actor = actor, .action = "token.create", .object = object, .detail = agency};
	return audit_append(c, &a);
}

int tokens_revoke(store_conn *c, const char *actor, int64_t id, int64_t now, bool *found)
{
	char at[STORE_TS_LEN + 1], object[40];
	ts_format_utc(now, at);
	int rc = store_client_revoke(c, id, at, found);
	if (rc != STORE_OK || !*found)
		return rc;
	snprintf(object, sizeof object, "client:%lld", (long long)id);
	struct store_audit a = {.actor = actor, .action = "token.revoke", .object = object, .detail = ""};
	return audit_append(c, &a);
}

struct list_args {
	int limit;
	store_client_fn fn;
	void *ctx;
};

static int list_run(store_conn *c, void *arg)
{
	struct list_args *a = arg;
	return store_clients(c, a->limit, a->fn, a->ctx);
}

int tokens_list(store *st, int limit, store_client_fn fn, void *ctx)
{
	struct list_args a = {limit, fn, ctx};
	return service_in_snapshot(st, list_run, &a);
}

int tokens_authenticate(store_conn *c, const char *token, struct store_client *client, bool *found)
{
	uint8_t hash[STORE_TOKEN_HASH_LEN];
	*found = false;
	/* A token of the wrong shape cannot be ours: answer without a query. */
	if (strncmp(token, "sgt_", 4) != 0 || strlen(token) != 47)
		return STORE_OK;
	tokens_hash(token, hash);
	return store_client_find(c, hash, client, found);
}
