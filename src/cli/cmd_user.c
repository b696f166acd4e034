/* user add: a person who signs in; user reset: their new password and second factor; user reset-totp: their
 * new second factor alone (a new authenticator); user disable and user enable: their sign-in refused, and
 * allowed again. */
#include <getopt.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "clock/now.h"
#include "service/txq.h"
#include "service/users.h"

static void usage(FILE *f)
{
	fprintf(f, "usage: safeguard user add --db URL --username U --agency CODE --role ROLE --password-stdin\n"
		   "             [--full-name NAME] [--email ADDRESS] [--phone NUMBER] [--team CODE]\n"
		   "       safeguard user reset --db URL --username U --password-stdin\n"
		   "       safeguard user reset-totp --db URL --username U [--force]\n"
		   "       safeguard user disable --db URL --username U\n"
		   "       safeguard user enable --db URL --username U\n"
		   "       safeguard user list --db URL [--username U] [--json]   (see user list --help)\n"
		   "       safeguard user attempts --db URL [--username U] [--failed] [--limit N] [--json]\n"
		   "                                                (the sign-in attempts kept; see --help)\n"
		   "       safeguard user sessions --db URL [--username U] [--live] [--limit N] [--json]\n"
		   "                                                (the sessions kept; see --help)\n\n"
		   "disable refuses the person's sign-in from now on and ends their sessions; enable lets them sign\n"
		   "in again with the password and second factor they had (reset them too if those may be known).\n"
		   "reset gives a person a new password and a new TOTP secret (printed last), and ends their sessions.\n"
		   "reset-totp gives a new TOTP secret alone (printed last), for an authenticator lost or replaced:\n"
		   "the password and the sessions stay (use reset, or disable, if someone else may have signed in).\n"
		   "It needs the server's key (made by serve or user add, never by reset-totp) and refuses, changing\n"
		   "nothing, when the person's current secret does not open with the key given (a wrong --totp-key or\n"
		   "--data-dir); --force replaces the secret anyway, for a key that was lost.\n"
		   "The TOTP secret is kept encrypted with the key DIR/totp-key (--data-dir), else PATH.totp-key beside\n"
		   "the database (made mode 0600 when missing; --totp-key FILE names another: serve must be given the same).\n"
		   "Creates a person who signs in with a password (read from the first line of standard input, at\n"
		   "least %d characters) and a TOTP code. Prints the new TOTP secret (base32) as the last line: put\n"
		   "it in an authenticator app; it is not shown again.\nRoles:", USERS_PASSWORD_MIN);
	for (size_t i = 0; users_role_at(i); i++)
		fprintf(f, " %s", users_role_at(i));
	fprintf(f, "\nEach agency's people hold only its roles (docs/SECURITY.md):");
	static const char *const agencies[] = {"social_care", "police", "health", "education", "housing"};
	for (size_t k = 0; k < sizeof agencies / sizeof agencies[0]; k++) {
		fprintf(f, "\n  %-12s", agencies[k]);
		for (size_t i = 0; users_role_at(i); i++)
			if (users_role_fits_agency(users_role_at(i), agencies[k]))
				fprintf(f, " %s", users_role_at(i));
	}
	fprintf(f, "\n");
}

struct add_args {
	const char *username, *agency, *role;
	struct users_profile profile;
	char hash[160];
	char secret[USERS_TOTP_SECRET_B32];
	enum users_add_result res;
	bool reset, reset_totp, disable, enable, found;
	bool force, opens; /* reset-totp: --force; whether the current secret opened with the key given */
};

static int add_run(store_conn *c, void *arg)
{
	struct add_args *a = arg;
	if (a->enable)
		return users_enable(c, "cli", a->username, &a->found);
	if (a->disable)
		return users_disable(c, "cli", a->username, clock_now(), &a->found);
	if (a->reset_totp) {
		/* Asked in the transaction that writes: a wrong key file would seal a secret the server cannot open. */
		int rc = users_totp_opens(c, a->username, &a->found, &a->opens);
		if (rc != STORE_OK || !a->found || (!a->opens && !a->force))
			return rc;
		return users_reset_totp(c, "cli", a->username, a->secret, &a->found);
	}
	if (a->reset)
		return users_reset(c, "cli", a->username, a->hash, a->secret, &a->found);
	return users_add_person(c, "cli", a->username, a->agency, a->role, &a->profile, a->hash, a->secret, &a->res);
}

/* user reset-totp: the TOTP secret alone, sealed with the server's key as user add seals it. The key file must
 * exist (none is made: a mistyped --db or --totp-key leaves no file), and the person's current secret must open
 * with it (else the key is not the server's), unless --force says the key was lost. */
