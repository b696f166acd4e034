#include "service/bulkload.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock/now.h"
#include "core/date.h"
#include "core/ident.h"
#include "service/audit.h"
#include "service/identity.h"
#include "service/service_int.h"

static const char *const GIVEN[] = {"Amira", "Oliver", "Noah", "Isla", "Leo", "Ava", "Muhammad", "Freya", "Jack",
				    "Mia", "Harry", "Zara", "George", "Lily", "Theo", "Grace", "Arlo", "Ivy",
				    "Oscar", "Sofia", "Charlie", "Evie", "Jacob", "Maya", "Alfie", "Ruby", "Kacper",
				    "Aisha", "Tommy", "Ella", "Yusuf", "Poppy"};
static const char *const FAMILY[] = {"Smith", "Khan", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Ahmed",
				     "Evans", "Thomas", "Johnson", "Roberts", "Walker", "Wright", "Robinson",
				     "Thompson", "White", "Hughes", "Edwards", "Green", "Hall", "Wood", "Harris",
				     "Lewis", "Martin", "Jackson", "Clarke", "Clark", "Turner", "Hill", "Nowak",
				     "Begum", "Patel", "Hussain", "Cooper", "Ward", "Morris", "King", "Baker", "Young"};
/* Most family names are rarer than the forty commonest: composed from these, about 1,200 more (so that a
 * family name and birth year block holds tens of children in a million, as in life, not thousands). */
static const char *const FAMILY_HEAD[] = {"Ash", "Black", "Brad", "Brook", "Cart", "Chad", "Clay", "Dal", "Elling",
					  "Fair", "Firth", "Glad", "Hal", "Hart", "Hol", "Kings", "Lang", "Lock", "Mar",
					  "Mel", "Nor", "Oak", "Pen", "Rad", "Red", "Ros", "Rush", "Shel", "Stan",
					  "Stock", "Thorn", "Wad", "Wal", "Wes", "Whit", "Win", "York", "Ather", "Bar",
					  "Cole"};
static const char *const FAMILY_TAIL[] = {"ley", "ton", "ford", "well", "wood", "field", "by", "ham", "worth", "more",
					  "dale", "stone", "bridge", "man", "son", "er", "ing", "hurst", "combe",
					  "brook", "land", "wick", "cott", "ridge", "shaw", "gate", "bury", "don",
					  "mere", "thwaite"};
static const char *const STREET[] = {"Church Street", "Station Road", "Victoria Road", "Park Avenue",
				     "Mill Lane", "Green Lane", "Manor Road", "Kings Road", "Queens Road",
				     "High Street", "New Road", "Grange Road"};
static const char *const AGENCY[] = {"police", "health", "education", "social_care", "housing"};
static const char *const AGENCY_NAME[] = {"Police", "Health", "Education", "Children's social care", "Housing"};
/* Mostly the everyday record of a childhood; a concern now and then (what the rules read). */
static const char *const KIND[] = {"contact", "attendance", "health_visit", "contact", "attendance",
				   "school_report", "contact", "health_visit", "housing_visit", "concern"};

/* splitmix64: the child's and the event's numbers from the seed and their index. */
static uint64_t mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

struct child {
	struct identity_subject s;
	char given_fold[64], family_fold[64];
	int64_t born; /* epoch of the date of birth */
	/* the keys intake gives a person (identity_block_keys), so that intake's candidate search over the area
	 * is what it would be had every record come through intake */
	char keys[IDENTITY_KEYS_MAX][IDENTITY_KEY_BYTES];
	int nkeys;
};

static void lower(const char *in, char *out, size_t n)
{
	size_t i = 0;
	for (; in[i] && i + 1 < n; i++)
		out[i] = (char)(in[i] >= 'A' && in[i] <= 'Z' ? in[i] + 32 : in[i]);
	out[i] = '\0';
}

