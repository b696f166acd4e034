/*
 * libFuzzer target for the HTTP edge as a whole: any bytes as one request to the real server (http/server.c on
 * libmicrohttpd, the API's and the pages' handlers, the services, a SQLite area in /dev/shm), started once in
 * this process. What it reaches, by the seeds in fuzz/corpus/fuzz_http/ (one a route, made by
 * fuzz/http_seeds.mjs from `safeguard routes`): the request line, headers, the query string (http_query), the
 * cookies (http_cookie), url-encoded forms (http_form, http_stream_form) and every JSON body the API maps (intake,
 * sign-in, break-glass, alerts, link reviews, merges, oversight runs, homes' alerts, Regulation 44 reports,
 * placements) and every form the pages map.
 *
 * Before sending, these markers in the input are replaced, so that a request can pass sign-in and CSRF:
 *   $H        the server's host:port          $O  its origin, http://host:port
 *   $A0..$A1  an agency system's bearer token (social care with every scope it may hold; health's flags:read)
 *   $Sn       an API session's bearer token   $Wn a web session's cookie value   $Cn its pages' CSRF token
 * of person n: 0 social worker, 1 team manager, 2 MASH worker, 3 administrator, 4 DPO, 5 oversight analyst,
 * 6 LADO, 7 police officer, 8 health practitioner, 9 school DSL.
 * The request is sent on a fresh connection and the answer read until it is whole (answer_whole). Invariants: the server never crashes, leaks nothing ASan can see per request
 * in this thread, and keeps answering (each input's connection gets an HTTP status line, or is closed by the
 * server as malformed).
 */
#include <arpa/inet.h>
#include <assert.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <strings.h>
#include <signal.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "api/api.h"
#include "clock/now.h"
#include "core/date.h"
#include "http/server.h"
#include "service/recordings.h"
#include "service/tokens.h"
#include "service/txq.h"
#include "service/users.h"
#include "store/store.h"
#include "web/web.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define PEOPLE 10
static const char *const people[PEOPLE][3] = {
	{"fz.worker", "social_care", "social_worker"},     {"fz.manager", "social_care", "team_manager"},
	{"fz.mash", "social_care", "mash_worker"},         {"fz.admin", "social_care", "admin"},
	{"fz.dpo", "social_care", "dpo"},                  {"fz.analyst", "social_care", "oversight_analyst"},
	{"fz.lado", "social_care", "lado"},                {"fz.police", "police", "police_officer"},
	{"fz.health", "health", "health_practitioner"},    {"fz.school", "education", "school_dsl"},
};

static struct {
	char dir[64];
	store *st;
	txq *q;
	struct api api;
	struct web web;
	http_server *srv;
	unsigned port;
	char host[32], origin[48];
	char agency_token[2][TOKEN_TEXT_MAX];
	char api_session[PEOPLE][48], web_session[PEOPLE][48], csrf[PEOPLE][USERS_CSRF_MAX];
} fz;

static bool is_api(http_request *rq)
{
	const char *p = http_path(rq);
	return strncmp(p, "/api/", 5) == 0 || strcmp(p, "/healthz") == 0 || strcmp(p, "/metrics") == 0 ||
	       strcmp(p, "/openapi.json") == 0;
}

static void route(http_request *rq, void *ctx)
{
	(void)ctx;
	if (is_api(rq))
		api_handle(rq, &fz.api);
	else
		web_handle(rq, &fz.web);
}

static size_t admit(http_request *rq, void *ctx)
{
	(void)ctx;
	return is_api(rq) ? api_admit(rq, &fz.api) : web_admit(rq, &fz.web);
}

static bool streamed(const char *method, const char *path, void *ctx)
{
	(void)ctx;
	return api_body_streamed(method, path) || web_body_streamed(method, path);
}

static void die(const char *what)
{
	fprintf(stderr, "fuzz_http: %s\n", what);
	abort();
}

