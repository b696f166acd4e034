/*
 * api/recordings_api.c — recordings of interviews and meetings on a child's record (issue 4, part 5):
 *
 *   POST /api/v1/children/{id}/recordings?filename=NAME  the raw bytes as the body, streamed: encrypted to
 *        a temporary file as they arrive (http_stream_body), never held whole in memory
 *   GET  /api/v1/children/{id}/recordings                the list, audited first ("recordings.list")
 *   GET  /api/v1/recordings/{id}/content                 the plaintext, audited first ("recording.download"),
 *        decrypted and checked against its hash whole before the first byte is sent, then streamed
 *
 * People only (a session), with the full record (service/access.h: allocated worker, team manager, MASH
 * while triaging, break-glass): an agency's system has no one to answer for a recording. Every refusal of a
 * person is the same 403 whether or not the child, or the recording, exists. Who may upload is decided from
 * the headers alone, before a byte of the body is accepted.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/api_int.h"
#include "clock/now.h"
#include "lib/route.h"
#include "core/event.h"
#include "service/access.h"
#include "service/children.h"
#include "service/recordings.h"

#define NO_RELATIONSHIP "you have no legitimate relationship with this child's record; in an emergency, open it " \
			"with POST /api/v1/children/{id}/break-glass and a reason"

/* Answers 403 itself; true when a person (not an agency's system) is calling. The role policy already keeps
 * systems out (ACT_RECORDINGS); this says so again where it matters most. */
static bool person(struct api *a, http_request *rq, const struct caller *who)
{
	if (!who->is_user) {
		api_reply_simple(a, rq, 403, "forbidden", NULL,
				 "recordings are for people signed in, who answer for what they upload and download");
		return false;
	}
	return true;
}

static json_t *recording_json(const struct store_recording *r)
{
	return json_pack("{s:I, s:I, s:s, s:s, s:I, s:s, s:s, s:s}", "id", (json_int_t)r->id, "child_id",
			 (json_int_t)r->child_id, "filename", r->filename, "content_type", r->content_type, "bytes",
			 (json_int_t)r->bytes, "blake2b", r->blake2b, "uploaded_at", r->uploaded_at, "uploaded_by",
			 r->uploaded_by);
}

/* ---- POST /api/v1/children/{id}/recordings ---- */

struct upload {
	struct txq_job job;
	struct api *a;
	http_request *rq;
	recordings_writer *w;   /* until the row is committed (then freed) or the upload fails (then discarded) */
	struct store_recording rec;
	struct caller who;      /* decided on again in the row's transaction (service/access.h) */
	bool refused;
};

/* The write decision for a recording (service/access.h): the same 403 whether the child does not exist, is
 * sealed, or is not the person's. */
static bool may_upload(struct api *a, http_request *rq, const struct caller *who, int64_t child_id)
{
	const struct access_writer wr = {who->user_id, who->username, who->client.agency, who->role};
	const struct access_write_ask ask = {&wr, who->actor, WRITE_RECORDING, NULL, child_id};
	bool allowed = false;
	/* refused: its entry queued by the same call, not waited for (access.h: access_write_decided_unwaited) */
	int rc = access_write_decided_unwaited(a->st, a->q, &ask, child_id, clock_now(), &allowed);
	if (rc != STORE_OK) {
		api_reply_store_failure(a, rq, rc);
		return false;
	}
	if (!allowed)
		api_reply_simple(a, rq, 403, "forbidden", NULL, NO_RELATIONSHIP);
	return allowed;
}

static int upload_chunk(http_request *rq, const char *data, size_t len, void *ctx)
{
	struct upload *u = ctx;
	if (recordings_write(u->w, data, len) == 0)
		return 0;
	fprintf(stderr, "safeguard: a recording could not be written to disk\n");
	api_reply_simple(u->a, rq, 500, "storage", NULL, "the recording could not be stored");
	return -1;
}

static int upload_run(store_conn *c, void *arg)
{
	struct upload *u = arg;
	const struct access_writer wr = {u->who.user_id, u->who.username, u->who.client.agency, u->who.role};
	const struct access_write_ask ask = {&wr, u->who.actor, WRITE_RECORDING, NULL, u->rec.child_id};
	bool allowed = false;
	/* refused: audited by the decision, naming no child (r-ntk30) */
	int rc = access_write_checked(c, &ask, u->rec.child_id, 0, clock_now(), &allowed, NULL);
	u->refused = rc == STORE_OK && !allowed;
	if (rc != STORE_OK || u->refused)
		return rc;
	return recordings_add(c, &u->rec, clock_now());
}

