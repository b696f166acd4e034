/*
 * web/recordings_pages.c — recordings on the child's record (issue 18, part 3):
 *
 *   GET  /children/{id}/recordings   the child's recordings (kind, day, who was present, consent, the child's
 *        own words, how long it is kept) with a player for each, and the upload form; audited first
 *        ("recordings.list")
 *   POST /children/{id}/recordings   the upload form: multipart/form-data, read by libmicrohttpd's post
 *        processor as it arrives (http_stream_form) and the file encrypted to disk as it comes
 *        (service/recordings.h); never held whole in memory
 *   GET  /recordings/{id}/play       the plaintext, decrypted as it is sent, for <audio>/<video>: one byte
 *        range (Range: bytes=) when the player asks for it; every request audited first ("recording.play")
 *   GET  /recordings/{id}/download   the same as an attachment ("recording.download")
 *
 * Who: a role that handles recordings (ACT_RECORDINGS) with the child's whole record (service/access.h:
 * allocated worker, manager of the team, MASH while triaging, break-glass). Every refusal is the same 403
 * whether or not the child or the recording exists. The upload is decided on from the headers before a byte
 * of the body is kept, and again in the row's transaction. Its CSRF token is the form's first field: checked
 * before the file's first byte is written.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "web/web.h"
#include "web/web_int.h"
#include "web/assets.h"

#include "clock/now.h"
#include "core/date.h"
#include "lib/route.h"
#include "service/access.h"
#include "service/children.h"
#include "service/recordings.h"
#include "service/users.h"

#define CAN_NOT_TITLE "You cannot use the recordings of this child"
#define CAN_NOT "Only people with the child's whole record (the allocated worker, their manager, the MASH while " \
		"triaging, or an emergency opening) add, play or download a child's recordings."

/* Media types a page may play in <audio> or <video>; the rest are documents, downloaded. */
static const char *media_of(const char *type)
{
	if (strncmp(type, "audio/", 6) == 0)
		return "audio";
	if (strncmp(type, "video/", 6) == 0)
		return "video";
	return NULL;
}

static void size_text(int64_t bytes, char *out, size_t outsz)
{
	if (bytes < 1024)
		snprintf(out, outsz, "%lld bytes", (long long)bytes);
	else if (bytes < 1024 * 1024)
		snprintf(out, outsz, "%.0f KB", (double)bytes / 1024.0);
	else
		snprintf(out, outsz, "%.1f MB", (double)bytes / (1024.0 * 1024.0));
}

/* The uploader as people know them: "user:ID:USERNAME" shows USERNAME. */
static const char *uploader_name(const char *actor)
{
	if (strncmp(actor, "user:", 5) == 0) {
		const char *p = strchr(actor + 5, ':');
		if (p)
			return p + 1;
	}
	return actor;
}

static json_t *kinds_view(const char *checked)
{
	json_t *a = json_array();
	const struct recordings_kind *k;
	for (size_t i = 0; (k = recordings_kind_at(i)); i++)
		json_array_append_new(a, json_pack("{s:s, s:s, s:s, s:s, s:i, s:s, s:b}", "id",
						   i == 0 ? "kind" : (i == 1 ? "kind-meeting" : "kind-other"), "value", k->code,
						   "label", k->name, "hint", k->hint, "years", k->years, "basis", k->basis,
						   "checked", checked && strcmp(checked, k->code) == 0));
	return a;
}

static void max_text(const struct web *w, char *out, size_t outsz)
{
	unsigned long long mb = w->recording_max / (1024 * 1024);
	snprintf(out, outsz, "%llu MB", mb ? mb : 1);
}

/* ---- the page ---- */

struct page_job {
	struct web_read r; /* first */
	json_t *rows;
};

static void page_release(struct web_read *r)
{
	struct page_job *j = (struct page_job *)r;
	json_decref(j->rows);
	free(j);
}

