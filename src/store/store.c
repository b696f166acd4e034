/*
 * store/store.c — picks the backend from the URL and forwards each store.h call to it.
 * One forwarding function per row of struct store_ops; they carry no logic of their own.
 */
#include "store/sql.h"
#include "store/store_int.h"

#include <stdio.h>
#include <string.h>

/* Backends by URL scheme. */
static const struct store_ops *const backends[] = {&store_sqlite_ops};

int store_open(const char *url, store **out, char *err, size_t errsz)
{
	*out = NULL;
	const char *colon = url ? strchr(url, ':') : NULL;
	if (!colon) {
		snprintf(err, errsz, "database URL must look like sqlite:PATH");
		return STORE_EURL;
	}
	size_t n = (size_t)(colon - url);
	/* PostgreSQL takes the whole URL (libpq parses it); the same operations serve it (store/ops.c). */
	if ((n == 10 && memcmp(url, "postgresql", 10) == 0) || (n == 8 && memcmp(url, "postgres", 8) == 0))
		return store_pg_open(url, out, err, errsz);
	for (size_t i = 0; i < sizeof backends / sizeof backends[0]; i++)
		if (strlen(backends[i]->scheme) == n && memcmp(backends[i]->scheme, url, n) == 0)
			return backends[i]->open(colon + 1, out, err, errsz);
	snprintf(err, errsz, "no database backend for \"%.*s:\" (have: sqlite:PATH, postgresql://...)", (int)(n > 20 ? 20 : n), url);
	return STORE_EURL;
}

void store_set_fence_file(const char *path)
{
	sql_pg_fence_file(path);
}

void store_close(store *st)
{
	if (st)
		st->ops->close(st);
}

int store_migrate(store *st, int *from, int *to, char *err, size_t errsz)
{
	return st->ops->migrate(st, from, to, err, errsz);
}

int store_check_schema(store *st, char *err, size_t errsz)
{
	return st->ops->check_schema(st, err, errsz);
}

store_conn *store_conn_get(store *st)
{
	return st->ops->conn_get(st);
}

store_conn *store_conn_get_read(store *st)
{
	return st->ops->conn_get_read(st);
}

int store_set_read_url(store *st, const char *url, char *err, size_t errsz)
{
	return st->ops->set_read_url(st, url, err, errsz);
}

void store_conn_put(store *st, store_conn *c)
{
	if (c)
		st->ops->conn_put(st, c);
}

const char *store_conn_errmsg(store_conn *c)
{
	return c->ops->errmsg(c);
}

int store_begin(store_conn *c)
{
	return c->ops->begin(c);
}

int store_begin_read(store_conn *c)
{
	return c->ops->begin_read(c);
}

int store_commit(store_conn *c)
{
	return c->ops->commit(c);
}

int store_rollback(store_conn *c)
{
	return c->ops->rollback(c);
}

int store_savepoint(store_conn *c)
{
	return c->ops->savepoint(c);
}

int store_savepoint_release(store_conn *c)
{
	return c->ops->savepoint_release(c);
}

int store_savepoint_rollback(store_conn *c)
{
	return c->ops->savepoint_rollback(c);
}

void store_conn_counters(store_conn *c, uint64_t *statements, uint64_t *round_trips)
{
	c->ops->counters(c, statements, round_trips);
}

void store_conn_ahead_counts(store_conn *c, struct store_ahead_counts *out)
{
	c->ops->ahead_counts(c, out);
}

int store_ping(store_conn *c)
{
	return c->ops->ping(c);
}

int store_agencies(store_conn *c, store_agency_fn fn, void *ctx)
{
	return c->ops->agencies(c, fn, ctx);
}

int store_agency_upsert(store_conn *c, const char *code, const char *name)
{
	return c->ops->agency_upsert(c, code, name);
}

int store_agency_exists(store_conn *c, const char *code, bool *found)
{
	return c->ops->agency_exists(c, code, found);
}

int store_client_insert(store_conn *c, const char *agency, const uint8_t hash[STORE_TOKEN_HASH_LEN],
			const char *label, const char *scope, const char *created_by, bool pending, int64_t *id)
{
	return c->ops->client_insert(c, agency, hash, label, scope, created_by, pending, id);
}

int store_client_find(store_conn *c, const uint8_t hash[STORE_TOKEN_HASH_LEN], struct store_client *out, bool *found)
{
	return c->ops->client_find(c, hash, out, found);
}

int store_auth_generation(store_conn *c, int64_t *gen)
{
	return c->ops->auth_generation(c, gen);
}

bool store_clients_changed(store_conn *c)
{
	return c->ops->clients_changed(c);
}

int store_person_insert(store_conn *c, const struct store_person *p, int64_t *id)
{
	return c->ops->person_insert(c, p, id);
}

int store_person_get(store_conn *c, int64_t id, struct store_person *out, bool *found)
{
	return c->ops->person_get(c, id, out, found);
}

int store_person_exists(store_conn *c, int64_t id, bool *found)
{
	return c->ops->person_exists(c, id, found);
}

int store_person_update_attributes(store_conn *c, int64_t id, const struct store_person *p)
{
	return c->ops->person_update_attributes(c, id, p);
}

int store_person_search(store_conn *c, const struct store_view *v, const struct store_search *q, store_person_fn fn,
			void *ctx)
{
	return v ? c->ops->person_search(c, v, q, fn, ctx) : STORE_EIO;
}

