/*
 * service/users.h — people who sign in: their roles, passwords and second factor, and their sessions.
 *
 * Passwords are hashed with Argon2id (libsodium crypto_pwhash_str) at 19 MiB and 2 passes: OWASP's
 * minimum for Argon2id, chosen so that a 2-core server can take a burst of concurrent sign-ins without
 * running out of memory (64 MiB each, libsodium's "interactive" level, would not). Every person has a
 * TOTP second factor (RFC 6238: SHA-1, 30-second steps, 6 digits; liboath), checked with one step either
 * side for clock drift.
 *
 * Hashing a password takes tens of milliseconds of CPU and its memory: users_sign_in hashes outside any
 * transaction, on the caller's thread, never on the write queue, and then records the outcome in a short
 * write transaction.
 */
#ifndef SAFEGUARD_SERVICE_USERS_H
#define SAFEGUARD_SERVICE_USERS_H

#include <stdbool.h>
#include <stdint.h>

#include "service/txq.h"
#include "store/store.h"

#define USERS_PASSWORD_MIN 12   /* characters (NCSC: length over complexity) */
#define USERS_PASSWORD_MAX 256
#define USERS_TOTP_SECRET_B32 33 /* 20 bytes in base32 (32 characters) and the NUL */
#define USERS_SESSION_TOKEN_MAX 48

/* The role codes of issue 4, in one table; NULL past the end. */
const char *users_role_at(size_t i);
bool users_role_known(const char *role);

enum users_add_result { USERS_ADDED = 0, USERS_TAKEN, USERS_NO_AGENCY, USERS_BAD_ROLE, USERS_BAD_PASSWORD,
			USERS_BAD_NAME, USERS_ROLE_NOT_IN_AGENCY, USERS_BAD_FULL_NAME, USERS_BAD_EMAIL, USERS_BAD_PHONE,
			USERS_NO_TEAM };

/* Which roles each agency's people may hold (issue 15), in one table (docs/SECURITY.md says why): a police
 * officer is not a social worker, whatever an administrator selects. Checked by users_add for the CLI and the
 * pages alike; the people added before the table keep their role. */
bool users_role_fits_agency(const char *role, const char *agency);
/* The agencies whose people may hold a role, for a message: "Children's social care" style names are the
 * edge's, so these are codes separated by ", " ("" for an unknown role). */
void users_agencies_of_role(const char *role, char *out, size_t outsz);

/* Who may hold a child's case (issue 15): a social worker or a team manager of children's social care.
 * cases_allocate refuses anyone else. */
bool users_may_hold_cases(const char *role, const char *agency);

/* Who the person is, beyond their username: all optional ("" when not given), checked by users_add.
 *   full_name: up to 100 characters on one line; email: one @, no spaces, up to 254 bytes; phone: digits,
 *   spaces and a leading +, 6 to 32 characters (UK numbers are written with spaces); team: a team's code. */
struct users_profile {
	const char *full_name, *email, *phone, *team;
};
#define USERS_FULL_NAME_MAX 100 /* characters */
/* USERS_ADDED, or which field is wrong (USERS_BAD_FULL_NAME, USERS_BAD_EMAIL, USERS_BAD_PHONE). Whether the
 * team exists is checked in the transaction (USERS_NO_TEAM). */
enum users_add_result users_check_profile(const struct users_profile *p);

/* Creates a person with a new TOTP secret, given back in base32 for their authenticator app. Must run in
 * a write transaction; the password is hashed before (users_hash_password) so that the transaction stays
 * short. */
int users_hash_password(const char *password, char out[160]);
int users_add(store_conn *c, const char *actor, const char *username, const char *agency, const char *role,
	      const char *password_hash, char secret_b32[USERS_TOTP_SECRET_B32], enum users_add_result *res);
/* The same with who the person is (NULL: nothing beyond the username). */
int users_add_person(store_conn *c, const char *actor, const char *username, const char *agency, const char *role,
		     const struct users_profile *profile, const char *password_hash,
		     char secret_b32[USERS_TOTP_SECRET_B32], enum users_add_result *res);
/* Checks what users_add will refuse, before any hashing: the name's shape, the role, the password's length. */
enum users_add_result users_check_new(const char *username, const char *role, const char *password);

/* A new password (hashed before, as for users_add) and a new TOTP secret, given back in base32; every
 * session of the person ends. *found false when there is no such username. Audited. Must run in a write
 * transaction. */
int users_reset(store_conn *c, const char *actor, const char *username, const char *password_hash,
		char secret_b32[USERS_TOTP_SECRET_B32], bool *found);