static int page_row(const struct store_recording *rec, void *ctx)
{
	struct page_job *j = ctx;
	const struct recordings_kind *k = recordings_kind_of(rec->kind);
	char day[DATE_LONG_MAX + 1] = "", until[DATE_LONG_MAX + 1] = "", up_date[DATE_LONG_MAX + 1], up_hm[8], size[32];
	char play[48], download[48];
	struct date d;
	if (date_parse_iso(rec->recorded_on, &d) == DATE_OK)
		date_format_long(d, day);
	if (recordings_kept_until(rec, &d))
		date_format_long(d, until);
	web_when_text(rec->uploaded_at, up_date, sizeof up_date, up_hm, sizeof up_hm);
	size_text(rec->bytes, size, sizeof size);
	snprintf(play, sizeof play, "/recordings/%lld/play", (long long)rec->id);
	snprintf(download, sizeof download, "/recordings/%lld/download", (long long)rec->id);
	const char *media = media_of(rec->content_type);
	json_t *row = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "id",
				(json_int_t)rec->id, "kind", k ? k->name : rec->kind, "day", day, "present", rec->present,
				"consent", rec->consent, "filename", rec->filename, "type", rec->content_type, "size", size,
				"uploaded_date", up_date, "uploaded_time", up_hm, "uploaded_by", uploader_name(rec->uploaded_by),
				"until", until, "play", play, "download", download);
	if (!row)
		return STORE_EIO; /* a string that is not UTF-8: not written by this program */
	if (rec->words[0])
		json_object_set_new(row, "words", json_string(rec->words));
	if (media) {
		json_object_set_new(row, strcmp(media, "audio") == 0 ? "audio" : "video", json_true());
	}
	return json_array_append_new(j->rows, row) ? STORE_EIO : 0;
}

/* The form's view: the kinds, the date, what was typed, the limit. */
static void form_view(const struct web *w, json_t *view, int64_t child_id, const char *kind)
{
	char max[32];
	max_text(w, max, sizeof max);
	json_object_set_new(view, "child_id", json_integer(child_id));
	json_object_set_new(view, "kinds", kinds_view(kind));
	json_object_set_new(view, "max_size", json_string(max));
	json_object_set_new(view, "recorder_js", json_string(web_asset_url("recordings.js")));
	if (!w->rec)
		json_object_set_new(view, "no_store", json_true());
}

static void page_show(struct web_read *r)
{
	struct page_job *j = (struct page_job *)r;
	struct store_person *child = NULL;
	bool found = false;
	int rc = STORE_OK;
	if (!r->access.exists) {
		web_message(r->w, r->rq, 404, "Child not found", "There is no child with this reference. Search again.");
		return;
	}
	j->rows = json_array();
	if (!(child = calloc(1, sizeof *child)))
		rc = STORE_EIO;
	if (rc == STORE_OK)
		rc = recordings_page(r->w->st, &r->access, child, &found, page_row, j);
	if (rc != STORE_OK || !found) {
		fprintf(stderr, "safeguard: a child's recordings could not be read (store error %d)\n", rc);
		free(child);
		web_unavailable(r->w, r->rq);
		return;
	}
	char name[STORE_NAME_BYTES * 3], back[48];
	web_full_name(child, name, sizeof name);
	free(child);
	snprintf(back, sizeof back, "/children/%lld", (long long)r->access.child_id);
	json_t *view = json_object();
	json_object_set_new(view, "title", json_string("Recordings"));
	json_object_set_new(view, "child_name", web_str(name));
	json_object_set_new(view, "rows", json_incref(j->rows));
	json_object_set_new(view, "has_rows", json_boolean(json_array_size(j->rows) > 0));
	size_t n = json_array_size(j->rows);
	char count[64];
	snprintf(count, sizeof count, "%zu recording%s", n, n == 1 ? "" : "s");
	json_object_set_new(view, "count_text", json_string(count));
	const char *up = http_query(r->rq, "uploaded");
	if (up && up[0] && strspn(up, "0123456789") == strlen(up) && strlen(up) < 19)
		json_object_set_new(view, "uploaded", json_string(up));
	form_view(r->w, view, r->access.child_id, NULL);
	web_break_glass_banner(view, &r->access.reader);
	json_object_set_new(view, "back", json_pack("{s:s, s:s}", "href", back, "text", "Back to the record"));
	web_render(r->w, r->rq, 200, "recordings", view);
}

void web_recordings_page(const struct web *w, http_request *rq, int64_t child_id)
{
	struct page_job *j = calloc(1, sizeof *j);
	if (!j) {
		web_unavailable(w, rq);
		return;
	}
	j->r.show = page_show;
	j->r.release = page_release;
	web_child_read_start(w, rq, &j->r, "recordings.list", child_id, ACCESS_FULL, "recordings page");
}

/* ---- the upload ---- */

#define SMALL_FIELD 16 /* day, month, year, kind */

struct upload {
	struct txq_job job;
	const struct web *w;
	http_request *rq;
	int64_t child_id;
	struct access_writer wr;
	char username[STORE_USER_MAX + 1], agency[STORE_CODE_MAX + 1], role[STORE_CODE_MAX + 1];
	recordings_writer *out; /* until the row is committed (then freed) or the upload fails (then discarded) */
	char csrf[64];
	size_t csrf_len;
	bool csrf_checked, csrf_ok;
	char day[SMALL_FIELD], month[SMALL_FIELD], year[SMALL_FIELD];
	bool file_seen;
	unsigned long long file_bytes;
	const char *file_error; /* a static message, when the file field is wrong */
	bool too_long;          /* a text field past its bound (its field in too_long_field) */
	const char *too_long_field;
	bool refused;
	struct store_recording rec; /* last: large */
};