int store_person_by_identifier(store_conn *c, const char *kind, const char *value, int64_t *person_id)
{
	return c->ops->person_by_identifier(c, kind, value, person_id);
}

int store_person_by_match_key(store_conn *c, const char *key, int64_t *person_id)
{
	return c->ops->person_by_match_key(c, key, person_id);
}

int store_identifier_add(store_conn *c, int64_t person_id, const char *kind, const char *value, int64_t source_record_id)
{
	return c->ops->identifier_add(c, person_id, kind, value, source_record_id);
}

int store_identifiers_each(store_conn *c, int64_t person_id, store_identifier_fn fn, void *ctx)
{
	return c->ops->identifiers_each(c, person_id, fn, ctx);
}

int store_household_join(store_conn *c, const char *key, const char *postcode, const char *address, int64_t person_id, const char *seen_at, int64_t *household_id)
{
	return c->ops->household_join(c, key, postcode, address, person_id, seen_at, household_id);
}

int store_households_of(store_conn *c, int64_t person_id, store_household_fn fn, void *ctx)
{
	return c->ops->households_of(c, person_id, fn, ctx);
}

int store_household_members(store_conn *c, const struct store_view *v, int64_t household_id, store_person_fn fn,
			    void *ctx)
{
	return v ? c->ops->household_members(c, v, household_id, fn, ctx) : STORE_EIO;
}

int store_source_insert(store_conn *c, const struct store_source_record *r, int64_t *id)
{
	return c->ops->source_insert(c, r, id);
}

int store_source_find(store_conn *c, const char *agency, const char *source_ref, struct store_source_record *out, bool *found)
{
	return c->ops->source_find(c, agency, source_ref, out, found);
}

int store_source_absent_ahead(store_conn *c, const char *const *agency, const char *const *source_ref,
			      const char *const *household_key, int n)
{
	return c->ops->source_absent_ahead(c, agency, source_ref, household_key, n);
}

int store_event_insert(store_conn *c, const struct store_event *e, int64_t *id)
{
	return c->ops->event_insert(c, e, id);
}

int store_source_event_insert(store_conn *c, const struct store_source_record *r, const struct store_event *e,
			      int64_t *source_id, int64_t *event_id)
{
	return c->ops->source_event_insert(c, r, e, source_id, event_id);
}

int store_chronology(store_conn *c, const struct store_view *v, int64_t person_id, const struct store_page *page,
		     store_event_fn fn, void *ctx)
{
	return v ? c->ops->chronology(c, v, person_id, page, fn, ctx) : STORE_EIO;
}

int store_send_ahead(store_conn *c, const struct store_ahead *a)
{
	return a ? c->ops->send_ahead(c, a) : STORE_EIO;
}

int store_event_count(store_conn *c, int64_t person_id, int64_t *n)
{
	return c->ops->event_count(c, person_id, n);
}

int store_event_marks(store_conn *c, const struct store_view *v, int64_t person_id, const struct store_page *page,
		      store_event_fn fn, void *ctx)
{
	return v ? c->ops->event_marks(c, v, person_id, page, fn, ctx) : STORE_EIO;
}

int store_event_kinds(store_conn *c, const struct store_view *v, int64_t person_id, store_kind_fn fn, void *ctx)
{
	return v ? c->ops->event_kinds(c, v, person_id, fn, ctx) : STORE_EIO;
}

int store_audit_append(store_conn *c, const struct store_audit *a)
{
	return c->ops->audit_append(c, a);
}

int store_audit_count(store_conn *c, int64_t *n)
{
	return c->ops->audit_count(c, n);
}

int store_schema_latest(void)
{
	return STORE_SCHEMA_VERSION;
}

int store_events_of_kinds(store_conn *c, int64_t person_id, const char *kinds_json, store_event_fn fn, void *ctx)
{
	return c->ops->events_of_kinds(c, person_id, kinds_json, fn, ctx);
}

int store_status_events(store_conn *c, const struct store_view *v, int64_t person_id, store_status_fn fn, void *ctx)
{
	return c->ops->status_events(c, v, person_id, fn, ctx);
}

int store_details_shown(store_conn *c, const struct store_view *v, const char *details, bool *shown)
{
	return c->ops->details_shown(c, v, details, shown);
}

int store_events_of_kinds_in_time(store_conn *c, int64_t person_id, const char *kinds_json, store_event_fn fn,
				  void *ctx)
{
	return c->ops->events_of_kinds_in_time(c, person_id, kinds_json, fn, ctx);
}

int store_events_of_kinds_all(store_conn *c, const char *kinds_json, store_event_fn fn, void *ctx)
{
	return c->ops->events_of_kinds_all(c, kinds_json, fn, ctx);
}

int store_housemates(store_conn *c, int64_t person_id, store_person_fn fn, void *ctx)
{
	return c->ops->housemates(c, person_id, fn, ctx);
}

int store_rule_events(store_conn *c, int64_t person_id, const char *kinds_json, const char *housemate_kind,
		      store_event_fn fn, void *ctx)
{
	return c->ops->rule_events(c, person_id, kinds_json, housemate_kind, fn, ctx);
}

int store_housemate_events(store_conn *c, int64_t person_id, const char *kind, store_event_fn fn, void *ctx)
{
	return c->ops->housemate_events(c, person_id, kind, fn, ctx);
}

