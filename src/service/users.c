#include "service/users.h"

#include <liboath/oath.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/text.h"
#include "service/audit.h"
#include "service/service_int.h"

#define PWHASH_OPSLIMIT 2
#define PWHASH_MEMLIMIT (19u * 1024 * 1024)
#define TOTP_STEP 30
#define TOTP_WINDOW 1

static const char *const roles[] = {"social_worker", "team_manager", "mash_worker", "police_officer",
				    "health_practitioner", "school_dsl", "conference_chair", "oversight_analyst",
				    "dpo", "admin"};

const char *users_role_at(size_t i)
{
	return i < sizeof roles / sizeof roles[0] ? roles[i] : NULL;
}

bool users_role_known(const char *role)
{
	for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++)
		if (strcmp(roles[i], role) == 0)
			return true;
	return false;
}

enum users_add_result users_check_new(const char *username, const char *role, const char *password)
{
	size_t n = strlen(username);
	/* Usernames are identifiers people type and logs show: letters, digits, . _ - only. */
	if (n == 0 || n > STORE_USER_MAX || strspn(username, "abcdefghijklmnopqrstuvwxyz0123456789._-") != n)
		return USERS_BAD_NAME;
	/* "mash" names the MASH where an alert is escalated with no MASH manager (service/alerts.h): no person. */
	if (strcmp(username, "mash") == 0)
		return USERS_BAD_NAME;
	if (!users_role_known(role))
		return USERS_BAD_ROLE;
	size_t chars = text_utf8_valid(password, strlen(password)) ? text_utf8_length(password, strlen(password)) : 0;
	if (chars < USERS_PASSWORD_MIN || strlen(password) > USERS_PASSWORD_MAX)
		return USERS_BAD_PASSWORD;
	return USERS_ADDED;
}

int users_hash_password(const char *password, char out[160])
{
	if (crypto_pwhash_str(out, password, strlen(password), PWHASH_OPSLIMIT, PWHASH_MEMLIMIT) != 0)
		return STORE_EIO; /* out of memory */
	return STORE_OK;
}

int users_add(store_conn *c, const char *actor, const char *username, const char *agency, const char *role,
	      const char *password_hash, char secret_b32[USERS_TOTP_SECRET_B32], enum users_add_result *res)
{
	struct store_user u;
	bool exists = false;
	int64_t id = 0;
	int rc;
	memset(&u, 0, sizeof u);
	secret_b32[0] = '\0';
	if ((*res = users_check_new(username, role, "xxxxxxxxxxxxxxxxxxxx")) != USERS_ADDED)
		return STORE_OK;
	if ((rc = store_agency_exists(c, agency, &exists)) != STORE_OK)
		return rc;
	if (!exists) {
		*res = USERS_NO_AGENCY;
		return STORE_OK;
	}
	snprintf(u.username, sizeof u.username, "%s", username);
	snprintf(u.agency, sizeof u.agency, "%s", agency);
	snprintf(u.role, sizeof u.role, "%s", role);
	snprintf(u.password_hash, sizeof u.password_hash, "%s", password_hash);
	randombytes_buf(u.totp_secret, sizeof u.totp_secret);
	rc = store_user_insert(c, &u, &id);
	if (rc == STORE_ECONFLICT) {
		*res = USERS_TAKEN;
		sodium_memzero(u.totp_secret, sizeof u.totp_secret);
		return STORE_OK;
	}
	if (rc == STORE_OK) {
		char *b32 = NULL;
		size_t len = 0;
		if (oath_base32_encode((const char *)u.totp_secret, sizeof u.totp_secret, &b32, &len) != OATH_OK ||
		    len >= USERS_TOTP_SECRET_B32) {
			rc = STORE_EIO;
		} else {
			memcpy(secret_b32, b32, len);
			secret_b32[len] = '\0';
		}
		if (b32) {
			sodium_memzero(b32, len);
			free(b32);
		}
	}
	sodium_memzero(u.totp_secret, sizeof u.totp_secret);
	if (rc != STORE_OK)
		return rc;
	char object[40], detail[80];
	snprintf(object, sizeof object, "user:%lld", (long long)id);
	snprintf(detail, sizeof detail, "%s, %s", agency, role);
	struct store_audit a = {.actor = actor, .action = "user.create", .object = object, .detail = detail};
	return audit_append(c, &a);
}

