/*
 * store/store_int.h — what a backend implements. Only the files in store/ include this.
 *
 * Every backend's connection and store structs begin with the common header below, so store.c can
 * dispatch without knowing the backend. One row of struct store_ops per function of store.h.
 */
#ifndef SAFEGUARD_STORE_INT_H
#define SAFEGUARD_STORE_INT_H

#include "store/store.h"

/* The schema version this binary speaks; each backend has the same numbered migrations. */
#define STORE_SCHEMA_VERSION 43

struct store_ops {
	const char *scheme; /* "sqlite" */
	int (*open)(const char *rest, store **out, char *err, size_t errsz);
	void (*close)(store *st);
	int (*migrate)(store *st, int *from, int *to, char *err, size_t errsz);
	int (*check_schema)(store *st, char *err, size_t errsz);
	store_conn *(*conn_get)(store *st);
	void (*conn_put)(store *st, store_conn *c);
	store_conn *(*conn_get_read)(store *st);
	int (*set_read_url)(store *st, const char *url, char *err, size_t errsz);
	const char *(*errmsg)(store_conn *c);
	int (*begin)(store_conn *c);
	int (*begin_read)(store_conn *c);
	int (*commit)(store_conn *c);
	int (*rollback)(store_conn *c);
	int (*savepoint)(store_conn *c);
	int (*savepoint_release)(store_conn *c);
	int (*savepoint_rollback)(store_conn *c);
	int (*ping)(store_conn *c);
	void (*counters)(store_conn *c, uint64_t *statements, uint64_t *round_trips);
	void (*ahead_counts)(store_conn *c, struct store_ahead_counts *out);
	int (*agency_upsert)(store_conn *c, const char *code, const char *name);
	int (*agencies)(store_conn *c, store_agency_fn fn, void *ctx);
	int (*agency_exists)(store_conn *c, const char *code, bool *found);
	int (*client_insert)(store_conn *c, const char *agency, const uint8_t hash[STORE_TOKEN_HASH_LEN],
			     const char *label, const char *scope, const char *created_by, bool pending, int64_t *id);
	int (*client_find)(store_conn *c, const uint8_t hash[STORE_TOKEN_HASH_LEN], struct store_client *out,
			   bool *found);
	int (*auth_generation)(store_conn *c, int64_t *gen);
	bool (*clients_changed)(store_conn *c);
	int (*person_insert)(store_conn *c, const struct store_person *p, int64_t *id);
	int (*person_get)(store_conn *c, int64_t id, struct store_person *out, bool *found);
	int (*person_exists)(store_conn *c, int64_t id, bool *found);
	int (*person_update_attributes)(store_conn *c, int64_t id, const struct store_person *p);
	int (*person_search)(store_conn *c, const struct store_view *v, const struct store_search *q, store_person_fn fn, void *ctx);
	int (*person_by_identifier)(store_conn *c, const char *kind, const char *value, int64_t *person_id);
	int (*person_by_match_key)(store_conn *c, const char *key, int64_t *person_id);
	int (*identifier_add)(store_conn *c, int64_t person_id, const char *kind, const char *value,
			      int64_t source_record_id);
	int (*identifiers_each)(store_conn *c, int64_t person_id, store_identifier_fn fn, void *ctx);
	int (*household_join)(store_conn *c, const char *key, const char *postcode, const char *address,
			      int64_t person_id, const char *seen_at, int64_t *household_id);
	int (*households_of)(store_conn *c, int64_t person_id, store_household_fn fn, void *ctx);
	int (*household_members)(store_conn *c, const struct store_view *v, int64_t household_id, store_person_fn fn, void *ctx);
	int (*source_insert)(store_conn *c, const struct store_source_record *r, int64_t *id);
	int (*source_find)(store_conn *c, const char *agency, const char *source_ref,
			   struct store_source_record *out, bool *found);
	int (*source_absent_ahead)(store_conn *c, const char *const *agency, const char *const *source_ref,
				   const char *const *household_key, int n);
	int (*event_insert)(store_conn *c, const struct store_event *e, int64_t *id);
	int (*source_event_insert)(store_conn *c, const struct store_source_record *r, const struct store_event *e,
				   int64_t *source_id, int64_t *event_id);
	int (*chronology)(store_conn *c, const struct store_view *v, int64_t person_id, const struct store_page *page, store_event_fn fn,
			  void *ctx);
	int (*event_count)(store_conn *c, int64_t person_id, int64_t *n);
	int (*event_marks)(store_conn *c, const struct store_view *v, int64_t person_id, const struct store_page *page, store_event_fn fn,
			   void *ctx);
	int (*event_kinds)(store_conn *c, const struct store_view *v, int64_t person_id, store_kind_fn fn, void *ctx);
	int (*send_ahead)(store_conn *c, const struct store_ahead *a);
	int (*audit_append)(store_conn *c, const struct store_audit *a);
	int (*audit_count)(store_conn *c, int64_t *n);
	int (*child_agency_contributed)(store_conn *c, int64_t child_id, const char *agency, bool *yes);
	int (*access_facts)(store_conn *c, int64_t child_id, const struct store_view *view,
			    struct store_access_facts *out);
	int (*access_facts_ahead)(store_conn *c, const int64_t *child_ids, int n, const struct store_view *view);
	int (*child_awaiting_decision)(store_conn *c, int64_t child_id, bool *yes);
	int (*break_glass_add)(store_conn *c, const struct store_break_glass *b, int64_t *id);
	int (*break_glass_live)(store_conn *c, int64_t child_id, int64_t user_id, const char *now, bool *live);
	int (*break_glass_of_child)(store_conn *c, int64_t child_id, int limit, store_break_glass_fn fn, void *ctx);
	int (*clients)(store_conn *c, int limit, store_client_fn fn, void *ctx);
	int (*client_revoke)(store_conn *c, int64_t id, const char *at, bool *found);
	int (*client_get)(store_conn *c, int64_t id, struct store_client_info *out, bool *found);
	int (*client_approve)(store_conn *c, int64_t id, const char *by, const char *at, bool *changed);
	int (*teams)(store_conn *c, int limit, store_team_fn fn, void *ctx);
	int (*user_by_id)(store_conn *c, int64_t id, struct store_user *out, bool *found);
	int (*users)(store_conn *c, int limit, store_user_fn fn, void *ctx);
	int (*user_disable)(store_conn *c, const char *username, const char *at, bool *found);
	int (*user_enable)(store_conn *c, const char *username, bool *found);
	int (*audit_reads_of_child)(store_conn *c, int64_t child_id, int limit, store_audit_fn fn, void *ctx);
	int (*audit_list)(store_conn *c, const struct store_audit_query *q, store_audit_fn fn, void *ctx);
	int (*user_insert)(store_conn *c, const struct store_user *u, int64_t *id);
	int (*user_by_name)(store_conn *c, const char *username, struct store_user *out, bool *found);
	int (*session_insert)(store_conn *c, const uint8_t hash[STORE_TOKEN_HASH_LEN], const struct store_session *s);
	int (*user_set_credentials)(store_conn *c, const char *username, const char *password_hash,
				    const uint8_t totp_sealed[STORE_TOTP_SEALED_LEN], bool *found);
	int (*user_set_totp)(store_conn *c, const char *username, const uint8_t totp_sealed[STORE_TOTP_SEALED_LEN],
			     bool *found);
	int (*users_totp_plain)(store_conn *c, store_user_fn fn, void *ctx);
	int (*user_totp_seal)(store_conn *c, int64_t id, const uint8_t totp_sealed[STORE_TOTP_SEALED_LEN]);
	int (*wal_truncate)(store_conn *c);
	int (*user_totp_step)(store_conn *c, int64_t id, int64_t step, const uint8_t *sealed, bool *advanced);
	int (*person_sealed)(store_conn *c, int64_t id, bool *sealed);
	int (*person_seal)(store_conn *c, int64_t id, const char *basis, const char *by, bool *already);
	int (*seals)(store_conn *c, int64_t person_id, int limit, store_seal_fn fn, void *ctx);
	int (*session_touch)(store_conn *c, const uint8_t hash[STORE_TOKEN_HASH_LEN], const char *until);
	int (*session_end)(store_conn *c, const uint8_t hash[STORE_TOKEN_HASH_LEN], const char *at);
	int (*session_find)(store_conn *c, const uint8_t hash[STORE_TOKEN_HASH_LEN], const char *now, struct store_session *out, bool *found);
	int (*login_attempt_add)(store_conn *c, const char *username, const char *remote, bool ok);
	int (*login_failures)(store_conn *c, const char *username, const char *remote, const char *since,
			      struct store_login_failures *out);
	int (*login_throttle_note)(store_conn *c, const char *key, const char *since, const char *now, bool *first);
	int (*login_prune)(store_conn *c, const char *before, int64_t *n);
	int (*login_attempts)(store_conn *c, const char *username, bool failed_only, int limit, store_login_attempt_fn fn,
			      void *ctx);
	int (*user_sessions)(store_conn *c, const char *username, const char *live_at, int limit,
			     store_session_row_fn fn, void *ctx);
	int (*sweep_claim)(store_conn *c, const char *day, const char *server, bool *claimed);
	int (*sweep_runs)(store_conn *c, int limit, store_sweep_run_fn fn, void *ctx);
	int (*notice_add)(store_conn *c, const struct store_notice *n, int64_t *id);
	int (*notice_count)(store_conn *c, int64_t user_id, const char *kind, const char *since, int64_t *n);
	int (*notices)(store_conn *c, const struct store_view *v, const char *started, int limit, store_notice_fn fn,
		       void *ctx);
	int (*checkpoint_add)(store_conn *c, const struct store_checkpoint *k);
	int (*checkpoints)(store_conn *c, store_checkpoint_fn fn, void *ctx);
	int (*audit_last)(store_conn *c, int64_t *id, uint8_t hash[STORE_AUDIT_HASH_LEN], bool *found);
	int (*audit_each)(store_conn *c, store_audit_fn fn, void *ctx);
	int (*audit_unsealed)(store_conn *c, store_audit_fn fn, void *ctx);
	int (*audit_seal)(store_conn *c, int64_t id, const uint8_t hash[STORE_AUDIT_HASH_LEN]);
	int (*events_of_kinds)(store_conn *c, int64_t person_id, const char *kinds_json, store_event_fn fn, void *ctx);
	int (*status_events)(store_conn *c, const struct store_view *v, int64_t person_id, store_status_fn fn,
			     void *ctx);
	int (*details_shown)(store_conn *c, const struct store_view *v, const char *details, bool *shown);
	int (*events_of_kinds_all)(store_conn *c, const char *kinds_json, store_event_fn fn, void *ctx);
	int (*events_of_kinds_in_time)(store_conn *c, int64_t person_id, const char *kinds_json, store_event_fn fn,
				       void *ctx);
	int (*housemates)(store_conn *c, int64_t person_id, store_person_fn fn, void *ctx);
	int (*housemate_events)(store_conn *c, int64_t person_id, const char *kind, store_event_fn fn, void *ctx);
	int (*rule_events)(store_conn *c, int64_t person_id, const char *kinds_json, const char *housemate_kind,
			   store_event_fn fn, void *ctx);
	int (*alert_insert)(store_conn *c, const struct store_alert *a, int64_t *id, bool *inserted);
	int (*alert_get)(store_conn *c, int64_t id, struct store_alert *out, bool *found);
	int (*alerts)(store_conn *c, const struct store_view *v, const struct store_alert_query *q, store_alert_fn fn, void *ctx);
	int (*alerts_owned)(store_conn *c, const struct store_view *v, const struct store_alert_query *q, store_alert_fn fn,
			    void *ctx);
	int (*alert_counts)(store_conn *c, int64_t person_id, int64_t *open, int64_t *overdue_due_before, const char *today);
	int (*alert_acknowledge)(store_conn *c, int64_t id, const char *by, bool *changed);
	int (*alert_resolve)(store_conn *c, int64_t id, const char *by, const char *outcome, bool *changed);
	int (*alerts_escalation_due)(store_conn *c, const char *created_before, store_alert_due_fn fn, void *ctx);
	int (*alerts_escalated_to)(store_conn *c, const char *escalated_to, store_alert_due_fn fn, void *ctx);
	int (*team_upsert)(store_conn *c, const struct store_team *t);
	int (*allocation_set)(store_conn *c, const struct store_allocation *a);
	int (*allocation_get)(store_conn *c, int64_t person_id, struct store_allocation *out, bool *found);
	int (*caseload)(store_conn *c, const struct store_view *v, const char *worker, int limit, store_allocation_fn fn, void *ctx);
	int (*allocations)(store_conn *c, const struct store_view *v, int64_t person_id, int limit, store_allocation_fn fn,
			   void *ctx);
	int (*caseload_managed)(store_conn *c, const struct store_view *v, const char *worker, const char *manager,
				int limit, store_allocation_fn fn, void *ctx);
	int (*alerts_follow)(store_conn *c, int64_t person_id, const char *owner_kind, const char *owner,
			     const char *escalated_to, int64_t *n);
	int (*alert_escalate_one)(store_conn *c, int64_t id, const char *escalated_to, bool *changed);
	int (*manages)(store_conn *c, const char *manager, const char *team, const char *worker, int64_t child_id,
		       bool *yes);
	int (*team_workload)(store_conn *c, const struct store_view *v, const char *team, const char *today,
			     store_workload_fn fn, void *ctx);
	int (*awaiting_decision)(store_conn *c, const struct store_view *v, int limit, store_awaiting_fn fn, void *ctx, int64_t *total);
	int (*mash_queue)(store_conn *c, const struct store_view *v, const struct store_mash_query *q, store_mash_fn fn,
			  void *ctx, int64_t *total);
	int (*mash_item)(store_conn *c, const struct store_view *v, int64_t event_id, store_mash_fn fn, void *ctx);
	int (*flag_access_add)(store_conn *c, const struct store_flag_access *a, int64_t *id);
	int (*flag_accesses)(store_conn *c, int64_t person_id, int limit, store_flag_access_fn fn, void *ctx);
	int (*recording_insert)(store_conn *c, const struct store_recording *r, int64_t *id);
	int (*recording_get)(store_conn *c, int64_t id, struct store_recording *out, bool *found);
	int (*recordings)(store_conn *c, int64_t child_id, store_recording_fn fn, void *ctx);
	int (*recording_rewrap)(store_conn *c, int64_t id, const uint8_t wrapped[STORE_RECORDING_WRAPPED_LEN],
				const uint8_t nonce[STORE_RECORDING_NONCE_LEN]);
	int (*recording_delete)(store_conn *c, int64_t id);
	/* children's homes and their oversight */
	int (*home_insert)(store_conn *c, const struct store_home *h, int64_t *id);
	int (*home_get)(store_conn *c, int64_t id, struct store_home *out, bool *found);
	int (*homes)(store_conn *c, const char *la_code, store_home_fn fn, void *ctx);
	int (*home_occupancy_set)(store_conn *c, int64_t home_id, const char *month, double child_nights);
	int (*home_occupancy)(store_conn *c, int64_t home_id, store_occupancy_fn fn, void *ctx);
	int (*home_incident_insert)(store_conn *c, const struct store_home_incident *i, int64_t *id);
	int (*home_incident_counts)(store_conn *c, store_incident_count_fn fn, void *ctx);
	int (*home_incidents)(store_conn *c, const struct store_view *v, const struct store_incident_query *q, store_home_incident_fn fn, void *ctx);
	int (*home_placement_insert)(store_conn *c, const struct store_home_placement *p, int64_t *id);
	int (*home_placements)(store_conn *c, const struct store_view *v, int64_t home_id, store_placement_fn fn, void *ctx);
	int (*reg44_insert)(store_conn *c, const struct store_reg44 *r, int64_t *id);
	int (*reg44_reports)(store_conn *c, int64_t home_id, int limit, store_reg44_fn fn, void *ctx);
	int (*reg44_missing)(store_conn *c, const char *month, store_id_fn fn, void *ctx);
	int (*reg44_opinions)(store_conn *c, store_reg44_opinion_fn fn, void *ctx);
	int (*home_note_insert)(store_conn *c, const struct store_home_note *n, int64_t *id);
	int (*home_notes)(store_conn *c, int64_t home_id, int limit, store_home_note_fn fn, void *ctx);
	int (*oversight_run_insert)(store_conn *c, const struct store_oversight_run *r, int64_t *id);
	int (*oversight_run_get)(store_conn *c, int64_t id, struct store_oversight_run *out, bool *found);
	int (*oversight_signal_insert)(store_conn *c, const struct store_oversight_signal *s);
	int (*oversight_signals)(store_conn *c, int64_t run_id, int64_t home_id, store_signal_fn fn, void *ctx);
	int (*home_alert_insert)(store_conn *c, const struct store_home_alert *a, int64_t *id, bool *inserted);
	int (*home_alerts)(store_conn *c, int64_t home_id, bool open_only, int limit, store_home_alert_fn fn, void *ctx);
	int (*block_keys_add)(store_conn *c, int64_t person_id, int64_t source_record_id, const char *keys_json);
	int (*block_candidates)(store_conn *c, const char *keys_json, int limit, store_id_fn fn, void *ctx);
	int (*block_candidates_scored)(store_conn *c, const char *keys_json, int limit, store_candidate_fn fn, void *ctx);
	int (*block_candidates_ahead)(store_conn *c, const char *const *keys_json, int n, int limit); /* n -1: 1 if it would read */
	int (*link_review_insert)(store_conn *c, const struct store_link_review *r, int64_t *id);
	int (*link_review_get)(store_conn *c, int64_t id, struct store_link_review *out, bool *found);
	int (*link_reviews_open)(store_conn *c, const struct store_view *view, int limit, store_link_review_fn fn, void *ctx);
	int (*link_reviews)(store_conn *c, int64_t person_id, bool open_only, store_link_review_fn fn, void *ctx);
	int (*link_review_decide)(store_conn *c, int64_t id, const char *by, const char *decision, const char *reason,
				  int64_t merge_id, bool *changed);
	int (*link_review_pair)(store_conn *c, int64_t a, int64_t b, bool *exists);
	int (*link_refusal_add)(store_conn *c, int64_t a, int64_t b, int64_t source_record_id, int64_t review_id,
				const char *by, const char *reason);
	int (*link_refused)(store_conn *c, int64_t a, int64_t b, bool *refused);
	int (*person_merged_into)(store_conn *c, int64_t merged_id, int64_t *kept_id);
	int (*person_merge)(store_conn *c, int64_t kept_id, int64_t merged_id, const char *by, const char *reason,
			    int64_t *merge_id);
	int (*merge_get)(store_conn *c, int64_t id, struct store_merge *out, bool *found);
	int (*merges_of)(store_conn *c, int64_t person_id, int limit, store_merge_fn fn, void *ctx);
	int (*person_unmerge)(store_conn *c, int64_t merge_id, const char *by, const char *reason, bool *done);
	int (*home_alert_get)(store_conn *c, int64_t id, struct store_home_alert *out, bool *found);
	int (*home_alert_acknowledge)(store_conn *c, int64_t id, const char *by, bool *changed);
	int (*home_alert_resolve)(store_conn *c, int64_t id, const char *by, const char *outcome, bool *changed);
	int (*home_alert_resolve_key)(store_conn *c, int64_t home_id, const char *dedup_key, const char *by,
				      const char *outcome, int64_t *id);
	int (*home_alerts_escalate)(store_conn *c, const char *created_before, const char *owner, const char *escalated_to,
				    int64_t *n);
	int (*person_placement)(store_conn *c, int64_t person_id, const char *day, struct store_home_placement *out,
				bool *found);
	int (*link_model_insert)(store_conn *c, const struct store_link_model *m, int64_t *id);
	int (*link_model_latest)(store_conn *c, struct store_link_model *out, bool *found);
	int (*link_model_latest_id)(store_conn *c, int64_t *id);
	int (*link_training_records)(store_conn *c, store_link_subject_fn fn, void *ctx);
	int (*link_reviews_decided)(store_conn *c, store_link_labelled_fn fn, void *ctx);
	int (*link_review_counts)(store_conn *c, int64_t *reviews, int64_t *records);
	int (*link_counts_get)(store_conn *c, struct store_link_counts *out);
	int (*link_counts_set)(store_conn *c, int64_t reviews, int64_t records, int64_t counted_at);
	int (*table_counts)(store_conn *c, store_table_count_fn fn, void *ctx);
	int (*schema_indexes)(store_conn *c, store_index_fn fn, void *ctx);
	int (*team_contact_get)(store_conn *c, const char *code, struct store_team_contact *out, bool *found);
	int (*team_contacts)(store_conn *c, int limit, store_team_contact_fn fn, void *ctx);
	int (*child_contacts)(store_conn *c, int64_t child_id, const char *fallback_team, struct store_child_contacts *out);
	int (*team_contact_set)(store_conn *c, const struct store_team_contact *t, bool *found);
	int (*break_glass_until)(store_conn *c, int64_t child_id, int64_t user_id, const char *now,
				 char until[STORE_TS_LEN + 1]);
	int (*notice_attach)(store_conn *c, int64_t user_id, int64_t child_id, const char *since, const char *started,
			     int64_t glass_id, const char *detail, bool *attached);
	int (*notice_pending)(store_conn *c, int64_t user_id, int64_t child_id, const char *since, const char *started,
			      int64_t *n);
	int (*worker_notice_add)(store_conn *c, const struct store_worker_notice *n, int64_t *id);
	int (*worker_notices)(store_conn *c, const struct store_view *v, const char *recipient, int limit,
			      store_worker_notice_fn fn, void *ctx);
	int (*child_looks)(store_conn *c, int64_t child_id, const struct store_look_query *q, store_look_fn fn,
			   void *ctx);
	int (*break_glass_area)(store_conn *c, const struct store_view *v, const struct store_glass_query *q,
				store_break_glass_fn fn, void *ctx);
	/* the LADO's records (issue 18) */
	int (*lado_person_insert)(store_conn *c, const struct store_lado_person *p, int64_t *id);
	int (*lado_person_get)(store_conn *c, int64_t id, struct store_lado_person *out, bool *found);
	int (*lado_people_near)(store_conn *c, const char *dob, int limit, store_lado_person_fn fn, void *ctx);
	int (*lado_employment_add)(store_conn *c, const struct store_lado_employment *e, int64_t *id);
	int (*lado_employments)(store_conn *c, int64_t person_id, store_lado_employment_fn fn, void *ctx);
	int (*lado_home_by_urn)(store_conn *c, const char *urn, int64_t *home_id, bool *found);
	int (*lado_allegation_insert)(store_conn *c, const struct store_lado_allegation *a, int64_t *id);
	int (*lado_allegation_get)(store_conn *c, int64_t id, struct store_lado_allegation *out, bool *found);
	int (*lado_allegation_update)(store_conn *c, const struct store_lado_allegation *a);
	int (*lado_allegations)(store_conn *c, int64_t person_id, bool open_only, int limit,
				store_lado_allegation_fn fn, void *ctx);
	int (*lado_alert_insert)(store_conn *c, const struct store_lado_alert *a, int64_t *id, bool *inserted);
	int (*lado_alerts)(store_conn *c, int64_t person_id, int64_t allegation_id, bool open_only, int limit,
			   store_lado_alert_fn fn, void *ctx);
	int (*lado_alert_resolve)(store_conn *c, int64_t allegation_id, const char *code, const char *by, int64_t *n);
	int (*speakup_insert)(store_conn *c, const struct store_speakup *r, int64_t *id);
	int (*speakup_get)(store_conn *c, int64_t id, const char *ref, struct store_speakup *out, bool *found);
	int (*speakups)(store_conn *c, int limit, store_speakup_fn fn, void *ctx);
	int (*speakup_update)(store_conn *c, const struct store_speakup *r);
	int (*speakup_count_since)(store_conn *c, const char *since, int64_t *n);
	int (*speakup_message_insert)(store_conn *c, const struct store_speakup_message *m, int64_t *id);
	int (*speakup_messages)(store_conn *c, int64_t report_id, store_speakup_message_fn fn, void *ctx);
	/* bulk loads (store_bulk.h) */
	int (*bulk_next_id)(store_conn *c, enum store_bulk_table t, int64_t *next);
	int (*bulk_begin)(store_conn *c, enum store_bulk_table t);
	int (*bulk_row)(store_conn *c, const struct store_bulk_value *v, int n);
	int (*bulk_end)(store_conn *c, bool ok);
	int (*bulk_fast_begin)(store_conn *c, bool *fast);
	int (*bulk_fast_end)(store_conn *c, bool fast);
	int (*planner_stats_table)(store_conn *c, const char *after, char *table, bool *changed);
	int (*planner_stats_end)(store_conn *c);
};

/* The common head of every backend's structs. */
struct store {
	const struct store_ops *ops;
};
struct store_conn {
	const struct store_ops *ops;
};

extern const struct store_ops store_sqlite_ops;
/* postgresql://... (the whole URL): the same operations over store/drv_pg.c. */
int store_pg_open(const char *url, store **out, char *err, size_t errsz);

#endif
