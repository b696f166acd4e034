/* Unit tests for service/recordings: encrypt while writing, decrypt while reading, over chunk boundaries;
 * another master key, a flipped byte, a cut-short or lengthened file all fail; the row and its audit entry. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "service/audit.h"
#include "service/recordings.h"
#include "service/service_int.h" /* recordings_get, the row alone */
#include "service/txq.h"
#include "store/store.h"
#include "fixture.h"

struct rfx {
	struct fx *f;
	char dir[200];
	uint8_t key[RECORDINGS_KEY_LEN];
	recordings *r;
};

static int rfx_setup(void **state)
{
	struct rfx *x = calloc(1, sizeof *x);
	if (!x || fx_setup((void **)&x->f) != 0)
		return -1;
	snprintf(x->dir, sizeof x->dir, "%s/rec", x->f->dir);
	randombytes_buf(x->key, sizeof x->key);
	char err[256];
	if (recordings_open(x->dir, x->key, &x->r, err, sizeof err) != 0)
		return -1;
	*state = x;
	return 0;
}

static int rfx_teardown(void **state)
{
	struct rfx *x = *state;
	recordings_close(x->r);
	fx_rm_dir(x->dir);
	void *f = x->f;
	free(x);
	return fx_teardown(&f);
}

/* Writes n bytes (pattern from seed) in pieces of `piece` bytes; fills rec. */
static void put(struct rfx *x, size_t n, size_t piece, unsigned char *data, struct store_recording *rec)
{
	recordings_writer *w = NULL;
	for (size_t i = 0; i < n; i++)
		data[i] = (unsigned char)(i * 131 + 7);
	memset(rec, 0, sizeof *rec);
	assert_int_equal(recordings_write_begin(x->r, &w), 0);
	for (size_t off = 0; off < n; off += piece)
		assert_int_equal(recordings_write(w, data + off, n - off < piece ? n - off : piece), 0);
	assert_int_equal(recordings_written(w), n);
	assert_int_equal(recordings_write_end(w, rec), 0);
	recordings_write_free(w);
	rec->id = 1;
	rec->child_id = 7;
}

static void file_path(struct rfx *x, const struct store_recording *rec, char *out, size_t outsz)
{
	snprintf(out, outsz, "%s/%s", x->dir, rec->disk_name);
}

static long file_size(const char *path)
{
	struct stat sb;
	return stat(path, &sb) == 0 ? (long)sb.st_size : -1;
}

/* Reads the whole plaintext back through an audited access, in reads of `max` bytes. */
static int get(struct rfx *x, const struct store_recording *rec, unsigned char *out, size_t cap, size_t max,
	       size_t *got, char *why)
{
	struct children_access a = {.audited = true, .child_id = rec->child_id};
	recordings_reader *rd = NULL;
	int rc = recordings_read_open(x->r, &a, rec, &rd, why);
	*got = 0;
	if (rc == 0)
		rc = recordings_read_check(rd, why);
	while (rc == 0) {
		assert_true(*got <= cap);
		ssize_t n = recordings_read(rd, out + *got, cap - *got < max ? cap - *got : max, why);
		if (n < 0)
			rc = (int)n;
		else if (n == 0)
			break;
		else
			*got += (size_t)n;
	}
	recordings_read_close(rd);
	return rc;
}