/* A new password and TOTP secret for a person (a reset by an administrator, or the demo area's start):
 * every session of theirs ends. Audited. */
int users_reset(store_conn *c, const char *actor, const char *username, const char *password_hash,
		char secret_b32[USERS_TOTP_SECRET_B32], bool *found)
{
	uint8_t secret[20];
	char *b32 = NULL;
	size_t len = 0;
	secret_b32[0] = '\0';
	randombytes_buf(secret, sizeof secret);
	int rc = store_user_set_credentials(c, username, password_hash, secret, found);
	if (rc == STORE_OK && *found) {
		if (oath_base32_encode((const char *)secret, sizeof secret, &b32, &len) != OATH_OK ||
		    len >= USERS_TOTP_SECRET_B32) {
			rc = STORE_EIO;
		} else {
			memcpy(secret_b32, b32, len);
			secret_b32[len] = '\0';
		}
		if (b32) {
			sodium_memzero(b32, len);
			free(b32);
		}
	}
	sodium_memzero(secret, sizeof secret);
	if (rc != STORE_OK || !*found)
		return rc;
	struct store_user *u = calloc(1, sizeof *u);
	bool again = false;
	if (!u)
		return STORE_EIO;
	rc = store_user_by_name(c, username, u, &again);
	char object[40];
	snprintf(object, sizeof object, "user:%lld", (long long)u->id);
	sodium_memzero(u, sizeof *u);
	free(u);
	if (rc != STORE_OK)
		return rc;
	struct store_audit a = {.actor = actor, .action = "user.reset", .object = object, .detail = "password and second factor"};
	return audit_append(c, &a);
}

/* Disables (at != NULL) or enables a person found by name, with the audit entry. */
static int set_disabled(store_conn *c, const char *actor, const char *username, const char *at, bool *found)
{
	struct store_user *u = calloc(1, sizeof *u);
	if (!u)
		return STORE_EIO;
	int rc = store_user_by_name(c, username, u, found);
	if (rc == STORE_OK && *found)
		rc = at ? store_user_disable(c, username, at, found) : store_user_enable(c, username, found);
	char object[40];
	snprintf(object, sizeof object, "user:%lld", (long long)u->id);
	sodium_memzero(u, sizeof *u);
	free(u);
	if (rc != STORE_OK || !*found)
		return rc;
	struct store_audit a = {.actor = actor, .action = at ? "user.disable" : "user.enable", .object = object,
				.detail = at ? "sign-in refused, sessions ended" : "sign-in allowed again"};
	return audit_append(c, &a);
}

int users_disable(store_conn *c, const char *actor, const char *username, int64_t now, bool *found)
{
	char at[STORE_TS_LEN + 1];
	ts_format_utc(now, at);
	return set_disabled(c, actor, username, at, found);
}

int users_enable(store_conn *c, const char *actor, const char *username, bool *found)
{
	return set_disabled(c, actor, username, NULL, found);
}

int users_exists(store_conn *c, const char *username, bool *found)
{
	struct store_user *u = calloc(1, sizeof *u);
	if (!u)
		return STORE_EIO;
	int rc = store_user_by_name(c, username, u, found);
	sodium_memzero(u, sizeof *u);
	free(u);
	return rc;
}

struct list_args {
	int limit;
	store_user_fn fn;
	void *ctx;
	int64_t id;
	struct store_user *out;
	bool *found;
};

static int list_run(store_conn *c, void *arg)
{
	struct list_args *a = arg;
	return store_users(c, a->limit, a->fn, a->ctx);
}

int users_list(store *st, int limit, store_user_fn fn, void *ctx)
{
	struct list_args a = {.limit = limit, .fn = fn, .ctx = ctx};
	return service_in_snapshot(st, list_run, &a);
}

static int get_run(store_conn *c, void *arg)
{
	struct list_args *a = arg;
	return store_user_by_id(c, a->id, a->out, a->found);
}