static int reset_totp(const char *db, const char *totp_key, struct add_args *a, bool from_stdin)
{
	if (!a->username || from_stdin || a->agency || a->role || a->profile.full_name || a->profile.email ||
	    a->profile.phone || a->profile.team) {
		fprintf(stderr, "safeguard user reset-totp: --username is required (and nothing else)\n");
		return 2;
	}
	store *st = cli_open_store(db, false);
	if (!st)
		return 1;
	if (cli_totp_key(db, totp_key, false) != 0) {
		store_close(st);
		fprintf(stderr, "safeguard user reset-totp: give the key the server uses: --totp-key FILE, or --data-dir DIR "
				"for DIR/totp-key\n");
		return 1;
	}
	/* The secrets still in plain text (before schema 15) are left to serve and user add, which seal them at
	 * start: sealing them here, before the key is known to be the server's, could seal them with a wrong one. */
	int rc = txq_exec(st, add_run, a);
	store_close(st);
	if (rc != STORE_OK) {
		fprintf(stderr, "safeguard user reset-totp: cannot store the change (store error %d)\n", rc);
		return 1;
	}
	if (!a->found) {
		fprintf(stderr, "safeguard user reset-totp: there is no user '%s'\n", a->username);
		return 1;
	}
	if (!a->opens && !a->force) {
		fprintf(stderr, "safeguard user reset-totp: %s's second factor does not open with this key: it is not the key "
				"the server uses (--totp-key FILE, --data-dir DIR), or the secret is from before schema 15 and "
				"not sealed yet (start the server once: it seals them). Nothing changed; --force if that key is "
				"lost\n", a->username);
		return 1;
	}
	printf("user %s: new second factor, password and sessions kept; TOTP secret for the authenticator app (shown "
	       "once):\n%s\n", a->username, a->secret);
	sodium_memzero(a->secret, sizeof a->secret);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "safeguard user reset-totp: the new secret is stored but could not be shown (standard "
				"output failed): run user reset-totp again\n");
		return 1;
	}
	return 0;
}

