/*
 * web/admin.c — the administrator's pages (issue 4, part 6): people who sign in (add one, reset their
 * password and second factor, disable them), teams, allocations of children to teams and workers, and the
 * agency systems' API tokens (create one, revoke one).
 *
 * Only the role "admin" reaches them (the route table's ACT_ADMIN), and an administrator never sees a
 * child's record: to allocate, they find the child by name, date of birth or number and see only who the
 * child is (web/admin_alloc.c, service/access.h). Disabling a person, revoking a token and allocating a
 * child each ask first (a confirmation page; the POST acts only with confirm=yes, issue 15). Every change is a write-queue job whose service
 * call writes its audit entry with the administrator as actor, in the same transaction, so nothing is
 * written in part. A secret (a person's TOTP secret, an agency's token) is shown once, on the page that
 * answers the form, and never again: only hashes are kept of tokens, and no page reads a TOTP secret back.
 */
#include "web/web_int.h"

#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clock/now.h"
#include "core/event.h"
#include "core/text.h"
#include "service/alerts.h"
#include "service/cases.h"
#include "service/tokens.h"
#include "service/txq.h"
#include "service/users.h"

#define USERS_SHOWN 500
#define TEAMS_SHOWN 500
#define TOKENS_SHOWN 500
#define TEAM_NAME_MAX 100 /* characters */
#define LABEL_MAX 100     /* characters */
/* As `safeguard allocate`: a worker's case with no team named sits in the team "default" (made, with no
 * manager, the first time). */
#define DEFAULT_TEAM "default"

/* ---- shared pieces ---- */

static json_t *admin_view(const char *title)
{
	return json_pack("{s:s, s:b, s:{s:s, s:s}}", "title", title, "nav_admin", 1, "back", "href", "/admin", "text",
			 "Administration");
}

static json_t *agency_options(const char *selected)
{
	const struct agency_kind *a;
	json_t *list = json_array();
	for (size_t i = 0; (a = agency_builtin_at(i)) != NULL; i++)
		json_array_append_new(list, json_pack("{s:s, s:s, s:b}", "value", a->code, "text", a->name, "selected",
						      selected && strcmp(selected, a->code) == 0));
	return list;
}

static json_t *role_options(const char *selected)
{
	json_t *list = json_array();
	const char *r;
	for (size_t i = 0; (r = users_role_at(i)) != NULL; i++)
		json_array_append_new(list, json_pack("{s:s, s:s, s:b}", "value", r, "text", web_role_name(r), "selected",
						      selected && strcmp(selected, r) == 0));
	return list;
}

static const char *form_str(json_t *view, const char *key)
{
	return json_string_value(json_object_get(json_object_get(view, "form"), key));
}

/* A banner after a change that answered with a redirect (?done=WHAT): fixed words, nothing from the query. */
static void done_banner(http_request *rq, json_t *view)
{
	static const struct {
		const char *code, *text;
	} done[] = {
		{"disabled", "The person is disabled: they cannot sign in, and their sessions have ended."},
		{"enabled", "The person is enabled: they can sign in again with the password and second factor they had."},
		{"team", "The team is saved."},
		{"allocated", "The child is allocated."},
		{"revoked", "The token is revoked: the API refuses it from now on."},
		{"approved", "The token is approved: the API accepts it from now on."},
	};
	const char *d = http_query(rq, "done");
	for (size_t i = 0; d && i < sizeof done / sizeof done[0]; i++)
		if (strcmp(d, done[i].code) == 0)
			json_object_set_new(view, "done_text", json_string(done[i].text));
}

static bool username_shape_ok(const char *u)
{
	return users_check_new(u, "social_worker", "a long enough password") != USERS_BAD_NAME;
}

static bool code_shape_ok(const char *code)
{
	size_t n = strlen(code);
	return n >= 1 && n <= STORE_CODE_MAX && strspn(code, "abcdefghijklmnopqrstuvwxyz0123456789_-") == n;
}

/* Copies a value checked to fit (the checks above each call bound it); the compiler cannot see them. */
static void set(char *dst, size_t n, const char *src)
{
	size_t len = strlen(src);
	if (len >= n)
		len = n - 1;
	memcpy(dst, src, len);
	dst[len] = '\0';
}

/* ---- the index ---- */

/* The configuration warning (r-redteam26): alerts about a child known only from health-only records would reach
 * no one who can see her (alerts_health_reach asks of people and teams only, never of a child). */
static void health_reach_warning(const struct web *w, json_t *view)
{
	bool reached = true;
	if (alerts_health_reach(w->st, &reached) == STORE_OK && !reached)
		json_object_set_new(view, "health_warning",
				    json_string("An alert about a child known only from health's records reaches no one "
						"who can see her: health has no member in the MASH and no safeguarding lead. "
						"Name health's named nurse or doctor for safeguarding children as the manager "
						"of the team with code " ALERTS_HEALTH_TEAM "."));
}

void web_admin_page(const struct web *w, http_request *rq)
{
	json_t *view = admin_view("Administration");
	json_object_del(view, "back");
	health_reach_warning(w, view);
	web_render(w, rq, 200, "admin", view);
}

/* ---- the lists ---- */

struct list_ctx {
	json_t *rows;
	int64_t self_id;
};

static int user_row(const struct store_user *u, void *ctx)
{
	struct list_ctx *l = ctx;
	char date[DATE_LONG_MAX + 1] = "", hm[8] = "";
	if (u->disabled_at[0])
		web_when_text(u->disabled_at, date, sizeof date, hm, sizeof hm);
	json_t *o = json_pack("{s:I, s:o, s:o, s:o, s:b, s:s, s:b}", "id", (json_int_t)u->id, "username",
			      web_str(u->username), "agency", web_str(web_agency_name(u->agency)), "role",
			      web_str(web_role_name(u->role)), "disabled", u->disabled_at[0] != 0, "disabled_on", date,
			      "self", u->id == l->self_id);
	/* Issue 15: a person is shown by their name, the username under it. */
	json_object_set_new(o, "name", web_str(u->full_name[0] ? u->full_name : u->username));
	json_object_set_new(o, "has_name", json_boolean(u->full_name[0] != 0));
	json_object_set_new(o, "team", web_str(u->team));
	json_object_set_new(o, "email", web_str(u->email));
	json_object_set_new(o, "phone", web_str(u->phone));
	return json_array_append_new(l->rows, o) ? STORE_EIO : 0;
}

