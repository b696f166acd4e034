/*
 * web/speakup.c — speak up (issue 18, part 1): the reporter's pages (no sign-in) and the reviewers' queue.
 *
 * The reporter's pages keep nothing of who is at the browser: no session, no address, no user agent (the
 * service is given none). A form cookie, random and for this browser session only, is what the forms' CSRF
 * token comes from, as the sign-in page's pre-session cookie is. The answers of the earlier steps travel in
 * the form itself (hidden fields), so that nothing is stored before the reporter sends the report.
 * Text from reporters is shown escaped by the templates, and never as a link.
 */
#include "web/web.h"
#include "web/web_int.h"

#include <sodium.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock/now.h"
#include "core/date.h"
#include "core/text.h"
#include "service/speakup.h"
#include "service/users.h"

#define FORM_COOKIE "sg_form"
#define QUEUE_LIMIT 200
#define STEPS 4

/* ---- the form cookie and its CSRF token ---- */

static bool form_secret_ok(const char *s)
{
	return s && strlen(s) >= 32 && strlen(s) < 64 &&
	       strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") == strlen(s);
}

/* The CSRF token of this browser's forms; a new cookie (for this browser session only) when it has none. */
static void form_csrf(const struct web *w, http_request *rq, json_t *view)
{
	char secret[64], csrf[USERS_CSRF_MAX], h[200];
	const char *have = http_cookie(rq, FORM_COOKIE);
	if (form_secret_ok(have)) {
		snprintf(secret, sizeof secret, "%s", have);
	} else {
		unsigned char rnd[32];
		randombytes_buf(rnd, sizeof rnd);
		sodium_bin2base64(secret, sizeof secret, rnd, sizeof rnd, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
		snprintf(h, sizeof h, "%s=%s; Path=/speak-up; HttpOnly; SameSite=Strict%s", FORM_COOKIE, secret,
			 w->behind_tls ? "; Secure" : "");
		http_add_header(rq, "Set-Cookie", h);
	}
	users_csrf_token(secret, csrf);
	json_object_set_new(view, "form_csrf", json_string(csrf));
}

static void form_expired(const struct web *w, http_request *rq)
{
	web_message_link(w, rq, 403, "The form could not be sent",
			 "The page had expired. Nothing was sent. Open it again and try again.", "/speak-up",
			 "Start again");
}

bool web_speakup_admit(const struct web *w, http_request *rq)
{
	if (form_secret_ok(http_cookie(rq, FORM_COOKIE)))
		return true;
	form_expired(w, rq);
	return false;
}

static bool form_ok(const struct web *w, http_request *rq)
{
	const char *secret = http_cookie(rq, FORM_COOKIE);
	if (form_secret_ok(secret) && users_csrf_ok(secret, http_form(rq, "csrf_token")))
		return true;
	form_expired(w, rq);
	return false;
}

static json_t *page_view(const char *title)
{
	return json_pack("{s:s, s:b}", "title", title, "speakup", 1);
}

/* ---- the report: its answers ---- */

struct answers {
	char step[8], easy[8], who[16], home[24], person_name[4 * SPEAKUP_NAME_MAX + 8],
	    person_role[4 * SPEAKUP_NAME_MAX + 8], what[4 * SPEAKUP_WHAT_MAX + 8], child_name[4 * SPEAKUP_NAME_MAX + 8],
	    dob_day[16], dob_month[16], dob_year[16], about[16], first_name[4 * SPEAKUP_NAME_MAX + 8],
	    contact[4 * SPEAKUP_NAME_MAX + 8];
	int64_t home_id;
	bool home_unknown;
	char dob[STORE_DAY_LEN + 1];
};

static const struct {
	const char *name;
	size_t off, size;
	int step; /* the step that asks it */
} fields[] = {
#define F(n, s) {#n, offsetof(struct answers, n), sizeof ((struct answers *)0)->n, s}
	F(who, 1), F(home, 2), F(person_name, 2), F(person_role, 2), F(what, 3), F(child_name, 3), F(dob_day, 3),
	F(dob_month, 3), F(dob_year, 3), F(about, 4), F(first_name, 4), F(contact, 4),
#undef F
};

static void answers_read(http_request *rq, struct answers *a)
{
	web_field(rq, "step", a->step, sizeof a->step);
	web_field(rq, "easy", a->easy, sizeof a->easy);
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
		web_field(rq, fields[i].name, (char *)a + fields[i].off, fields[i].size);
}

static bool one_of(const char *v, const char *const *list)
{
	for (; *list; list++)
		if (strcmp(v, *list) == 0)
			return true;
	return false;
}

/* Adds the errors of the answers to steps 1..upto to view; the first step with an error, or 0. */
static int answers_check(struct answers *a, int upto, bool easy, json_t *view)
{
	static const char *const whos[] = {"child", "parent", "staff", "other", NULL};
	static const char *const abouts[] = {"nothing", "first_name", "contact", NULL};
	int first = 0;
#define BAD(step, field, msg) \
	do { \
		web_add_error(view, field, field, msg); \
		if (!first || (step) < first) \
			first = step; \
	} while (0)
	if (upto >= 1 && !one_of(a->who, whos))
		BAD(1, "who", easy ? "Choose who you are" : "Choose who is telling us");
	if (upto >= 2) {
		a->home_id = 0;
		a->home_unknown = strcmp(a->home, "unknown") == 0;
		if (a->home[0] && !a->home_unknown) {
			char *end = NULL;
			long long id = strtoll(a->home, &end, 10);
			if (!end || *end || id <= 0)
				BAD(2, "home", "Choose the home from the list, or choose \"I don't know\"");
			else
				a->home_id = id;
		}
		if (!web_text_ok(a->person_name, SPEAKUP_NAME_MAX, false))
			BAD(2, "person_name", "The person's name must be 100 characters or fewer");
		if (!web_text_ok(a->person_role, SPEAKUP_NAME_MAX, false))
			BAD(2, "person_role", "What they do must be 100 characters or fewer");
		if (!easy && !a->home[0] && !a->person_name[0])
			BAD(2, "home", "Choose a home, or \"I don't know\", or tell us the person's name");
	}
	if (upto >= 3) {
		if (!a->what[0])
			BAD(3, "what", easy ? "Tell us what happened" : "Tell us what happened");
		else if (!web_text_ok(a->what, SPEAKUP_WHAT_MAX, true))
			BAD(3, "what", "What happened must be 2,000 characters or fewer");
		if (!web_text_ok(a->child_name, SPEAKUP_NAME_MAX, false))
			BAD(3, "child_name", "The child's name must be 100 characters or fewer");
		struct date d;
		bool given = false;
		a->dob[0] = '\0';
		if (web_date_fields(a->dob_day, a->dob_month, a->dob_year, &d, &given) != 0)
			BAD(3, "dob_day", "Their date of birth must be a real date, like 27 3 2012, or leave it empty");
		else if (given)
			date_format_iso(d, a->dob);
	}
	if (upto >= 4) {
		if (easy) /* the easy-read form asks only for a first name, which may be left out */
			snprintf(a->about, sizeof a->about, "%s", a->first_name[0] ? "first_name" : "nothing");
		if (!one_of(a->about, abouts))
			BAD(4, "about", "Choose how much you want to tell us about you");
		if (!web_text_ok(a->first_name, SPEAKUP_NAME_MAX, false))
			BAD(4, "first_name", "Your first name must be 100 characters or fewer");
		if (!web_text_ok(a->contact, SPEAKUP_NAME_MAX, false))
			BAD(4, "contact", "The way to contact you must be 100 characters or fewer");
		if (strcmp(a->about, "first_name") == 0 && !a->first_name[0])
			BAD(4, "first_name", "Enter your first name, or choose \"Nothing\"");
		if (strcmp(a->about, "contact") == 0 && !a->contact[0])
			BAD(4, "contact", "Enter a phone number or email address, or choose another answer");
	}
#undef BAD
	return first;
}

/* ---- the homes list ---- */

struct homes_ctx {
	json_t *list;
	int64_t selected;
};

static int push_home(const struct store_home *h, void *ctx)
{
	struct homes_ctx *x = ctx;
	char id[24], label[2 * STORE_HOME_TEXT + 32];
	snprintf(id, sizeof id, "%lld", (long long)h->id);
	/* The name and the postcode's first half (the town's area): the register's names repeat. */
	char district[9];
	snprintf(district, sizeof district, "%s", h->postcode);
	char *sp = strchr(district, ' ');
	if (sp)
		*sp = '\0';
	snprintf(label, sizeof label, district[0] ? "%s (%s)" : "%s", h->name, district);
	json_array_append_new(x->list, json_pack("{s:s, s:s, s:b}", "id", id, "label", label, "selected",
						 x->selected == h->id));
	return json_array_size(x->list) >= 2000; /* a bound: no area has this many */
}

static void add_homes(const struct web *w, json_t *view, int64_t selected)
{
	struct homes_ctx x = {json_array(), selected};
	if (speakup_homes(w->st, w->authority, push_home, &x) != STORE_OK)
		fprintf(stderr, "safeguard: the homes list of speak up could not be read\n");
	json_object_set_new(view, "homes", x.list);
}

/* ---- the steps ---- */

static const char *const step_titles[STEPS + 1] = {
	"", "Who is telling us?", "Who or where is it about?", "What happened?", "About you",
};

static void render_step(const struct web *w, http_request *rq, int status, int step, struct answers *a, json_t *view)
{
	char key[16];
	json_object_set_new(view, "title", json_string(step_titles[step]));
	json_object_set_new(view, "speakup", json_true());
	snprintf(key, sizeof key, "step%d", step);
	json_object_set_new(view, key, json_true());
	snprintf(key, sizeof key, "%d", step);
	json_object_set_new(view, "step", json_string(key));
	json_object_set_new(view, "steps", json_integer(STEPS));
	/* The answers: as values of this step's fields, and hidden for the others. */
	json_t *hidden = json_array(), *ans = json_object();
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
		const char *v = (const char *)a + fields[i].off;
		if (!text_utf8_valid(v, strlen(v)))
			v = "";
		json_object_set_new(ans, fields[i].name, json_string(v));
		if (fields[i].step != step && v[0])
			json_array_append_new(hidden, json_pack("{s:s, s:s}", "name", fields[i].name, "value", v));
	}
	json_object_set_new(view, "hidden", hidden);
	json_object_set_new(view, "a", ans);
	json_t *chk = json_object();
	if (a->who[0])
		json_object_set_new(chk, a->who, json_true());
	if (a->about[0])
		json_object_set_new(chk, a->about, json_true());
	json_object_set_new(view, "checked", chk);
	if (step == 2)
		add_homes(w, view, a->home_id);
	if (step == 2 && strcmp(a->home, "unknown") == 0)
		json_object_set_new(view, "home_unknown", json_true());
	form_csrf(w, rq, view);
	web_render(w, rq, status, "speakup_form", view);
}

