#include "service/recordings.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/date.h"
#include "core/text.h"
#include "service/audit.h"
#include "service/service_int.h"
#include "service/txq.h"

#define SS_ABYTES crypto_secretstream_xchacha20poly1305_ABYTES
#define SS_HEADER crypto_secretstream_xchacha20poly1305_HEADERBYTES
#define CIPHER_CHUNK (RECORDINGS_CHUNK + SS_ABYTES)
#define FILE_KEY_LEN crypto_secretstream_xchacha20poly1305_KEYBYTES
#define HASH_LEN 32
#define DISK_ID_BYTES 16 /* the file's name: 128 random bits in hex */

_Static_assert(RECORDINGS_KEY_LEN == crypto_secretbox_KEYBYTES, "the master key is a secretbox key");
_Static_assert(STORE_RECORDING_WRAPPED_LEN == crypto_secretbox_MACBYTES + FILE_KEY_LEN, "a wrapped file key");
_Static_assert(STORE_RECORDING_NONCE_LEN == crypto_secretbox_NONCEBYTES, "a secretbox nonce");
_Static_assert(STORE_RECORDING_DISK_MAX == DISK_ID_BYTES * 2, "the file's name in hex");

struct recordings {
	char *dir;
	int dirfd;
	uint8_t key[RECORDINGS_KEY_LEN];
};

/* ---- the directory and the master key ---- */

int recordings_open(const char *dir, const uint8_t master_key[RECORDINGS_KEY_LEN], recordings **out, char *err,
		    size_t errsz)
{
	struct stat sb;
	*out = NULL;
	if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
		snprintf(err, errsz, "cannot create the recordings directory %s: %s", dir, strerror(errno));
		return RECORDINGS_EIO;
	}
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &sb) != 0) {
		snprintf(err, errsz, "cannot open the recordings directory %s: %s", dir, strerror(errno));
		if (fd >= 0)
			close(fd);
		return RECORDINGS_EIO;
	}
	/* Ciphertext only, but its names and sizes say how many recordings a child has: this user only. */
	if ((sb.st_mode & 077) != 0) {
		snprintf(err, errsz, "the recordings directory %s can be opened by others: make it mode 0700", dir);
		close(fd);
		return RECORDINGS_EIO;
	}
	recordings *r = calloc(1, sizeof *r);
	if (!r || !(r->dir = strdup(dir))) {
		free(r);
		close(fd);
		snprintf(err, errsz, "out of memory");
		return RECORDINGS_EIO;
	}
	r->dirfd = fd;
	memcpy(r->key, master_key, RECORDINGS_KEY_LEN);
	*out = r;
	return 0;
}

void recordings_close(recordings *r)
{
	if (!r)
		return;
	sodium_memzero(r->key, sizeof r->key);
	close(r->dirfd);
	free(r->dir);
	free(r);
}

/* ---- what may be uploaded ---- */

/* Audio and video of interviews and meetings, and the documents that go with them. Nothing a browser would
 * run (HTML, SVG, scripts): downloads are attachments with nosniff anyway. */
static const char *const content_types[] = {
	"audio/mpeg", "audio/mp4", "audio/wav", "audio/x-wav", "audio/ogg", "audio/webm", "video/mp4",
	"video/webm", "video/quicktime", "application/pdf", "image/jpeg", "image/png", "text/plain",
};

const char *recordings_content_type(const char *header)
{
	if (!header)
		return NULL;
	while (*header == ' ' || *header == '\t')
		header++;
	size_t n = strcspn(header, ";");
	while (n && (header[n - 1] == ' ' || header[n - 1] == '\t'))
		n--;
	for (size_t i = 0; i < sizeof content_types / sizeof content_types[0]; i++)
		if (strlen(content_types[i]) == n && strncasecmp(content_types[i], header, n) == 0)
			return content_types[i];
	return NULL;
}

bool recordings_filename_valid(const char *name, size_t len)
{
	if (!name || len == 0 || strlen(name) != len || !text_utf8_valid(name, len))
		return false;
	/* It goes into a header: no control character at all (tab, CR and LF included; C1 as well). */
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)name[i];
		if (ch < 0x20 || ch == 0x7F || ch == '/' || ch == '\\' ||
		    (ch == 0xC2 && i + 1 < len && (unsigned char)name[i + 1] < 0xA0))
			return false;
	}
	return text_utf8_length(name, len) <= RECORDINGS_FILENAME_MAX;
}

