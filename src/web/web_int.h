/*
 * web/web_int.h — what the page files share (web.c: rendering, the search, the record and the concern
 * form, routing; work.c: alerts, caseload, MASH queue; visit.c: record a visit). Not for use outside web/.
 *
 * Views are jansson objects rendered by a named template (templates/NAME.mustache); web_render steals the
 * view. Strings that come from people go into views as they are: the templates escape them ({{ }}).
 */
#ifndef SAFEGUARD_WEB_WEB_INT_H
#define SAFEGUARD_WEB_WEB_INT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/date.h"
#include "core/event.h"
#include "service/access.h"
#include "service/children.h"
#include "web/web.h"

/* The person signed in (web/signin.c): every page but sign-in has one. */
struct web_user {
	int64_t user_id;
	char username[STORE_USER_MAX + 1], role[STORE_CODE_MAX + 1], agency[STORE_CODE_MAX + 1];
	char actor[96];  /* "user:ID:USERNAME", for the audit */
	char token[48];  /* the session's secret (the cookie) */
	char csrf[48];   /* the CSRF token of its forms */
	/* Health's safeguarding lead (access_health_lead), asked when the session is loaded, of a health practitioner
	 * only (no other role asks the store anything more): the menu shows "Emergency openings" to the lead alone. */
	bool health_lead;
};
const struct web_user *web_user(http_request *rq);
const char *web_role_name(const char *code);
/* Where a person of this role lands after signing in (web/landing.c: the one table of it). */
const char *web_landing(const char *role);
bool web_has_page(const char *path);
void web_team_page(const struct web *w, http_request *rq);
/* Finds the request's session from its cookie (and pushes its idle time on); no session is not an error. */
int web_session_load(const struct web *w, http_request *rq);
/* The CSRF defence of every form that acts: the csrf_token field is the session's. */
bool web_csrf_ok(http_request *rq);
void web_signin_page(const struct web *w, http_request *rq);   /* GET /sign-in */
void web_signin_submit(const struct web *w, http_request *rq); /* POST /sign-in */
/* POST /sign-in from its headers alone: the browser holds the pre-session cookie its CSRF token comes from.
 * Answers 403 and gives false when it does not. */
bool web_signin_admit(const struct web *w, http_request *rq);
void web_signout(const struct web *w, http_request *rq);       /* POST /sign-out */
/* The refusal page of a child's record: 403, the same whether or not the child exists. */
void web_child_refusal(const struct web *w, http_request *rq, int64_t child_id, enum access_level level);
/* The record page's table holds this many events, newest first (older ones on pages behind a cursor). */
#define WEB_RECORD_PAGE 100
/* The longest return address (path and query) sign-in keeps in its next field. */
#define WEB_NEXT_MAX 512

/* ---- answering ---- */

void web_render(const struct web *w, http_request *rq, int status, const char *name, json_t *view);
/* The same with markup made elsewhere for the template's {{{NAME}}} tags (mustache_render_raw): a page's
 * large parts go into it without a copy in the view, and its buffer is sized for them at once. */
struct mustache_raw;
void web_render_raw(const struct web *w, http_request *rq, int status, const char *name, json_t *view,
		    const struct mustache_raw *raw, size_t nraw);
void web_message(const struct web *w, http_request *rq, int status, const char *title, const char *message);
/* The same with a link under the message (to the thing the message is about). */
void web_message_link(const struct web *w, http_request *rq, int status, const char *title, const char *message,
		      const char *href, const char *link_text);
/* 503 "Sorry, there is a problem with the service". */
void web_unavailable(const struct web *w, http_request *rq);
/* A form's write that failed with rc (< 0): the page given (title, message, a link back) when nothing was
 * saved; when the database connection was lost after the commit was sent (STORE_EUNKNOWN), a 503 that says the
 * change may or may not have been saved and to check (the link) before trying again (web/write_failed.c). */
void web_write_failed(const struct web *w, http_request *rq, int rc, const char *title, const char *message,
		      const char *href, const char *link_text);
/* The words of that page for rc: NULL when rc is not STORE_EUNKNOWN (for the unit test). */
const char *web_write_unknown_message(int rc);
/* 303 to a path of ours. */
void web_redirect(http_request *rq, const char *to);

/* ---- pieces of views ---- */