static void render_easy(const struct web *w, http_request *rq, int status, struct answers *a, json_t *view)
{
	json_object_set_new(view, "title", json_string("Tell us (easy read)"));
	json_object_set_new(view, "speakup", json_true());
	if (a) {
		json_t *ans = json_object();
		for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
			const char *v = (const char *)a + fields[i].off;
			json_object_set_new(ans, fields[i].name, json_string(text_utf8_valid(v, strlen(v)) ? v : ""));
		}
		json_object_set_new(view, "a", ans);
		if (a->who[0])
			json_object_set_new(view, "checked", json_pack("{s:b}", a->who, 1));
	}
	add_homes(w, view, a ? a->home_id : 0);
	form_csrf(w, rq, view);
	web_render(w, rq, status, "speakup_easy", view);
}

void web_speakup_start(const struct web *w, http_request *rq)
{
	struct answers *a = calloc(1, sizeof *a);
	if (!a) {
		web_unavailable(w, rq);
		return;
	}
	render_step(w, rq, 200, 1, a, json_object());
	free(a);
}

void web_speakup_easy(const struct web *w, http_request *rq)
{
	render_easy(w, rq, 200, NULL, json_object());
}

/* ---- sending the report ---- */

struct create_job {
	struct txq_job job;
	const struct web *w;
	http_request *rq;
	struct store_speakup r;
	char pass[SPEAKUP_PASS_MAX];
	enum speakup_result res;
};