static void upload_done(struct txq_job *job)
{
	struct upload *u = (struct upload *)job;
	if (job->rc < 0 || u->refused) {
		/* The file was already in place: no row points at it, so it goes. */
		recordings_write_discard(u->w);
		u->w = NULL;
		if (u->refused) {
			api_reply_simple(u->a, u->rq, 403, "forbidden", NULL, NO_RELATIONSHIP);
		} else {
			fprintf(stderr, "safeguard: a recording's row could not be stored (store error %d)\n", job->rc);
			api_reply_store_failure(u->a, u->rq, job->rc);
		}
	} else {
		recordings_write_free(u->w);
		u->w = NULL;
		api_reply_json(u->a, u->rq, 201, recording_json(&u->rec));
	}
	http_resume(u->rq);
}

/* The whole body is in: seal the file, then one transaction for the row and the audit entry. */
static void upload_end(http_request *rq, void *ctx)
{
	struct upload *u = ctx;
	/* On a refusal the file goes before the answer does: a client that hears 4xx finds nothing left. */
	if (recordings_written(u->w) == 0) {
		recordings_write_discard(u->w);
		u->w = NULL;
		api_reply_simple(u->a, rq, 400, "invalid_value", "body", "the body is empty: send the recording's bytes");
		return;
	}
	if (recordings_write_end(u->w, &u->rec) != 0) {
		recordings_write_discard(u->w);
		u->w = NULL;
		fprintf(stderr, "safeguard: a recording could not be sealed on disk\n");
		api_reply_simple(u->a, rq, 500, "storage", NULL, "the recording could not be stored");
		return;
	}
	u->job.run = upload_run;
	u->job.arg = u;
	u->job.done = upload_done;
	http_suspend(rq);
	txq_submit(u->a->q, &u->job);
}

static void upload_release(void *ctx)
{
	struct upload *u = ctx;
	recordings_write_discard(u->w); /* NULL once the row is committed */
	free(u);
}

void api_recording_upload(struct api *a, http_request *rq, const struct caller *caller, const int64_t *ids)
{
	int64_t child_id = ids[0];
	struct caller who = *caller;
	if (!person(a, rq, &who) || !may_upload(a, rq, &who, child_id))
		return;
	const char *name = http_query(rq, "filename");
	if (!name || !recordings_filename_valid(name, strlen(name))) {
		api_reply_simple(a, rq, 400, "invalid_value", "filename",
				 "filename is required: 1 to 200 characters, no control characters, no slash");
		return;
	}
	const char *type = recordings_content_type(http_header(rq, "Content-Type"));
	if (!type) {
		api_reply_simple(a, rq, 415, "unsupported_media_type", "Content-Type",
				 "send the recording as one of: audio/mpeg, audio/mp4, audio/wav, audio/x-wav, audio/ogg, "
				 "audio/webm, video/mp4, video/webm, video/quicktime, application/pdf, image/jpeg, "
				 "image/png, text/plain");
		return;
	}
	if (!a->rec) {
		api_reply_simple(a, rq, 503, "unavailable", NULL, "this server keeps no recordings");
		return;
	}
	struct upload *u = calloc(1, sizeof *u);
	if (!u) {
		api_reply_simple(a, rq, 503, "busy", NULL, "out of memory: try again");
		return;
	}
	if (recordings_write_begin(a->rec, &u->w) != 0) {
		fprintf(stderr, "safeguard: cannot make a temporary file for a recording\n");
		api_reply_simple(a, rq, 500, "storage", NULL, "the recording could not be stored");
		free(u);
		return;
	}
	u->a = a;
	u->rq = rq;
	u->who = who;
	u->rec.child_id = child_id;
	snprintf(u->rec.filename, sizeof u->rec.filename, "%s", name);
	snprintf(u->rec.content_type, sizeof u->rec.content_type, "%s", type);
	snprintf(u->rec.uploaded_by, sizeof u->rec.uploaded_by, "%s", who.actor);
	struct http_sink sink = {.max = a->recording_max, .chunk = upload_chunk, .end = upload_end,
				 .release = upload_release};
	http_stream_body(rq, &sink, u);
}

/* ---- GET /api/v1/children/{id}/recordings ---- */

struct list_job {
	struct children_access access; /* first: the audit entry gates the read */
	struct api *a;
	http_request *rq;
	json_t *list;
};

static void list_free(void *arg)
{
	struct list_job *j = arg;
	json_decref(j->list);
	free(j);
}

