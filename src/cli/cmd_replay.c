/*
 * replay: a chronology in, every alert the rules would have raised and when, out (docs/RULES.md "Replay").
 *
 * The whole input is read and checked before anything is evaluated, so bad input stops with FILE:LINE:COL
 * and no output file. Events are grouped per child (a household's domestic abuse incident is given to each
 * child of the household) and each child's events go through rules_evaluate in date order.
 */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "io/chronology.h"
#include "rules/rules.h"

#define CLOSURES_MAX CLI_CLOSURES_MAX

struct person {
	struct chron_person p;
};

/* One event as given to one child (a household incident is one item per child). */
struct item {
	size_t child;    /* index into persons */
	size_t order;    /* input order, for ties */
	const struct rules_event *ev;
};

struct alert_out {
	size_t child;
	enum rules_code code;
	struct date raised_on, due;
	bool has_due;
	size_t nev;
	const char *ev[RULES_EVIDENCE_MAX];
};

struct replay {
	const char *in_path;
	struct person *persons;
	size_t npersons, cap_persons;
	struct chron_event **events;
	size_t nevents, cap_events;
	struct item *items;
	size_t nitems;
	struct alert_out *alerts;
	size_t nalerts, cap_alerts;
	size_t current_child;
	json_t *person_index, *event_ids, *households; /* jansson objects as hash tables */
	struct date closures[CLOSURES_MAX];
	struct clock_calendar cal;
	struct rules_settings settings;
};

static void *grow(void *p, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return p;
	size_t n = *cap ? *cap * 2 : 64;
	while (n < need)
		n *= 2;
	void *q = realloc(p, n * size);
	if (!q) {
		fprintf(stderr, "safeguard: out of memory\n");
		exit(1);
	}
	*cap = n;
	return q;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: safeguard replay --in CHRONOLOGY.jsonl --until YYYY-MM-DD --out ALERTS.jsonl\n"
		   "                        [--settings SETTINGS.json]\n\n"
		   "Replays a chronology through the safeguarding rules and writes every alert they would have\n"
		   "raised up to and including --until, one JSON object per line. The formats, the rules and the\n"
		   "settings are described in docs/RULES.md.\n");
}

/* ---- Input ---------------------------------------------------------------------------------------- */

static int index_put(json_t *index, const char *key, size_t value)
{
	if (json_object_set_new(index, key, json_integer((json_int_t)value)) != 0) {
		fprintf(stderr, "safeguard: out of memory\n");
		exit(1);
	}
	return 0;
}

static int add_line(struct replay *r, struct chron_line *l, unsigned long lineno, const char *line, size_t len)
{
	if (l->type == CHRON_PERSON) {
		if (json_object_get(r->person_index, l->person.id)) {
			fprintf(stderr, "%s:%lu:%d: person \"%.60s\" is given twice\n", r->in_path, lineno,
				chron_key_column(line, len, "id"), l->person.id);
			return -1;
		}
		r->persons = grow(r->persons, &r->cap_persons, r->npersons + 1, sizeof *r->persons);
		index_put(r->person_index, l->person.id, r->npersons);
		r->persons[r->npersons++].p = l->person;
		memset(&l->person, 0, sizeof l->person);
		return 0;
	}
	struct chron_event *e = &l->event;
	if (json_object_get(r->event_ids, e->id)) {
		fprintf(stderr, "%s:%lu:%d: event \"%.60s\" is given twice\n", r->in_path, lineno,
			chron_key_column(line, len, "id"), e->id);
		return -1;
	}
	if (e->child && !json_object_get(r->person_index, e->child)) {
		fprintf(stderr, "%s:%lu:%d: event \"%.60s\" is for child \"%.60s\", who has no person line before it\n",
			r->in_path, lineno, chron_key_column(line, len, "child"), e->id, e->child);
		return -1;
	}
	index_put(r->event_ids, e->id, r->nevents);
	r->events = grow(r->events, &r->cap_events, r->nevents + 1, sizeof *r->events);
	struct chron_event *kept = malloc(sizeof *kept);
	if (!kept) {
		fprintf(stderr, "safeguard: out of memory\n");
		exit(1);
	}
	*kept = *e;
	memset(e, 0, sizeof *e);
	r->events[r->nevents++] = kept;
	return 0;
}

