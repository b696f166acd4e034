/*
 * bench/loadgen — a lean intake load generator (issue 17; docs/BENCHMARKS.md "Intake with a load generator in C").
 *
 *   SAFEGUARD_EVENTS=FILE SAFEGUARD_TOKEN_POLICE=... [CLIENTS=32] [RECORDS=N] loadgen http://127.0.0.1:PORT
 *
 * The same work as bench/intake_fixed.mjs: every record of SAFEGUARD_EVENTS (the events.jsonl of `safeguard
 * gen`; each line {"agency":"A","request":{...}}) sent once as POST /api/v1/events with the request object as
 * the body and the agency's token (SAFEGUARD_TOKEN_<AGENCY>) as a Bearer token, CLIENTS keep-alive connections
 * each with one request in flight (a closed loop, as wrk and node). RECORDS (default: every line) records, then
 * it stops. Prints what bench/intake_cpu.sh reads:
 *   RESULT requests=N errors_status=N duration_us=N p50_us=N p99_us=N max_us=N cpu_us=N
 * (cpu_us: this process's user + system CPU, getrusage, request building included.)
 * Exits non-zero, naming the cause, on a refused or closed connection, an answer it cannot parse, a file with
 * fewer than RECORDS records or a line it cannot read, and (after the RESULT line) on any non-2xx answer, with
 * the count of each status.
 *
 * Why hand-written and not libcurl's multi interface (the project prefers a library): on this 2-core machine
 * the generator shares the cores with the server, so its CPU an event is taken from the rate measured. libcurl
 * (bench/loadgen_curl.c, the same loop through curl_multi) was measured at 46-78 us of CPU an event against
 * this client's 12-18 us (docs/BENCHMARKS.md "Intake with a load generator in C"), over the ~30 us that would
 * have made the library the choice. What this does per request is only what no library can make cheaper: one
 * write of a request built before the clock starts, reads, the status line and Content-Length parsed (most of
 * its CPU is the kernel's loopback TCP and epoll wake-ups). It is a bench tool, not part of the product, and
 * speaks only the HTTP/1.1 subset the server answers intake with (Content-Length bodies on a kept-alive
 * connection); anything else is an error, not a guess.
 */
#define _GNU_SOURCE /* memmem */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_CLIENTS 1024
#define READ_BUF 65536 /* an intake answer is a few hundred bytes; a larger one is an error */

/* Latency histogram, log-linear: below 2^SUB_BITS us one bucket a microsecond, above it 2^(SUB_BITS - 1)
 * buckets a power of two (a bucket's lowest value is reported: under 0.4% low), up to 2^(SUB_BITS + RANGES) us
 * (over an hour). */
#define SUB_BITS 9
#define RANGES 23
#define HIST_BUCKETS ((RANGES + 1) << SUB_BITS)

struct request {
	char *buf; /* the whole request, head and body, built before the clock starts */
	size_t len;
	const char *agency;
	size_t line;
};

struct conn {
	int fd;
	struct request *req; /* in flight, or NULL */
	size_t written;
	uint64_t t0;
	char in[READ_BUF];
	size_t have;
};

static uint64_t hist[HIST_BUCKETS];
static uint64_t status_count[600];

static _Noreturn void die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static _Noreturn void die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("loadgen: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(2);
}

static uint64_t now_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

static size_t hist_bucket(uint64_t us)
{
	if (us < (1u << SUB_BITS))
		return (size_t)us;
	int top = 63 - __builtin_clzll(us); /* >= SUB_BITS */
	int shift = top - SUB_BITS + 1;
	if (shift > RANGES)
		return HIST_BUCKETS - 1;
	return ((size_t)shift << SUB_BITS) + (size_t)(us >> shift); /* us >> shift < 2^SUB_BITS */
}

/* the lowest value a bucket holds */
static uint64_t hist_value(size_t b)
{
	size_t shift = b >> SUB_BITS, sub = b & ((1u << SUB_BITS) - 1);
	return (uint64_t)sub << shift; /* above the first range, sub holds the value's top bit too */
}

