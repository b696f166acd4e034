#include "service/bulkload.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "clock/now.h"
#include "core/date.h"
#include "core/ident.h"
#include "service/audit.h"
#include "service/identity.h"
#include "service/service_int.h"
#include "service/txq.h"

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
}

struct chunk {
	const struct bulkload_opts *o;
	int64_t from, n; /* children [from, from + n) of the area */
	int64_t today;
	char now[TS_UTC_LEN + 1];
	int64_t person0, source0, event0; /* the chunk's first ids */
	bool last;
	int64_t total_events;
};

#define ROW(c, v) store_bulk_row((c), (v), (int)(sizeof(v) / sizeof((v)[0])))

static int end_load(store_conn *c, int rc)
{
	int end = store_bulk_end(c, rc == STORE_OK);
	return rc == STORE_OK ? end : rc;
}

static int load_people(store_conn *c, struct chunk *k)
{
	struct child ch;
	int rc = store_bulk_begin(c, STORE_BULK_PERSON);
	if (rc != STORE_OK)
		return rc;
	for (int64_t j = 0; j < k->n && rc == STORE_OK; j++) {
		make_child(k->o->seed, k->from + j, k->today, &ch);
		struct store_bulk_value v[] = {
			STORE_BULK_INT(k->person0 + j), STORE_BULK_TEXT(ch.s.given_name), STORE_BULK_TEXT(""),
			STORE_BULK_TEXT(ch.s.family_name), STORE_BULK_TEXT(ch.s.dob), STORE_BULK_TEXT(ch.s.sex),
			STORE_BULK_TEXT(ch.s.postcode), STORE_BULK_TEXT(ch.s.address), STORE_BULK_NULL,
			STORE_BULK_TEXT(k->now), STORE_BULK_TEXT(ch.given_fold), STORE_BULK_TEXT(ch.family_fold),
		};
		rc = ROW(c, v);
	}
	rc = end_load(c, rc);
	if (rc != STORE_OK || (rc = store_bulk_begin(c, STORE_BULK_IDENTIFIER)) != STORE_OK)
		return rc;
	for (int64_t j = 0; j < k->n && rc == STORE_OK; j++) {
		make_child(k->o->seed, k->from + j, k->today, &ch);
		struct store_bulk_value v[] = {STORE_BULK_INT(k->person0 + j), STORE_BULK_TEXT("nhs"),
					       STORE_BULK_TEXT(ch.s.nhs_number), STORE_BULK_NULL, STORE_BULK_TEXT(k->now)};
		rc = ROW(c, v);
	}
	rc = end_load(c, rc);
	if (rc != STORE_OK || (rc = store_bulk_begin(c, STORE_BULK_BLOCK_KEY)) != STORE_OK)
		return rc;
	/* the keys intake gives a person (identity_block_keys), so that intake's candidate search over the area
	 * is what it would be had every record come through intake */
	for (int64_t j = 0; j < k->n && rc == STORE_OK; j++) {
		make_child(k->o->seed, k->from + j, k->today, &ch);
		char keys[IDENTITY_KEYS_MAX][IDENTITY_KEY_BYTES];
		int nk = identity_block_keys(&ch.s, keys);
		for (int q = 0; q < nk && rc == STORE_OK; q++) {
			struct store_bulk_value v[] = {STORE_BULK_TEXT(keys[q]), STORE_BULK_INT(k->person0 + j),
						       STORE_BULK_INT(0)};
			rc = ROW(c, v);
		}
	}
	return end_load(c, rc);
}

/* The event e of child j: its agency, kind and when. */
static void event_of(const struct chunk *k, const struct child *ch, int64_t j, int e, int *agency, const char **kind,
		     char at[TS_UTC_LEN + 1])
{
	uint64_t r = mix(k->o->seed ^ mix((uint64_t)(k->from + j) * 131 + (uint64_t)e + 7));
	*agency = (int)(r % 5);
	*kind = KIND[(r >> 8) % (sizeof KIND / sizeof KIND[0])];
	int64_t span = k->today - ch->born;
	if (span < 86400)
		span = 86400;
	ts_format_utc(ch->born + (int64_t)((r >> 16) % (uint64_t)span), at);
}

