/*
 * store/store_speakup.h — speak up: reports made without signing in, and their threads (issue 18).
 * One part of the store's contract (issue 17): store/store.h includes every part.
 */
#ifndef SAFEGUARD_STORE_STORE_SPEAKUP_H
#define SAFEGUARD_STORE_STORE_SPEAKUP_H

#include "store/store_core.h"
#include "store/store_alerts.h"

/* ---- speak up (issue 18): reports that bypass the home ---- */

#define STORE_SPEAKUP_WHAT 8001  /* 2,000 characters of UTF-8 and the NUL */
#define STORE_SPEAKUP_REF_LEN 8  /* the reference, without its "SU-" and dash */
/* A report made without signing in. No address, no user agent: the table has no column for them. */
struct store_speakup {
	int64_t id;
	char ref[STORE_SPEAKUP_REF_LEN + 1];
	char pass_hash[128];             /* crypto_pwhash_STRBYTES: the passphrase's hash, never the passphrase */
	char created_at[STORE_TS_LEN + 1];
	char who[16];                    /* "child", "parent", "staff", "other" */
	int64_t home_id;                 /* 0: none chosen */
	int home_unknown;                /* 1: "I don't know" */
	char person_name[STORE_NAME_BYTES], person_role[STORE_NAME_BYTES];
	char what[STORE_SPEAKUP_WHAT];
	char child_name[STORE_NAME_BYTES];
	char child_dob[STORE_DAY_LEN + 1];
	char about[16];                  /* what the reporter says of themselves: "nothing", "first_name", "contact" */
	char first_name[STORE_NAME_BYTES], contact[STORE_NAME_BYTES];
	char state[16];                  /* "new", "triaged" */
	char outcome[32];                /* "" until triaged (service/speakup.h names them) */
	char outcome_reason[STORE_SPEAKUP_WHAT];
	char triaged_by[STORE_USER_MAX + 1], triaged_at[STORE_TS_LEN + 1];
	int64_t child_id;                /* the child's record the reviewer linked, 0 when none */
	int64_t incident_id;             /* the home's incident it counts as, 0 when none */
	int fails;                       /* wrong passphrases since fail_since */
	char fail_since[STORE_TS_LEN + 1];
	/* Filled on reads. */
	char home_name[STORE_HOME_TEXT];
	int messages;
};
typedef int (*store_speakup_fn)(const struct store_speakup *r, void *ctx);
int store_speakup_insert(store_conn *c, const struct store_speakup *r, int64_t *id);
/* By id, or (id 0) by reference. */
int store_speakup_get(store_conn *c, int64_t id, const char *ref, struct store_speakup *out, bool *found);
/* The queue: new reports first, then newest first. */
int store_speakups(store_conn *c, int limit, store_speakup_fn fn, void *ctx);
/* Writes the triage (state, outcome, reason, by, at, child_id, incident_id) and the guess count. */
int store_speakup_update(store_conn *c, const struct store_speakup *r);
/* Reports made at or after since (the per-day limit). */
int store_speakup_count_since(store_conn *c, const char *since, int64_t *n);
struct store_speakup_message {
	int64_t id, report_id;
	char at[STORE_TS_LEN + 1];
	int from_reporter;               /* 1: the reporter; 0: a reviewer */
	char author[STORE_USER_MAX + 1]; /* the reviewer's username; "" for the reporter */
	char text[STORE_SPEAKUP_WHAT];
};
typedef int (*store_speakup_message_fn)(const struct store_speakup_message *m, void *ctx);
int store_speakup_message_insert(store_conn *c, const struct store_speakup_message *m, int64_t *id);
/* Oldest first. */
int store_speakup_messages(store_conn *c, int64_t report_id, store_speakup_message_fn fn, void *ctx);

#endif