static void make_child(uint64_t seed, int64_t i, int64_t today, struct child *c)
{
	memset(c, 0, sizeof *c);
	uint64_t r = mix(seed ^ mix((uint64_t)i));
	snprintf(c->s.given_name, sizeof c->s.given_name, "%s", GIVEN[r % (sizeof GIVEN / sizeof GIVEN[0])]);
	r = mix(r);
	if (r % 10 == 0) /* one child in ten has one of the forty commonest */
		snprintf(c->s.family_name, sizeof c->s.family_name, "%s", FAMILY[(r >> 8) % (sizeof FAMILY / sizeof FAMILY[0])]);
	else
		snprintf(c->s.family_name, sizeof c->s.family_name, "%s%s",
			 FAMILY_HEAD[(r >> 8) % (sizeof FAMILY_HEAD / sizeof FAMILY_HEAD[0])],
			 FAMILY_TAIL[(r >> 20) % (sizeof FAMILY_TAIL / sizeof FAMILY_TAIL[0])]);
	r = mix(r);
	/* born 0 to 17 years before today */
	c->born = today - (int64_t)(r % (17 * 365)) * 86400 - 86400;
	char ts[TS_UTC_LEN + 1];
	ts_format_utc(c->born, ts);
	snprintf(c->s.dob, sizeof c->s.dob, "%.10s", ts);
	snprintf(c->s.sex, sizeof c->s.sex, "%s", (r >> 20) & 1 ? "F" : "M");
	r = mix(r);
	/* about 10 children to a postcode (a postcode is about 15 households) */
	uint64_t pc = (uint64_t)i / 10;
	char postcode[32];
	snprintf(postcode, sizeof postcode, "LS%u %u%c%c", (unsigned)(pc / 6760 % 99 + 1), (unsigned)(pc / 676 % 10),
		 'A' + (int)(pc / 26 % 26), 'A' + (int)(pc % 26));
	snprintf(c->s.postcode, sizeof c->s.postcode, "%.8s", postcode);
	snprintf(c->s.address, sizeof c->s.address, "%u %s, Leeds", (unsigned)(r % 180 + 1),
		 STREET[(r >> 12) % (sizeof STREET / sizeof STREET[0])]);
	/* an NHS number of the test range (9...), unique to the child: 9 + 8 digits of 3i+k, k the first with a
	 * check digit */
	for (int k = 0; k < 3; k++) {
		char first9[32];
		snprintf(first9, sizeof first9, "9%08lld", (long long)((i * 3 + k) % 100000000));
		int d = ident_nhs_check_digit(first9);
		if (d >= 0) {
			memcpy(c->s.nhs_number, first9, 9);
			c->s.nhs_number[9] = (char)('0' + d);
			c->s.nhs_number[10] = '\0';
			break;
		}
	}
	lower(c->s.given_name, c->given_fold, sizeof c->given_fold);
	lower(c->s.family_name, c->family_fold, sizeof c->family_fold);
	c->nkeys = identity_block_keys(&c->s, c->keys);
}

/* One event of a child: its agency, kind and when. */
struct event_draw {
	int agency;
	const char *kind;
	char at[TS_UTC_LEN + 1];
};

struct chunk {
	const struct bulkload_opts *o;
	int64_t from, n; /* children [from, from + n) of the area */
	int64_t today;
	char now[TS_UTC_LEN + 1];
	int64_t person0, source0, event0; /* the chunk's first ids */
	/* drawn once for the chunk (every table reads them): the children, and their events child by child */
	struct child *ch;
	struct event_draw *ev;
};

/* The event e of child j: its agency, kind and when. */
static void event_of(const struct chunk *k, const struct child *ch, int64_t j, int e, struct event_draw *d)
{
	uint64_t r = mix(k->o->seed ^ mix((uint64_t)(k->from + j) * 131 + (uint64_t)e + 7));
	d->agency = (int)(r % 5);
	d->kind = KIND[(r >> 8) % (sizeof KIND / sizeof KIND[0])];
	int64_t span = k->today - ch->born;
	if (span < 86400)
		span = 86400;
	ts_format_utc(ch->born + (int64_t)((r >> 16) % (uint64_t)span), d->at);
}