json_t *web_str(const char *s); /* a string known to be UTF-8 (from the store or a static table) */
const struct agency_kind *web_agency_find(const char *code);
const char *web_agency_name(const char *code);
void web_full_name(const struct store_person *p, char *out, size_t outsz);
/* "Given Family" from the two names lists carry ("(no family name)" as web_full_name). */
void web_short_name(const char *given, const char *family, char *out, size_t outsz);
struct date web_today(void); /* today in England (Europe/London) */
void web_dob_text(const char *dob, bool with_age, char *out, size_t outsz);
/* An RFC 3339 instant as the UK local long date and HH:MM. */
void web_when_text(const char *ts, char *date, size_t datesz, char *hm, size_t hmsz);
/* "4 March 2025" from "2025-03-04"; false (and out "") when day is not a date. */
bool web_day_text(const char *day, struct date *d, char *out, size_t outsz);

/* ---- forms ---- */

int web_date_fields(const char *day, const char *month, const char *year, struct date *d, bool *given);
/* "14:30" (or "14.30") to hour and minute; -1 when it is not a time of day. */
int web_time_field(const char *hm, int *hour, int *minute);
/* The UTC instant of a UK civil date and time (GMT or BST as it applied). */
int64_t web_uk_civil(struct date d, int hour, int minute);
void web_add_error(json_t *view, const char *field, const char *anchor, const char *message);
void web_field(http_request *rq, const char *name, char *buf, size_t bufsz);
void web_keep(json_t *form, json_t *view, const char *key, const char *field, const char *anchor, const char *v);
bool web_text_ok(const char *s, size_t max_chars, bool multi_line);
/* The CSRF defence of every form that acts: false when the browser says it came from another site. */
bool web_same_origin(const struct web *w, http_request *rq);
/* Stricter: true only when the browser says the form is this service's (Origin this service's, or Sec-Fetch-Site
 * same-origin), headers a page of another site cannot set; false when it says nothing. For a refused upload
 * declared over the limit, whose CSRF token is never read (web/recordings_pages.c upload_refused). */
bool web_origin_vouched(const struct web *w, http_request *rq);
/* Whether a signed-in person's refused request may be audited in her name: a form vouched for (above), a page
 * not said to come from another site (web.c, r-tidy34). */
bool web_request_vouched(const struct web *w, http_request *rq);

/* ---- recording an event from a page ---- */

/* Records an event a practitioner entered on a child's page (kind "concern", "visit"), through intake in a
 * job of the write queue as the API does: details and the form (kept as the payload) as JSON, occurred at
 * `at`, summary taken (freed when the job is done). The job answers: 303 to the child's record
 * (?recorded=RECORDED#event-ID), 404 when there is no such child, 503 ("The WHAT was not saved") when it
 * could not be stored. false, with nothing answered and summary not taken, when it could not be queued. */
bool web_record_event(const struct web *w, http_request *rq, int64_t child_id, const char *agency, const char *kind,
		      const char *what, const char *recorded, int64_t at, json_t *details, json_t *form, char *summary);

/* ---- audited reads ---- */

/* A read for a page: its audit entry is queued (children_access_audit), the request sleeps until the entry
 * is durable, then show() runs on a server thread and must answer (a 503 is answered instead when the entry
 * failed); release() frees the job in every case, also when the request ends first. A page's job embeds
 * struct web_read as its first member. */
struct web_read {
	struct children_access access; /* first: the audit's callback finds the job from it */
	const struct web *w;
	http_request *rq;
	void (*show)(struct web_read *r);
	void (*release)(struct web_read *r);
	/* May be NULL: answers a refused read (access.refused, above all one the object's rule refused before the
	 * entry: children_access.refuse) instead of the record's refusal page. */
	void (*refusal)(struct web_read *r);
};
void web_read_start(const struct web *w, http_request *rq, struct web_read *r, const char *action, int64_t child_id,
		    const char *detail);
/* The same for a read that needs a relationship with the child (ACCESS_AGENCY, ACCESS_FULL): the service
 * decides it with the audit entry, and below need the refusal page is answered (audited as a refusal) and
 * show() is not called. */
void web_child_read_start(const struct web *w, http_request *rq, struct web_read *r, const char *action,
			  int64_t child_id, enum access_level need, const char *detail);
/* For a read its service decides and audits in one call (service/alerts.h alerts_read_decided,
 * service/recordings.h recordings_read_decided; r-tidy32): r made ready (the person signed in as the reader, no
 * child yet) with a hold that suspends the request (web_read_suspend) before the entry is queued. A page that
 * finishes the entry's detail from the decision sets its own hold, which ends with web_read_suspend. */
void web_read_prepare(const struct web *w, http_request *rq, struct web_read *r, const char *action,
		      enum access_level need, const char *detail);
void web_read_suspend(struct web_read *r);
/* Names the person signed in as the reader of an access (service/children.h), with what it reads. */
void web_access_init(struct children_access *a, http_request *rq, const char *action, int64_t child_id,
		     enum access_level need, const char *detail);