int users_get(store *st, int64_t id, struct store_user *out, bool *found)
{
	struct list_args a = {.id = id, .out = out, .found = found};
	memset(out, 0, sizeof *out);
	*found = false;
	int rc = service_in_snapshot(st, get_run, &a);
	/* The pages need none of the secrets: they do not leave this function. */
	sodium_memzero(out->password_hash, sizeof out->password_hash);
	sodium_memzero(out->totp_secret, sizeof out->totp_secret);
	return rc;
}

/* ---- signing in ---- */

struct check_args {
	const char *username, *remote;
	char since[STORE_TS_LEN + 1];
	struct store_user *user;
	bool found;
	int64_t account_failures, address_failures;
};

static int check_run(store_conn *c, void *arg)
{
	struct check_args *a = arg;
	int rc = store_user_by_name(c, a->username, a->user, &a->found);
	if (rc == STORE_OK)
		rc = store_login_failures(c, a->username, a->remote, a->since, &a->account_failures,
					  &a->address_failures);
	return rc;
}

int users_check(store *st, const char *username, const char *password, const char *totp, const char *remote,
		int64_t now, struct store_user *user, enum users_sign_in *res)
{
	struct check_args a = {.username = username, .remote = remote, .user = user};
	*res = USERS_WRONG;
	memset(user, 0, sizeof *user);
	ts_format_utc(now - USERS_FAILURE_WINDOW_SECONDS, a.since);
	int rc = service_in_snapshot(st, check_run, &a);
	if (rc != STORE_OK)
		return rc;
	if (a.account_failures >= USERS_FAILURES_PER_ACCOUNT || a.address_failures >= USERS_FAILURES_PER_ADDRESS) {
		*res = USERS_THROTTLED;
		return STORE_OK;
	}
	/* An unknown name costs what a known one does, so the time taken does not say which names exist. */
	static const char dummy[] = "$argon2id$v=19$m=19456,t=2,p=1$vmFOoYEA1dfiUrA9MBHmRw$"
				    "sfMjH1u4abejGwtazgv0/SGVsLLB5JXnt92fyHOeq8E"; /* of a password no one has */
	bool password_ok = crypto_pwhash_str_verify(a.found ? user->password_hash : dummy, password,
						    strlen(password)) == 0;
	int pos = 0;
	bool code_ok = a.found && strlen(totp) == 6 && strspn(totp, "0123456789") == 6 &&
		       oath_totp_validate2((const char *)user->totp_secret, sizeof user->totp_secret, (time_t)now,
					   TOTP_STEP, 0, TOTP_WINDOW, &pos, totp) >= 0;
	/* Each code signs in once (RFC 6238 section 5.2): a step at or before the last one used is a replay.
	 * users_session_open records the step, conditionally, so that two sign-ins racing with one code cannot
	 * both succeed. */
	int64_t step = now / TOTP_STEP + pos;
	if (code_ok && step <= user->totp_last_step)
		code_ok = false;
	if (code_ok)
		user->totp_last_step = step;
	if (a.found && password_ok && code_ok && !user->disabled_at[0])
		*res = USERS_SIGNED_IN;
	return STORE_OK;
}