/* A new TOTP secret alone, given back in base32, for a person whose authenticator was lost or replaced: the
 * password and the sessions stay (a phone replaced is no sign that anyone else signed in; users_reset or
 * users_disable when it may be), and the new secret's codes are counted afresh. *found false when there is no
 * such username. Audited as "user.totp_reset". Must run in a write transaction. */
int users_reset_totp(store_conn *c, const char *actor, const char *username, char secret_b32[USERS_TOTP_SECRET_B32],
		     bool *found);
/* Whether the person's TOTP secret opens with the key in use (users_use_totp_key): false with another key. A
 * command that seals a new secret with a key asks this first, so that a wrong key file does not seal a secret
 * the server cannot open. *found false when there is no such username. */
int users_totp_opens(store_conn *c, const char *username, bool *found, bool *opens);

/* Disables a person: sign-in fails from now on and every session of theirs ends at once (an administrator's
 * decision, audited as "user.disable"). *found false when there is no such username. Must run in a write
 * transaction. */
int users_disable(store_conn *c, const char *actor, const char *username, int64_t now, bool *found);

/* Enables a disabled person again (audited as "user.enable"): they sign in with the password and second
 * factor they had; an administrator who doubts those resets them as well. *found false when there is no such
 * username. Must run in a write transaction. */
int users_enable(store_conn *c, const char *actor, const char *username, bool *found);

/* Whether a username names a person (enabled or not). */
int users_exists(store_conn *c, const char *username, bool *found);

/* Every person, by username (up to limit): username, agency, role and whether disabled; never a password
 * hash or a TOTP secret. Reads in one snapshot on a pooled connection. */
int users_list(store *st, int limit, store_user_fn fn, void *ctx);
/* One person by id (for the administrator's pages), the same fields as users_list. */
int users_get(store *st, int64_t id, struct store_user *out, bool *found);

/* A person as other pages show them (issue 15): their name (the username when they have none), agency,
 * role, team and how to reach them. The accessor any page that names a person uses. */
struct users_person {
	char username[STORE_USER_MAX + 1];
	char name[STORE_PERSON_NAME_MAX + 1]; /* full name, else the username */
	char agency[STORE_CODE_MAX + 1], role[STORE_CODE_MAX + 1], team[STORE_CODE_MAX + 1];
	char email[STORE_EMAIL_MAX + 1], phone[STORE_PHONE_MAX + 1];
	bool disabled;
};
/* *found false when the username names no one (out then holds the username as its name). In the caller's
 * transaction, or users_person_get in a snapshot of its own. */
int users_person(store_conn *c, const char *username, struct users_person *out, bool *found);
int users_person_get(store *st, const char *username, struct users_person *out, bool *found);
/* People whose name or username contains every word of text (case-insensitive, up to limit), as
 * users_person; only_case_holders: only those who may hold a child's case (users_may_hold_cases) and are
 * enabled. */
typedef int (*users_person_fn)(const struct users_person *p, int64_t id, void *ctx);
int users_find(store *st, const char *text, bool only_case_holders, int limit, users_person_fn fn, void *ctx);

/* ---- the server's key for TOTP secrets ---- */

/* TOTP secrets are kept encrypted (XChaCha20-Poly1305, libsodium's AEAD, a random nonce per secret, the
 * username as associated data so a sealed secret copied onto another row does not open) with a key that
 * lives outside the database (cli: PATH.totp-key beside the audit key, mode 0600): the database file alone
 * does not give anyone a code. Set once at start, before any thread; users_add, users_reset and signing in
 * fail (STORE_EIO, with a line on stderr) without it. */
#define USERS_TOTP_KEY_LEN 32
void users_use_totp_key(const uint8_t key[USERS_TOTP_KEY_LEN]);
/* Encrypts every TOTP secret still in plain text (rows from before schema 15); *n counts them, and one audit
 * entry says how many. Must run in a write transaction; afterwards store_wal_truncate (outside it) clears
 * the overwritten bytes from the write-ahead log too. */
int users_seal_legacy(store_conn *c, const char *actor, int *n);
/* After a users_seal_legacy that sealed rows, outside any transaction: clears the overwritten bytes from the
 * write-ahead log (STORE_EBUSY-like failures leave them to the next checkpoint; the caller says so). */
int users_clear_sealed_pages(store *st);

/* ---- signing in ---- */