static void round_trips_over_chunk_boundaries(void **state)
{
	struct rfx *x = *state;
	const size_t sizes[] = {0, 1, RECORDINGS_CHUNK - 1, RECORDINGS_CHUNK, RECORDINGS_CHUNK + 1,
				3 * RECORDINGS_CHUNK, 1024 * 1024 + 12345};
	const size_t pieces[] = {1000, 4096, RECORDINGS_CHUNK, 100000};
	size_t cap = 1024 * 1024 + 20000;
	unsigned char *in = malloc(cap), *out = malloc(cap);
	assert_non_null(in);
	assert_non_null(out);
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		struct store_recording rec;
		char why[RECORDINGS_WHY_MAX] = "", path[300];
		size_t got = 0;
		put(x, sizes[i], pieces[i % 4], in, &rec);
		/* The hash is BLAKE2b-256 of the plaintext. */
		unsigned char d[32];
		char hex[65];
		crypto_generichash(d, sizeof d, in, sizes[i], NULL, 0);
		sodium_bin2hex(hex, sizeof hex, d, sizeof d);
		assert_string_equal(rec.blake2b, hex);
		assert_int_equal(rec.bytes, (int64_t)sizes[i]);
		/* header, then one sealed chunk per started 64 KiB (at least one: the FINAL) */
		size_t chunks = sizes[i] ? (sizes[i] + RECORDINGS_CHUNK - 1) / RECORDINGS_CHUNK : 1;
		file_path(x, &rec, path, sizeof path);
		assert_int_equal(file_size(path), (long)(24 + sizes[i] + chunks * 17));
		assert_int_equal(get(x, &rec, out, cap, 777 + i * 30000, &got, why), 0);
		assert_int_equal(got, sizes[i]);
		assert_memory_equal(in, out, sizes[i]);
		assert_int_equal(recordings_verify(x->r, &rec, why), 0);
	}
	/* The name on disk is a random hex id, and no temporary file is left. */
	DIR *d = opendir(x->dir);
	struct dirent *e;
	int files = 0;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		assert_int_equal(strlen(e->d_name), 32);
		assert_int_equal(strspn(e->d_name, "0123456789abcdef"), 32);
		files++;
	}
	closedir(d);
	assert_int_equal(files, (int)(sizeof sizes / sizeof sizes[0]));
	free(in);
	free(out);
}

static void another_master_key_fails(void **state)
{
	struct rfx *x = *state;
	unsigned char data[5000];
	struct store_recording rec;
	char why[RECORDINGS_WHY_MAX] = "", err[200];
	put(x, sizeof data, 999, data, &rec);
	uint8_t other[RECORDINGS_KEY_LEN];
	randombytes_buf(other, sizeof other);
	recordings *r2 = NULL;
	assert_int_equal(recordings_open(x->dir, other, &r2, err, sizeof err), 0);
	assert_int_equal(recordings_verify(r2, &rec, why), RECORDINGS_EDAMAGED);
	assert_non_null(strstr(why, "another key file"));
	recordings_close(r2);
	assert_int_equal(recordings_verify(x->r, &rec, why), 0);
}

static void flip(const char *path, long at)
{
	int fd = open(path, O_RDWR);
	unsigned char b;
	assert_true(fd >= 0);
	assert_int_equal(pread(fd, &b, 1, at), 1);
	b ^= 0x01;
	assert_int_equal(pwrite(fd, &b, 1, at), 1);
	close(fd);
}

static void a_flipped_byte_fails_anywhere(void **state)
{
	struct rfx *x = *state;
	size_t n = 2 * RECORDINGS_CHUNK + 10;
	unsigned char *data = malloc(n), *out = malloc(n);
	struct store_recording rec;
	char why[RECORDINGS_WHY_MAX] = "", path[300];
	size_t got;
	put(x, n, 50000, data, &rec);
	file_path(x, &rec, path, sizeof path);
	long size = file_size(path);
	/* In the header, the first chunk, the middle one, the last byte of the file. */
	const long at[] = {3, 24 + 100, 24 + RECORDINGS_CHUNK + 17 + 5, size - 1};
	for (size_t i = 0; i < sizeof at / sizeof at[0]; i++) {
		flip(path, at[i]);
		assert_int_equal(recordings_verify(x->r, &rec, why), RECORDINGS_EDAMAGED);
		assert_non_null(strstr(why, "changed or damaged"));
		assert_int_equal(get(x, &rec, out, n, n, &got, why), RECORDINGS_EDAMAGED);
		assert_int_equal(got, 0); /* nothing handed on: the check comes first */
		flip(path, at[i]);
		assert_int_equal(recordings_verify(x->r, &rec, why), 0);
	}
	/* A hash in the row that does not match the plaintext. */
	rec.blake2b[0] = rec.blake2b[0] == '0' ? '1' : '0';
	assert_int_equal(recordings_verify(x->r, &rec, why), RECORDINGS_EDAMAGED);
	assert_non_null(strstr(why, "hash recorded at upload"));
	free(data);
	free(out);
}

