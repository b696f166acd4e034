/* recordings verify: does every recording still decrypt, and match the hash recorded at its upload. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "service/recordings.h"

static void usage(FILE *f)
{
	fprintf(f, "usage: safeguard recordings verify --db URL [--recordings-key FILE]\n\n"
		   "Decrypts every recording in DIR/recordings/ (--data-dir DIR; else beside the database,\n"
		   "PATH.recordings/) with the master key (DIR/recordings-key or PATH.recordings-key unless\n"
		   "--recordings-key names one) and checks each against the BLAKE2b\n"
		   "hash recorded at its upload, showing nothing of what they hold. Exits 0 saying how many were\n"
		   "verified; exits 1 naming each recording that fails to decrypt or is missing.\n");
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
	if (argc < 2 || strcmp(argv[1], "verify") != 0) {
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
