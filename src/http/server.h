/*
 * http/server.h — the HTTP server: GNU libmicrohttpd underneath, a small request/response surface above.
 *
 * The server reads the whole request body (up to HTTP_BODY_MAX, else 413 without reading more), then calls
 * the handler once. The handler answers at once with http_respond(), or calls http_suspend(), hands the
 * request to another thread, and that thread calls http_respond() and then http_resume() when the work
 * is done (the write path waits for its group commit this way without holding a server thread).
 *
 * No body is kept before the application has admitted it: when the headers of a request that carries a
 * body are in, the options' `admit` hook decides (the caller's credentials, the route) and either answers
 * at once (401, 403, 404...) or says how big this request's body may be. A body is never buffered for
 * someone the server would refuse.
 *
 * An answer given before the body has been read (admit's refusal, 413, and a streamed request's refusal)
 * reaches the client whether or not it asked first. One that sent "Expect: 100-continue" is answered at
 * once and sends no body. One that did not (Python's urllib, most libraries: they write the whole body and
 * only then read) has the rest of its body read and dropped before the answer is sent, as nginx's
 * "lingering close" does; closing with the body unread would make the kernel reset the connection and the
 * client would see a broken pipe instead of the status. Bounded: at most HTTP_DRAIN_MAX bytes (a body
 * declared bigger is answered at once and the connection closed), HTTP_DRAIN_SECONDS in all and
 * HTTP_DRAIN_IDLE_SECONDS of silence; past a bound the connection is closed without an answer.
 *
 * Streamed bodies (uploads bigger than any buffer should hold): for a request that the options' `streamed`
 * hook names, the handler is called as soon as the headers are in, before any byte of the body is accepted
 * (a client that sent "Expect: 100-continue" is not told to continue until then). It answers at once
 * (401, 403, 400: nothing of the body is kept; it is read and dropped, or never sent, as above) or calls
 * http_stream_body() with a sink that receives the body piece by piece and an end() that answers as a
 * handler does.
 *
 * Every response carries the security headers (no sniffing, no framing, no referrer, no caching of
 * personal data) and a Content-Security-Policy; a handler may set its own Cache-Control, Referrer-Policy
 * or Content-Security-Policy instead.
 */
#ifndef SAFEGUARD_HTTP_SERVER_H
#define SAFEGUARD_HTTP_SERVER_H

#include <stdbool.h>
#include <stddef.h>

#define HTTP_BODY_MAX (1024 * 1024)    /* 1 MiB */
/* The body of a request nobody is signed in for (a sign-in: a username, a password and a code). */
#define HTTP_PUBLIC_BODY_MAX (16 * 1024)
#define HTTP_IDLE_TIMEOUT_SECONDS 30   /* a connection silent this long is closed */
#define HTTP_PATH_MAX 2048
/* Lingering close (above). nginx's lingering_time and lingering_timeout defaults are 30 s and 5 s. */
#define HTTP_DRAIN_MAX (16ULL * 1024 * 1024) /* 16 MiB */
#define HTTP_DRAIN_SECONDS 30
#define HTTP_DRAIN_IDLE_SECONDS 5
/* Connections open at once, from everyone: the ceiling of what the server holds. */
#define HTTP_CONNECTIONS_MAX 1000
/* The default ceiling per client address (serve --max-connections-per-address), so that one address cannot
 * take every connection (1,010 slow sockets from one address starved /healthz before it). Far above what a
 * browser (6 per host) or an agency's system opens; behind a proxy every client shares the proxy's address,
 * so there the proxy should limit per client and this be raised (docs/SECURITY.md). */
#define HTTP_CONNECTIONS_PER_ADDRESS_DEFAULT 64

typedef struct http_server http_server;
typedef struct http_request http_request;

typedef void (*http_handler)(http_request *rq, void *ctx);

struct http_options {
	const char *listen;    /* "HOST:PORT"; HOST an IPv4 or IPv6 literal or "localhost"; PORT 0 picks a free one */
	unsigned threads;      /* server threads (0: two per core) */
	http_handler handler;
	void *ctx;
	/* Whether this request's body is streamed to a sink rather than buffered (may be NULL: none is). */
	bool (*streamed)(const char *method, const char *path, void *ctx);
	/* Called when the headers of a request that carries a body (Content-Length over 0, or chunked) are in,
	 * before a byte of it is read, unless the request is streamed (its handler decides then instead). Either
	 * answers at once (http_respond; never suspends) and the body is read and dropped, never kept; or
	 * returns the most this body may hold (capped at HTTP_BODY_MAX; a body over it is answered 413). What it
	 * keeps with http_set_data is there when the handler runs. NULL: every body may hold HTTP_BODY_MAX. */
	size_t (*admit)(http_request *rq, void *ctx);
	/* Connections at once from one client address (at most HTTP_CONNECTIONS_MAX); 0: no ceiling but the
	 * global HTTP_CONNECTIONS_MAX. A connection over it is closed as soon as it is accepted. */
	unsigned per_address;
};

/* Starts listening. err gets a message naming the problem (bad address, port in use). */
int http_start(const struct http_options *o, http_server **out, char *err, size_t errsz);
/* The port actually bound (useful with PORT 0). */
unsigned http_port(http_server *s);
void http_stop(http_server *s);

/* ---- the request, for the handler ---- */

