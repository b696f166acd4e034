/*
 * service/recordings.h — recordings of interviews and meetings (and documents) on a child's record, stored
 * encrypted at rest (issue 4, part 5).
 *
 * Keys. A master key (32 random bytes) lives in a file outside the database (the CLI keeps it beside an
 * SQLite file as PATH.recordings-key, mode 0600), so a copy of the database, or of the directory of
 * recordings, opens nothing alone. Each recording has a key of its own, drawn at random, which the row
 * keeps wrapped by the master key (crypto_secretbox: XSalsa20-Poly1305, a random nonce per wrap).
 *
 * Files. The directory (PATH.recordings/, mode 0700) holds one file per recording, named by a random hex id
 * (never the uploader's file name): libsodium's secretstream (XChaCha20-Poly1305) header, then the plaintext
 * in chunks of RECORDINGS_CHUNK bytes, each sealed with its own tag, the last one tagged FINAL. Any changed,
 * dropped, reordered or appended chunk, a cut-short file, another file renamed in its place, or another
 * master key fails to decrypt (RECORDINGS_EDAMAGED): nothing unauthenticated is ever handed on, and a file
 * is streamed in constant memory both ways.
 *
 * Integrity shown later. The plaintext's BLAKE2b-256 is computed while it streams in and written into the
 * row and into the upload's audit entry (the hash chain of service/audit.h): anyone holding the file as it
 * was given can show that it is the one uploaded, and a download is checked against it.
 *
 * Reads are audited first, as every read of a child's record (service/children.h): the list and the
 * download refuse (CHILDREN_ENOAUDIT) unless given an access whose entry is durable.
 */
#ifndef SAFEGUARD_SERVICE_RECORDINGS_H
#define SAFEGUARD_SERVICE_RECORDINGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "core/date.h"
#include "service/children.h"
#include "store/store.h"

#define RECORDINGS_KEY_LEN 32            /* the master key */
#define RECORDINGS_CHUNK (64 * 1024)     /* plaintext bytes per sealed chunk */
#define RECORDINGS_FILENAME_MAX 200      /* characters of the uploader's file name */
#define RECORDINGS_WHY_MAX 160           /* a reason, no personal data */

enum {
	RECORDINGS_EIO = -20,      /* the file could not be made, written or read (disk, permissions, missing) */
	RECORDINGS_EDAMAGED = -21, /* it fails to decrypt, or its plaintext does not match the recorded hash */
};

/* ---- the store of files ---- */

typedef struct recordings recordings;

/* The directory of recordings (created mode 0700 when missing; refused when others may read it) and the
 * master key (copied; zeroed by recordings_close). */
int recordings_open(const char *dir, const uint8_t master_key[RECORDINGS_KEY_LEN], recordings **out, char *err,
		    size_t errsz);
void recordings_close(recordings *r);

/* What may be uploaded: the allow-listed media type a Content-Type header names (parameters ignored,
 * case-insensitive), or NULL. The returned string is static. */
const char *recordings_content_type(const char *header);
/* A file name shown back to people and sent in Content-Disposition: 1 to 200 characters of UTF-8, no
 * control characters, no slash or backslash. */
bool recordings_filename_valid(const char *name, size_t len);

/* ---- writing: encrypted as it arrives ----
 * recordings_write_begin makes a temporary file (tmp-XXXXXX in the directory) and a fresh key;
 * recordings_write seals each full chunk as the bytes arrive; recordings_write_end seals the last one,
 * flushes the file to disk, renames it into place under its random id and flushes the directory, and fills
 * rec's bytes, blake2b, wrapped_key, key_nonce and disk_name. The caller then writes the row and its audit
 * entry (recordings_add) and frees the writer: recordings_write_free when the row is committed, else
 * recordings_write_discard, which removes the file whatever stage it reached. So no file is left behind by
 * a failure, and a committed row always has its file (the rename comes before the commit: a crash between
 * the two leaves an unreferenced ciphertext file, never a row without one). */
typedef struct recordings_writer recordings_writer;
int recordings_write_begin(recordings *r, recordings_writer **out);
int recordings_write(recordings_writer *w, const void *data, size_t len);
int recordings_write_end(recordings_writer *w, struct store_recording *rec);
uint64_t recordings_written(const recordings_writer *w); /* plaintext bytes so far */
void recordings_write_discard(recordings_writer *w);      /* NULL is fine */
void recordings_write_free(recordings_writer *w);         /* NULL is fine */

/* The row (rec from recordings_write_end, with child_id, filename, content_type and uploaded_by set) and its
 * audit entry "recording.upload", whose detail carries the plaintext's hash and size (never the file
 * name). Must run in a write transaction. Fills rec->uploaded_at and rec->id. */
int recordings_add(store_conn *c, struct store_recording *rec, int64_t now);

/* ---- reading ---- */

/* Playing or downloading recording id, decided and audited in one call (r-tidy32), as alerts_read_decided: the
 * decision is its child's whole record (allocated worker, their team's manager, the MASH while triaging,
 * break-glass; a->reader.level and basis set as access_decide_reader sets them), one snapshot, the same statements
 * whatever the id holds (r-ntk27). a: actor, action, reader, detail, done, ctx and hold set by the caller, need
 * ACCESS_FULL for a page, refuse false. Decided, out is the row when there is one (else zeroed) and a->child_id
 * its child whatever the decision (the entry ignores it when refused), and refused (no recording too), a->refuse
 * is set with a->object "recording:ID" (naming no child); then a->hold(a) runs and the entry is queued
 * (children_access_audit). The store's failure to decide is returned: nothing queued, no hold. The bare decision
 * is service/service_int.h's recordings_reader_may. */
