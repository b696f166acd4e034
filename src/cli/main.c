/*
 * safeguard — a multi-agency child safeguarding platform. One binary; subcommands as git has them.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "clock/now.h"

static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *what;
} commands[] = {
	{"serve", cmd_serve, "serve the API on HTTP"},
	{"migrate", cmd_migrate, "create or upgrade the database schema"},
	{"token", cmd_token, "create, revoke, approve and list API tokens for agency systems"},
	{"gen", cmd_gen, "write a synthetic area with its ground truth"},
	{"link", cmd_link, "find the records about the same child (train a model, dedupe a file, list review tasks, show the model in use)"},
	{"demo", cmd_demo, "create a demo area and serve it"},
	{"replay", cmd_replay, "replay a chronology through the safeguarding rules"},
	{"homes", cmd_homes, "watch children's homes' incidents against their peers (monitor); list homes, incidents, placements, occupancy, runs"},
	{"sweep", cmd_sweep, "run the daily sweep of the rules and escalate ignored alerts"},
	{"agency", cmd_agency, "list the agencies, by code, with their names (agency list)"},
	{"team", cmd_team, "create teams (who holds cases, who manages them, their numbers); list them"},
	{"allocate", cmd_allocate, "allocate a child's case to a team and worker"},
	{"allocation", cmd_allocation, "list who holds each child's case (allocation list)"},
	{"alert", cmd_alert, "list the alerts (alert list)"},
	{"dpo", cmd_dpo, "list the data protection officer's notices (dpo notices)"},
	{"lado", cmd_lado, "list the LADO's allegations, alerts and employments (lado allegations)"},
	{"speakup", cmd_speakup, "list the speak-up reports and where each stands (speakup reports)"},
	{"break-glass", cmd_break_glass, "list the emergency openings of children's records (break-glass list)"},
	{"flags", cmd_flags, "list a child's unscheduled-care flag look-ups (flags lookups)"},
	{"audit", cmd_audit, "verify the audit's hash chain, sign checkpoints, list entries"},
	{"user", cmd_user, "create people who sign in, reset their password and second factor, disable them"},
	{"seal", cmd_seal, "seal a child's record (adoption, protection): invisible but to the DPO; list the sealed records"},
	{"routes", cmd_routes, "list every route and what the role policy decides on"},
	{"area-load", cmd_area_load, "load a synthetic area of N children in bulk (the scale benchmark)"},
	{"stats", cmd_stats, "count the rows of each of the area's tables (what a load brought; no personal data)"},
	{"indexes", cmd_indexes, "list the schema's indexes, and any a bulk load that stopped held back"},
	{"recordings", cmd_recordings, "list the recordings; verify that each still decrypts and matches its hash"},
};

static void usage(FILE *f)
{
	fprintf(f, "usage: safeguard COMMAND [OPTIONS]   (safeguard COMMAND --help for its options)\n\ncommands:\n");
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].what);
	fprintf(f, "\nDatabases are named by URL: sqlite:PATH, or postgresql://... (libpq's URL)\n"
		   "Every command takes --now SPEC (or SAFEGUARD_NOW=SPEC in the environment) to set the clock: an "
		   "RFC 3339\ninstant the clock starts from (2027-03-26T09:00:00Z), or an offset in seconds from the "
		   "system clock (+86400).\n"
		   "Every command takes --data-dir DIR (or SAFEGUARD_DATA_DIR=DIR): where the audit signing key, the "
		   "recordings\nand the keys live (made mode 0700 on first start). Without it, beside an SQLite "
		   "database (PATH.audit-key, ...);\nany other database needs it.\n");
}

int main(int argc, char **argv)
{
	if (sodium_init() < 0) {
		fprintf(stderr, "safeguard: libsodium could not start\n");
		return 1;
	}
	/* The clock, before anything reads it: SAFEGUARD_NOW, then --now anywhere on the line (which wins), taken
	 * out of argv so that no command has to know about it. */
	char err[160];
	const char *spec = getenv("SAFEGUARD_NOW"), *from = "SAFEGUARD_NOW";
	/* Where the keys and recordings live (cli.h cli_data_path): SAFEGUARD_DATA_DIR, then --data-dir anywhere
	 * on the line (which wins), taken out of argv the same way. */
	const char *data_dir = getenv("SAFEGUARD_DATA_DIR");
	int kept = 1;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--data-dir") == 0 && i + 1 < argc) {
			data_dir = argv[++i];
		} else if (strncmp(argv[i], "--data-dir=", 11) == 0) {
			data_dir = argv[i] + 11;
		} else if (strcmp(argv[i], "--data-dir") == 0) {
			fprintf(stderr, "safeguard: --data-dir needs a directory\n");
			return 2;
		} else if (strcmp(argv[i], "--now") == 0 && i + 1 < argc) {
			spec = argv[++i];
			from = "--now";
		} else if (strncmp(argv[i], "--now=", 6) == 0) {
			spec = argv[i] + 6;
			from = "--now";
		} else if (strcmp(argv[i], "--now") == 0) {
			fprintf(stderr, "safeguard: --now needs a value\n");
			return 2;
		} else {
			argv[kept++] = argv[i];
		}
	}
	argc = kept;
	argv[argc] = NULL;
	cli_set_data_dir(data_dir);
	if (clock_now_set(spec, err, sizeof err) != 0) {
		fprintf(stderr, "safeguard: %s: %s\n", from, err);
		return 2;
	}
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return 0;
	}
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "safeguard: '%.64s' is not a command\n", argv[1]);
	usage(stderr);
	return 2;
}
