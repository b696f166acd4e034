/*
 * store/store_users.h — users, sessions, sign-in attempts.
 * One part of the store's contract (issue 17): store/store.h includes every part.
 */
#ifndef SAFEGUARD_STORE_STORE_USERS_H
#define SAFEGUARD_STORE_STORE_USERS_H

#include "store/store_core.h"
#include "store/store_alerts.h"

/* ---- users, sessions, sign-in attempts ------------------------------------------------------------- */

#define STORE_TOTP_SEALED_LEN 60
#define STORE_PERSON_NAME_MAX 400 /* bytes: 100 characters of UTF-8 */
#define STORE_EMAIL_MAX 254       /* RFC 5321's longest path */
#define STORE_PHONE_MAX 32 /* 24-byte nonce, 20-byte secret, 16-byte tag (XChaCha20-Poly1305) */

struct store_user {
	int64_t id;
	char username[STORE_USER_MAX + 1];
	char agency[STORE_CODE_MAX + 1];
	char role[STORE_CODE_MAX + 1];
	char password_hash[160];  /* libsodium's Argon2id string */
	/* The TOTP secret (RFC 6238 with SHA-1: 160 bits) is kept encrypted with the server's key (service/users.h):
	 * totp_sealed holds nonce || ciphertext || tag. Rows from before schema 15 held it in plain text until
	 * users_seal_legacy encrypted them: on reads, totp_is_sealed false and the plain secret in totp_secret. */
	uint8_t totp_secret[20];
	uint8_t totp_sealed[STORE_TOTP_SEALED_LEN];
	bool totp_is_sealed;
	char disabled_at[STORE_TS_LEN + 1]; /* "" while enabled */
	int64_t totp_last_step;   /* the last TOTP time step that signed in (each code works once) */
	/* Who the person is (schema 21; "" when not given): shown instead of the username wherever a page shows
	 * a person (service/users.h users_person). */
	char full_name[STORE_PERSON_NAME_MAX + 1];
	char email[STORE_EMAIL_MAX + 1];
	char phone[STORE_PHONE_MAX + 1];
	char team[STORE_CODE_MAX + 1]; /* the team they work in (a team's code) */
};
/* STORE_ECONFLICT when the username is taken (or the agency does not exist). Writes totp_sealed (never a
 * plain secret). */
int store_user_insert(store_conn *c, const struct store_user *u, int64_t *id);
int store_user_by_name(store_conn *c, const char *username, struct store_user *out, bool *found);
int store_user_by_id(store_conn *c, int64_t id, struct store_user *out, bool *found);
/* Every user by username, up to limit, with password_hash "" and totp_secret zero (never read here). */
typedef int (*store_user_fn)(const struct store_user *u, void *ctx);
int store_users(store_conn *c, int limit, store_user_fn fn, void *ctx);
/* Disables a person at `at` (a person disabled before keeps the first time) and ends every session of
 * theirs; *found false when there is no such username. */
int store_user_disable(store_conn *c, const char *username, const char *at, bool *found);
/* Lets a disabled person sign in again (with the password and second factor they had; sessions that ended
 * stay ended); *found false when there is no such username. */
int store_user_enable(store_conn *c, const char *username, bool *found);

/* Records that a TOTP time step was used to sign in; *advanced false when it (or a later one) was used
 * before (the code is being replayed), or when the credentials are no longer the ones checked: the person is
 * disabled, or their sealed secret is no longer sealed (STORE_TOTP_SEALED_LEN bytes; NULL for a row from
 * before schema 15, whose secret is not sealed yet). A reset and a new authenticator each seal a new secret. */
int store_user_totp_step(store_conn *c, int64_t id, int64_t step, const uint8_t *sealed, bool *advanced);

/* Sealed records (schema 10): basis "adoption", "protection" or "court_order". Sealing is for good: *already
 * true when the record was sealed before (nothing changes). */
int store_person_sealed(store_conn *c, int64_t id, bool *sealed);
int store_person_seal(store_conn *c, int64_t id, const char *basis, const char *by, bool *already);
/* The sealed records as the data protection officer reviews them (`safeguard seal list`), newest sealed first (then
 * by id, highest first): person_id 0 for every one, else that record's (none when it is not sealed); up to limit
 * (0: all). The seal's basis, when and by whom (the actor: "cli" or a person); nothing about the child but its id. */
struct store_seal_row {
	int64_t person_id;
	char basis[16]; /* adoption, protection, court_order */
	char sealed_at[STORE_TS_LEN + 1];
	char sealed_by[96];
};
typedef int (*store_seal_fn)(const struct store_seal_row *r, void *ctx);
int store_seals(store_conn *c, int64_t person_id, int limit, store_seal_fn fn, void *ctx);

/* A new password and TOTP secret (a reset; the secret sealed as in store_user): every session of the person
 * ends. *found false when there is no such username. */
int store_user_set_credentials(store_conn *c, const char *username, const char *password_hash,
			       const uint8_t totp_sealed[STORE_TOTP_SEALED_LEN], bool *found);
/* A new TOTP secret alone (a new authenticator), its count of time steps used started afresh; the password
 * and the sessions stay. *found false when there is no such username. */
