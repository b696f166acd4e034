/*
 * bench/loadgen_curl — bench/loadgen's loop through libcurl's multi interface, kept to measure what the
 * library costs an event against the hand-written client (docs/BENCHMARKS.md "Intake with a load generator
 * in C"): the same requests (bench/intake_fixed.mjs's path, headers, token per agency), CLIENTS easy handles
 * on kept-alive connections, each with one request in flight, RECORDS records, the same RESULT line.
 *
 *   SAFEGUARD_EVENTS=FILE SAFEGUARD_TOKEN_POLICE=... [CLIENTS=32] [RECORDS=N] loadgen_curl http://127.0.0.1:PORT
 *
 * bench/intake_cpu.sh runs it with BENCH_LOADGEN=c BENCH_LOADGEN_BIN=build/bench/loadgen_curl. Exits non-zero
 * on a transfer error or a non-2xx answer, as loadgen does.
 */
#include <curl/curl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#define AGENCIES 16

struct record {
	const char *body;
	size_t len;
	int agency;
	size_t line;
};

struct handle {
	CURL *easy;
	struct record *rec;
	uint64_t t0;
};

static uint64_t now_us(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000u + (uint64_t)t.tv_nsec / 1000u;
}

static size_t discard(char *p, size_t size, size_t n, void *u)
{
	return size * n;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	const char *events = getenv("SAFEGUARD_EVENTS");
	if (argc != 2 || !events) {
		fprintf(stderr, "usage: SAFEGUARD_EVENTS=FILE ... loadgen_curl http://HOST:PORT\n");
		return 2;
	}
	long clients = getenv("CLIENTS") ? strtol(getenv("CLIENTS"), NULL, 10) : 32;
	FILE *f = fopen(events, "rb");
	if (!f) {
		fprintf(stderr, "loadgen_curl: cannot open %s\n", events);
		return 2;
	}
	fseek(f, 0, SEEK_END);
	long flen = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *data = malloc((size_t)flen + 1);
	if (!data || fread(data, 1, (size_t)flen, f) != (size_t)flen)
		return 2;
	fclose(f);
	data[flen] = '\0';
	size_t lines = 0;
	for (long i = 0; i < flen; i++)
		lines += data[i] == '\n';
	long records = getenv("RECORDS") ? strtol(getenv("RECORDS"), NULL, 10) : (long)lines;
	if (records < 1 || (size_t)records > lines) {
		fprintf(stderr, "loadgen_curl: %s has %zu records, fewer than RECORDS\n", events, lines);
		return 2;
	}
	struct record *recs = calloc((size_t)records, sizeof *recs);
	if (!recs)
		return 2;
	char *agency_name[AGENCIES] = {0};
	struct curl_slist *headers[AGENCIES] = {0};
	int nagency = 0;
	char *p = data;
	for (long i = 0; i < records; i++) {
		char *nl = strchr(p, '\n'); /* there is one: records <= the count of newlines */
		*nl = '\0';
		char *a = p + strlen("{\"agency\":\""), *q = strchr(a, '"');
		if (strncmp(p, "{\"agency\":\"", 11) != 0 || !q || strncmp(q, "\",\"request\":", 12) != 0 || nl[-1] != '}') {
			fprintf(stderr, "loadgen_curl: %s line %ld: not {\"agency\":...}\n", events, i + 1);
			return 2;
		}
		*q = '\0';
		int k = 0;
		while (k < nagency && strcmp(agency_name[k], a) != 0)
			k++;
		if (k == nagency) {
			if (nagency == AGENCIES)
				return 2;
			char var[128] = "SAFEGUARD_TOKEN_", hdr[512];
			size_t v = strlen(var);
			for (const char *c = a; *c && v < sizeof var - 1; c++)
				var[v++] = (*c >= 'a' && *c <= 'z') ? (char)(*c - 'a' + 'A') : *c;
			var[v] = '\0';
			if (!getenv(var)) {
				fprintf(stderr, "loadgen_curl: %s is not set\n", var);
				return 2;
			}
			agency_name[nagency++] = a;
			snprintf(hdr, sizeof hdr, "Authorization: Bearer %s", getenv(var));
			headers[k] = curl_slist_append(NULL, "Content-Type: application/json");
			headers[k] = curl_slist_append(headers[k], hdr);
			headers[k] = curl_slist_append(headers[k], "Expect:");
		}
		recs[i].body = q + 12;
		recs[i].len = (size_t)(nl - 1 - recs[i].body);
		recs[i].agency = k;
		recs[i].line = (size_t)i + 1;
		p = nl + 1;
	}

	char url[512];
	snprintf(url, sizeof url, "%s/api/v1/events", argv[1]);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	CURLM *multi = curl_multi_init();
	curl_multi_setopt(multi, CURLMOPT_MAXCONNECTS, clients);
	curl_multi_setopt(multi, CURLMOPT_MAX_HOST_CONNECTIONS, clients);
	if (clients < 1 || clients > 1024) {
		fprintf(stderr, "loadgen_curl: CLIENTS must be 1 to 1024\n");
		return 2;
	}
	if (clients > records)
		clients = records;
	struct handle *hs = calloc((size_t)clients, sizeof *hs);
	uint64_t *lat = calloc((size_t)records, sizeof *lat);
	if (!multi || !hs || !lat)
		return 2;
	long next = 0, done = 0, bad = 0;
	uint64_t begin = now_us();
	for (long i = 0; i < clients; i++) {
		CURL *e = curl_easy_init();
		if (!e)
			return 2;
		hs[i].easy = e;
		curl_easy_setopt(e, CURLOPT_URL, url);
		curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, discard);
		curl_easy_setopt(e, CURLOPT_PRIVATE, &hs[i]);
		curl_easy_setopt(e, CURLOPT_TCP_NODELAY, 1L);
		hs[i].rec = &recs[next++];
		curl_easy_setopt(e, CURLOPT_HTTPHEADER, headers[hs[i].rec->agency]);
		curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE, (long)hs[i].rec->len);
		curl_easy_setopt(e, CURLOPT_POSTFIELDS, hs[i].rec->body);
		hs[i].t0 = now_us();
		curl_multi_add_handle(multi, e);
	}
	int running = 1;
	while (done < records) {
		curl_multi_perform(multi, &running);
		CURLMsg *m;
		int left;
		while ((m = curl_multi_info_read(multi, &left))) {
			if (m->msg != CURLMSG_DONE)
				continue;
			struct handle *h;
			curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&h);
			if (m->data.result != CURLE_OK) {
				fprintf(stderr, "loadgen_curl: record line %zu: %s\n", h->rec->line,
				        curl_easy_strerror(m->data.result));
				return 2;
			}
			long status;
			curl_easy_getinfo(h->easy, CURLINFO_RESPONSE_CODE, &status);
			lat[done++] = now_us() - h->t0;
			if (status < 200 || status >= 300)
				bad++;
			curl_multi_remove_handle(multi, h->easy);
			if (next < records) {
				h->rec = &recs[next++];
				curl_easy_setopt(h->easy, CURLOPT_HTTPHEADER, headers[h->rec->agency]);
				curl_easy_setopt(h->easy, CURLOPT_POSTFIELDSIZE, (long)h->rec->len);
				curl_easy_setopt(h->easy, CURLOPT_POSTFIELDS, h->rec->body);
				h->t0 = now_us();
				curl_multi_add_handle(multi, h->easy);
			}
		}
		if (done < records)
			curl_multi_poll(multi, NULL, 0, 1000, NULL);
	}
	uint64_t dur = now_us() - begin;
	qsort(lat, (size_t)done, sizeof *lat, cmp_u64);
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	unsigned long long cpu_us = (unsigned long long)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000u +
	                            (unsigned long long)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec);
	printf("RESULT requests=%ld errors_status=%ld duration_us=%llu p50_us=%llu p99_us=%llu max_us=%llu cpu_us=%llu\n",
	       done, bad, (unsigned long long)dur, (unsigned long long)lat[done / 2],
	       (unsigned long long)lat[done * 99 / 100], (unsigned long long)lat[done - 1], cpu_us);
	return bad ? 1 : 0;
}
