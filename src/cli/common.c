#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <jansson.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "api/api.h"
#include "cli/cli.h"
#include "io/settings.h"
#include "clock/now.h"
#include "http/server.h"
#include "core/date.h"
#include "service/alerts.h"
#include "service/audit.h"
#include "service/homes.h"
#include "service/lado.h"
#include "service/linktrain.h"
#include "service/txq.h"
#include "service/users.h"
#include "web/web.h"

store *cli_open_store(const char *url, bool migrate)
{
	store *st = NULL;
	char err[512];
	int from = 0, to = 0;
	if (!url) {
		fprintf(stderr, "safeguard: --db URL is required (e.g. --db sqlite:safeguard.db)\n");
		return NULL;
	}
	/* PostgreSQL's fence (docs/SCALING.md "Fencing") lives in the data folder, shared with the other servers */
	char fence[4096];
	if (strncmp(url, "postgres", 8) == 0 && cli_data_known(url) &&
	    cli_data_path(url, "pg-fence", false, fence, sizeof fence) == 0)
		store_set_fence_file(fence);
	/* A command that does not migrate needs the database to be there: opening a mistyped path would leave an
	 * empty file behind (and then refuse it for its schema). */
	struct stat sb;
	if (!migrate && strncmp(url, "sqlite:", 7) == 0 && stat(url + 7, &sb) != 0 && errno == ENOENT) {
		fprintf(stderr, "safeguard: there is no database %s (safeguard migrate makes one)\n", url + 7);
		return NULL;
	}
	if (store_open(url, &st, err, sizeof err) != STORE_OK) {
		fprintf(stderr, "safeguard: %s\n", err);
		return NULL;
	}
	if (migrate) {
		if (store_migrate(st, &from, &to, err, sizeof err) != STORE_OK)
			goto fail;
		if (from != to)
			fprintf(stderr, "safeguard: database schema migrated from version %d to %d\n", from, to);
		/* Entries written before the audit was a chain (schema 5) get their hashes, once, in order. */
		int64_t sealed = 0;
		if (audit_seal_legacy(st, &sealed) != STORE_OK) {
			snprintf(err, sizeof err, "cannot seal the audit entries written before the chain");
			goto fail;
		}
		if (sealed)
			fprintf(stderr, "safeguard: %lld earlier audit entries sealed into the chain\n", (long long)sealed);
	} else if (store_check_schema(st, err, sizeof err) != STORE_OK) {
		goto fail;
	}
	return st;
fail:
	fprintf(stderr, "safeguard: %s\n", err);
	store_close(st);
	return NULL;
}

unsigned cli_cores(unsigned max)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n < 1 ? 1 : (unsigned long)n > max ? max : (unsigned)n;
}

int cli_read_replica(store *st, const char *url)
{
	char err[512];
	if (store_set_read_url(st, url, err, sizeof err) != STORE_OK) {
		fprintf(stderr, "safeguard serve: --db-read: %s\n", err);
		return -1;
	}
	return 0;
}

/* ---- the nightly sweep ---- */

/* The rules' clocks fall due at midnight whether or not an event arrives: a thread sweeps every child at
 * 01:00 England time (after midnight, before anyone starts work) and escalates what was ignored, then runs
 * the homes monitor (so the oversight team finds the night's flags in the morning). It waits on
 * a condition variable, so stopping the server wakes it at once. */
#define SWEEP_LOCAL_SECONDS (60 * 60)

struct sweeper {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool stop, started;
	store *st;
	const struct alerts_config *cfg;
	const uint8_t *audit_key;
	recordings *rec; /* NULL: no recordings kept */
};

static int checkpoint_run(store_conn *c, void *arg)
{
	int64_t id;
	return audit_checkpoint(c, arg, &id);
}

static int64_t next_sweep(int64_t now)
{
	int64_t local = ts_uk_local(now);
	int64_t target = local - (local % 86400) + SWEEP_LOCAL_SECONDS;
	if (target <= local)
		target += 86400;
	return now + (target - local);
}