static void a_cut_short_or_lengthened_file_fails(void **state)
{
	struct rfx *x = *state;
	size_t n = 3 * RECORDINGS_CHUNK;
	unsigned char *data = malloc(n);
	struct store_recording rec;
	char why[RECORDINGS_WHY_MAX] = "", path[300];
	put(x, n, n, data, &rec);
	file_path(x, &rec, path, sizeof path);
	long size = file_size(path);
	/* At a chunk boundary (the FINAL chunk dropped), inside a chunk, inside the header, to nothing. */
	const long cut[] = {24 + 2 * (RECORDINGS_CHUNK + 17), size - 1, 10, 0};
	for (size_t i = 0; i < sizeof cut / sizeof cut[0]; i++) {
		assert_int_equal(truncate(path, cut[i]), 0);
		assert_int_equal(recordings_verify(x->r, &rec, why), RECORDINGS_EDAMAGED);
		put(x, n, n, data, &rec); /* a fresh copy for the next cut */
		file_path(x, &rec, path, sizeof path);
	}
	/* Bytes appended after the FINAL chunk. */
	int fd = open(path, O_WRONLY | O_APPEND);
	assert_int_equal(write(fd, "x", 1), 1);
	close(fd);
	assert_int_equal(recordings_verify(x->r, &rec, why), RECORDINGS_EDAMAGED);
	/* A missing file is told apart. */
	unlink(path);
	assert_int_equal(recordings_verify(x->r, &rec, why), RECORDINGS_EIO);
	assert_non_null(strstr(why, "missing"));
	free(data);
}

static void reading_needs_a_durable_audit_entry_for_that_child(void **state)
{
	struct rfx *x = *state;
	unsigned char data[10];
	struct store_recording rec;
	char why[RECORDINGS_WHY_MAX];
	recordings_reader *rd = NULL;
	put(x, sizeof data, 10, data, &rec);
	struct children_access not_yet = {.audited = false, .child_id = rec.child_id};
	struct children_access other = {.audited = true, .child_id = rec.child_id + 1};
	assert_int_equal(recordings_read_open(x->r, &not_yet, &rec, &rd, why), CHILDREN_ENOAUDIT);
	assert_int_equal(recordings_read_open(x->r, &other, &rec, &rd, why), CHILDREN_ENOAUDIT);
	assert_null(rd);
}

static void discard_leaves_nothing(void **state)
{
	struct rfx *x = *state;
	recordings_writer *w = NULL;
	unsigned char data[100000] = {1};
	assert_int_equal(recordings_write_begin(x->r, &w), 0);
	assert_int_equal(recordings_write(w, data, sizeof data), 0);
	recordings_write_discard(w); /* before the end: the temporary file */
	struct store_recording rec;
	assert_int_equal(recordings_write_begin(x->r, &w), 0);
	assert_int_equal(recordings_write(w, data, sizeof data), 0);
	assert_int_equal(recordings_write_end(w, &rec), 0);
	recordings_write_discard(w); /* after: the file renamed into place */
	DIR *d = opendir(x->dir);
	struct dirent *e;
	while ((e = readdir(d)) != NULL)
		assert_true(e->d_name[0] == '.');
	closedir(d);
}

