/* speakup reports: the speak-up reports for the operator, read-only, as TSV or JSON lines (service/oplists.h). The
 * tests check what a reporter chose to tell and what the reviewer did through it rather than through SQL, so that
 * they hold on every backend (issue 17). Audited (speakup.list) before it is read. The service hands it what the
 * operator is shown (what the report is, where it stands, the first name and contact the reporter chose to give),
 * never the passphrase's hash, the report's words, the names in it or the reviewer's reason. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "service/oplists.h"
#include "service/speakup.h"

#define CMD "safeguard speakup reports"
#define HEADER                                                                                                   \
	"id\tref\tcreated_at\twho\thome_id\thome_name\thome_unknown\tabout\tfirst_name\tcontact\tstate\toutcome\t" \
	"triaged_by\ttriaged_at\tchild_id\tincident_id\tmessages"

static void usage(FILE *f)
{
	fprintf(f, "usage: safeguard speakup reports --db URL [--ref REF] [--json]\n\n"
		   "Prints the speak-up reports, new ones first, then newest first: one line each, tab-separated, after\n"
		   "a header line that names the fields, or with --json one JSON object a line. --ref keeps the report\n"
		   "with that reference (as the reporter was given it, SU-ABCD-EFGH). Each shows who reported (child,\n"
		   "parent, staff, other), the home, what the reporter chose to tell of themselves (about: nothing,\n"
		   "first_name or contact, and those), the triage and how many messages the thread holds; never the\n"
		   "report's words or the passphrase's hash. The list is audited (speakup.list) before it is read.\n");
}

struct listing {
	bool json, failed;
};

static int print_report(const struct store_speakup *r, void *ctx)
{
	struct listing *l = ctx;
	char ref[SPEAKUP_REF_SHOWN + 1];
	speakup_ref_show(r->ref, ref);
	if (l->json) {
		json_t *o = json_pack("{sI ss ss ss sI ss sb ss ss ss ss ss ss ss sI sI si}", "id", (json_int_t)r->id, "ref",
				      ref, "created_at", r->created_at, "who", r->who, "home_id", (json_int_t)r->home_id,
				      "home_name", r->home_name, "home_unknown", r->home_unknown != 0, "about", r->about,
				      "first_name", r->first_name, "contact", r->contact, "state", r->state, "outcome",
				      r->outcome, "triaged_by", r->triaged_by, "triaged_at", r->triaged_at, "child_id",
				      (json_int_t)r->child_id, "incident_id", (json_int_t)r->incident_id, "messages",
				      r->messages);
		if (!cli_list_json(o)) {
			l->failed = true;
			return 1;
		}
		return 0;
	}
	printf("%lld\t", (long long)r->id);
	const char *a[] = {ref, r->created_at, r->who};
	for (size_t i = 0; i < sizeof a / sizeof *a; i++) {
		cli_list_field(a[i]);
		putchar('\t');
	}
	printf("%lld\t", (long long)r->home_id);
	cli_list_field(r->home_name);
	printf("\t%d", r->home_unknown != 0);
	const char *b[] = {r->about, r->first_name, r->contact, r->state, r->outcome, r->triaged_by, r->triaged_at};
	cli_list_fields(b, sizeof b / sizeof *b);
	printf("\t%lld\t%lld\t%d\n", (long long)r->child_id, (long long)r->incident_id, r->messages);
	return 0;
}

struct run_args {
	struct listing *l;
	const char *ref;
};

static int list(store *st, void *ctx)
{
	struct run_args *a = ctx;
	return oplists_speakups(st, a->ref, print_report, a->l);
}

static int reports(int argc, char **argv)
{
	const char *given = NULL;
	char ref[STORE_SPEAKUP_REF_LEN + 1];
	struct listing l = {0};
	struct run_args ra = {&l, NULL};
	const struct cli_list_opt own[] = {{.name = "ref", .text = &given}};
	struct cli_list_common a = {0};
	int rc = cli_list_args(CMD, argc, argv, own, 1, 0, usage, &a);
	if (rc >= 0)
		return rc;
	if (given) {
		if (speakup_ref_parse(given, ref) != 0) {
			fprintf(stderr, CMD ": --ref must be a speak-up reference (SU-ABCD-EFGH), not \"%.40s\"\n", given);
			return 2;
		}
		ra.ref = ref;
	}
	l.json = a.json;
	return cli_list_run(CMD, a.db, a.json ? NULL : HEADER, "the speak-up reports", list, &ra, &l.failed);
}

int cmd_speakup(int argc, char **argv)
{
	return cli_one_subcommand(argc, argv, "reports", reports, usage);
}