static void *sweeper_main(void *arg)
{
	struct sweeper *s = arg;
	pthread_mutex_lock(&s->mu);
	while (!s->stop) {
		struct timespec when = clock_now_deadline(next_sweep(clock_now()));
		while (!s->stop && pthread_cond_timedwait(&s->cv, &s->mu, &when) != ETIMEDOUT)
			;
		if (s->stop)
			break;
		pthread_mutex_unlock(&s->mu);
		int64_t now = clock_now();
		char now_utc[TS_UTC_LEN + 1];
		struct alerts_sweep_stats stats;
		ts_format_utc(now, now_utc);
		/* Several servers on one database sweep once a night between them: the first to claim the day
		 * sweeps, the others skip it (service/alerts.h; docs/SCALING.md). */
		char server[300], host[256] = "";
		if (gethostname(host, sizeof host - 1) != 0)
			host[0] = '\0';
		snprintf(server, sizeof server, "%.255s pid %ld", host, (long)getpid());
		bool claimed = false;
		int crc = alerts_sweep_claim(s->st, ts_utc_date(ts_uk_local(now)), server, &claimed);
		if (crc != STORE_OK || !claimed) {
			if (crc != STORE_OK)
				fprintf(stderr, "safeguard: the nightly sweep could not be claimed (store error %d); "
						"skipped tonight: run safeguard sweep\n", crc);
			else
				fprintf(stderr, "safeguard: nightly sweep: another server has claimed tonight's; "
						"skipped here\n");
			pthread_mutex_lock(&s->mu);
			continue;
		}
		int rc = alerts_sweep(s->st, s->cfg, ts_utc_date(ts_uk_local(now)), now_utc, &stats);
		/* The LADO's clocks (issue 18) run out on their day too, whether or not the queue is opened. */
		int lrc = rc == STORE_OK ? lado_sweep(s->st, ts_utc_date(ts_uk_local(now))) : STORE_OK;
		if (lrc != STORE_OK)
			fprintf(stderr, "safeguard: the nightly LADO clocks failed (store error %d)\n", lrc);
		if (rc == STORE_OK && s->audit_key && (rc = txq_exec(s->st, checkpoint_run, (void *)s->audit_key)) != STORE_OK)
			fprintf(stderr, "safeguard: the nightly audit checkpoint failed (store error %d)\n", rc);
		else if (rc != STORE_OK)
			fprintf(stderr, "safeguard: the nightly sweep failed (store error %d)\n", rc);
		else
			fprintf(stderr, "safeguard: nightly sweep: %lld children, %lld new alerts, %lld escalated, %lld "
					"alerts about homes escalated\n",
				(long long)stats.children, (long long)stats.raised, (long long)stats.escalated,
				(long long)stats.homes_escalated);
		/* Then the sign-in attempts past the throttles' window (service/users.h). */
		int64_t pruned = 0;
		if (users_prune_attempts(s->st, now, &pruned) != STORE_OK)
			fprintf(stderr, "safeguard: the nightly removal of old sign-in attempts failed\n");
		else if (pruned)
			fprintf(stderr, "safeguard: nightly sweep: %lld old sign-in attempts removed\n", (long long)pruned);
		/* Then the children's homes: the monitor over the register, after the rules (docs/OVERSIGHT.md). */
		char month[8];
		struct homes_run_result res;
		homes_last_complete_month(now, month);
		struct homes_run_opts ho = {.trigger = "nightly", .actor = "nightly", .reg44_month = month, .started_at = now_utc};
		rc = homes_run(s->st, NULL, &ho, &res);
		if (rc == 0)
			fprintf(stderr, "safeguard: nightly homes run %lld: %d homes, %d signals, %d flagged, %d new alerts\n",
				(long long)res.run_id, res.homes, res.signals, res.flagged, res.alerts_raised);
		else if (rc != HOMES_EEMPTY)
			fprintf(stderr, "safeguard: the nightly homes run failed (error %d)\n", rc);
		/* Then the recordings past their kind's retention (service/recordings.h), as `recordings sweep`. */
		size_t deleted = 0;
		if (s->rec && (rc = recordings_sweep(s->st, s->rec, ts_utc_date(ts_uk_local(now)), "nightly", &deleted)) != 0)
			fprintf(stderr, "safeguard: the nightly recordings sweep failed (error %d)\n", rc);
		else if (deleted)
			fprintf(stderr, "safeguard: nightly recordings sweep: %zu past their retention deleted\n", deleted);
		/* Then record linkage learns from the day's records, when they grew enough (service/linktrain.h). */
		bool trained = false;
		struct linktrain_report lr;
		rc = linktrain_nightly(s->st, 1, &trained, &lr);
		if (lr.counts_rc != STORE_OK)
			fprintf(stderr, "safeguard: warning: the nightly linkage counts were not written (error %d); the review "
					"page shows the last count\n", lr.counts_rc);
		if (rc != 0)
			fprintf(stderr, "safeguard: the nightly linkage training failed (error %d)\n", rc);
		else if (trained)
			fprintf(stderr, "safeguard: nightly linkage model %lld trained on %lld records\n",
				(long long)lr.model.id, (long long)lr.model.records);
		/* Last, the planner's statistics of the area as the night left it (service/alerts.h). */
		if ((rc = alerts_planner_stats(s->st)) != STORE_OK)
			fprintf(stderr, "safeguard: the nightly planner's statistics failed (store error %d); the next sweep "
					"tries again\n", rc);
		pthread_mutex_lock(&s->mu);
	}
	pthread_mutex_unlock(&s->mu);
	return NULL;
}