int store_alert_insert(store_conn *c, const struct store_alert *a, int64_t *id, bool *inserted)
{
	return c->ops->alert_insert(c, a, id, inserted);
}

int store_alert_get(store_conn *c, int64_t id, struct store_alert *out, bool *found)
{
	return c->ops->alert_get(c, id, out, found);
}

int store_alerts(store_conn *c, const struct store_view *v, const struct store_alert_query *q, store_alert_fn fn,
		 void *ctx)
{
	return v ? c->ops->alerts(c, v, q, fn, ctx) : STORE_EIO;
}

int store_alerts_owned(store_conn *c, const struct store_view *v, const struct store_alert_query *q,
		       store_alert_fn fn, void *ctx)
{
	return v ? c->ops->alerts_owned(c, v, q, fn, ctx) : STORE_EIO;
}

int store_alert_counts(store_conn *c, int64_t person_id, int64_t *open, int64_t *overdue_due_before, const char *today)
{
	return c->ops->alert_counts(c, person_id, open, overdue_due_before, today);
}

int store_alert_acknowledge(store_conn *c, int64_t id, const char *by, bool *changed)
{
	return c->ops->alert_acknowledge(c, id, by, changed);
}

int store_alert_resolve(store_conn *c, int64_t id, const char *by, const char *outcome, bool *changed)
{
	return c->ops->alert_resolve(c, id, by, outcome, changed);
}

int store_alerts_escalation_due(store_conn *c, const char *created_before, store_alert_due_fn fn, void *ctx)
{
	return c->ops->alerts_escalation_due(c, created_before, fn, ctx);
}

int store_alerts_escalated_to(store_conn *c, const char *escalated_to, store_alert_due_fn fn, void *ctx)
{
	return c->ops->alerts_escalated_to(c, escalated_to, fn, ctx);
}

int store_team_upsert(store_conn *c, const struct store_team *t)
{
	return c->ops->team_upsert(c, t);
}

int store_allocation_set(store_conn *c, const struct store_allocation *a)
{
	return c->ops->allocation_set(c, a);
}

int store_allocation_get(store_conn *c, int64_t person_id, struct store_allocation *out, bool *found)
{
	return c->ops->allocation_get(c, person_id, out, found);
}

int store_caseload(store_conn *c, const struct store_view *v, const char *worker, int limit, store_allocation_fn fn,
		   void *ctx)
{
	return v ? c->ops->caseload(c, v, worker, limit, fn, ctx) : STORE_EIO;
}

int store_allocations(store_conn *c, const struct store_view *v, int64_t person_id, int limit, store_allocation_fn fn,
		      void *ctx)
{
	return v ? c->ops->allocations(c, v, person_id, limit, fn, ctx) : STORE_EIO;
}

int store_caseload_managed(store_conn *c, const struct store_view *v, const char *worker, const char *manager,
			   int limit, store_allocation_fn fn, void *ctx)
{
	return v ? c->ops->caseload_managed(c, v, worker, manager, limit, fn, ctx) : STORE_EIO;
}

int store_alerts_follow(store_conn *c, int64_t person_id, const char *owner_kind, const char *owner,
			const char *escalated_to, int64_t *n)
{
	return c->ops->alerts_follow(c, person_id, owner_kind, owner, escalated_to, n);
}

int store_alert_escalate_one(store_conn *c, int64_t id, const char *escalated_to, bool *changed)
{
	return c->ops->alert_escalate_one(c, id, escalated_to, changed);
}

int store_manages(store_conn *c, const char *manager, const char *team, const char *worker, int64_t child_id,
		  bool *yes)
{
	return c->ops->manages(c, manager, team, worker, child_id, yes);
}

int store_team_workload(store_conn *c, const struct store_view *v, const char *team, const char *today,
			store_workload_fn fn, void *ctx)
{
	return v ? c->ops->team_workload(c, v, team, today, fn, ctx) : STORE_EIO;
}

int store_awaiting_decision(store_conn *c, const struct store_view *v, int limit, store_awaiting_fn fn, void *ctx,
			    int64_t *total)
{
	return v ? c->ops->awaiting_decision(c, v, limit, fn, ctx, total) : STORE_EIO;
}

int store_mash_queue(store_conn *c, const struct store_view *v, const struct store_mash_query *q, store_mash_fn fn,
		     void *ctx, int64_t *total)
{
	*total = 0;
	return v && q ? c->ops->mash_queue(c, v, q, fn, ctx, total) : STORE_EIO;
}

int store_mash_item(store_conn *c, const struct store_view *v, int64_t event_id, store_mash_fn fn, void *ctx)
{
	return v ? c->ops->mash_item(c, v, event_id, fn, ctx) : STORE_EIO;
}

int store_flag_access_add(store_conn *c, const struct store_flag_access *a, int64_t *id)
{
	return c->ops->flag_access_add(c, a, id);
}

int store_flag_accesses(store_conn *c, int64_t person_id, int limit, store_flag_access_fn fn, void *ctx)
{
	return c->ops->flag_accesses(c, person_id, limit, fn, ctx);
}

int store_audit_last(store_conn *c, int64_t *id, uint8_t hash[STORE_AUDIT_HASH_LEN], bool *found)
{
	return c->ops->audit_last(c, id, hash, found);
}

int store_audit_each(store_conn *c, store_audit_fn fn, void *ctx)
{
	return c->ops->audit_each(c, fn, ctx);
}