int recordings_read_decided(store *st, txq *q, int64_t id, int64_t now, struct children_access *a,
			    struct store_recording *out);
/* The child's recordings (a->child_id), oldest first, in one snapshot; a's entry must be durable. */
int recordings_list(store *st, const struct children_access *a, store_recording_fn fn, void *ctx);
/* The child (*found false when there is none) and their recordings, oldest first, in one snapshot, for the
 * child's recordings page; a's entry must be durable. */
int recordings_page(store *st, const struct children_access *a, struct store_person *child, bool *found,
		    store_recording_fn fn, void *ctx);
/* Every recording's row, in one snapshot, for `safeguard recordings verify`: an operator's integrity check
 * that shows no one a recording's content, so it is not a read of a child's record. */
int recordings_all(store *st, store_recording_fn fn, void *ctx);

/* A recording's plaintext, decrypted as it is read. Open with an access whose entry is durable, not a refusal,
 * and about rec's child (else CHILDREN_ENOAUDIT); recordings_read_check decrypts the whole file and compares
 * its hash (0, or RECORDINGS_EDAMAGED / RECORDINGS_EIO with why), then starts again from the beginning;
 * recordings_read gives up to max bytes, 0 at the end, negative on damage. why never holds personal data. */
typedef struct recordings_reader recordings_reader;
int recordings_read_open(recordings *r, const struct children_access *a, const struct store_recording *rec,
			 recordings_reader **out, char why[RECORDINGS_WHY_MAX]);
int recordings_read_check(recordings_reader *rd, char why[RECORDINGS_WHY_MAX]);
ssize_t recordings_read(recordings_reader *rd, void *buf, size_t max, char why[RECORDINGS_WHY_MAX]);
void recordings_read_close(recordings_reader *rd); /* NULL is fine */

/* Decrypts a recording through and checks its hash, showing nothing (for `safeguard recordings verify`). */
int recordings_verify(recordings *r, const struct store_recording *rec, char why[RECORDINGS_WHY_MAX]);
/* Reads and drops plaintext up to offset (a player's Range request): the stream's chunks are chained, so
 * the way to byte N is through the ones before it. 0, or negative as recordings_read. */
int recordings_read_skip(recordings_reader *rd, uint64_t offset, char why[RECORDINGS_WHY_MAX]);

/* ---- what a recording is, and how long it is kept (issue 18, part 3) ---- */

#define RECORDINGS_PRESENT_MAX 1000 /* characters: who was present, names and roles */
#define RECORDINGS_CONSENT_MAX 500  /* characters: consent given by whom, or why none was needed */
#define RECORDINGS_WORDS_MAX 4000   /* characters: the child's own words */

/* The one table of kinds and their retention, counted in whole years from the day the recording was made
 * (the reasons, for people, are in docs/SECURITY.md "Recordings"). */
struct recordings_kind {
	const char *code;   /* "interview", "meeting", "other" */
	const char *name;   /* "Interview" */
	const char *hint;   /* what the kind is for, on the form */
	int years;          /* kept this many years from the day it was made, then deleted by the sweep */
	const char *basis;  /* why that long, in a sentence */
};
/* The i-th kind (NULL past the end), and the kind of a code (NULL when there is none). */
const struct recordings_kind *recordings_kind_at(size_t i);
const struct recordings_kind *recordings_kind_of(const char *code);
/* The last day a recording is kept: recorded_on plus its kind's years (29 February to 28 February); false when
 * its kind or day is not valid. */
bool recordings_kept_until(const struct store_recording *rec, struct date *until);

/* What the page's form says about a recording, checked: kind, recorded_on (YYYY-MM-DD, not after today),
 * present and consent (required), words (optional); no control characters but line breaks. 0, or -1 with the
 * field at fault ("kind", "recorded_on", "present", "consent", "words") and a message for people. */
int recordings_describe_check(const struct store_recording *rec, struct date today, const char **field,
			      const char **message);

/* ---- the sweep and the rekey (`safeguard recordings sweep | rekey`) ---- */

/* Deletes every recording whose retention ended before today: for each, the row and an audit entry
 * "recording.delete" (its kind, day and hash; no personal data) in one transaction, then the file. Once the
 * row is gone its key is gone, so a file left by a crash between the two opens for no one. *deleted counts
 * them; negative on the first failure (those deleted before it stay deleted). */
int recordings_sweep(store *st, recordings *r, struct date today, const char *actor, size_t *deleted);

/* Wraps every recording's key anew under new_key, in ONE transaction with its audit entry
 * "recordings.rekey": the files are not touched (their own keys do not change). Any row whose key does not
 * open under r's key fails the whole transaction (RECORDINGS_EDAMAGED, *failed_id naming it): the database
 * is then as it was, every row under the old key. *count says how many were rewrapped. */
int recordings_rekey(store *st, recordings *r, const uint8_t new_key[RECORDINGS_KEY_LEN], const char *actor,
		     size_t *count, int64_t *failed_id);
/* Whether a row's key opens under key (for finishing an interrupted rekey: which key the rows are under). */
bool recordings_key_opens(const struct store_recording *rec, const uint8_t key[RECORDINGS_KEY_LEN]);

#endif