static uint64_t hist_pct(uint64_t n, double p)
{
	uint64_t want = (uint64_t)((double)n * p), seen = 0;
	if (want >= n)
		want = n - 1;
	for (size_t b = 0; b < HIST_BUCKETS; b++) {
		seen += hist[b];
		if (seen > want)
			return hist_value(b);
	}
	return 0;
}

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		die("cannot open the events file %s: %s", path, strerror(errno));
	char *data = NULL;
	size_t cap = 0, n = 0, got;
	do {
		if (cap - n < 65536) {
			cap = cap ? cap * 2 : 1 << 20;
			data = realloc(data, cap + 1);
			if (!data)
				die("out of memory reading %s", path);
		}
		got = fread(data + n, 1, cap - n, f);
		n += got;
	} while (got > 0);
	if (ferror(f))
		die("cannot read %s: %s", path, strerror(errno));
	fclose(f);
	data[n] = '\0';
	*len = n;
	return data;
}

/* One line as intake_fixed.mjs reads it (/^\{"agency":"(\w+)","request":(.*)\}$/) into a request as node's
 * http.request writes it: the same path, headers and body. */
static int build_request(struct request *r, char *line, size_t len, const char *hostport)
{
	static const char pre[] = "{\"agency\":\"", mid[] = "\",\"request\":";
	if (len < sizeof pre + sizeof mid || memcmp(line, pre, sizeof pre - 1) != 0 || line[len - 1] != '}')
		return -1;
	char *agency = line + sizeof pre - 1, *p = agency;
	while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '_')
		p++;
	if (p == agency || (size_t)(line + len - p) < sizeof mid || memcmp(p, mid, sizeof mid - 1) != 0)
		return -1;
	*p = '\0';
	char *body = p + sizeof mid - 1;
	size_t blen = (size_t)(line + len - 1 - body);
	char var[128] = "SAFEGUARD_TOKEN_";
	size_t v = strlen(var);
	for (const char *a = agency; *a && v < sizeof var - 1; a++)
		var[v++] = (*a >= 'a' && *a <= 'z') ? (char)(*a - 'a' + 'A') : *a;
	var[v] = '\0';
	const char *token = getenv(var);
	if (!token || !*token)
		die("%s is not set (the token for an agency in the events file)", var);
	int head = snprintf(NULL, 0,
	                    "POST /api/v1/events HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n"
	                    "Authorization: Bearer %s\r\nHost: %s\r\nConnection: keep-alive\r\n\r\n",
	                    blen, token, hostport);
	r->len = (size_t)head + blen;
	r->buf = malloc(r->len + 1);
	if (!r->buf)
		die("out of memory");
	snprintf(r->buf, (size_t)head + 1,
	         "POST /api/v1/events HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n"
	         "Authorization: Bearer %s\r\nHost: %s\r\nConnection: keep-alive\r\n\r\n",
	         blen, token, hostport);
	memcpy(r->buf + head, body, blen);
	r->agency = agency;
	return 0;
}

static long env_long(const char *name, long dflt, long lo, long hi)
{
	const char *s = getenv(name);
	if (!s || !*s)
		return dflt;
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || *end || v < lo || v > hi)
		die("%s must be a whole number within bounds (at most %ld)", name, hi);
	return v;
}

static int connect_to(const struct addrinfo *ai, const char *hostport)
{
	int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
	if (fd < 0)
		die("socket: %s", strerror(errno));
	/* a blocking connect, before the clock starts */
	if (connect(fd, ai->ai_addr, ai->ai_addrlen) != 0)
		die("cannot connect to %s: %s (is the server running?)", hostport, strerror(errno));
	int one = 1;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	return fd;
}

static void arm(int ep, struct conn *c, uint32_t events)
{
	struct epoll_event ev = {.events = events, .data.ptr = c};
	if (epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev) != 0)
		die("epoll_ctl: %s", strerror(errno));
}

/* Writes what is left of the request in flight; 1 when all is written, 0 when the socket is full. */
static int send_some(struct conn *c)
{
	while (c->written < c->req->len) {
		ssize_t w = write(c->fd, c->req->buf + c->written, c->req->len - c->written);
		if (w < 0) {
			if (errno == EAGAIN || errno == EINTR)
				return 0;
			die("write failed on a connection: %s", strerror(errno));
		}
		c->written += (size_t)w;
	}
	return 1;
}