static void sweeper_start(struct sweeper *s, store *st, const struct alerts_config *cfg, const uint8_t *audit_key)
{
	pthread_mutex_init(&s->mu, NULL);
	pthread_cond_init(&s->cv, NULL);
	s->st = st;
	s->cfg = cfg;
	s->audit_key = audit_key;
	s->started = pthread_create(&s->thread, NULL, sweeper_main, s) == 0;
	if (!s->started)
		fprintf(stderr, "safeguard: cannot start the nightly sweep; run safeguard sweep from cron instead\n");
}

static void sweeper_stop(struct sweeper *s)
{
	if (s->started) {
		pthread_mutex_lock(&s->mu);
		s->stop = true;
		pthread_cond_signal(&s->cv);
		pthread_mutex_unlock(&s->mu);
		pthread_join(s->thread, NULL);
	}
	pthread_cond_destroy(&s->cv);
	pthread_mutex_destroy(&s->mu);
}

/* The application: the API for machines, the pages for people. */
struct app {
	struct api api;
	struct web web;
	struct sweeper sweeper;
};

static bool route_streamed(const char *method, const char *path, void *ctx)
{
	return api_body_streamed(method, path) || web_body_streamed(method, path);
}

static bool is_api(http_request *rq)
{
	const char *p = http_path(rq);
	return strncmp(p, "/api/", 5) == 0 || strcmp(p, "/healthz") == 0 || strcmp(p, "/metrics") == 0 ||
	       strcmp(p, "/openapi.json") == 0;
}

static void route(http_request *rq, void *ctx)
{
	struct app *app = ctx;
	if (is_api(rq))
		api_handle(rq, &app->api);
	else
		web_handle(rq, &app->web);
}

static size_t route_admit(http_request *rq, void *ctx)
{
	struct app *app = ctx;
	return is_api(rq) ? api_admit(rq, &app->api) : web_admit(rq, &app->web);
}

int cli_serve(store *st, const struct cli_http *http, bool demo, const struct alerts_config *alerts,
	      const uint8_t *audit_key, const struct cli_recordings *rec, const char *authority,
	      void (*ready)(unsigned port, void *ctx), void *ctx)
{
	struct app *app = calloc(1, sizeof *app);
	txq *q = NULL;
	http_server *srv = NULL;
	char err[256];
	sigset_t stop;
	int sig = 0;

	/* Signals are taken synchronously by this thread with sigwait, so they are blocked in every thread
	 * started from here on and no handler runs in the middle of library code. */
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	signal(SIGPIPE, SIG_IGN);

	if (!app || txq_start(st, &q) != STORE_OK) {
		fprintf(stderr, "safeguard: cannot start the database writer\n");
		free(app);
		return 1;
	}
	/* The service's trained linkage model, when it has one (intake also checks for a newer one). */
	if (linktrain_load(st) != STORE_OK)
		fprintf(stderr, "safeguard: the trained linkage model could not be read; the built-in one is used\n");
	api_init(&app->api, st, q);
	if (alerts)
		app->api.alerts = *alerts;
	if (rec) {
		app->api.rec = rec->vault;
		if (rec->max_bytes)
			app->api.recording_max = rec->max_bytes;
	}
	if (web_init(&app->web, st, q, demo, err, sizeof err) != 0) {
		fprintf(stderr, "safeguard: %s\n", err);
		txq_stop(q);
		txq_free(q);
		api_fini(&app->api);
		free(app);
		return 1;
	}
	app->web.behind_tls = http->behind_tls;
	snprintf(app->web.authority, sizeof app->web.authority, "%s", authority ? authority : "");
	app->web.alerts = app->api.alerts; /* events recorded on the pages meet the same rules */
	app->web.rec = app->api.rec; /* the recordings on the child's page (web/recordings_pages.c) */
	app->web.recording_max = app->api.recording_max;
	struct http_options o = {.listen = http->listen, .threads = http->threads, .handler = route, .ctx = app,
				 .streamed = route_streamed, .admit = route_admit, .per_address = http->per_address};
	if (http_start(&o, &srv, err, sizeof err) != 0) {
		fprintf(stderr, "safeguard: %s\n", err);
		txq_stop(q);
		txq_free(q);
		web_free(&app->web);
		api_fini(&app->api);
		free(app);
		return 1;
	}
	const char *colon = strrchr(http->listen, ':');
	printf("listening on http://%.*s:%u\n", (int)(colon - http->listen), http->listen, http_port(srv));
	fflush(stdout);
	app->sweeper.rec = app->api.rec;
	sweeper_start(&app->sweeper, st, &app->api.alerts, audit_key);
	if (ready)
		ready(http_port(srv), ctx);
	while (sigwait(&stop, &sig) != 0 && errno == EINTR)
		;
	fprintf(stderr, "safeguard: stopping (signal %d)\n", sig);
	sweeper_stop(&app->sweeper);
	/* Finish every job already taken (their connections are resumed and answered), then close; a request
	 * arriving meanwhile is answered 503 by the stopped queue, which outlives the server. */
	txq_stop(q);
	http_stop(srv);
	txq_free(q);
	web_free(&app->web);
	api_fini(&app->api);
	free(app);
	return 0;
}

