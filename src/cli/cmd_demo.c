/* demo: a synthetic area loaded through the real intake path, then served. */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "api/intake_json.h"
#include "cli/cli.h"
#include "clock/now.h"
#include "http/server.h"
#include "service/alerts.h"
#include "service/audit.h"
#include "service/cases.h"
#include "service/intake.h"
#include "service/tokens.h"
#include "service/users.h"
#include "service/txq.h"
#include "synth/synth.h"

#define DEMO_BATCH 500
/* The demo area's authority: Leeds (DfE LA number 383); its police see the homes it hosts. */
#define DEMO_AUTHORITY "383"

/* Records wait here until a batch is full, then go in one transaction. */
struct pending {
	struct intake_request rq;
	json_t *root;
	char *details, *body;
	char actor[48];
};

struct loader {
	store *st;
	int64_t now;
	struct pending batch[DEMO_BATCH];
	int n;
	unsigned long long created, rejected;
	int64_t first_child, last_child; /* the first and the highest child id intake gave */
};

static int load_batch(store_conn *c, void *arg)
{
	struct loader *l = arg;
	for (int i = 0; i < l->n; i++) {
		struct intake_result res;
		int rc = intake_apply(c, &l->batch[i].rq, &res);
		if (rc != STORE_OK)
			return rc;
		if (!l->first_child)
			l->first_child = res.child_id;
		if (res.child_id > l->last_child)
			l->last_child = res.child_id;
	}
	return STORE_OK;
}

static int flush_batch(struct loader *l)
{
	int rc = l->n ? txq_exec(l->st, load_batch, l) : STORE_OK;
	if (rc == STORE_OK)
		l->created += (unsigned long long)l->n;
	for (int i = 0; i < l->n; i++) {
		json_decref(l->batch[i].root);
		free(l->batch[i].details);
		free(l->batch[i].body);
	}
	l->n = 0;
	return rc;
}

static int demo_emit(const struct synth_record *r, void *ctx)
{
	struct loader *l = ctx;
	struct pending *p = &l->batch[l->n];
	struct api_error err;
	json_t *req = cli_synth_request(r);
	p->body = req ? json_dumps(req, JSON_COMPACT) : NULL;
	json_decref(req);
	if (!p->body)
		return -1;
	/* The same validation as the API: a demo record the API would refuse is counted and skipped. */
	if (api_intake_parse(p->body, strlen(p->body), l->now, &p->rq, &p->root, &p->details, &err) != 0) {
		l->rejected++;
		free(p->body);
		return 0;
	}
	snprintf(p->rq.agency, sizeof p->rq.agency, "%s", r->agency);
	snprintf(p->actor, sizeof p->actor, "demo:%s", r->agency);
	p->rq.actor = p->actor;
	if (++l->n == DEMO_BATCH)
		return flush_batch(l) == STORE_OK ? 0 : -2;
	return 0;
}

struct demo_tokens {
	char token[5][TOKEN_TEXT_MAX];
	const char *agency[5];
};

static int demo_tokens_run(store_conn *c, void *arg)
{
	struct demo_tokens *t = arg;
	bool found, pending;
	char scope[STORE_SCOPE_MAX + 1], err[160];
	int rc;
	/* Every scope the agency may have: the demo area is synthetic, and `demo` is the operator's command. */
	for (int i = 0; i < 5; i++) {
		const char *name, *agency;
		bool reads;
		char all[STORE_SCOPE_MAX + 1] = "";
		for (size_t k = 0; tokens_scope_at(k, &name, &agency, &reads); k++)
			if (!agency || strcmp(agency, t->agency[i]) == 0)
				snprintf(all + strlen(all), sizeof all - strlen(all), "%s%s", all[0] ? "," : "", name);
		if (!tokens_scope_parse(all, t->agency[i], scope, err, sizeof err))
			return STORE_EIO;
		if ((rc = tokens_create(c, "demo", t->agency[i], "demo", scope, true, t->token[i], &found, &pending)) !=
		    STORE_OK)
			return rc;
	}
	return STORE_OK;
}

/* Who holds the demo cases, so that alerts reach someone: the MASH (the front door) and one locality team,
 * with every fifth child of the first fifty allocated to its worker; health's safeguarding lead (the demo's
 * health practitioner) as the manager of health's safeguarding team, whom an alert on a child only health may
 * see escalates to (service/alerts.h ALERTS_HEALTH_TEAM). */
