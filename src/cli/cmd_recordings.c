/* recordings verify: does every recording still decrypt, and match the hash recorded at its upload.
 * recordings sweep: delete the recordings whose retention period is over (service/recordings.h).
 * recordings rekey: wrap every recording's key under a new master key, in one transaction. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libgen.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "clock/now.h"
#include "core/date.h"
#include "service/recordings.h"

static void usage(FILE *f)
{
	fprintf(f, "usage: safeguard recordings verify|sweep|rekey --db URL [--data-dir DIR] [--recordings-key FILE]\n"
		   "       safeguard recordings list --db URL [--child ID] [--limit N] [--json]\n\n"
		   "verify: "
		   "Decrypts every recording in DIR/recordings/ (--data-dir DIR; else beside the database,\n"
		   "PATH.recordings/) with the master key (DIR/recordings-key or PATH.recordings-key unless\n"
		   "--recordings-key names one) and checks each against the BLAKE2b\n"
		   "hash recorded at its upload, showing nothing of what they hold. Exits 0 saying how many were\n"
		   "verified; exits 1 naming each recording that fails to decrypt or is missing.\n\n"
		   "sweep: deletes every recording whose retention period (by its kind, from the day it was made)\n"
		   "ended before today, each with an audit entry (recording.delete). Run it nightly (cron).\n\n"
		   "rekey: wraps every recording's key under a new recordings key in one transaction (the files are\n"
		   "not rewritten), then puts the new key file in place of the old. Stop the server first. If it is\n"
		   "interrupted after its commit, FILE.new is left: the server refuses to start until `rekey` is run\n"
		   "again, which finds the key the recordings are under and finishes.\n\n"
		   "list: what each recording is, of which child, its size and who uploaded it (audited; no sealed\n"
		   "child; `safeguard recordings list --help`).\n");
}

/* The rows first, in one snapshot; the files after, without holding the snapshot open. */
struct rows {
	struct store_recording *v;
	size_t n, cap;
};

static int collect(const struct store_recording *r, void *ctx)
{
	struct rows *rows = ctx;
	if (rows->n == rows->cap) {
		size_t cap = rows->cap ? rows->cap * 2 : 64;
		struct store_recording *v = realloc(rows->v, cap * sizeof *v);
		if (!v)
			return STORE_EIO;
		rows->v = v;
		rows->cap = cap;
	}
	rows->v[rows->n++] = *r;
	return 0;
}

static int sweep(const char *db, const char *key_path)
{
	recordings *vault = NULL;
	size_t deleted = 0;
	store *st = cli_open_store(db, false);
	if (!st)
		return 1;
	if (cli_recordings_open(db, key_path, false, &vault) != 0) {
		store_close(st);
		return 1;
	}
	struct date today = ts_utc_date(ts_uk_local(clock_now()));
	int rc = recordings_sweep(st, vault, today, "cli", &deleted);
	recordings_close(vault);
	store_close(st);
	if (rc != 0) {
		fprintf(stderr, "safeguard recordings sweep: stopped after %zu deleted (store error %d)\n", deleted, rc);
		return 1;
	}
	printf("%zu recordings past their retention period deleted\n", deleted);
	return 0;
}

/* Flushes the directory that holds path, so that a rename or a new file in it is on disk. */
static int sync_dir_of(const char *path)
{
	char copy[1100];
	snprintf(copy, sizeof copy, "%s", path);
	int fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int rc = fd >= 0 && fsync(fd) == 0 ? 0 : -1;
	if (fd >= 0)
		close(fd);
	return rc;
}

static int write_key(const char *path, const uint8_t key[RECORDINGS_KEY_LEN])
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0 || write(fd, key, RECORDINGS_KEY_LEN) != RECORDINGS_KEY_LEN || fsync(fd) != 0) {
		fprintf(stderr, "safeguard recordings rekey: cannot write the new key %s: %s\n", path, strerror(errno));
		if (fd >= 0) {
			close(fd);
			unlink(path);
		}
		return -1;
	}
	close(fd);
	return sync_dir_of(path);
}

static int first_row(const struct store_recording *r, void *ctx)
{
	struct store_recording *out = ctx;
	if (!out->id)
		*out = *r;
	return 0;
}

/* PATH.new is there: a rekey stopped. The database's rows are all under one key (they change in one
 * transaction): the new one when that transaction committed, else the old. Whichever opens the first row
 * stays; the other goes. */
static int finish_interrupted(store *st, const char *key_path, const char *next_path)
{
	uint8_t old_key[RECORDINGS_KEY_LEN], new_key[RECORDINGS_KEY_LEN];
	struct store_recording *first = calloc(1, sizeof *first);
	int rc = -1;
	if (!first || cli_recordings_key_read(key_path, old_key) != 0 || cli_recordings_key_read(next_path, new_key) != 0)
		goto out;
	if (recordings_all(st, first_row, first) != STORE_OK) {
		fprintf(stderr, "safeguard recordings rekey: cannot read the recordings\n");
		goto out;
	}
	bool forward = first->id && recordings_key_opens(first, new_key);
	if (first->id && !forward && !recordings_key_opens(first, old_key)) {
		fprintf(stderr, "safeguard recordings rekey: recording %lld opens under neither %s nor %s: nothing changed\n",
			(long long)first->id, key_path, next_path);
		goto out;
	}
	if (forward ? rename(next_path, key_path) != 0 : unlink(next_path) != 0) {
		fprintf(stderr, "safeguard recordings rekey: cannot finish the interrupted rekey: %s\n", strerror(errno));
		goto out;
	}
	sync_dir_of(key_path);
	fprintf(stderr, "safeguard recordings rekey: an interrupted rekey was %s\n",
		forward ? "finished (the recordings were under the new key)" : "undone (the recordings were under the old key)");
	rc = 0;
out:
	sodium_memzero(old_key, sizeof old_key);
	sodium_memzero(new_key, sizeof new_key);
	free(first);
	return rc;
}