static void list_audited(struct children_access *access)
{
	http_resume(((struct list_job *)access)->rq);
}

static int on_recording(const struct store_recording *r, void *ctx)
{
	struct list_job *j = ctx;
	return json_array_append_new(j->list, recording_json(r)) ? STORE_EIO : 0;
}

static void list_continue(http_request *rq, void *ctx)
{
	struct list_job *j = ctx;
	struct api *a = j->a;
	if (!j->access.audited) {
		api_reply_store_failure(a, rq, j->access.rc);
	} else if (j->access.refused) {
		api_reply_simple(a, rq, 403, "forbidden", NULL, NO_RELATIONSHIP);
	} else {
		j->list = json_array();
		int rc = recordings_list(a->st, &j->access, on_recording, j);
		if (rc < 0)
			api_reply_store_failure(a, rq, rc);
		else
			api_reply_json(a, rq, 200, json_pack("{s:O}", "recordings", j->list));
	}
	list_free(j);
}

void api_recordings_list(struct api *a, http_request *rq, const struct caller *caller, const int64_t *ids)
{
	int64_t child_id = ids[0];
	struct caller who = *caller;
	if (!person(a, rq, &who))
		return;
	struct list_job *j = calloc(1, sizeof *j);
	if (!j) {
		api_reply_simple(a, rq, 503, "busy", NULL, "out of memory: try again");
		return;
	}
	j->a = a;
	j->rq = rq;
	j->access.child_id = child_id;
	j->access.action = "recordings.list";
	/* A read of the child's whole record, decided with its entry: a refusal is audited (access.refused) whatever
	 * the id holds, as the record's own read is (r-ntk27: it was refused before any entry). */
	j->access.need = ACCESS_FULL;
	snprintf(j->access.actor, sizeof j->access.actor, "%s", who.actor);
	api_reader_init(&j->access.reader, &who);
	j->access.done = list_audited;
	http_continue_with(rq, list_continue, j, list_free);
	http_suspend(rq);
	children_access_audit(a->q, &j->access);
}

/* ---- GET /api/v1/recordings/{id}/content ---- */

struct download {
	struct children_access access; /* first: the audit entry gates the read */
	struct api *a;
	http_request *rq;
	int64_t id;
	struct store_recording rec;
	recordings_reader *rd;
};

static void download_free(void *arg)
{
	struct download *d = arg;
	recordings_read_close(d->rd);
	free(d);
}

static void download_audited(struct children_access *access)
{
	http_resume(((struct download *)access)->rq);
}

static long download_read(void *ctx, char *buf, size_t max)
{
	struct download *d = ctx;
	char why[RECORDINGS_WHY_MAX];
	ssize_t n = recordings_read(d->rd, buf, max, why);
	if (n < 0) /* changed on disk since the check: the client sees a short body, never an unchecked byte */
		fprintf(stderr, "safeguard: recording %lld failed to decrypt while being sent: %s\n", (long long)d->rec.id,
			why);
	return n > 0 ? (long)n : -1;
}

/* RFC 6266: an ASCII fallback (anything else becomes '_') and the name itself as UTF-8 in filename*. */
static void content_disposition(const char *name, char *out, size_t outsz)
{
	static const char attr[] = "!#$&+-.^_`|~";
	size_t o = 0;
	o += (size_t)snprintf(out, outsz, "attachment; filename=\"");
	for (const unsigned char *p = (const unsigned char *)name; *p && o + 2 < outsz; p++) {
		if ((*p & 0xC0) == 0x80)
			continue; /* one '_' per character, not per byte */
		out[o++] = *p >= 0x20 && *p < 0x7F && *p != '"' && *p != '\\' && *p != '%' ? (char)*p : '_';
	}
	o += (size_t)snprintf(out + o, outsz - o, "\"; filename*=UTF-8''");
	for (const unsigned char *p = (const unsigned char *)name; *p && o + 4 < outsz; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || (*p && strchr(attr, *p)))
			out[o++] = (char)*p;
		else
			o += (size_t)snprintf(out + o, outsz - o, "%%%02X", *p);
	}
	out[o < outsz ? o : outsz - 1] = '\0';
}