static void start(int ep, struct conn *c, struct request *r)
{
	c->req = r;
	c->written = 0;
	c->t0 = now_ns();
	if (!send_some(c))
		arm(ep, c, EPOLLIN | EPOLLOUT);
}

/* A whole answer in c->in: its length, 0 when more is to come. Only a status line, headers and a body of
 * Content-Length bytes are expected (the server keeps the connection for the next request). */
static size_t parse_answer(const struct conn *c, int *status)
{
	const char *in = c->in;
	char *end = memmem(in, c->have, "\r\n\r\n", 4);
	if (!end)
		return 0;
	if (c->have < 12 || memcmp(in, "HTTP/1.", 7) != 0 || in[8] != ' ' || in[9] < '1' || in[9] > '5' ||
	    in[10] < '0' || in[10] > '9' || in[11] < '0' || in[11] > '9')
		die("an answer that does not start with an HTTP/1.x status line (record line %ld)",
		    (long)c->req->line);
	*status = (in[9] - '0') * 100 + (in[10] - '0') * 10 + (in[11] - '0');
	long clen = -1;
	for (const char *h = memchr(in, '\n', (size_t)(end - in)); h && h < end; h = memchr(h, '\n', (size_t)(end - h))) {
		h++;
		if (strncasecmp(h, "Content-Length:", 15) == 0)
			clen = strtol(h + 15, NULL, 10);
		else if (strncasecmp(h, "Transfer-Encoding:", 18) == 0)
			die("a chunked answer (record line %ld): only Content-Length bodies are read",
			    (long)c->req->line);
	}
	if (clen < 0)
		die("an answer without Content-Length (record line %ld)", (long)c->req->line);
	size_t total = (size_t)(end + 4 - in) + (size_t)clen;
	if (total > sizeof c->in)
		die("an answer of %ld bytes, more than this client reads", (long)total);
	return c->have >= total ? total : 0;
}