static void draw_chunk(struct chunk *k)
{
	const int E = k->o->events_per_child;
	for (int64_t j = 0; j < k->n; j++) {
		make_child(k->o->seed, k->from + j, k->today, &k->ch[j]);
		for (int e = 0; e < E; e++)
			event_of(k, &k->ch[j], j, e, &k->ev[j * E + e]);
	}
}

/* ---- the rows of each table, one function a table; load_table() below is the one loop over them ------- */

/* Room for the text a row is built from (the values point into it until the row is sent). */
struct row_text {
	char ref[48], payload[1400], summary[160];
	uint8_t hash[32];
};

#define ROW_VALUES_MAX 16
/* Fills v (room for ROW_VALUES_MAX) with one row's values and returns how many there are. */
#define VALUES(v, ...)                                                                                           \
	do {                                                                                                     \
		const struct store_bulk_value row_[] = {__VA_ARGS__};                                            \
		_Static_assert(sizeof row_ / sizeof row_[0] <= ROW_VALUES_MAX, "a row of too many values");     \
		memcpy((v), row_, sizeof row_);                                                                  \
		return (int)(sizeof row_ / sizeof row_[0]);                                                      \
	} while (0)

static int one_row(const struct chunk *k, int64_t j) { return 1; }
static int key_rows(const struct chunk *k, int64_t j) { return k->ch[j].nkeys; }
static int event_rows(const struct chunk *k, int64_t j) { return k->o->events_per_child; }

static int person_row(const struct chunk *k, int64_t j, int e, struct row_text *t, struct store_bulk_value *v)
{
	const struct child *ch = &k->ch[j];
	VALUES(v, STORE_BULK_INT(k->person0 + j), STORE_BULK_TEXT(ch->s.given_name), STORE_BULK_TEXT(""),
	       STORE_BULK_TEXT(ch->s.family_name), STORE_BULK_TEXT(ch->s.dob), STORE_BULK_TEXT(ch->s.sex),
	       STORE_BULK_TEXT(ch->s.postcode), STORE_BULK_TEXT(ch->s.address), STORE_BULK_NULL, STORE_BULK_TEXT(k->now),
	       STORE_BULK_TEXT(ch->given_fold), STORE_BULK_TEXT(ch->family_fold));
}

static int identifier_row(const struct chunk *k, int64_t j, int e, struct row_text *t, struct store_bulk_value *v)
{
	VALUES(v, STORE_BULK_INT(k->person0 + j), STORE_BULK_TEXT("nhs"), STORE_BULK_TEXT(k->ch[j].s.nhs_number),
	       STORE_BULK_NULL, STORE_BULK_TEXT(k->now));
}

static int block_key_row(const struct chunk *k, int64_t j, int e, struct row_text *t, struct store_bulk_value *v)
{
	VALUES(v, STORE_BULK_TEXT(k->ch[j].keys[e]), STORE_BULK_INT(k->person0 + j), STORE_BULK_INT(0));
}