struct team_opts {
	json_t *list;
	const char *selected;
};

static int team_option(const struct store_team *t, void *ctx)
{
	struct team_opts *o = ctx;
	return json_array_append_new(o->list, json_pack("{s:o, s:o, s:b}", "value", web_str(t->code), "text",
						       web_str(t->name), "selected",
						       o->selected && strcmp(o->selected, t->code) == 0))
		       ? STORE_EIO
		       : 0;
}

static void users_render(const struct web *w, http_request *rq, int status, json_t *view)
{
	struct list_ctx l = {json_array(), web_user(rq)->user_id};
	struct team_opts to = {json_array(), form_str(view, "team")};
	int rc = users_list(w->st, USERS_SHOWN, user_row, &l);
	if (rc == STORE_OK)
		rc = cases_teams(w->st, TEAMS_SHOWN, team_option, &to);
	json_object_set_new(view, "team_options", to.list);
	if (rc != STORE_OK) {
		json_decref(l.rows);
		json_decref(view);
		web_unavailable(w, rq);
		return;
	}
	json_object_set_new(view, "has_users", json_boolean(json_array_size(l.rows) > 0));
	json_object_set_new(view, "users", l.rows);
	json_object_set_new(view, "agency_options", agency_options(form_str(view, "agency")));
	json_object_set_new(view, "role_options", role_options(form_str(view, "role")));
	json_object_set_new(view, "password_min", json_integer(USERS_PASSWORD_MIN));
	done_banner(rq, view);
	web_render(w, rq, status, "admin_users", view);
}

static int team_row(const struct store_team *t, void *ctx)
{
	struct list_ctx *l = ctx;
	return json_array_append_new(l->rows, json_pack("{s:o, s:o, s:o}", "code", web_str(t->code), "name",
							web_str(t->name), "manager", web_str(t->manager)))
		       ? STORE_EIO
		       : 0;
}

static void teams_render(const struct web *w, http_request *rq, int status, json_t *view)
{
	struct list_ctx l = {json_array(), 0};
	int rc = cases_teams(w->st, TEAMS_SHOWN, team_row, &l);
	if (rc != STORE_OK) {
		json_decref(l.rows);
		json_decref(view);
		web_unavailable(w, rq);
		return;
	}
	/* Issue 15: the manager by name (their username after it), read once the list is in hand. */
	for (size_t i = 0; i < json_array_size(l.rows); i++) {
		json_t *row = json_array_get(l.rows, i);
		const char *m = json_string_value(json_object_get(row, "manager"));
		struct users_person p;
		bool found = false;
		if (m && m[0] && users_person_get(w->st, m, &p, &found) == STORE_OK && found && strcmp(p.name, m) != 0) {
			char text[STORE_PERSON_NAME_MAX + STORE_USER_MAX + 8];
			snprintf(text, sizeof text, "%s (%s)", p.name, m);
			json_object_set_new(row, "manager", json_string(text_utf8_valid(text, strlen(text)) ? text : m));
		}
	}
	json_object_set_new(view, "has_teams", json_boolean(json_array_size(l.rows) > 0));
	json_object_set_new(view, "teams", l.rows);
	health_reach_warning(w, view);
	done_banner(rq, view);
	web_render(w, rq, status, "admin_teams", view);
}

/* "user:3:ada.admin" as the person's username; "cli" as the operator. */
static void maker_text(const char *actor, char *out, size_t outsz)
{
	const char *colon = strchr(actor, ':'), *second = colon ? strchr(colon + 1, ':') : NULL;
	if (strncmp(actor, "user:", 5) == 0 && second)
		snprintf(out, outsz, "%s", second + 1);
	else if (strcmp(actor, "cli") == 0 || strcmp(actor, "demo") == 0)
		snprintf(out, outsz, "the operator (command line)");
	else
		snprintf(out, outsz, "%s", actor[0] ? actor : "not recorded");
}

struct token_list_ctx {
	json_t *rows;
	const char *me; /* the administrator's actor: they may not approve what they made */
};

static int token_row(const struct store_client_info *k, void *ctx)
{
	struct token_list_ctx *l = ctx;
	char created[DATE_LONG_MAX + 1], chm[8], revoked[DATE_LONG_MAX + 1] = "", rhm[8] = "";
	char maker[STORE_ACTOR_MAX + 32], approver[STORE_ACTOR_MAX + 32] = "";
	web_when_text(k->created_at, created, sizeof created, chm, sizeof chm);
	if (k->revoked_at[0])
		web_when_text(k->revoked_at, revoked, sizeof revoked, rhm, sizeof rhm);
	maker_text(k->created_by, maker, sizeof maker);
	if (k->approved_by[0])
		maker_text(k->approved_by, approver, sizeof approver);
	bool label_ok = text_utf8_valid(k->label, strlen(k->label));
	bool pending = k->pending && !k->revoked_at[0];
	bool mine = strcmp(k->created_by, l->me) == 0;
	json_t *o = json_pack("{s:I, s:o, s:o, s:s, s:s, s:b, s:s, s:s, s:o, s:b, s:b, s:b, s:o}", "id", (json_int_t)k->id,
			      "agency", web_str(web_agency_name(k->agency)), "label",
			      label_ok ? web_str(k->label) : json_string(""), "created", created, "created_time", chm,
			      "revoked", k->revoked_at[0] != 0, "revoked_on", revoked, "scope", k->scope, "maker",
			      json_string(text_utf8_valid(maker, strlen(maker)) ? maker : ""), "pending", pending,
			      "may_approve", pending && !mine, "made_by_me", pending && mine, "approver",
			      json_string(text_utf8_valid(approver, strlen(approver)) ? approver : ""));
	return json_array_append_new(l->rows, o) ? STORE_EIO : 0;
}

