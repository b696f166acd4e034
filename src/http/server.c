#include "http/server.h"
#include "http/reqtrace.h"
#include "lib/dynlib.h"

#include <arpa/inet.h>
#include <limits.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/*
 * libmicrohttpd, opened by http_start (dlopen), not linked into the binary: only serve and demo serve HTTP,
 * and a binary linked with -lmicrohttpd makes the dynamic loader map and relocate it and what it brings
 * (gnutls, nettle, gmp, p11-kit, idn2...) at every start of every command (docs/BENCHMARKS.md, "r-dl30").
 * The library is still Debian's libmicrohttpd12; only when it is loaded changes. <microhttpd.h> still gives
 * the types and constants, and each pointer is declared with the type of the function it stands for
 * (__typeof__), so a call is checked as before. The open-and-bind is lib/dynlib.c's, shared with store/drv_pg.c's libpq. Every call below runs on a daemon that http_start started, so after mhd_load. A function
 * added here must be added to MHD_FUNCS and given its #define, or the binary fails to link.
 */
#define MHD_FUNCS(X)                                                                                                \
	X(MHD_add_response_header)                                                                                  \
	X(MHD_create_post_processor)                                                                                \
	X(MHD_create_response_from_buffer)                                                                          \
	X(MHD_create_response_from_callback)                                                                        \
	X(MHD_destroy_post_processor)                                                                               \
	X(MHD_destroy_response)                                                                                     \
	X(MHD_get_connection_info)                                                                                  \
	X(MHD_get_connection_values)                                                                                \
	X(MHD_get_daemon_info)                                                                                      \
	X(MHD_lookup_connection_value)                                                                              \
	X(MHD_post_process)                                                                                         \
	X(MHD_queue_response)                                                                                       \
	X(MHD_resume_connection)                                                                                    \
	X(MHD_set_connection_option)                                                                                \
	X(MHD_start_daemon)                                                                                         \
	X(MHD_stop_daemon)                                                                                          \
	X(MHD_suspend_connection)

#define MHD_MEMBER(name) __typeof__(name) *name;
static struct {
	MHD_FUNCS(MHD_MEMBER)
} mhd;
#undef MHD_MEMBER

static pthread_once_t mhd_once = PTHREAD_ONCE_INIT;
static bool mhd_ok;
static char mhd_err[512]; /* why libmicrohttpd could not be loaded (written once, by mhd_load) */

#define MHD_NAME(name) #name,
static const char *const mhd_names[] = {MHD_FUNCS(MHD_NAME)};
#undef MHD_NAME
_Static_assert(sizeof mhd == sizeof mhd_names / sizeof *mhd_names * sizeof(void *),
	       "mhd: one function pointer a name, nothing else");

static void mhd_load(void)
{
	mhd_ok = dynlib_open("libmicrohttpd.so.12", "libmicrohttpd (libmicrohttpd.so.12) to serve HTTP", mhd_names, sizeof mhd_names / sizeof *mhd_names,
			     &mhd, mhd_err, sizeof mhd_err);
}

#define MHD_add_response_header mhd.MHD_add_response_header
#define MHD_create_post_processor mhd.MHD_create_post_processor
#define MHD_create_response_from_buffer mhd.MHD_create_response_from_buffer
#define MHD_create_response_from_callback mhd.MHD_create_response_from_callback
#define MHD_destroy_post_processor mhd.MHD_destroy_post_processor
#define MHD_destroy_response mhd.MHD_destroy_response
#define MHD_get_connection_info mhd.MHD_get_connection_info
#define MHD_get_connection_values mhd.MHD_get_connection_values
#define MHD_get_daemon_info mhd.MHD_get_daemon_info
#define MHD_lookup_connection_value mhd.MHD_lookup_connection_value
#define MHD_post_process mhd.MHD_post_process
#define MHD_queue_response mhd.MHD_queue_response
#define MHD_resume_connection mhd.MHD_resume_connection
#define MHD_set_connection_option mhd.MHD_set_connection_option
#define MHD_start_daemon mhd.MHD_start_daemon
#define MHD_stop_daemon mhd.MHD_stop_daemon
#define MHD_suspend_connection mhd.MHD_suspend_connection

#define MAX_EXTRA_HEADERS 8

/* SAFEGUARD_REQ_TRACE, read once by http_start (server.h http_mark). */
static bool tracing;

