/* http/server: connections opened together are spread over the server's threads (issue 17, r-pgpage31). Each
 * thread serves its own connections, one request at a time; libmicrohttpd's workers, accepting by themselves, took
 * up to ten new connections each in a row, so the record page's 16 benchmark connections landed 10/6/0/0 or
 * 8/5/3/0 on four threads and the busiest one's pages waited behind each other while threads idled. Here: eight
 * connections opened at once to a server of four threads, one request on each, and each thread answers two. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "http/server.h"

#define THREADS 4
#define CONNECTIONS 8

struct seen {
	pthread_mutex_t mu;
	pthread_t thread[CONNECTIONS];
	int n;
};

static void handler(http_request *rq, void *ctx)
{
	struct seen *s = ctx;
	pthread_mutex_lock(&s->mu);
	if (s->n < CONNECTIONS)
		s->thread[s->n++] = pthread_self();
	pthread_mutex_unlock(&s->mu);
	http_respond_static(rq, 200, "text/plain", "ok", 2);
}

/* One request on fd, its answer read to the body's "ok" (bounded: a few KiB, a 10 s receive timeout). */
static void one_request(int fd)
{
	static const char req[] = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
	assert_int_equal(write(fd, req, sizeof req - 1), (ssize_t)(sizeof req - 1));
	char buf[8192];
	size_t len = 0;
	while (len < sizeof buf - 1) {
		ssize_t r = read(fd, buf + len, sizeof buf - 1 - len);
		assert_true(r > 0);
		len += (size_t)r;
		buf[len] = '\0';
		char *end = strstr(buf, "\r\n\r\n");
		if (end && strcmp(end + 4, "ok") == 0)
			break;
	}
	assert_non_null(strstr(buf, "HTTP/1.1 200"));
}

static void connections_opened_together_are_spread_over_the_threads(void **state)
{
	(void)state;
	struct seen s = {.n = 0};
	pthread_mutex_init(&s.mu, NULL);
	http_server *srv = NULL;
	char err[256];
	struct http_options o = {.listen = "127.0.0.1:0", .threads = THREADS, .handler = handler, .ctx = &s};
	assert_int_equal(http_start(&o, &srv, err, sizeof err), 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)http_port(srv))};
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	/* Every client socket is made before the first connects, so that the server's own sockets (this process's
	 * too) take numbers one after another, as they do when the clients are other processes. */
	int fd[CONNECTIONS];
	for (int i = 0; i < CONNECTIONS; i++) {
		fd[i] = socket(AF_INET, SOCK_STREAM, 0);
		assert_true(fd[i] >= 0);
		struct timeval tv = {.tv_sec = 10};
		assert_int_equal(setsockopt(fd[i], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv), 0);
	}
	for (int i = 0; i < CONNECTIONS; i++)
		assert_int_equal(connect(fd[i], (struct sockaddr *)&a, sizeof a), 0);
	for (int i = 0; i < CONNECTIONS; i++)
		one_request(fd[i]);
	for (int i = 0; i < CONNECTIONS; i++)
		close(fd[i]);
	http_stop(srv);
	assert_int_equal(s.n, CONNECTIONS);
	/* how many of the connections each thread answered */
	int per[CONNECTIONS] = {0}, threads = 0;
	for (int i = 0; i < CONNECTIONS; i++) {
		int t = 0;
		while (t < threads && !pthread_equal(s.thread[t], s.thread[i]))
			t++;
		if (t == threads)
			s.thread[threads++] = s.thread[i];
		per[t]++;
	}
	assert_int_equal(threads, THREADS);
	for (int t = 0; t < threads; t++)
		assert_int_equal(per[t], CONNECTIONS / THREADS);
	pthread_mutex_destroy(&s.mu);
}

/* A server stopped at once, with nothing served, stops (its acceptor ends with it), and another starts after it. */
static void a_server_stops_and_another_starts(void **state)
{
	(void)state;
	struct seen s = {.n = 0};
	pthread_mutex_init(&s.mu, NULL);
	for (int i = 0; i < 3; i++) {
		http_server *srv = NULL;
		char err[256];
		struct http_options o = {.listen = "127.0.0.1:0", .threads = 2, .handler = handler, .ctx = &s};
		assert_int_equal(http_start(&o, &srv, err, sizeof err), 0);
		assert_true(http_port(srv) > 0);
		http_stop(srv);
	}
	assert_int_equal(s.n, 0);
	pthread_mutex_destroy(&s.mu);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(connections_opened_together_are_spread_over_the_threads),
		cmocka_unit_test(a_server_stops_and_another_starts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