int cmd_user(int argc, char **argv)
{
	static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
					     {"username", required_argument, NULL, 'u'},
					     {"agency", required_argument, NULL, 'a'},
					     {"role", required_argument, NULL, 'r'},
					     {"password-stdin", no_argument, NULL, 'p'},
					     {"totp-key", required_argument, NULL, 'k'},
					     {"full-name", required_argument, NULL, 'N'},
					     {"email", required_argument, NULL, 'E'},
					     {"phone", required_argument, NULL, 'P'},
					     {"team", required_argument, NULL, 'T'},
					     {"force", no_argument, NULL, 'F'},
					     {"help", no_argument, NULL, 'h'},
					     {NULL, 0, NULL, 0}};
	const char *db = NULL, *totp_key = NULL;
	struct add_args a = {0};
	bool from_stdin = false;
	int c;
	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		usage(stdout);
		return 0;
	}
	if (argc >= 2 && strcmp(argv[1], "list") == 0)
		return cli_user_list(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "attempts") == 0)
		return cli_user_attempts(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "sessions") == 0)
		return cli_user_sessions(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "reset") == 0)
		a.reset = true;
	if (argc >= 2 && strcmp(argv[1], "reset-totp") == 0)
		a.reset_totp = true;
	if (argc >= 2 && strcmp(argv[1], "disable") == 0)
		a.disable = true;
	if (argc >= 2 && strcmp(argv[1], "enable") == 0)
		a.enable = true;
	if (argc < 2 || (strcmp(argv[1], "add") != 0 && !a.reset && !a.reset_totp && !a.disable && !a.enable)) {
		usage(stderr);
		return 2;
	}
	optind = 1;
	argc--;
	argv++;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
		case 'u': a.username = optarg; break;
		case 'a': a.agency = optarg; break;
		case 'r': a.role = optarg; break;
		case 'p': from_stdin = true; break;
		case 'k': totp_key = optarg; break;
		case 'N': a.profile.full_name = optarg; break;
		case 'E': a.profile.email = optarg; break;
		case 'P': a.profile.phone = optarg; break;
		case 'T': a.profile.team = optarg; break;
		case 'F': a.force = true; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (a.force && !a.reset_totp) {
		fprintf(stderr, "safeguard user: --force is for user reset-totp\n");
		return 2;
	}
	if (a.disable || a.enable) {
		const char *verb = a.enable ? "enable" : "disable";
		if (!a.username || from_stdin || a.agency || a.role) {
			fprintf(stderr, "safeguard user %s: --username is required (and nothing else)\n", verb);
			return 2;
		}
		store *st = cli_open_store(db, false);
		if (!st)
			return 1;
		int rc = txq_exec(st, add_run, &a);
		store_close(st);
		if (rc != STORE_OK) {
			fprintf(stderr, "safeguard user %s: cannot store the change (store error %d)\n", verb, rc);
			return 1;
		}
		if (!a.found) {
			fprintf(stderr, "safeguard user %s: there is no user '%s'\n", verb, a.username);
			return 1;
		}
		if (a.enable)
			printf("user %s enabled: they may sign in again\n", a.username);
		else
			printf("user %s disabled: sign-in is refused and their sessions have ended\n", a.username);
		return 0;
	}
	if (a.reset_totp)
		return reset_totp(db, totp_key, &a, from_stdin);
	if (a.reset && a.username && from_stdin && !a.agency && !a.role) {
		a.agency = "-";
		a.role = "social_worker"; /* not used: only the password's length is checked below */
	} else if (a.reset) {
		fprintf(stderr, "safeguard user reset: --username and --password-stdin are required (and nothing else)\n");
		return 2;
	}
	if (!a.username || !a.agency || !a.role || !from_stdin) {
		fprintf(stderr, "safeguard user add: --username, --agency, --role and --password-stdin are required\n");
		return 2;
	}
	if ((a.reset || a.disable || a.enable) &&
	    (a.profile.full_name || a.profile.email || a.profile.phone || a.profile.team)) {
		fprintf(stderr, "safeguard user: --full-name, --email, --phone and --team are for user add\n");
		return 2;
	}
	switch (users_check_profile(&a.profile)) {
	case USERS_BAD_FULL_NAME:
		fprintf(stderr, "safeguard user add: --full-name must be up to %d characters on one line\n", USERS_FULL_NAME_MAX);
		return 2;
	case USERS_BAD_EMAIL:
		fprintf(stderr, "safeguard user add: --email must be an email address, for example sam.patel@example.gov.uk\n");
		return 2;
	case USERS_BAD_PHONE:
		fprintf(stderr, "safeguard user add: --phone must be 6 to 15 digits, with spaces and a leading + if you like\n");
		return 2;
	default: break;
	}
	/* The password never appears in argv (ps shows it) or in a file we write. */
	char password[USERS_PASSWORD_MAX + 2];
	if (!fgets(password, sizeof password, stdin)) {
		fprintf(stderr, "safeguard user add: no password on standard input\n");
		return 2;
	}
	password[strcspn(password, "\r\n")] = '\0';
	switch (users_check_new(a.username, a.role, password)) {
	case USERS_BAD_NAME:
		fprintf(stderr, "safeguard user add: --username must be 1 to %d of a-z 0-9 . _ -\n", STORE_USER_MAX);
		sodium_memzero(password, sizeof password);
		return 2;
	case USERS_BAD_ROLE:
		fprintf(stderr, "safeguard user add: --role '%.32s' is not a role (see --help)\n", a.role);
		sodium_memzero(password, sizeof password);
		return 2;
	case USERS_BAD_PASSWORD:
		fprintf(stderr, "safeguard user add: the password must be %d to %d characters\n", USERS_PASSWORD_MIN,
			USERS_PASSWORD_MAX);
		sodium_memzero(password, sizeof password);
		return 2;
	default: break;
	}
	int rc = users_hash_password(password, a.hash);
	sodium_memzero(password, sizeof password);
	if (rc != STORE_OK) {
		fprintf(stderr, "safeguard user add: cannot hash the password (out of memory)\n");
		return 1;
	}
	/* The store first: a mistyped --db is refused before any key file is made beside it. */
	store *st = cli_open_store(db, false);
	if (!st)
		return 1;
	/* The new secret is encrypted with the server's key (made here, mode 0600, when serve has not yet). */
	if (cli_totp_key(db, totp_key, true) != 0 || cli_totp_seal_legacy(st) != 0) {
		store_close(st);
		return 1;
	}
	rc = txq_exec(st, add_run, &a);
	store_close(st);
	if (rc != STORE_OK) {
		fprintf(stderr, "safeguard user add: cannot store the user (store error %d)\n", rc);
		return 1;
	}
	if (a.reset && !a.found) {
		fprintf(stderr, "safeguard user reset: there is no user '%s'\n", a.username);
		return 1;
	}
	if (a.reset) {
		printf("user %s: new password set, sessions ended; TOTP secret for the authenticator app (shown once):\n%s\n",
		       a.username, a.secret);
		sodium_memzero(a.secret, sizeof a.secret);
		return 0;
	}
	if (a.res == USERS_TAKEN) {
		fprintf(stderr, "safeguard user add: the username '%s' is taken\n", a.username);
		return 1;
	}
	if (a.res == USERS_NO_AGENCY) {
		fprintf(stderr, "safeguard user add: there is no agency '%.32s'\n", a.agency);
		return 1;
	}
	if (a.res == USERS_ROLE_NOT_IN_AGENCY) {
		char fits[128];
		users_agencies_of_role(a.role, fits, sizeof fits);
		fprintf(stderr, "safeguard user add: --role %.32s is not a role of the agency %.32s (it is a role of: %s)\n",
			a.role, a.agency, fits);
		return 1;
	}
	if (a.res == USERS_NO_TEAM) {
		fprintf(stderr, "safeguard user add: --team: there is no team '%.32s' (create it with safeguard team add)\n",
			a.profile.team);
		return 1;
	}
	if (a.res != USERS_ADDED) {
		fprintf(stderr, "safeguard user add: the user was refused (check --username, --role and the profile)\n");
		return 1;
	}
	printf("user %s (%s, %s) created; TOTP secret for the authenticator app (shown once):\n%s\n", a.username,
	       a.agency, a.role, a.secret);
	sodium_memzero(a.secret, sizeof a.secret);
	return 0;
}
