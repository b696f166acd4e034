/* serve, migrate, token: the commands that run against a database. */
#include <getopt.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "api/api.h"
#include "cli/cli.h"
#include "clock/now.h"
#include "io/linkage_model.h"
#include "service/identity.h"
#include "core/event.h"
#include "core/text.h"
#include "service/access.h"
#include "service/alerts.h"
#include "service/speakup.h"
#include "service/tokens.h"
#include "service/txq.h"

static bool parse_uint(const char *s, unsigned max, unsigned *out)
{
	char *end = NULL;
	unsigned long v = strtoul(s, &end, 10);
	if (!*s || *end || v > max || s[0] == '-')
		return false;
	*out = (unsigned)v;
	return true;
}

/* A page of 130 KiB is built in buffers above glibc's default mmap threshold (128 KiB), and the heap's top
 * was given back after each: every record page faulted ~27 fresh pages in (issue 17; bench/page.sh with
 * BENCH_FAULTS=1: 26.8 -> 1.2 a page). The server keeps up to 64 MiB a heap for reuse instead. */
static void serve_malloc_settings(void)
{
#ifdef __GLIBC__
	mallopt(M_MMAP_THRESHOLD, 4 * 1024 * 1024);
	mallopt(M_TRIM_THRESHOLD, 64 * 1024 * 1024);
#endif
}