/* ---- small file helpers ---- */

static int write_all(int fd, const void *buf, size_t len)
{
	const unsigned char *p = buf;
	while (len) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Reads until len bytes or the end of the file; the count, or -1. */
static ssize_t read_full(int fd, void *buf, size_t len)
{
	unsigned char *p = buf;
	size_t got = 0;
	while (got < len) {
		ssize_t n = read(fd, p + got, len - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			break;
		got += (size_t)n;
	}
	return (ssize_t)got;
}

static bool disk_name_valid(const char *s)
{
	size_t n = strlen(s);
	if (n != DISK_ID_BYTES * 2)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

/* ---- writing ---- */

struct recordings_writer {
	recordings *r;
	int fd;
	char tmp[32];                        /* "tmp-XXXXXX", in the directory */
	char disk_name[DISK_ID_BYTES * 2 + 1];
	bool placed;                         /* renamed into place */
	uint64_t bytes;
	size_t plen;
	crypto_secretstream_xchacha20poly1305_state ss;
	crypto_generichash_state hash;
	uint8_t key[FILE_KEY_LEN];
	unsigned char plain[RECORDINGS_CHUNK];
	unsigned char cipher[CIPHER_CHUNK];
};

static void writer_wipe(recordings_writer *w)
{
	sodium_memzero(w->key, sizeof w->key);
	sodium_memzero(&w->ss, sizeof w->ss);
	sodium_memzero(w->plain, sizeof w->plain);
}

int recordings_write_begin(recordings *r, recordings_writer **out)
{
	unsigned char header[SS_HEADER];
	*out = NULL;
	recordings_writer *w = calloc(1, sizeof *w);
	if (!w)
		return RECORDINGS_EIO;
	w->r = r;
	w->fd = -1;
	/* mkstemp needs a path; the directory's name is the server's, no personal data. */
	size_t n = strlen(r->dir) + sizeof "/tmp-XXXXXX";
	char *path = malloc(n);
	if (!path)
		goto fail;
	snprintf(path, n, "%s/tmp-XXXXXX", r->dir);
	w->fd = mkstemp(path); /* mode 0600 */
	if (w->fd >= 0 && fcntl(w->fd, F_SETFD, FD_CLOEXEC) == 0)
		snprintf(w->tmp, sizeof w->tmp, "%s", strrchr(path, '/') + 1);
	free(path);
	if (w->fd < 0 || !w->tmp[0])
		goto fail;
	crypto_secretstream_xchacha20poly1305_keygen(w->key);
	crypto_secretstream_xchacha20poly1305_init_push(&w->ss, header, w->key);
	crypto_generichash_init(&w->hash, NULL, 0, HASH_LEN);
	if (write_all(w->fd, header, sizeof header) != 0)
		goto fail;
	*out = w;
	return 0;
fail:
	recordings_write_discard(w);
	return RECORDINGS_EIO;
}

static int seal(recordings_writer *w, unsigned char tag)
{
	unsigned long long clen = 0;
	crypto_secretstream_xchacha20poly1305_push(&w->ss, w->cipher, &clen, w->plain, w->plen, NULL, 0, tag);
	w->plen = 0;
	return write_all(w->fd, w->cipher, (size_t)clen) == 0 ? 0 : RECORDINGS_EIO;
}

int recordings_write(recordings_writer *w, const void *data, size_t len)
{
	const unsigned char *p = data;
	while (len) {
		/* A full chunk is sealed only when more bytes follow it: the last one, full or not, is FINAL. */
		if (w->plen == RECORDINGS_CHUNK && seal(w, 0) != 0)
			return RECORDINGS_EIO;
		size_t n = RECORDINGS_CHUNK - w->plen;
		if (n > len)
			n = len;
		memcpy(w->plain + w->plen, p, n);
		crypto_generichash_update(&w->hash, p, n);
		w->plen += n;
		w->bytes += n;
		p += n;
		len -= n;
	}
	return 0;
}

uint64_t recordings_written(const recordings_writer *w)
{
	return w->bytes;
}

int recordings_write_end(recordings_writer *w, struct store_recording *rec)
{
	unsigned char digest[HASH_LEN], id[DISK_ID_BYTES];
	if (w->fd < 0 || seal(w, crypto_secretstream_xchacha20poly1305_TAG_FINAL) != 0 || fsync(w->fd) != 0)
		return RECORDINGS_EIO;
	if (close(w->fd) != 0) {
		w->fd = -1;
		return RECORDINGS_EIO;
	}
	w->fd = -1;
	randombytes_buf(id, sizeof id);
	sodium_bin2hex(w->disk_name, sizeof w->disk_name, id, sizeof id);
	/* 128 random bits: a name already taken is not a case to handle. */
	if (renameat(w->r->dirfd, w->tmp, w->r->dirfd, w->disk_name) != 0)
		return RECORDINGS_EIO;
	w->placed = true;
	if (fsync(w->r->dirfd) != 0)
		return RECORDINGS_EIO;
	crypto_generichash_final(&w->hash, digest, sizeof digest);
	sodium_bin2hex(rec->blake2b, sizeof rec->blake2b, digest, sizeof digest);
	randombytes_buf(rec->key_nonce, sizeof rec->key_nonce);
	crypto_secretbox_easy(rec->wrapped_key, w->key, sizeof w->key, rec->key_nonce, w->r->key);
	rec->well_formed = true;
	rec->bytes = (int64_t)w->bytes;
	snprintf(rec->disk_name, sizeof rec->disk_name, "%s", w->disk_name);
	writer_wipe(w);
	return 0;
}

void recordings_write_discard(recordings_writer *w)
{
	if (!w)
		return;
	if (w->fd >= 0)
		close(w->fd);
	if (w->placed)
		unlinkat(w->r->dirfd, w->disk_name, 0);
	else if (w->tmp[0])
		unlinkat(w->r->dirfd, w->tmp, 0);
	writer_wipe(w);
	free(w);
}

void recordings_write_free(recordings_writer *w)
{
	if (!w)
		return;
	if (w->fd >= 0)
		close(w->fd);
	writer_wipe(w);
	free(w);
}

int recordings_add(store_conn *c, struct store_recording *rec, int64_t now)
{
	char object[40], detail[160];
	ts_format_utc(now, rec->uploaded_at);
	int rc = store_recording_insert(c, rec, &rec->id);
	if (rc != STORE_OK)
		return rc;
	snprintf(object, sizeof object, "recording:%lld", (long long)rec->id);
	/* The hash goes into the chain: the file as given can be shown to be this one, years later. */
	snprintf(detail, sizeof detail, "blake2b %s; %lld bytes; %s", rec->blake2b, (long long)rec->bytes,
		 rec->content_type);
	struct store_audit e = {.actor = rec->uploaded_by, .action = "recording.upload", .child_id = rec->child_id,
				.object = object, .detail = detail};
	return audit_append(c, &e);
}

/* ---- reading ---- */

int recordings_get(store *st, int64_t id, struct store_recording *out, bool *found)
{
	store_conn *c = store_conn_get(st);
	int rc = c ? store_recording_get(c, id, out, found) : STORE_EIO;
	store_conn_put(st, c);
	return rc;
}

struct may_args {
	struct access_reader *r;
	int64_t id, now;
	struct store_recording *out;
	bool *may;
};

static int may_run(store_conn *c, void *arg)
{
	struct may_args *a = arg;
	bool found = false;
	int rc = store_recording_get(c, a->id, a->out, &found);
	if (rc == STORE_OK && !found)
		memset(a->out, 0, sizeof *a->out);
	/* No recording: the decision about no child, which asks what it asks of any (access.c, r-ntk27). */
	if (rc == STORE_OK)
		rc = access_decide_reader(c, a->r, a->out->child_id, a->now);
	if (rc == STORE_OK)
		*a->may = found && a->r->level == ACCESS_FULL;
	return rc;
}

int recordings_reader_may(store *st, struct access_reader *r, int64_t id, int64_t now, struct store_recording *out,
			  bool *may)
{
	struct may_args a = {.r = r, .id = id, .now = now, .out = out, .may = may};
	*may = false;
	return service_in_snapshot(st, may_run, &a);
}

int recordings_read_decided(store *st, txq *q, int64_t id, int64_t now, struct children_access *a,
			    struct store_recording *out)
{
	bool may = false;
	int rc = recordings_reader_may(st, &a->reader, id, now, out, &may);
	if (rc != STORE_OK)
		return rc;
	a->child_id = out->child_id;
	return children_access_decided(q, a, may, "recording:%lld", (long long)id);
}

struct list_args {
	int64_t child_id; /* 0: every recording */
	store_recording_fn fn;
	void *ctx;
};

static int list_run(store_conn *c, void *arg)
{
	struct list_args *l = arg;
	return store_recordings(c, l->child_id, l->fn, l->ctx);
}

int recordings_list(store *st, const struct children_access *a, store_recording_fn fn, void *ctx)
{
	if (!a->audited || !a->child_id)
		return CHILDREN_ENOAUDIT;
	struct list_args l = {a->child_id, fn, ctx};
	return service_in_snapshot(st, list_run, &l);
}

struct page_args {
	int64_t child_id;
	struct store_person *child;
	bool *found;
	store_recording_fn fn;
	void *ctx;
};

static int page_run(store_conn *c, void *arg)
{
	struct page_args *p = arg;
	int rc = store_person_get(c, p->child_id, p->child, p->found);
	if (rc != STORE_OK || !*p->found)
		return rc;
	return store_recordings(c, p->child_id, p->fn, p->ctx);
}

int recordings_page(store *st, const struct children_access *a, struct store_person *child, bool *found,
		    store_recording_fn fn, void *ctx)
{
	*found = false;
	if (!a->audited || !a->child_id)
		return CHILDREN_ENOAUDIT;
	struct page_args p = {a->child_id, child, found, fn, ctx};
	return service_in_snapshot(st, page_run, &p);
}

int recordings_all(store *st, store_recording_fn fn, void *ctx)
{
	struct list_args l = {0, fn, ctx};
	return service_in_snapshot(st, list_run, &l);
}

struct recordings_reader {
	int fd;
	int64_t id;
	uint64_t expect_bytes, got_bytes;
	char expect_hash[65];
	bool started, done;
	unsigned long long chunks;
	size_t plen, pos;
	crypto_secretstream_xchacha20poly1305_state ss;
	crypto_generichash_state hash;
	uint8_t key[FILE_KEY_LEN];
	unsigned char cipher[CIPHER_CHUNK];
	unsigned char plain[RECORDINGS_CHUNK];
};

#define DAMAGED "the file on disk has been changed or damaged"

static int damaged(char why[RECORDINGS_WHY_MAX], const char *what)
{
	snprintf(why, RECORDINGS_WHY_MAX, DAMAGED " (%s)", what);
	return RECORDINGS_EDAMAGED;
}

/* To the beginning of the file: the header, a fresh stream state and hash. */
static int reader_start(recordings_reader *rd, char why[RECORDINGS_WHY_MAX])
{
	unsigned char header[SS_HEADER];
	rd->started = rd->done = false;
	rd->plen = rd->pos = 0;
	rd->got_bytes = 0;
	rd->chunks = 0;
	if (lseek(rd->fd, 0, SEEK_SET) != 0) {
		snprintf(why, RECORDINGS_WHY_MAX, "cannot read its file: %s", strerror(errno));
		return RECORDINGS_EIO;
	}
	ssize_t n = read_full(rd->fd, header, sizeof header);
	if (n < 0) {
		snprintf(why, RECORDINGS_WHY_MAX, "cannot read its file: %s", strerror(errno));
		return RECORDINGS_EIO;
	}
	if ((size_t)n != sizeof header || crypto_secretstream_xchacha20poly1305_init_pull(&rd->ss, header, rd->key) != 0)
		return damaged(why, "its header is cut short");
	crypto_generichash_init(&rd->hash, NULL, 0, HASH_LEN);
	rd->started = true;
	return 0;
}

/* The next chunk into plain; at the FINAL one, checks the end of the file, the size and the hash. */
static int reader_next(recordings_reader *rd, char why[RECORDINGS_WHY_MAX])
{
	unsigned long long plen = 0;
	unsigned char tag = 0, extra;
	ssize_t n = read_full(rd->fd, rd->cipher, sizeof rd->cipher);
	if (n < 0) {
		snprintf(why, RECORDINGS_WHY_MAX, "cannot read its file: %s", strerror(errno));
		return RECORDINGS_EIO;
	}
	if (n == 0)
		return damaged(why, "it ends before its final chunk");
	if (crypto_secretstream_xchacha20poly1305_pull(&rd->ss, rd->plain, &plen, &tag, rd->cipher, (unsigned long long)n,
						       NULL, 0) != 0) {
		char what[64];
		snprintf(what, sizeof what, "chunk %llu fails authentication", rd->chunks + 1);
		return damaged(why, what);
	}
	rd->chunks++;
	rd->plen = (size_t)plen;
	rd->pos = 0;
	rd->got_bytes += plen;
	crypto_generichash_update(&rd->hash, rd->plain, (size_t)plen);
	if (tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL) {
		unsigned char digest[HASH_LEN];
		char hex[65];
		if (read_full(rd->fd, &extra, 1) != 0)
			return damaged(why, "there is more after its final chunk");
		crypto_generichash_final(&rd->hash, digest, sizeof digest);
		sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
		if (rd->got_bytes != rd->expect_bytes || sodium_memcmp(hex, rd->expect_hash, 64) != 0)
			return damaged(why, "its plaintext does not match the hash recorded at upload");
		rd->done = true;
	} else if (tag != 0 || (size_t)n != sizeof rd->cipher) {
		return damaged(why, "a chunk is out of place");
	}
	return 0;
}

static int reader_open(recordings *r, const struct store_recording *rec, recordings_reader **out,
		       char why[RECORDINGS_WHY_MAX])
{
	*out = NULL;
	if (!rec->well_formed || !disk_name_valid(rec->disk_name) || strlen(rec->blake2b) != 64 || rec->bytes < 0) {
		snprintf(why, RECORDINGS_WHY_MAX, "its row was not written by this program (malformed key or file name)");
		return RECORDINGS_EDAMAGED;
	}
	recordings_reader *rd = calloc(1, sizeof *rd);
	if (!rd) {
		snprintf(why, RECORDINGS_WHY_MAX, "out of memory");
		return RECORDINGS_EIO;
	}
	rd->id = rec->id;
	rd->expect_bytes = (uint64_t)rec->bytes;
	memcpy(rd->expect_hash, rec->blake2b, 65);
	rd->fd = openat(r->dirfd, rec->disk_name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (rd->fd < 0) {
		snprintf(why, RECORDINGS_WHY_MAX, errno == ENOENT ? "its file is missing from disk" : "cannot open its file: %s",
			 strerror(errno));
		free(rd);
		return RECORDINGS_EIO;
	}
	if (crypto_secretbox_open_easy(rd->key, rec->wrapped_key, sizeof rec->wrapped_key, rec->key_nonce, r->key) != 0) {
		snprintf(why, RECORDINGS_WHY_MAX, "its key does not open with this recordings key (another key file?)");
		recordings_read_close(rd);
		return RECORDINGS_EDAMAGED;
	}
	int rc = reader_start(rd, why);
	if (rc != 0) {
		recordings_read_close(rd);
		return rc;
	}
	*out = rd;
	return 0;
}

int recordings_read_open(recordings *r, const struct children_access *a, const struct store_recording *rec,
			 recordings_reader **out, char why[RECORDINGS_WHY_MAX])
{
	*out = NULL;
	/* A refused access opens nothing (r-review32): since r-tidy32 a refusal decided by recordings_read_decided
	 * keeps the recording's child in a->child_id (for its entry's detail), and its entry is durable too, so the
	 * child alone no longer tells a refusal from a read. */
	if (!a->audited || a->refused || a->child_id != rec->child_id) {
		snprintf(why, RECORDINGS_WHY_MAX, "the download's audit entry is not on disk");
		return CHILDREN_ENOAUDIT;
	}
	return reader_open(r, rec, out, why);
}

int recordings_read_check(recordings_reader *rd, char why[RECORDINGS_WHY_MAX])
{
	int rc = 0;
	while (rc == 0 && !rd->done)
		rc = reader_next(rd, why);
	if (rc == 0)
		rc = reader_start(rd, why);
	return rc;
}

ssize_t recordings_read(recordings_reader *rd, void *buf, size_t max, char why[RECORDINGS_WHY_MAX])
{
	if (!rd->started)
		return RECORDINGS_EIO;
	while (rd->pos == rd->plen) {
		if (rd->done)
			return 0;
		int rc = reader_next(rd, why);
		if (rc != 0) {
			rd->started = false; /* nothing more from this file */
			return rc;
		}
	}
	size_t n = rd->plen - rd->pos;
	if (n > max)
		n = max;
	memcpy(buf, rd->plain + rd->pos, n);
	rd->pos += n;
	return (ssize_t)n;
}

void recordings_read_close(recordings_reader *rd)
{
	if (!rd)
		return;
	if (rd->fd >= 0)
		close(rd->fd);
	sodium_memzero(rd->key, sizeof rd->key);
	sodium_memzero(&rd->ss, sizeof rd->ss);
	sodium_memzero(rd->plain, sizeof rd->plain);
	free(rd);
}

int recordings_verify(recordings *r, const struct store_recording *rec, char why[RECORDINGS_WHY_MAX])
{
	recordings_reader *rd = NULL;
	int rc = reader_open(r, rec, &rd, why);
	if (rc == 0)
		rc = recordings_read_check(rd, why);
	recordings_read_close(rd);
	return rc;
}

int recordings_read_skip(recordings_reader *rd, uint64_t offset, char why[RECORDINGS_WHY_MAX])
{
	if (!rd->started)
		return RECORDINGS_EIO;
	uint64_t left = offset;
	while (left) {
		if (rd->pos == rd->plen) {
			if (rd->done)
				return 0; /* past the end: nothing more to send */
			int rc = reader_next(rd, why);
			if (rc != 0) {
				rd->started = false;
				return rc;
			}
			continue;
		}
		size_t n = rd->plen - rd->pos;
		if (n > left)
			n = (size_t)left;
		rd->pos += n;
		left -= n;
	}
	return 0;
}

/* ---- kinds and their retention ---- */

/*
 * How long each kind is kept, from the day it was made (docs/SECURITY.md "Recordings" says it for people):
 *  - interview: an Achieving Best Evidence (ABE) interview, or any interview where the child tells what
 *    happened, is evidence a survivor may ask for decades later. The Independent Inquiry into Child Sexual
 *    Abuse (final report, 2022) asked that records about allegations of child sexual abuse be kept for 75
 *    years; the police keep such evidence at least as long under Management of Police Information. 75 years.
 *  - meeting: a strategy discussion, conference or review is recorded so that its minutes are right; the
 *    minutes are the record. Kept while a complaint (Children Act 1989 representations: within a year) and the
 *    Ombudsman after it (a further year) may need it. 2 years.
 *  - other (documents, photographs, a recording that is neither): kept with the child's file, to 25 years,
 *    the age to which local retention schedules (IRMS toolkit) keep a child protection file for a child born
 *    in the year it was made.
 * NEEDSWORK: a local authority's own schedule may differ; this is the one table to change.
 */
static const struct recordings_kind kinds[] = {
	{"interview", "Interview", "The child, or someone who knows them, tells what happened (for example an ABE interview)",
	 75, "Evidence of what the child said: the Independent Inquiry into Child Sexual Abuse asked that such records "
	     "be kept for 75 years"},
	{"meeting", "Meeting", "A strategy discussion, conference, review or other meeting about the child", 2,
	 "The minutes are the record: kept while a complaint (within a year) and the Ombudsman's review after it may "
	 "need it"},
	{"other", "Other", "A document, photograph or recording that is neither", 25,
	 "Kept with the child's file: 25 years, as local retention schedules keep a child protection file"},
};

const struct recordings_kind *recordings_kind_at(size_t i)
{
	return i < sizeof kinds / sizeof kinds[0] ? &kinds[i] : NULL;
}

const struct recordings_kind *recordings_kind_of(const char *code)
{
	for (size_t i = 0; code && i < sizeof kinds / sizeof kinds[0]; i++)
		if (strcmp(kinds[i].code, code) == 0)
			return &kinds[i];
	return NULL;
}

bool recordings_kept_until(const struct store_recording *rec, struct date *until)
{
	const struct recordings_kind *k = recordings_kind_of(rec->kind);
	struct date d;
	if (!k || date_parse_iso(rec->recorded_on, &d) != DATE_OK)
		return false;
	d.y += k->years;
	if (d.y > 9999)
		d.y = 9999;
	if (d.m == 2 && d.d == 29 && !date_is_leap(d.y))
		d.d = 28;
	*until = d;
	return true;
}

static bool text_field_ok(const char *s, size_t max_chars)
{
	size_t len = strlen(s);
	if (!text_utf8_valid(s, len) || text_utf8_length(s, len) > max_chars)
		return false;
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)s[i];
		if ((ch < 0x20 && ch != '\n' && ch != '\r' && ch != '\t') || ch == 0x7F)
			return false;
	}
	return true;
}

static bool blank(const char *s)
{
	for (; *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n')
			return false;
	return true;
}

int recordings_describe_check(const struct store_recording *rec, struct date today, const char **field,
			      const char **message)
{
	struct date d;
	if (!recordings_kind_of(rec->kind)) {
		*field = "kind";
		*message = "Select what kind of recording this is";
		return -1;
	}
	if (date_parse_iso(rec->recorded_on, &d) != DATE_OK) {
		*field = "recorded_on";
		*message = "Enter the date it was recorded as a real date, for example 27 3 2026";
		return -1;
	}
	if (date_cmp(d, today) > 0) {
		*field = "recorded_on";
		*message = "The date it was recorded must be today or in the past";
		return -1;
	}
	if (blank(rec->present)) {
		*field = "present";
		*message = "Enter who was present, with their roles";
		return -1;
	}
	if (!text_field_ok(rec->present, RECORDINGS_PRESENT_MAX)) {
		*field = "present";
		*message = "Who was present must be 1,000 characters or fewer";
		return -1;
	}
	if (blank(rec->consent)) {
		*field = "consent";
		*message = "Enter who gave consent, or why consent was not needed";
		return -1;
	}
	if (!text_field_ok(rec->consent, RECORDINGS_CONSENT_MAX)) {
		*field = "consent";
		*message = "Consent must be 500 characters or fewer";
		return -1;
	}
	if (!text_field_ok(rec->words, RECORDINGS_WORDS_MAX)) {
		*field = "words";
		*message = "The child's own words must be 4,000 characters or fewer";
		return -1;
	}
	return 0;
}

/* ---- the sweep ---- */

struct expired {
	int64_t id, child_id;
	char disk_name[STORE_RECORDING_DISK_MAX + 1];
	char kind[STORE_CODE_MAX + 1];
	char recorded_on[11];
	char blake2b[65];
};

struct expired_list {
	struct date today;
	struct expired *v;
	size_t n, cap;
};

static int find_expired(const struct store_recording *r, void *ctx)
{
	struct expired_list *l = ctx;
	struct date until;
	/* A row whose kind or day is not valid is never swept: keeping too long is the safe mistake. */
	if (!recordings_kept_until(r, &until) || date_cmp(until, l->today) >= 0)
		return 0;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		struct expired *v = realloc(l->v, cap * sizeof *v);
		if (!v)
			return STORE_EIO;
		l->v = v;
		l->cap = cap;
	}
	struct expired *e = &l->v[l->n++];
	e->id = r->id;
	e->child_id = r->child_id;
	snprintf(e->disk_name, sizeof e->disk_name, "%s", r->disk_name);
	snprintf(e->kind, sizeof e->kind, "%s", r->kind);
	snprintf(e->recorded_on, sizeof e->recorded_on, "%s", r->recorded_on);
	snprintf(e->blake2b, sizeof e->blake2b, "%s", r->blake2b);
	return 0;
}

struct sweep_one {
	const struct expired *e;
	const char *actor;
};

static int sweep_run(store_conn *c, void *arg)
{
	struct sweep_one *s = arg;
	char object[40], detail[200];
	const struct recordings_kind *k = recordings_kind_of(s->e->kind);
	int rc = store_recording_delete(c, s->e->id);
	if (rc != STORE_OK)
		return rc;
	snprintf(object, sizeof object, "recording:%lld", (long long)s->e->id);
	snprintf(detail, sizeof detail, "retention over: %s, kept %d years from %s; blake2b %s", s->e->kind,
		 k ? k->years : 0, s->e->recorded_on, s->e->blake2b);
	struct store_audit a = {.actor = s->actor, .action = "recording.delete", .child_id = s->e->child_id,
				.object = object, .detail = detail};
	return audit_append(c, &a);
}

int recordings_sweep(store *st, recordings *r, struct date today, const char *actor, size_t *deleted)
{
	struct expired_list l = {.today = today};
	*deleted = 0;
	int rc = service_in_snapshot(st, list_run, &(struct list_args){0, find_expired, &l});
	for (size_t i = 0; rc == STORE_OK && i < l.n; i++) {
		struct sweep_one s = {&l.v[i], actor};
		rc = txq_exec(st, sweep_run, &s);
		if (rc == STORE_ECONFLICT) /* already gone (another sweep): nothing to do */
			rc = STORE_OK;
		else if (rc == STORE_OK)
			(*deleted)++;
		/* After the commit: the row and its wrapped key are gone, so the file opens for no one even if it
		 * cannot be removed now. */
		if (rc == STORE_OK && disk_name_valid(l.v[i].disk_name) && unlinkat(r->dirfd, l.v[i].disk_name, 0) != 0 &&
		    errno != ENOENT)
			fprintf(stderr, "safeguard: recording %lld's file could not be removed (its key is gone): %s\n",
				(long long)l.v[i].id, strerror(errno));
	}
	free(l.v);
	return rc;
}

/* ---- the rekey ---- */

bool recordings_key_opens(const struct store_recording *rec, const uint8_t key[RECORDINGS_KEY_LEN])
{
	uint8_t file_key[FILE_KEY_LEN];
	bool ok = rec->well_formed && crypto_secretbox_open_easy(file_key, rec->wrapped_key, sizeof rec->wrapped_key,
								     rec->key_nonce, key) == 0;
	sodium_memzero(file_key, sizeof file_key);
	return ok;
}

struct wrapped {
	int64_t id;
	bool well_formed;
	uint8_t key[STORE_RECORDING_WRAPPED_LEN];
	uint8_t nonce[STORE_RECORDING_NONCE_LEN];
};

struct rekey_args {
	recordings *r;
	const uint8_t *new_key;
	const char *actor;
	struct wrapped *v;
	size_t n, cap;
	int64_t failed_id;
};

static int collect_wrapped(const struct store_recording *rec, void *ctx)
{
	struct rekey_args *a = ctx;
	if (a->n == a->cap) {
		size_t cap = a->cap ? a->cap * 2 : 64;
		struct wrapped *v = realloc(a->v, cap * sizeof *v);
		if (!v)
			return STORE_EIO;
		a->v = v;
		a->cap = cap;
	}
	struct wrapped *w = &a->v[a->n++];
	w->id = rec->id;
	w->well_formed = rec->well_formed;
	memcpy(w->key, rec->wrapped_key, sizeof w->key);
	memcpy(w->nonce, rec->key_nonce, sizeof w->nonce);
	return 0;
}

/* A short name for a key that says nothing of it: BLAKE2b-256 with its own context, 8 bytes in hex. */
static void key_fingerprint(const uint8_t key[RECORDINGS_KEY_LEN], char out[17])
{
	static const unsigned char ctx[] = "safeguard recordings key fingerprint";
	unsigned char d[32];
	crypto_generichash(d, sizeof d, ctx, sizeof ctx - 1, key, RECORDINGS_KEY_LEN);
	sodium_bin2hex(out, 17, d, 8);
}

static int rekey_run(store_conn *c, void *arg)
{
	struct rekey_args *a = arg;
	uint8_t file_key[FILE_KEY_LEN];
	int rc;
	a->n = 0;
	/* Rows are read in the transaction that rewrites them: none can come or go in between. */
	if ((rc = store_recordings(c, 0, collect_wrapped, a)) != STORE_OK)
		return rc;
	for (size_t i = 0; i < a->n; i++) {
		struct wrapped *w = &a->v[i];
		if (!w->well_formed ||
		    crypto_secretbox_open_easy(file_key, w->key, sizeof w->key, w->nonce, a->r->key) != 0) {
			a->failed_id = w->id;
			rc = RECORDINGS_EDAMAGED;
			break;
		}
		randombytes_buf(w->nonce, sizeof w->nonce);
		crypto_secretbox_easy(w->key, file_key, sizeof file_key, w->nonce, a->new_key);
		if ((rc = store_recording_rewrap(c, w->id, w->key, w->nonce)) != STORE_OK)
			break;
	}
	sodium_memzero(file_key, sizeof file_key);
	if (rc != STORE_OK)
		return rc;
	char detail[120], from[17], to[17];
	key_fingerprint(a->r->key, from);
	key_fingerprint(a->new_key, to);
	snprintf(detail, sizeof detail, "%zu recordings rewrapped; key %s to %s", a->n, from, to);
	struct store_audit e = {.actor = a->actor, .action = "recordings.rekey", .object = "recordings",
				.detail = detail};
	return audit_append(c, &e);
}

int recordings_rekey(store *st, recordings *r, const uint8_t new_key[RECORDINGS_KEY_LEN], const char *actor,
		     size_t *count, int64_t *failed_id)
{
	struct rekey_args a = {.r = r, .new_key = new_key, .actor = actor};
	int rc = txq_exec(st, rekey_run, &a);
	*count = rc == STORE_OK ? a.n : 0;
	*failed_id = a.failed_id;
	free(a.v);
	return rc;
}