int store_audit_unsealed(store_conn *c, store_audit_fn fn, void *ctx)
{
	return c->ops->audit_unsealed(c, fn, ctx);
}

int store_audit_seal(store_conn *c, int64_t id, const uint8_t hash[STORE_AUDIT_HASH_LEN])
{
	return c->ops->audit_seal(c, id, hash);
}

int store_checkpoint_add(store_conn *c, const struct store_checkpoint *k)
{
	return c->ops->checkpoint_add(c, k);
}

int store_checkpoints(store_conn *c, store_checkpoint_fn fn, void *ctx)
{
	return c->ops->checkpoints(c, fn, ctx);
}

int store_user_insert(store_conn *c, const struct store_user *u, int64_t *id)
{
	return c->ops->user_insert(c, u, id);
}

int store_user_by_name(store_conn *c, const char *username, struct store_user *out, bool *found)
{
	return c->ops->user_by_name(c, username, out, found);
}

int store_session_insert(store_conn *c, const uint8_t hash[STORE_TOKEN_HASH_LEN], const struct store_session *s)
{
	return c->ops->session_insert(c, hash, s);
}

int store_user_set_credentials(store_conn *c, const char *username, const char *password_hash,
			       const uint8_t totp_sealed[STORE_TOTP_SEALED_LEN], bool *found)
{
	return c->ops->user_set_credentials(c, username, password_hash, totp_sealed, found);
}

int store_user_set_totp(store_conn *c, const char *username, const uint8_t totp_sealed[STORE_TOTP_SEALED_LEN],
			bool *found)
{
	return c->ops->user_set_totp(c, username, totp_sealed, found);
}

int store_user_totp_step(store_conn *c, int64_t id, int64_t step, const uint8_t *sealed, bool *advanced)
{
	return c->ops->user_totp_step(c, id, step, sealed, advanced);
}

int store_person_sealed(store_conn *c, int64_t id, bool *sealed)
{
	return c->ops->person_sealed(c, id, sealed);
}

int store_person_seal(store_conn *c, int64_t id, const char *basis, const char *by, bool *already)
{
	return c->ops->person_seal(c, id, basis, by, already);
}

int store_seals(store_conn *c, int64_t person_id, int limit, store_seal_fn fn, void *ctx)
{
	return c->ops->seals(c, person_id, limit, fn, ctx);
}

int store_session_touch(store_conn *c, const uint8_t hash[STORE_TOKEN_HASH_LEN], const char *until)
{
	return c->ops->session_touch(c, hash, until);
}

int store_session_end(store_conn *c, const uint8_t hash[STORE_TOKEN_HASH_LEN], const char *at)
{
	return c->ops->session_end(c, hash, at);
}

int store_session_find(store_conn *c, const uint8_t hash[STORE_TOKEN_HASH_LEN], const char *now, struct store_session *out, bool *found)
{
	return c->ops->session_find(c, hash, now, out, found);
}

int store_login_attempt_add(store_conn *c, const char *username, const char *remote, bool ok)
{
	return c->ops->login_attempt_add(c, username, remote, ok);
}

int store_login_failures(store_conn *c, const char *username, const char *remote, const char *since,
			 struct store_login_failures *out)
{
	return c->ops->login_failures(c, username, remote, since, out);
}

int store_sweep_runs(store_conn *c, int limit, store_sweep_run_fn fn, void *ctx)
{
	return c->ops->sweep_runs(c, limit, fn, ctx);
}

int store_sweep_claim(store_conn *c, const char *day, const char *server, bool *claimed)
{
	return c->ops->sweep_claim(c, day, server, claimed);
}

int store_login_prune(store_conn *c, const char *before, int64_t *n)
{
	return c->ops->login_prune(c, before, n);
}

int store_login_attempts(store_conn *c, const char *username, bool failed_only, int limit, store_login_attempt_fn fn,
			 void *ctx)
{
	return c->ops->login_attempts(c, username, failed_only, limit, fn, ctx);
}

int store_user_sessions(store_conn *c, const char *username, const char *live_at, int limit, store_session_row_fn fn,
			void *ctx)
{
	return c->ops->user_sessions(c, username, live_at, limit, fn, ctx);
}

int store_login_throttle_note(store_conn *c, const char *key, const char *since, const char *now, bool *first)
{
	return c->ops->login_throttle_note(c, key, since, now, first);
}

int store_users_totp_plain(store_conn *c, store_user_fn fn, void *ctx)
{
	return c->ops->users_totp_plain(c, fn, ctx);
}

int store_user_totp_seal(store_conn *c, int64_t id, const uint8_t totp_sealed[STORE_TOTP_SEALED_LEN])
{
	return c->ops->user_totp_seal(c, id, totp_sealed);
}

int store_wal_truncate(store_conn *c)
{
	return c->ops->wal_truncate(c);
}

int store_notice_add(store_conn *c, const struct store_notice *n, int64_t *id)
{
	return c->ops->notice_add(c, n, id);
}

int store_notice_count(store_conn *c, int64_t user_id, const char *kind, const char *since, int64_t *n)
{
	return c->ops->notice_count(c, user_id, kind, since, n);
}

int store_notices(store_conn *c, const struct store_view *v, const char *started, int limit, store_notice_fn fn,
		  void *ctx)
{
	return c->ops->notices(c, v, started, limit, fn, ctx);
}