#define DEMO_WORKER "demo.worker"
static int demo_cases_run(store_conn *c, void *arg)
{
	const int64_t *first_child = arg;
	const struct store_team teams[] = {{"mash", "Multi-Agency Safeguarding Hub", "mash.manager"},
					   {"north", "Family Support North", "north.manager"},
					   {"oversight", "Children's Homes Oversight", "demo.analyst"},
					   {ALERTS_HEALTH_TEAM, "Safeguarding Children (Health)", "demo.health"}};
	int rc;
	for (size_t i = 0; i < sizeof teams / sizeof teams[0]; i++)
		if ((rc = cases_team_upsert(c, "demo", &teams[i])) != STORE_OK)
			return rc;
	for (int64_t id = *first_child; id < *first_child + 50; id += 5) {
		struct store_allocation a;
		enum cases_result res;
		memset(&a, 0, sizeof a);
		a.person_id = id;
		snprintf(a.team, sizeof a.team, "north");
		snprintf(a.worker, sizeof a.worker, DEMO_WORKER);
		if ((rc = cases_allocate(c, "demo", NULL, &a, &res)) != STORE_OK)
			return rc;
	}
	return STORE_OK;
}

/* The demo area's people, one for each role, with a new password and TOTP secret at each start (printed
 * once: a demonstration area holds synthetic children only). The team managers are the teams' managers. */
static const struct {
	const char *username, *agency, *role;
	struct users_profile who; /* issue 15: people have names, emails, phones and teams (invented ones) */
} demo_people[] = {
	{DEMO_WORKER, "social_care", "social_worker", {"Sam Patel", "sam.patel@demo.example", "01632 960101", "north"}},
	{"north.manager", "social_care", "team_manager", {"Nadia Okafor", "nadia.okafor@demo.example", "01632 960102", "north"}},
	{"mash.worker", "social_care", "mash_worker", {"Mark Ellis", "mark.ellis@demo.example", "01632 960103", "mash"}},
	{"mash.manager", "social_care", "team_manager", {"Maria Santos", "maria.santos@demo.example", "01632 960104", "mash"}},
	{"demo.police", "police", "police_officer", {"PC Priya Shah", "priya.shah@police.demo.example", "01632 960105", ""}},
	{"demo.health", "health", "health_practitioner", {"Dr Helen Moss", "helen.moss@nhs.demo.example", "01632 960106", ""}},
	{"demo.school", "education", "school_dsl", {"Tom Reid", "tom.reid@school.demo.example", "01632 960107", ""}},
	{"demo.chair", "social_care", "conference_chair", {"Grace Adeyemi", "grace.adeyemi@demo.example", "01632 960108", ""}},
	{"demo.analyst", "social_care", "oversight_analyst", {"Owen Hughes", "owen.hughes@demo.example", "01632 960109", "oversight"}},
	{"demo.dpo", "social_care", "dpo", {"Dana Price", "dana.price@demo.example", "01632 960110", ""}},
	{"demo.admin", "social_care", "admin", {"Alex Morgan", "alex.morgan@demo.example", "01632 960111", ""}},
	{"demo.lado", "social_care", "lado", {"Lena Adams", "lena.adams@demo.example", "01632 960112", ""}},
};
#define DEMO_PEOPLE (sizeof demo_people / sizeof demo_people[0])

struct demo_people_args {
	char password[DEMO_PEOPLE][40];
	char hash[DEMO_PEOPLE][160];
	char secret[DEMO_PEOPLE][USERS_TOTP_SECRET_B32];
};

static int demo_people_run(store_conn *c, void *arg)
{
	struct demo_people_args *p = arg;
	for (size_t i = 0; i < DEMO_PEOPLE; i++) {
		enum users_add_result res;
		bool found = false;
		int rc = users_add_person(c, "demo", demo_people[i].username, demo_people[i].agency, demo_people[i].role,
					  &demo_people[i].who, p->hash[i], p->secret[i], &res);
		if (rc == STORE_OK && res == USERS_TAKEN)
			rc = users_reset(c, "demo", demo_people[i].username, p->hash[i], p->secret[i], &found);
		else if (rc == STORE_OK && res != USERS_ADDED)
			rc = STORE_EIO;
		if (rc != STORE_OK)
			return rc;
	}
	return STORE_OK;
}

