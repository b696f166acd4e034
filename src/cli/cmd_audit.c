/* audit verify: is the audit chain whole? */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "service/audit.h"

static void usage(FILE *f)
{
	fprintf(f, "usage: safeguard audit verify --db URL\n\n"
		   "Recomputes the audit's hash chain from the first entry to the last. Exits 0 and says how many\n"
		   "entries were verified when the chain holds; exits 1 naming the first entry that was changed,\n"
		   "deleted, inserted or moved otherwise.\n");
}

int cmd_audit(int argc, char **argv)
{
	static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
					     {"help", no_argument, NULL, 'h'},
					     {NULL, 0, NULL, 0}};
	const char *db = NULL;
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
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	store *st = cli_open_store(db, false);
	if (!st)
		return 1;
	struct audit_verify_result r;
	int rc = audit_verify(st, &r);
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
	printf("audit chain verified: %lld entries\n", (long long)r.verified);
	return 0;
}