static int create_run(store_conn *c, void *arg)
{
	struct create_job *j = arg;
	return speakup_create(c, &j->r, clock_now(), &j->res);
}

static void create_done(struct txq_job *job)
{
	http_resume(((struct create_job *)job->arg)->rq);
}

static void busy(const struct web *w, http_request *rq)
{
	http_add_header(rq, "Retry-After", "600");
	web_message(w, rq, 429, "Too many people are using this just now",
		    "Nothing was sent. Please try again in 10 minutes. If a child is in danger now, call 999.");
}

static void create_answer(http_request *rq, void *arg)
{
	struct create_job *j = arg;
	if (j->job.rc < 0) {
		fprintf(stderr, "safeguard: a speak-up report could not be saved (store error %d)\n", j->job.rc);
		web_write_failed(j->w, rq, j->job.rc, "Sorry, there is a problem with the service",
				 "Your report was not sent. Go back and try again: your answers are still in the form.", NULL,
				 NULL);
	} else if (j->res == SPEAKUP_LIMITED) {
		busy(j->w, rq);
	} else if (j->res == SPEAKUP_NO_HOME) {
		web_message_link(j->w, rq, 400, "There is a problem", "The home you chose is not on our list. Nothing was sent.",
				 "/speak-up", "Start again");
	} else {
		char ref[SPEAKUP_REF_SHOWN + 1];
		speakup_ref_show(j->r.ref, ref);
		json_t *view = page_view("We have your report");
		json_object_set_new(view, "ref", json_string(ref));
		json_object_set_new(view, "pass", json_string(j->pass));
		web_render(j->w, rq, 200, "speakup_done", view);
	}
}