/* Issue 18: one table of kinds; kept until the day recorded plus the kind's years (29 February to 28). */
static void retention_per_kind(void **state)
{
	struct store_recording *r = calloc(1, sizeof *r);
	struct date until;
	assert_non_null(r);
	assert_string_equal(recordings_kind_at(0)->code, "interview");
	assert_null(recordings_kind_at(3));
	assert_null(recordings_kind_of("memo"));
	snprintf(r->kind, sizeof r->kind, "meeting");
	snprintf(r->recorded_on, sizeof r->recorded_on, "2024-02-29");
	assert_true(recordings_kept_until(r, &until));
	assert_int_equal(until.y, 2026);
	assert_int_equal(until.m, 2);
	assert_int_equal(until.d, 28);
	snprintf(r->kind, sizeof r->kind, "interview");
	assert_true(recordings_kept_until(r, &until));
	assert_int_equal(until.y, 2099);
	assert_int_equal(until.d, 28);
	snprintf(r->recorded_on, sizeof r->recorded_on, "2024-13-01");
	assert_false(recordings_kept_until(r, &until)); /* never swept: keeping too long is the safe mistake */
	free(r);
}

static void what_a_recording_needs(void **state)
{
	struct store_recording *r = calloc(1, sizeof *r);
	const char *field = NULL, *message = NULL;
	struct date today = {2026, 12, 4};
	assert_non_null(r);
	snprintf(r->kind, sizeof r->kind, "interview");
	snprintf(r->recorded_on, sizeof r->recorded_on, "2026-12-04");
	snprintf(r->present, sizeof r->present, "Sam Worker, social worker");
	snprintf(r->consent, sizeof r->consent, "The child and her mother");
	assert_int_equal(recordings_describe_check(r, today, &field, &message), 0); /* the words are optional */
	snprintf(r->recorded_on, sizeof r->recorded_on, "2026-12-05");
	assert_int_equal(recordings_describe_check(r, today, &field, &message), -1);
	assert_string_equal(field, "recorded_on");
	snprintf(r->recorded_on, sizeof r->recorded_on, "2026-12-04");
	snprintf(r->present, sizeof r->present, " \n ");
	assert_int_equal(recordings_describe_check(r, today, &field, &message), -1);
	assert_string_equal(field, "present");
	snprintf(r->present, sizeof r->present, "Sam\x01");
	assert_int_equal(recordings_describe_check(r, today, &field, &message), -1);
	assert_string_equal(field, "present");
	snprintf(r->present, sizeof r->present, "Sam");
	memset(r->words, 'x', RECORDINGS_WORDS_MAX + 1);
	assert_int_equal(recordings_describe_check(r, today, &field, &message), -1);
	assert_string_equal(field, "words");
	free(r);
}

static void content_types_and_file_names(void **state)
{
	assert_string_equal(recordings_content_type("audio/mpeg"), "audio/mpeg");
	assert_string_equal(recordings_content_type("Video/MP4; codecs=avc1"), "video/mp4");
	assert_string_equal(recordings_content_type(" text/plain ;charset=utf-8"), "text/plain");
	assert_null(recordings_content_type("text/html"));
	assert_null(recordings_content_type("image/svg+xml"));
	assert_null(recordings_content_type("audio/mpegx"));
	assert_null(recordings_content_type(""));
	assert_null(recordings_content_type(NULL));
	assert_true(recordings_filename_valid("interview 3 May.mp3", 19));
	assert_true(recordings_filename_valid("Zoë's meeting.m4a", strlen("Zoë's meeting.m4a")));
	assert_false(recordings_filename_valid("", 0));
	assert_false(recordings_filename_valid("a/b.mp3", 7));
	assert_false(recordings_filename_valid("a\\b.mp3", 7));
	assert_false(recordings_filename_valid("a\nb.mp3", 7));
	assert_false(recordings_filename_valid("\xff.mp3", 5));
	assert_false(recordings_filename_valid("a\tb", 3));
	assert_false(recordings_filename_valid("a\xc2\x85" "b", 4)); /* NEL, a C1 control */
	char name[260];
	memset(name, 'a', 200);
	name[200] = '\0';
	assert_true(recordings_filename_valid(name, 200));
	name[200] = 'a';
	name[201] = '\0';
	assert_false(recordings_filename_valid(name, 201));
}

/* ---- the row and its audit entry ---- */

struct add_args {
	struct store_recording rec;
	int64_t child;
};