struct http_server {
	struct MHD_Daemon *d;
	http_handler handler;
	void *ctx;
	bool (*streamed)(const char *method, const char *path, void *ctx);
	size_t (*admit)(http_request *rq, void *ctx);
	unsigned port;
};

struct header {
	char *name, *value;
};

struct http_request {
	struct MHD_Connection *conn;
	http_server *srv;
	char method[16];
	/* The path (at most HTTP_PATH_MAX - 1 bytes), allocated to its length: with a 2 KiB array in it the request was
	 * a 3.2 KiB calloc, past glibc's per-thread cache (1,032 bytes), so every request went to the arena's large
	 * bins (malloc_consolidate) and zeroed 3 KiB (~2 us an intake request, r-sqlcpu23). NULL until set. */
	char *path;
	char *body;
	size_t len, cap;
	size_t limit;          /* the most the body may hold (admit), at most HTTP_BODY_MAX */
	bool expect_continue;  /* the client waits for "100 Continue" before it sends the body */
	/* Answered before the body was read: the rest is read and dropped, then the answer is queued. */
	bool draining;
	unsigned long long drained;
	struct timespec drain_start;
	bool handled;   /* the handler has been called */
	bool suspended; /* the handler handed the request to another thread */
	bool responded;
	int status;
	const char *ctype;
	char *resp;
	const void *resp_static; /* http_respond_static: not ours to free */
	size_t resp_len;
	struct header extra[MAX_EXTRA_HEADERS];
	int nextra;
	struct header *form;
	int nform;
	bool form_parsed;
	http_handler cont;
	void *cont_ctx;
	void (*cont_release)(void *ctx);
	void *data; /* http_set_data */
	void (*data_release)(void *data);
	/* A streamed body (http_stream_body): where it goes, how much came. */
	bool streamed, ended;
	struct http_sink sink;
	void *sink_ctx;
	bool sink_live;          /* sink.release not yet called */
	unsigned long long received;
	/* A streamed form (http_stream_form): the post processor and where its fields go. */
	struct MHD_PostProcessor *pp;
	http_form_field_fn form_field;
	/* A streamed answer (http_respond_stream). */
	http_body_reader out_read;
	void (*out_release)(void *ctx);
	void *out_ctx;
	unsigned long long out_len;
	bool queued;
	reqtrace *trace; /* when tracing (reqtrace.h: the last-mark rule): allocated at the first mark, as the path */
};

static void respond_error(http_request *rq, int status, const char *code, const char *message);

/* ---- request accessors ---- */

const char *http_method(http_request *rq) { return rq->method; }

const char *http_cookie(http_request *rq, const char *name)
{
	return MHD_lookup_connection_value(rq->conn, MHD_COOKIE_KIND, name);
}

void http_set_data(http_request *rq, void *data, void (*release)(void *data))
{
	if (rq->data && rq->data_release)
		rq->data_release(rq->data);
	rq->data = data;
	rq->data_release = release;
}

void *http_data(http_request *rq) { return rq->data; }
const char *http_path(http_request *rq) { return rq->path ? rq->path : ""; }

const char *http_header(http_request *rq, const char *name)
{
	return MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, name);
}

const char *http_query(http_request *rq, const char *name)
{
	return MHD_lookup_connection_value(rq->conn, MHD_GET_ARGUMENT_KIND, name);
}

struct query_walk {
	int (*fn)(const char *name, const char *value, void *ctx);
	void *ctx;
};

static enum MHD_Result query_arg(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	const struct query_walk *w = cls;
	return w->fn(key, value, w->ctx) == 0 ? MHD_YES : MHD_NO;
}

void http_query_each(http_request *rq, int (*fn)(const char *name, const char *value, void *ctx), void *ctx)
{
	struct query_walk w = {fn, ctx};
	MHD_get_connection_values(rq->conn, MHD_GET_ARGUMENT_KIND, query_arg, &w);
}

const char *http_body(http_request *rq, size_t *len)
{
	*len = rq->len;
	return rq->body ? rq->body : "";
}

long long http_content_length(http_request *rq)
{
	const char *cl = MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
	char *end = NULL;
	if (!cl)
		return -1;
	unsigned long long n = strtoull(cl, &end, 10);
	return end == cl || *end || n > (unsigned long long)LLONG_MAX ? LLONG_MAX : (long long)n;
}