/* The scope checkboxes (service/tokens.h), ticked as the form was sent (events:write on a new form). */
static json_t *scope_options(http_request *rq, bool sent)
{
	json_t *list = json_array();
	const char *name, *agency;
	bool reads;
	for (size_t i = 0; tokens_scope_at(i, &name, &agency, &reads); i++) {
		char id[40];
		snprintf(id, sizeof id, "scope-%s", name);
		for (char *c = id; *c; c++)
			if (*c == ':')
				*c = '-';
		const char *v = sent ? http_form(rq, name) : NULL;
		bool checked = sent ? v != NULL : strcmp(name, TOKENS_SCOPE_DEFAULT) == 0;
		char hint[120];
		snprintf(hint, sizeof hint, "%s%s%s", agency ? "For " : "", agency ? web_agency_name(agency) : "",
			 reads ? (agency ? "; reads children: another administrator approves it" :
					   "Reads children: another administrator approves it") : "");
		json_array_append_new(list, json_pack("{s:s, s:s, s:b, s:s}", "name", name, "id", id, "checked", checked,
						      "hint", hint));
	}
	return list;
}

static void tokens_render(const struct web *w, http_request *rq, int status, json_t *view)
{
	struct token_list_ctx l = {json_array(), web_user(rq)->actor};
	int rc = tokens_list(w->st, TOKENS_SHOWN, token_row, &l);
	if (rc != STORE_OK) {
		json_decref(l.rows);
		json_decref(view);
		web_unavailable(w, rq);
		return;
	}
	json_object_set_new(view, "has_tokens", json_boolean(json_array_size(l.rows) > 0));
	json_object_set_new(view, "tokens", l.rows);
	json_object_set_new(view, "agency_options", agency_options(form_str(view, "agency")));
	json_object_set_new(view, "scope_options", scope_options(rq, status != 200));
	done_banner(rq, view);
	web_render(w, rq, status, "admin_tokens", view);
}

static void allocations_render(const struct web *w, http_request *rq, int status, json_t *view)
{
	done_banner(rq, view);
	web_render(w, rq, status, "admin_allocations", view);
}

void web_admin_users_page(const struct web *w, http_request *rq)
{
	users_render(w, rq, 200, admin_view("People who sign in"));
}

void web_admin_teams_page(const struct web *w, http_request *rq)
{
	teams_render(w, rq, 200, admin_view("Teams"));
}

void web_admin_tokens_page(const struct web *w, http_request *rq)
{
	tokens_render(w, rq, 200, admin_view("Agency systems' API tokens"));
}

/* ---- the changes: one write-queue job each ---- */

enum admin_op { OP_USER_ADD, OP_USER_RESET, OP_USER_DISABLE, OP_USER_ENABLE, OP_TEAM, OP_ALLOCATE, OP_TOKEN_CREATE, OP_TOKEN_REVOKE,
		OP_TOKEN_APPROVE };

struct admin_job {
	struct txq_job job;
	const struct web *w;
	http_request *rq;
	enum admin_op op;
	char actor[96];
	char username[STORE_USER_MAX + 1], agency[STORE_CODE_MAX + 1], role[STORE_CODE_MAX + 1];
	char full_name[4 * USERS_FULL_NAME_MAX + 8], email[STORE_EMAIL_MAX + 1], phone[STORE_PHONE_MAX + 1];
	char team_code[STORE_CODE_MAX + 1];
	char hash[160];
	char secret[TOKEN_TEXT_MAX]; /* the TOTP secret (base32) or the token: shown once */
	char label[4 * LABEL_MAX + 8];
	char scope[STORE_SCOPE_MAX + 1];
	struct store_team team;
	struct store_allocation alloc;
	struct access_reader by; /* the administrator: the child they allocate is one they may find */
	int64_t id;
	json_t *view; /* the form's page, to show again on a refusal */
	/* results */
	enum users_add_result add_res;
	enum cases_result cases_res;
	enum tokens_approve_result approve_res;
	bool found, manager_found, worker_found, pending;
};

static void job_free(struct admin_job *j)
{
	json_decref(j->view);
	sodium_memzero(j, sizeof *j);
	free(j);
}

static void job_release(void *arg)
{
	job_free(arg);
}

static int alloc_run(store_conn *c, struct admin_job *j)
{
	int rc = STORE_OK;
	j->worker_found = true;
	if (j->alloc.worker[0]) {
		struct users_person p;
		if ((rc = users_person(c, j->alloc.worker, &p, &j->worker_found)) != STORE_OK)
			return rc;
		if (!j->worker_found)
			return STORE_OK;
		/* No team named: the worker's own team (issue 15), else the team "default" as before. */
		if (!j->alloc.team[0])
			snprintf(j->alloc.team, sizeof j->alloc.team, "%s", p.team[0] ? p.team : DEFAULT_TEAM);
	}
	/* The one decision (cases_allocate): a child the administrator's search could not have found is asked as
	 * none, and a refusal is audited there, as the command line's. */
	rc = cases_allocate(c, j->actor, &j->by, &j->alloc, &j->cases_res);
	if (rc == STORE_OK && j->cases_res == CASES_NO_TEAM && strcmp(j->alloc.team, DEFAULT_TEAM) == 0) {
		const struct store_team t = {DEFAULT_TEAM, "Default team", ""};
		if ((rc = cases_team_upsert(c, j->actor, &t)) == STORE_OK)
			rc = cases_allocate(c, j->actor, &j->by, &j->alloc, &j->cases_res);
	}
	return rc;
}

static int job_run(store_conn *c, void *arg)
{
	struct admin_job *j = arg;
	int rc;
	switch (j->op) {
	case OP_USER_ADD: {
		const struct users_profile who = {j->full_name, j->email, j->phone, j->team_code};
		return users_add_person(c, j->actor, j->username, j->agency, j->role, &who, j->hash, j->secret, &j->add_res);
	}
	case OP_USER_RESET:
		return users_reset(c, j->actor, j->username, j->hash, j->secret, &j->found);
	case OP_USER_DISABLE:
		return users_disable(c, j->actor, j->username, clock_now(), &j->found);
	case OP_USER_ENABLE:
		return users_enable(c, j->actor, j->username, &j->found);
	case OP_TEAM:
		j->manager_found = true;
		if (j->team.manager[0] && (rc = users_exists(c, j->team.manager, &j->manager_found)) != STORE_OK)
			return rc;
		return j->manager_found ? cases_team_upsert(c, j->actor, &j->team) : STORE_OK;
	case OP_ALLOCATE:
		return alloc_run(c, j);
	case OP_TOKEN_CREATE: /* an administrator's: a scope that reads children waits for a second person */
		return tokens_create(c, j->actor, j->agency, j->label, j->scope, false, j->secret, &j->found, &j->pending);
	case OP_TOKEN_REVOKE:
		return tokens_revoke(c, j->actor, j->id, clock_now(), &j->found);
	case OP_TOKEN_APPROVE:
		return tokens_approve(c, j->actor, j->id, clock_now(), &j->approve_res);
	}
	return STORE_EIO;
}