static void download_continue(http_request *rq, void *ctx)
{
	struct download *d = ctx;
	struct api *a = d->a;
	char why[RECORDINGS_WHY_MAX] = "", msg[160];
	if (!d->access.audited) {
		api_reply_store_failure(a, rq, d->access.rc);
		download_free(d);
		return;
	}
	if (d->access.refused) { /* audited as a refusal: one answer whatever the id holds */
		api_reply_simple(a, rq, 403, "forbidden", NULL, NO_RELATIONSHIP);
		download_free(d);
		return;
	}
	/* The whole file decrypts and matches its hash before the first byte goes: a download that fails
	 * half-way would hand on a piece of a damaged recording as if it were the whole. */
	int rc = recordings_read_open(a->rec, &d->access, &d->rec, &d->rd, why);
	if (rc == 0)
		rc = recordings_read_check(d->rd, why);
	if (rc != 0) {
		fprintf(stderr, "safeguard: recording %lld failed to decrypt: %s\n", (long long)d->rec.id, why);
		if (rc == RECORDINGS_EDAMAGED) {
			snprintf(msg, sizeof msg, "recording %lld failed to decrypt: the file on disk has been changed or damaged",
				 (long long)d->rec.id);
			api_reply_simple(a, rq, 500, "recording_damaged", NULL, msg);
		} else {
			snprintf(msg, sizeof msg, "recording %lld cannot be read from disk", (long long)d->rec.id);
			api_reply_simple(a, rq, 500, "storage", NULL, msg);
		}
		download_free(d);
		return;
	}
	char disposition[RECORDINGS_FILENAME_MAX * 4 * 3 + 64];
	content_disposition(d->rec.filename, disposition, sizeof disposition);
	http_add_header(rq, "Content-Disposition", disposition);
	const char *type = recordings_content_type(d->rec.content_type);
	api_count_status(a, 200);
	http_respond_stream(rq, 200, type ? type : "application/octet-stream", (unsigned long long)d->rec.bytes,
			    download_read, download_free, d);
}

/* The decision made (recordings_read_decided), just before its entry is queued: the entry's detail, and the
 * request suspended until it is durable. The hash says which file was handed on; the file's name is personal
 * data and stays out. */
static void download_hold(struct children_access *access)
{
	struct download *d = (struct download *)access;
	if (!access->refuse)
		snprintf(access->detail, sizeof access->detail, "recording:%lld blake2b %s; %s", (long long)d->rec.id,
			 d->rec.blake2b, access->reader.basis);
	else if (d->rec.child_id) /* the refusal's entry names no child; its detail says which, for the auditor */
		snprintf(access->detail, sizeof access->detail, "recording %lld (child:%lld)", (long long)d->id,
			 (long long)d->rec.child_id);
	else
		snprintf(access->detail, sizeof access->detail, "recording %lld", (long long)d->id);
	http_continue_with(d->rq, download_continue, d, download_free);
	http_suspend(d->rq);
}

void api_recording_content(struct api *a, http_request *rq, const struct caller *caller, const int64_t *ids)
{
	int64_t id = ids[0];
	struct caller who = *caller;
	if (!person(a, rq, &who))
		return;
	/* Not HEAD: every answer of this resource is a download, audited as one. */
	if (strcmp(http_method(rq), "GET") != 0) {
		api_method_not_allowed(a, rq, "GET");
		return;
	}
	struct download *d = calloc(1, sizeof *d);
	if (!d) {
		api_reply_simple(a, rq, 503, "busy", NULL, "out of memory: try again");
		return;
	}
	/* A server that keeps no recordings says so to everyone, before any decision, as the page does (r-tidy32: it
	 * answered so after deciding, to those allowed only; the decision now queues its entry). */
	if (!a->rec) {
		api_reply_simple(a, rq, 503, "unavailable", NULL, "this server keeps no recordings");
		goto fail;
	}
	/* One call decides and audits the read (recordings_read_decided: the row, then its child's whole record): a
	 * refusal is audited as one whatever the id holds (`access.refused` on the recording, naming no child:
	 * r-ntk27) and answered once durable, the same work for an id with no recording and for one the person may
	 * not have. */
	d->a = a;
	d->rq = rq;
	d->id = id;
	d->access.action = "recording.download";
	snprintf(d->access.actor, sizeof d->access.actor, "%s", who.actor);
	api_reader_init(&d->access.reader, &who);
	d->access.done = download_audited;
	d->access.hold = download_hold;
	int rc = recordings_read_decided(a->st, a->q, id, clock_now(), &d->access, &d->rec);
	if (rc != STORE_OK) {
		api_reply_store_failure(a, rq, rc);
		goto fail;
	}
	return;
fail:
	free(d);
}

/* ---- routing ---- */

bool api_body_streamed(const char *method, const char *path)
{
	int64_t ids[ROUTE_IDS_MAX];
	return strcmp(method, "POST") == 0 && route_match("/api/v1/children/{id}/recordings", path, ids);
}