static void upload_release(void *ctx)
{
	struct upload *u = ctx;
	recordings_write_discard(u->out); /* NULL once the row is committed */
	free(u);
}

static void form_refused(const struct web *w, http_request *rq)
{
	web_message(w, rq, 403, "The form could not be sent",
		    "The form had expired or was not sent from this service. Go back, reload the page and try again.");
}

/* Appends a piece of a text field to buf (sz bytes with the NUL), remembering when it does not fit. */
static void append(struct upload *u, const char *field, char *buf, size_t sz, const char *data, unsigned long long off,
		   size_t size)
{
	size_t have = strlen(buf);
	if (off == 0)
		have = buf[0] = '\0';
	if (have + size >= sz) {
		if (!u->too_long) {
			u->too_long = true;
			u->too_long_field = field;
		}
		return;
	}
	memcpy(buf + have, data, size);
	buf[have + size] = '\0';
}

static bool csrf_check(struct upload *u, http_request *rq)
{
	if (!u->csrf_checked) {
		const struct web_user *me = web_user(rq);
		u->csrf_checked = true;
		u->csrf_ok = me && u->csrf_len && users_csrf_ok(me->token, u->csrf);
	}
	return u->csrf_ok;
}

static int upload_field(http_request *rq, const char *name, const char *filename, const char *content_type,
			const char *data, unsigned long long off, size_t size, void *ctx)
{
	struct upload *u = ctx;
	if (strcmp(name, "csrf_token") == 0) {
		if (u->csrf_checked || u->csrf_len + size >= sizeof u->csrf) {
			form_refused(u->w, rq);
			return -1;
		}
		memcpy(u->csrf + u->csrf_len, data, size);
		u->csrf_len += size;
		u->csrf[u->csrf_len] = '\0';
		return 0;
	}
	/* Any other field comes after the token (it is the form's first): from here it is checked. */
	if (!csrf_check(u, rq)) {
		form_refused(u->w, rq);
		return -1;
	}
	if (strcmp(name, "file") == 0) {
		/* libmicrohttpd may call with off 0 more than once for one part (an empty piece first): a second
		 * part is an off 0 after bytes of the first. */
		if (off == 0 && (!u->file_seen || u->file_bytes)) {
			if (u->file_seen) { /* one file per recording */
				u->file_error = "Upload one file at a time";
				recordings_write_discard(u->out);
				u->out = NULL;
			}
			u->file_seen = true;
			const char *type = recordings_content_type(content_type);
			if (u->file_error) {
				/* keep the first error */
			} else if (!filename || !filename[0]) {
				u->file_error = "Select the recording or document to upload";
			} else if (!recordings_filename_valid(filename, strlen(filename))) {
				u->file_error = "The file's name must be 200 characters or fewer, with no slashes";
			} else if (!type) {
				u->file_error = "The file must be audio (MP3, M4A, WAV, OGG or WEBM), video (MP4, WEBM or MOV), "
						"a PDF, a JPEG or PNG picture, or a text file";
			} else if (recordings_write_begin(u->w->rec, &u->out) != 0) {
				fprintf(stderr, "safeguard: cannot make a temporary file for a recording\n");
				web_message(u->w, rq, 500, "Sorry, there is a problem with the service",
					    "The recording could not be stored. Try again later.");
				return -1;
			} else {
				snprintf(u->rec.filename, sizeof u->rec.filename, "%s", filename);
				snprintf(u->rec.content_type, sizeof u->rec.content_type, "%s", type);
			}
		}
		u->file_bytes += size;
		if (u->out && size && recordings_write(u->out, data, size) != 0) {
			fprintf(stderr, "safeguard: a recording could not be written to disk\n");
			web_message(u->w, rq, 500, "Sorry, there is a problem with the service",
				    "The recording could not be stored. Try again later.");
			return -1;
		}
		return 0;
	}
	if (strcmp(name, "kind") == 0)
		append(u, "kind", u->rec.kind, sizeof u->rec.kind, data, off, size);
	else if (strcmp(name, "recorded-day") == 0)
		append(u, "recorded_on", u->day, sizeof u->day, data, off, size);
	else if (strcmp(name, "recorded-month") == 0)
		append(u, "recorded_on", u->month, sizeof u->month, data, off, size);
	else if (strcmp(name, "recorded-year") == 0)
		append(u, "recorded_on", u->year, sizeof u->year, data, off, size);
	else if (strcmp(name, "present") == 0)
		append(u, "present", u->rec.present, sizeof u->rec.present, data, off, size);
	else if (strcmp(name, "consent") == 0)
		append(u, "consent", u->rec.consent, sizeof u->rec.consent, data, off, size);
	else if (strcmp(name, "words") == 0)
		append(u, "words", u->rec.words, sizeof u->rec.words, data, off, size);
	/* Anything else (a browser's own fields) is ignored. */
	return 0;
}