static void job_done(struct txq_job *job)
{
	http_resume(((struct admin_job *)job)->rq); /* the answer is made on a server thread (job_continue) */
}

/* The page that shows a secret once. */
static void secret_page(const struct web *w, http_request *rq, const char *title, const char *lead,
			const char *secret_label, const char *secret, const char *uri, const char *guidance,
			const char *back_href, const char *back_text)
{
	json_t *view = json_pack("{s:s, s:b, s:s, s:s, s:s, s:s, s:s, s:{s:s, s:s}}", "title", title, "nav_admin", 1,
				 "lead", lead, "secret_label", secret_label, "secret", secret, "uri", uri ? uri : "",
				 "guidance", guidance, "next", "href", back_href, "text", back_text);
	/* Issue 15: the authenticator's link as a QR code, drawn here (no request leaves the page); the text
	 * secret stays for people who type it. */
	char *svg = uri ? web_qr_svg(uri, "QR code to scan with the authenticator app") : NULL;
	if (svg) {
		json_object_set_new(view, "qr_svg", json_string(svg));
		sodium_memzero(svg, strlen(svg));
		free(svg);
	}
	/* Never kept by the browser or a proxy (the server's headers say so for every page; this one above all). */
	http_add_header(rq, "Cache-Control", "no-store");
	web_render(w, rq, 200, "admin_secret", view);
}

static void job_continue(http_request *rq, void *arg)
{
	struct admin_job *j = arg;
	const struct web *w = j->w;
	json_t *view = j->view;
	j->view = NULL;
	char text[1200], uri[300];
	if (j->job.rc < 0) {
		fprintf(stderr, "safeguard: an administrator's change could not be stored (store error %d)\n", j->job.rc);
		json_decref(view);
		web_write_failed(w, rq, j->job.rc, "Sorry, there is a problem with the service", "Nothing was changed. Try again.",
				 "/admin", "Administration");
		goto out;
	}
	switch (j->op) {
	case OP_USER_ADD:
		if (j->add_res != USERS_ADDED) {
			char fits[128], msg[300];
			if (j->add_res == USERS_ROLE_NOT_IN_AGENCY) {
				users_agencies_of_role(j->role, fits, sizeof fits);
				/* Agency names, not codes: "Children's social care" */
				char names[200] = "", *save = NULL;
				for (char *tok = strtok_r(fits, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save))
					snprintf(names + strlen(names), sizeof names - strlen(names), "%s%s",
						 names[0] ? " or " : "", web_agency_name(tok));
				snprintf(msg, sizeof msg, "%s staff cannot have the role %s (a role for %s): select another "
					 "role or agency", web_agency_name(j->agency), web_role_name(j->role), names);
				web_add_error(view, "role", "role", msg);
			} else if (j->add_res == USERS_NO_TEAM)
				web_add_error(view, "team", "team", "Select a team from the list, or no team");
			else if (j->add_res == USERS_BAD_FULL_NAME)
				web_add_error(view, "full_name", "full_name", "The full name must be 100 characters or fewer, on one line");
			else if (j->add_res == USERS_BAD_EMAIL)
				web_add_error(view, "email", "email", "Enter an email address in the correct format, like name@example.gov.uk");
			else if (j->add_res == USERS_BAD_PHONE)
				web_add_error(view, "phone", "phone", "Enter a telephone number, like 01632 960 001 or +44 1632 960 001");
			else if (j->add_res == USERS_TAKEN)
				web_add_error(view, "username", "username", "That username is taken: choose another");
			else if (j->add_res == USERS_NO_AGENCY)
				web_add_error(view, "agency", "agency", "Select the person's agency");
			else if (j->add_res == USERS_BAD_ROLE)
				web_add_error(view, "role", "role", "Select the person's role");
			else
				web_add_error(view, "username", "username",
					      "The username must be 1 to 64 of a to z, 0 to 9, dots, hyphens and underscores");
			users_render(w, rq, 400, view);
			goto out;
		}
		json_decref(view);
		snprintf(text, sizeof text, "%s can now sign in as %s (%s, %s), with the password you chose and a "
			 "security code from an authenticator app: they scan the QR code below, or type the secret.",
			 j->full_name[0] ? j->full_name : j->username, j->username, web_agency_name(j->agency),
			 web_role_name(j->role));
		snprintf(uri, sizeof uri, "otpauth://totp/Safeguard:%s?secret=%s&issuer=Safeguard&algorithm=SHA1&digits=6&period=30",
			 j->username, j->secret);
		secret_page(w, rq, "Person added", text, "Second-factor secret", j->secret, uri,
			    "This secret is shown only now. Give it, and the password, to the person in a safe way (in "
			    "person, not by email), for their authenticator app. If it is lost, reset their password and "
			    "second factor.", "/admin/users", "Back to people who sign in");
		goto out;
	case OP_USER_RESET:
		json_decref(view);
		if (!j->found) {
			web_message_link(w, rq, 404, "Person not found", "There is no such person.", "/admin/users",
					 "People who sign in");
			goto out;
		}
		snprintf(text, sizeof text, "%s has a new password and a new second factor. Their sessions have ended: "
			 "they sign in again with the new password and a code from the secret below.", j->username);
		snprintf(uri, sizeof uri, "otpauth://totp/Safeguard:%s?secret=%s&issuer=Safeguard&algorithm=SHA1&digits=6&period=30",
			 j->username, j->secret);
		secret_page(w, rq, "Password and second factor reset", text, "New second-factor secret", j->secret, uri,
			    "This secret is shown only now. Give it, and the new password, to the person in a safe way "
			    "(in person, not by email). Their old authenticator entry no longer works.", "/admin/users",
			    "Back to people who sign in");
		goto out;
	case OP_USER_DISABLE:
	case OP_USER_ENABLE:
		json_decref(view);
		if (!j->found)
			web_message_link(w, rq, 404, "Person not found", "There is no such person.", "/admin/users",
					 "People who sign in");
		else
			web_redirect(rq, j->op == OP_USER_ENABLE ? "/admin/users?done=enabled" : "/admin/users?done=disabled");
		goto out;
	case OP_TEAM:
		if (!j->manager_found) {
			web_add_error(view, "manager", "manager", "There is no person with that username: add them first");
			teams_render(w, rq, 400, view);
			goto out;
		}
		json_decref(view);
		web_redirect(rq, "/admin/teams?done=team");
		goto out;
	case OP_ALLOCATE:
		if (!j->worker_found || j->cases_res != CASES_DONE) {
			if (!j->worker_found)
				web_add_error(view, "user", "user", "There is no person with that username");
			else if (j->cases_res == CASES_NOT_CASE_HOLDER)
				web_add_error(view, "user", "user", "Only a social worker or a team manager of children's "
					      "social care can hold a child's case: find another worker");
			else if (j->cases_res == CASES_NO_CHILD)
				web_add_error(view, "child", "child", "There is no child with that number");
			else
				web_add_error(view, "team", "team", "There is no team with that code: add it on the teams page");
			allocations_render(w, rq, 400, view);
			goto out;
		}
		json_decref(view);
		web_redirect(rq, "/admin/allocations?done=allocated");
		goto out;
	case OP_TOKEN_CREATE:
		if (!j->found) {
			web_add_error(view, "agency", "agency", "Select the agency whose system will use the token");
			tokens_render(w, rq, 400, view);
			goto out;
		}
		json_decref(view);
		snprintf(text, sizeof text, "A token for %s's system%s%s, to %s. The system sends it as a bearer token "
			 "(Authorization: Bearer ...) with every request to the API.%s", web_agency_name(j->agency),
			 j->label[0] ? ", labelled " : "", j->label, j->scope,
			 j->pending ? " It does not work yet: it reads children, so another administrator must approve "
				      "it on the tokens page first." : "");
		secret_page(w, rq, "Token created", text, "API token", j->secret, NULL,
			    "This token is shown only now: only its hash is kept. Put it in the agency system's "
			    "configuration and nowhere else. If it is lost or seen by anyone else, revoke it and create "
			    "another.", "/admin/tokens", "Back to API tokens");
		goto out;
	case OP_TOKEN_REVOKE:
		json_decref(view);
		if (!j->found)
			web_message_link(w, rq, 404, "Token not found", "There is no such token.", "/admin/tokens",
					 "API tokens");
		else
			web_redirect(rq, "/admin/tokens?done=revoked");
		goto out;
	case OP_TOKEN_APPROVE:
		json_decref(view);
		if (j->approve_res == TOKENS_NO_TOKEN)
			web_message_link(w, rq, 404, "Token not found", "There is no such token, or it is revoked.",
					 "/admin/tokens", "API tokens");
		else if (j->approve_res == TOKENS_NOT_PENDING)
			web_message_link(w, rq, 409, "This token awaits no approval",
					 "It was approved before, or it never needed approval.", "/admin/tokens", "API tokens");
		else if (j->approve_res == TOKENS_SAME_PERSON)
			web_message_link(w, rq, 403, "You made this token",
					 "A token that reads children needs a second person: another administrator approves "
					 "it. Nothing was changed.", "/admin/tokens", "API tokens");
		else
			web_redirect(rq, "/admin/tokens?done=approved");
		goto out;
	}
	json_decref(view);
	web_unavailable(w, rq);
out:
	job_free(j);
}