static int source_row(const struct chunk *k, int64_t j, int e, struct row_text *t, struct store_bulk_value *v)
{
	const struct child *ch = &k->ch[j];
	int64_t n = j * k->o->events_per_child + e;
	const struct event_draw *d = &k->ev[n];
	snprintf(t->ref, sizeof t->ref, "AREA%llu-%lld-%d", (unsigned long long)k->o->seed, (long long)(k->from + j), e);
	int len = snprintf(t->payload, sizeof t->payload,
			   "{\"source_ref\":\"%s\",\"kind\":\"%s\",\"occurred_at\":\"%s\",\"subject\":{\"given_name\":"
			   "\"%.40s\",\"family_name\":\"%.40s\",\"dob\":\"%s\",\"nhs_number\":\"%s\",\"postcode\":\"%s\"}}",
			   t->ref, d->kind, d->at, ch->s.given_name, ch->s.family_name, ch->s.dob, ch->s.nhs_number,
			   ch->s.postcode);
	crypto_generichash(t->hash, sizeof t->hash, (const unsigned char *)t->payload, (size_t)len, NULL, 0);
	VALUES(v, STORE_BULK_INT(k->source0 + n), STORE_BULK_TEXT(AGENCY[d->agency]), STORE_BULK_TEXT(t->ref),
	       STORE_BULK_BLOB(t->hash, 32), STORE_BULK_TEXT(t->payload), STORE_BULK_INT(k->person0 + j),
	       STORE_BULK_REAL(1.0), STORE_BULK_TEXT("nhs"), STORE_BULK_TEXT(k->now));
}

static int event_row(const struct chunk *k, int64_t j, int e, struct row_text *t, struct store_bulk_value *v)
{
	const struct child *ch = &k->ch[j];
	int64_t n = j * k->o->events_per_child + e;
	const struct event_draw *d = &k->ev[n];
	snprintf(t->summary, sizeof t->summary, "%s recorded by %s (synthetic record %d of %.40s %.40s)", d->kind,
		 AGENCY_NAME[d->agency], e + 1, ch->s.given_name, ch->s.family_name);
	VALUES(v, STORE_BULK_INT(k->event0 + n), STORE_BULK_INT(k->person0 + j), STORE_BULK_INT(k->source0 + n),
	       STORE_BULK_TEXT(AGENCY[d->agency]), STORE_BULK_TEXT(d->kind), STORE_BULK_TEXT(d->at),
	       STORE_BULK_TEXT(k->now), STORE_BULK_TEXT(t->summary), STORE_BULK_TEXT("{}"));
}

/* The tables of a chunk in the order they are written (each row points only at rows of the tables before
 * it): how many rows a child has in each, and how one is built. */
static const struct loader {
	enum store_bulk_table table;
	int (*rows)(const struct chunk *k, int64_t j);
	int (*row)(const struct chunk *k, int64_t j, int e, struct row_text *t, struct store_bulk_value *v);
} LOADERS[] = {
	{STORE_BULK_PERSON, one_row, person_row},
	{STORE_BULK_IDENTIFIER, one_row, identifier_row},
	{STORE_BULK_BLOCK_KEY, key_rows, block_key_row},
	{STORE_BULK_SOURCE_RECORD, event_rows, source_row},
	{STORE_BULK_EVENT, event_rows, event_row},
};

static int load_table(store_conn *c, const struct chunk *k, const struct loader *l)
{
	const int ncols = store_bulk_columns(l->table);
	struct store_bulk_value v[ROW_VALUES_MAX];
	struct row_text t;
	int rc = store_bulk_begin(c, l->table);
	if (rc != STORE_OK)
		return rc;
	for (int64_t j = 0; j < k->n && rc == STORE_OK; j++) {
		const int rows = l->rows(k, j);
		for (int e = 0; e < rows && rc == STORE_OK; e++) {
			/* a row of a different shape than the table's is a mistake here, never sent */
			if (l->row(k, j, e, &t, v) != ncols)
				rc = STORE_EIO;
			else
				rc = store_bulk_row(c, v, ncols);
		}
	}
	int end = store_bulk_end(c, rc == STORE_OK);
	return rc == STORE_OK ? end : rc;
}

