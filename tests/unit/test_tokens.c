/* Unit tests for service/tokens on a real SQLite file: create, authenticate, refuse look-alikes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "service/tokens.h"
#include "service/txq.h"
#include "store/store.h"
#include "fixture.h"

static int seed_job(store_conn *c, void *arg)
{
	return tokens_seed_agencies(c);
}

struct create {
	const char *agency;
	char token[TOKEN_TEXT_MAX];
	bool found;
};

static int create_job(store_conn *c, void *arg)
{
	struct create *x = arg;
	return tokens_create(c, "cli", x->agency, "feed", x->token, &x->found);
}

static bool authenticate(store *st, const char *token, struct store_client *cl)
{
	store_conn *c = store_conn_get(st);
	bool found = true;
	assert_non_null(c);
	assert_int_equal(tokens_authenticate(c, token, cl, &found), STORE_OK);
	store_conn_put(st, c);
	return found;
}

static void create_and_authenticate(void **state)
{
	struct fx *f = *state;
	struct create x = {.agency = "police"};
	struct store_client cl;

	assert_int_equal(txq_exec(f->st, seed_job, NULL), STORE_OK);
	/* Seeding is idempotent. */
	assert_int_equal(txq_exec(f->st, seed_job, NULL), STORE_OK);
	assert_int_equal(txq_exec(f->st, create_job, &x), STORE_OK);
	assert_true(x.found);
	assert_int_equal(strlen(x.token), 47);
	assert_memory_equal(x.token, "sgt_", 4);
	for (size_t i = 4; i < 47; i++) {
		char ch = x.token[i];
		assert_true((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
			    ch == '-' || ch == '_');
	}
	assert_int_equal(fx_audit_count(f->st), 1); /* token.create */

	memset(&cl, 0, sizeof cl);
	assert_true(authenticate(f->st, x.token, &cl));
	assert_true(cl.id > 0);
	assert_string_equal(cl.agency, "police");

	/* A second client gets a different token and id. */
	struct create y = {.agency = "health"};
	struct store_client cl2;
	assert_int_equal(txq_exec(f->st, create_job, &y), STORE_OK);
	assert_true(y.found);
	assert_string_not_equal(y.token, x.token);
	assert_true(authenticate(f->st, y.token, &cl2));
	assert_string_equal(cl2.agency, "health");
	assert_int_not_equal(cl2.id, cl.id);
	assert_int_equal(fx_audit_count(f->st), 2);

	/* Any change to the token: not found. */
	char bad[TOKEN_TEXT_MAX * 2];
	const size_t at[] = {4, 20, 46};
	for (size_t i = 0; i < sizeof at / sizeof at[0]; i++) {
		snprintf(bad, sizeof bad, "%s", x.token);
		bad[at[i]] = bad[at[i]] == 'A' ? 'B' : 'A';
		assert_false(authenticate(f->st, bad, &cl));
	}
	snprintf(bad, sizeof bad, "%s", x.token);
	bad[46] = '\0'; /* one short */
	assert_false(authenticate(f->st, bad, &cl));
	snprintf(bad, sizeof bad, "%sA", x.token); /* one long */
	assert_false(authenticate(f->st, bad, &cl));
	snprintf(bad, sizeof bad, "sgX_%s", x.token + 4); /* wrong prefix */
	assert_false(authenticate(f->st, bad, &cl));
	assert_false(authenticate(f->st, "", &cl));

	/* The store keeps only the hash. */
	uint8_t h[STORE_TOKEN_HASH_LEN], h2[STORE_TOKEN_HASH_LEN];
	tokens_hash(x.token, h);
	tokens_hash(x.token, h2);
	assert_memory_equal(h, h2, sizeof h);
	store_conn *c = store_conn_get(f->st);
	bool found = false;
	assert_int_equal(store_client_find(c, h, &cl, &found), STORE_OK);
	assert_true(found);
	assert_string_equal(cl.agency, "police");
	store_conn_put(f->st, c);
}

static void unknown_agency_writes_nothing(void **state)
{
	struct fx *f = *state;
	struct create x = {.agency = "nosuch"};
	memset(x.token, 'x', sizeof x.token);
	x.found = true;

	assert_int_equal(txq_exec(f->st, seed_job, NULL), STORE_OK);
	assert_int_equal(txq_exec(f->st, create_job, &x), STORE_OK);
	assert_false(x.found);
	assert_string_equal(x.token, "");
	assert_int_equal(fx_audit_count(f->st), 0);

	/* No client row: the first client created afterwards has id 1. */
	struct create y = {.agency = "police"};
	struct store_client cl;
	assert_int_equal(txq_exec(f->st, create_job, &y), STORE_OK);
	assert_true(authenticate(f->st, y.token, &cl));
	assert_int_equal(cl.id, 1);
	assert_int_equal(fx_audit_count(f->st), 1);
}

static int group_setup(void **state)
{
	return sodium_init() < 0 ? -1 : 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(create_and_authenticate, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(unknown_agency_writes_nothing, fx_setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, group_setup, NULL);
}
