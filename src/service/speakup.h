/*
 * service/speakup.h — speak up (issue 18, part 1): reports made without signing in, that bypass the home.
 *
 * A child, a parent, a member of staff or anyone else tells about a home or a person. The server keeps no
 * address and no user agent for it (the tables have no column for them, nothing here is given one). The
 * reporter gets a reference and a passphrase, shown once; only the passphrase's hash is kept
 * (crypto_pwhash). With the pair they read the reviewers' replies and add more.
 *
 * Reviewers (ACT_SPEAKUP: the oversight analyst, and the LADO) triage each report with an outcome and reply.
 * Decision: a provider's staff are never reviewers. ACT_SPEAKUP is granted by role, never by agency, and to
 * no role a home's own organisation holds (a local-authority home's managers are children's social care
 * social workers or team managers: they have no ACT_SPEAKUP); no list, count or page that names a report's
 * words is reachable without it. The home's oversight counts a report as an 'allegation' incident (a number,
 * no words), the child's chronology shows it once a reviewer links it (need-to-know as every event).
 */
#ifndef SAFEGUARD_SERVICE_SPEAKUP_H
#define SAFEGUARD_SERVICE_SPEAKUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

/* What a report may hold (characters). */
#define SPEAKUP_WHAT_MAX 2000
#define SPEAKUP_NAME_MAX 100
/* Reports a day from everyone together (the reference is random, so there is nothing else to count by): the
 * default of `serve --speak-up-per-day N` (speakup_set_per_day). */
#define SPEAKUP_PER_DAY 500
/* Wrong passphrases for one reference before it waits an hour. */
#define SPEAKUP_GUESSES 5
#define SPEAKUP_GUESS_WINDOW_SECONDS 3600
/* "SU-ABCD-EFGH" */
#define SPEAKUP_REF_SHOWN 12
/* Five words of the list, spaces between */
#define SPEAKUP_PASS_WORDS 5
#define SPEAKUP_PASS_MAX 80

/* ---- the reference and the passphrase (pure) ---- */

/* A new reference (8 characters of an alphabet without 0/O, 1/I/L, U) and passphrase (randombytes). */
void speakup_new_secrets(char ref[STORE_SPEAKUP_REF_LEN + 1], char pass[SPEAKUP_PASS_MAX]);
/* "SU-ABCD-EFGH" from the stored 8 characters. */
void speakup_ref_show(const char *ref, char out[SPEAKUP_REF_SHOWN + 1]);
/* What a person typed as a reference ("su-abcd-efgh", "ABCD EFGH", "abcdefgh") to the stored 8 characters:
 * 0, or -1 when it cannot be one. */
int speakup_ref_parse(const char *in, char out[STORE_SPEAKUP_REF_LEN + 1]);
/* A typed passphrase, lower case, words separated by one space: 0, or -1 when it cannot be one. */
int speakup_pass_normalise(const char *in, char out[SPEAKUP_PASS_MAX]);
/* The passphrase's hash (crypto_pwhash_str); verify in constant work whether or not hash is real ("" or
 * NULL: a decoy is verified instead, so a wrong reference costs what a wrong passphrase does). */
int speakup_pass_hash(const char *pass, char out[128]);
bool speakup_pass_verify(const char *hash, const char *pass);

/* The day's allowance of reports from everyone together (UTC day, counted in the store): server configuration,
 * set once at start before any thread; n <= 0 puts back SPEAKUP_PER_DAY. */
void speakup_set_per_day(int n);
int speakup_per_day(void);

/* The rate limit of everyone together, in memory (no address is kept to count by): true when one more
 * report (or, return true, one more try of a reference) may be made at now. */
bool speakup_admit(int64_t now, bool ret);

/* The homes a report may be about (names and postcodes: no one's personal data): of the host authority
 * la_code, every home when "". Not audited: the register is public (Ofsted's). */
int speakup_homes(store *st, const char *la_code, store_home_fn fn, void *ctx);

/* ---- outcomes ---- */

const char *speakup_outcome_name(const char *code); /* NULL when not an outcome */
const char *speakup_outcome_at(size_t i);           /* the codes in order; NULL past the end */
const char *speakup_who_name(const char *code);     /* NULL when not one */

/* ---- writes (in the caller's write transaction: a txq job) ---- */

enum speakup_result {
	SPEAKUP_OK,
	SPEAKUP_NOT_FOUND, /* no such report (reviewer), or the wrong pair (reporter): one answer */
	SPEAKUP_LIMITED,   /* the day's reports are all made */
	SPEAKUP_NO_HOME,   /* the home chosen is not a home */
	SPEAKUP_NO_CHILD,  /* the child's record to link is not there (or sealed) */
};

/* A new report: r filled by the edge (pass_hash set), home_id 0 or a home. Counts in the home's oversight. */
int speakup_create(store_conn *c, struct store_speakup *r, int64_t now, enum speakup_result *res);

/* The reporter's return: verified says whether the passphrase matched the reference's hash (checked before,
 * on the request's thread: crypto_pwhash is slow). Wrong: the reference's guesses counted; at
 * SPEAKUP_GUESSES within the window it answers NOT_FOUND whatever is typed. Right: add (may be NULL or "")
 * is added to the thread. out is the report; each message goes to fn. */
int speakup_reporter_open(store_conn *c, const char *ref, bool verified, const char *add, int64_t now,
			  struct store_speakup *out, store_speakup_message_fn fn, void *ctx, enum speakup_result *res);

/* Whether the reference may be tried at all now (not throttled), and its hash; read on the request's
 * thread. *found false when there is no such reference. */
int speakup_reporter_hash(store *st, const char *ref, int64_t now, char hash[128], bool *found, bool *locked);

/* The reviewers' side: who acts (the audit's actor and the username kept with the triage or the reply). */
struct speakup_reviewer {
	const char *actor, *username, *role, *agency;
};
/* The queue, newest new first (audited: speakup.list). Refuses a reviewer without ACT_SPEAKUP (NOT_FOUND). */
int speakup_queue(store_conn *c, const struct speakup_reviewer *rv, int limit, store_speakup_fn fn, void *ctx,
		  enum speakup_result *res);
/* One report and its thread (audited: speakup.read). */
int speakup_review_open(store_conn *c, const struct speakup_reviewer *rv, int64_t id, struct store_speakup *out,
			store_speakup_message_fn fn, void *ctx, enum speakup_result *res);
/* Triage: an outcome (reason required for no further action), and optionally the child's record the report
 * names (it is added to the child's chronology as a "speak_up" event). Audited: speakup.triage. */
int speakup_triage(store_conn *c, const struct speakup_reviewer *rv, int64_t id, const char *outcome,
		   const char *reason, int64_t child_id, int64_t now, enum speakup_result *res);
/* A reply to the reporter (audited: speakup.reply). */
int speakup_reply(store_conn *c, const struct speakup_reviewer *rv, int64_t id, const char *text,
		  enum speakup_result *res);

#endif