int cli_load_settings(const char *path, struct rules_settings *settings, struct clock_calendar *cal,
		      struct date *closures, size_t max, int *escalate_after)
{
	char err[512];
	if (settings_read(path, settings, cal, closures, max, escalate_after, err, sizeof err) == 0)
		return 0;
	fprintf(stderr, "%s\n", err);
	return -1;
}

/*
 * Makes the key file PATH holding KEY, whole or not at all, even when two processes start at once on one data
 * folder (several servers): the key is written and fsynced under a name of this process's own, then link()ed
 * to PATH, which fails if PATH is there. 0: this process's key is PATH; 1: another process made PATH first
 * (read it: link() made it whole); -1: an error (errno says which).
 */
static int key_publish(const char *path, const void *key, size_t n)
{
	char tmp[1100];
	if (snprintf(tmp, sizeof tmp, "%s.new-%ld", path, (long)getpid()) >= (int)sizeof tmp) {
		errno = ENAMETOOLONG;
		return -1;
	}
	int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return -1;
	int rc = write(fd, key, n) == (ssize_t)n && fsync(fd) == 0 ? 0 : -1;
	int saved = errno;
	close(fd);
	if (rc == 0 && link(tmp, path) != 0) {
		saved = errno;
		rc = errno == EEXIST ? 1 : -1;
	}
	unlink(tmp);
	errno = saved;
	return rc;
}

int cli_audit_key(const char *db_url, const char *path, bool create, uint8_t secret_key[64], bool *exists)
{
	char def[1024];
	*exists = false;
	if (!path) {
		if (cli_data_path(db_url, "audit-key", create, def, sizeof def) != 0)
			return -1;
		path = def;
	}
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT && create) {
		/* Made once, readable by this user only; outside the database, so a copy of the database alone
		 * cannot forge a checkpoint. */
		unsigned char pk[32];
		crypto_sign_keypair(pk, secret_key);
		int made = key_publish(path, secret_key, 64);
		if (made == 0) {
			*exists = true;
			return 0;
		}
		sodium_memzero(secret_key, 64);
		if (made < 0) {
			fprintf(stderr, "safeguard: cannot create the audit signing key %s: %s\n", path, strerror(errno));
			return -1;
		}
		fd = open(path, O_RDONLY | O_CLOEXEC); /* another server made it first: theirs is the key */
	}
	if (fd < 0) {
		if (errno == ENOENT)
			return 0;
		fprintf(stderr, "safeguard: cannot read the audit signing key %s: %s\n", path, strerror(errno));
		return -1;
	}
	struct stat sb;
	ssize_t n = -1;
	if (fstat(fd, &sb) == 0 && (sb.st_mode & 077) == 0)
		n = read(fd, secret_key, 64);
	close(fd);
	if (n != 64) {
		fprintf(stderr, "safeguard: %s is not an audit signing key readable by this user only (mode 0600, 64 "
				"bytes)\n", path);
		sodium_memzero(secret_key, 64);
		return -1;
	}
	*exists = true;
	return 0;
}