int store_audit_reads_of_child(store_conn *c, int64_t child_id, int limit, store_audit_fn fn, void *ctx)
{
	return c->ops->audit_reads_of_child(c, child_id, limit, fn, ctx);
}

int store_audit_list(store_conn *c, const struct store_audit_query *q, store_audit_fn fn, void *ctx)
{
	return c->ops->audit_list(c, q, fn, ctx);
}

int store_access_facts(store_conn *c, int64_t child_id, const struct store_view *view,
		       struct store_access_facts *out)
{
	return c->ops->access_facts(c, child_id, view, out);
}

int store_access_facts_ahead(store_conn *c, const int64_t *child_ids, int n, const struct store_view *view)
{
	return c->ops->access_facts_ahead(c, child_ids, n, view);
}

int store_child_agency_contributed(store_conn *c, int64_t child_id, const char *agency, bool *yes)
{
	return c->ops->child_agency_contributed(c, child_id, agency, yes);
}

int store_child_awaiting_decision(store_conn *c, int64_t child_id, bool *yes)
{
	return c->ops->child_awaiting_decision(c, child_id, yes);
}

int store_break_glass_add(store_conn *c, const struct store_break_glass *b, int64_t *id)
{
	return c->ops->break_glass_add(c, b, id);
}

int store_break_glass_live(store_conn *c, int64_t child_id, int64_t user_id, const char *now, bool *live)
{
	return c->ops->break_glass_live(c, child_id, user_id, now, live);
}

int store_break_glass_of_child(store_conn *c, int64_t child_id, int limit, store_break_glass_fn fn, void *ctx)
{
	return c->ops->break_glass_of_child(c, child_id, limit, fn, ctx);
}

int store_clients(store_conn *c, int limit, store_client_fn fn, void *ctx)
{
	return c->ops->clients(c, limit, fn, ctx);
}

int store_client_revoke(store_conn *c, int64_t id, const char *at, bool *found)
{
	return c->ops->client_revoke(c, id, at, found);
}

int store_client_get(store_conn *c, int64_t id, struct store_client_info *out, bool *found)
{
	return c->ops->client_get(c, id, out, found);
}

int store_client_approve(store_conn *c, int64_t id, const char *by, const char *at, bool *changed)
{
	return c->ops->client_approve(c, id, by, at, changed);
}

int store_teams(store_conn *c, int limit, store_team_fn fn, void *ctx)
{
	return c->ops->teams(c, limit, fn, ctx);
}

int store_user_by_id(store_conn *c, int64_t id, struct store_user *out, bool *found)
{
	return c->ops->user_by_id(c, id, out, found);
}

int store_users(store_conn *c, int limit, store_user_fn fn, void *ctx)
{
	return c->ops->users(c, limit, fn, ctx);
}

int store_user_disable(store_conn *c, const char *username, const char *at, bool *found)
{
	return c->ops->user_disable(c, username, at, found);
}

int store_user_enable(store_conn *c, const char *username, bool *found)
{
	return c->ops->user_enable(c, username, found);
}

int store_recording_insert(store_conn *c, const struct store_recording *r, int64_t *id)
{
	return c->ops->recording_insert(c, r, id);
}

int store_recording_get(store_conn *c, int64_t id, struct store_recording *out, bool *found)
{
	return c->ops->recording_get(c, id, out, found);
}

int store_recordings(store_conn *c, int64_t child_id, store_recording_fn fn, void *ctx)
{
	return c->ops->recordings(c, child_id, fn, ctx);
}

int store_recording_rewrap(store_conn *c, int64_t id, const uint8_t wrapped[STORE_RECORDING_WRAPPED_LEN],
			   const uint8_t nonce[STORE_RECORDING_NONCE_LEN])
{
	return c->ops->recording_rewrap(c, id, wrapped, nonce);
}

int store_recording_delete(store_conn *c, int64_t id)
{
	return c->ops->recording_delete(c, id);
}

/* ---- children's homes and their oversight ---- */

int store_home_insert(store_conn *c, const struct store_home *h, int64_t *id)
{
	return c->ops->home_insert(c, h, id);
}

int store_home_get(store_conn *c, int64_t id, struct store_home *out, bool *found)
{
	return c->ops->home_get(c, id, out, found);
}

int store_homes(store_conn *c, const char *la_code, store_home_fn fn, void *ctx)
{
	return c->ops->homes(c, la_code, fn, ctx);
}

int store_home_occupancy_set(store_conn *c, int64_t home_id, const char *month, double child_nights)
{
	return c->ops->home_occupancy_set(c, home_id, month, child_nights);
}

int store_home_occupancy(store_conn *c, int64_t home_id, store_occupancy_fn fn, void *ctx)
{
	return c->ops->home_occupancy(c, home_id, fn, ctx);
}

int store_home_incident_insert(store_conn *c, const struct store_home_incident *i, int64_t *id)
{
	return c->ops->home_incident_insert(c, i, id);
}

int store_home_incident_counts(store_conn *c, store_incident_count_fn fn, void *ctx)
{
	return c->ops->home_incident_counts(c, fn, ctx);
}

int store_home_incidents(store_conn *c, const struct store_view *v, const struct store_incident_query *q,
			 store_home_incident_fn fn, void *ctx)
{
	return v ? c->ops->home_incidents(c, v, q, fn, ctx) : STORE_EIO;
}

