/* The CPU the /link-reviews page's model box costs (web/link_pages.c, model_view -> linktrain_quality) against
 * what it cost before mend13, when linktrain_quality also parsed the stored model's params (the name-frequency
 * tables) for the prior: that parse is now linktrain_model_figures, for `safeguard link model` only, so calling
 * it is the old page path. Both read the same row in one snapshot; they alternate, ROUNDS rounds of CALLS calls.
 *   make build/bench/link_model_page && build/bench/link_model_page sqlite:AREA.db [CALLS] [ROUNDS]
 * AREA.db holds a trained model (safeguard link train --db). Prints CPU microseconds a call
 * (CLOCK_PROCESS_CPUTIME_ID) for each path, each round, and the stored params' size and the CPU of their
 * parse alone (json_loads and json_decref, what the page no longer does). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "service/linktrain.h"
#include "store/store.h"

static double cpu_us(void)
{
	struct timespec t;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
	return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: link_model_page DB-URL [CALLS] [ROUNDS]\n");
		return 2;
	}
	int calls = argc > 2 ? atoi(argv[2]) : 200, rounds = argc > 3 ? atoi(argv[3]) : 5;
	char err[256] = "";
	store *st = NULL;
	if (store_open(argv[1], &st, err, sizeof err) != STORE_OK) {
		fprintf(stderr, "link_model_page: %s\n", err);
		return 1;
	}
	struct linktrain_quality q;
	double lambda = -1;
	if (linktrain_model_figures(st, &q, &lambda) != STORE_OK || !q.trained) {
		fprintf(stderr, "link_model_page: no trained model in %s\n", argv[1]);
		store_close(st);
		return 1;
	}
	printf("model %lld, lambda %.6g\n", (long long)q.model.id, lambda);
	struct store_link_model row;
	bool found = false;
	store_conn *c = store_conn_get(st);
	if (!c || store_link_model_latest(c, &row, &found) != STORE_OK || !found || !row.params) {
		fprintf(stderr, "link_model_page: cannot read the model's params\n");
		return 1;
	}
	store_conn_put(st, c);
	double p0 = cpu_us();
	for (int i = 0; i < calls; i++)
		json_decref(json_loads(row.params, 0, NULL));
	printf("params %zu bytes: their parse alone %.1f us/call\n", strlen(row.params), (cpu_us() - p0) / calls);
	free((void *)row.params);
	for (int r = 0; r < rounds; r++) {
		double t0 = cpu_us();
		for (int i = 0; i < calls; i++)
			if (linktrain_model_figures(st, &q, &lambda) != STORE_OK)
				return 1;
		double t1 = cpu_us();
		for (int i = 0; i < calls; i++)
			if (linktrain_quality(st, &q) != STORE_OK)
				return 1;
		double t2 = cpu_us();
		printf("round %d: before (params parsed) %.1f us/call, after (not parsed) %.1f us/call\n", r + 1,
		       (t1 - t0) / calls, (t2 - t1) / calls);
	}
	store_close(st);
	return 0;
}