/* ---- where the server's files live (settings, not the database URL) ---- */

static const char *data_dir; /* --data-dir DIR, else SAFEGUARD_DATA_DIR (main.c sets it); NULL when neither */

void cli_set_data_dir(const char *dir)
{
	data_dir = dir && dir[0] ? dir : NULL;
}

bool cli_data_known(const char *db_url)
{
	return data_dir || (db_url && strncmp(db_url, "sqlite:", 7) == 0);
}

int cli_data_path(const char *db_url, const char *name, bool create, char *out, size_t outsz)
{
	int n;
	if (data_dir) {
		/* Made on first use (serve, demo), readable by this user only: it holds the keys. */
		if (create && mkdir(data_dir, 0700) != 0 && errno != EEXIST) {
			fprintf(stderr, "safeguard: cannot create the data directory %s (--data-dir): %s\n", data_dir,
				strerror(errno));
			return -1;
		}
		n = snprintf(out, outsz, "%s/%s", data_dir, name);
	} else if (db_url && strncmp(db_url, "sqlite:", 7) == 0) {
		n = snprintf(out, outsz, "%s.%s", db_url + 7, name); /* beside the database, as before --data-dir */
	} else {
		fprintf(stderr, "safeguard: --data-dir DIR is required with a database that is not sqlite:PATH: the "
				"audit signing key, the recordings and the keys live there (or set SAFEGUARD_DATA_DIR)\n");
		return -1;
	}
	if (n < 0 || (size_t)n >= outsz) {
		fprintf(stderr, "safeguard: the path of the %s is too long\n", name);
		return -1;
	}
	return 0;
}

/* A 32-byte secret key in a file of its own (what names it in messages: "recordings key"). With create, a
 * missing file is made once, readable by this user only (key_publish: never two keys); outside the database, so
 * a copy of the database alone opens nothing sealed with it. */
static int key_file(const char *path, const char *what, bool create, uint8_t key[32])
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT && create) {
		randombytes_buf(key, 32);
		int made = key_publish(path, key, 32);
		if (made == 0)
			return 0;
		sodium_memzero(key, 32);
		if (made < 0) {
			fprintf(stderr, "safeguard: cannot create the %s %s: %s\n", what, path, strerror(errno));
			return -1;
		}
		fd = open(path, O_RDONLY | O_CLOEXEC); /* another server made it first: theirs is the key */
	}
	if (fd < 0) {
		if (errno == ENOENT)
			fprintf(stderr, "safeguard: there is no %s %s (serve makes it on first start)\n", what, path);
		else
			fprintf(stderr, "safeguard: cannot read the %s %s: %s\n", what, path, strerror(errno));
		return -1;
	}
	struct stat sb;
	ssize_t n = -1;
	uint8_t extra;
	if (fstat(fd, &sb) != 0 || (sb.st_mode & 077) != 0) {
		close(fd);
		fprintf(stderr, "safeguard: the %s %s can be read by others: make it mode 0600 (chmod 600) "
				"and consider the key exposed\n", what, path);
		return -1;
	}
	n = read(fd, key, 32);
	if (n == 32 && read(fd, &extra, 1) != 0)
		n = -1;
	close(fd);
	if (n != 32) {
		fprintf(stderr, "safeguard: %s is not a %s (it must be exactly %d bytes)\n", path, what, 32);
		sodium_memzero(key, 32);
		return -1;
	}
	return 0;
}

static int recordings_key(const char *path, bool create, uint8_t key[RECORDINGS_KEY_LEN])
{
	_Static_assert(RECORDINGS_KEY_LEN == 32, "the recordings key is a 32-byte key file");
	return key_file(path, "recordings key", create, key);
}

int cli_totp_key(const char *db_url, const char *path, bool create)
{
	_Static_assert(USERS_TOTP_KEY_LEN == 32, "the TOTP key is a 32-byte key file");
	char def[1024];
	uint8_t key[USERS_TOTP_KEY_LEN];
	if (!path) {
		if (cli_data_path(db_url, "totp-key", create, def, sizeof def) != 0)
			return -1;
		path = def;
	}
	if (key_file(path, "key of the TOTP secrets", create, key) != 0)
		return -1;
	users_use_totp_key(key);
	sodium_memzero(key, sizeof key);
	return 0;
}