int cmd_serve(int argc, char **argv)
{
	static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
					     {"listen", required_argument, NULL, 'l'},
					     {"threads", required_argument, NULL, 't'},
					     {"behind-tls", no_argument, NULL, 'p'},
					     {"max-connections-per-address", required_argument, NULL, 'P'},
					     {"settings", required_argument, NULL, 's'},
					     {"recordings-key", required_argument, NULL, 'k'},
					     {"recording-max-mb", required_argument, NULL, 'm'},
					     {"authority", required_argument, NULL, 'A'},
					     {"linkage-model", required_argument, NULL, 'L'},
					     {"totp-key", required_argument, NULL, 'T'},
					     {"break-glass-per-day", required_argument, NULL, 'B'},
					     {"speak-up-per-day", required_argument, NULL, 'S'},
					     {"db-read", required_argument, NULL, 'R'},
					     {"help", no_argument, NULL, 'h'},
					     {NULL, 0, NULL, 0}};
	const char *db = NULL, *db_read = NULL, *settings = NULL, *rec_key = NULL, *authority = NULL;
	const char *model = NULL, *totp_key = NULL;
	unsigned max_mb = API_RECORDING_MAX_MB_DEFAULT, glass_per_day = ACCESS_BREAK_GLASS_PER_DAY;
	unsigned speakup_day = SPEAKUP_PER_DAY;
	struct cli_http http = {.listen = "127.0.0.1:8080", .per_address = HTTP_CONNECTIONS_PER_ADDRESS_DEFAULT};
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
		case 'l': http.listen = optarg; break;
		case 'p': http.behind_tls = true; break;
		case 'P':
			if (!parse_uint(optarg, HTTP_CONNECTIONS_MAX, &http.per_address)) {
				fprintf(stderr, "safeguard serve: --max-connections-per-address must be 0 (no limit but the "
						"server's %d) to %d\n", HTTP_CONNECTIONS_MAX, HTTP_CONNECTIONS_MAX);
				return 2;
			}
			break;
		case 's': settings = optarg; break;
		case 'k': rec_key = optarg; break;
		case 'A':
			if (strlen(optarg) != 3 || strspn(optarg, "0123456789") != 3) {
				fprintf(stderr, "safeguard serve: --authority must be a DfE LA number (3 digits)\n");
				return 2;
			}
			authority = optarg;
			break;
		case 'L': model = optarg; break;
		case 'R': db_read = optarg; break;
		case 'T': totp_key = optarg; break;
		case 'B':
			if (!parse_uint(optarg, 1000, &glass_per_day) || glass_per_day == 0) {
				fprintf(stderr, "safeguard serve: --break-glass-per-day must be 1 to 1000\n");
				return 2;
			}
			break;
		case 'S':
			if (!parse_uint(optarg, 1000000, &speakup_day) || speakup_day == 0) {
				fprintf(stderr, "safeguard serve: --speak-up-per-day must be 1 to 1000000\n");
				return 2;
			}
			break;
		case 'm':
			/* Up to 1 TiB: a day of video is far less; the bound keeps the byte count in range. */
			if (!parse_uint(optarg, 1024 * 1024, &max_mb) || max_mb == 0) {
				fprintf(stderr, "safeguard serve: --recording-max-mb must be 1 to 1048576\n");
				return 2;
			}
			break;
		case 't':
			if (!parse_uint(optarg, 256, &http.threads) || http.threads == 0) {
				fprintf(stderr, "safeguard serve: --threads must be 1 to 256\n");
				return 2;
			}
			break;
		case 'h':
			printf("usage: safeguard serve --db URL [--db-read URL] [--listen HOST:PORT] [--threads N] [--behind-tls]\n"
			       "                       [--max-connections-per-address N]\n"
			       "                       [--settings SETTINGS.json] [--recordings-key FILE]\n"
			       "                       [--recording-max-mb N] [--authority LA]\n"
			       "                       [--linkage-model MODEL.json] [--totp-key FILE]\n"
			       "                       [--break-glass-per-day N] [--speak-up-per-day N]\n\n"
			       "Serves the pages (sign in at /sign-in), the JSON API (/api/v1), /healthz and /metrics\n"
			       "until SIGINT or SIGTERM.\n"
			       "  --behind-tls        a TLS proxy is in front: session cookies are marked Secure and\n"
			       "                      forms must come from https://HOST (the proxy passes Host on)\n"
			       "  --db URL            the database, e.g. sqlite:safeguard.db (migrated first)\n"
			       "  --db-read URL       PostgreSQL: a synchronous replica of --db that snapshot reads\n"
			       "                      (chronologies, searches, pages) are sent to; writers then wait\n"
			       "                      until it has applied their commit (docs/SCALING.md)\n"
			       "  --listen HOST:PORT  address to listen on (default 127.0.0.1:8080; port 0 picks one)\n"
			       "  --threads N         server threads (default: two per core)\n"
			       "  --max-connections-per-address N  connections at once from one client address\n"
			       "                      (default %d; 0: only the server's ceiling of %d; behind a\n"
			       "                      proxy every client has the proxy's address: docs/SECURITY.md)\n"
			       "  --settings FILE     the rules' local settings and closure days (docs/RULES.md)\n"
			       "  --recordings-key FILE  the master key of the recordings (default: recordings-key in the\n"
			       "                      --data-dir, else PATH.recordings-key beside the database, made\n"
			       "                      mode 0600 on first start); the files are kept in DIR/recordings/\n"
			       "                      (else PATH.recordings/)\n"
			       "  --recording-max-mb N   the largest recording accepted, in MiB (default %d)\n"
			       "  --authority LA      the DfE LA number of this deployment's authority: the police see\n"
			       "                      the children's homes it hosts (default: every home in the register)\n"
			       "  --linkage-model FILE   a model from 'safeguard link train' for intake's record linkage\n"
			       "                      (default: the service's built-in parameters, docs/INTERNALS.md)\n"
			       "  --totp-key FILE     the key the TOTP secrets are encrypted with (default: totp-key in the\n"
			       "                      --data-dir, else PATH.totp-key beside the database; made mode 0600\n"
			       "                      on first start). --data-dir DIR: safeguard --help\n"
			       "  --break-glass-per-day N  records one person may open in an emergency in 24 hours before\n"
			       "                      the next is refused and the data protection officer told (default %d)\n"
			       "  --speak-up-per-day N  speak-up reports taken from everyone together in a day (UTC)\n"
			       "                      before the next is answered 429 (default %d)\n"
			       "Prints 'listening on http://HOST:PORT' once it accepts connections.\n",
			       HTTP_CONNECTIONS_PER_ADDRESS_DEFAULT, HTTP_CONNECTIONS_MAX, API_RECORDING_MAX_MB_DEFAULT,
			       ACCESS_BREAK_GLASS_PER_DAY, SPEAKUP_PER_DAY);
			return 0;
		default: return 2;
		}
	}
	serve_malloc_settings();
	static struct date closures[CLI_CLOSURES_MAX];
	static struct clock_calendar cal;
	struct alerts_config cfg;
	alerts_config_default(&cfg);
	if (settings && cli_load_settings(settings, &cfg.rules, &cal, closures, CLI_CLOSURES_MAX,
					  &cfg.escalate_after_working_days) != 0)
		return 1;
	if (cal.nclosures)
		cfg.rules.calendar = &cal;
	/* Read before any thread starts; kept for the life of the process. */
	static struct linkage_model lm;
	static struct linkage_tf *tf;
	if (model) {
		char err[512];
		if (linkage_model_read(model, &lm, &tf, err, sizeof err) != 0) {
			fprintf(stderr, "safeguard serve: %s\n", err);
			return 1;
		}
		identity_use_model(&lm, tf);
	}
	access_set_break_glass_per_day((int)glass_per_day);
	speakup_set_per_day((int)speakup_day);
	/* The store first: a mistyped --db is refused before any key file or folder is made beside it. */
	store *st = cli_open_store(db, false);
	if (!st)
		return 1;
	if (db_read && cli_read_replica(st, db_read) != 0) {
		store_close(st);
		return 1;
	}
	uint8_t key[64];
	bool have_key = false;
	if (cli_audit_key(db, NULL, true, key, &have_key) != 0 || cli_totp_key(db, totp_key, true) != 0) {
		sodium_memzero(key, sizeof key);
		store_close(st);
		return 1;
	}
	struct cli_recordings rec = {NULL, (unsigned long long)max_mb * 1024 * 1024};
	if (cli_recordings_open(db, rec_key, true, &rec.vault) != 0) {
		sodium_memzero(key, sizeof key);
		store_close(st);
		return 1;
	}
	if (cli_totp_seal_legacy(st) != 0) {
		sodium_memzero(key, sizeof key);
		recordings_close(rec.vault);
		store_close(st);
		return 1;
	}
	int rc = cli_serve(st, &http, false, &cfg, key, &rec, authority, NULL, NULL);
	sodium_memzero(key, sizeof key);
	recordings_close(rec.vault);
	store_close(st);
	return rc;
}

