#include "service/users.h"

#include <arpa/inet.h>
#include <liboath/oath.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/text.h"
#include "service/audit.h"
#include "service/service_int.h"
#include "service/txq.h"

#define PWHASH_OPSLIMIT 2
#define PWHASH_MEMLIMIT (19u * 1024 * 1024)
#define TOTP_STEP 30
#define TOTP_WINDOW 1
#define TOTP_SECRET_LEN 20

/* ---- the server's key for TOTP secrets ---- */

/* Set once at start, before any thread (users.h); read-only afterwards. */
static uint8_t totp_key[USERS_TOTP_KEY_LEN];
static bool have_totp_key;

void users_use_totp_key(const uint8_t key[USERS_TOTP_KEY_LEN])
{
	memcpy(totp_key, key, USERS_TOTP_KEY_LEN);
	have_totp_key = true;
}

static void totp_ad(const char *username, unsigned char *ad, size_t *adlen)
{
	/* The username binds the sealed secret to its row: copied onto another person's row, it does not open. */
	static const char purpose[] = "safeguard totp v1:";
	size_t n = strlen(username);
	memcpy(ad, purpose, sizeof purpose - 1);
	memcpy(ad + sizeof purpose - 1, username, n);
	*adlen = sizeof purpose - 1 + n;
}