static int seal_legacy_run(store_conn *c, void *arg)
{
	return users_seal_legacy(c, "cli", arg);
}

int cli_totp_seal_legacy(store *st)
{
	int n = 0;
	int rc = txq_exec(st, seal_legacy_run, &n);
	if (rc != STORE_OK) {
		fprintf(stderr, "safeguard: cannot encrypt the TOTP secrets kept in plain text (store error %d)\n", rc);
		return -1;
	}
	if (n == 0)
		return 0;
	/* The plain secrets were overwritten with secure_delete on; the write-ahead log still held the pages
	 * that carried them until now. */
	rc = users_clear_sealed_pages(st);
	fprintf(stderr, "safeguard: %d TOTP secret%s kept in plain text now encrypted with the server's key%s\n", n,
		n == 1 ? "" : "s", rc == STORE_OK ? "" : " (the write-ahead log was busy: it clears at its next checkpoint)");
	return 0;
}

bool cli_recordings_rekey_pending(const char *key_path)
{
	char next[1100];
	struct stat sb;
	snprintf(next, sizeof next, "%s.new", key_path);
	return stat(next, &sb) == 0;
}

int cli_recordings_key_path(const char *db_url, const char *key_path, char *out, size_t outsz)
{
	if (key_path) {
		if ((size_t)snprintf(out, outsz, "%s", key_path) >= outsz) {
			fprintf(stderr, "safeguard: the key file's path is too long\n");
			return -1;
		}
		return 0;
	}
	return cli_data_path(db_url, "recordings-key", false, out, outsz);
}

int cli_recordings_key_read(const char *path, uint8_t key[RECORDINGS_KEY_LEN])
{
	return recordings_key(path, false, key);
}

int cli_recordings_open_with(const char *db_url, const uint8_t key[RECORDINGS_KEY_LEN], recordings **out)
{
	char dir[1024], err[1200];
	*out = NULL;
	if (cli_data_path(db_url, "recordings", false, dir, sizeof dir) != 0)
		return -1;
	if (recordings_open(dir, key, out, err, sizeof err) != 0) {
		fprintf(stderr, "safeguard: %s\n", err);
		return -1;
	}
	return 0;
}

int cli_recordings_open(const char *db_url, const char *key_path, bool create, recordings **out)
{
	char def[1024], dir[1024], err[1200];
	uint8_t key[RECORDINGS_KEY_LEN];
	*out = NULL;
	if (cli_data_path(db_url, "recordings", create, dir, sizeof dir) != 0)
		return -1;
	if (!key_path) {
		if (cli_data_path(db_url, "recordings-key", create, def, sizeof def) != 0)
			return -1;
		key_path = def;
	}
	/* A rekey that stopped between its commit and the key file's rename leaves PATH.new: which of the two
	 * keys the rows are under is for `recordings rekey` to find out; nothing is written under a guess. */
	if (cli_recordings_rekey_pending(key_path)) {
		fprintf(stderr, "safeguard: a recordings rekey was interrupted (%s.new exists): run `safeguard recordings "
				"rekey --db URL` to finish it\n", key_path);
		return -1;
	}
	if (recordings_key(key_path, create, key) != 0)
		return -1;
	int rc = recordings_open(dir, key, out, err, sizeof err);
	sodium_memzero(key, sizeof key);
	if (rc != 0) {
		fprintf(stderr, "safeguard: %s\n", err);
		return -1;
	}
	return 0;
}

int cli_tmp_open(struct cli_tmp *t, const char *path)
{
	size_t n = strlen(path) + 24;
	memset(t, 0, sizeof *t);
	if (!(t->path = strdup(path)) || !(t->tmp = malloc(n))) {
		free(t->path);
		t->path = NULL;
		fprintf(stderr, "safeguard: out of memory\n");
		return -1;
	}
	/* A path that is not a file (/dev/null, a pipe, a terminal) is written as it is: a rename would put a
	 * file in its place (as root, /dev/null itself), and there is nothing to appear whole. */
	struct stat sb;
	if (stat(path, &sb) == 0 && !S_ISREG(sb.st_mode)) {
		free(t->tmp);
		t->tmp = NULL;
		if (!(t->f = fopen(path, "w"))) {
			fprintf(stderr, "safeguard: cannot write %s: %s\n", path, strerror(errno));
			free(t->path);
			t->path = NULL;
			return -1;
		}
		return 0;
	}
	snprintf(t->tmp, n, "%s.tmp%ld", path, (long)getpid());
	if (!(t->f = fopen(t->tmp, "w"))) {
		fprintf(stderr, "safeguard: cannot write %s: %s\n", t->tmp, strerror(errno));
		free(t->path);
		free(t->tmp);
		t->path = t->tmp = NULL;
		return -1;
	}
	return 0;
}

