#include "service/tokens.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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

/* ---- scopes ---- */

static const struct {
	const char *name, *agency; /* agency NULL: any */
} scopes[] = {
	{"events:write", NULL},     {"records:read", NULL},          {"flags:read", "health"},
	{"alerts:read", "social_care"}, {"alerts:write", "social_care"}, {"placements:write", "social_care"},
};
#define NSCOPES (sizeof scopes / sizeof scopes[0])

static bool ends_with_read(const char *name, size_t n)
{
	return n >= 5 && memcmp(name + n - 5, ":read", 5) == 0;
}

bool tokens_scope_at(size_t i, const char **name, const char **agency, bool *reads)
{
	if (i >= NSCOPES)
		return false;
	*name = scopes[i].name;
	*agency = scopes[i].agency;
	*reads = ends_with_read(scopes[i].name, strlen(scopes[i].name));
	return true;
}

bool tokens_scope_parse(const char *text, const char *agency, char out[STORE_SCOPE_MAX + 1], char *err, size_t errsz)
{
	bool want[NSCOPES] = {false}, any = false;
	out[0] = '\0';
	err[0] = '\0';
	for (const char *p = text ? text : ""; *p;) {
		p += strspn(p, ", ");
		size_t n = strcspn(p, ", ");
		if (!n)
			break;
		size_t i;
		for (i = 0; i < NSCOPES; i++)
			if (strlen(scopes[i].name) == n && memcmp(scopes[i].name, p, n) == 0)
				break;
		if (i == NSCOPES) {
			/* The caller's text: shown bounded and printable. */
			char shown[41];
			size_t k;
			for (k = 0; k < n && k < sizeof shown - 1; k++)
				shown[k] = (p[k] >= 0x20 && p[k] < 0x7f) ? p[k] : '?';
			shown[k] = '\0';
			snprintf(err, errsz, "no scope '%s' (events:write, records:read, flags:read, alerts:read, alerts:write, "
				 "placements:write)", shown);
			return false;
		}
		if (scopes[i].agency && (!agency || strcmp(agency, scopes[i].agency) != 0)) {
			snprintf(err, errsz, "%s is for %s's systems only", scopes[i].name, scopes[i].agency);
			return false;
		}
		want[i] = any = true;
		p += n;
	}
	if (!any)
		want[0] = true; /* the default: events:write */
	size_t used = 0;
	for (size_t i = 0; i < NSCOPES; i++)
		if (want[i])
			used += (size_t)snprintf(out + used, STORE_SCOPE_MAX + 1 - used, "%s%s", used ? " " : "",
						 scopes[i].name);
	return true;
}

bool tokens_scope_has(const char *scope, const char *name)
{
	size_t n = strlen(name);
	for (const char *p = scope; p && *p;) {
		size_t k = strcspn(p, " ");
		if (k == n && memcmp(p, name, n) == 0)
			return true;
		p += k;
		p += strspn(p, " ");
	}
	return false;
}

bool tokens_scope_reads(const char *scope)
{
	for (const char *p = scope; p && *p;) {
		size_t k = strcspn(p, " ");
		if (ends_with_read(p, k))
			return true;
		p += k;
		p += strspn(p, " ");
	}
	return false;
}

void tokens_note(const struct store_client *k, char *out, size_t outsz)
{
	char label[48];
	size_t n = 0;
	/* At most 40 bytes of the label, whole characters, without ';' or quotes (the basis follows a ';'). */
	for (const unsigned char *p = (const unsigned char *)k->label; *p && n < 40;) {
		size_t len = *p < 0x80 ? 1 : *p >= 0xF0 ? 4 : *p >= 0xE0 ? 3 : 2, whole = 0;
		while (whole < len && p[whole])
			whole++;
		if (whole < len || n + len > 40) /* a character cut short (a label from the command line), or no room */
			break;
		for (size_t i = 0; i < len; i++)
			label[n++] = (p[i] == ';' || p[i] == '\'') ? ',' : (char)p[i];
		p += len;
	}
	label[n] = '\0';
	/* At most 6 + 19 + 2 + 40 + 10 + 48 = 125 bytes: an audit detail keeps room for the basis after it. */
	snprintf(out, outsz, "token %lld '%s' made by %.48s", (long long)k->id, label,
		 k->created_by[0] ? k->created_by : "(not recorded)");
}