void http_stream_body(http_request *rq, const struct http_sink *sink, void *ctx)
{
	rq->sink = *sink;
	rq->sink_ctx = ctx;
	rq->sink_live = true;
}

static enum MHD_Result stream_form_field(void *cls, enum MHD_ValueKind kind, const char *key, const char *filename,
					 const char *content_type, const char *transfer_encoding, const char *data,
					 uint64_t off, size_t size)
{
	http_request *rq = cls;
	if (!rq->form_field || !rq->sink_live) /* refused, or the request is over: nothing more goes to the sink */
		return MHD_NO;
	/* libmicrohttpd passes a multipart part without a name as a NULL key, and an empty piece may come as NULL
	 * data (fuzz_http, ci4): the sinks see "" for both, never NULL. */
	return rq->form_field(rq, key ? key : "", filename, content_type, data ? data : "", (unsigned long long)off,
			      size, rq->sink_ctx) == 0
		       ? MHD_YES
		       : MHD_NO;
}

static int stream_form_chunk(http_request *rq, const char *data, size_t len, void *ctx)
{
	if (MHD_post_process(rq->pp, data, len) == MHD_YES)
		return 0;
	if (!rq->responded && rq->sink.unreadable)
		rq->sink.unreadable(rq, ctx);
	if (!rq->responded)
		respond_error(rq, 400, "invalid_value", "the form could not be read");
	return -1;
}

int http_stream_form(http_request *rq, const struct http_sink *sink, http_form_field_fn field, void *ctx)
{
	/* 16 KiB: the post processor's buffer for a part's headers and a field's pieces. */
	rq->pp = MHD_create_post_processor(rq->conn, 16 * 1024, stream_form_field, rq);
	if (!rq->pp)
		return -1;
	rq->form_field = field;
	struct http_sink s = *sink;
	s.chunk = stream_form_chunk;
	http_stream_body(rq, &s, ctx);
	return 0;
}

static void sink_release(http_request *rq)
{
	if (rq->sink_live) {
		rq->sink_live = false;
		if (rq->sink.release)
			rq->sink.release(rq->sink_ctx);
	}
}

bool http_remote_is_loopback(http_request *rq)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(rq->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (!ci || !ci->client_addr)
		return false;
	const struct sockaddr *sa = ci->client_addr;
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)(const void *)sa;
		return (ntohl(in->sin_addr.s_addr) >> 24) == 127;
	}
	if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)(const void *)sa;
		return IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr);
	}
	return false;
}

void http_remote_address(http_request *rq, char out[HTTP_REMOTE_MAX])
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(rq->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	out[0] = '\0';
	if (!ci || !ci->client_addr)
		return;
	const struct sockaddr *sa = ci->client_addr;
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, out, HTTP_REMOTE_MAX);
	else if (sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, out, HTTP_REMOTE_MAX);
}

/* Called by the post processor with each field, possibly in pieces (off > 0 continues the last one). */
static enum MHD_Result form_field(void *cls, enum MHD_ValueKind kind, const char *key, const char *filename,
				  const char *content_type, const char *transfer_encoding, const char *data,
				  uint64_t off, size_t size)
{
	http_request *rq = cls;
	struct header *f;
	if (off == 0) {
		if (rq->nform >= HTTP_FORM_FIELDS_MAX)
			return MHD_NO;
		f = &rq->form[rq->nform];
		if (!(f->name = strdup(key ? key : "")) || !(f->value = calloc(1, size + 1))) { /* NULL key: as above */
			free(f->name);
			f->name = NULL;
			return MHD_NO;
		}
		rq->nform++;
	} else {
		f = &rq->form[rq->nform - 1];
		char *v = realloc(f->value, off + size + 1);
		if (!v)
			return MHD_NO;
		f->value = v;
	}
	if (size)
		memcpy(f->value + off, data, size);
	f->value[off + size] = '\0';
	return MHD_YES;
}