static struct admin_job *job_new(const struct web *w, http_request *rq, enum admin_op op)
{
	struct admin_job *j = calloc(1, sizeof *j);
	if (!j)
		return NULL;
	j->w = w;
	j->rq = rq;
	j->op = op;
	const struct web_user *u = web_user(rq);
	snprintf(j->actor, sizeof j->actor, "%s", u->actor);
	access_reader_person(&j->by, u->user_id, u->username, u->agency, u->role);
	return j;
}

static void job_submit(struct admin_job *j)
{
	j->job.run = job_run;
	j->job.arg = j;
	j->job.done = job_done;
	http_continue_with(j->rq, job_continue, j, job_release);
	http_suspend(j->rq);
	txq_submit(j->w->q, &j->job);
}

/* The password as typed (spaces count, as at sign-in), checked for length; "" when absent. */
static void password_field(http_request *rq, char *buf, size_t bufsz)
{
	const char *pw = http_form(rq, "password");
	snprintf(buf, bufsz, "%s", pw ? pw : "");
}

static bool password_ok(const char *pw)
{
	return users_check_new("a", "social_worker", pw) != USERS_BAD_PASSWORD;
}

/* ---- people ---- */

void web_admin_user_add(const struct web *w, http_request *rq)
{
	char username[4 * STORE_USER_MAX + 8], agency[64], role[64], password[USERS_PASSWORD_MAX + 8];
	char full_name[4 * USERS_FULL_NAME_MAX + 8], email[STORE_EMAIL_MAX + 8], phone[STORE_PHONE_MAX + 8],
		team[4 * STORE_CODE_MAX + 8];
	json_t *view = admin_view("People who sign in"), *form = json_object();
	web_field(rq, "username", username, sizeof username);
	web_field(rq, "agency", agency, sizeof agency);
	web_field(rq, "role", role, sizeof role);
	web_field(rq, "full_name", full_name, sizeof full_name);
	web_field(rq, "email", email, sizeof email);
	web_field(rq, "phone", phone, sizeof phone);
	web_field(rq, "team", team, sizeof team);
	password_field(rq, password, sizeof password);
	/* Issue 15: who the person is, optional as on the command line (pages show the name, else the username). */
	if (full_name[0] && (users_check_profile(&(struct users_profile){full_name, NULL, NULL, NULL}) != USERS_ADDED ||
			     strlen(full_name) >= sizeof full_name - 4))
		web_add_error(view, "full_name", "full_name", "The full name must be 100 characters or fewer, on one line");
	if (!username[0])
		web_add_error(view, "username", "username", "Enter a username");
	else if (!username_shape_ok(username))
		web_add_error(view, "username", "username",
			      "The username must be 1 to 64 of a to z, 0 to 9, dots, hyphens and underscores");
	if (!web_agency_find(agency))
		web_add_error(view, "agency", "agency", "Select the person's agency");
	if (!users_role_known(role))
		web_add_error(view, "role", "role", "Select the person's role");
	if (email[0] && (strlen(email) > STORE_EMAIL_MAX ||
			 users_check_profile(&(struct users_profile){NULL, email, NULL, NULL}) != USERS_ADDED))
		web_add_error(view, "email", "email", "Enter an email address in the correct format, like name@example.gov.uk");
	if (phone[0] && (strlen(phone) > STORE_PHONE_MAX ||
			 users_check_profile(&(struct users_profile){NULL, NULL, phone, NULL}) != USERS_ADDED))
		web_add_error(view, "phone", "phone", "Enter a telephone number, like 01632 960 001 or +44 1632 960 001");
	if (team[0] && !code_shape_ok(team))
		web_add_error(view, "team", "team", "Select a team from the list, or no team");
	if (!password[0])
		web_add_error(view, "password", "password", "Enter a password for the person's first sign-in");
	else if (!password_ok(password))
		web_add_error(view, "password", "password", "The password must be 12 to 256 characters");
	web_keep(form, view, "username", "username", "username", username);
	web_keep(form, view, "agency", "agency", "agency", agency);
	web_keep(form, view, "role", "role", "role", role);
	web_keep(form, view, "full_name", "full_name", "full_name", full_name);
	web_keep(form, view, "email", "email", "email", email);
	web_keep(form, view, "phone", "phone", "phone", phone);
	web_keep(form, view, "team", "team", "team", team);
	json_object_set_new(view, "form", form);
	if (json_object_get(view, "errors")) {
		sodium_memzero(password, sizeof password);
		users_render(w, rq, 400, view);
		return;
	}
	struct admin_job *j = job_new(w, rq, OP_USER_ADD);
	/* Hashing takes tens of milliseconds: on this server thread, never on the write queue. */
	if (!j || users_hash_password(password, j->hash) != STORE_OK) {
		sodium_memzero(password, sizeof password);
		if (j)
			job_free(j);
		json_decref(view);
		web_unavailable(w, rq);
		return;
	}
	sodium_memzero(password, sizeof password);
	set((j->username), sizeof j->username, username);
	set((j->agency), sizeof j->agency, agency);
	set((j->role), sizeof j->role, role);
	set((j->full_name), sizeof j->full_name, full_name);
	set((j->email), sizeof j->email, email);
	set((j->phone), sizeof j->phone, phone);
	set((j->team_code), sizeof j->team_code, team);
	j->view = view;
	job_submit(j);
}