static const char *anchor_of(const char *field)
{
	if (strcmp(field, "kind") == 0)
		return "kind";
	if (strcmp(field, "recorded_on") == 0)
		return "recorded-day";
	return field;
}

/* The form again with what was typed (never the file: a browser cannot be given it back). */
static void upload_form_again(struct upload *u, http_request *rq, int status, const char *field, const char *message)
{
	json_t *view = json_object();
	json_t *form = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "day", u->day, "month", u->month, "year", u->year,
				 "present", u->rec.present, "consent", u->rec.consent, "words", u->rec.words);
	if (!form) /* not UTF-8: nothing of it is shown back */
		form = json_object();
	json_object_set_new(view, "title", json_string("Add a recording"));
	json_object_set_new(view, "form", form);
	form_view(u->w, view, u->child_id, u->rec.kind);
	web_add_error(view, field, anchor_of(field), message);
	char back[48];
	snprintf(back, sizeof back, "/children/%lld/recordings", (long long)u->child_id);
	json_object_set_new(view, "back", json_pack("{s:s, s:s}", "href", back, "text", "Back to the recordings"));
	web_render(u->w, rq, status, "recording_upload", view);
}

static int upload_run(store_conn *c, void *arg)
{
	struct upload *u = arg;
	const struct access_write_ask ask = {&u->wr, u->rec.uploaded_by, WRITE_RECORDING, NULL, u->child_id};
	bool allowed = false;
	/* refused: audited by the decision, naming no child (r-ntk30) */
	int rc = access_write_checked(c, &ask, u->child_id, 0, clock_now(), &allowed, NULL);
	u->refused = rc == STORE_OK && !allowed;
	if (rc != STORE_OK || u->refused)
		return rc;
	return recordings_add(c, &u->rec, clock_now());
}

static void upload_done(struct txq_job *job)
{
	struct upload *u = (struct upload *)job;
	if (job->rc < 0 || u->refused) {
		if (job->rc == STORE_EUNKNOWN) /* the row may have been committed: keep its file (service/recordings.h) */
			recordings_write_free(u->out);
		else
			recordings_write_discard(u->out); /* in place, but no row points at it */
		u->out = NULL;
		if (u->refused) {
			web_message(u->w, u->rq, 403, CAN_NOT_TITLE, CAN_NOT);
		} else {
			fprintf(stderr, "safeguard: a recording's row could not be stored (store error %d)\n", job->rc);
			web_write_failed(u->w, u->rq, job->rc, "The recording was not saved",
					 "Sorry, there is a problem with the service. Try again in a moment.", NULL, NULL);
		}
	} else {
		char to[96];
		recordings_write_free(u->out);
		u->out = NULL;
		snprintf(to, sizeof to, "/children/%lld/recordings?uploaded=%lld#recording-%lld", (long long)u->child_id,
			 (long long)u->rec.id, (long long)u->rec.id);
		web_redirect(u->rq, to);
	}
	http_resume(u->rq);
}

/* A browser sends a textarea's line breaks as CRLF (HTML's form encoding): kept as LF, as typed. */
static void lines_lf(char *s)
{
	char *o = s;
	for (; *s; s++)
		if (!(s[0] == '\r' && s[1] == '\n'))
			*o++ = *s;
	*o = '\0';
}