int cli_tmp_commit(struct cli_tmp *t, bool ok)
{
	int rc = -1;
	if (!t->f)
		return -1;
	if (!t->tmp) { /* not a file (cli_tmp_open): written in place, nothing to sync or rename */
		if ((fflush(t->f) != 0 || ferror(t->f)) && ok)
			fprintf(stderr, "safeguard: cannot write %s: %s\n", t->path, strerror(errno));
		else if (ok)
			rc = 0;
		if (fclose(t->f) != 0 && rc == 0) {
			fprintf(stderr, "safeguard: cannot write %s: %s\n", t->path, strerror(errno));
			rc = -1;
		}
		free(t->path);
		memset(t, 0, sizeof *t);
		return rc;
	}
	if (ok && (fflush(t->f) != 0 || ferror(t->f) || fsync(fileno(t->f)) != 0)) {
		fprintf(stderr, "safeguard: cannot write %s: %s\n", t->tmp, strerror(errno));
		ok = false;
	}
	if (fclose(t->f) != 0 && ok) {
		fprintf(stderr, "safeguard: cannot write %s: %s\n", t->tmp, strerror(errno));
		ok = false;
	}
	if (ok && rename(t->tmp, t->path) != 0)
		fprintf(stderr, "safeguard: cannot rename %s to %s: %s\n", t->tmp, t->path, strerror(errno));
	else if (ok)
		rc = 0;
	if (rc != 0)
		unlink(t->tmp);
	free(t->path);
	free(t->tmp);
	memset(t, 0, sizeof *t);
	return rc;
}

/* ---- the listing commands' shared parts (cli.h) ---- */

int cli_list_misuse(const char *cmd, int c, char **argv, void (*usage)(FILE *))
{
	if (c == ':') {
		fprintf(stderr, "%s: %s needs a value\n", cmd, argv[optind - 1]);
		return 2;
	}
	fprintf(stderr, "%s: unknown option %s\n", cmd, argv[optind - 1]);
	usage(stderr);
	return 2;
}

int cli_list_args_done(const char *cmd, int argc, char **argv, const char *db)
{
	if (optind < argc) {
		fprintf(stderr, "%s: unexpected argument \"%s\"\n", cmd, argv[optind]);
		return 2;
	}
	if (!db) {
		fprintf(stderr, "%s: --db URL is required\n", cmd);
		return 2;
	}
	return 0;
}

bool cli_list_count(const char *s, bool zero_ok, int64_t *out)
{
	if (!s || !*s || !isdigit((unsigned char)s[0]))
		return false;
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || *end || v < 0 || (v == 0 && !zero_ok))
		return false;
	*out = v;
	return true;
}

/* Whether s is one of o's values (any, without one_of); if not, says which it must be ("a, b or c"). */
static bool one_of(const char *cmd, const struct cli_list_opt *o, const char *s)
{
	if (!o->one_of)
		return true;
	size_t n = 0;
	for (; o->one_of[n]; n++)
		if (strcmp(o->one_of[n], s) == 0)
			return true;
	fprintf(stderr, "%s: --%s must be ", cmd, o->name);
	for (size_t i = 0; i < n; i++)
		fprintf(stderr, "%s%s", o->one_of[i], i + 2 < n ? ", " : i + 2 == n ? " or " : "");
	fprintf(stderr, ", not \"%.40s\"\n", s);
	return false;
}