/* The people, their sessions (API and web, live for a year on the real clock) and two agency tokens. */
static int seed_run(store_conn *c, void *arg)
{
	(void)arg;
	int rc = tokens_seed_agencies(c);
	if (rc != STORE_OK)
		return rc;
	char now[STORE_TS_LEN + 1], year[STORE_TS_LEN + 1], idle[STORE_TS_LEN + 1];
	int64_t t = clock_now();
	ts_format_utc(t, now);
	ts_format_utc(t + 365 * 86400, year);
	ts_format_utc(t + 364 * 86400, idle);
	for (int i = 0; i < PEOPLE; i++) {
		struct store_user u;
		memset(&u, 0, sizeof u);
		snprintf(u.username, sizeof u.username, "%s", people[i][0]);
		snprintf(u.agency, sizeof u.agency, "%s", people[i][1]);
		snprintf(u.role, sizeof u.role, "%s", people[i][2]);
		snprintf(u.password_hash, sizeof u.password_hash, "$argon2id$not-a-hash");
		int64_t id = 0;
		if ((rc = store_user_insert(c, &u, &id)) != STORE_OK)
			return rc;
		for (int k = 0; k < 2; k++) {
			char *tok = k ? fz.web_session[i] : fz.api_session[i];
			/* sgs_ and 43 characters of base64url: a session token's form (service/users.c). */
			snprintf(tok, 48, "sgs_%c%02dfuzzsessiontokenfuzzsessiontokenfuzzsessio", k ? 'w' : 'a', i);
			tok[47] = '\0';
			uint8_t hash[STORE_TOKEN_HASH_LEN];
			crypto_generichash(hash, sizeof hash, (const unsigned char *)tok, strlen(tok), NULL, 0);
			struct store_session s;
			memset(&s, 0, sizeof s);
			s.user_id = id;
			snprintf(s.kind, sizeof s.kind, "%s", k ? "web" : "api");
			snprintf(s.created_at, sizeof s.created_at, "%s", now);
			snprintf(s.expires_at, sizeof s.expires_at, "%s", year);
			snprintf(s.idle_until, sizeof s.idle_until, "%s", idle);
			if ((rc = store_session_insert(c, hash, &s)) != STORE_OK)
				return rc;
		}
		users_csrf_token(fz.web_session[i], fz.csrf[i]);
	}
	static const char *const tokens[2][2] = {
		{"social_care", "events:write records:read alerts:read alerts:write placements:write"},
		{"health", "events:write flags:read"},
	};
	for (int k = 0; k < 2; k++) {
		char scope[STORE_SCOPE_MAX + 1], err[160];
		bool found = false, pending = false;
		if (!tokens_scope_parse(tokens[k][1], tokens[k][0], scope, err, sizeof err))
			die(err);
		if ((rc = tokens_create(c, "fuzz", tokens[k][0], "fuzz", scope, true, fz.agency_token[k], &found, &pending)) !=
		    STORE_OK)
			return rc;
		if (!found)
			die("no agency for a token");
	}
	return STORE_OK;
}

/* The area and its recordings are thrown away when the run ends (the server's threads may still hold the
 * database open: unlinking is fine). */