int store_user_set_totp(store_conn *c, const char *username, const uint8_t totp_sealed[STORE_TOTP_SEALED_LEN],
			bool *found);
/* Rows whose TOTP secret is still in plain text (from before schema 15): id, username and totp_secret
 * filled. Then each is sealed: the plain column is overwritten with zeros. */
int store_users_totp_plain(store_conn *c, store_user_fn fn, void *ctx);
int store_user_totp_seal(store_conn *c, int64_t id, const uint8_t totp_sealed[STORE_TOTP_SEALED_LEN]);
/* Copies every committed page into the database file and empties the write-ahead log, so that bytes
 * overwritten in a transaction (with secure_delete on) are gone from both files. Outside any transaction. */
int store_wal_truncate(store_conn *c);

/* A person's server-side session: found by the hash of its token, until it expires or is ended. */
struct store_session {
	int64_t user_id;
	char kind[8];                       /* "api" or "web" */
	char created_at[STORE_TS_LEN + 1];
	char expires_at[STORE_TS_LEN + 1];  /* absolute timeout */
	char idle_until[STORE_TS_LEN + 1];  /* idle timeout, pushed on by each use */
	/* Filled on reads: the user. */
	char username[STORE_USER_MAX + 1], agency[STORE_CODE_MAX + 1], role[STORE_CODE_MAX + 1];
};
int store_session_insert(store_conn *c, const uint8_t hash[STORE_TOKEN_HASH_LEN], const struct store_session *s);
/* Only a session that is live at now (not ended, not past either timeout, its user enabled). */
int store_session_find(store_conn *c, const uint8_t hash[STORE_TOKEN_HASH_LEN], const char *now,
		       struct store_session *out, bool *found);

/* Pushes the idle timeout on to until (never past the absolute one); ends a session (signing out). */
int store_session_touch(store_conn *c, const uint8_t hash[STORE_TOKEN_HASH_LEN], const char *until);
int store_session_end(store_conn *c, const uint8_t hash[STORE_TOKEN_HASH_LEN], const char *at);
/* The sessions kept, as the operator lists them (`safeguard user sessions`), newest first (by created_at, then
 * hash): username NULL or "" for everyone's, else that person's; live_at NULL or "" for every session kept, else
 * only those live at that instant (as store_session_find: not ended, past neither timeout, the person enabled); up
 * to limit (0: all). A session has no id of its own (the table is keyed by its token's hash), so a row is named by
 * the first STORE_SESSION_HANDLE_HEX hex digits of that hash: enough to tell a person's sessions apart and to
 * find one again, and nothing that opens it (the token is not derivable from its hash, still less from a part). */
#define STORE_SESSION_HANDLE_HEX 12
struct store_session_row {
	char handle[STORE_SESSION_HANDLE_HEX + 1];
	char username[STORE_USER_MAX + 1];
	char kind[8]; /* "api" or "web" */
	char created_at[STORE_TS_LEN + 1];
	char expires_at[STORE_TS_LEN + 1];
	char idle_until[STORE_TS_LEN + 1];
	char ended_at[STORE_TS_LEN + 1]; /* "" while not ended (signed out, disabled, reset) */
};
typedef int (*store_session_row_fn)(const struct store_session_row *s, void *ctx);
int store_user_sessions(store_conn *c, const char *username, const char *live_at, int limit, store_session_row_fn fn,
			void *ctx);

/* Sign-in attempts, for throttling: each is kept with its outcome. remote is the address's throttling key. */
int store_login_attempt_add(store_conn *c, const char *username, const char *remote, bool ok);
/* Failed attempts since `since`: from this address for this username, for the username from anywhere, and
 * from the address for any username; with the newest failure of the last two ("" when none). */
struct store_login_failures {
	int64_t pair, account, address;
	char account_last[STORE_TS_LEN + 1], address_last[STORE_TS_LEN + 1];
};
int store_login_failures(store_conn *c, const char *username, const char *remote, const char *since,
			 struct store_login_failures *out);
/* A throttling key (service/users.c) refused a sign-in: *first true, and `now` noted, when the key has not
 * been noted since `since` (so that its refusals are audited once per window). */
/* Deletes the sign-in attempts from before `before` (*n how many) and the throttle notes older than it. */
int store_login_prune(store_conn *c, const char *before, int64_t *n);
int store_login_throttle_note(store_conn *c, const char *key, const char *since, const char *now, bool *first);
/* The sign-in attempts kept (those of the throttles' window: the nightly sweep prunes older ones), newest first:
 * username NULL or "" for anyone's (else that name as typed), failed_only the refused ones, up to limit (0: all).
 * Never a password or a code: the row holds none. */
struct store_login_attempt {
	int64_t id;
	char at[STORE_TS_LEN + 1];
	char username[256]; /* as typed (an unknown name too) */
	char remote[128];   /* the address's throttling key */
	bool ok;
};
typedef int (*store_login_attempt_fn)(const struct store_login_attempt *a, void *ctx);
int store_login_attempts(store_conn *c, const char *username, bool failed_only, int limit, store_login_attempt_fn fn,
			 void *ctx);

#endif