static int chunk_run(store_conn *c, struct chunk *k)
{
	int rc;
	for (size_t a = 0; a < sizeof AGENCY / sizeof AGENCY[0]; a++) {
		bool found = false;
		if ((rc = store_agency_exists(c, AGENCY[a], &found)) != STORE_OK)
			return rc;
		if (!found && (rc = store_agency_upsert(c, AGENCY[a], AGENCY_NAME[a])) != STORE_OK)
			return rc;
	}
	/* the ids are taken inside this write transaction: no other writer can take them */
	if ((rc = store_bulk_next_id(c, STORE_BULK_PERSON, &k->person0)) != STORE_OK ||
	    (rc = store_bulk_next_id(c, STORE_BULK_SOURCE_RECORD, &k->source0)) != STORE_OK ||
	    (rc = store_bulk_next_id(c, STORE_BULK_EVENT, &k->event0)) != STORE_OK)
		return rc;
	for (size_t t = 0; t < sizeof LOADERS / sizeof LOADERS[0]; t++)
		if ((rc = load_table(c, k, &LOADERS[t])) != STORE_OK)
			return rc;
	char detail[160];
	snprintf(detail, sizeof detail, "children %lld to %lld of %lld, %d events each (synthetic, seed %llu)",
		 (long long)k->from + 1, (long long)(k->from + k->n), (long long)k->o->children, k->o->events_per_child,
		 (unsigned long long)k->o->seed);
	struct store_audit a = {.actor = k->o->actor ? k->o->actor : "cli", .action = "area.bulk_load",
				.object = "area", .detail = detail};
	return audit_append(c, &a);
}

/* One chunk in one write transaction of its own (retried once if the database was busy), as txq_exec, but
 * on the connection the load holds: store_bulk_fast_begin's settings are the connection's. */
static int chunk_tx(store_conn *c, struct chunk *k)
{
	int rc = STORE_EIO;
	for (int attempt = 0; attempt < 2; attempt++) {
		if ((rc = store_begin(c)) != STORE_OK)
			continue;
		rc = chunk_run(c, k);
		if (rc >= 0 && (rc = store_commit(c)) == STORE_OK)
			break;
		store_rollback(c);
		if (rc != STORE_EBUSY)
			break;
	}
	return rc;
}

int bulkload_area(store *st, const struct bulkload_opts *o, struct bulkload_result *out)
{
	memset(out, 0, sizeof *out);
	if (o->children < 1 || o->events_per_child < 1 || o->events_per_child > 100000)
		return STORE_EIO;
	int64_t chunk = o->chunk > 0 ? o->chunk : 10000;
	if (chunk > o->children)
		chunk = o->children;
	struct chunk k = {.o = o};
	k.today = clock_now() / 86400 * 86400;
	ts_format_utc(clock_now(), k.now);
	k.ch = calloc((size_t)chunk, sizeof *k.ch);
	k.ev = calloc((size_t)chunk * (size_t)o->events_per_child, sizeof *k.ev);
	store_conn *c = store_conn_get(st);
	int rc = !k.ch || !k.ev ? STORE_EIO : !c ? STORE_EUNAVAIL : STORE_OK;
	bool fast = false;
	/* the indexes a load that stopped half-way held back first; then, into an empty area, the fast load */
	if (rc == STORE_OK && (rc = store_bulk_fast_end(c, false)) == STORE_OK)
		rc = store_bulk_fast_begin(c, &fast);
	for (int64_t from = 0; rc == STORE_OK && from < o->children; from += chunk) {
		k.from = from;
		k.n = o->children - from < chunk ? o->children - from : chunk;
		draw_chunk(&k);
		if ((rc = chunk_tx(c, &k)) != STORE_OK)
			break;
		if (!out->first_child_id)
			out->first_child_id = k.person0;
		out->last_child_id = k.person0 + k.n - 1;
		out->children += k.n;
		out->events += k.n * o->events_per_child;
		if (o->progress)
			o->progress(out->children, o->children, o->ctx);
	}
	/* whatever became of the load: the indexes back and every committed chunk durable */
	if (fast) {
		int end = store_bulk_fast_end(c, true);
		rc = rc == STORE_OK ? end : rc;
	}
	if (c)
		store_conn_put(st, c);
	free(k.ch);
	free(k.ev);
	return rc;
}