/* The person a route's id names, or an answer (404, 503) and false. */
static bool user_of(const struct web *w, http_request *rq, int64_t id, struct store_user *u)
{
	bool found = false;
	int rc = users_get(w->st, id, u, &found);
	if (rc != STORE_OK) {
		web_unavailable(w, rq);
		return false;
	}
	if (!found) {
		web_message_link(w, rq, 404, "Person not found", "There is no such person.", "/admin/users",
				 "People who sign in");
		return false;
	}
	return true;
}

static void reset_render(const struct web *w, http_request *rq, int status, const struct store_user *u, json_t *view)
{
	char action[64];
	snprintf(action, sizeof action, "/admin/users/%lld/reset", (long long)u->id);
	json_object_set_new(view, "action", json_string(action));
	json_object_set_new(view, "username", web_str(u->username));
	json_object_set_new(view, "password_min", json_integer(USERS_PASSWORD_MIN));
	json_object_set_new(view, "back", json_pack("{s:s, s:s}", "href", "/admin/users", "text", "People who sign in"));
	web_render(w, rq, status, "admin_reset", view);
}

void web_admin_user_reset_form(const struct web *w, http_request *rq, int64_t id)
{
	struct store_user u;
	if (user_of(w, rq, id, &u))
		reset_render(w, rq, 200, &u, admin_view("Reset password and second factor"));
}

void web_admin_user_reset(const struct web *w, http_request *rq, int64_t id)
{
	struct store_user u;
	char password[USERS_PASSWORD_MAX + 8];
	if (!user_of(w, rq, id, &u))
		return;
	password_field(rq, password, sizeof password);
	if (!password[0] || !password_ok(password)) {
		json_t *view = admin_view("Reset password and second factor");
		web_add_error(view, "password", "password",
			      !password[0] ? "Enter the new password" : "The password must be 12 to 256 characters");
		sodium_memzero(password, sizeof password);
		reset_render(w, rq, 400, &u, view);
		return;
	}
	struct admin_job *j = job_new(w, rq, OP_USER_RESET);
	if (!j || users_hash_password(password, j->hash) != STORE_OK) {
		sodium_memzero(password, sizeof password);
		if (j)
			job_free(j);
		web_unavailable(w, rq);
		return;
	}
	sodium_memzero(password, sizeof password);
	snprintf(j->username, sizeof j->username, "%s", u.username);
	job_submit(j);
}

/* ---- asking first (issue 15) ---- */

static bool confirmed(http_request *rq)
{
	const char *c = http_form(rq, "confirm");
	return c && strcmp(c, "yes") == 0;
}

/* A confirmation page: the question, what it is about (key/value pairs, NULL-ended), a warning, and the form
 * that acts (confirm=yes). */
static void confirm_page(const struct web *w, http_request *rq, const char *title, const char *caption,
			 const char *question, const char *const *rows, const char *warning, const char *action,
			 const char *button, const char *cancel, json_t *hidden)
{
	json_t *view = admin_view(title), *list = json_array();
	for (size_t i = 0; rows && rows[i]; i += 2)
		json_array_append_new(list, json_pack("{s:o, s:o}", "key", web_str(rows[i]), "value",
						      json_string(text_utf8_valid(rows[i + 1], strlen(rows[i + 1])) ? rows[i + 1] : "")));
	json_object_set_new(view, "caption", json_string(caption));
	json_object_set_new(view, "question", json_string(text_utf8_valid(question, strlen(question)) ? question : title));
	json_object_set_new(view, "has_rows", json_boolean(json_array_size(list) > 0));
	json_object_set_new(view, "rows", list);
	if (warning)
		json_object_set_new(view, "warning", json_string(warning));
	json_object_set_new(view, "action", json_string(action));
	json_object_set_new(view, "button", json_string(button));
	json_object_set_new(view, "destructive", json_true());
	json_object_set_new(view, "cancel", json_string(cancel));
	json_object_set_new(view, "hidden", hidden ? hidden : json_array());
	web_render(w, rq, 200, "admin_confirm", view);
}