static void upload_end(http_request *rq, void *ctx)
{
	struct upload *u = ctx;
	const char *field = NULL, *message = NULL;
	struct date d;
	bool given = false;
	if (!csrf_check(u, rq)) {
		form_refused(u->w, rq);
		return;
	}
	lines_lf(u->rec.present);
	lines_lf(u->rec.consent);
	lines_lf(u->rec.words);
	/* The first problem, in the order of the form. */
	if (!recordings_kind_of(u->rec.kind)) {
		field = "kind";
		message = "Select what kind of recording this is";
	} else if (web_date_fields(u->day, u->month, u->year, &d, &given) != 0 || !given) {
		field = "recorded_on";
		message = given ? "Enter the date it was recorded as a real date, for example 27 3 2026"
				: "Enter the date it was recorded";
	} else if (u->too_long) {
		field = u->too_long_field;
		message = strcmp(field, "words") == 0	  ? "The child's own words must be 4,000 characters or fewer"
			  : strcmp(field, "present") == 0 ? "Who was present must be 1,000 characters or fewer"
			  : strcmp(field, "consent") == 0 ? "Consent must be 500 characters or fewer"
							  : "Enter the date it was recorded as a real date, for example 27 3 2026";
	} else {
		date_format_iso(d, u->rec.recorded_on);
		if (recordings_describe_check(&u->rec, web_today(), &field, &message) == 0) {
			if (!u->file_seen)
				u->file_error = "Select the recording or document to upload";
			else if (!u->file_error && (!u->out || recordings_written(u->out) == 0))
				u->file_error = "The selected file is empty";
			if (u->file_error) {
				field = "file";
				message = u->file_error;
			}
		}
	}
	if (field) {
		recordings_write_discard(u->out);
		u->out = NULL;
		upload_form_again(u, rq, 400, field, message);
		return;
	}
	if (recordings_write_end(u->out, &u->rec) != 0) {
		recordings_write_discard(u->out);
		u->out = NULL;
		fprintf(stderr, "safeguard: a recording could not be sealed on disk\n");
		web_message(u->w, rq, 500, "Sorry, there is a problem with the service",
			    "The recording could not be stored. Try again later.");
		return;
	}
	u->job.run = upload_run;
	u->job.arg = u;
	u->job.done = upload_done;
	http_suspend(rq);
	txq_submit(u->w->q, &u->job);
}

/* An upload refused from its headers (r-ntk31). Its answer is the 403 given before, whatever the body holds, and
 * its "access.refused" entry is written only once the form is shown to be this service's: the CSRF token, the
 * body's first field, read and good (r-review50: a POST with her cookie and no token wrote an entry in her name,
 * where every other form that acts writes nothing without its token). The entry is queued, not waited for
 * (access.h: access_write_decided_held); nothing but the token is kept.
 *
 * The rest of the body is read and dropped here, up to the limit of an allowed upload, and the answer goes once it
 * is in (r-review60): handed back to the server after the token, it was drained only to HTTP_DRAIN_MAX (16 MiB)
 * and then the connection closed with no answer at all, so a recording over 16 MiB to a child she may not write to
 * met a reset where integ answered 403 at once. Decision: a refused upload costs the server what an allowed one
 * would (the same limit, the same idle timeout), no more; a body declared over that limit is answered at once as
 * before, its token not read. r-tidy32: such a try wrote no entry at all, so a refused attempt went unaudited for
 * its size. Decision: its entry is written (queued) when the browser vouches that the form is this service's
 * (web_origin_vouched: Origin ours, or Sec-Fetch-Site same-origin, headers no page of another site can set, the
 * "verifying origin with standard headers" defence), and not when it says nothing (no Origin: a client with her
 * cookie and no token, as r-review50's). Reading the token instead would mean reading into a body the server then
 * cannot drain (over HTTP_DRAIN_MAX, the client would meet a reset, not the 403). */
struct refused_upload {
	const struct web *w;
	struct access_write_refusal *held; /* NULL once sent or dropped */
	bool settled;                      /* answered: the rest is dropped */
	char csrf[64];
	size_t csrf_len;
	bool too_long;
};

static void refused_settle(struct refused_upload *r, http_request *rq)
{
	const struct web_user *me = web_user(rq);
	if (r->settled)
		return;
	r->settled = true;
	bool busy = false; /* its entry no room (service/access.h ACCESS_UNWAITED_MAX): 503, not the refusal */
	if (me && !r->too_long && r->csrf_len && users_csrf_ok(me->token, r->csrf))
		busy = access_write_refusal_send(r->w->q, r->held) != 0;
	else
		access_write_refusal_drop(r->held);
	r->held = NULL;
	if (busy)
		web_unavailable(r->w, rq);
	else
		web_message(r->w, rq, 403, CAN_NOT_TITLE, CAN_NOT);
}

static int refused_field(http_request *rq, const char *name, const char *filename, const char *content_type,
			 const char *data, unsigned long long off, size_t size, void *ctx)
{
	struct refused_upload *r = ctx;
	if (r->settled) /* dropped; the sink's max bounds it, as an allowed upload's */
		return 0;
	if (strcmp(name, "csrf_token") == 0 && !r->too_long) {
		if (r->csrf_len + size >= sizeof r->csrf) {
			r->too_long = true;
		} else {
			memcpy(r->csrf + r->csrf_len, data, size);
			r->csrf_len += size;
			r->csrf[r->csrf_len] = '\0';
			return 0;
		}
	}
	refused_settle(r, rq); /* the token is the form's first field: whatever comes next, it is whole */
	return 0;
}

