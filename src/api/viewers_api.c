/*
 * api/viewers_api.c — GET /api/v1/children/{id}/viewers: who has looked at this child's record, for the
 * allocated worker and the data protection officer (issue 4, part 4). A person's session is needed: an
 * agency's system has no one to answer for. Any refusal is the same 403 whether or not the child exists.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api_int.h"
#include "service/children.h"

#define VIEWERS_SHOWN 100

struct viewers_job {
	struct children_access access; /* first: the audit entry gates the read */
	struct api *a;
	http_request *rq;
	json_t *list;
};

static void viewers_free(void *arg)
{
	struct viewers_job *j = arg;
	json_decref(j->list);
	free(j);
}

static void viewers_audited(struct children_access *access)
{
	http_resume(((struct viewers_job *)access)->rq);
}

static int on_read(const struct store_audit *e, void *ctx)
{
	struct viewers_job *j = ctx;
	return json_array_append_new(j->list, json_pack("{s:s, s:s, s:s}", "at", e->at, "who", e->actor, "action",
							e->action)) ? STORE_EIO : 0;
}

static void viewers_continue(http_request *rq, void *ctx)
{
	struct viewers_job *j = ctx;
	struct api *a = j->a;
	if (!j->access.audited) {
		api_reply_store_failure(a, rq, j->access.rc);
	} else if (!j->access.exists) {
		api_reply_simple(a, rq, 404, "not_found", "child_id", "there is no child with this id");
	} else {
		j->list = json_array();
		int rc = children_viewers(a->st, &j->access, VIEWERS_SHOWN, on_read, j);
		if (rc < 0)
			api_reply_store_failure(a, rq, rc);
		else
			api_reply_json(a, rq, 200, json_pack("{s:I, s:O}", "child_id", (json_int_t)j->access.child_id,
							     "viewers", j->list));
	}
	viewers_free(j);
}

void api_viewers(struct api *a, http_request *rq, int64_t child_id)
{
	const char *m = http_method(rq);
	if (strcmp(m, "GET") != 0 && strcmp(m, "HEAD") != 0) {
		http_add_header(rq, "Allow", "GET, HEAD");
		api_reply_simple(a, rq, 405, "method_not_allowed", NULL, "this method is not allowed here");
		return;
	}
	struct caller who;
	memset(&who, 0, sizeof who);
	if (!api_authenticate(a, rq, &who))
		return;
	bool may = false;
	int rc = who.is_user ? children_may_see_viewers(a->st, who.username, who.role, child_id, &may) : STORE_OK;
	if (rc != STORE_OK) {
		api_reply_store_failure(a, rq, rc);
		return;
	}
	if (!may) {
		api_reply_simple(a, rq, 403, "forbidden", NULL,
				 "only the child's allocated worker and the data protection officer see who has looked");
		return;
	}
	struct viewers_job *j = calloc(1, sizeof *j);
	if (!j) {
		api_reply_simple(a, rq, 503, "busy", NULL, "out of memory: try again");
		return;
	}
	j->a = a;
	j->rq = rq;
	j->access.child_id = child_id;
	j->access.action = "viewers.read";
	snprintf(j->access.actor, sizeof j->access.actor, "%s", who.actor);
	j->access.done = viewers_audited;
	http_continue_with(rq, viewers_continue, j, viewers_free);
	http_suspend(rq);
	children_access_audit(a->q, &j->access);
}