static void disable_confirm(const struct web *w, http_request *rq, const struct store_user *u)
{
	char question[STORE_PERSON_NAME_MAX + 64], action[64];
	const char *name = u->full_name[0] ? u->full_name : u->username;
	snprintf(question, sizeof question, "Disable %s?", name);
	snprintf(action, sizeof action, "/admin/users/%lld/disable", (long long)u->id);
	const char *rows[] = {"Name", name, "Username", u->username, "Agency", web_agency_name(u->agency), "Role",
			      web_role_name(u->role), NULL};
	confirm_page(w, rq, "Disable a person", "People who sign in", question, rows,
		     "They will not be able to sign in, and every session of theirs ends now. You can enable them again.",
		     action, "Yes, disable them", "/admin/users", NULL);
}

void web_admin_user_disable_form(const struct web *w, http_request *rq, int64_t id)
{
	struct store_user u;
	if (!user_of(w, rq, id, &u))
		return;
	if (u.disabled_at[0]) {
		web_message_link(w, rq, 409, "This person is already disabled", "Nothing was changed.", "/admin/users",
				 "People who sign in");
		return;
	}
	disable_confirm(w, rq, &u);
}

void web_admin_user_disable(const struct web *w, http_request *rq, int64_t id)
{
	struct store_user u;
	if (!user_of(w, rq, id, &u))
		return;
	if (u.id != web_user(rq)->user_id && !confirmed(rq)) { /* asked first: nothing changes without a yes */
		disable_confirm(w, rq, &u);
		return;
	}
	if (u.id == web_user(rq)->user_id) { /* an area must not lose its last administrator by a slip */
		json_t *view = admin_view("People who sign in");
		web_add_error(view, "disable", "users-table", "You cannot disable your own account: ask another administrator");
		users_render(w, rq, 400, view);
		return;
	}
	struct admin_job *j = job_new(w, rq, OP_USER_DISABLE);
	if (!j) {
		web_unavailable(w, rq);
		return;
	}
	snprintf(j->username, sizeof j->username, "%s", u.username);
	job_submit(j);
}

void web_admin_user_enable(const struct web *w, http_request *rq, int64_t id)
{
	struct store_user u;
	if (!user_of(w, rq, id, &u))
		return;
	struct admin_job *j = job_new(w, rq, OP_USER_ENABLE);
	if (!j) {
		web_unavailable(w, rq);
		return;
	}
	snprintf(j->username, sizeof j->username, "%s", u.username);
	job_submit(j);
}

/* ---- teams ---- */

void web_admin_team_save(const struct web *w, http_request *rq)
{
	char code[4 * STORE_CODE_MAX + 8], name[4 * TEAM_NAME_MAX + 8], manager[4 * STORE_USER_MAX + 8];
	json_t *view = admin_view("Teams"), *form = json_object();
	web_field(rq, "code", code, sizeof code);
	web_field(rq, "name", name, sizeof name);
	web_field(rq, "manager", manager, sizeof manager);
	if (!code[0])
		web_add_error(view, "code", "code", "Enter the team's code");
	else if (!code_shape_ok(code))
		web_add_error(view, "code", "code", "The code must be 1 to 32 of a to z, 0 to 9, hyphens and underscores");
	if (!name[0])
		web_add_error(view, "name", "name", "Enter the team's name");
	else if (!web_text_ok(name, TEAM_NAME_MAX, false))
		web_add_error(view, "name", "name", "The name must be 100 characters or fewer, on one line");
	if (manager[0] && !username_shape_ok(manager))
		web_add_error(view, "manager", "manager", "There is no person with that username: add them first");
	web_keep(form, view, "code", "code", "code", code);
	web_keep(form, view, "name", "name", "name", name);
	web_keep(form, view, "manager", "manager", "manager", manager);
	json_object_set_new(view, "form", form);
	if (json_object_get(view, "errors")) {
		teams_render(w, rq, 400, view);
		return;
	}
	struct admin_job *j = job_new(w, rq, OP_TEAM);
	if (!j) {
		json_decref(view);
		web_unavailable(w, rq);
		return;
	}
	/* code_shape_ok bounded the length; the precision says so to the compiler too. */
	snprintf(j->team.code, sizeof j->team.code, "%.*s", (int)sizeof j->team.code - 1, code);
	set((j->team.name), sizeof j->team.name, name);
	set((j->team.manager), sizeof j->team.manager, manager);
	j->view = view;
	job_submit(j);
}

/* ---- allocations ---- */

void web_admin_allocate(const struct web *w, http_request *rq)
{
	char child[64], team[4 * STORE_CODE_MAX + 8], user[4 * STORE_USER_MAX + 8];
	int64_t child_id = 0;
	json_t *view = admin_view("Allocate a child"), *form = json_object();
	web_field(rq, "child", child, sizeof child);
	web_field(rq, "team", team, sizeof team);
	web_field(rq, "user", user, sizeof user);
	if (!child[0])
		web_add_error(view, "child", "child", "Enter the child's number");
	else if (!event_parse_id(child, strlen(child), &child_id))
		web_add_error(view, "child", "child", "The child's number must be a whole number, for example 1042");
	if (team[0] && !code_shape_ok(team))
		web_add_error(view, "team", "team", "There is no team with that code: add it on the teams page");
	if (!team[0] && !user[0])
		web_add_error(view, "team", "team", "Enter a team's code, a worker's username, or both");
	if (user[0] && !username_shape_ok(user))
		web_add_error(view, "user", "user", "There is no person with that username");
	web_keep(form, view, "child", "child", "child", child);
	web_keep(form, view, "team", "team", "team", team);
	web_keep(form, view, "user", "user", "user", user);
	json_object_set_new(view, "form", form);
	if (json_object_get(view, "errors")) {
		allocations_render(w, rq, 400, view);
		return;
	}
	if (!confirmed(rq)) { /* issue 15: the confirmation page names the child and the worker first */
		char to[64 + 4 * STORE_CODE_MAX + 4 * STORE_USER_MAX + 64];
		json_decref(view);
		snprintf(to, sizeof to, "/admin/allocations/confirm?child=%lld&team=%s&user=%s", (long long)child_id, team,
			 user); /* both checked to hold only URL-safe characters above */
		web_redirect(rq, to);
		return;
	}
	struct admin_job *j = job_new(w, rq, OP_ALLOCATE);
	if (!j) {
		json_decref(view);
		web_unavailable(w, rq);
		return;
	}
	j->alloc.person_id = child_id;
	snprintf(j->alloc.team, sizeof j->alloc.team, "%.*s", (int)sizeof j->alloc.team - 1, team);
	set((j->alloc.worker), sizeof j->alloc.worker, user);
	j->view = view;
	job_submit(j);
}