const char *http_method(http_request *rq);
const char *http_path(http_request *rq);  /* without the query string */
const char *http_header(http_request *rq, const char *name); /* NULL when absent */
const char *http_query(http_request *rq, const char *name);  /* NULL when absent */
/* Each query argument in the order sent, decoded (value NULL for "?flag"). fn returns 0 to go on. */
void http_query_each(http_request *rq, int (*fn)(const char *name, const char *value, void *ctx), void *ctx);
const char *http_cookie(http_request *rq, const char *name); /* NULL when absent */
/* A value the application keeps with the request (the person signed in), released with it. */
void http_set_data(http_request *rq, void *data, void (*release)(void *data));
void *http_data(http_request *rq);
const char *http_body(http_request *rq, size_t *len);        /* NUL-terminated; len excludes the NUL */
bool http_remote_is_loopback(http_request *rq);
/* The client's address as text ("127.0.0.1", "::1"), "" when unknown: for throttling sign-ins. */
#define HTTP_REMOTE_MAX 46
void http_remote_address(http_request *rq, char out[HTTP_REMOTE_MAX]);
/* A field of an application/x-www-form-urlencoded body (parsed on first use by libmicrohttpd's post
 * processor), or NULL when absent or the body is not a form. At most HTTP_FORM_FIELDS_MAX fields. */
const char *http_form(http_request *rq, const char *name);
#define HTTP_FORM_FIELDS_MAX 64

/* ---- streamed bodies ---- */

struct http_sink {
	/* The body's ceiling: a Content-Length over it is answered 413 before a byte is read; a chunked body
	 * that passes it is answered 413 when it does (the rest is read and dropped, within the lingering
	 * close's bounds, so that the client hears it). */
	unsigned long long max;
	/* Each piece of the body as it arrives, in order, on a server thread. 0 to go on; negative to stop:
	 * the sink has answered (http_respond; else 500) and the rest of the body is read and dropped (within
	 * the lingering close's bounds). */
	int (*chunk)(http_request *rq, const char *data, size_t len, void *ctx);
	/* The whole body has arrived: answers, or suspends, as a handler does. */
	http_handler end;
	/* Called once: as soon as the body is refused (over max, or chunk() failed) so that nothing it made
	 * outlives the answer, else when the request is over (answered, or the client went away). */
	void (*release)(void *ctx);
	/* http_stream_form only, may be NULL: the body could not be read as a form; answers (NULL: 400). For a
	 * sink whose answer must not depend on the body (a refused upload, web/recordings_pages.c). */
	void (*unreadable)(http_request *rq, void *ctx);
};
/* From the handler of a streamed request, instead of answering: the body goes to sink (copied) with ctx. */
void http_stream_body(http_request *rq, const struct http_sink *sink, void *ctx);
/* A streamed multipart/form-data (or urlencoded) body, parsed as it arrives by libmicrohttpd's post
 * processor: field(name, filename, content_type, data, off, size) is called with each field's pieces in
 * order (off 0 starts a field; filename and content_type are NULL for a plain field). It returns 0 to go on,
 * negative to stop (it has answered, else 500; the rest of the body is dropped). sink's chunk is not used;
 * max, end and release are as for http_stream_body. */
typedef int (*http_form_field_fn)(http_request *rq, const char *name, const char *filename, const char *content_type,
				  const char *data, unsigned long long off, size_t size, void *ctx);
int http_stream_form(http_request *rq, const struct http_sink *sink, http_form_field_fn field, void *ctx);
/* The body's size as the client announced it (Content-Length), or -1 when chunked. */
long long http_content_length(http_request *rq);

/* ---- the answer ---- */

/* Takes ownership of body (malloc'd, may be NULL with len 0). Call once. */
void http_respond(http_request *rq, int status, const char *content_type, char *body, size_t len);
/* The same for bytes that outlive the server (embedded files): sent without a copy, never freed. */
void http_respond_static(http_request *rq, int status, const char *content_type, const void *body, size_t len);
/* A body of exactly len bytes produced as it is sent: read(ctx, buf, max) fills up to max bytes and returns
 * how many (> 0), or -1 to abandon the answer (the connection is closed; the client sees a short body).
 * release(ctx) runs once when the answer is done with, sent or not. */
typedef long (*http_body_reader)(void *ctx, char *buf, size_t max);
void http_respond_stream(http_request *rq, int status, const char *content_type, unsigned long long len,
			 http_body_reader read, void (*release)(void *ctx), void *ctx);
/* Adds a response header (copied); call before http_respond. */
void http_add_header(http_request *rq, const char *name, const char *value);

/* For handlers that answer from another thread: suspend before handing the request over; the other thread
 * calls http_respond() and then http_resume(). */
void http_suspend(http_request *rq);
void http_resume(http_request *rq);

/* For work that must wait for another thread and then run on a server thread (a read that may start only
 * once its audit entry is durable): set before http_suspend(); after http_resume(), fn(rq, ctx) runs on a
 * server thread and must answer. If the request ends before fn runs, release(ctx) is called instead. */
void http_continue_with(http_request *rq, http_handler fn, void *ctx, void (*release)(void *ctx));

/* Per-request timings (issue 17), a developer's switch: with SAFEGUARD_REQ_TRACE set when the server starts,
 * each request's marks (what, when, and the marking thread's CPU time) are written to stderr as one line when
 * it ends: "req-trace: STATUS METHOD, then what=+WALL_US/+CPU_US ..." from the headers' arrival to the last
 * byte handed to the kernel ("sent"), the CPU time a difference on one thread ("-" across threads). No path,
 * no query, nothing personal. Off, a mark is one test of a flag. http_mark_at marks a time taken elsewhere
 * (CLOCK_MONOTONIC seconds: the writer thread's for a read's audit entry). A request keeps 24 marks; past them
 * the final mark still ends the line and the rest are counted as "dropped=N" (http/reqtrace.h). */
bool http_tracing(void);
void http_mark(http_request *rq, const char *what);
void http_mark_at(http_request *rq, const char *what, double mono_seconds);

#endif