int tokens_create(store_conn *c, const char *actor, const char *agency, const char *label, const char *scope,
		  bool by_operator, char token[TOKEN_TEXT_MAX], bool *agency_found, bool *pending)
{
	unsigned char secret[32];
	uint8_t hash[STORE_TOKEN_HASH_LEN];
	int64_t id = 0;
	int rc;
	char object[40], detail[STORE_SCOPE_MAX + 64];

	token[0] = '\0';
	*pending = !by_operator && tokens_scope_reads(scope);
	if ((rc = store_agency_exists(c, agency, agency_found)) != STORE_OK || !*agency_found)
		return rc;
	randombytes_buf(secret, sizeof secret);
	memcpy(token, "sgt_", 4);
	sodium_bin2base64(token + 4, TOKEN_TEXT_MAX - 4, secret, sizeof secret,
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(secret, sizeof secret);
	tokens_hash(token, hash);
	if ((rc = store_client_insert(c, agency, hash, label, scope, actor, *pending, &id)) != STORE_OK)
		return rc;
	snprintf(object, sizeof object, "client:%lld", (long long)id);
	snprintf(detail, sizeof detail, "%s; scope %s%s", agency, scope, *pending ? "; pending approval" : "");
	struct store_audit a = {.actor = actor, .action = "token.create", .object = object, .detail = detail};
	return audit_append(c, &a);
}

int tokens_approve(store_conn *c, const char *actor, int64_t id, int64_t now, enum tokens_approve_result *res)
{
	struct store_client_info *k = malloc(sizeof *k);
	char at[STORE_TS_LEN + 1], object[40];
	bool found = false, changed = false;
	int rc;
	*res = TOKENS_NO_TOKEN;
	if (!k)
		return STORE_EIO;
	if ((rc = store_client_get(c, id, k, &found)) != STORE_OK || !found || k->revoked_at[0])
		goto out;
	*res = TOKENS_NOT_PENDING;
	if (!k->pending)
		goto out;
	*res = TOKENS_SAME_PERSON;
	if (strcmp(k->created_by, actor) == 0)
		goto out;
	ts_format_utc(now, at);
	if ((rc = store_client_approve(c, id, actor, at, &changed)) != STORE_OK)
		goto out;
	if (!changed) { /* cannot happen inside the write transaction: it was pending above */
		rc = STORE_ECONFLICT;
		goto out;
	}
	*res = TOKENS_APPROVED;
	snprintf(object, sizeof object, "client:%lld", (long long)id);
	struct store_audit a = {.actor = actor, .action = "token.approve", .object = object, .detail = k->scope};
	rc = audit_append(c, &a);
out:
	free(k);
	return rc;
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

/* ---- the token cache ---- */

struct tokens_slot {
	bool used;
	uint8_t hash[STORE_TOKEN_HASH_LEN];
	int64_t gen;    /* the generation read before the client was found (or last checked) */
	double expires; /* CLOCK_MONOTONIC seconds */
	struct store_client client;
};

struct tokens_cache {
	pthread_mutex_t lock;
	struct tokens_slot slot[TOKENS_CACHE_SLOTS];
};

static double mono_now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

tokens_cache *tokens_cache_new(void)
{
	tokens_cache *tc = calloc(1, sizeof *tc);
	if (tc && pthread_mutex_init(&tc->lock, NULL) != 0) {
		free(tc);
		return NULL;
	}
	return tc;
}

void tokens_cache_free(tokens_cache *tc)
{
	if (!tc)
		return;
	pthread_mutex_destroy(&tc->lock);
	sodium_memzero(tc, sizeof *tc);
	free(tc);
}

/* The slot a hash goes to, from its first two bytes (the hash of a random token: spread evenly). One entry a
 * slot: a client found takes its slot from whichever client had it, which is then read from the store again
 * on its next request; the whole hash is compared on every look-up, so two never answer for each other. */
static struct tokens_slot *slot_of(tokens_cache *tc, const uint8_t hash[STORE_TOKEN_HASH_LEN])
{
	return &tc->slot[((unsigned)hash[0] | (unsigned)hash[1] << 8) % TOKENS_CACHE_SLOTS];
}

static bool cache_get(tokens_cache *tc, const uint8_t hash[STORE_TOKEN_HASH_LEN], struct store_client *out,
		      int64_t *gen)
{
	bool hit = false;
	double now = mono_now();
	pthread_mutex_lock(&tc->lock);
	struct tokens_slot *s = slot_of(tc, hash);
	if (s->used && now < s->expires && memcmp(s->hash, hash, STORE_TOKEN_HASH_LEN) == 0) {
		*out = s->client;
		*gen = s->gen;
		hit = true;
	}
	pthread_mutex_unlock(&tc->lock);
	return hit;
}

/* Whether two views of a client are the same client with the same rights. */
static bool same_client(const struct store_client *a, const struct store_client *b)
{
	return a->pending == b->pending && a->id == b->id && strcmp(a->agency, b->agency) == 0 &&
	       strcmp(a->scope, b->scope) == 0 && strcmp(a->label, b->label) == 0 &&
	       strcmp(a->created_by, b->created_by) == 0;
}

/* fresh: a client found now (its time starts again); else a client just verified at generation gen: the
 * slot takes gen only if it still holds that client as verified (a newcomer may have taken the slot, or the
 * client been found afresh, meanwhile). Generations are random (store_auth_generation): no order to keep, and
 * a slot left at an older generation of the same client only costs one more read. */
static void cache_put(tokens_cache *tc, const uint8_t hash[STORE_TOKEN_HASH_LEN], const struct store_client *k,
		      int64_t gen, bool fresh)
{
	double now = mono_now();
	pthread_mutex_lock(&tc->lock);
	struct tokens_slot *s = slot_of(tc, hash);
	bool same = s->used && memcmp(s->hash, hash, STORE_TOKEN_HASH_LEN) == 0;
	if (fresh) {
		s->used = true;
		memcpy(s->hash, hash, STORE_TOKEN_HASH_LEN);
		s->client = *k;
		s->gen = gen;
		s->expires = now + TOKENS_CACHE_TTL;
	} else if (same && same_client(&s->client, k)) {
		s->gen = gen;
	}
	pthread_mutex_unlock(&tc->lock);
}

static void cache_drop(tokens_cache *tc, const uint8_t hash[STORE_TOKEN_HASH_LEN])
{
	pthread_mutex_lock(&tc->lock);
	struct tokens_slot *s = slot_of(tc, hash);
	if (s->used && memcmp(s->hash, hash, STORE_TOKEN_HASH_LEN) == 0)
		s->used = false;
	pthread_mutex_unlock(&tc->lock);
}

void tokens_cache_forget(tokens_cache *tc, const uint8_t hash[STORE_TOKEN_HASH_LEN])
{
	if (tc)
		cache_drop(tc, hash);
}

bool tokens_cache_find(tokens_cache *tc, const char *token, struct store_client *client, int64_t *gen,
		       uint8_t hash[STORE_TOKEN_HASH_LEN])
{
	if (!tc || strncmp(token, "sgt_", 4) != 0 || strlen(token) != 47)
		return false;
	tokens_hash(token, hash);
	return cache_get(tc, hash, client, gen);
}

int tokens_authenticate_cached(store_conn *c, tokens_cache *tc, const char *token, struct store_client *client,
			       bool *found)
{
	uint8_t hash[STORE_TOKEN_HASH_LEN];
	*found = false;
	if (!tc)
		return tokens_authenticate(c, token, client, found);
	if (strncmp(token, "sgt_", 4) != 0 || strlen(token) != 47)
		return STORE_OK;
	tokens_hash(token, hash);
	/* The generation first, then the client: a change committed between the two moves the generation past
	 * the one kept, so the writer reads the client again. */
	int64_t g = 0;
	int rc = store_auth_generation(c, &g);
	if (rc == STORE_OK)
		rc = store_client_find(c, hash, client, found);
	/* Not kept when this transaction changed a client itself: g is then its own, uncommitted. */
	if (rc == STORE_OK && *found && !client->pending && !store_clients_changed(c))
		cache_put(tc, hash, client, g, true);
	return rc;
}

int tokens_cache_check(store_conn *c, tokens_cache *tc, const uint8_t hash[STORE_TOKEN_HASH_LEN],
		       const struct store_client *client, int64_t gen, bool *valid)
{
	int64_t g = 0;
	*valid = false;
	/* This transaction changed a client itself (a batch [revoke A, event from B]): the client is read every
	 * time, and no generation it sees is kept, since a rollback would undo the change it includes. */
	bool own = store_clients_changed(c);
	int rc = store_auth_generation(c, &g);
	if (rc != STORE_OK)
		return rc;
	if (g == gen && !own)
		return *valid = true, STORE_OK;
	struct store_client *now = malloc(sizeof *now);
	bool found = false;
	if (!now)
		return STORE_EIO;
	rc = store_client_find(c, hash, now, &found);
	if (rc == STORE_OK) {
		/* Still the client as cached (another client changed): valid, kept at this generation. Anything
		 * else (revoked, pending again, its scope or label changed): refused now, dropped, and found afresh
		 * by the next request. */
		*valid = found && same_client(now, client);
		if (tc) {
			if (!*valid)
				cache_drop(tc, hash);
			else if (!own)
				cache_put(tc, hash, now, g, false);
		}
	}
	free(now);
	return rc;
}