/* Acting on an alert (action "alert.acknowledge", "alert.resolve"), decided before its job as the alert's page
 * is (alerts_write_decided: its decision and, refused, its "access.refused" entry in one call, r-ntk31). True:
 * the write may go on. False: answered (a store failure: the service's 503), or refused, and answer() gives the
 * same page as before once the entry is durable. */
bool web_alert_write_decided(const struct web *w, http_request *rq, int64_t id, const char *action,
			     void (*answer)(const struct web *w, http_request *rq));

/* ---- pages outside web.c ---- */

void web_alerts_page(const struct web *w, http_request *rq);                     /* GET /alerts */
void web_alert_page(const struct web *w, http_request *rq, int64_t id);          /* GET /alerts/{id} */
void web_alert_acknowledge(const struct web *w, http_request *rq, int64_t id);   /* POST .../acknowledge */
void web_alert_resolve(const struct web *w, http_request *rq, int64_t id);       /* POST .../resolve */
void web_caseload_page(const struct web *w, http_request *rq);                   /* GET /caseload */
void web_event_link(const struct web *w, http_request *rq, int64_t child_id, int64_t event_id);
void web_visit_form(const struct web *w, http_request *rq, int64_t child_id);    /* GET .../visits/new */
void web_visit_submit(const struct web *w, http_request *rq, int64_t child_id);  /* POST .../visits */
/* web/child_summary.c (issue 15): the child's summary card (NULL when the reader is not shown it), and /flag. */
/* placement, placed: NULL, or where the child's placement today goes when the card read it (the record page
 * shows it in a panel of its own too). */
json_t *web_child_summary_view(const struct web *w, const struct children_access *a,
			       struct store_home_placement *placement, bool *placed);
void web_flag_page(const struct web *w, http_request *rq);                       /* GET /flag */

/* web/mash_pages.c: the MASH queue and its decisions */
void web_mash_page(const struct web *w, http_request *rq);                        /* GET /mash */
void web_mash_item_page(const struct web *w, http_request *rq, int64_t event_id); /* GET /mash/{id} */
void web_mash_decide(const struct web *w, http_request *rq, int64_t event_id);    /* POST .../decision */

/* web/access_pages.c */
void web_break_glass_form(const struct web *w, http_request *rq, int64_t child_id);   /* GET .../break-glass */
void web_break_glass_submit(const struct web *w, http_request *rq, int64_t child_id); /* POST .../break-glass */
void web_viewers_page(const struct web *w, http_request *rq, int64_t child_id);       /* GET .../viewers */
void web_notices_page(const struct web *w, http_request *rq);                         /* GET /notices */
void web_my_notices_page(const struct web *w, http_request *rq);                      /* GET /my-notices */
void web_dpo_page(const struct web *w, http_request *rq);                             /* GET /dpo */
void web_health_glass_page(const struct web *w, http_request *rq);                    /* GET /health/break-glass */
/* The record page's banner when the reader opened it in an emergency: "emergency" {until_date, until_time}. */
void web_break_glass_banner(json_t *view, const struct access_reader *r);

/* web/lado.c: allegations against people who work with children (issue 18) */
void web_lado_page(const struct web *w, http_request *rq);                            /* GET /lado */
void web_lado_new_page(const struct web *w, http_request *rq);                        /* GET /lado/new */
void web_lado_new_submit(const struct web *w, http_request *rq);                      /* POST /lado/new */
void web_lado_person_page(const struct web *w, http_request *rq, int64_t id);         /* GET /lado/people/{id} */
void web_lado_allegation_page(const struct web *w, http_request *rq, int64_t id);     /* GET /lado/allegations/{id} */
void web_lado_step_submit(const struct web *w, http_request *rq, int64_t id);         /* POST .../{id}/steps */