const char *http_form(http_request *rq, const char *name)
{
	if (!rq->form_parsed) {
		rq->form_parsed = true;
		const char *ct = http_header(rq, MHD_HTTP_HEADER_CONTENT_TYPE);
		if (!ct || strncasecmp(ct, MHD_HTTP_POST_ENCODING_FORM_URLENCODED,
				       strlen(MHD_HTTP_POST_ENCODING_FORM_URLENCODED)) != 0)
			return NULL;
		if (!(rq->form = calloc(HTTP_FORM_FIELDS_MAX, sizeof *rq->form)))
			return NULL;
		struct MHD_PostProcessor *pp = MHD_create_post_processor(rq->conn, 4096, form_field, rq);
		if (pp) {
			if (rq->len)
				MHD_post_process(pp, rq->body, rq->len);
			MHD_destroy_post_processor(pp);
		}
	}
	for (int i = 0; i < rq->nform; i++)
		if (strcmp(rq->form[i].name, name) == 0)
			return rq->form[i].value;
	return NULL;
}

/* ---- answers ---- */

void http_respond(http_request *rq, int status, const char *content_type, char *body, size_t len)
{
	if (rq->responded) { /* a second answer is a bug in the caller; keep the first */
		free(body);
		return;
	}
	rq->status = status;
	rq->ctype = content_type;
	rq->resp = body;
	rq->resp_len = body ? len : 0;
	rq->responded = true;
}

void http_respond_static(http_request *rq, int status, const char *content_type, const void *body, size_t len)
{
	if (rq->responded)
		return;
	rq->status = status;
	rq->ctype = content_type;
	rq->resp_static = body;
	rq->resp_len = body ? len : 0;
	rq->responded = true;
}

void http_respond_stream(http_request *rq, int status, const char *content_type, unsigned long long len,
			 http_body_reader read, void (*release)(void *ctx), void *ctx)
{
	if (rq->responded) {
		if (release)
			release(ctx);
		return;
	}
	rq->status = status;
	rq->ctype = content_type;
	rq->out_read = read;
	rq->out_release = release;
	rq->out_ctx = ctx;
	rq->out_len = len;
	rq->responded = true;
}

void http_add_header(http_request *rq, const char *name, const char *value)
{
	if (rq->nextra >= MAX_EXTRA_HEADERS)
		return;
	struct header *h = &rq->extra[rq->nextra];
	if (!(h->name = strdup(name)) || !(h->value = strdup(value))) {
		free(h->name);
		h->name = NULL;
		return;
	}
	rq->nextra++;
}

void http_suspend(http_request *rq)
{
	rq->suspended = true;
	MHD_suspend_connection(rq->conn);
}

void http_resume(http_request *rq)
{
	MHD_resume_connection(rq->conn);
}

void http_continue_with(http_request *rq, http_handler fn, void *ctx, void (*release)(void *ctx))
{
	rq->cont = fn;
	rq->cont_ctx = ctx;
	rq->cont_release = release;
}

/* ---- per-request timings (server.h) ---- */

bool http_tracing(void) { return tracing; }