static void refused_end(http_request *rq, void *ctx)
{
	refused_settle(ctx, rq);
}

static void refused_unreadable(http_request *rq, void *ctx)
{
	struct refused_upload *r = ctx;
	r->too_long = true; /* no token read: no entry, the same answer */
	refused_settle(r, rq);
}

static void refused_release(void *ctx)
{
	struct refused_upload *r = ctx;
	access_write_refusal_drop(r->held); /* the client went away before its token: no entry */
	free(r);
}

static void upload_refused(const struct web *w, http_request *rq, struct access_write_refusal *held)
{
	struct refused_upload *r = calloc(1, sizeof *r);
	if (!r) {
		access_write_refusal_drop(held);
		web_message(w, rq, 403, CAN_NOT_TITLE, CAN_NOT);
		return;
	}
	r->w = w;
	r->held = held;
	/* An allowed upload's limit (web_recording_upload): declared over it, answered at once (the server would not
	 * read it), no token read, no entry. */
	unsigned long long max = w->recording_max + 64 * 1024;
	long long cl = http_content_length(rq);
	if (cl >= 0 && (unsigned long long)cl > max) {
		bool busy = false; /* as in refused_settle */
		if (web_origin_vouched(w, rq))
			busy = access_write_refusal_send(w->q, r->held) != 0;
		else
			access_write_refusal_drop(r->held);
		free(r);
		if (busy)
			web_unavailable(w, rq);
		else
			web_message(w, rq, 403, CAN_NOT_TITLE, CAN_NOT);
		return;
	}
	struct http_sink sink = {.max = max, .end = refused_end, .release = refused_release,
				 .unreadable = refused_unreadable};
	if (http_stream_form(rq, &sink, refused_field, r) != 0) { /* not a form: no token to read, no entry */
		access_write_refusal_drop(r->held);
		free(r);
		web_message(w, rq, 403, CAN_NOT_TITLE, CAN_NOT);
	}
}

void web_recording_upload(const struct web *w, http_request *rq, int64_t child_id)
{
	const struct web_user *me = web_user(rq);
	const struct access_writer wr = {me->user_id, me->username, me->agency, me->role};
	const struct access_write_ask ask = {&wr, me->actor, WRITE_RECORDING, NULL, child_id};
	bool allowed = false;
	struct access_write_refusal *held = NULL;
	/* Decided from the headers, before a byte of the body is kept; refused, its entry made by the same call and
	 * written once the form's token is read (upload_refused). */
	if (access_write_decided_held(w->st, &ask, child_id, clock_now(), &held, &allowed) != STORE_OK) {
		web_unavailable(w, rq);
		return;
	}
	if (!allowed) { /* the same whether or not the child exists */
		upload_refused(w, rq, held);
		return;
	}
	if (!w->rec) {
		web_message(w, rq, 503, "Recordings are not kept here", "This service keeps no recordings.");
		return;
	}
	const char *ct = http_header(rq, "Content-Type");
	if (!ct || strncasecmp(ct, "multipart/form-data", 19) != 0) {
		web_message(w, rq, 400, "The form could not be read",
			    "Send the recording with the form on the child's recordings page.");
		return;
	}
	struct upload *u = calloc(1, sizeof *u);
	if (!u) {
		web_unavailable(w, rq);
		return;
	}
	u->w = w;
	u->rq = rq;
	u->child_id = child_id;
	snprintf(u->username, sizeof u->username, "%s", me->username);
	snprintf(u->agency, sizeof u->agency, "%s", me->agency);
	snprintf(u->role, sizeof u->role, "%s", me->role);
	u->wr = (struct access_writer){me->user_id, u->username, u->agency, u->role};
	u->rec.child_id = child_id;
	snprintf(u->rec.uploaded_by, sizeof u->rec.uploaded_by, "%s", me->actor);
	/* The file and the form's fields: the file's limit and room for the rest. */
	unsigned long long max = w->recording_max + 64 * 1024;
	long long cl = http_content_length(rq);
	if (cl >= 0 && (unsigned long long)cl > max) {
		char msg[96], size[32];
		max_text(w, size, sizeof size);
		snprintf(msg, sizeof msg, "The file must be smaller than %s", size);
		upload_form_again(u, rq, 413, "file", msg);
		free(u);
		return;
	}
	struct http_sink sink = {.max = max, .end = upload_end, .release = upload_release};
	if (http_stream_form(rq, &sink, upload_field, u) != 0) {
		free(u);
		web_message(w, rq, 400, "The form could not be read",
			    "Send the recording with the form on the child's recordings page.");
	}
}