static void remove_area(void)
{
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", fz.dir); /* fz.dir: mkdtemp's name, no quote in it */
	if (system(cmd) != 0)
		fprintf(stderr, "fuzz_http: could not remove %s\n", fz.dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	char err[256], url[128];
	signal(SIGPIPE, SIG_IGN);
	if (sodium_init() < 0)
		die("sodium_init");
	snprintf(fz.dir, sizeof fz.dir, "%s/sg-fuzz-http-XXXXXX", access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
	if (!mkdtemp(fz.dir))
		die("mkdtemp");
	snprintf(url, sizeof url, "sqlite:%s/area.db", fz.dir);
	if (store_open(url, &fz.st, err, sizeof err) != STORE_OK || store_migrate(fz.st, NULL, NULL, err, sizeof err) != STORE_OK)
		die(err);
	if (txq_exec(fz.st, seed_run, NULL) != STORE_OK)
		die("cannot seed the area");
	if (txq_start(fz.st, &fz.q) != STORE_OK)
		die("txq_start");
	api_init(&fz.api, fz.st, fz.q);
	/* Recordings kept (uploads streamed in, their media type, file name and kind read from the headers). */
	uint8_t key[RECORDINGS_KEY_LEN];
	char recdir[96];
	randombytes_buf(key, sizeof key);
	snprintf(recdir, sizeof recdir, "%s/recordings", fz.dir);
	if (recordings_open(recdir, key, &fz.api.rec, err, sizeof err) != 0)
		die(err);
	fz.api.recording_max = 1024 * 1024;
	if (web_init(&fz.web, fz.st, fz.q, false, err, sizeof err) != 0)
		die(err);
	fz.web.alerts = fz.api.alerts;
	fz.web.rec = fz.api.rec;
	fz.web.recording_max = fz.api.recording_max;
	struct http_options o = {.listen = "127.0.0.1:0", .threads = 2, .handler = route, .ctx = NULL,
				 .streamed = streamed, .admit = admit, .per_address = 0};
	if (http_start(&o, &fz.srv, err, sizeof err) != 0)
		die(err);
	fz.port = http_port(fz.srv);
	snprintf(fz.host, sizeof fz.host, "127.0.0.1:%u", fz.port);
	snprintf(fz.origin, sizeof fz.origin, "http://%s", fz.host);
	atexit(remove_area);
	return 0;
}

/* The input with its markers replaced: a new buffer (*n its length). */
static char *expand(const uint8_t *data, size_t size, size_t *n)
{
	size_t cap = size * 2 + 256, len = 0;
	char *out = malloc(cap);
	if (!out)
		return NULL;
	for (size_t i = 0; i < size; i++) {
		const char *put = NULL;
		size_t skip = 0;
		if (data[i] == '$' && i + 1 < size) {
			char k = (char)data[i + 1];
			int d = i + 2 < size && data[i + 2] >= '0' && data[i + 2] <= '9' ? data[i + 2] - '0' : -1;
			if (k == 'H')
				put = fz.host, skip = 1;
			else if (k == 'O')
				put = fz.origin, skip = 1;
			else if (k == 'A' && d >= 0 && d < 2)
				put = fz.agency_token[d], skip = 2;
			else if (k == 'S' && d >= 0)
				put = fz.api_session[d], skip = 2;
			else if (k == 'W' && d >= 0)
				put = fz.web_session[d], skip = 2;
			else if (k == 'C' && d >= 0)
				put = fz.csrf[d], skip = 2;
		}
		size_t add = put ? strlen(put) : 1;
		if (len + add + 1 > cap) {
			cap = (len + add + 1) * 2;
			char *grown = realloc(out, cap);
			if (!grown) {
				free(out);
				return NULL;
			}
			out = grown;
		}
		if (put) {
			memcpy(out + len, put, add);
			i += skip;
		} else {
			out[len] = (char)data[i];
		}
		len += add;
	}
	out[len] = '\0'; /* room kept above: len + add + 1 <= cap */
	*n = len;
	return out;
}

/* Whether an answer of got bytes is whole: its head ended, and the body its Content-Length says, or a chunked
 * body's last chunk, or no body (1xx, 204, 304). An answer without either is whole only when the server closes. */
static bool answer_whole(const char *a, size_t got)
{
	const char *end = NULL;
	for (size_t i = 0; i + 3 < got; i++)
		if (memcmp(a + i, "\r\n\r\n", 4) == 0) {
			end = a + i + 4;
			break;
		}
	if (!end)
		return false;
	size_t head = (size_t)(end - a), body = got - head;
	if (got > 12 && (memcmp(a + 9, "204", 3) == 0 || memcmp(a + 9, "304", 3) == 0 || a[9] == '1'))
		return true;
	for (const char *p = a; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			break;
		if ((size_t)(nl - p) > 15 && strncasecmp(p, "Content-Length:", 15) == 0)
			return body >= (size_t)strtoull(p + 15, NULL, 10);
		if ((size_t)(nl - p) > 18 && strncasecmp(p, "Transfer-Encoding:", 18) == 0)
			return body >= 5 && memcmp(a + got - 5, "0\r\n\r\n", 5) == 0;
		p = nl + 1;
	}
	return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 96 * 1024)
		return 0;
	size_t n = 0;
	char *req = expand(data, size, &n);
	if (!req)
		return 0;
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	assert(fd >= 0);
	struct timeval tv = {.tv_sec = 5, .tv_usec = 0};
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
	/* Closed with a reset: no TIME_WAIT left behind, so a long run does not run out of ports. */
	struct linger lg = {.l_onoff = 1, .l_linger = 0};
	setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)fz.port)};
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
		/* The server must keep accepting: a refused connection is a finding. */
		fprintf(stderr, "fuzz_http: connect: %s\n", strerror(errno));
		abort();
	}
	size_t sent = 0;
	while (sent < n) {
		ssize_t w = send(fd, req + sent, n - sent, MSG_NOSIGNAL);
		if (w <= 0)
			break; /* the server answered early (413, 400) and closed */
		sent += (size_t)w;
	}
	/* The answer, read until it is whole (its Content-Length, or a chunked body's last chunk), so that a kept-alive
	 * connection costs no wait. A request held in part gets nothing: after 100 ms without an answer the write side
	 * is closed, and libmicrohttpd then closes the connection (or answers a slow request, still read whole). */
	char *ans = NULL;
	size_t got = 0, cap = 0;
	bool half = false;
	char head[64] = {0};
	for (int reads = 0; reads < 100000; reads++) {
		struct pollfd pf = {.fd = fd, .events = POLLIN};
		if (poll(&pf, 1, half ? 2000 : 100) <= 0) {
			if (half)
				break; /* nothing more in 2 s: the server keeps the connection; enough */
			shutdown(fd, SHUT_WR);
			half = true;
			continue;
		}
		if (got + 16384 > cap) {
			char *grown = realloc(ans, cap = (got + 16384) * 2);
			if (!grown)
				break;
			ans = grown;
		}
		ssize_t r = recv(fd, ans + got, 16384, 0);
		if (r <= 0)
			break;
		got += (size_t)r;
		if (answer_whole(ans, got))
			break;
	}
	memcpy(head, ans ? ans : "", got < sizeof head - 1 ? got : sizeof head - 1);
	if (getenv("FUZZ_HTTP_SHOW") && strstr(getenv("FUZZ_HTTP_SHOW"), "body"))
		fprintf(stderr, "%.*s\n", (int)got, ans ? ans : "");
	if (getenv("FUZZ_HTTP_SHOW")) { /* to check what the seeds reach: the status line of each answer, and when */
		struct timespec t1;
		clock_gettime(CLOCK_MONOTONIC, &t1);
		fprintf(stderr, "fuzz_http: %.*s -> %.*s (%.0f ms)\n", (int)strcspn(req, "\r\n"), req,
			(int)strcspn(head, "\r\n"), head, (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6);
	}
	free(ans);
	/* What came back, if anything, is HTTP. */
	assert(got == 0 || strncmp(head, "HTTP/1.", 7) == 0);
	close(fd);
	free(req);
	return 0;
}