static double clock_seconds(clockid_t id)
{
	struct timespec t;
	clock_gettime(id, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void mark_add(http_request *rq, const char *what, double t, double cpu)
{
	if (!rq->trace && !(rq->trace = calloc(1, sizeof *rq->trace)))
		return; /* a trace is a measurement: without memory the request goes on untraced */
	reqtrace_put(rq->trace, what, t, cpu, pthread_self(), false);
}

void http_mark(http_request *rq, const char *what)
{
	if (tracing)
		mark_add(rq, what, clock_seconds(CLOCK_MONOTONIC), clock_seconds(CLOCK_THREAD_CPUTIME_ID));
}

void http_mark_at(http_request *rq, const char *what, double mono_seconds)
{
	if (tracing)
		mark_add(rq, what, mono_seconds, -1);
}

static bool has_extra(const http_request *rq, const char *name)
{
	for (int i = 0; i < rq->nextra; i++)
		if (strcasecmp(rq->extra[i].name, name) == 0)
			return true;
	return false;
}

/* A streamed answer belongs to its response once queued: libmicrohttpd frees the response after the
 * request's completion callback, so the request cannot be its context. */
struct out_stream {
	http_body_reader read;
	void (*release)(void *ctx);
	void *ctx;
};

static ssize_t out_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct out_stream *o = cls;
	long n = o->read(o->ctx, buf, max);
	return n > 0 ? (ssize_t)n : MHD_CONTENT_READER_END_WITH_ERROR;
}

static void out_free(void *cls)
{
	struct out_stream *o = cls;
	if (o->release)
		o->release(o->ctx);
	free(o);
}

/* An answer that was never queued gives its context back. */
static void out_drop(http_request *rq)
{
	if (rq->out_read && rq->out_release)
		rq->out_release(rq->out_ctx);
	rq->out_read = NULL;
	rq->out_release = NULL;
}

static enum MHD_Result queue(http_request *rq)
{
	struct MHD_Response *r;
	if (rq->queued)
		return MHD_YES;
	rq->queued = true;
	http_mark(rq, "queue");
	if (rq->out_read) {
		struct out_stream *o = malloc(sizeof *o);
		r = o ? MHD_create_response_from_callback(rq->out_len, 64 * 1024, out_read, o, out_free) : NULL;
		if (!r) {
			free(o);
			out_drop(rq);
			return MHD_NO;
		}
		*o = (struct out_stream){rq->out_read, rq->out_release, rq->out_ctx};
		rq->out_read = NULL;
		rq->out_release = NULL;
	} else {
		void *static_body = rq->resp_static ? (void *)rq->resp_static : (void *)"";
		r = MHD_create_response_from_buffer(rq->resp_len, rq->resp ? rq->resp : static_body,
						    rq->resp ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
		if (!r)
			return MHD_NO;
		rq->resp = NULL; /* owned by the response now */
	}
	if (rq->ctype)
		MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, rq->ctype);
	for (int i = 0; i < rq->nextra; i++)
		MHD_add_response_header(r, rq->extra[i].name, rq->extra[i].value);
	/* Security headers on every answer; a handler may set its own Cache-Control or CSP. */
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "X-Frame-Options", "DENY");
	if (!has_extra(rq, "Referrer-Policy"))
		MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(r, "Cross-Origin-Opener-Policy", "same-origin");
	MHD_add_response_header(r, "Cross-Origin-Resource-Policy", "same-origin");
	if (!has_extra(rq, "Cache-Control"))
		MHD_add_response_header(r, "Cache-Control", "no-store");
	if (!has_extra(rq, "Content-Security-Policy"))
		MHD_add_response_header(r, "Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
	enum MHD_Result ret = MHD_queue_response(rq->conn, (unsigned)rq->status, r);
	MHD_destroy_response(r);
	return ret;
}

static void respond_error(http_request *rq, int status, const char *code, const char *message)
{
	char buf[256];
	int n = snprintf(buf, sizeof buf, "{\"error\":{\"code\":\"%s\",\"field\":null,\"message\":\"%s\"}}", code,
			 message);
	char *body = malloc((size_t)n + 1);
	if (body)
		memcpy(body, buf, (size_t)n + 1);
	http_respond(rq, status, "application/json", body, body ? (size_t)n : 0);
}

/* ---- answers before the body: lingering close ---- */

/* A body of unknown length follows (libmicrohttpd reads any Transfer-Encoding as chunked). */
static bool chunked(http_request *rq)
{
	return http_header(rq, MHD_HTTP_HEADER_TRANSFER_ENCODING) != NULL;
}

/* Whether a body follows the headers. */
static bool has_body(http_request *rq)
{
	return chunked(rq) || http_content_length(rq) > 0;
}

static void body_too_large(http_request *rq, unsigned long long max)
{
	char msg[96];
	if (max == HTTP_BODY_MAX)
		snprintf(msg, sizeof msg, "the request body is over 1 MiB");
	else
		snprintf(msg, sizeof msg, "the request body is over the limit for this resource (%llu bytes)", max);
	respond_error(rq, 413, "body_too_large", msg);
}

/* From now on the body is read and dropped; the answer waits for its end (drain()). The connection's idle
 * timeout is shortened while it does, as nginx's lingering_timeout. */
static void drain_start(http_request *rq)
{
	rq->draining = true;
	clock_gettime(CLOCK_MONOTONIC, &rq->drain_start);
	MHD_set_connection_option(rq->conn, MHD_CONNECTION_OPTION_TIMEOUT, (unsigned)HTTP_DRAIN_IDLE_SECONDS);
}

/*
 * The request has been answered (rq->responded) before its body was read. libmicrohttpd treats an answer
 * queued before the body as "the body is not wanted": it sends it, reads nothing more and closes, so a
 * client still writing its body meets a reset (EPIPE) before it reads the answer, and libmicrohttpd has no
 * option to linger. So the answer is kept and queued once the body has been read and dropped, the way its
 * maintainer describes (https://github.com/Karlson2k/libmicrohttpd/issues/14): drain() below. Queued at
 * once when nothing is coming: the client waits for "100 Continue" (it sends no body when told no), the
 * request has no body, or the body declared is more than we would wait for.
 */
static enum MHD_Result answer_before_body(http_request *rq)
{
	long long cl = http_content_length(rq);
	bool ch = chunked(rq);
	if (rq->expect_continue || (!ch && (cl <= 0 || (unsigned long long)cl > HTTP_DRAIN_MAX)))
		return queue(rq);
	drain_start(rq);
	return MHD_YES;
}

static double seconds_since(const struct timespec *t0)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t0->tv_sec) + (double)(now.tv_nsec - t0->tv_nsec) / 1e9;
}

