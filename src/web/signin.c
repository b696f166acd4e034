/*
 * web/signin.c — who is at the browser: the sign-in page, the session cookie, its idle time pushed on, the
 * CSRF token of every form, and signing out (issue 4, part 2).
 *
 * The cookie holds the session's secret token (users.h: only its hash is stored), HttpOnly so scripts cannot
 * read it, SameSite=Strict so other sites' links and forms do not carry it, Secure when the server is
 * behind TLS (serve --behind-tls). Before sign-in, a second cookie holds a random secret that the sign-in
 * form's CSRF token is derived from, so that another site cannot sign a browser in as someone else.
 */
#include "web/web.h"
#include "web/web_int.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clock/now.h"
#include "core/date.h"
#include "core/text.h"
#include "lib/route.h"
#include "service/users.h"

#define SESSION_COOKIE "sg_session"
#define PRESESSION_COOKIE "sg_presession"
/* The idle timeout is pushed on at most this often, so that page views do not each cost a write. */
#define TOUCH_EVERY_SECONDS 60

static const struct {
	const char *code, *name;
} role_names[] = {
	{"social_worker", "Social worker"},
	{"team_manager", "Team manager"},
	{"mash_worker", "MASH worker"},
	{"police_officer", "Police officer"},
	{"health_practitioner", "Health practitioner"},
	{"school_dsl", "School safeguarding lead"},
	{"conference_chair", "Conference chair or IRO"},
	{"oversight_analyst", "Oversight analyst"},
	{"dpo", "Data protection officer"},
	{"admin", "Administrator"},
	{"lado", "Local Authority Designated Officer"},
};

const char *web_role_name(const char *code)
{
	for (size_t i = 0; i < sizeof role_names / sizeof role_names[0]; i++)
		if (strcmp(role_names[i].code, code) == 0)
			return role_names[i].name;
	return code;
}

const struct web_user *web_user(http_request *rq)
{
	return http_data(rq);
}

static void cookie(const struct web *w, http_request *rq, const char *name, const char *value, int max_age)
{
	char h[256];
	snprintf(h, sizeof h, "%s=%s; Path=/; HttpOnly; SameSite=Strict%s; Max-Age=%d", name, value,
		 w->behind_tls ? "; Secure" : "", max_age);
	http_add_header(rq, "Set-Cookie", h);
}

/* ---- the session of a request ---- */

struct touch_job {
	struct txq_job job;
	char token[USERS_SESSION_TOKEN_MAX];
	int64_t now;
};

static int touch_run(store_conn *c, void *arg)
{
	struct touch_job *j = arg;
	return users_session_touch(c, j->token, j->now);
}

static void touch_done(struct txq_job *job)
{
	struct touch_job *j = (struct touch_job *)job;
	if (job->rc < 0)
		fprintf(stderr, "safeguard: a session's idle time could not be pushed on (store error %d)\n", job->rc);
	sodium_memzero(j->token, sizeof j->token);
	free(j);
}

int web_session_load(const struct web *w, http_request *rq)
{
	const char *token = http_cookie(rq, SESSION_COOKIE);
	if (!token || strlen(token) >= USERS_SESSION_TOKEN_MAX)
		return STORE_OK;
	int64_t now = clock_now();
	struct store_session s;
	bool found = false;
	store_conn *c = store_conn_get(w->st);
	int rc = c ? users_session_find(c, token, now, &s, &found) : STORE_EIO;
	if (rc != STORE_OK || !found || strcmp(s.kind, "web") != 0) {
		store_conn_put(w->st, c);
		return rc;
	}
	struct web_user *u = calloc(1, sizeof *u);
	if (!u) {
		store_conn_put(w->st, c);
		return STORE_EIO;
	}
	u->user_id = s.user_id;
	snprintf(u->username, sizeof u->username, "%s", s.username);
	snprintf(u->role, sizeof u->role, "%s", s.role);
	snprintf(u->agency, sizeof u->agency, "%s", s.agency);
	snprintf(u->actor, sizeof u->actor, "user:%lld:%s", (long long)s.user_id, s.username);
	snprintf(u->token, sizeof u->token, "%s", token);
	users_csrf_token(token, u->csrf);
	/* Asked afresh on each request, not kept from sign-in: naming another lead (`safeguard team add`) moves the
	 * menu at once, and a session row has no column for it (a migration). On the session's connection, one
	 * statement; other roles return before any read. */
	if (access_role_offers(u->role, u->agency, ACT_HEALTH_GLASS)) {
		struct access_reader reader;
		access_reader_person(&reader, u->user_id, u->username, u->agency, u->role);
		rc = access_health_lead_on(c, &reader, &u->health_lead);
	}
	store_conn_put(w->st, c);
	if (rc != STORE_OK) {
		free(u);
		return rc;
	}
	http_set_data(rq, u, free);

	/* Each use pushes the idle timeout on; the write goes through the queue and nobody waits for it. */
	int64_t idle_until = 0;
	if (ts_parse_rfc3339(s.idle_until, &idle_until) == 0 && idle_until - now < USERS_SESSION_IDLE_SECONDS - TOUCH_EVERY_SECONDS) {
		struct touch_job *j = calloc(1, sizeof *j);
		if (j) {
			snprintf(j->token, sizeof j->token, "%s", token);
			j->now = now;
			j->job.run = touch_run;
			j->job.arg = j;
			j->job.done = touch_done;
			txq_submit(w->q, &j->job);
		}
	}
	return STORE_OK;
}