/* ---- tokens ---- */

void web_admin_token_create(const struct web *w, http_request *rq)
{
	char agency[64], label[4 * LABEL_MAX + 8], scopes[STORE_SCOPE_MAX + 16] = "", scope[STORE_SCOPE_MAX + 1], err[160];
	json_t *view = admin_view("Agency systems' API tokens"), *form = json_object();
	web_field(rq, "agency", agency, sizeof agency);
	web_field(rq, "label", label, sizeof label);
	const char *name, *for_agency;
	bool reads, any = false;
	for (size_t i = 0; tokens_scope_at(i, &name, &for_agency, &reads); i++)
		if (http_form(rq, name)) {
			snprintf(scopes + strlen(scopes), sizeof scopes - strlen(scopes), "%s%s", any ? "," : "", name);
			any = true;
		}
	if (!web_agency_find(agency))
		web_add_error(view, "agency", "agency", "Select the agency whose system will use the token");
	if (!web_text_ok(label, LABEL_MAX, false))
		web_add_error(view, "label", "label", "The label must be 100 characters or fewer, on one line");
	if (!any)
		web_add_error(view, "scope", "scope-events-write", "Select what the token may do");
	else if (web_agency_find(agency) && !tokens_scope_parse(scopes, agency, scope, err, sizeof err)) {
		char msg[200];
		snprintf(msg, sizeof msg, "Select only what %s's systems may do: %s", web_agency_name(agency), err);
		web_add_error(view, "scope", "scope-events-write", msg);
	}
	web_keep(form, view, "agency", "agency", "agency", agency);
	web_keep(form, view, "label", "label", "label", label);
	json_object_set_new(view, "form", form);
	if (json_object_get(view, "errors")) {
		tokens_render(w, rq, 400, view);
		return;
	}
	struct admin_job *j = job_new(w, rq, OP_TOKEN_CREATE);
	if (!j) {
		json_decref(view);
		web_unavailable(w, rq);
		return;
	}
	set((j->agency), sizeof j->agency, agency);
	snprintf(j->label, sizeof j->label, "%s", label);
	snprintf(j->scope, sizeof j->scope, "%s", scope);
	j->view = view;
	job_submit(j);
}

struct token_find {
	int64_t id;
	bool found;
	struct store_client_info k;
};

static int token_match(const struct store_client_info *k, void *ctx)
{
	struct token_find *f = ctx;
	if (k->id == f->id) {
		f->k = *k;
		f->found = true;
	}
	return 0;
}

/* Asks before revoking: which agency's token, its label, what it may do, who made it. */
static void revoke_confirm(const struct web *w, http_request *rq, int64_t id)
{
	struct token_find *f = calloc(1, sizeof *f);
	if (!f) {
		web_unavailable(w, rq);
		return;
	}
	f->id = id;
	if (tokens_list(w->st, 1000000, token_match, f) != STORE_OK) {
		free(f);
		web_unavailable(w, rq);
		return;
	}
	if (!f->found || f->k.revoked_at[0]) {
		web_message_link(w, rq, 404, "Token not found", "There is no such token, or it is revoked already.",
				 "/admin/tokens", "API tokens");
		free(f);
		return;
	}
	char question[200], action[64], created[DATE_LONG_MAX + 1], hm[8], when[DATE_LONG_MAX + 16],
		maker[STORE_ACTOR_MAX + 32];
	web_when_text(f->k.created_at, created, sizeof created, hm, sizeof hm);
	snprintf(when, sizeof when, "%s at %s", created, hm);
	maker_text(f->k.created_by, maker, sizeof maker);
	snprintf(question, sizeof question, "Revoke %s's token %lld?", web_agency_name(f->k.agency), (long long)id);
	snprintf(action, sizeof action, "/admin/tokens/%lld/revoke", (long long)id);
	const char *rows[] = {"Agency", web_agency_name(f->k.agency), "Label", f->k.label[0] ? f->k.label : "None",
			      "May", f->k.scope, "Created", when, "Created by", maker, NULL};
	confirm_page(w, rq, "Revoke a token", "Agency systems' API tokens", question, rows,
		     "The agency's system is refused from now on, until it is given a new token. This cannot be undone.",
		     action, "Yes, revoke the token", "/admin/tokens", NULL);
	free(f);
}

void web_admin_token_revoke_form(const struct web *w, http_request *rq, int64_t id)
{
	revoke_confirm(w, rq, id);
}

void web_admin_token_revoke(const struct web *w, http_request *rq, int64_t id)
{
	if (!confirmed(rq)) { /* asked first: nothing changes without a yes */
		revoke_confirm(w, rq, id);
		return;
	}
	struct admin_job *j = job_new(w, rq, OP_TOKEN_REVOKE);
	if (!j) {
		web_unavailable(w, rq);
		return;
	}
	j->id = id;
	job_submit(j);
}

void web_admin_token_approve(const struct web *w, http_request *rq, int64_t id)
{
	struct admin_job *j = job_new(w, rq, OP_TOKEN_APPROVE);
	if (!j) {
		web_unavailable(w, rq);
		return;
	}
	j->id = id;
	job_submit(j);
}