static int seed_agencies(store_conn *c, void *arg)
{
	return tokens_seed_agencies(c);
}

int cmd_migrate(int argc, char **argv)
{
	static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
					     {"help", no_argument, NULL, 'h'},
					     {NULL, 0, NULL, 0}};
	const char *db = NULL;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
		case 'h':
			printf("usage: safeguard migrate --db URL\n\n"
			       "Creates the database if it is missing and brings its schema to version %d,\n"
			       "one transaction per step. Safe to run again.\n",
			       store_schema_latest());
			return 0;
		default: return 2;
		}
	}
	store *st = cli_open_store(db, true);
	if (!st)
		return 1;
	int rc = txq_exec(st, seed_agencies, NULL);
	if (rc != STORE_OK) {
		store_close(st);
		fprintf(stderr, "safeguard migrate: cannot record the agencies (store error %d)\n", rc);
		return 1;
	}
	/* TOTP secrets from before schema 15 are encrypted here when the key is there already; else serve (which
	 * makes the key) does it on start. */
	char keypath[1024];
	if (cli_data_known(db) && cli_data_path(db, "totp-key", false, keypath, sizeof keypath) == 0 &&
	    access(keypath, F_OK) == 0 && (cli_totp_key(db, NULL, false) != 0 || cli_totp_seal_legacy(st) != 0)) {
		store_close(st);
		return 1;
	}
	store_close(st);
	printf("schema at version %d\n", store_schema_latest());
	return 0;
}

struct token_args {
	const char *agency, *label;
	char scope[STORE_SCOPE_MAX + 1];
	char token[TOKEN_TEXT_MAX];
	bool found, pending;
	enum { TOKEN_CREATE, TOKEN_REVOKE, TOKEN_APPROVE } op;
	int64_t id; /* token revoke and approve: the client's id */
	enum tokens_approve_result approved;
};

static int token_run(store_conn *c, void *arg)
{
	struct token_args *t = arg;
	switch (t->op) {
	case TOKEN_REVOKE:
		return tokens_revoke(c, "cli", t->id, clock_now(), &t->found);
	case TOKEN_APPROVE:
		return tokens_approve(c, "cli", t->id, clock_now(), &t->approved);
	case TOKEN_CREATE:
		break;
	}
	/* The command line is the operator's: what it makes works at once (service/tokens.h). */
	return tokens_create(c, "cli", t->agency, t->label, t->scope, true, t->token, &t->found, &t->pending);
}

#define TOKEN_USAGE "usage: safeguard token create --db URL --agency CODE [--label TEXT] [--scope SCOPE]...\n" \
		    "       safeguard token revoke --db URL --id N\n" \
		    "       safeguard token approve --db URL --id N\n" \
		    "       safeguard token list --db URL [--agency CODE] [--label TEXT] [--limit N] [--json]\n"