/* web/link_pages.c: record linkage's review queue */
void web_link_reviews_page(const struct web *w, http_request *rq);                   /* GET /link-reviews */
void web_link_review_page(const struct web *w, http_request *rq, int64_t id);        /* GET /link-reviews/{id} */
void web_link_review_decide(const struct web *w, http_request *rq, int64_t id);      /* POST .../{id}/decision */
void web_merge_undo(const struct web *w, http_request *rq, int64_t merge_id);        /* POST /merges/{id}/undo */
/* web/admin.c: the administrator's pages under /admin */
void web_admin_page(const struct web *w, http_request *rq);                          /* GET /admin */
void web_admin_users_page(const struct web *w, http_request *rq);                    /* GET /admin/users */
void web_admin_user_add(const struct web *w, http_request *rq);                      /* POST /admin/users */
void web_admin_user_reset_form(const struct web *w, http_request *rq, int64_t id);   /* GET .../{id}/reset */
void web_admin_user_reset(const struct web *w, http_request *rq, int64_t id);        /* POST .../{id}/reset */
void web_admin_user_disable(const struct web *w, http_request *rq, int64_t id);      /* POST .../{id}/disable */
void web_admin_user_enable(const struct web *w, http_request *rq, int64_t id);       /* POST .../{id}/enable */
void web_admin_teams_page(const struct web *w, http_request *rq);                    /* GET /admin/teams */
void web_admin_team_save(const struct web *w, http_request *rq);                     /* POST /admin/teams */
void web_admin_allocations_page(const struct web *w, http_request *rq);              /* GET /admin/allocations */
void web_admin_allocate(const struct web *w, http_request *rq);                      /* POST /admin/allocations */
void web_admin_tokens_page(const struct web *w, http_request *rq);                   /* GET /admin/tokens */
void web_admin_token_create(const struct web *w, http_request *rq);                  /* POST /admin/tokens */
void web_admin_token_revoke(const struct web *w, http_request *rq, int64_t id);      /* POST .../{id}/revoke */
void web_admin_token_approve(const struct web *w, http_request *rq, int64_t id);     /* POST .../{id}/approve */
/* Issue 15: ask before disabling a person or revoking a token; allocate by finding the child and the worker. */
void web_admin_user_disable_form(const struct web *w, http_request *rq, int64_t id);  /* GET .../{id}/disable */
void web_admin_token_revoke_form(const struct web *w, http_request *rq, int64_t id);  /* GET .../{id}/revoke */
void web_admin_allocation_confirm(const struct web *w, http_request *rq);            /* GET .../allocations/confirm */
/* web/qr.c: a QR code of text as inline SVG (malloc'd; NULL when it cannot be made); label is a fixed text. */
char *web_qr_svg(const char *text, const char *label);

/* web/recordings_pages.c (issue 18, part 3): a child's recordings, the upload form, playing and downloading */
void web_recordings_page(const struct web *w, http_request *rq, int64_t child_id);  /* GET .../recordings */
void web_recording_upload(const struct web *w, http_request *rq, int64_t child_id); /* POST .../recordings */
/* GET /recordings/{id}/play (inline, Range requests) and /recordings/{id}/download (an attachment) */
void web_recording_content(const struct web *w, http_request *rq, int64_t id, bool download);

/* web/homes.c: children's homes */
void web_homes_page(const struct web *w, http_request *rq);                          /* GET /homes */
void web_homes_run(const struct web *w, http_request *rq);                           /* POST /homes/runs */
void web_homes_funnel(const struct web *w, http_request *rq);                        /* GET /homes/funnel */
void web_home_page(const struct web *w, http_request *rq, int64_t id);               /* GET /homes/{id} */
void web_home_alert_acknowledge(const struct web *w, http_request *rq, int64_t id); /* POST /homes/alerts/{id}/acknowledge */
void web_home_alert_resolve(const struct web *w, http_request *rq, int64_t id);     /* POST /homes/alerts/{id}/resolve */
void web_home_reg44_add(const struct web *w, http_request *rq, int64_t id);         /* POST /homes/{id}/reg44-reports */
void web_police_homes_page(const struct web *w, http_request *rq);                   /* GET /police/homes */
void web_police_home_page(const struct web *w, http_request *rq, int64_t id);        /* GET /police/homes/{id} */
void web_police_note_add(const struct web *w, http_request *rq, int64_t id);         /* POST .../{id}/notes */

/* web/speakup.c: speak up (issue 18) — the reporter's pages (public) and the reviewers' queue */
void web_speakup_start(const struct web *w, http_request *rq);                     /* GET /speak-up */
void web_speakup_submit(const struct web *w, http_request *rq);                    /* POST /speak-up */
void web_speakup_easy(const struct web *w, http_request *rq);                      /* GET /speak-up/easy */
void web_speakup_return_page(const struct web *w, http_request *rq);               /* GET /speak-up/return */
void web_speakup_return(const struct web *w, http_request *rq);                    /* POST /speak-up/return */
void web_speakup_reports(const struct web *w, http_request *rq);                   /* GET /speak-up/reports */
void web_speakup_report(const struct web *w, http_request *rq, int64_t id);        /* GET .../reports/{id} */
void web_speakup_triage(const struct web *w, http_request *rq, int64_t id);        /* POST .../{id}/triage */
void web_speakup_reply(const struct web *w, http_request *rq, int64_t id);         /* POST .../{id}/reply */
/* A speak-up form (public) from its headers: the browser holds the form cookie its CSRF token comes from.
 * Answers 403 and gives false when it does not. */
bool web_speakup_admit(const struct web *w, http_request *rq);

#endif