static int child_job(store_conn *c, void *arg)
{
	struct store_person p;
	memset(&p, 0, sizeof p);
	snprintf(p.given_name, sizeof p.given_name, "Amira");
	return store_person_insert(c, &p, &((struct add_args *)arg)->child);
}

static int add_job(store_conn *c, void *arg)
{
	struct add_args *a = arg;
	a->rec.child_id = a->child;
	return recordings_add(c, &a->rec, 1767225600);
}

struct seen {
	int n;
	char detail[200], object[40];
	struct store_recording rec;
};

static int on_audit(const struct store_audit *e, void *ctx)
{
	struct seen *s = ctx;
	if (strcmp(e->action, "recording.upload") == 0) {
		s->n++;
		snprintf(s->detail, sizeof s->detail, "%s", e->detail);
		snprintf(s->object, sizeof s->object, "%s", e->object);
	}
	return 0;
}

static int on_recording(const struct store_recording *r, void *ctx)
{
	((struct seen *)ctx)->rec = *r;
	return 0;
}

static void the_row_and_the_hash_in_the_audit_chain(void **state)
{
	struct rfx *x = *state;
	unsigned char data[70000];
	struct add_args *a = calloc(1, sizeof *a);
	struct seen *s = calloc(1, sizeof *s);
	put(x, sizeof data, 10000, data, &a->rec);
	snprintf(a->rec.filename, sizeof a->rec.filename, "secret interview.mp3");
	snprintf(a->rec.content_type, sizeof a->rec.content_type, "audio/mpeg");
	snprintf(a->rec.uploaded_by, sizeof a->rec.uploaded_by, "user:1:sam");
	assert_int_equal(txq_exec(x->f->st, child_job, a), STORE_OK);
	assert_int_equal(txq_exec(x->f->st, add_job, a), STORE_OK);
	assert_true(a->rec.id > 0);
	assert_string_equal(a->rec.uploaded_at, "2026-01-01T00:00:00Z");

	store_conn *c = store_conn_get(x->f->st);
	assert_int_equal(store_audit_each(c, on_audit, s), STORE_OK);
	store_conn_put(x->f->st, c);
	assert_int_equal(s->n, 1);
	assert_non_null(strstr(s->detail, a->rec.blake2b));
	assert_null(strstr(s->detail, "interview")); /* never the file name */
	struct audit_verify_result v;
	assert_int_equal(audit_verify(x->f->st, NULL, &v), STORE_OK);
	assert_int_equal(v.first_bad_id, 0);

	/* Listed only with a durable entry; what comes back opens. */
	struct children_access acc = {.audited = false, .child_id = a->child};
	assert_int_equal(recordings_list(x->f->st, &acc, on_recording, s), CHILDREN_ENOAUDIT);
	acc.audited = true;
	assert_int_equal(recordings_list(x->f->st, &acc, on_recording, s), STORE_OK);
	assert_string_equal(s->rec.filename, "secret interview.mp3");
	assert_true(s->rec.well_formed);
	assert_memory_equal(s->rec.wrapped_key, a->rec.wrapped_key, sizeof a->rec.wrapped_key);
	char why[RECORDINGS_WHY_MAX];
	assert_int_equal(recordings_verify(x->r, &s->rec, why), 0);
	bool found = false;
	assert_int_equal(recordings_get(x->f->st, a->rec.id, &s->rec, &found), STORE_OK);
	assert_true(found);
	assert_int_equal(recordings_get(x->f->st, a->rec.id + 1, &s->rec, &found), STORE_OK);
	assert_false(found);
	free(a);
	free(s);
}

static void access_ended(struct children_access *a)
{
	(void)a; /* txq_stop below waits for it */
}

/* r-review32: a refused read decided by recordings_read_decided keeps the recording's child in the access (its
 * entry's detail says which), and its entry is durable: the reader must still open nothing for it. On r-tidy32's
 * commit it opened the recording (the child matched, the entry was on disk). */