/* A piece of a refused body (n bytes), or its end (n == 0: the answer goes out). Past a bound the connection
 * is closed without an answer. A monotonic clock: this bounds the network, it is not the service's "now". */
static enum MHD_Result drain(http_request *rq, size_t n)
{
	if (n == 0) { /* the body is over: the connection is in step again and may carry the next request */
		rq->draining = false;
		MHD_set_connection_option(rq->conn, MHD_CONNECTION_OPTION_TIMEOUT, (unsigned)HTTP_IDLE_TIMEOUT_SECONDS);
		return queue(rq);
	}
	rq->drained += n;
	if (rq->drained > HTTP_DRAIN_MAX || seconds_since(&rq->drain_start) > HTTP_DRAIN_SECONDS)
		return MHD_NO;
	return MHD_YES;
}

/* ---- streamed bodies ---- */

/* The headers are in: the handler decides (authentication, the policy, the shape of the request) before any
 * byte of the body is accepted, and either answers or hands the body to a sink. */
static enum MHD_Result stream_start(http_request *rq)
{
	rq->streamed = true;
	rq->handled = true;
	rq->srv->handler(rq, rq->srv->ctx);
	if (!rq->responded && !rq->sink_live)
		respond_error(rq, 500, "internal", "no answer was produced");
	if (!rq->responded) {
		long long cl = http_content_length(rq);
		if (cl >= 0 && (unsigned long long)cl > rq->sink.max) {
			sink_release(rq);
			respond_error(rq, 413, "body_too_large", "the request body is over the limit for this resource");
		}
	}
	if (rq->responded) {
		rq->ended = true;
		sink_release(rq);
		return answer_before_body(rq); /* nothing of the body is kept */
	}
	return MHD_YES;
}

static enum MHD_Result stream_chunk(http_request *rq, const char *data, size_t n)
{
	if (rq->received + n > rq->sink.max) {
		rq->ended = true;
		sink_release(rq); /* what it made (a temporary file) is gone before the client hears 413 */
		respond_error(rq, 413, "body_too_large", "the request body is over the limit for this resource");
		drain_start(rq);
		return drain(rq, n);
	}
	rq->received += n;
	if (rq->sink.chunk(rq, data, n, rq->sink_ctx) != 0) {
		rq->ended = true;
		sink_release(rq);
		if (!rq->responded)
			respond_error(rq, 500, "internal", "the request body could not be kept");
		drain_start(rq);
		return drain(rq, n);
	}
	return MHD_YES;
}

/* ---- libmicrohttpd callbacks ---- */

/* The headers are in (the first call for a request). */
static enum MHD_Result request_start(http_server *srv, http_request *rq, const char *url, const char *method,
				     const char *version)
{
	const char *expect = http_header(rq, MHD_HTTP_HEADER_EXPECT);
	/* As libmicrohttpd decides whether to send "100 Continue" (HTTP/1.1 only). */
	rq->expect_continue = expect && strcasecmp(expect, "100-continue") == 0 && strcmp(version, MHD_HTTP_VERSION_1_1) == 0;
	snprintf(rq->method, sizeof rq->method, "%s", method);
	size_t url_len = strlen(url);
	if (url_len >= HTTP_PATH_MAX) {
		respond_error(rq, 414, "uri_too_long", "the request path is too long");
		return answer_before_body(rq);
	}
	if (!(rq->path = malloc(url_len + 1)))
		return MHD_NO;
	memcpy(rq->path, url, url_len + 1);
	if (srv->streamed && srv->streamed(rq->method, rq->path, srv->ctx))
		return stream_start(rq);
	rq->limit = HTTP_BODY_MAX;
	if (srv->admit && has_body(rq)) {
		/* Who is asking and for what, before a byte of the body is kept. */
		size_t limit = srv->admit(rq, srv->ctx);
		if (rq->responded)
			return answer_before_body(rq);
		if (limit < rq->limit)
			rq->limit = limit;
	}
	long long cl = http_content_length(rq);
	if (cl > 0 && (unsigned long long)cl > rq->limit) {
		body_too_large(rq, rq->limit);
		return answer_before_body(rq);
	}
	return MHD_YES;
}