int cli_list_args(const char *cmd, int argc, char **argv, const struct cli_list_opt *own, size_t n_own, unsigned takes,
		  void (*usage)(FILE *), struct cli_list_common *a)
{
	enum { OWN = 256, MAX_OWN = 8 };
	struct option opts[MAX_OWN + 5];
	int n = 0, c;
	if (n_own > MAX_OWN) {
		fprintf(stderr, "%s: too many options to read\n", cmd);
		return 2;
	}
	opts[n++] = (struct option){"db", required_argument, NULL, 'd'};
	if (takes & CLI_ARGS_LIMIT)
		opts[n++] = (struct option){"limit", required_argument, NULL, 'n'};
	opts[n++] = (struct option){"json", no_argument, NULL, 'j'};
	opts[n++] = (struct option){"help", no_argument, NULL, 'h'};
	for (size_t i = 0; i < n_own; i++)
		opts[n++] = (struct option){own[i].name, own[i].flag ? no_argument : required_argument, NULL, OWN + (int)i};
	opts[n] = (struct option){NULL, 0, NULL, 0};
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		switch (c) {
		case 'd': a->db = optarg; break;
		case 'n':
			if (!cli_list_limit(cmd, optarg, &a->limit))
				return 2;
			break;
		case 'j': a->json = true; break;
		case 'h': usage(stdout); return 0;
		default: {
			if (c < OWN || c >= OWN + (int)n_own)
				return cli_list_misuse(cmd, c, argv, usage);
			const struct cli_list_opt *o = &own[c - OWN];
			if (o->flag)
				*o->flag = true;
			else if (o->id) {
				if (!cli_list_count(optarg, false, o->id)) {
					fprintf(stderr, "%s: --%s must be %s id (a whole number above 0), not \"%.40s\"\n", cmd,
						o->name, o->what, optarg);
					return 2;
				}
			} else if (!one_of(cmd, o, optarg))
				return 2;
			else
				*o->text = optarg;
		}
		}
	}
	return cli_list_args_done(cmd, argc, argv, a->db) != 0 ? 2 : -1;
}

int cli_list_child_args(const char *cmd, int argc, char **argv, unsigned takes, void (*usage)(FILE *),
			struct cli_child_args *a)
{
	const struct cli_list_opt own[] = {{.name = "child", .id = &a->child, .what = "a child's"},
					   {.name = "open", .flag = &a->open_only}};
	struct cli_list_common c = {0};
	int rc = cli_list_args(cmd, argc, argv, own, (takes & CLI_ARGS_OPEN) ? 2 : 1, takes, usage, &c);
	a->db = c.db;
	a->limit = c.limit;
	a->json = c.json;
	return rc;
}

bool cli_list_child(const char *cmd, const char *s, int64_t *out)
{
	if (cli_list_count(s, false, out))
		return true;
	fprintf(stderr, "%s: --child must be a child's id (a whole number above 0), not \"%.40s\"\n", cmd, s);
	return false;
}

bool cli_list_limit(const char *cmd, const char *s, int *out)
{
	int64_t v;
	if (!cli_list_count(s, true, &v) || v > 1000000000) {
		fprintf(stderr, "%s: --limit must be a whole number (0 for all), not \"%.40s\"\n", cmd, s);
		return false;
	}
	*out = (int)v;
	return true;
}

void cli_list_field(const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '\t': fputs("\\t", stdout); break;
		case '\n': fputs("\\n", stdout); break;
		case '\r': fputs("\\r", stdout); break;
		case '\\': fputs("\\\\", stdout); break;
		default: putchar(*s);
		}
	}
}

void cli_list_fields(const char *const *f, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		putchar('\t');
		cli_list_field(f[i]);
	}
}

bool cli_list_json(json_t *o)
{
	char *s = o ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
	json_decref(o);
	if (!s)
		return false;
	puts(s);
	free(s);
	return true;
}

int cli_one_subcommand(int argc, char **argv, const char *name, int (*run)(int argc, char **argv),
		       void (*usage)(FILE *f))
{
	if (argc >= 2 && strcmp(argv[1], name) == 0)
		return run(argc - 1, argv + 1);
	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		usage(stdout);
		return 0;
	}
	usage(stderr);
	return 2;
}

int cli_list_end(const char *cmd)
{
	if (fflush(stdout) != 0) {
		fprintf(stderr, "%s: cannot write the listing\n", cmd);
		return 1;
	}
	return 0;
}

int cli_list_run(const char *cmd, const char *db, const char *header, const char *what,
		 int (*list)(store *st, void *ctx), void *ctx, const bool *failed)
{
	store *st = cli_open_store(db, false);
	if (!st)
		return 1;
	if (header)
		printf("%s\n", header);
	int rc = list(st, ctx);
	store_close(st);
	if ((rc != STORE_OK && rc != 1) || (failed && *failed)) {
		fprintf(stderr, "%s: cannot read %s (store error %d)\n", cmd, what, rc);
		return 1;
	}
	return cli_list_end(cmd);
}