static void create_release(void *arg)
{
	struct create_job *j = arg;
	sodium_memzero(j->pass, sizeof j->pass);
	free(j);
}

/* The continuation answers, then frees the job (release alone runs when the request ends first). */
static void create_show(http_request *rq, void *arg)
{
	create_answer(rq, arg);
	create_release(arg);
}

/* Copies a checked answer (web_text_ok bounded it in characters; the column's bytes bound it again). */
static void put(char *dst, size_t dstsz, const char *src)
{
	size_t n = strlen(src);
	if (n >= dstsz)
		n = dstsz - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

static void speakup_send(const struct web *w, http_request *rq, const struct answers *a)
{
	if (!speakup_admit(clock_now(), false)) {
		busy(w, rq);
		return;
	}
	struct create_job *j = calloc(1, sizeof *j);
	if (!j) {
		web_unavailable(w, rq);
		return;
	}
	struct store_speakup *r = &j->r;
	speakup_new_secrets(r->ref, j->pass);
	if (speakup_pass_hash(j->pass, r->pass_hash) != 0) {
		create_release(j);
		web_unavailable(w, rq);
		return;
	}
	snprintf(r->who, sizeof r->who, "%s", a->who);
	r->home_id = a->home_id;
	r->home_unknown = a->home_unknown;
	put(r->person_name, sizeof r->person_name, a->person_name);
	put(r->person_role, sizeof r->person_role, a->person_role);
	put(r->what, sizeof r->what, a->what);
	put(r->child_name, sizeof r->child_name, a->child_name);
	snprintf(r->child_dob, sizeof r->child_dob, "%s", a->dob);
	snprintf(r->about, sizeof r->about, "%s", a->about);
	/* The service keeps only what they chose to tell (speakup_create). */
	put(r->first_name, sizeof r->first_name, a->first_name);
	put(r->contact, sizeof r->contact, a->contact);
	j->w = w;
	j->rq = rq;
	j->job.run = create_run;
	j->job.arg = j;
	j->job.done = create_done;
	http_continue_with(rq, create_show, j, create_release);
	http_suspend(rq);
	txq_submit(w->q, &j->job);
}

void web_speakup_submit(const struct web *w, http_request *rq)
{
	if (!form_ok(w, rq))
		return;
	struct answers *a = calloc(1, sizeof *a);
	if (!a) {
		web_unavailable(w, rq);
		return;
	}
	answers_read(rq, a);
	bool easy = strcmp(a->easy, "1") == 0;
	/* The step travels in a hidden field: anything but a step's number starts again at step 1. */
	int step = 1;
	if (easy) {
		step = STEPS;
	} else {
		char *end = NULL;
		long got = strtol(a->step, &end, 10);
		if (end != a->step && !*end && got >= 1 && got <= STEPS)
			step = (int)got;
	}
	json_t *view = json_object();
	int bad = answers_check(a, step, easy, view);
	if (easy && bad)
		render_easy(w, rq, 400, a, view);
	else if (bad)
		render_step(w, rq, 400, bad, a, view);
	else if (step < STEPS)
		render_step(w, rq, 200, step + 1, a, view);
	else {
		json_decref(view);
		speakup_send(w, rq, a);
	}
	sodium_memzero(a, sizeof *a);
	free(a);
}

/* ---- coming back: the reporter's thread ---- */

static json_t *when_view(const char *ts)
{
	char date[48], hm[16];
	web_when_text(ts, date, sizeof date, hm, sizeof hm);
	return json_pack("{s:s, s:s}", "date", date, "time", hm);
}

static int push_message(const struct store_speakup_message *m, void *ctx)
{
	json_t *list = ctx;
	json_t *o = json_pack("{s:s, s:b, s:o}", "text", m->text, "from_reporter", m->from_reporter, "when",
			      when_view(m->at));
	if (!m->from_reporter)
		json_object_set_new(o, "author", json_string(m->author));
	json_array_append_new(list, o);
	return json_array_size(list) >= 500;
}

struct return_job {
	struct txq_job job;
	const struct web *w;
	http_request *rq;
	char ref[STORE_SPEAKUP_REF_LEN + 1], pass[SPEAKUP_PASS_MAX], *add;
	bool verified, add_bad;
	struct store_speakup r;
	json_t *messages;
	enum speakup_result res;
};

static int return_run(store_conn *c, void *arg)
{
	struct return_job *j = arg;
	json_array_clear(j->messages);
	return speakup_reporter_open(c, j->ref, j->verified, j->add_bad ? NULL : j->add, clock_now(), &j->r,
				     push_message, j->messages, &j->res);
}

static void return_done(struct txq_job *job)
{
	http_resume(((struct return_job *)job->arg)->rq);
}

static void return_form(const struct web *w, http_request *rq, int status, const char *error)
{
	json_t *view = page_view("Read replies or add more");
	if (error)
		web_add_error(view, "ref", "ref", error);
	form_csrf(w, rq, view);
	web_render(w, rq, status, "speakup_return", view);
}

static void return_answer(http_request *rq, void *arg)
{
	struct return_job *j = arg;
	if (j->job.rc < 0) {
		web_unavailable(j->w, rq);
		return;
	}
	if (j->res != SPEAKUP_OK) {
		return_form(j->w, rq, 400, "The reference or the passphrase is not right. Check both and try again.");
		return;
	}
	char ref[SPEAKUP_REF_SHOWN + 1];
	speakup_ref_show(j->r.ref, ref);
	json_t *view = page_view("Your report");
	json_object_set_new(view, "thread", json_true());
	json_object_set_new(view, "ref", json_string(ref));
	json_object_set_new(view, "pass", json_string(j->pass));
	json_object_set_new(view, "what", json_string(j->r.what));
	json_object_set_new(view, "sent", when_view(j->r.created_at));
	json_object_set_new(view, "messages", json_incref(j->messages));
	json_object_set_new(view, "replied", json_boolean(j->r.state[0] && strcmp(j->r.state, "new") != 0));
	if (j->add_bad)
		web_add_error(view, "add", "add", "What you add must be 2,000 characters or fewer");
	else if (j->add && j->add[0])
		json_object_set_new(view, "added", json_true());
	form_csrf(j->w, rq, view);
	web_render(j->w, rq, j->add_bad ? 400 : 200, "speakup_return", view);
}

static void return_release(void *arg)
{
	struct return_job *j = arg;
	sodium_memzero(j->pass, sizeof j->pass);
	json_decref(j->messages);
	free(j->add);
	free(j);
}

/* The continuation answers, then frees the job (release alone runs when the request ends first). */
static void return_show(http_request *rq, void *arg)
{
	return_answer(rq, arg);
	return_release(arg);
}

void web_speakup_return_page(const struct web *w, http_request *rq)
{
	return_form(w, rq, 200, NULL);
}

void web_speakup_return(const struct web *w, http_request *rq)
{
	if (!form_ok(w, rq))
		return;
	if (!speakup_admit(clock_now(), true)) {
		busy(w, rq);
		return;
	}
	char ref_in[80], pass_in[4 * SPEAKUP_PASS_MAX];
	web_field(rq, "ref", ref_in, sizeof ref_in);
	web_field(rq, "passphrase", pass_in, sizeof pass_in);
	struct return_job *j = calloc(1, sizeof *j);
	if (!j || !(j->messages = json_array()) || !(j->add = malloc(4 * SPEAKUP_WHAT_MAX + 8))) {
		if (j) {
			json_decref(j->messages);
			free(j);
		}
		web_unavailable(w, rq);
		return;
	}
	web_field(rq, "add", j->add, 4 * SPEAKUP_WHAT_MAX + 8);
	j->add_bad = j->add[0] && !web_text_ok(j->add, SPEAKUP_WHAT_MAX, true);
	bool parsed = speakup_ref_parse(ref_in, j->ref) == 0 && speakup_pass_normalise(pass_in, j->pass) == 0;
	sodium_memzero(pass_in, sizeof pass_in);
	if (!parsed) {
		return_release(j);
		return_form(w, rq, 400, "The reference or the passphrase is not right. Check both and try again.");
		return;
	}
	char hash[128];
	bool found = false, locked = false;
	if (speakup_reporter_hash(w->st, j->ref, clock_now(), hash, &found, &locked) != STORE_OK) {
		return_release(j);
		web_unavailable(w, rq);
		return;
	}
	/* The same work whether the reference is there or not (a decoy hash), and whether it waits or not. */
	j->verified = speakup_pass_verify(found ? hash : NULL, j->pass) && !locked;
	j->w = w;
	j->rq = rq;
	j->job.run = return_run;
	j->job.arg = j;
	j->job.done = return_done;
	http_continue_with(rq, return_show, j, return_release);
	http_suspend(rq);
	txq_submit(w->q, &j->job);
}

/* ---- the reviewers' queue ---- */

struct review_job {
	struct txq_job job;
	const struct web *w;
	http_request *rq;
	char actor[96], username[STORE_USER_MAX + 1], role[STORE_CODE_MAX + 1], agency[STORE_CODE_MAX + 1];
	int kind; /* 0 queue, 1 one report, 2 triage, 3 reply */
	int64_t id, child_id;
	char outcome[32], *text;
	struct store_speakup r;
	json_t *list;
	enum speakup_result res;
};

static json_t *report_row(const struct store_speakup *r)
{
	char ref[SPEAKUP_REF_SHOWN + 1], id[24];
	speakup_ref_show(r->ref, ref);
	snprintf(id, sizeof id, "%lld", (long long)r->id);
	const char *who = speakup_who_name(r->who);
	const char *outcome = r->outcome[0] ? speakup_outcome_name(r->outcome) : NULL;
	json_t *o = json_pack("{s:s, s:s, s:s, s:o, s:b, s:i}", "id", id, "ref", ref, "who", who ? who : r->who,
			      "when", when_view(r->created_at), "new", strcmp(r->state, "new") == 0, "messages",
			      r->messages);
	if (r->home_id)
		json_object_set_new(o, "home", json_pack("{s:s, s:I}", "name", r->home_name, "id", (json_int_t)r->home_id));
	if (r->home_unknown)
		json_object_set_new(o, "home_unknown", json_true());
	if (r->person_name[0])
		json_object_set_new(o, "person_name", json_string(r->person_name));
	if (r->person_role[0])
		json_object_set_new(o, "person_role", json_string(r->person_role));
	if (outcome)
		json_object_set_new(o, "outcome", json_string(outcome));
	return o;
}

static int push_report(const struct store_speakup *r, void *ctx)
{
	json_array_append_new(ctx, report_row(r));
	return 0;
}

static int review_run(store_conn *c, void *arg)
{
	struct review_job *j = arg;
	const struct speakup_reviewer rv = {j->actor, j->username, j->role, j->agency};
	json_array_clear(j->list);
	switch (j->kind) {
	case 0:
		return speakup_queue(c, &rv, QUEUE_LIMIT, push_report, j->list, &j->res);
	case 1:
		return speakup_review_open(c, &rv, j->id, &j->r, push_message, j->list, &j->res);
	case 2:
		return speakup_triage(c, &rv, j->id, j->outcome, j->text, j->child_id, clock_now(), &j->res);
	default:
		return speakup_reply(c, &rv, j->id, j->text, &j->res);
	}
}

static void review_done(struct txq_job *job)
{
	http_resume(((struct review_job *)job->arg)->rq);
}

static void review_release(void *arg)
{
	struct review_job *j = arg;
	json_decref(j->list);
	free(j->text);
	free(j);
}

static void review_answer(http_request *rq, void *arg);

/* The continuation answers, then frees the job (release alone runs when the request ends first). */
static void review_show(http_request *rq, void *arg)
{
	review_answer(rq, arg);
	review_release(arg);
}

static void report_page(struct review_job *j, http_request *rq, int status, json_t *view)
{
	const struct store_speakup *r = &j->r;
	json_t *row = report_row(r);
	json_object_update(view, row);
	json_decref(row);
	char ref[SPEAKUP_REF_SHOWN + 1];
	speakup_ref_show(r->ref, ref);
	char title[64];
	snprintf(title, sizeof title, "Report %s", ref);
	json_object_set_new(view, "title", json_string(title));
	json_object_set_new(view, "what", json_string(r->what));
	if (r->child_name[0])
		json_object_set_new(view, "child_name", json_string(r->child_name));
	if (r->child_dob[0]) {
		char dob[64];
		web_dob_text(r->child_dob, false, dob, sizeof dob);
		json_object_set_new(view, "child_dob", json_string(dob));
	}
	if (strcmp(r->about, "nothing") == 0)
		json_object_set_new(view, "anonymous", json_true());
	if (r->first_name[0])
		json_object_set_new(view, "first_name", json_string(r->first_name));
	if (r->contact[0])
		json_object_set_new(view, "contact", json_string(r->contact));
	if (r->outcome_reason[0])
		json_object_set_new(view, "outcome_reason", json_string(r->outcome_reason));
	if (r->triaged_by[0]) {
		json_object_set_new(view, "triaged_by", json_string(r->triaged_by));
		json_object_set_new(view, "triaged", when_view(r->triaged_at));
	}
	if (r->child_id)
		json_object_set_new(view, "child_id", json_integer(r->child_id));
	json_object_set_new(view, "thread", json_incref(j->list));
	json_t *outs = json_array();
	for (size_t i = 0; speakup_outcome_at(i); i++)
		json_array_append_new(outs, json_pack("{s:s, s:s, s:b}", "code", speakup_outcome_at(i), "name",
						      speakup_outcome_name(speakup_outcome_at(i)), "selected",
						      strcmp(r->outcome, speakup_outcome_at(i)) == 0));
	json_object_set_new(view, "outcomes", outs);
	if (http_query(rq, "done"))
		json_object_set_new(view, "done_triage", json_boolean(strcmp(http_query(rq, "done"), "triage") == 0));
	if (http_query(rq, "done"))
		json_object_set_new(view, "done_reply", json_boolean(strcmp(http_query(rq, "done"), "reply") == 0));
	json_object_set_new(view, "back", json_pack("{s:s, s:s}", "href", "/speak-up/reports", "text", "All reports"));
	web_render(j->w, rq, status, "speakup_report", view);
}

static void not_found(const struct web *w, http_request *rq)
{
	web_message_link(w, rq, 404, "Page not found", "There is no report with this number.", "/speak-up/reports",
			 "All reports");
}

static void review_answer(http_request *rq, void *arg)
{
	struct review_job *j = arg;
	char to[96];
	if (j->job.rc < 0) {
		web_unavailable(j->w, rq);
		return;
	}
	if (j->res == SPEAKUP_NOT_FOUND) {
		not_found(j->w, rq);
		return;
	}
	switch (j->kind) {
	case 0: {
		json_t *view = page_view("Speak-up reports");
		json_object_set_new(view, "nav_speakup", json_true());
		json_object_set_new(view, "reports", json_incref(j->list));
		json_object_set_new(view, "count", json_integer((json_int_t)json_array_size(j->list)));
		web_render(j->w, rq, 200, "speakup_reports", view);
		break;
	}
	case 1:
		report_page(j, rq, 200, json_object());
		break;
	case 2:
		if (j->res == SPEAKUP_NO_CHILD) {
			web_message_link(j->w, rq, 400, "There is a problem",
					 "There is no child's record with that number. Nothing was saved.", "/speak-up/reports",
					 "All reports");
			break;
		}
		snprintf(to, sizeof to, "/speak-up/reports/%lld?done=triage", (long long)j->id);
		web_redirect(rq, to);
		break;
	default:
		snprintf(to, sizeof to, "/speak-up/reports/%lld?done=reply#thread", (long long)j->id);
		web_redirect(rq, to);
	}
}

static struct review_job *review_new(const struct web *w, http_request *rq, int kind, int64_t id)
{
	struct review_job *j = calloc(1, sizeof *j);
	if (!j || !(j->list = json_array())) {
		free(j);
		web_unavailable(w, rq);
		return NULL;
	}
	const struct web_user *u = web_user(rq);
	snprintf(j->actor, sizeof j->actor, "%s", u->actor);
	snprintf(j->username, sizeof j->username, "%s", u->username);
	snprintf(j->role, sizeof j->role, "%s", u->role);
	snprintf(j->agency, sizeof j->agency, "%s", u->agency);
	j->w = w;
	j->rq = rq;
	j->kind = kind;
	j->id = id;
	return j;
}

static void review_submit(struct review_job *j)
{
	j->job.run = review_run;
	j->job.arg = j;
	j->job.done = review_done;
	http_continue_with(j->rq, review_show, j, review_release);
	http_suspend(j->rq);
	txq_submit(j->w->q, &j->job);
}

void web_speakup_reports(const struct web *w, http_request *rq)
{
	struct review_job *j = review_new(w, rq, 0, 0);
	if (j)
		review_submit(j);
}

void web_speakup_report(const struct web *w, http_request *rq, int64_t id)
{
	struct review_job *j = review_new(w, rq, 1, id);
	if (j)
		review_submit(j);
}

/* A form's error on the report's own page: the report read again (audited) with the error shown. */
static void report_error(const struct web *w, http_request *rq, int64_t id, const char *msg)
{
	char back[64], detail[200];
	snprintf(back, sizeof back, "/speak-up/reports/%lld", (long long)id);
	snprintf(detail, sizeof detail, "%s. Nothing was saved.", msg);
	web_message_link(w, rq, 400, "There is a problem", detail, back, "Back to the report");
}

void web_speakup_triage(const struct web *w, http_request *rq, int64_t id)
{
	char outcome[64], child[32];
	web_field(rq, "outcome", outcome, sizeof outcome);
	web_field(rq, "child_id", child, sizeof child);
	char *reason = malloc(4 * SPEAKUP_WHAT_MAX + 8);
	if (!reason) {
		web_unavailable(w, rq);
		return;
	}
	web_field(rq, "reason", reason, 4 * SPEAKUP_WHAT_MAX + 8);
	const char *bad = NULL;
	int64_t child_id = 0;
	if (!speakup_outcome_name(outcome))
		bad = "Choose an outcome";
	else if (!web_text_ok(reason, SPEAKUP_WHAT_MAX, true))
		bad = "The reason must be 2,000 characters or fewer";
	else if (strcmp(outcome, "no_further_action") == 0 && !reason[0])
		bad = "Say why there is no further action";
	if (!bad && child[0]) {
		char *end = NULL;
		long long v = strtoll(child, &end, 10);
		if (!end || *end || v <= 0)
			bad = "The child's record number must be a number, like 1234";
		else
			child_id = v;
	}
	if (bad) {
		free(reason);
		report_error(w, rq, id, bad);
		return;
	}
	struct review_job *j = review_new(w, rq, 2, id);
	if (!j) {
		free(reason);
		return;
	}
	put(j->outcome, sizeof j->outcome, outcome);
	j->text = reason;
	j->child_id = child_id;
	review_submit(j);
}

void web_speakup_reply(const struct web *w, http_request *rq, int64_t id)
{
	char *text = malloc(4 * SPEAKUP_WHAT_MAX + 8);
	if (!text) {
		web_unavailable(w, rq);
		return;
	}
	web_field(rq, "reply", text, 4 * SPEAKUP_WHAT_MAX + 8);
	if (!text[0] || !web_text_ok(text, SPEAKUP_WHAT_MAX, true)) {
		free(text);
		report_error(w, rq, id, "Write a reply of 2,000 characters or fewer");
		return;
	}
	struct review_job *j = review_new(w, rq, 3, id);
	if (!j) {
		free(text);
		return;
	}
	j->text = text;
	review_submit(j);
}