/* A piece of a body being buffered for the handler. */
static enum MHD_Result body_piece(http_request *rq, const char *data, size_t n)
{
	if (rq->len + n > rq->limit) { /* a chunked body: its length was not declared */
		free(rq->body);
		rq->body = NULL;
		rq->len = rq->cap = 0;
		body_too_large(rq, rq->limit);
		drain_start(rq);
		return drain(rq, n);
	}
	if (rq->len + n + 1 > rq->cap) {
		size_t cap = rq->cap ? rq->cap : 4096;
		while (cap < rq->len + n + 1)
			cap *= 2;
		if (cap > rq->limit + 1)
			cap = rq->limit + 1;
		char *b = realloc(rq->body, cap);
		if (!b)
			return MHD_NO;
		rq->body = b;
		rq->cap = cap;
	}
	memcpy(rq->body + rq->len, data, n);
	rq->len += n;
	rq->body[rq->len] = '\0';
	return MHD_YES;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
				  const char *version, const char *upload_data, size_t *upload_data_size,
				  void **con_cls)
{
	http_server *srv = cls;
	http_request *rq = *con_cls;

	if (!rq) {
		if (!(rq = calloc(1, sizeof *rq)))
			return MHD_NO;
		*con_cls = rq;
		rq->conn = conn;
		rq->srv = srv;
		http_mark(rq, "in");
		return request_start(srv, rq, url, method, version);
	}

	size_t n = *upload_data_size;
	*upload_data_size = 0;
	if (rq->draining)
		return drain(rq, n);
	if (n && rq->streamed)
		return stream_chunk(rq, upload_data, n);
	if (rq->streamed && !rq->ended) { /* the whole body is in */
		rq->ended = true;
		if (rq->pp) { /* the last field's last piece */
			MHD_destroy_post_processor(rq->pp);
			rq->pp = NULL;
		}
		if (!rq->responded) {
			rq->sink.end(rq, rq->sink_ctx);
			if (rq->suspended)
				return MHD_YES; /* answered later, after http_resume() */
		}
	}
	if (n)
		return body_piece(rq, upload_data, n);

	if (rq->responded && !rq->handled)
		return queue(rq); /* an early answer (413, 414) */
	if (!rq->handled) {
		rq->handled = true;
		http_mark(rq, "handler");
		srv->handler(rq, srv->ctx);
		if (rq->suspended)
			return MHD_YES; /* answered later, after http_resume() */
	}
	if (!rq->responded && rq->cont) { /* resumed: the rest of the work runs here */
		http_handler fn = rq->cont;
		rq->cont = NULL;
		http_mark(rq, "resumed");
		fn(rq, rq->cont_ctx);
	}
	if (!rq->responded)
		respond_error(rq, 500, "internal", "no answer was produced");
	return queue(rq);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	http_request *rq = *con_cls;
	if (!rq)
		return;
	if (tracing && rq->trace && rq->trace->n > 0) {
		reqtrace_put(rq->trace, toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "sent" : "ended",
			     clock_seconds(CLOCK_MONOTONIC), clock_seconds(CLOCK_THREAD_CPUTIME_ID), pthread_self(), true);
		char line[1024];
		if (reqtrace_line(rq->trace, rq->status, rq->method, line, sizeof line))
			fputs(line, stderr);
	}
	if (rq->cont && rq->cont_release)
		rq->cont_release(rq->cont_ctx);
	if (rq->data && rq->data_release)
		rq->data_release(rq->data);
	rq->form_field = NULL;
	if (rq->pp)
		MHD_destroy_post_processor(rq->pp);
	sink_release(rq);
	out_drop(rq);
	free(rq->body);
	free(rq->resp);
	for (int i = 0; i < rq->nextra; i++) {
		free(rq->extra[i].name);
		free(rq->extra[i].value);
	}
	for (int i = 0; i < rq->nform; i++) {
		free(rq->form[i].name);
		free(rq->form[i].value);
	}
	free(rq->form);
	free(rq->path);
	free(rq->trace);
	free(rq);
	*con_cls = NULL;
}