static int read_input(struct replay *r)
{
	FILE *f = fopen(r->in_path, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	unsigned long lineno = 0;
	int rc = -1;

	if (!f) {
		fprintf(stderr, "safeguard: cannot read %s: %s\n", r->in_path, strerror(errno));
		return -1;
	}
	while ((len = getline(&line, &cap, f)) != -1) {
		lineno++;
		if (len > 0 && line[len - 1] == '\n')
			line[--len] = '\0';
		if (len > 0 && line[len - 1] == '\r')
			line[--len] = '\0';
		size_t blank = strspn(line, " \t");
		if ((size_t)len == blank)
			continue;
		struct chron_line l;
		struct chron_error err;
		if (chron_parse_line(line, (size_t)len, &l, &err) != 0) {
			fprintf(stderr, "%s:%lu:%d: %s\n", r->in_path, lineno, err.column, err.message);
			goto out;
		}
		int bad = add_line(r, &l, lineno, line, (size_t)len);
		chron_line_release(&l);
		if (bad)
			goto out;
	}
	if (ferror(f)) {
		fprintf(stderr, "safeguard: cannot read %s: %s\n", r->in_path, strerror(errno));
		goto out;
	}
	rc = 0;
out:
	free(line);
	fclose(f);
	return rc;
}

/* ---- Evaluation ------------------------------------------------------------------------------------- */

static int item_cmp(const void *pa, const void *pb)
{
	const struct item *a = pa, *b = pb;
	if (a->child != b->child)
		return a->child < b->child ? -1 : 1;
	int c = date_cmp(a->ev->day, b->ev->day);
	if (c)
		return c;
	if (a->ev->has_instant != b->ev->has_instant)
		return a->ev->has_instant ? 1 : -1; /* a day-only event comes first in its day */
	if (a->ev->has_instant && a->ev->instant != b->ev->instant)
		return a->ev->instant < b->ev->instant ? -1 : 1;
	return a->order < b->order ? -1 : a->order > b->order;
}

/* Each event once per child it concerns: its child, and for a household incident every person of the
 * household. */
static void build_items(struct replay *r)
{
	size_t cap = 0;
	for (size_t i = 0; i < r->npersons; i++)
		if (r->persons[i].p.household) {
			json_t *list = json_object_get(r->households, r->persons[i].p.household);
			if (!list) {
				list = json_array();
				json_object_set_new(r->households, r->persons[i].p.household, list);
			}
			json_array_append_new(list, json_integer((json_int_t)i));
		}
	for (size_t i = 0; i < r->nevents; i++) {
		struct chron_event *e = r->events[i];
		size_t named = SIZE_MAX;
		if (e->child) {
			named = (size_t)json_integer_value(json_object_get(r->person_index, e->child));
			r->items = grow(r->items, &cap, r->nitems + 1, sizeof *r->items);
			r->items[r->nitems++] = (struct item){named, i, &e->ev};
		}
		if (!e->household)
			continue;
		size_t k;
		json_t *v;
		json_array_foreach(json_object_get(r->households, e->household), k, v)
		{
			size_t who = (size_t)json_integer_value(v);
			if (who == named)
				continue;
			r->items = grow(r->items, &cap, r->nitems + 1, sizeof *r->items);
			r->items[r->nitems++] = (struct item){who, i, &e->ev};
		}
	}
	if (r->nitems)
		qsort(r->items, r->nitems, sizeof *r->items, item_cmp);
}

static int collect(const struct rules_alert *a, void *ctx)
{
	struct replay *r = ctx;
	r->alerts = grow(r->alerts, &r->cap_alerts, r->nalerts + 1, sizeof *r->alerts);
	struct alert_out *o = &r->alerts[r->nalerts++];
	o->child = r->current_child;
	o->code = a->code;
	o->raised_on = a->raised_on;
	o->has_due = a->has_due;
	o->due = a->due;
	o->nev = a->nevidence;
	for (size_t i = 0; i < a->nevidence; i++)
		o->ev[i] = a->evidence[i]->id;
	return 0;
}

static int alert_cmp(const void *pa, const void *pb)
{
	const struct alert_out *a = pa, *b = pb;
	int c = date_cmp(a->raised_on, b->raised_on);
	if (c)
		return c;
	if (a->child != b->child)
		return a->child < b->child ? -1 : 1;
	if (a->code != b->code)
		return a->code < b->code ? -1 : 1;
	return a < b ? -1 : a > b; /* never equal: qsort needs a total order, input order is stable enough */
}

static int evaluate(struct replay *r, struct date until)
{
	/* rules_evaluate wants a contiguous array per child: copy each child's run of events. */
	struct rules_event *run = NULL;
	size_t cap = 0;
	int rc = 0;
	for (size_t i = 0; i < r->nitems && rc == 0;) {
		size_t j = i;
		while (j < r->nitems && r->items[j].child == r->items[i].child)
			j++;
		run = grow(run, &cap, j - i, sizeof *run);
		for (size_t k = i; k < j; k++)
			run[k - i] = *r->items[k].ev;
		r->current_child = r->items[i].child;
		rc = rules_evaluate(&r->settings, &r->persons[r->current_child].p.child, run, j - i, until, collect, r);
		if (rc == RULES_ECAPACITY)
			fprintf(stderr, "safeguard: child \"%.60s\" has more than 32 referrals or returns from missing "
					"waiting at once; the replay stops rather than drop any\n",
				r->persons[r->current_child].p.id);
		else if (rc)
			fprintf(stderr, "safeguard: the rules could not run (%d)\n", rc);
		i = j;
	}
	free(run);
	/* The evidence of an alert points into run, which is gone: it was copied as ids in collect. */
	if (r->nalerts) /* qsort's base may not be NULL, even for no elements */
		qsort(r->alerts, r->nalerts, sizeof *r->alerts, alert_cmp);
	return rc;
}

static int write_alerts(struct replay *r, FILE *f)
{
	for (size_t i = 0; i < r->nalerts; i++) {
		const struct alert_out *a = &r->alerts[i];
		char raised[DATE_ISO_LEN + 1], due[DATE_ISO_LEN + 1];
		date_format_iso(a->raised_on, raised);
		json_t *ev = json_array();
		for (size_t k = 0; k < a->nev; k++)
			json_array_append_new(ev, json_string(a->ev[k]));
		json_t *o = json_pack("{s:s, s:s, s:s}", "child", r->persons[a->child].p.id, "code",
				      rules_code_name(a->code), "raised_on", raised);
		if (!o || !ev) {
			json_decref(o);
			json_decref(ev);
			return -1;
		}
		if (a->has_due) {
			date_format_iso(a->due, due);
			json_object_set_new(o, "due", json_string(due));
		}
		json_object_set_new(o, "evidence", ev);
		int bad = json_dumpf(o, f, JSON_COMPACT) != 0 || fputc('\n', f) == EOF;
		json_decref(o);
		if (bad)
			return -1;
	}
	return 0;
}

int cmd_replay(int argc, char **argv)
{
	static const struct option opts[] = {{"in", required_argument, NULL, 'i'},
					     {"until", required_argument, NULL, 'u'},
					     {"out", required_argument, NULL, 'o'},
					     {"settings", required_argument, NULL, 's'},
					     {"help", no_argument, NULL, 'h'},
					     {0}};
	const char *out_path = NULL, *until_s = NULL, *settings_path = NULL;
	struct replay r;
	struct date until;
	int c, rc = 1;

	memset(&r, 0, sizeof r);
	rules_settings_default(&r.settings);
	r.cal.closures = r.closures;
	r.settings.calendar = &r.cal;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'i': r.in_path = optarg; break;
		case 'u': until_s = optarg; break;
		case 'o': out_path = optarg; break;
		case 's': settings_path = optarg; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (!r.in_path || !until_s || !out_path || optind != argc) {
		fprintf(stderr, "safeguard replay: --in, --until and --out are required\n");
		usage(stderr);
		return 2;
	}
	if (date_parse_iso(until_s, &until) != 0) {
		fprintf(stderr, "safeguard replay: --until must be a real date as YYYY-MM-DD\n");
		return 2;
	}
	r.person_index = json_object();
	r.event_ids = json_object();
	r.households = json_object();
	if (!r.person_index || !r.event_ids || !r.households)
		goto out;
	if (settings_path &&
	    cli_load_settings(settings_path, &r.settings, &r.cal, r.closures, CLOSURES_MAX, NULL) != 0)
		goto out;
	if (read_input(&r) != 0)
		goto out;
	build_items(&r);
	if (evaluate(&r, until) != 0)
		goto out;

	struct cli_tmp t;
	if (cli_tmp_open(&t, out_path) != 0)
		goto out;
	bool ok = write_alerts(&r, t.f) == 0;
	if (cli_tmp_commit(&t, ok) == 0) {
		fprintf(stderr, "safeguard replay: %zu people, %zu events, %zu alerts up to %s\n", r.npersons,
			r.nevents, r.nalerts, until_s);
		rc = 0;
	}
out:
	for (size_t i = 0; i < r.npersons; i++) {
		free(r.persons[i].p.id);
		free(r.persons[i].p.household);
	}
	for (size_t i = 0; i < r.nevents; i++) {
		struct chron_line l = {.type = CHRON_EVENT, .event = *r.events[i]};
		chron_line_release(&l);
		free(r.events[i]);
	}
	free(r.persons);
	free(r.events);
	free(r.items);
	free(r.alerts);
	json_decref(r.person_index);
	json_decref(r.event_ids);
	json_decref(r.households);
	return rc;
}