int store_home_placement_insert(store_conn *c, const struct store_home_placement *p, int64_t *id)
{
	return c->ops->home_placement_insert(c, p, id);
}

int store_home_placements(store_conn *c, const struct store_view *v, int64_t home_id, store_placement_fn fn,
			  void *ctx)
{
	return v ? c->ops->home_placements(c, v, home_id, fn, ctx) : STORE_EIO;
}

int store_reg44_insert(store_conn *c, const struct store_reg44 *r, int64_t *id)
{
	return c->ops->reg44_insert(c, r, id);
}

int store_reg44_reports(store_conn *c, int64_t home_id, int limit, store_reg44_fn fn, void *ctx)
{
	return c->ops->reg44_reports(c, home_id, limit, fn, ctx);
}

int store_reg44_missing(store_conn *c, const char *month, store_id_fn fn, void *ctx)
{
	return c->ops->reg44_missing(c, month, fn, ctx);
}

int store_reg44_opinions(store_conn *c, store_reg44_opinion_fn fn, void *ctx)
{
	return c->ops->reg44_opinions(c, fn, ctx);
}

int store_home_note_insert(store_conn *c, const struct store_home_note *n, int64_t *id)
{
	return c->ops->home_note_insert(c, n, id);
}

int store_home_notes(store_conn *c, int64_t home_id, int limit, store_home_note_fn fn, void *ctx)
{
	return c->ops->home_notes(c, home_id, limit, fn, ctx);
}

int store_oversight_run_insert(store_conn *c, const struct store_oversight_run *r, int64_t *id)
{
	return c->ops->oversight_run_insert(c, r, id);
}

int store_oversight_run_get(store_conn *c, int64_t id, struct store_oversight_run *out, bool *found)
{
	return c->ops->oversight_run_get(c, id, out, found);
}

int store_oversight_signal_insert(store_conn *c, const struct store_oversight_signal *s)
{
	return c->ops->oversight_signal_insert(c, s);
}

int store_oversight_signals(store_conn *c, int64_t run_id, int64_t home_id, store_signal_fn fn, void *ctx)
{
	return c->ops->oversight_signals(c, run_id, home_id, fn, ctx);
}

int store_home_alert_insert(store_conn *c, const struct store_home_alert *a, int64_t *id, bool *inserted)
{
	return c->ops->home_alert_insert(c, a, id, inserted);
}

int store_home_alerts(store_conn *c, int64_t home_id, bool open_only, int limit, store_home_alert_fn fn, void *ctx)
{
	return c->ops->home_alerts(c, home_id, open_only, limit, fn, ctx);
}

/* ---- record linkage ---- */

int store_block_keys_add(store_conn *c, int64_t person_id, int64_t source_record_id, const char *keys_json)
{
	return c->ops->block_keys_add(c, person_id, source_record_id, keys_json);
}

int store_block_candidates(store_conn *c, const char *keys_json, int limit, store_id_fn fn, void *ctx)
{
	return c->ops->block_candidates(c, keys_json, limit, fn, ctx);
}

int store_block_candidates_scored(store_conn *c, const char *keys_json, int limit, store_candidate_fn fn, void *ctx)
{
	return c->ops->block_candidates_scored(c, keys_json, limit, fn, ctx);
}

int store_block_candidates_ahead(store_conn *c, const char *const *keys_json, int n, int limit)
{
	return n < 0 ? STORE_EINVAL : c->ops->block_candidates_ahead(c, keys_json, n, limit);
}

bool store_block_candidates_read_ahead(store_conn *c)
{
	return c->ops->block_candidates_ahead(c, NULL, -1, 0) == 1;
}

int store_link_review_insert(store_conn *c, const struct store_link_review *r, int64_t *id)
{
	return c->ops->link_review_insert(c, r, id);
}

int store_link_review_get(store_conn *c, int64_t id, struct store_link_review *out, bool *found)
{
	return c->ops->link_review_get(c, id, out, found);
}

int store_link_reviews_open(store_conn *c, const struct store_view *view, int limit, store_link_review_fn fn,
			    void *ctx)
{
	return c->ops->link_reviews_open(c, view, limit, fn, ctx);
}

int store_link_reviews(store_conn *c, int64_t person_id, bool open_only, store_link_review_fn fn, void *ctx)
{
	return c->ops->link_reviews(c, person_id, open_only, fn, ctx);
}

int store_link_review_decide(store_conn *c, int64_t id, const char *by, const char *decision, const char *reason,
			     int64_t merge_id, bool *changed)
{
	return c->ops->link_review_decide(c, id, by, decision, reason, merge_id, changed);
}

int store_link_review_pair(store_conn *c, int64_t a, int64_t b, bool *exists)
{
	return c->ops->link_review_pair(c, a, b, exists);
}

int store_link_refusal_add(store_conn *c, int64_t a, int64_t b, int64_t source_record_id, int64_t review_id,
			   const char *by, const char *reason)
{
	return c->ops->link_refusal_add(c, a, b, source_record_id, review_id, by, reason);
}

int store_link_refused(store_conn *c, int64_t a, int64_t b, bool *refused)
{
	return c->ops->link_refused(c, a, b, refused);
}

int store_person_merged_into(store_conn *c, int64_t merged_id, int64_t *kept_id)
{
	return c->ops->person_merged_into(c, merged_id, kept_id);
}