static int demo_people_make(store *st, struct demo_people_args *p)
{
	for (size_t i = 0; i < DEMO_PEOPLE; i++) {
		unsigned char rnd[18];
		randombytes_buf(rnd, sizeof rnd);
		sodium_bin2base64(p->password[i], sizeof p->password[i], rnd, sizeof rnd,
				  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
		if (users_hash_password(p->password[i], p->hash[i]) != 0)
			return STORE_EIO;
	}
	return txq_exec(st, demo_people_run, p);
}

static int seed_run(store_conn *c, void *arg)
{
	return tokens_seed_agencies(c);
}

struct banner {
	struct demo_tokens *t;
	int64_t child;
	struct demo_people_args *people;
};

static void ready(unsigned port, void *ctx)
{
	struct banner *b = ctx;
	printf("\nsafeguard demo area: open http://127.0.0.1:%u in a browser and sign in (Ctrl-C stops it)\n"
	       "  the pages: find a child, their record and multi-agency chronology, record a concern or a visit,\n"
	       "  alerts, a caseload, the MASH queue and the team page; " DEMO_WORKER " holds children with open\n"
	       "  alerts, e.g.\n"
	       "  http://127.0.0.1:%u/children/%lld\n\n"
	       "People (new passwords and second factors at each start). The security code is the TOTP of the\n"
	       "secret: add it to an authenticator app, or run: oathtool --totp -b SECRET\n",
	       port, port, (long long)b->child);
	for (size_t i = 0; i < DEMO_PEOPLE; i++)
		printf("  %-14s %-20s password %s  totp-secret %s\n", demo_people[i].username, demo_people[i].role,
		       b->people->password[i], b->people->secret[i]);
	printf("\n");
	printf("For agency systems, the API at http://127.0.0.1:%u/api/v1 (described at /openapi.json)\n\n"
	       "API tokens, one per agency (new each start; only their hashes are stored):\n", port);
	for (int i = 0; i < 5; i++)
		printf("  %-12s %s\n", b->t->agency[i], b->t->token[i]);
	printf("\nTry:\n"
	       "  curl -s http://127.0.0.1:%u/healthz\n"
	       "  curl -s -H 'Authorization: Bearer %s' http://127.0.0.1:%u/api/v1/children/%lld\n"
	       "  curl -s -H 'Authorization: Bearer %s' http://127.0.0.1:%u/api/v1/children/%lld/chronology\n"
	       "  curl -s -H 'Authorization: Bearer %s' -H 'Content-Type: application/json' \\\n"
	       "       -d '{\"source_ref\":\"EDU-DEMO-1\",\"kind\":\"concern\",\"occurred_at\":\"2025-03-04T10:15:00Z\",\n"
	       "            \"subject\":{\"given_name\":\"Amira\",\"family_name\":\"Khan\",\"dob\":\"2016-05-03\"},\n"
	       "            \"summary\":\"Came to school with a bruised cheek\"}' \\\n"
	       "       http://127.0.0.1:%u/api/v1/events\n\n",
	       port, b->t->token[0], port, (long long)b->child, b->t->token[0], port, (long long)b->child,
	       b->t->token[2], port);
	fflush(stdout);
}

int cmd_demo(int argc, char **argv)
{
	static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
					     {"listen", required_argument, NULL, 'l'},
					     {"families", required_argument, NULL, 'f'},
					     {"no-serve", no_argument, NULL, 'n'},
					     {"help", no_argument, NULL, 'h'},
					     {NULL, 0, NULL, 0}};
	const char *db = "sqlite:demo/safeguard.db", *listen = "127.0.0.1:8080";
	int families = 200, c, rc = 1;
	bool serve = true;
	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		char *end = NULL;
		long v;
		switch (c) {
		case 'd': db = optarg; break;
		case 'l': listen = optarg; break;
		case 'n': serve = false; break;
		case 'f':
			v = strtol(optarg, &end, 10);
			if (!*optarg || *end || v < 1 || v > 100000) {
				fprintf(stderr, "safeguard demo: --families must be 1 to 100000\n");
				return 2;
			}
			families = (int)v;
			break;
		case 'h':
			printf("usage: safeguard demo [--db URL] [--listen HOST:PORT] [--families N] [--no-serve]\n\n"
			       "Creates a demo area (default sqlite:demo/safeguard.db, %d families of synthetic\n"
			       "children known to several agencies) through the same intake path as the API, prints an\n"
			       "API token per agency and serves it (default 127.0.0.1:8080). An existing demo database\n"
			       "is reused as it is. With --no-serve it loads the area and stops (for benchmarks).\n",
			       families);
			return 0;
		default: return 2;
		}
	}
	/* The demo keeps its file under a directory of its own: make it. */
	if (strncmp(db, "sqlite:", 7) == 0) {
		char dir[512];
		snprintf(dir, sizeof dir, "%s", db + 7);
		char *slash = strrchr(dir, '/');
		if (slash && slash != dir) {
			*slash = '\0';
			if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
				fprintf(stderr, "safeguard demo: cannot create %s\n", dir);
				return 1;
			}
		}
	}
	store *st = cli_open_store(db, true);
	struct loader *l = calloc(1, sizeof *l);
	struct demo_tokens t = {.agency = {"police", "health", "education", "social_care", "housing"}};
	int64_t audits = 0;
	if (!st || !l)
		goto out;
	if (txq_exec(st, seed_run, NULL) != STORE_OK || audit_count(st, &audits) != STORE_OK) {
		fprintf(stderr, "safeguard demo: cannot prepare the database\n");
		goto out;
	}
	l->st = st;
	l->now = clock_now();
	if (audits == 0) {
		struct synth_opts so = {.seed = 2016, .families = families, .error_pct = 25, .today = ts_utc_date(l->now)};
		fprintf(stderr, "safeguard demo: loading %d synthetic families through intake...\n", families);
		if (synth_generate(&so, demo_emit, l) != 0 || flush_batch(l) != STORE_OK) {
			fprintf(stderr, "safeguard demo: loading the demo area failed\n");
			goto out;
		}
		fprintf(stderr, "safeguard demo: %llu agency records loaded (%llu refused by validation)\n", l->created,
			l->rejected);
		int64_t first = l->first_child ? l->first_child : 1;
		if (txq_exec(st, demo_cases_run, &first) != STORE_OK) {
			fprintf(stderr, "safeguard demo: cannot allocate the demo cases\n");
			goto out;
		}
		if (cli_demo_day(st) != 0 || cli_demo_children(st, first) != 0 ||
		    cli_demo_homes(st, first, l->last_child, DEMO_AUTHORITY) != 0) {
			fprintf(stderr, "safeguard demo: cannot load the demo homes register\n");
			goto out;
		}
		if (cli_demo_mash(st) != 0) {
			fprintf(stderr, "safeguard demo: cannot load the demo MASH queue\n");
			goto out;
		}
		if (cli_demo_lado(st) != 0)
			goto out;
	} else {
		fprintf(stderr, "safeguard demo: reusing the demo area in %s\n", db);
		l->first_child = 1;
	}
	if (!serve) { /* load only (the benchmarks) */
		rc = 0;
		goto out;
	}
	if (txq_exec(st, demo_tokens_run, &t) != STORE_OK) {
		fprintf(stderr, "safeguard demo: cannot create the demo tokens\n");
		goto out;
	}
	static struct demo_people_args people;
	if (cli_totp_key(db, NULL, true) != 0 || cli_totp_seal_legacy(st) != 0)
		goto out;
	if (demo_people_make(st, &people) != STORE_OK) {
		fprintf(stderr, "safeguard demo: cannot create the demo area's people\n");
		goto out;
	}
	struct banner b = {&t, l->first_child ? l->first_child : 1, &people};
	uint8_t key[64];
	bool have_key = false;
	if (cli_audit_key(db, NULL, true, key, &have_key) != 0)
		goto out;
	struct cli_recordings rec = {NULL, 0};
	if (cli_recordings_open(db, NULL, true, &rec.vault) != 0) {
		sodium_memzero(key, sizeof key);
		goto out;
	}
	struct cli_http http = {.listen = listen, .per_address = HTTP_CONNECTIONS_PER_ADDRESS_DEFAULT};
	rc = cli_serve(st, &http, true, NULL, key, &rec, DEMO_AUTHORITY, ready, &b);
	sodium_memzero(key, sizeof key);
	recordings_close(rec.vault);
out:
	if (l)
		flush_batch(l);
	free(l);
	store_close(st);
	return rc;
}