int cmd_token(int argc, char **argv)
{
	static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
					     {"agency", required_argument, NULL, 'a'},
					     {"label", required_argument, NULL, 'l'},
					     {"scope", required_argument, NULL, 's'},
					     {"id", required_argument, NULL, 'i'},
					     {"help", no_argument, NULL, 'h'},
					     {NULL, 0, NULL, 0}};
	const char *db = NULL, *id = NULL;
	char scopes[512] = "", err[160];
	struct token_args t = {.label = ""};
	const char *sub = argc >= 2 ? argv[1] : "";
	int c;
	if (strcmp(sub, "list") == 0)
		return cli_token_list(argc - 1, argv + 1);
	if (strcmp(sub, "revoke") == 0)
		t.op = TOKEN_REVOKE;
	else if (strcmp(sub, "approve") == 0)
		t.op = TOKEN_APPROVE;
	else if (strcmp(sub, "create") != 0) {
		if (strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0)
			goto help;
		fprintf(stderr, TOKEN_USAGE);
		return 2;
	}
	optind = 1;
	argc--;
	argv++;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
		case 'a': t.agency = optarg; break;
		case 'l': t.label = optarg; break;
		case 's': {
			size_t used = strlen(scopes);
			int n = snprintf(scopes + used, sizeof scopes - used, ",%s", optarg);
			if (n < 0 || (size_t)n >= sizeof scopes - used) {
				fprintf(stderr, "safeguard token create: too many --scope\n");
				return 2;
			}
			break;
		}
		case 'i': id = optarg; break;
		case 'h': goto help;
		default: return 2;
		}
	}
	if (t.op != TOKEN_CREATE) {
		const char *what = t.op == TOKEN_REVOKE ? "revoke" : "approve";
		if (!id || t.agency || scopes[0] || !event_parse_id(id, strlen(id), &t.id)) {
			fprintf(stderr, "safeguard token %s: --id N (a token's number, from the admin pages) is required, "
					"and nothing else\n", what);
			return 2;
		}
		store *st = cli_open_store(db, false);
		if (!st)
			return 1;
		int rc = txq_exec(st, token_run, &t);
		store_close(st);
		if (rc != STORE_OK) {
			fprintf(stderr, "safeguard token %s: cannot store it (store error %d)\n", what, rc);
			return 1;
		}
		if (t.op == TOKEN_REVOKE) {
			if (!t.found) {
				fprintf(stderr, "safeguard token revoke: there is no token %lld\n", (long long)t.id);
				return 1;
			}
			printf("token %lld revoked: the API refuses it from now on\n", (long long)t.id);
			return 0;
		}
		switch (t.approved) {
		case TOKENS_APPROVED:
			printf("token %lld approved: the API accepts it from now on\n", (long long)t.id);
			return 0;
		case TOKENS_NO_TOKEN:
			fprintf(stderr, "safeguard token approve: there is no token %lld that is not revoked\n", (long long)t.id);
			return 1;
		case TOKENS_NOT_PENDING:
			fprintf(stderr, "safeguard token approve: token %lld awaits no approval\n", (long long)t.id);
			return 1;
		case TOKENS_SAME_PERSON:
			fprintf(stderr, "safeguard token approve: token %lld was made here: a second person approves it\n",
				(long long)t.id);
			return 1;
		}
		return 1;
	}
	if (id) {
		fprintf(stderr, "safeguard token create: --id is for token revoke and approve\n");
		return 2;
	}
	if (!t.agency) {
		fprintf(stderr, "safeguard token create: --agency CODE is required (police, health, education, "
				"social_care, housing)\n");
		return 2;
	}
	size_t ln = strlen(t.label);
	if (!text_utf8_valid(t.label, ln) || text_has_controls(t.label, ln) || strpbrk(t.label, "\t\r\n") ||
	    text_utf8_length(t.label, ln) > 100) {
		/* As the administrator's page: the label goes into the audit entry of every read through the token. */
		fprintf(stderr, "safeguard token create: --label must be 100 characters or fewer, on one line\n");
		return 2;
	}
	if (!tokens_scope_parse(scopes, t.agency, t.scope, err, sizeof err)) {
		fprintf(stderr, "safeguard token create: --scope: %s\n", err);
		return 2;
	}
	store *st = cli_open_store(db, false);
	if (!st)
		return 1;
	int rc = txq_exec(st, token_run, &t);
	store_close(st);
	if (rc != STORE_OK) {
		fprintf(stderr, "safeguard token create: cannot store the token (store error %d)\n", rc);
		return 1;
	}
	if (!t.found) {
		fprintf(stderr, "safeguard token create: no agency '%.32s' (police, health, education, social_care, "
				"housing)\n", t.agency);
		return 1;
	}
	printf("API token for agency %s, scope %s (shown once; only its hash is kept):\n%s\n", t.agency, t.scope,
	       t.token);
	return 0;
help:
	printf(TOKEN_USAGE "\n"
	       "create makes an API client for an agency and prints its bearer token as the last line.\n"
	       "Agencies: police, health, education, social_care, housing.\n"
	       "--scope says what the token may do (repeat it, or separate scopes with commas; default events:write):\n"
	       "  events:write      send records (POST /api/v1/events)\n"
	       "  records:read      read what its own agency sent about a child (no household, no other agency's)\n"
	       "  flags:read        the unscheduled-care flag look-up (health only)\n"
	       "  alerts:read       the alerts inbox and one alert (social_care only)\n"
	       "  alerts:write      acknowledge and resolve alerts (social_care only)\n"
	       "  placements:write  record a child's placement in a children's home (social_care only)\n"
	       "A token made here works at once (the command line is the operator's); one with a :read scope made by\n"
	       "an administrator on the pages waits until a second person approves it: another administrator on the\n"
	       "pages, or approve here.\n"
	       "revoke refuses a client's token from now on (the administrator's tokens page lists the numbers).\n");
	return 0;
}