int users_session_open(store_conn *c, const struct store_user *user, enum users_sign_in res, const char *username,
		       const char *remote, const char *kind, int64_t now, char token[USERS_SESSION_TOKEN_MAX],
		       char expires_at[STORE_TS_LEN + 1])
{
	token[0] = expires_at[0] = '\0';
	bool advanced = true;
	if (res == USERS_SIGNED_IN) {
		int trc = store_user_totp_step(c, user->id, user->totp_last_step, &advanced);
		if (trc != STORE_OK)
			return trc;
		if (!advanced)
			res = USERS_WRONG; /* another sign-in used this code first */
	}
	int rc = res == USERS_THROTTLED ? STORE_OK : store_login_attempt_add(c, username, remote, res == USERS_SIGNED_IN);
	if (rc != STORE_OK)
		return rc;
	char object[40];
	snprintf(object, sizeof object, "user:%lld", (long long)user->id);
	struct store_audit a = {.actor = res == USERS_SIGNED_IN ? object : "anonymous",
				.action = res == USERS_SIGNED_IN ? "session.open" : "session.refused",
				.object = user->id ? object : "user",
				.detail = res == USERS_THROTTLED ? "throttled" : res == USERS_WRONG ? "wrong" : kind};
	if ((rc = audit_append(c, &a)) != STORE_OK || res != USERS_SIGNED_IN)
		return rc;

	unsigned char secret[32];
	uint8_t hash[STORE_TOKEN_HASH_LEN];
	struct store_session s;
	memset(&s, 0, sizeof s);
	randombytes_buf(secret, sizeof secret);
	memcpy(token, "sgs_", 4);
	sodium_bin2base64(token + 4, USERS_SESSION_TOKEN_MAX - 4, secret, sizeof secret,
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(secret, sizeof secret);
	crypto_generichash(hash, sizeof hash, (const unsigned char *)token, strlen(token), NULL, 0);
	s.user_id = user->id;
	snprintf(s.kind, sizeof s.kind, "%s", kind);
	ts_format_utc(now, s.created_at);
	ts_format_utc(now + USERS_SESSION_MAX_SECONDS, s.expires_at);
	ts_format_utc(now + USERS_SESSION_IDLE_SECONDS, s.idle_until);
	if ((rc = store_session_insert(c, hash, &s)) != STORE_OK) {
		token[0] = '\0';
		return rc;
	}
	memcpy(expires_at, s.expires_at, STORE_TS_LEN + 1);
	return STORE_OK;
}

int users_session_find(store_conn *c, const char *token, int64_t now, struct store_session *out, bool *found)
{
	uint8_t hash[STORE_TOKEN_HASH_LEN];
	char at[STORE_TS_LEN + 1];
	*found = false;
	if (strncmp(token, "sgs_", 4) != 0 || strlen(token) != 47)
		return STORE_OK;
	crypto_generichash(hash, sizeof hash, (const unsigned char *)token, strlen(token), NULL, 0);
	ts_format_utc(now, at);
	return store_session_find(c, hash, at, out, found);
}

int users_session_touch(store_conn *c, const char *token, int64_t now)
{
	uint8_t hash[STORE_TOKEN_HASH_LEN];
	char until[STORE_TS_LEN + 1];
	crypto_generichash(hash, sizeof hash, (const unsigned char *)token, strlen(token), NULL, 0);
	ts_format_utc(now + USERS_SESSION_IDLE_SECONDS, until);
	return store_session_touch(c, hash, until);
}

int users_session_end(store_conn *c, const char *token, const char *actor, int64_t now)
{
	uint8_t hash[STORE_TOKEN_HASH_LEN];
	char at[STORE_TS_LEN + 1];
	crypto_generichash(hash, sizeof hash, (const unsigned char *)token, strlen(token), NULL, 0);
	ts_format_utc(now, at);
	int rc = store_session_end(c, hash, at);
	if (rc != STORE_OK)
		return rc;
	struct store_audit a = {.actor = actor, .action = "session.close", .object = actor, .detail = "signed out"};
	return audit_append(c, &a);
}

void users_csrf_token(const char *secret, char out[USERS_CSRF_MAX])
{
	static const char purpose[] = "safeguard csrf v1";
	unsigned char mac[24];
	size_t n = strlen(secret);
	/* The secret is the key (BLAKE2b takes up to 64 bytes of key; session tokens are 47 characters). */
	crypto_generichash(mac, sizeof mac, (const unsigned char *)purpose, sizeof purpose - 1,
			   (const unsigned char *)secret, n > crypto_generichash_KEYBYTES_MAX ? crypto_generichash_KEYBYTES_MAX : n);
	sodium_bin2base64(out, USERS_CSRF_MAX, mac, sizeof mac, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

bool users_csrf_ok(const char *secret, const char *given)
{
	char want[USERS_CSRF_MAX];
	if (!secret || !*secret || !given)
		return false;
	users_csrf_token(secret, want);
	size_t n = strlen(want);
	return strlen(given) == n && sodium_memcmp(want, given, n) == 0;
}
