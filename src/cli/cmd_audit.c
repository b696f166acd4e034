/* audit verify | checkpoint: is the audit chain whole, and sign where it stands. */
#include <getopt.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "service/audit.h"

static void usage(FILE *f)
{
	fprintf(f, "usage: safeguard audit verify --db URL [--audit-key FILE]\n"
		   "       safeguard audit checkpoint --db URL [--audit-key FILE]\n"
		   "       safeguard audit list --db URL [--action A] [--child N] [--object O] [--since WHEN] [--limit N] [--json]\n"
		   "                            (see safeguard audit list --help)\n\n"
		   "verify recomputes the audit's hash chain from the first entry to the last and checks every\n"
		   "signed checkpoint against it. Exits 0 and says how many entries and checkpoints were verified\n"
		   "when all hold; exits 1 naming the first entry that was changed, deleted, inserted or moved.\n"
		   "checkpoint signs the newest entry with the server's key (the sweep does it every night).\n"
		   "The key is DIR/audit-key with --data-dir DIR, else the file beside an SQLite database\n"
		   "(PATH.audit-key), made mode 0600 on first use, unless --audit-key names one; without it, verify checks each checkpoint against the key\n"
		   "stored beside it and says so.\n");
}

int cmd_audit(int argc, char **argv)
{
	static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
					     {"audit-key", required_argument, NULL, 'k'},
					     {"help", no_argument, NULL, 'h'},
					     {NULL, 0, NULL, 0}};
	const char *db = NULL, *key_path = NULL;
	int c;
	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		usage(stdout);
		return 0;
	}
	if (argc >= 2 && strcmp(argv[1], "list") == 0)
		return cli_audit_list(argc - 1, argv + 1);
	if (argc < 2 || (strcmp(argv[1], "verify") != 0 && strcmp(argv[1], "checkpoint") != 0)) {
		usage(stderr);
		return 2;
	}
	bool verify = strcmp(argv[1], "verify") == 0;
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
	uint8_t key[AUDIT_SECRET_KEY_LEN];
	bool have_key = false;
	if (!db) {
		fprintf(stderr, "safeguard audit: --db URL is required\n");
		return 2;
	}
	if (cli_audit_key(db, key_path, !verify, key, &have_key) != 0)
		return 1;
	store *st = cli_open_store(db, false);
	if (!st) {
		sodium_memzero(key, sizeof key);
		return 1;
	}
	int rc;
	if (!verify) {
		int64_t id = 0;
		rc = txq_exec_checkpoint(st, key, &id);
		sodium_memzero(key, sizeof key);
		store_close(st);
		if (rc != STORE_OK) {
			fprintf(stderr, "safeguard audit checkpoint: cannot sign (store error %d)\n", rc);
			return 1;
		}
		if (id)
			printf("audit checkpoint signed at entry %lld\n", (long long)id);
		else
			printf("nothing new to sign: the newest entry already has a checkpoint, or the audit is empty\n");
		return 0;
	}
	struct audit_verify_result r;
	rc = audit_verify(st, have_key ? key + AUDIT_SECRET_KEY_LEN - 32 : NULL, &r);
	sodium_memzero(key, sizeof key);
	store_close(st);
	if (rc != STORE_OK) {
		fprintf(stderr, "safeguard audit verify: cannot read the audit (store error %d)\n", rc);
		return 1;
	}
	if (r.first_bad_id) {
		fprintf(stderr, "safeguard audit verify: the chain is broken at entry %lld: %s (%lld entries before it "
				"verified)\n", (long long)r.first_bad_id, r.why, (long long)r.verified);
		return 1;
	}
	printf("audit chain verified: %lld entries, %lld signed checkpoints%s\n", (long long)r.verified,
	       (long long)r.checkpoints, have_key || !r.checkpoints ? "" : " (no key file: each checked against its own key)");
	return 0;
}
