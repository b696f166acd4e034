/*
 * cli/cli.h — the subcommands of the safeguard binary, and what they share.
 *
 * Each subcommand parses its own options with getopt_long, answers --help on stdout with exit 0, and
 * reports misuse on stderr with exit 2 and failures with exit 1.
 */
#ifndef SAFEGUARD_CLI_CLI_H
#define SAFEGUARD_CLI_CLI_H

#include "store/store.h"

int cmd_serve(int argc, char **argv);
int cmd_migrate(int argc, char **argv);
int cmd_token(int argc, char **argv);
int cmd_gen(int argc, char **argv);
int cmd_link(int argc, char **argv); /* cmd_link.c: record linkage over a CSV file */
int cmd_demo(int argc, char **argv);
int cmd_replay(int argc, char **argv);
int cmd_homes(int argc, char **argv);
int cmd_sweep(int argc, char **argv);
int cmd_team(int argc, char **argv);
int cmd_agency(int argc, char **argv); /* cmd_agency_list.c */
int cmd_allocate(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_routes(int argc, char **argv);
int cmd_seal(int argc, char **argv);
int cmd_recordings(int argc, char **argv);
int cmd_area_load(int argc, char **argv); /* cmd_area_load.c: the scale benchmark's bulk loader */
/* cmd_oplists.c: the operator's read-only lists (allocation list, alert list, dpo notices) */
int cmd_allocation(int argc, char **argv);
int cmd_alert(int argc, char **argv);
int cmd_dpo(int argc, char **argv);
int cmd_lado(int argc, char **argv);
int cmd_speakup(int argc, char **argv);
int cmd_stats(int argc, char **argv); /* cmd_stats.c */
int cmd_indexes(int argc, char **argv); /* cmd_indexes.c */
int cmd_break_glass(int argc, char **argv);
int cmd_flags(int argc, char **argv);
/* safeguard homes alerts (argv[0] is "alerts"): cmd_homes_alerts.c */
int cli_homes_alerts(int argc, char **argv);
/* safeguard homes list / reg44 / notes / signals (cmd_homes_lists.c; argv[0] is the subcommand). */
int cli_homes_list(int argc, char **argv);
int cli_homes_reg44(int argc, char **argv);
int cli_homes_notes(int argc, char **argv);
int cli_homes_signals(int argc, char **argv);
int cli_homes_incidents(int argc, char **argv);
int cli_homes_placements(int argc, char **argv);
int cli_homes_occupancy(int argc, char **argv);
int cli_homes_last_run(int argc, char **argv);

/* Opens the database; with migrate, brings the schema up to date, else insists it already is. Prints
 * the reason and returns NULL on failure. */
store *cli_open_store(const char *url, bool migrate);
/* safeguard audit list (argv[0] is "list"). */
int cli_audit_list(int argc, char **argv);
/* safeguard token list (argv[0] is "list"). */
int cli_token_list(int argc, char **argv);
/* safeguard user list (argv[0] is "list"). */
int cli_user_list(int argc, char **argv);
int cli_user_attempts(int argc, char **argv);
int cli_user_sessions(int argc, char **argv); /* cmd_user_sessions.c */
/* safeguard link reviews (argv[0] is "reviews"). */
int cli_link_reviews(int argc, char **argv);
int cli_link_merges(int argc, char **argv);
int cli_link_model(int argc, char **argv); /* cmd_link_model.c */
/* safeguard recordings list (argv[0] is "list"). */
int cli_recordings_list(int argc, char **argv);
/* safeguard team list (argv[0] is "list"). */
int cli_team_list(int argc, char **argv);
/* safeguard sweep runs (argv[0] is "runs"; cmd_sweep_runs.c). */
int cli_sweep_runs(int argc, char **argv);
/* safeguard seal list (argv[0] is "list"). */
int cli_seal_list(int argc, char **argv);

/* What the listing commands (audit list, token list, user list) share; cmd is "safeguard audit list" etc.
 * cli_list_misuse ends the getopt_long loop (opterr 0, optstring ":") for c ':' (a value missing) and an
 * unknown option, and returns 2; cli_list_args_done, after the loop, refuses an argument left over and a
 * missing --db (2), else 0; cli_list_count parses a whole number (0 only with zero_ok); cli_list_field
 * writes a TSV field with tabs, newlines, returns and backslashes as \t, \n, \r and \\; cli_list_end
 * flushes the listing (1 with the reason when it cannot be written, else 0). cli_list_run opens db, prints
 * header (NULL: none, as with --json) and its line end, calls list(st, ctx) (which may stop the walk early
 * with 1), closes the store and ends the listing: 0, or 1 with "cannot read WHAT" when list failed or *failed
 * (when given) was set. */
#include <jansson.h>
#include <stdio.h>
int cli_list_misuse(const char *cmd, int c, char **argv, void (*usage)(FILE *));
int cli_list_args_done(const char *cmd, int argc, char **argv, const char *db);
bool cli_list_count(const char *s, bool zero_ok, int64_t *out);
/* --child ID and --limit N (0 for all, at most 10^9), as the listings read them: false, having said why on
 * stderr, when bad (the caller answers 2). */
bool cli_list_child(const char *cmd, const char *s, int64_t *out);
bool cli_list_limit(const char *cmd, const char *s, int *out);
/* The listings' arguments: --db URL (required), --json, --help, --limit N where takes has CLI_ARGS_LIMIT, and the
 * command's own options, each one of: a value kept as given (text; with one_of, a NULL-ended list, only one of
 * those), a flag (flag), an id (id, a whole number above 0; what names whose, "a child's", for the message).
 * cli_list_args reads them into *a and the own options' targets (zeroed or preset by the caller: an option not
 * given leaves its target as it was): -1 when read, else the exit code (0 after --help, 2 on misuse, said on
 * stderr naming the option). One parser for every listing, so each says misuse the same way. */
struct cli_list_opt {
	const char *name; /* the long option, without "--" */
	const char **text;
	const char *const *one_of;
	bool *flag;
	int64_t *id;
	const char *what;
};
struct cli_list_common {
	const char *db;
	int limit; /* 0: all */
	bool json;
};
enum { CLI_ARGS_LIMIT = 1, CLI_ARGS_OPEN = 2 };
int cli_list_args(const char *cmd, int argc, char **argv, const struct cli_list_opt *own, size_t n_own, unsigned takes,
		  void (*usage)(FILE *), struct cli_list_common *a);
/* A listing of one child's rows or every child's (allocation list, recordings list, link reviews, break-glass
 * list): --db URL [--child ID] [--json], and --limit N and --open where takes says (CLI_ARGS_*), read by
 * cli_list_child_args (on cli_list_args) into *a (zeroed by the caller), answering as cli_list_args does.
 * failed is for the listing's printer (cli_list_run). */
struct cli_child_args {
	const char *db;
	int64_t child; /* 0: every child */
	int limit;     /* 0: all */
	bool open_only, json, failed;
};
int cli_list_child_args(const char *cmd, int argc, char **argv, unsigned takes, void (*usage)(FILE *),
			struct cli_child_args *a);
void cli_list_field(const char *s);
/* Each field after a tab, as cli_list_field writes it (no newline). */
void cli_list_fields(const char *const *f, size_t n);
/* One JSON object on a line of its own (compact, keys in order), and releases it: false when it could not be made
 * (o NULL, or out of memory), when the caller stops the listing. */
bool cli_list_json(json_t *o);
/* A command with one subcommand (`break-glass list`, `speakup reports`): runs it on argv from the subcommand
 * on; --help or -h prints usage (0); anything else prints usage to stderr (2). */
int cli_one_subcommand(int argc, char **argv, const char *name, int (*run)(int argc, char **argv),
		       void (*usage)(FILE *f));
int cli_list_end(const char *cmd);
int cli_list_run(const char *cmd, const char *db, const char *header, const char *what,
		 int (*list)(store *st, void *ctx), void *ctx, const bool *failed);
/* serve --db-read URL: snapshot reads on that replica (docs/SCALING.md). 0, or -1 with the reason printed. */
int cli_read_replica(store *st, const char *url);
/* The cores online, at least 1 and at most max: the default --threads of link dedupe and homes monitor. */
unsigned cli_cores(unsigned max);

/* Where and how the server listens (serve's flags). */
struct cli_http {
	const char *listen;   /* HOST:PORT */
	unsigned threads;     /* 0: two per core */
	unsigned per_address; /* connections at once from one client address; 0: only the global ceiling */
	bool behind_tls;      /* a TLS proxy is in front: cookies are Secure, forms come from https:// */
};

/* Serves the API and the pages (behind sign-in; with demo, a banner says it is a demonstration area) as
 * http says until SIGINT or SIGTERM.
 * Prints "listening on http://HOST:PORT" when ready, then calls ready(port, ctx) if given. The rules run
 * with alerts (the defaults when NULL; it must outlive the call); the nightly sweep signs an audit
 * checkpoint with audit_key when given, then runs the homes monitor (service/homes.h). authority is the
 * DfE LA number of the deployment's authority (the police see the homes it hosts), "" or NULL for none.
 * Returns the process exit code. */
struct alerts_config;
struct cli_recordings;
int cli_serve(store *st, const struct cli_http *http, bool demo, const struct alerts_config *alerts,
	      const uint8_t *audit_key, const struct cli_recordings *rec, const char *authority,
	      void (*ready)(unsigned port, void *ctx), void *ctx);
/* The demonstration area's homes register (cli/demo_homes.c); the children placed are among the area's
 * first_child..last_child (the ids intake gave the demo's children). */
int cli_demo_homes(store *st, int64_t first_child, int64_t last_child, const char *authority);
/* The demonstration area's MASH queue: contacts from several agencies this fortnight, some decided (cli/demo_mash.c). */
int cli_demo_mash(store *st);
/* The demo area's allegations against people who work with children (issue 18: demo_lado.c). */
int cli_demo_lado(store *st);
/* A practitioner's day in the demo area (cli/demo_day.c): workers with allocated children and open alerts,
 * and an escalation to a team manager. 0 on success. */
int cli_demo_day(store *st);
/* The demo area's legal statuses and team contacts (cli/demo_child.c, issue 15). */
int cli_demo_children(store *st, int64_t first_child);

/* The rules' settings from a JSON file (docs/RULES.md "Settings"): the named numbers, "closures" (local
 * closure days) into closures[0..max) with cal pointing at them, and, when escalate_after is not NULL (the
 * server and the sweep), "escalate_after_working_days". Prints FILE: reason and returns -1 on an unknown
 * key, a wrong type or a value out of range. */
#include "rules/rules.h"
#define CLI_CLOSURES_MAX 366
/* io/settings.h's settings_read, which does the reading. */
int cli_load_settings(const char *path, struct rules_settings *settings, struct clock_calendar *cal,
		      struct date *closures, size_t max, int *escalate_after);

/* Where the server's own files live (README "Where files live"): the audit signing key, the key of the TOTP
 * secrets, the recordings and their key. Settings, not the database URL: --data-dir DIR anywhere on the line,
 * else SAFEGUARD_DATA_DIR (main.c hands it to cli_set_data_dir before a command runs). Without either, a
 * sqlite:PATH database keeps them beside itself (PATH.audit-key, PATH.recordings/, ...: today's demo areas);
 * any other database URL needs --data-dir. cli_data_path puts name ("audit-key", "totp-key", "recordings",
 * "recordings-key") at DIR/name or PATH.name; with create it makes DIR (mode 0700) when missing. Prints the
 * reason (naming --data-dir) and returns -1 when there is no place. cli_data_known: whether there is one. */
#include <stddef.h>
void cli_set_data_dir(const char *dir);
bool cli_data_known(const char *db_url);
int cli_data_path(const char *db_url, const char *name, bool create, char *out, size_t outsz);

/* The server's audit signing key (service/audit.h checkpoints): the file path names, or beside an SQLite
 * database (PATH.audit-key), or DIR/audit-key with --data-dir, when path is NULL. With create, a missing file is made, mode 0600, with a new
 * key. *exists false (and 0) when it is missing and create is false. Prints the reason and returns -1 when
 * the file cannot be read or made, is not a key, or can be read by others. */
#include <stdint.h>
int cli_audit_key(const char *db_url, const char *path, bool create, uint8_t secret_key[64], bool *exists);
/* Recordings (service/recordings.h): the master key in the file key_path names, or beside an SQLite database
 * (PATH.recordings-key) when it is NULL, and the directory of ciphertext files beside the database
 * (PATH.recordings/, mode 0700); with --data-dir DIR, DIR/recordings-key and DIR/recordings/. With create (serve, demo), a missing key file is made with O_EXCL, mode
 * 0600, 32 random bytes. A key file others may read, or that is not 32 bytes, is refused with the reason,
 * and so is a directory others may open. Prints the reason and returns -1 on failure. */
#include "service/recordings.h"
struct cli_recordings {
	recordings *vault;
	unsigned long long max_bytes; /* the largest upload accepted */
};
int cli_recordings_open(const char *db_url, const char *key_path, bool create, recordings **out);
/* For `recordings rekey`: the key file's path (key_path, else beside the database); whether a rekey left
 * PATH.new behind (then cli_recordings_open refuses); a key file read (never made); the directory opened
 * with a key already read. */
int cli_recordings_key_path(const char *db_url, const char *key_path, char *out, size_t outsz);
bool cli_recordings_rekey_pending(const char *key_path);
int cli_recordings_key_read(const char *path, uint8_t key[RECORDINGS_KEY_LEN]);
int cli_recordings_open_with(const char *db_url, const uint8_t key[RECORDINGS_KEY_LEN], recordings **out);

/* The server's key of the TOTP secrets (service/users.h): the file path names, or beside an SQLite database
 * (PATH.totp-key, beside the audit key; DIR/totp-key with --data-dir) when path is NULL, handed to users_use_totp_key. With create (serve,
 * demo, user), a missing file is made with O_EXCL, mode 0600, 32 random bytes; a file others may read, or
 * not 32 bytes, is refused. Prints the reason and returns -1 on failure. */
int cli_totp_key(const char *db_url, const char *path, bool create);
/* Encrypts the TOTP secrets still kept in plain text (a database from before schema 15) with that key, and
 * clears the write-ahead log of them; says on stderr how many. -1 (with the reason) on failure. */
int cli_totp_seal_legacy(store *st);

/* Signs an audit checkpoint in a transaction of its own (*signed_id 0 when there was nothing new). */
int txq_exec_checkpoint(store *st, const uint8_t *key, int64_t *signed_id);

/* Files that appear whole or not at all: write to the temporary file beside path that cli_tmp_open
 * returns, then cli_tmp_commit flushes it to disk and renames it over path (or, with ok false or on any
 * write error, removes it). A path that is not a file (/dev/null, a pipe) is written in place. Both print the
 * reason on failure. */
#include <stdio.h>
struct cli_tmp {
	FILE *f;
	char *path, *tmp;
};
int cli_tmp_open(struct cli_tmp *t, const char *path);
int cli_tmp_commit(struct cli_tmp *t, bool ok);

/* The intake request (the API's JSON body) an agency would send for a synthetic record, and the
 * agency's code. */
struct synth_record;
struct json_t;
struct json_t *cli_synth_request(const struct synth_record *r);

#endif