bool web_body_streamed(const char *method, const char *path)
{
	int64_t ids[ROUTE_IDS_MAX];
	return strcmp(method, "POST") == 0 && route_match("/children/{id}/recordings", path, ids);
}

/* ---- playing and downloading ---- */

struct content_job {
	struct web_read r; /* first */
	int64_t id;
	bool download;
	struct store_recording rec;
};

static void content_release(struct web_read *r)
{
	free(r);
}

/* What the answer streams: the reader and how many bytes are left of the range. */
struct stream {
	recordings_reader *rd;
	unsigned long long left;
	int64_t id;
};

static long stream_read(void *ctx, char *buf, size_t max)
{
	struct stream *s = ctx;
	char why[RECORDINGS_WHY_MAX];
	if (max > s->left)
		max = (size_t)s->left;
	if (!max)
		return -1;
	ssize_t n = recordings_read(s->rd, buf, max, why);
	if (n < 0) /* changed on disk since the check: a short body, never an unchecked byte */
		fprintf(stderr, "safeguard: recording %lld failed to decrypt while being sent: %s\n", (long long)s->id, why);
	if (n > 0)
		s->left -= (unsigned long long)n;
	return n > 0 ? (long)n : -1;
}

static void stream_free(void *ctx)
{
	struct stream *s = ctx;
	recordings_read_close(s->rd);
	free(s);
}

/* One range of "bytes=A-B", "bytes=A-" or "bytes=-N" over size bytes: 1 and first/last when it is one,
 * 0 when there is no Range header or it is not one this answers (the whole is sent), -1 when unsatisfiable. */
static int range_of(const char *h, unsigned long long size, unsigned long long *first, unsigned long long *last)
{
	char *end = NULL;
	if (!h || strncmp(h, "bytes=", 6) != 0 || strchr(h, ','))
		return 0;
	const char *p = h + 6;
	if (*p == '-') {
		unsigned long long n = strtoull(p + 1, &end, 10);
		if (end == p + 1 || *end)
			return 0;
		if (n == 0)
			return -1;
		*first = n >= size ? 0 : size - n;
		*last = size - 1;
		return 1;
	}
	if (*p < '0' || *p > '9')
		return 0;
	unsigned long long a = strtoull(p, &end, 10), b = size - 1;
	if (*end != '-')
		return 0;
	p = end + 1;
	if (*p) {
		if (*p < '0' || *p > '9')
			return 0;
		b = strtoull(p, &end, 10);
		if (*end || b < a)
			return 0;
		if (b >= size)
			b = size - 1;
	}
	if (a >= size)
		return -1;
	*first = a;
	*last = b;
	return 1;
}

/* RFC 6266: an ASCII fallback and the name itself as UTF-8 in filename*. */
static void disposition(const char *how, const char *name, char *out, size_t outsz)
{
	static const char attr[] = "!#$&+-.^_`|~";
	size_t o = (size_t)snprintf(out, outsz, "%s; filename=\"", how);
	for (const unsigned char *p = (const unsigned char *)name; *p && o + 2 < outsz; p++) {
		if ((*p & 0xC0) == 0x80)
			continue;
		out[o++] = *p >= 0x20 && *p < 0x7F && *p != '"' && *p != '\\' && *p != '%' ? (char)*p : '_';
	}
	o += (size_t)snprintf(out + o, outsz - o, "\"; filename*=UTF-8''");
	for (const unsigned char *p = (const unsigned char *)name; *p && o + 4 < outsz; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || strchr(attr, *p))
			out[o++] = (char)*p;
		else
			o += (size_t)snprintf(out + o, outsz - o, "%%%02X", *p);
	}
	out[o < outsz ? o : outsz - 1] = '\0';
}

static void content_refusal(struct web_read *r)
{
	web_message(r->w, r->rq, 403, CAN_NOT_TITLE, CAN_NOT);
}