int main(int argc, char **argv)
{
	if (argc != 2 || strncmp(argv[1], "http://", 7) != 0) {
		fprintf(stderr, "usage: SAFEGUARD_EVENTS=FILE SAFEGUARD_TOKEN_<AGENCY>=... [CLIENTS=32] [RECORDS=N] "
		                "loadgen http://HOST:PORT\n");
		return 2;
	}
	char hostport[256], host[256], port[16] = "80";
	snprintf(hostport, sizeof hostport, "%s", argv[1] + 7);
	hostport[strcspn(hostport, "/")] = '\0';
	snprintf(host, sizeof host, "%s", hostport);
	char *colon = strrchr(host, ':');
	if (colon) {
		snprintf(port, sizeof port, "%s", colon + 1);
		*colon = '\0';
	}
	const char *events = getenv("SAFEGUARD_EVENTS");
	if (!events || !*events)
		die("SAFEGUARD_EVENTS is not set (the events file of safeguard gen)");
	long clients = env_long("CLIENTS", 32, 1, MAX_CLIENTS);

	size_t flen;
	char *data = read_file(events, &flen);
	size_t lines = 0;
	for (size_t i = 0; i < flen; i++)
		lines += data[i] == '\n';
	if (flen && data[flen - 1] != '\n')
		lines++;
	long records = env_long("RECORDS", (long)lines, 1, 100000000);
	if ((size_t)records > lines)
		die("the events file %s has %ld records, fewer than RECORDS=%ld", events, (long)lines, records);
	struct request *reqs = calloc((size_t)records, sizeof *reqs);
	if (!reqs)
		die("out of memory");
	char *p = data;
	for (long i = 0; i < records; i++) {
		char *nl = memchr(p, '\n', flen - (size_t)(p - data));
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		reqs[i].line = (size_t)i + 1;
		if (build_request(&reqs[i], p, len, hostport) != 0)
			die("%s line %ld: not {\"agency\":\"A\",\"request\":{...}}", events, i + 1);
		p += len + 1;
	}

	struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM}, *ai;
	if (getaddrinfo(host, port, &hints, &ai) != 0)
		die("cannot resolve %s", hostport);
	int ep = epoll_create1(EPOLL_CLOEXEC);
	if (ep < 0)
		die("epoll_create1: %s", strerror(errno));
	if (clients > records)
		clients = records;
	struct conn *conns = calloc((size_t)clients, sizeof *conns);
	if (!conns)
		die("out of memory");
	for (long i = 0; i < clients; i++) {
		conns[i].fd = connect_to(ai, hostport);
		struct epoll_event ev = {.events = EPOLLIN, .data.ptr = &conns[i]};
		if (epoll_ctl(ep, EPOLL_CTL_ADD, conns[i].fd, &ev) != 0)
			die("epoll_ctl: %s", strerror(errno));
	}
	freeaddrinfo(ai);

	uint64_t begin = now_ns(), done = 0, bad = 0, max_us = 0;
	long next = 0;
	for (long i = 0; i < clients; i++)
		start(ep, &conns[i], &reqs[next++]);
	struct epoll_event evs[64];
	while (done < (uint64_t)records) {
		int n = epoll_wait(ep, evs, 64, 60000);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			die("epoll_wait: %s", strerror(errno));
		if (n == 0)
			die("no answer for 60 s; %ld requests sent (is the server stuck?)", (long)next);
		for (int i = 0; i < n; i++) {
			struct conn *c = evs[i].data.ptr;
			if (evs[i].events & EPOLLOUT) {
				if (send_some(c))
					arm(ep, c, EPOLLIN);
			}
			if (!(evs[i].events & (EPOLLIN | EPOLLERR | EPOLLHUP)))
				continue;
			ssize_t r = read(c->fd, c->in + c->have, sizeof c->in - c->have);
			if (r < 0 && (errno == EAGAIN || errno == EINTR))
				continue;
			if (r < 0)
				die("read failed on a connection: %s", strerror(errno));
			if (r == 0)
				die("the server closed a connection (record line %ld in flight)",
				    c->req ? (long)c->req->line : 0L);
			if (!c->req)
				die("an answer with no request in flight");
			c->have += (size_t)r;
			int status;
			size_t used = parse_answer(c, &status);
			if (!used)
				continue;
			if (used != c->have)
				die("more bytes than one answer (record line %ld)", (long)c->req->line);
			uint64_t us = (now_ns() - c->t0) / 1000;
			hist[hist_bucket(us)]++;
			if (us > max_us)
				max_us = us;
			status_count[status]++;
			if (status < 200 || status >= 300)
				bad++;
			done++;
			c->have = 0;
			c->req = NULL;
			if (next < records)
				start(ep, c, &reqs[next++]);
		}
	}
	uint64_t dur_us = (now_ns() - begin) / 1000;
	/* this process's CPU, user + system, from its start (reading and building the requests included) */
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	unsigned long long cpu_us = (unsigned long long)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000u +
	                            (unsigned long long)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec);
	printf("RESULT requests=%llu errors_status=%llu duration_us=%llu p50_us=%llu p99_us=%llu max_us=%llu "
	       "cpu_us=%llu\n",
	       (unsigned long long)done, (unsigned long long)bad, (unsigned long long)dur_us,
	       (unsigned long long)hist_pct(done, 0.5), (unsigned long long)hist_pct(done, 0.99),
	       (unsigned long long)max_us, cpu_us);
	fflush(stdout);
	for (long i = 0; i < clients; i++)
		close(conns[i].fd);
	close(ep);
	for (long i = 0; i < records; i++)
		free(reqs[i].buf);
	free(reqs);
	free(conns);
	free(data);
	if (bad) {
		fprintf(stderr, "loadgen: %llu of %llu answers not 2xx:", (unsigned long long)bad,
		        (unsigned long long)done);
		for (int s = 100; s < 600; s++)
			if (status_count[s] && (s < 200 || s >= 300))
				fprintf(stderr, " %d x%llu", s, (unsigned long long)status_count[s]);
		fputc('\n', stderr);
		return 1;
	}
	return 0;
}
