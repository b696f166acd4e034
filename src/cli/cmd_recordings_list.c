/* recordings list: the recordings of interviews and meetings for the operator, oldest first, as TSV or JSON lines
 * (service/oplists.h): what each is, of which child, its size, when and by whom it was uploaded. An operator checks
 * retention and the nightly sweep through it, and the tests check what the child's page stored through it rather
 * than through SQL, so that they hold on every backend (issue 17). Audited (recordings.list) before it is read;
 * the service leaves out a sealed child's recordings and the rows' personal data (file name, who was present,
 * consent, the child's words). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "service/oplists.h"

#define CMD "safeguard recordings list"
#define HEADER "id\tchild\tkind\trecorded_on\tcontent_type\tbytes\tuploaded_by\tuploaded_at"

static void usage(FILE *f)
{
	fprintf(f, "usage: safeguard recordings list --db URL [--child ID] [--limit N] [--json]\n\n"
		   "Prints the recordings of interviews and meetings, oldest first: one line each, tab-separated,\n"
		   "after a header line (id, child, kind, recorded_on, content_type, bytes, uploaded_by, uploaded_at),\n"
		   "or with --json one JSON object a line. --child keeps that child's; --limit the first N (default 0:\n"
		   "all). Not the file's name, who was present, consent or the child's words; a sealed child's are not\n"
		   "listed. The list is audited (recordings.list) before it is read.\n");
}

static int print_recording(const struct store_recording *r, void *ctx)
{
	struct cli_child_args *l = ctx;
	if (l->json) {
		json_t *o = json_pack("{sI sI ss ss ss sI ss ss}", "id", (json_int_t)r->id, "child", (json_int_t)r->child_id,
				      "kind", r->kind, "recorded_on", r->recorded_on, "content_type", r->content_type,
				      "bytes", (json_int_t)r->bytes, "uploaded_by", r->uploaded_by, "uploaded_at",
				      r->uploaded_at);
		if (!cli_list_json(o)) {
			l->failed = true;
			return 1;
		}
		return 0;
	}
	printf("%lld\t%lld", (long long)r->id, (long long)r->child_id);
	const char *f[] = {r->kind, r->recorded_on, r->content_type};
	cli_list_fields(f, sizeof f / sizeof *f);
	printf("\t%lld", (long long)r->bytes);
	const char *g[] = {r->uploaded_by, r->uploaded_at};
	cli_list_fields(g, sizeof g / sizeof *g);
	putchar('\n');
	return 0;
}

static int list(store *st, void *ctx)
{
	struct cli_child_args *l = ctx;
	return oplists_recordings(st, l->child, l->limit, print_recording, l);
}

int cli_recordings_list(int argc, char **argv)
{
	struct cli_child_args l = {0};
	int rc = cli_list_child_args(CMD, argc, argv, CLI_ARGS_LIMIT, usage, &l);
	if (rc >= 0)
		return rc;
	return cli_list_run(CMD, l.db, l.json ? NULL : HEADER, "the recordings", list, &l, &l.failed);
}