int store_person_merge(store_conn *c, int64_t kept_id, int64_t merged_id, const char *by, const char *reason,
		       int64_t *merge_id)
{
	return c->ops->person_merge(c, kept_id, merged_id, by, reason, merge_id);
}

int store_merge_get(store_conn *c, int64_t id, struct store_merge *out, bool *found)
{
	return c->ops->merge_get(c, id, out, found);
}

int store_merges_of(store_conn *c, int64_t person_id, int limit, store_merge_fn fn, void *ctx)
{
	return c->ops->merges_of(c, person_id, limit, fn, ctx);
}

int store_person_unmerge(store_conn *c, int64_t merge_id, const char *by, const char *reason, bool *done)
{
	return c->ops->person_unmerge(c, merge_id, by, reason, done);
}

int store_home_alert_get(store_conn *c, int64_t id, struct store_home_alert *out, bool *found)
{
	return c->ops->home_alert_get(c, id, out, found);
}

int store_home_alert_acknowledge(store_conn *c, int64_t id, const char *by, bool *changed)
{
	return c->ops->home_alert_acknowledge(c, id, by, changed);
}

int store_home_alert_resolve(store_conn *c, int64_t id, const char *by, const char *outcome, bool *changed)
{
	return c->ops->home_alert_resolve(c, id, by, outcome, changed);
}

int store_home_alert_resolve_key(store_conn *c, int64_t home_id, const char *dedup_key, const char *by,
				 const char *outcome, int64_t *id)
{
	return c->ops->home_alert_resolve_key(c, home_id, dedup_key, by, outcome, id);
}

int store_home_alerts_escalate(store_conn *c, const char *created_before, const char *owner, const char *escalated_to,
			       int64_t *n)
{
	return c->ops->home_alerts_escalate(c, created_before, owner, escalated_to, n);
}

int store_person_placement(store_conn *c, int64_t person_id, const char *day, struct store_home_placement *out,
			   bool *found)
{
	return c->ops->person_placement(c, person_id, day, out, found);
}

int store_link_model_insert(store_conn *c, const struct store_link_model *m, int64_t *id)
{
	return c->ops->link_model_insert(c, m, id);
}

int store_link_model_latest(store_conn *c, struct store_link_model *out, bool *found)
{
	return c->ops->link_model_latest(c, out, found);
}

int store_link_model_latest_id(store_conn *c, int64_t *id)
{
	return c->ops->link_model_latest_id(c, id);
}

int store_link_training_records(store_conn *c, store_link_subject_fn fn, void *ctx)
{
	return c->ops->link_training_records(c, fn, ctx);
}

int store_link_reviews_decided(store_conn *c, store_link_labelled_fn fn, void *ctx)
{
	return c->ops->link_reviews_decided(c, fn, ctx);
}

int store_link_review_counts(store_conn *c, int64_t *reviews, int64_t *records)
{
	return c->ops->link_review_counts(c, reviews, records);
}

int store_link_counts_get(store_conn *c, struct store_link_counts *out)
{
	return c->ops->link_counts_get(c, out);
}

int store_link_counts_set(store_conn *c, int64_t reviews, int64_t records, int64_t counted_at)
{
	return c->ops->link_counts_set(c, reviews, records, counted_at);
}

int store_table_counts(store_conn *c, store_table_count_fn fn, void *ctx)
{
	return c->ops->table_counts(c, fn, ctx);
}

int store_schema_indexes(store_conn *c, store_index_fn fn, void *ctx)
{
	return c->ops->schema_indexes(c, fn, ctx);
}

int store_child_contacts(store_conn *c, int64_t child_id, const char *fallback_team, struct store_child_contacts *out)
{
	return c->ops->child_contacts(c, child_id, fallback_team, out);
}

int store_team_contact_get(store_conn *c, const char *code, struct store_team_contact *out, bool *found)
{
	return c->ops->team_contact_get(c, code, out, found);
}

int store_team_contacts(store_conn *c, int limit, store_team_contact_fn fn, void *ctx)
{
	return c->ops->team_contacts(c, limit, fn, ctx);
}

int store_team_contact_set(store_conn *c, const struct store_team_contact *t, bool *found)
{
	return c->ops->team_contact_set(c, t, found);
}

/* ---- issue 15 ---- */

int store_break_glass_until(store_conn *c, int64_t child_id, int64_t user_id, const char *now,
			    char until[STORE_TS_LEN + 1])
{
	return c->ops->break_glass_until(c, child_id, user_id, now, until);
}

int store_notice_attach(store_conn *c, int64_t user_id, int64_t child_id, const char *since, const char *started,
			int64_t glass_id, const char *detail, bool *attached)
{
	return c->ops->notice_attach(c, user_id, child_id, since, started, glass_id, detail, attached);
}

int store_notice_pending(store_conn *c, int64_t user_id, int64_t child_id, const char *since, const char *started,
			 int64_t *n)
{
	return c->ops->notice_pending(c, user_id, child_id, since, started, n);
}

int store_worker_notice_add(store_conn *c, const struct store_worker_notice *n, int64_t *id)
{
	return c->ops->worker_notice_add(c, n, id);
}

int store_worker_notices(store_conn *c, const struct store_view *v, const char *recipient, int limit,
			 store_worker_notice_fn fn, void *ctx)
{
	if (!v)
		return STORE_EIO; /* every list naming a child takes the reader's view */
	return c->ops->worker_notices(c, v, recipient, limit, fn, ctx);
}