/* ---- start and stop ---- */

static int parse_listen(const char *listen, struct sockaddr_storage *ss, char *err, size_t errsz)
{
	char host[128];
	const char *colon = listen ? strrchr(listen, ':') : NULL;
	if (!colon || colon == listen || (size_t)(colon - listen) >= sizeof host) {
		snprintf(err, errsz, "--listen must be HOST:PORT, e.g. 127.0.0.1:8080");
		return -1;
	}
	memcpy(host, listen, (size_t)(colon - listen));
	host[colon - listen] = '\0';
	char *end = NULL;
	long port = strtol(colon + 1, &end, 10);
	if (end == colon + 1 || *end || port < 0 || port > 65535) {
		snprintf(err, errsz, "--listen: port must be a number from 0 to 65535");
		return -1;
	}
	memset(ss, 0, sizeof *ss);
	if (strcmp(host, "localhost") == 0)
		snprintf(host, sizeof host, "127.0.0.1");
	size_t hl = strlen(host);
	if (hl > 2 && host[0] == '[' && host[hl - 1] == ']') {
		struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;
		host[hl - 1] = '\0';
		if (inet_pton(AF_INET6, host + 1, &in6->sin6_addr) != 1)
			goto bad;
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((uint16_t)port);
		return 0;
	}
	struct sockaddr_in *in = (struct sockaddr_in *)ss;
	if (inet_pton(AF_INET, host, &in->sin_addr) != 1)
		goto bad;
	in->sin_family = AF_INET;
	in->sin_port = htons((uint16_t)port);
	return 0;
bad:
	snprintf(err, errsz, "--listen: '%s' is not an IP address (use 127.0.0.1, [::1] or localhost)", host);
	return -1;
}

int http_start(const struct http_options *o, http_server **out, char *err, size_t errsz)
{
	struct sockaddr_storage ss;
	*out = NULL;
	if (parse_listen(o->listen, &ss, err, errsz) != 0)
		return -1;
	pthread_once(&mhd_once, mhd_load);
	if (!mhd_ok) {
		snprintf(err, errsz, "%s", mhd_err);
		return -1;
	}
	http_server *s = calloc(1, sizeof *s);
	if (!s) {
		snprintf(err, errsz, "out of memory");
		return -1;
	}
	s->handler = o->handler;
	s->ctx = o->ctx;
	s->streamed = o->streamed;
	s->admit = o->admit;
	tracing = getenv("SAFEGUARD_REQ_TRACE") != NULL;
	unsigned per_address = o->per_address > HTTP_CONNECTIONS_MAX ? HTTP_CONNECTIONS_MAX : o->per_address;
	unsigned threads = o->threads;
	if (!threads) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);
		threads = n > 0 ? (unsigned)n * 2 : 2;
	}
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME;
	if (ss.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	s->d = MHD_start_daemon(flags, 0, NULL, NULL, on_request, s,
				MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
				MHD_OPTION_THREAD_POOL_SIZE, threads,
				MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)HTTP_IDLE_TIMEOUT_SECONDS,
				MHD_OPTION_CONNECTION_LIMIT, (unsigned)HTTP_CONNECTIONS_MAX,
				MHD_OPTION_PER_IP_CONNECTION_LIMIT, per_address,
				/* A connection's pool (its headers, read and write buffers). 32 KiB, libmicrohttpd's own
				 * default (64 KiB before r-sqlcpu23): libmicrohttpd 0.9.75 zeroes the whole pool each
				 * time a kept-alive connection takes its next request, and the 64 KiB memset was the
				 * request threads' largest symbol (11% of their samples under intake). Headers past it
				 * are refused by libmicrohttpd (431) as before, at half the size. */
				MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(32 * 1024),
				MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
				MHD_OPTION_END);
	if (!s->d) {
		snprintf(err, errsz, "cannot listen on %s (in use, or not an address of this machine)", o->listen);
		free(s);
		return -1;
	}
	const union MHD_DaemonInfo *di = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT);
	s->port = di ? di->port : 0;
	*out = s;
	return 0;
}

unsigned http_port(http_server *s)
{
	return s->port;
}

void http_stop(http_server *s)
{
	if (!s)
		return;
	MHD_stop_daemon(s->d);
	free(s);
}