static void a_refused_read_opens_nothing(void **state)
{
	struct rfx *x = *state;
	unsigned char data[100];
	char why[RECORDINGS_WHY_MAX];
	struct add_args *a = calloc(1, sizeof *a);
	struct children_access *acc = calloc(1, sizeof *acc);
	struct store_recording row;
	recordings_reader *rd = NULL;
	txq *q = NULL;
	assert_non_null(a);
	assert_non_null(acc);
	put(x, sizeof data, 100, data, &a->rec);
	snprintf(a->rec.filename, sizeof a->rec.filename, "interview.mp3");
	snprintf(a->rec.content_type, sizeof a->rec.content_type, "audio/mpeg");
	snprintf(a->rec.uploaded_by, sizeof a->rec.uploaded_by, "user:1:sam");
	assert_int_equal(txq_exec(x->f->st, child_job, a), STORE_OK);
	assert_int_equal(txq_exec(x->f->st, add_job, a), STORE_OK);
	/* a social worker with no relationship with the child */
	snprintf(acc->actor, sizeof acc->actor, "user:9:una");
	acc->action = "recording.download";
	access_reader_person(&acc->reader, 9, "una", "social_care", "social_worker");
	acc->done = access_ended;
	assert_int_equal(txq_start(x->f->st, &q), STORE_OK);
	assert_int_equal(recordings_read_decided(x->f->st, q, a->rec.id, 1767225600, acc, &row), STORE_OK);
	txq_stop(q); /* the entry is durable and done() has run */
	txq_free(q);
	assert_true(acc->audited);
	assert_true(acc->refused);
	assert_int_equal(row.id, a->rec.id);
	assert_int_equal(acc->child_id, a->child); /* as the decision leaves it */
	assert_int_equal(recordings_read_open(x->r, acc, &row, &rd, why), CHILDREN_ENOAUDIT);
	assert_null(rd);
	/* the same access, allowed, opens it: the refusal is what was refused */
	acc->refused = false;
	assert_int_equal(recordings_read_open(x->r, acc, &row, &rd, why), 0);
	assert_non_null(rd);
	recordings_read_close(rd);
	free(acc);
	free(a);
}

static void a_directory_others_may_open_is_refused(void **state)
{
	struct rfx *x = *state;
	char err[300];
	recordings *r2 = NULL;
	assert_int_equal(chmod(x->dir, 0750), 0);
	assert_int_equal(recordings_open(x->dir, x->key, &r2, err, sizeof err), RECORDINGS_EIO);
	assert_non_null(strstr(err, "0700"));
	assert_null(r2);
	assert_int_equal(chmod(x->dir, 0700), 0);
}

/* A database at schema 8 (as the binary before recordings left it, with a child in it) migrates to 9 and on
 * to the newest: what came after 8 is taken out again first. */
