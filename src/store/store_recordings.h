/*
 * store/store_recordings.h — recordings of interviews and meetings.
 * One part of the store's contract (issue 17): store/store.h includes every part.
 */
#ifndef SAFEGUARD_STORE_STORE_RECORDINGS_H
#define SAFEGUARD_STORE_STORE_RECORDINGS_H

#include "store/store_core.h"

/* ---- recordings of interviews and meetings (service/recordings.h) ---------------------------------------
 * The row says what a ciphertext file holds and how to open it: the per-file key wrapped by the master key
 * (which is never in the database), the plaintext's size and BLAKE2b-256, and the file's name on disk (a
 * random hex id, never the uploader's file name). Rows are inserted, their key rewrapped, and deleted at the end of their retention. */
#define STORE_RECORDING_FILENAME_BYTES 801 /* 200 characters of UTF-8 and the NUL */
#define STORE_RECORDING_TYPE_MAX 32        /* an allow-listed media type */
#define STORE_RECORDING_WRAPPED_LEN 48     /* crypto_secretbox_MACBYTES + the 32-byte file key */
#define STORE_RECORDING_NONCE_LEN 24       /* crypto_secretbox_NONCEBYTES */
#define STORE_RECORDING_DISK_MAX 32        /* 16 random bytes in hex */
#define STORE_RECORDING_PRESENT_BYTES 4001 /* 1,000 characters of UTF-8 and the NUL */
#define STORE_RECORDING_CONSENT_BYTES 2001 /* 500 characters */
#define STORE_RECORDING_WORDS_BYTES 16001  /* 4,000 characters */
struct store_recording {
	int64_t id;
	int64_t child_id;
	char filename[STORE_RECORDING_FILENAME_BYTES];
	char content_type[STORE_RECORDING_TYPE_MAX + 1];
	int64_t bytes;                        /* of plaintext */
	char blake2b[65];                     /* BLAKE2b-256 of the plaintext, lower-case hex */
	uint8_t wrapped_key[STORE_RECORDING_WRAPPED_LEN];
	uint8_t key_nonce[STORE_RECORDING_NONCE_LEN];
	char disk_name[STORE_RECORDING_DISK_MAX + 1];
	char uploaded_by[96];                 /* the actor, as in the audit */
	char uploaded_at[STORE_TS_LEN + 1];
	bool well_formed; /* on reads: false when a blob has the wrong length (not written by this code) */
	/* What it is (schema 22, the child's page): "interview", "meeting" or "other"; the day it was made
	 * (YYYY-MM-DD; "" on insert: the day it was uploaded); who was present; consent (by whom, or why none
	 * was needed); the child's own words, kept beside it. */
	char kind[STORE_CODE_MAX + 1];
	char recorded_on[11];
	char present[STORE_RECORDING_PRESENT_BYTES];
	char consent[STORE_RECORDING_CONSENT_BYTES];
	char words[STORE_RECORDING_WORDS_BYTES];
};
typedef int (*store_recording_fn)(const struct store_recording *r, void *ctx);
int store_recording_insert(store_conn *c, const struct store_recording *r, int64_t *id);
int store_recording_get(store_conn *c, int64_t id, struct store_recording *out, bool *found);
/* A child's recordings, oldest first; with child_id 0, every recording (for verification). */
int store_recordings(store_conn *c, int64_t child_id, store_recording_fn fn, void *ctx);
/* A recording's key wrapped anew (`safeguard recordings rekey`), and a row deleted when its retention period
 * is over (the sweep): the only changes a row has. STORE_ECONFLICT when there is no such row. */
int store_recording_rewrap(store_conn *c, int64_t id, const uint8_t wrapped[STORE_RECORDING_WRAPPED_LEN],
			   const uint8_t nonce[STORE_RECORDING_NONCE_LEN]);
int store_recording_delete(store_conn *c, int64_t id);

#endif