bool web_csrf_ok(http_request *rq)
{
	const struct web_user *u = web_user(rq);
	return u && users_csrf_ok(u->token, http_form(rq, "csrf_token"));
}

/* ---- the sign-in page ---- */

/* Where to go after signing in: only a path of ours (lib/route.h), else the home page. */
static bool local_path(const char *next)
{
	return route_local_path(next) && strlen(next) < WEB_NEXT_MAX;
}

static void signin_render(const struct web *w, http_request *rq, int status, const char *presession, json_t *view)
{
	char csrf[USERS_CSRF_MAX];
	users_csrf_token(presession, csrf);
	json_object_set_new(view, "title", json_string("Sign in"));
	json_object_set_new(view, "signin_csrf", json_string(csrf));
	const char *next = http_query(rq, "next");
	if (!next)
		next = http_form(rq, "next");
	if (local_path(next) && text_utf8_valid(next, strlen(next)))
		json_object_set_new(view, "next", json_string(next));
	web_render(w, rq, status, "signin", view);
}

void web_signin_page(const struct web *w, http_request *rq)
{
	if (web_user(rq)) {
		web_redirect(rq, "/");
		return;
	}
	char presession[64];
	const char *have = http_cookie(rq, PRESESSION_COOKIE);
	if (have && strlen(have) >= 32 && strlen(have) < sizeof presession && strspn(have, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
		"abcdefghijklmnopqrstuvwxyz0123456789-_") == strlen(have)) {
		snprintf(presession, sizeof presession, "%s", have);
	} else {
		unsigned char rnd[32];
		randombytes_buf(rnd, sizeof rnd);
		sodium_bin2base64(presession, sizeof presession, rnd, sizeof rnd, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
		cookie(w, rq, PRESESSION_COOKIE, presession, 60 * 60);
	}
	json_t *view = json_object();
	if (http_query(rq, "ended"))
		json_object_set_new(view, "ended", json_true());
	if (http_query(rq, "signed_out"))
		json_object_set_new(view, "signed_out", json_true());
	signin_render(w, rq, 200, presession, view);
}

struct signin_job {
	struct users_attempt si; /* first: its done() finds the job */
	const struct web *w;
	http_request *rq;
	char next[WEB_NEXT_MAX], presession[64];
};

static void signin_done(struct users_attempt *si)
{
	struct signin_job *j = (struct signin_job *)si;
	if (si->rc < 0) {
		fprintf(stderr, "safeguard: a sign-in could not be recorded (store error %d)\n", si->rc);
		web_unavailable(j->w, j->rq);
	} else if (si->res == USERS_SIGNED_IN && si->token[0]) {
		cookie(j->w, j->rq, SESSION_COOKIE, si->token, USERS_SESSION_MAX_SECONDS);
		cookie(j->w, j->rq, PRESESSION_COOKIE, "", 0);
		web_redirect(j->rq, j->next[0] ? j->next : web_landing(si->user.role)); /* their own work */
	} else {
		char wait[160];
		int minutes = (si->retry_after + 59) / 60;
		if (si->retry_after > 60)
			snprintf(wait, sizeof wait, "Too many attempts to sign in. Wait %d minutes and try again, or ask your "
				 "administrator", minutes);
		else
			snprintf(wait, sizeof wait, "Too many attempts to sign in. Wait %d seconds and try again, or ask your "
				 "administrator", si->retry_after > 0 ? si->retry_after : 1);
		json_t *view = json_pack("{s:s}", "username", si->username);
		web_add_error(view, "username", "username",
			      si->res == USERS_THROTTLED ? wait : "The username, password or security code is not right");
		if (si->res == USERS_THROTTLED) {
			char after[16];
			snprintf(after, sizeof after, "%d", si->retry_after > 0 ? si->retry_after : 1);
			http_add_header(j->rq, "Retry-After", after);
		}
		signin_render(j->w, j->rq, si->res == USERS_THROTTLED ? 429 : 400, j->presession, view);
	}
	sodium_memzero(si->token, sizeof si->token);
	http_resume(j->rq);
	free(j);
}

static void signin_expired(const struct web *w, http_request *rq)
{
	web_message_link(w, rq, 403, "The form could not be sent",
			 "The sign-in page had expired or was not sent from this service. Open it again and sign in.",
			 "/sign-in", "Go to sign in");
}

bool web_signin_admit(const struct web *w, http_request *rq)
{
	const char *presession = http_cookie(rq, PRESESSION_COOKIE);
	if (presession && strlen(presession) >= 32 && strlen(presession) < 64)
		return true;
	signin_expired(w, rq);
	return false;
}

void web_signin_submit(const struct web *w, http_request *rq)
{
	if (!web_signin_admit(w, rq))
		return;
	const char *presession = http_cookie(rq, PRESESSION_COOKIE);
	if (!users_csrf_ok(presession, http_form(rq, "csrf_token"))) {
		signin_expired(w, rq);
		return;
	}
	char username[4 * STORE_USER_MAX + 8], password[4 * USERS_PASSWORD_MAX + 8], totp[16];
	web_field(rq, "username", username, sizeof username);
	const char *pw = http_form(rq, "password"); /* as typed: spaces in a passphrase count */
	snprintf(password, sizeof password, "%s", pw ? pw : "");
	web_field(rq, "totp", totp, sizeof totp);
	json_t *view = json_object();
	bool name_ok = username[0] && strlen(username) <= STORE_USER_MAX && web_text_ok(username, STORE_USER_MAX, false);
	if (!username[0])
		web_add_error(view, "username", "username", "Enter your username");
	else if (!name_ok)
		web_add_error(view, "username", "username", "The username, password or security code is not right");
	if (!password[0])
		web_add_error(view, "password", "password", "Enter your password");
	if (!totp[0])
		web_add_error(view, "totp", "totp", "Enter the 6-digit security code from your authenticator app");
	if (json_object_get(view, "errors")) {
		if (text_utf8_valid(username, strlen(username)))
			json_object_set_new(view, "username", json_string(username));
		sodium_memzero(password, sizeof password);
		signin_render(w, rq, 400, presession, view);
		return;
	}
	json_decref(view);
	struct signin_job *j = calloc(1, sizeof *j);
	if (!j) {
		sodium_memzero(password, sizeof password);
		web_unavailable(w, rq);
		return;
	}
	snprintf(j->si.username, sizeof j->si.username, "%.*s", (int)sizeof j->si.username - 1, username); /* checked above */
	snprintf(j->presession, sizeof j->presession, "%s", presession);
	const char *next = http_form(rq, "next");
	if (local_path(next))
		snprintf(j->next, sizeof j->next, "%s", next);
	http_remote_address(rq, j->si.remote);
	snprintf(j->si.kind, sizeof j->si.kind, "web");
	j->si.now = clock_now();
	j->si.done = signin_done;
	j->w = w;
	j->rq = rq;
	http_suspend(rq);
	/* Shared with the API (service/users.h): the throttles, the password's hash on this server thread, the
	 * outcome recorded on the write queue. */
	users_sign_in(w->st, w->q, &j->si, password, totp);
	sodium_memzero(password, sizeof password);
}

/* ---- signing out ---- */

struct signout_job {
	struct txq_job job;
	const struct web *w;
	http_request *rq;
	char token[USERS_SESSION_TOKEN_MAX], actor[96];
};

static int signout_run(store_conn *c, void *arg)
{
	struct signout_job *j = arg;
	return users_session_end(c, j->token, j->actor, clock_now());
}

static void signout_done(struct txq_job *job)
{
	struct signout_job *j = (struct signout_job *)job;
	if (job->rc < 0) {
		web_unavailable(j->w, j->rq);
	} else {
		cookie(j->w, j->rq, SESSION_COOKIE, "", 0);
		web_redirect(j->rq, "/sign-in?signed_out=1");
	}
	sodium_memzero(j->token, sizeof j->token);
	http_resume(j->rq);
	free(j);
}

void web_signout(const struct web *w, http_request *rq)
{
	const struct web_user *u = web_user(rq);
	struct signout_job *j = calloc(1, sizeof *j);
	if (!j) {
		web_unavailable(w, rq);
		return;
	}
	snprintf(j->token, sizeof j->token, "%s", u->token);
	snprintf(j->actor, sizeof j->actor, "%s", u->actor);
	j->w = w;
	j->rq = rq;
	j->job.run = signout_run;
	j->job.arg = j;
	j->job.done = signout_done;
	http_suspend(rq);
	txq_submit(w->q, &j->job);
}