/*
 * The order that keeps every recording readable under exactly one key at every instant:
 *   1. the new key goes to PATH.new (flushed); the old key file is untouched;
 *   2. one transaction rewraps every row and appends the audit entry: all rows change, or none do;
 *   3. PATH.new is renamed over PATH (atomic; the directory flushed).
 * A failure in 1 or 2 removes PATH.new: all rows under the old key in PATH. A crash between 2 and 3 leaves
 * both files; the server refuses to start and the next rekey finds which one the rows are under.
 */
static int rekey(const char *db, const char *key_path_opt)
{
	char key_path[1024], next_path[1100];
	uint8_t old_key[RECORDINGS_KEY_LEN], new_key[RECORDINGS_KEY_LEN];
	recordings *vault = NULL;
	size_t n = 0;
	int64_t failed = 0;
	int status = 1;
	if (cli_recordings_key_path(db, key_path_opt, key_path, sizeof key_path) != 0)
		return 1;
	snprintf(next_path, sizeof next_path, "%s.new", key_path);
	store *st = cli_open_store(db, false);
	if (!st)
		return 1;
	if (cli_recordings_rekey_pending(key_path) && finish_interrupted(st, key_path, next_path) != 0)
		goto out;
	if (cli_recordings_key_read(key_path, old_key) != 0 || cli_recordings_open_with(db, old_key, &vault) != 0)
		goto out;
	randombytes_buf(new_key, sizeof new_key);
	if (write_key(next_path, new_key) != 0)
		goto out;
	int rc = recordings_rekey(st, vault, new_key, "cli", &n, &failed);
	if (rc != 0) {
		unlink(next_path);
		sync_dir_of(next_path);
		if (rc == RECORDINGS_EDAMAGED)
			fprintf(stderr, "safeguard recordings rekey: recording %lld's key does not open with %s: nothing was "
					"changed, every recording is still under the old key\n", (long long)failed, key_path);
		else
			fprintf(stderr, "safeguard recordings rekey: the database failed (store error %d): nothing was changed, "
					"every recording is still under the old key\n", rc);
		goto out;
	}
	if (rename(next_path, key_path) != 0 || sync_dir_of(key_path) != 0) {
		fprintf(stderr, "safeguard recordings rekey: the recordings are under the new key in %s, which could not "
				"replace %s (%s): run rekey again to finish\n", next_path, key_path, strerror(errno));
		goto out;
	}
	printf("%zu recordings rewrapped under a new recordings key (%s)\n", n, key_path);
	status = 0;
out:
	sodium_memzero(old_key, sizeof old_key);
	sodium_memzero(new_key, sizeof new_key);
	recordings_close(vault);
	store_close(st);
	return status;
}

int cmd_recordings(int argc, char **argv)
{
	static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
					     {"recordings-key", required_argument, NULL, 'k'},
					     {"help", no_argument, NULL, 'h'},
					     {NULL, 0, NULL, 0}};
	const char *db = NULL, *key_path = NULL;
	int c;
	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		usage(stdout);
		return 0;
	}
	const char *verb = argc >= 2 ? argv[1] : "";
	if (strcmp(verb, "list") == 0)
		return cli_recordings_list(argc - 1, argv + 1);
	if (strcmp(verb, "verify") != 0 && strcmp(verb, "sweep") != 0 && strcmp(verb, "rekey") != 0) {
		usage(stderr);
		return 2;
	}
	optind = 1;
	argc--;
	argv++;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
		case 'k': key_path = optarg; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (!db) {
		fprintf(stderr, "safeguard recordings: --db URL is required\n");
		return 2;
	}
	if (strcmp(verb, "sweep") == 0)
		return sweep(db, key_path);
	if (strcmp(verb, "rekey") == 0)
		return rekey(db, key_path);
	recordings *vault = NULL;
	struct rows rows = {0};
	store *st = cli_open_store(db, false);
	if (!st)
		return 1;
	if (cli_recordings_open(db, key_path, false, &vault) != 0) {
		store_close(st);
		return 1;
	}
	int rc = recordings_all(st, collect, &rows);
	store_close(st);
	if (rc != STORE_OK) {
		fprintf(stderr, "safeguard recordings verify: cannot read the recordings (store error %d)\n", rc);
		free(rows.v);
		recordings_close(vault);
		return 1;
	}
	size_t bad = 0;
	for (size_t i = 0; i < rows.n; i++) {
		char why[RECORDINGS_WHY_MAX] = "";
		int r = recordings_verify(vault, &rows.v[i], why);
		if (r != 0) {
			bad++;
			fprintf(stderr, "recording %lld: %s: %s\n", (long long)rows.v[i].id,
				r == RECORDINGS_EDAMAGED ? "failed to decrypt" : "cannot be read", why);
		}
	}
	recordings_close(vault);
	if (bad) {
		fprintf(stderr, "safeguard recordings verify: %zu of %zu recordings failed\n", bad, rows.n);
		free(rows.v);
		return 1;
	}
	printf("%zu recordings verified\n", rows.n);
	free(rows.v);
	return 0;
}