static void migrates_from_schema_8(void **state)
{
	fx_sqlite_only();
	struct fx *f = NULL;
	char err[256];
	int from = 0, to = 0;
	assert_int_equal(fx_setup((void **)&f), 0);
	struct add_args *a = calloc(1, sizeof *a);
	assert_int_equal(txq_exec(f->st, child_job, a), STORE_OK);
	store_close(f->st);
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "DROP TABLE speakup_message; DROP TABLE speakup_report; "
					   "DROP TABLE lado_alert; DROP TABLE lado_allegation; DROP TABLE lado_employment; "
					   "DROP TABLE lado_person; "
					   "DROP TABLE worker_notice; DROP INDEX break_glass_at; DROP TABLE link_model; "
					   "ALTER TABLE app_user DROP COLUMN full_name; ALTER TABLE app_user DROP COLUMN email; "
					   "ALTER TABLE app_user DROP COLUMN phone; ALTER TABLE app_user DROP COLUMN team; "
					   "DROP TABLE dpo_notice; DROP TABLE login_throttle; "
					   "ALTER TABLE app_user DROP COLUMN totp_sealed; "
					   "DROP TABLE home_alert; DROP TABLE oversight_signal; DROP TABLE oversight_run; "
					   "DROP TABLE home_note; DROP TABLE reg44_report; DROP TABLE home_incident; "
					   "DROP TABLE home_placement; DROP TABLE home_occupancy; DROP TABLE home; "
					   "DROP TABLE link_refusal; DROP TABLE link_review; DROP TABLE person_merge_key; DROP TABLE person_merge_row; "
					   "DROP TABLE person_merge; DROP TABLE person_block_key; "
					   "DROP TABLE recording; DROP TABLE sealed_record; "
					   "ALTER TABLE api_client DROP COLUMN scope; ALTER TABLE api_client DROP COLUMN created_by; "
					   "ALTER TABLE api_client DROP COLUMN pending; ALTER TABLE api_client DROP COLUMN approved_by; "
					   "ALTER TABLE api_client DROP COLUMN approved_at; "
					   "ALTER TABLE app_user DROP COLUMN totp_last_step; "
					   "ALTER TABLE team DROP COLUMN phone; ALTER TABLE team DROP COLUMN out_of_hours_phone; "
					   "ALTER TABLE team DROP COLUMN email; "
					   "ALTER TABLE person ADD COLUMN sealed INTEGER NOT NULL DEFAULT 0; "
					   "DROP INDEX event_person_category; ALTER TABLE event DROP COLUMN category_key; "
					   "PRAGMA user_version = 8", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(store_open(f->url, &f->st, err, sizeof err), STORE_OK);
	assert_int_equal(store_check_schema(f->st, err, sizeof err), STORE_ESCHEMA);
	assert_int_equal(store_migrate(f->st, &from, &to, err, sizeof err), STORE_OK);
	assert_int_equal(from, 8);
	assert_int_equal(to, store_schema_latest());
	/* The child is still there and can have a recording. */
	memset(&a->rec, 0, sizeof a->rec);
	snprintf(a->rec.filename, sizeof a->rec.filename, "a.pdf");
	snprintf(a->rec.content_type, sizeof a->rec.content_type, "application/pdf");
	memset(a->rec.blake2b, 'a', 64);
	snprintf(a->rec.disk_name, sizeof a->rec.disk_name, "%032d", 0);
	snprintf(a->rec.uploaded_by, sizeof a->rec.uploaded_by, "cli");
	assert_int_equal(txq_exec(f->st, add_job, a), STORE_OK);
	assert_int_equal(a->rec.id, 1);
	free(a);
	void *fv = f;
	fx_teardown(&fv);
}

static int group_setup(void **state)
{
	return sodium_init() < 0 ? -1 : 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(round_trips_over_chunk_boundaries, rfx_setup, rfx_teardown),
		cmocka_unit_test_setup_teardown(another_master_key_fails, rfx_setup, rfx_teardown),
		cmocka_unit_test_setup_teardown(a_flipped_byte_fails_anywhere, rfx_setup, rfx_teardown),
		cmocka_unit_test_setup_teardown(a_cut_short_or_lengthened_file_fails, rfx_setup, rfx_teardown),
		cmocka_unit_test_setup_teardown(reading_needs_a_durable_audit_entry_for_that_child, rfx_setup, rfx_teardown),
		cmocka_unit_test_setup_teardown(discard_leaves_nothing, rfx_setup, rfx_teardown),
		cmocka_unit_test(content_types_and_file_names),
		cmocka_unit_test(retention_per_kind),
		cmocka_unit_test(what_a_recording_needs),
		cmocka_unit_test_setup_teardown(the_row_and_the_hash_in_the_audit_chain, rfx_setup, rfx_teardown),
		cmocka_unit_test_setup_teardown(a_refused_read_opens_nothing, rfx_setup, rfx_teardown),
		cmocka_unit_test_setup_teardown(a_directory_others_may_open_is_refused, rfx_setup, rfx_teardown),
		cmocka_unit_test(migrates_from_schema_8),
	};
	return cmocka_run_group_tests(tests, group_setup, NULL);
}