static int totp_seal(const char *username, const uint8_t secret[TOTP_SECRET_LEN],
		     uint8_t out[STORE_TOTP_SEALED_LEN])
{
	unsigned char ad[32 + STORE_USER_MAX];
	size_t adlen = 0;
	unsigned long long clen = 0;
	_Static_assert(STORE_TOTP_SEALED_LEN == crypto_aead_xchacha20poly1305_ietf_NPUBBYTES + TOTP_SECRET_LEN +
						       crypto_aead_xchacha20poly1305_ietf_ABYTES,
		       "a sealed TOTP secret is nonce || ciphertext || tag");
	if (!have_totp_key) {
		fprintf(stderr, "safeguard: there is no key for TOTP secrets (PATH.totp-key): none is stored in plain text\n");
		return STORE_EIO;
	}
	totp_ad(username, ad, &adlen);
	randombytes_buf(out, crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
	crypto_aead_xchacha20poly1305_ietf_encrypt(out + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES, &clen, secret,
						   TOTP_SECRET_LEN, ad, adlen, NULL, out, totp_key);
	return STORE_OK;
}

/* The person's TOTP secret in plain text, in out (the caller wipes it). -1 when it cannot be opened: no key,
 * another key, or a row changed. */
static int totp_open(const struct store_user *u, uint8_t out[TOTP_SECRET_LEN])
{
	unsigned char ad[32 + STORE_USER_MAX];
	size_t adlen = 0;
	unsigned long long mlen = 0;
	if (!u->totp_is_sealed) { /* a row from before schema 15 that users_seal_legacy has not reached yet */
		memcpy(out, u->totp_secret, TOTP_SECRET_LEN);
		return 0;
	}
	if (!have_totp_key)
		return -1;
	totp_ad(u->username, ad, &adlen);
	if (crypto_aead_xchacha20poly1305_ietf_decrypt(out, &mlen, NULL,
						       u->totp_sealed + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES,
						       STORE_TOTP_SEALED_LEN - crypto_aead_xchacha20poly1305_ietf_NPUBBYTES,
						       ad, adlen, u->totp_sealed, totp_key) != 0 ||
	    mlen != TOTP_SECRET_LEN) {
		sodium_memzero(out, TOTP_SECRET_LEN);
		return -1;
	}
	return 0;
}

/* A new secret, sealed into sealed, and given in base32 for the person's authenticator app. */
static int totp_new(const char *username, uint8_t sealed[STORE_TOTP_SEALED_LEN], char secret_b32[USERS_TOTP_SECRET_B32])
{
	uint8_t secret[TOTP_SECRET_LEN];
	char *b32 = NULL;
	size_t len = 0;
	secret_b32[0] = '\0';
	randombytes_buf(secret, sizeof secret);
	int rc = totp_seal(username, secret, sealed);
	if (rc == STORE_OK) {
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
	return rc;
}

/* The rows still in plain text are gathered first and sealed after the walk: no row changes under its
 * statement. */
struct legacy {
	struct store_user *v;
	size_t n, cap;
};

static int gather_plain(const struct store_user *u, void *ctx)
{
	struct legacy *l = ctx;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		struct store_user *v = sodium_allocarray(cap, sizeof *v);
		if (!v)
			return STORE_EIO;
		if (l->n)
			memcpy(v, l->v, l->n * sizeof *v);
		sodium_free(l->v); /* zeroes the copies it held */
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = *u;
	return 0;
}

int users_clear_sealed_pages(store *st)
{
	store_conn *c = store_conn_get(st);
	int rc = c ? store_wal_truncate(c) : STORE_EIO;
	if (c)
		store_conn_put(st, c);
	return rc;
}

int users_seal_legacy(store_conn *c, const char *actor, int *n)
{
	struct legacy l = {NULL, 0, 0};
	*n = 0;
	if (!have_totp_key)
		return STORE_EIO;
	int rc = store_users_totp_plain(c, gather_plain, &l);
	for (size_t i = 0; rc == STORE_OK && i < l.n; i++) {
		uint8_t sealed[STORE_TOTP_SEALED_LEN];
		if ((rc = totp_seal(l.v[i].username, l.v[i].totp_secret, sealed)) == STORE_OK)
			rc = store_user_totp_seal(c, l.v[i].id, sealed);
	}
	if (l.v)
		sodium_free(l.v);
	if (rc != STORE_OK || l.n == 0)
		return rc;
	*n = (int)l.n;
	char detail[96];
	snprintf(detail, sizeof detail, "%zu TOTP secrets encrypted with the server's key", l.n);
	struct store_audit a = {.actor = actor, .action = "users.seal_secrets", .object = "app_user", .detail = detail};
	return audit_append(c, &a);
}

static const char *const roles[] = {"social_worker", "team_manager", "mash_worker", "police_officer",
				    "health_practitioner", "school_dsl", "conference_chair", "oversight_analyst",
				    "dpo", "admin", "lado"};

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

/* Which roles each agency's people may hold (users.h; docs/SECURITY.md). Decision: children's social care
 * holds the statutory roles and runs the service (MASH, conference chairs, oversight of homes, the data
 * protection officer, administrators); the partner agencies' people hold their own practitioner role, and
 * any agency seconds people to the MASH (a MASH is multi-agency by definition). */
static const struct {
	const char *agency;
	const char *roles; /* space-separated, with a space at each end */
} agency_roles[] = {
	{"social_care", " social_worker team_manager mash_worker conference_chair oversight_analyst dpo admin lado "},
	{"police", " police_officer mash_worker "},
	{"health", " health_practitioner mash_worker "},
	{"education", " school_dsl mash_worker "},
	{"housing", " mash_worker "},
};

bool users_role_fits_agency(const char *role, const char *agency)
{
	char word[STORE_CODE_MAX + 3];
	if (!users_role_known(role) || strlen(role) > STORE_CODE_MAX)
		return false;
	snprintf(word, sizeof word, " %s ", role);
	for (size_t i = 0; i < sizeof agency_roles / sizeof agency_roles[0]; i++)
		if (strcmp(agency_roles[i].agency, agency) == 0)
			return strstr(agency_roles[i].roles, word) != NULL;
	return false;
}

void users_agencies_of_role(const char *role, char *out, size_t outsz)
{
	size_t n = 0;
	out[0] = '\0';
	for (size_t i = 0; i < sizeof agency_roles / sizeof agency_roles[0] && n < outsz; i++)
		if (users_role_fits_agency(role, agency_roles[i].agency)) {
			int k = snprintf(out + n, outsz - n, "%s%s", n ? ", " : "", agency_roles[i].agency);
			if (k < 0)
				break;
			n += (size_t)k;
		}
}

bool users_may_hold_cases(const char *role, const char *agency)
{
	return strcmp(agency, "social_care") == 0 &&
	       (strcmp(role, "social_worker") == 0 || strcmp(role, "team_manager") == 0);
}

static bool one_line_text(const char *s, size_t max_chars)
{
	size_t n = strlen(s);
	return text_utf8_valid(s, n) && !text_has_controls(s, n) && !strpbrk(s, "\t\r\n") &&
	       text_utf8_length(s, n) <= max_chars;
}

static bool email_ok(const char *e)
{
	size_t n = strlen(e);
	const char *at = strchr(e, '@');
	if (n > STORE_EMAIL_MAX || !at || at == e || strchr(at + 1, '@') || !strchr(at + 1, '.'))
		return false;
	const char *dot = strrchr(e, '.');
	if (dot[1] == '\0' || at[1] == '.')
		return false;
	for (const char *p = e; *p; p++)
		if ((unsigned char)*p <= ' ' || (unsigned char)*p >= 0x7f || strchr("<>()[]\\,;:\"", *p))
			return false;
	return true;
}

static bool phone_ok(const char *ph)
{
	size_t n = strlen(ph), digits = 0;
	if (n > STORE_PHONE_MAX)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (ph[i] >= '0' && ph[i] <= '9')
			digits++;
		else if (!(ph[i] == ' ' || (ph[i] == '+' && i == 0)))
			return false;
	}
	return digits >= 6 && digits <= 15; /* ITU-T E.164: at most 15 digits */
}

enum users_add_result users_check_profile(const struct users_profile *p)
{
	if (!p)
		return USERS_ADDED;
	if (p->full_name && !one_line_text(p->full_name, USERS_FULL_NAME_MAX))
		return USERS_BAD_FULL_NAME;
	if (p->email && p->email[0] && !email_ok(p->email))
		return USERS_BAD_EMAIL;
	if (p->phone && p->phone[0] && !phone_ok(p->phone))
		return USERS_BAD_PHONE;
	return USERS_ADDED;
}

struct team_find {
	const char *code;
	bool found;
};

static int team_match(const struct store_team *t, void *ctx)
{
	struct team_find *f = ctx;
	if (strcmp(t->code, f->code) == 0)
		f->found = true;
	return 0;
}

int users_add(store_conn *c, const char *actor, const char *username, const char *agency, const char *role,
	      const char *password_hash, char secret_b32[USERS_TOTP_SECRET_B32], enum users_add_result *res)
{
	return users_add_person(c, actor, username, agency, role, NULL, password_hash, secret_b32, res);
}

int users_add_person(store_conn *c, const char *actor, const char *username, const char *agency, const char *role,
		     const struct users_profile *profile, const char *password_hash,
		     char secret_b32[USERS_TOTP_SECRET_B32], enum users_add_result *res)
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
	bool taken = false; /* said first: the same answer whatever else the form says */
	if ((rc = users_exists(c, username, &taken)) != STORE_OK)
		return rc;
	if (taken) {
		*res = USERS_TAKEN;
		return STORE_OK;
	}
	if (!users_role_fits_agency(role, agency)) {
		*res = USERS_ROLE_NOT_IN_AGENCY;
		return STORE_OK;
	}
	if ((*res = users_check_profile(profile)) != USERS_ADDED)
		return STORE_OK;
	if (profile && profile->team && profile->team[0]) {
		struct team_find f = {profile->team, false};
		if ((rc = store_teams(c, 10000, team_match, &f)) != STORE_OK)
			return rc;
		if (!f.found) {
			*res = USERS_NO_TEAM;
			return STORE_OK;
		}
		snprintf(u.team, sizeof u.team, "%s", profile->team);
	}
	if (profile) {
		snprintf(u.full_name, sizeof u.full_name, "%s", profile->full_name ? profile->full_name : "");
		snprintf(u.email, sizeof u.email, "%s", profile->email ? profile->email : "");
		snprintf(u.phone, sizeof u.phone, "%s", profile->phone ? profile->phone : "");
	}
	snprintf(u.username, sizeof u.username, "%s", username);
	snprintf(u.agency, sizeof u.agency, "%s", agency);
	snprintf(u.role, sizeof u.role, "%s", role);
	snprintf(u.password_hash, sizeof u.password_hash, "%s", password_hash);
	if ((rc = totp_new(username, u.totp_sealed, secret_b32)) != STORE_OK)
		return rc;
	rc = store_user_insert(c, &u, &id);
	if (rc == STORE_ECONFLICT) {
		*res = USERS_TAKEN;
		sodium_memzero(secret_b32, USERS_TOTP_SECRET_B32);
		return STORE_OK;
	}
	if (rc != STORE_OK) {
		sodium_memzero(secret_b32, USERS_TOTP_SECRET_B32);
		return rc;
	}
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
	uint8_t sealed[STORE_TOTP_SEALED_LEN];
	*found = false;
	int rc = totp_new(username, sealed, secret_b32);
	if (rc == STORE_OK)
		rc = store_user_set_credentials(c, username, password_hash, sealed, found);
	if (rc != STORE_OK || !*found) {
		sodium_memzero(secret_b32, USERS_TOTP_SECRET_B32);
		return rc;
	}
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

int users_reset_totp(store_conn *c, const char *actor, const char *username, char secret_b32[USERS_TOTP_SECRET_B32],
		     bool *found)
{
	uint8_t sealed[STORE_TOTP_SEALED_LEN];
	*found = false;
	struct store_user *u = calloc(1, sizeof *u);
	if (!u)
		return STORE_EIO;
	int rc = store_user_by_name(c, username, u, found);
	int64_t id = u->id;
	sodium_memzero(u, sizeof *u);
	free(u);
	if (rc != STORE_OK || !*found)
		return rc;
	if ((rc = totp_new(username, sealed, secret_b32)) == STORE_OK)
		rc = store_user_set_totp(c, username, sealed, found);
	sodium_memzero(sealed, sizeof sealed);
	if (rc != STORE_OK || !*found) {
		sodium_memzero(secret_b32, USERS_TOTP_SECRET_B32);
		return rc;
	}
	char object[40];
	snprintf(object, sizeof object, "user:%lld", (long long)id);
	struct store_audit a = {.actor = actor, .action = "user.totp_reset", .object = object, .detail = "second factor"};
	return audit_append(c, &a);
}

int users_totp_opens(store_conn *c, const char *username, bool *found, bool *opens)
{
	uint8_t secret[TOTP_SECRET_LEN];
	*opens = false;
	struct store_user *u = calloc(1, sizeof *u);
	if (!u)
		return STORE_EIO;
	int rc = store_user_by_name(c, username, u, found);
	/* A secret still in plain text (before schema 15) opens with no key, so it cannot confirm the key given:
	 * such a row answers false, and the caller refuses unless told the key is right (a reviewer sealed a new
	 * secret with a wrong key through this gap). serve and user add seal those rows at start. */
	if (rc == STORE_OK && *found)
		*opens = u->totp_is_sealed && totp_open(u, secret) == 0;
	sodium_memzero(secret, sizeof secret);
	sodium_memzero(u, sizeof *u);
	free(u);
	return rc;
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
	sodium_memzero(out->totp_sealed, sizeof out->totp_sealed);
	return rc;
}

/* ---- a person as other pages show them ---- */

static void person_of(const struct store_user *u, struct users_person *out)
{
	memset(out, 0, sizeof *out);
	snprintf(out->username, sizeof out->username, "%s", u->username);
	snprintf(out->name, sizeof out->name, "%s", u->full_name[0] ? u->full_name : u->username);
	snprintf(out->agency, sizeof out->agency, "%s", u->agency);
	snprintf(out->role, sizeof out->role, "%s", u->role);
	snprintf(out->team, sizeof out->team, "%s", u->team);
	snprintf(out->email, sizeof out->email, "%s", u->email);
	snprintf(out->phone, sizeof out->phone, "%s", u->phone);
	out->disabled = u->disabled_at[0] != '\0';
}

int users_person(store_conn *c, const char *username, struct users_person *out, bool *found)
{
	struct store_user *u = calloc(1, sizeof *u);
	if (!u)
		return STORE_EIO;
	int rc = store_user_by_name(c, username, u, found);
	if (rc == STORE_OK && *found) {
		person_of(u, out);
	} else {
		memset(out, 0, sizeof *out);
		snprintf(out->username, sizeof out->username, "%s", username);
		snprintf(out->name, sizeof out->name, "%s", username);
	}
	sodium_memzero(u, sizeof *u);
	free(u);
	return rc;
}

struct person_args {
	const char *username;
	struct users_person *out;
	bool *found;
};

static int person_run(store_conn *c, void *arg)
{
	struct person_args *a = arg;
	return users_person(c, a->username, a->out, a->found);
}

int users_person_get(store *st, const char *username, struct users_person *out, bool *found)
{
	struct person_args a = {username, out, found};
	*found = false;
	return service_in_snapshot(st, person_run, &a);
}

/* Every word of the query (folded as names are) is in the person's folded name or username. */
struct find_args {
	char words[4 * USERS_FULL_NAME_MAX + 8];
	bool only_case_holders;
	int limit, n;
	users_person_fn fn;
	void *ctx;
};

static bool words_in(const char *words, const char *hay)
{
	char w[4 * USERS_FULL_NAME_MAX + 8];
	const char *p = words;
	while (*p) {
		size_t k = strcspn(p, " ");
		if (k && k < sizeof w) {
			memcpy(w, p, k);
			w[k] = '\0';
			if (!strstr(hay, w))
				return false;
		}
		p += k;
		while (*p == ' ')
			p++;
	}
	return true;
}

static int find_row(const struct store_user *u, void *ctx)
{
	struct find_args *a = ctx;
	char hay[2 * (4 * USERS_FULL_NAME_MAX + 8) + 2 * STORE_USER_MAX + 4], folded[4 * USERS_FULL_NAME_MAX + 8],
		ufolded[STORE_USER_MAX + 2];
	if (a->n >= a->limit)
		return 0;
	if (a->only_case_holders && (!users_may_hold_cases(u->role, u->agency) || u->disabled_at[0]))
		return 0;
	if (text_name_fold(u->full_name, folded, sizeof folded) < 0)
		folded[0] = '\0';
	/* The username as typed and as folded (a hyphen dropped: "okonkwo-reid" is found by "okonkwo-reid"). */
	if (text_name_fold(u->username, ufolded, sizeof ufolded) < 0)
		ufolded[0] = '\0';
	snprintf(hay, sizeof hay, "%s %s %s", folded, u->username, ufolded);
	if (!words_in(a->words, hay))
		return 0;
	struct users_person p;
	person_of(u, &p);
	a->n++;
	return a->fn(&p, u->id, a->ctx);
}

static int find_run(store_conn *c, void *arg)
{
	/* Every person (an area has hundreds, not millions): the filter is the name's words, as folded. */
	return store_users(c, 100000, find_row, arg);
}

int users_find(store *st, const char *text, bool only_case_holders, int limit, users_person_fn fn, void *ctx)
{
	struct find_args *a = calloc(1, sizeof *a);
	if (!a)
		return STORE_EIO;
	if (text_name_fold(text, a->words, sizeof a->words) < 0)
		a->words[0] = '\0';
	/* A username's dots and hyphens are kept as typed (folding turns them into spaces: still matched). */
	a->only_case_holders = only_case_holders;
	a->limit = limit;
	a->fn = fn;
	a->ctx = ctx;
	int rc = service_in_snapshot(st, find_run, a);
	free(a);
	return rc;
}

/* ---- signing in ---- */

enum throttle { THROTTLE_NONE = 0, THROTTLE_PAIR, THROTTLE_ACCOUNT, THROTTLE_ADDRESS };

/* The address's throttling key: IPv4 as it is, IPv6 by its /64. */
static void address_key(const char *remote, char out[64])
{
	unsigned char a[16];
	char text[INET6_ADDRSTRLEN];
	if (strchr(remote, ':') && inet_pton(AF_INET6, remote, a) == 1) {
		memset(a + 8, 0, 8);
		if (inet_ntop(AF_INET6, a, text, sizeof text)) {
			snprintf(out, 64, "%s/64", text);
			return;
		}
	}
	snprintf(out, 64, "%s", remote);
}

/* Seconds since the newest failure, from its timestamp ("" when none: a long time). */
static int64_t since_last(const char *last, int64_t now)
{
	int64_t at = 0;
	if (!last[0] || ts_parse_rfc3339(last, &at) != 0)
		return INT64_MAX;
	return now - at;
}

/* Which key refuses a try now (users.h), and after how many seconds one may try again. */
static enum throttle throttled(const struct store_login_failures *f, int64_t now, int *retry_after)
{
	*retry_after = 0;
	if (f->pair >= USERS_FAILURES_PER_PAIR) {
		*retry_after = USERS_FAILURE_WINDOW_SECONDS;
		return THROTTLE_PAIR;
	}
	int64_t ago = since_last(f->account_last, now);
	if (f->account >= USERS_FAILURES_PER_ACCOUNT && ago < USERS_BACKOFF_SECONDS) {
		*retry_after = (int)(USERS_BACKOFF_SECONDS - (ago < 0 ? 0 : ago));
		return THROTTLE_ACCOUNT;
	}
	ago = since_last(f->address_last, now);
	if (f->address >= USERS_FAILURES_PER_ADDRESS && ago < USERS_BACKOFF_SECONDS) {
		*retry_after = (int)(USERS_BACKOFF_SECONDS - (ago < 0 ? 0 : ago));
		return THROTTLE_ADDRESS;
	}
	return THROTTLE_NONE;
}

struct look_args {
	struct users_attempt *si;
	char since[STORE_TS_LEN + 1];
	struct store_login_failures f;
	bool found;
};

static int look_run(store_conn *c, void *arg)
{
	struct look_args *a = arg;
	int rc = store_user_by_name(c, a->si->username, &a->si->user, &a->found);
	if (rc == STORE_OK)
		rc = store_login_failures(c, a->si->username, a->si->key, a->since, &a->f);
	return rc;
}

/* The refusal of a throttled try: audited once per key and window (the rest write nothing). */
static int refuse(store_conn *c, struct users_attempt *si, enum throttle t, const char *since, const char *now)
{
	char key[sizeof si->key + STORE_USER_MAX + 16], object[40], detail[96];
	bool first = false;
	switch (t) {
	case THROTTLE_PAIR:
		snprintf(key, sizeof key, "pair %s %s", si->key, si->username);
		snprintf(detail, sizeof detail, "this address and username: %d failures in %d minutes",
			 USERS_FAILURES_PER_PAIR, USERS_FAILURE_WINDOW_SECONDS / 60);
		break;
	case THROTTLE_ACCOUNT:
		snprintf(key, sizeof key, "account %s", si->username);
		snprintf(detail, sizeof detail, "this username: %d failures in %d minutes, one try every %d seconds",
			 USERS_FAILURES_PER_ACCOUNT, USERS_FAILURE_WINDOW_SECONDS / 60, USERS_BACKOFF_SECONDS);
		break;
	default:
		snprintf(key, sizeof key, "address %s", si->key);
		snprintf(detail, sizeof detail, "this address: %d failures in %d minutes, one try every %d seconds",
			 USERS_FAILURES_PER_ADDRESS, USERS_FAILURE_WINDOW_SECONDS / 60, USERS_BACKOFF_SECONDS);
		break;
	}
	si->res = USERS_THROTTLED;
	int rc = store_login_throttle_note(c, key, since, now, &first);
	if (rc != STORE_OK || !first)
		return rc;
	if (si->user.id)
		snprintf(object, sizeof object, "user:%lld", (long long)si->user.id);
	else
		snprintf(object, sizeof object, "user");
	struct store_audit a = {.actor = "anonymous", .action = "session.throttled", .object = object, .detail = detail};
	return audit_append(c, &a);
}

static int open_session(store_conn *c, struct users_attempt *si)
{
	unsigned char secret[32];
	uint8_t hash[STORE_TOKEN_HASH_LEN];
	struct store_session s;
	memset(&s, 0, sizeof s);
	randombytes_buf(secret, sizeof secret);
	memcpy(si->token, "sgs_", 4);
	sodium_bin2base64(si->token + 4, USERS_SESSION_TOKEN_MAX - 4, secret, sizeof secret,
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(secret, sizeof secret);
	crypto_generichash(hash, sizeof hash, (const unsigned char *)si->token, strlen(si->token), NULL, 0);
	s.user_id = si->user.id;
	snprintf(s.kind, sizeof s.kind, "%s", si->kind);
	ts_format_utc(si->now, s.created_at);
	ts_format_utc(si->now + USERS_SESSION_MAX_SECONDS, s.expires_at);
	ts_format_utc(si->now + USERS_SESSION_IDLE_SECONDS, s.idle_until);
	int rc = store_session_insert(c, hash, &s);
	if (rc != STORE_OK) {
		sodium_memzero(si->token, sizeof si->token);
		return rc;
	}
	memcpy(si->expires_at, s.expires_at, STORE_TS_LEN + 1);
	return STORE_OK;
}

/* On the write queue: the throttles again, in the transaction that records the attempt. */
static int record_run(store_conn *c, void *arg)
{
	struct users_attempt *si = arg;
	char since[STORE_TS_LEN + 1], now[STORE_TS_LEN + 1];
	struct store_login_failures f;
	ts_format_utc(si->now - USERS_FAILURE_WINDOW_SECONDS, since);
	ts_format_utc(si->now, now);
	int rc = store_login_failures(c, si->username, si->key, since, &f);
	if (rc != STORE_OK)
		return rc;
	enum throttle t = throttled(&f, si->now, &si->retry_after);
	if (t == THROTTLE_NONE && si->throttle != THROTTLE_NONE) { /* refused when read: not evaluated since */
		t = (enum throttle)si->throttle;
		si->retry_after = si->retry_after ? si->retry_after : 1;
	}
	if (t != THROTTLE_NONE)
		return refuse(c, si, t, since, now);
	if (si->res == USERS_SIGNED_IN) {
		bool advanced = true;
		/* Each code signs in once: two sign-ins racing with one code cannot both succeed. */
		/* ... and only while the row holds the secret checked and is not disabled: a reset, reset-totp or disable
		 * committed since the check refuses the sign-in (the sealed secret is no secret without the key). */
		if ((rc = store_user_totp_step(c, si->user.id, si->user.totp_last_step,
					       si->user.totp_is_sealed ? si->user.totp_sealed : NULL, &advanced)) != STORE_OK)
			return rc;
		if (!advanced)
			si->res = USERS_WRONG;
	}
	if ((rc = store_login_attempt_add(c, si->username, si->key, si->res == USERS_SIGNED_IN)) != STORE_OK)
		return rc;
	if (!si->user.id) /* a username that names no one: counted above, and nobody's data to audit */
		return STORE_OK;
	char object[40];
	snprintf(object, sizeof object, "user:%lld", (long long)si->user.id);
	struct store_audit a = {.actor = si->res == USERS_SIGNED_IN ? object : "anonymous",
				.action = si->res == USERS_SIGNED_IN ? "session.open" : "session.refused",
				.object = object,
				.detail = si->res == USERS_SIGNED_IN ? si->kind : "wrong"};
	if ((rc = audit_append(c, &a)) != STORE_OK || si->res != USERS_SIGNED_IN)
		return rc;
	return open_session(c, si);
}

static void record_done(struct txq_job *job)
{
	struct users_attempt *si = (struct users_attempt *)job;
	sodium_memzero(si->user.totp_sealed, sizeof si->user.totp_sealed);
	si->rc = job->rc < 0 ? job->rc : STORE_OK;
	if (si->rc != STORE_OK || si->res != USERS_SIGNED_IN) {
		sodium_memzero(si->token, sizeof si->token);
		si->expires_at[0] = '\0';
		if (si->res == USERS_SIGNED_IN)
			si->res = USERS_WRONG;
	}
	si->done(si);
}

/* Whether the password and the code are right for the person (or, for a name that names no one, the same
 * work and false). */
static bool credentials_ok(struct users_attempt *si, bool found, const char *password, const char *totp)
{
	/* An unknown name costs what a known one does, so the time taken does not say which names exist. */
	static const char dummy[crypto_pwhash_STRBYTES] = "$argon2id$v=19$m=19456,t=2,p=1$vmFOoYEA1dfiUrA9MBHmRw$"
				    "sfMjH1u4abejGwtazgv0/SGVsLLB5JXnt92fyHOeq8E"; /* of a password no one has */
	struct store_user *user = &si->user;
	bool password_ok = crypto_pwhash_str_verify(found ? user->password_hash : dummy, password,
						    strlen(password)) == 0;
	uint8_t secret[TOTP_SECRET_LEN];
	bool opened = found && totp_open(user, secret) == 0;
	if (found && !opened)
		fprintf(stderr, "safeguard: a TOTP secret does not open with the server's key (user:%lld): is it the "
				"key the secret was sealed with?\n", (long long)user->id);
	int pos = 0;
	bool code_ok = opened && strlen(totp) == 6 && strspn(totp, "0123456789") == 6 &&
		       oath_totp_validate2((const char *)secret, sizeof secret, (time_t)si->now, TOTP_STEP, 0, TOTP_WINDOW,
					   &pos, totp) >= 0;
	sodium_memzero(secret, sizeof secret);
	/* Each code signs in once (RFC 6238 section 5.2): a step at or before the last one used is a replay.
	 * record_run records the step, conditionally, so that two sign-ins racing with one code cannot both
	 * succeed. */
	int64_t step = si->now / TOTP_STEP + pos;
	if (code_ok && step <= user->totp_last_step)
		code_ok = false;
	if (code_ok)
		user->totp_last_step = step;
	return found && password_ok && code_ok && !user->disabled_at[0];
}

void users_sign_in(store *st, txq *q, struct users_attempt *si, const char *password, const char *totp)
{
	struct look_args a = {.si = si};
	si->rc = STORE_OK;
	si->res = USERS_WRONG;
	si->retry_after = 0;
	si->throttle = THROTTLE_NONE;
	si->token[0] = si->expires_at[0] = '\0';
	memset(&si->user, 0, sizeof si->user);
	address_key(si->remote, si->key);
	ts_format_utc(si->now - USERS_FAILURE_WINDOW_SECONDS, a.since);
	int rc = service_in_snapshot(st, look_run, &a);
	if (rc != STORE_OK) {
		sodium_memzero(&si->user, sizeof si->user);
		si->rc = rc;
		si->done(si);
		return;
	}
	if (!a.found)
		memset(&si->user, 0, sizeof si->user);
	/* A refused try does no hashing: every refusal takes the same path (this read, then the job below). */
	si->throttle = (int)throttled(&a.f, si->now, &si->retry_after);
	if (si->throttle == THROTTLE_NONE && credentials_ok(si, a.found, password, totp))
		si->res = USERS_SIGNED_IN;
	/* Nothing secret goes on: the job needs the id, the names, the time step and the sealed secret checked
	 * (ciphertext: it opens only with the server's key), which record_done wipes. */
	sodium_memzero(si->user.password_hash, sizeof si->user.password_hash);
	sodium_memzero(si->user.totp_secret, sizeof si->user.totp_secret);
	si->job.run = record_run;
	si->job.arg = si;
	si->job.done = record_done;
	txq_submit(q, &si->job);
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

/* ---- tidying the sign-in attempts ---- */

struct prune_args {
	char before[STORE_TS_LEN + 1];
	int64_t n;
};

static int prune_run(store_conn *c, void *arg)
{
	struct prune_args *a = arg;
	return store_login_prune(c, a->before, &a->n);
}

int users_prune_attempts(store *st, int64_t now, int64_t *pruned)
{
	struct prune_args a = {.n = 0};
	ts_format_utc(now - USERS_FAILURE_WINDOW_SECONDS, a.before);
	int rc = txq_exec(st, prune_run, &a);
	*pruned = rc == STORE_OK ? a.n : 0;
	return rc;
}