static int load_events(store_conn *c, struct chunk *k)
{
	const int E = k->o->events_per_child;
	struct child ch;
	int rc = store_bulk_begin(c, STORE_BULK_SOURCE_RECORD);
	if (rc != STORE_OK)
		return rc;
	for (int64_t j = 0; j < k->n && rc == STORE_OK; j++) {
		make_child(k->o->seed, k->from + j, k->today, &ch);
		for (int e = 0; e < E && rc == STORE_OK; e++) {
			int agency;
			const char *kind;
			char at[TS_UTC_LEN + 1], ref[48], payload[1400];
			event_of(k, &ch, j, e, &agency, &kind, at);
			snprintf(ref, sizeof ref, "AREA%llu-%lld-%d", (unsigned long long)k->o->seed, (long long)(k->from + j), e);
			snprintf(payload, sizeof payload,
				 "{\"source_ref\":\"%s\",\"kind\":\"%s\",\"occurred_at\":\"%s\",\"subject\":{\"given_name\":"
				 "\"%.40s\",\"family_name\":\"%.40s\",\"dob\":\"%s\",\"nhs_number\":\"%s\",\"postcode\":\"%s\"}}",
				 ref, kind, at, ch.s.given_name, ch.s.family_name, ch.s.dob, ch.s.nhs_number, ch.s.postcode);
			uint8_t hash[32];
			crypto_generichash(hash, sizeof hash, (const unsigned char *)payload, strlen(payload), NULL, 0);
			int64_t n = j * E + e;
			struct store_bulk_value v[] = {
				STORE_BULK_INT(k->source0 + n), STORE_BULK_TEXT(AGENCY[agency]), STORE_BULK_TEXT(ref),
				STORE_BULK_BLOB(hash, 32), STORE_BULK_TEXT(payload), STORE_BULK_INT(k->person0 + j),
				STORE_BULK_REAL(1.0), STORE_BULK_TEXT("nhs"), STORE_BULK_TEXT(k->now),
			};
			rc = ROW(c, v);
		}
	}
	rc = end_load(c, rc);
	if (rc != STORE_OK || (rc = store_bulk_begin(c, STORE_BULK_EVENT)) != STORE_OK)
		return rc;
	for (int64_t j = 0; j < k->n && rc == STORE_OK; j++) {
		make_child(k->o->seed, k->from + j, k->today, &ch);
		for (int e = 0; e < E && rc == STORE_OK; e++) {
			int agency;
			const char *kind;
			char at[TS_UTC_LEN + 1], summary[160];
			event_of(k, &ch, j, e, &agency, &kind, at);
			snprintf(summary, sizeof summary, "%s recorded by %s (synthetic record %d of %.40s %.40s)", kind,
				 AGENCY_NAME[agency], e + 1, ch.s.given_name, ch.s.family_name);
			int64_t n = j * E + e;
			struct store_bulk_value v[] = {
				STORE_BULK_INT(k->event0 + n), STORE_BULK_INT(k->person0 + j), STORE_BULK_INT(k->source0 + n),
				STORE_BULK_TEXT(AGENCY[agency]), STORE_BULK_TEXT(kind), STORE_BULK_TEXT(at),
				STORE_BULK_TEXT(k->now), STORE_BULK_TEXT(summary), STORE_BULK_TEXT("{}"),
			};
			rc = ROW(c, v);
		}
	}
	return end_load(c, rc);
}

static int chunk_run(store_conn *c, void *arg)
{
	struct chunk *k = arg;
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
	if ((rc = load_people(c, k)) != STORE_OK || (rc = load_events(c, k)) != STORE_OK)
		return rc;
	char detail[160];
	snprintf(detail, sizeof detail, "children %lld to %lld of %lld, %d events each (synthetic, seed %llu)",
		 (long long)k->from + 1, (long long)(k->from + k->n), (long long)k->o->children, k->o->events_per_child,
		 (unsigned long long)k->o->seed);
	struct store_audit a = {.actor = k->o->actor ? k->o->actor : "cli", .action = "area.bulk_load",
				.object = "area", .detail = detail};
	return audit_append(c, &a);
}

int bulkload_area(store *st, const struct bulkload_opts *o, struct bulkload_result *out)
{
	memset(out, 0, sizeof *out);
	if (o->children < 1 || o->events_per_child < 1 || o->events_per_child > 100000)
		return STORE_EIO;
	int64_t chunk = o->chunk > 0 ? o->chunk : 10000;
	struct chunk k = {.o = o};
	k.today = clock_now() / 86400 * 86400;
	ts_format_utc(clock_now(), k.now);
	for (int64_t from = 0; from < o->children; from += chunk) {
		k.from = from;
		k.n = o->children - from < chunk ? o->children - from : chunk;
		int rc = txq_exec(st, chunk_run, &k);
		if (rc != STORE_OK)
			return rc;
		if (!out->first_child_id)
			out->first_child_id = k.person0;
		out->last_child_id = k.person0 + k.n - 1;
		out->children += k.n;
		out->events += k.n * o->events_per_child;
		if (o->progress)
			o->progress(out->children, o->children, o->ctx);
	}
	return STORE_OK;
}