static void content_show(struct web_read *r)
{
	struct content_job *j = (struct content_job *)r;
	char why[RECORDINGS_WHY_MAX] = "";
	if (!r->access.exists || !j->rec.id) {
		web_message(r->w, r->rq, 404, "Recording not found", "There is no recording with this reference.");
		return;
	}
	struct stream *s = calloc(1, sizeof *s);
	if (!s) {
		web_unavailable(r->w, r->rq);
		return;
	}
	s->id = j->rec.id;
	/* The whole file decrypts and matches its hash before the first byte goes (a damaged recording is
	 * never handed on in part). NEEDSWORK: a seek decrypts from the start twice; a per-chunk index of the
	 * stream's state would let a range start at its chunk. */
	int rc = recordings_read_open(r->w->rec, &r->access, &j->rec, &s->rd, why);
	if (rc == 0)
		rc = recordings_read_check(s->rd, why);
	unsigned long long size = (unsigned long long)j->rec.bytes, first = 0, last = size ? size - 1 : 0;
	int ranged = j->download ? 0 : range_of(http_header(r->rq, "Range"), size, &first, &last);
	if (rc == 0 && ranged == 1 && first)
		rc = recordings_read_skip(s->rd, first, why);
	if (rc != 0) {
		fprintf(stderr, "safeguard: recording %lld failed to decrypt: %s\n", (long long)j->rec.id, why);
		stream_free(s);
		web_message(r->w, r->rq, 500, "This recording cannot be played",
			    rc == RECORDINGS_EDAMAGED ? "Its file has been changed or damaged. Tell your administrator: "
							"`safeguard recordings verify` names it."
						      : "Its file cannot be read from disk. Tell your administrator.");
		return;
	}
	char head[RECORDINGS_FILENAME_MAX * 4 * 3 + 64], range[96];
	disposition(j->download ? "attachment" : "inline", j->rec.filename, head, sizeof head);
	http_add_header(r->rq, "Content-Disposition", head);
	/* Played or downloaded, never kept: no copy in the browser's cache or a proxy's. */
	http_add_header(r->rq, "Cache-Control", "no-store");
	http_add_header(r->rq, "Accept-Ranges", j->download ? "none" : "bytes");
	if (ranged < 0) {
		stream_free(s);
		snprintf(range, sizeof range, "bytes */%llu", size);
		http_add_header(r->rq, "Content-Range", range);
		http_respond(r->rq, 416, "text/plain; charset=utf-8", NULL, 0);
		return;
	}
	if (ranged == 1) {
		snprintf(range, sizeof range, "bytes %llu-%llu/%llu", first, last, size);
		http_add_header(r->rq, "Content-Range", range);
	}
	s->left = size ? last - first + 1 : 0;
	const char *type = recordings_content_type(j->rec.content_type);
	if (!s->left) {
		stream_free(s);
		http_respond(r->rq, 200, type ? type : "application/octet-stream", NULL, 0);
		return;
	}
	http_respond_stream(r->rq, ranged == 1 ? 206 : 200, type ? type : "application/octet-stream", s->left,
			    stream_read, stream_free, s);
}

/* The decision made (recordings_read_decided), just before its entry is queued: the entry's detail, and the
 * request suspended until it is durable. The hash says which file was played; its name is personal data and
 * stays out. */
static void content_hold(struct children_access *a)
{
	struct content_job *j = (struct content_job *)a;
	if (!a->refuse)
		snprintf(a->detail, sizeof a->detail, "recording:%lld blake2b %s", (long long)j->id, j->rec.blake2b);
	else if (j->rec.child_id) /* the refusal's entry names no child; its detail says which, for the auditor */
		snprintf(a->detail, sizeof a->detail, "recording %lld (child:%lld)", (long long)j->id,
			 (long long)j->rec.child_id);
	else
		snprintf(a->detail, sizeof a->detail, "recording %lld", (long long)j->id);
	web_read_suspend(&j->r);
}

void web_recording_content(const struct web *w, http_request *rq, int64_t id, bool download)
{
	if (!w->rec) {
		web_message(w, rq, 503, "Recordings are not kept here", "This service keeps no recordings.");
		return;
	}
	struct content_job *j = calloc(1, sizeof *j);
	if (!j) {
		web_unavailable(w, rq);
		return;
	}
	/* One call decides and audits the read, as the API's (recordings_read_decided: the row, then its child's
	 * whole record): one 403 whether the recording does not exist or is about a child whose whole record the
	 * reader does not have (the refusal page of a record would name the recording's child), audited as a refusal
	 * whatever the id holds (`access.refused` on the recording, naming no child: r-ntk27), the same work for
	 * both. The read decides again with its audit entry (ACCESS_FULL). */
	j->id = id;
	j->download = download;
	j->r.show = content_show;
	j->r.release = content_release;
	j->r.refusal = content_refusal;
	web_read_prepare(w, rq, &j->r, download ? "recording.download" : "recording.play", ACCESS_FULL, "");
	j->r.access.hold = content_hold;
	if (recordings_read_decided(w->st, w->q, id, clock_now(), &j->r.access, &j->rec) != STORE_OK) {
		free(j);
		web_unavailable(w, rq);
	}
}