int store_child_looks(store_conn *c, int64_t child_id, const struct store_look_query *q, store_look_fn fn, void *ctx)
{
	return c->ops->child_looks(c, child_id, q, fn, ctx);
}

int store_break_glass_area(store_conn *c, const struct store_view *v, const struct store_glass_query *q,
			   store_break_glass_fn fn, void *ctx)
{
	if (!v)
		return STORE_EIO;
	return c->ops->break_glass_area(c, v, q, fn, ctx);
}

/* ---- the LADO's records (issue 18) ---- */

int store_lado_person_insert(store_conn *c, const struct store_lado_person *p, int64_t *id)
{
	return c->ops->lado_person_insert(c, p, id);
}
int store_lado_person_get(store_conn *c, int64_t id, struct store_lado_person *out, bool *found)
{
	return c->ops->lado_person_get(c, id, out, found);
}
int store_lado_people_near(store_conn *c, const char *dob, int limit, store_lado_person_fn fn, void *ctx)
{
	return c->ops->lado_people_near(c, dob, limit, fn, ctx);
}
int store_lado_employment_add(store_conn *c, const struct store_lado_employment *e, int64_t *id)
{
	return c->ops->lado_employment_add(c, e, id);
}
int store_lado_employments(store_conn *c, int64_t person_id, store_lado_employment_fn fn, void *ctx)
{
	return c->ops->lado_employments(c, person_id, fn, ctx);
}
int store_lado_home_by_urn(store_conn *c, const char *urn, int64_t *home_id, bool *found)
{
	return c->ops->lado_home_by_urn(c, urn, home_id, found);
}
int store_lado_allegation_insert(store_conn *c, const struct store_lado_allegation *a, int64_t *id)
{
	return c->ops->lado_allegation_insert(c, a, id);
}
int store_lado_allegation_get(store_conn *c, int64_t id, struct store_lado_allegation *out, bool *found)
{
	return c->ops->lado_allegation_get(c, id, out, found);
}
int store_lado_allegation_update(store_conn *c, const struct store_lado_allegation *a)
{
	return c->ops->lado_allegation_update(c, a);
}
int store_lado_allegations(store_conn *c, int64_t person_id, bool open_only, int limit, store_lado_allegation_fn fn,
			   void *ctx)
{
	return c->ops->lado_allegations(c, person_id, open_only, limit, fn, ctx);
}
int store_lado_alert_insert(store_conn *c, const struct store_lado_alert *a, int64_t *id, bool *inserted)
{
	return c->ops->lado_alert_insert(c, a, id, inserted);
}
int store_lado_alerts(store_conn *c, int64_t person_id, int64_t allegation_id, bool open_only, int limit,
		      store_lado_alert_fn fn, void *ctx)
{
	return c->ops->lado_alerts(c, person_id, allegation_id, open_only, limit, fn, ctx);
}
int store_lado_alert_resolve(store_conn *c, int64_t allegation_id, const char *code, const char *by, int64_t *n)
{
	return c->ops->lado_alert_resolve(c, allegation_id, code, by, n);
}

int store_speakup_insert(store_conn *c, const struct store_speakup *r, int64_t *id)
{
	return c->ops->speakup_insert(c, r, id);
}

int store_speakup_get(store_conn *c, int64_t id, const char *ref, struct store_speakup *out, bool *found)
{
	return c->ops->speakup_get(c, id, ref, out, found);
}

int store_speakups(store_conn *c, int limit, store_speakup_fn fn, void *ctx)
{
	return c->ops->speakups(c, limit, fn, ctx);
}

int store_speakup_update(store_conn *c, const struct store_speakup *r)
{
	return c->ops->speakup_update(c, r);
}

int store_speakup_count_since(store_conn *c, const char *since, int64_t *n)
{
	return c->ops->speakup_count_since(c, since, n);
}

int store_speakup_message_insert(store_conn *c, const struct store_speakup_message *m, int64_t *id)
{
	return c->ops->speakup_message_insert(c, m, id);
}

int store_speakup_messages(store_conn *c, int64_t report_id, store_speakup_message_fn fn, void *ctx)
{
	return c->ops->speakup_messages(c, report_id, fn, ctx);
}

int store_bulk_next_id(store_conn *c, enum store_bulk_table t, int64_t *next)
{
	return c->ops->bulk_next_id(c, t, next);
}

int store_bulk_begin(store_conn *c, enum store_bulk_table t)
{
	return c->ops->bulk_begin(c, t);
}

int store_bulk_row(store_conn *c, const struct store_bulk_value *v, int n)
{
	return c->ops->bulk_row(c, v, n);
}

int store_bulk_end(store_conn *c, bool ok)
{
	return c->ops->bulk_end(c, ok);
}

int store_bulk_fast_begin(store_conn *c, bool *fast)
{
	return c->ops->bulk_fast_begin(c, fast);
}

int store_bulk_fast_end(store_conn *c, bool fast)
{
	return c->ops->bulk_fast_end(c, fast);
}

int store_planner_stats_table(store_conn *c, const char *after, char table[STORE_STATS_TABLE_MAX], bool *changed)
{
	return c->ops->planner_stats_table(c, after, table, changed);
}

int store_planner_stats_end(store_conn *c)
{
	return c->ops->planner_stats_end(c);
}