/* Throttling (issue 14). Failed sign-ins count under three keys over a window of 15 minutes:
 *   - this address and this username: after USERS_FAILURES_PER_PAIR, refused until they age out of the
 *     window (a guesser at one address has 5 tries an account per quarter of an hour);
 *   - the username, from any address: after USERS_FAILURES_PER_ACCOUNT, one try every
 *     USERS_BACKOFF_SECONDS (a slower back-off: someone guessing at a person's account from elsewhere
 *     delays them, and never locks them out for the window);
 *   - the address, for any username: after USERS_FAILURES_PER_ADDRESS, one try every USERS_BACKOFF_SECONDS
 *     (invented usernames cost the address they come from, not the people at it).
 * An IPv6 address counts by its /64 (one host usually holds the whole prefix). A refused try is not
 * evaluated (no password hash, no attempt recorded) and is answered after the same work whichever key
 * refused it and whether or not the username exists; each key writes one audit entry
 * ("session.throttled") per window, and the refusals after it write none. Failures for a username that
 * names no one are counted but not audited (they touch no one's data). */
#define USERS_FAILURE_WINDOW_SECONDS (15 * 60)
#define USERS_FAILURES_PER_PAIR 5
#define USERS_FAILURES_PER_ACCOUNT 10
#define USERS_FAILURES_PER_ADDRESS 50
#define USERS_BACKOFF_SECONDS 30
/* The nightly sweep's tidying (and `safeguard sweep`'s): deletes the sign-in attempts, and the throttles' notes,
 * from before the window as of now, which no throttle reads again (the table would otherwise grow by a row a
 * try for ever). *pruned: how many attempts. In a write transaction of its own. */
int users_prune_attempts(store *st, int64_t now, int64_t *pruned);
/* Sessions: idle and absolute timeouts. Each use of a web session pushes its idle timeout on (at most once
 * a minute: users_session_touch); an API session is not pushed on, so it ends 30 minutes after sign-in and
 * scripts sign in again. */
#define USERS_SESSION_IDLE_SECONDS (30 * 60)
#define USERS_SESSION_MAX_SECONDS (10 * 60 * 60)

enum users_sign_in { USERS_SIGNED_IN = 0, USERS_WRONG, USERS_THROTTLED };

/* One sign-in, from the pages or the API: the caller fills the first part and calls users_sign_in. */
struct users_attempt {
	struct txq_job job; /* the service's */
	char username[STORE_USER_MAX + 1];
	char remote[64]; /* the client's address (http_remote_address) */
	char kind[8];    /* "web" or "api": the session's kind */
	int64_t now;
	/* Called once with the outcome, on the write queue's thread (or at once when the store failed before
	 * anything was queued): must not block. */
	void (*done)(struct users_attempt *si);
	/* The outcome. */
	int rc;                   /* STORE_OK, or the store's failure (nothing was recorded) */
	enum users_sign_in res;
	int retry_after;          /* seconds, when USERS_THROTTLED */
	struct store_user user;   /* when signed in: id, username, agency, role (never a secret) */
	char token[USERS_SESSION_TOKEN_MAX], expires_at[STORE_TS_LEN + 1]; /* when signed in: shown once */
	/* The service's own. */
	char key[64];
	int throttle; /* the key that refused the try when it was read, 0 for none */
};
/* Signs a person in with a password and a TOTP code. The throttles are read first (one snapshot on a pooled
 * connection); unless they refuse, the password (Argon2id: tens of milliseconds) and the code are checked
 * on the caller's thread, outside any transaction. Then one job on the write queue counts the failures
 * again and records the attempt in the same transaction, so that concurrent guesses are evaluated at most
 * as often as the throttles allow (a guess checked meanwhile but past them is refused, its outcome unused);
 * it opens the session (only the token's hash is kept), and audits. password and totp are not kept. */
void users_sign_in(store *st, txq *q, struct users_attempt *si, const char *password, const char *totp);

/* A bearer token that is a live session. */
int users_session_find(store_conn *c, const char *token, int64_t now, struct store_session *out, bool *found);

/* Pushes a session's idle timeout to now + USERS_SESSION_IDLE_SECONDS (never past its absolute timeout). Must
 * run in a write transaction. */
int users_session_touch(store_conn *c, const char *token, int64_t now);
/* Signing out: the session ends at once. Audited. Must run in a write transaction. */
int users_session_end(store_conn *c, const char *token, const char *actor, int64_t now);

/* The CSRF token of every form a session's pages send: derived from the session's secret token (keyed
 * BLAKE2b), so it needs no storage and another site, which cannot read the cookie, cannot make it. The
 * same for a pre-session secret on the sign-in form. */
#define USERS_CSRF_MAX 48
void users_csrf_token(const char *secret, char out[USERS_CSRF_MAX]);
bool users_csrf_ok(const char *secret, const char *given);

#endif
