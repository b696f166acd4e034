/*
 * service/speakup.c — speak up (issue 18, part 1). See speakup.h.
 */
#include "service/speakup.h"

#include <ctype.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "service/access.h"
#include "service/audit.h"
#include "service/intake.h"
#include "service/service_int.h"

/* ---- the reference and the passphrase ---- */

/* No 0/O, 1/I/L or U: nothing a child could read two ways (and no rude words without vowels but A, E). */
static const char REF_ALPHABET[] = "ABCDEFGHJKMNPQRSTVWXYZ23456789";

/* Short words a 10-year-old can read and spell, all different in their first three letters. */
static const char *const words[] = {
	"apple", "arrow", "badge", "baker", "banjo", "beach", "bench", "berry", "bird", "blanket", "boat", "bottle",
	"brick", "bridge", "brush", "bucket", "bus", "butter", "cabin", "cake", "camel", "candle", "carrot", "castle",
	"chair", "cheese", "cherry", "chest", "clock", "cloud", "coat", "comet", "cookie", "corn", "cousin", "crab",
	"crown", "cup", "daisy", "desk", "dinner", "doctor", "dog", "donkey", "door", "dragon", "drum", "duck",
	"eagle", "egg", "elbow", "engine", "fairy", "farm", "feather", "fence", "field", "finger", "fish", "flag",
	"flower", "forest", "fox", "frog", "garden", "giant", "gift", "glove", "goat", "grape", "grass", "guitar",
	"hammer", "hand", "hat", "helmet", "hill", "honey", "horse", "house", "igloo", "island", "jacket", "jam",
	"jelly", "jigsaw", "judge", "jumper", "kettle", "key", "kite", "kitten", "knee", "ladder", "lamp", "leaf",
	"lemon", "letter", "lion", "lizard", "lorry", "magnet", "mango", "map", "marble", "meadow", "melon", "milk",
	"mitten", "monkey", "moon", "mouse", "nest", "nose", "nut", "ocean", "onion", "orange", "otter", "owl",
	"paint", "panda", "paper", "parrot", "pasta", "peach", "pencil", "penguin", "piano", "pillow", "pirate",
	"pizza", "planet", "plum", "pocket", "pony", "potato", "puppy", "queen", "quilt", "rabbit", "radio", "rain",
	"robot", "rocket", "roof", "rose", "ruler", "sailor", "salad", "sand", "scarf", "school", "seal", "sheep",
	"shell", "ship", "shoe", "silver", "sister", "skate", "sky", "snail", "snow", "sock", "sofa", "spoon",
	"star", "stone", "storm", "sugar", "sun", "swan", "table", "teapot", "tent", "tiger", "toast", "tomato",
	"tooth", "tower", "train", "tree", "truck", "tulip", "turtle", "umbrella", "unicorn", "van", "violin",
	"wagon", "walrus", "water", "whale", "wheel", "window", "wizard", "wolf", "yacht", "yogurt", "zebra", "zoo",
};
#define NWORDS (sizeof words / sizeof words[0])

void speakup_new_secrets(char ref[STORE_SPEAKUP_REF_LEN + 1], char pass[SPEAKUP_PASS_MAX])
{
	for (int i = 0; i < STORE_SPEAKUP_REF_LEN; i++)
		ref[i] = REF_ALPHABET[randombytes_uniform((uint32_t)(sizeof REF_ALPHABET - 1))];
	ref[STORE_SPEAKUP_REF_LEN] = '\0';
	size_t n = 0;
	pass[0] = '\0';
	for (int i = 0; i < SPEAKUP_PASS_WORDS; i++) {
		int k = snprintf(pass + n, SPEAKUP_PASS_MAX - n, "%s%s", i ? " " : "",
				 words[randombytes_uniform((uint32_t)NWORDS)]);
		if (k < 0 || (size_t)k >= SPEAKUP_PASS_MAX - n)
			break; /* cannot happen: 5 words of at most 8 letters */
		n += (size_t)k;
	}
}

void speakup_ref_show(const char *ref, char out[SPEAKUP_REF_SHOWN + 1])
{
	snprintf(out, SPEAKUP_REF_SHOWN + 1, "SU-%.4s-%.4s", ref, strlen(ref) >= 4 ? ref + 4 : "");
}

int speakup_ref_parse(const char *in, char out[STORE_SPEAKUP_REF_LEN + 1])
{
	size_t n = 0, len = strlen(in);
	if (len > 64)
		return -1;
	const char *p = in;
	while (*p == ' ')
		p++;
	if ((p[0] == 'S' || p[0] == 's') && (p[1] == 'U' || p[1] == 'u') && (p[2] == '-' || p[2] == ' '))
		p += 3;
	for (; *p; p++) {
		if (*p == '-' || *p == ' ')
			continue;
		char ch = (char)toupper((unsigned char)*p);
		if (!strchr(REF_ALPHABET, ch) || ch == '\0' || n == STORE_SPEAKUP_REF_LEN)
			return -1;
		out[n++] = ch;
	}
	out[n] = '\0';
	return n == STORE_SPEAKUP_REF_LEN ? 0 : -1;
}

int speakup_pass_normalise(const char *in, char out[SPEAKUP_PASS_MAX])
{
	size_t n = 0;
	bool gap = false;
	for (const char *p = in; *p; p++) {
		unsigned char ch = (unsigned char)*p;
		if (ch == ' ' || ch == '-' || ch == '\t' || ch == '\r' || ch == '\n' || ch == ',' || ch == '.') {
			gap = n > 0;
			continue;
		}
		if (!isalpha(ch) || ch >= 0x80)
			return -1;
		if (gap) {
			if (n + 1 >= SPEAKUP_PASS_MAX)
				return -1;
			out[n++] = ' ';
			gap = false;
		}
		if (n + 1 >= SPEAKUP_PASS_MAX)
			return -1;
		out[n++] = (char)tolower(ch);
	}
	out[n] = '\0';
	return n ? 0 : -1;
}

/* Interactive limits, as sign-in's: a guess costs the guesser time and the server memory, so guesses are
 * also limited by the bucket below and by the reference's own count. */
int speakup_pass_hash(const char *pass, char out[128])
{
	return crypto_pwhash_str(out, pass, strlen(pass), crypto_pwhash_OPSLIMIT_INTERACTIVE,
				 crypto_pwhash_MEMLIMIT_INTERACTIVE) == 0 ? 0 : -1;
}

/* A hash of nothing anyone is given: verified against when the reference names no report, so that a wrong
 * reference costs what a wrong passphrase does. */
static char decoy[crypto_pwhash_STRBYTES];
static pthread_once_t decoy_once = PTHREAD_ONCE_INIT;

static void decoy_make(void)
{
	char ref[STORE_SPEAKUP_REF_LEN + 1], pass[SPEAKUP_PASS_MAX];
	speakup_new_secrets(ref, pass);
	if (speakup_pass_hash(pass, decoy) != 0)
		decoy[0] = '\0';
	sodium_memzero(pass, sizeof pass);
}

bool speakup_pass_verify(const char *hash, const char *pass)
{
	if (!hash || !hash[0]) {
		pthread_once(&decoy_once, decoy_make);
		if (decoy[0] && crypto_pwhash_str_verify(decoy, pass, strlen(pass)) == 0)
			return false; /* nobody holds the decoy's passphrase; and were it typed, no report is opened */
		return false;
	}
	return crypto_pwhash_str_verify(hash, pass, strlen(pass)) == 0;
}

/* ---- the rate limit of everyone together ---- */

/* Two token buckets in memory: reports (20 at once, then one every 2 minutes: 30 an hour, far above what
 * one local authority receives), and tries of a reference (60 at once, then one a second). NEEDSWORK: the
 * only mutable state of the service outside the store; a restart refills them (the per-day count in the
 * store still holds). */
struct bucket {
	double tokens;
	int64_t at;
	bool started;
};
static struct bucket buckets[2];
static pthread_mutex_t buckets_lock = PTHREAD_MUTEX_INITIALIZER;

bool speakup_admit(int64_t now, bool ret)
{
	const double cap = ret ? 60 : 20, per_second = ret ? 1.0 : 1.0 / 120;
	struct bucket *b = &buckets[ret ? 1 : 0];
	bool ok;
	pthread_mutex_lock(&buckets_lock);
	if (!b->started) {
		b->tokens = cap;
		b->at = now;
		b->started = true;
	}
	if (now > b->at) {
		b->tokens += (double)(now - b->at) * per_second;
		if (b->tokens > cap)
			b->tokens = cap;
		b->at = now;
	}
	ok = b->tokens >= 1;
	if (ok)
		b->tokens -= 1;
	pthread_mutex_unlock(&buckets_lock);
	return ok;
}

/* ---- outcomes ---- */

static const struct {
	const char *code, *name;
} outcomes[] = {
	{"lado", "Passed to the LADO as an allegation against someone who works with children"},
	{"home_oversight", "Added to the home's oversight"},
	{"social_worker", "Passed to the child's social worker"},
	{"police", "Passed to the police"},
	{"no_further_action", "No further action"},
};

const char *speakup_outcome_name(const char *code)
{
	for (size_t i = 0; i < sizeof outcomes / sizeof outcomes[0]; i++)
		if (strcmp(outcomes[i].code, code) == 0)
			return outcomes[i].name;
	return NULL;
}

const char *speakup_outcome_at(size_t i)
{
	return i < sizeof outcomes / sizeof outcomes[0] ? outcomes[i].code : NULL;
}

const char *speakup_who_name(const char *code)
{
	static const struct {
		const char *code, *name;
	} who[] = {
		{"child", "A child or young person"},
		{"parent", "A parent or carer"},
		{"staff", "A member of staff"},
		{"other", "Someone else"},
	};
	for (size_t i = 0; i < sizeof who / sizeof who[0]; i++)
		if (strcmp(who[i].code, code) == 0)
			return who[i].name;
	return NULL;
}

/* ---- the homes a report may be about ---- */

struct homes_args {
	const char *la_code;
	store_home_fn fn;
	void *ctx;
};

static int homes_run(store_conn *c, void *arg)
{
	struct homes_args *a = arg;
	return store_homes(c, a->la_code, a->fn, a->ctx);
}

int speakup_homes(store *st, const char *la_code, store_home_fn fn, void *ctx)
{
	struct homes_args a = {la_code ? la_code : "", fn, ctx};
	return service_in_snapshot(st, homes_run, &a);
}

/* ---- writes ---- */

/* The day's allowance of reports: server configuration, set once at start. */
static int per_day = SPEAKUP_PER_DAY;

void speakup_set_per_day(int n)
{
	per_day = n > 0 ? n : SPEAKUP_PER_DAY;
}

int speakup_per_day(void)
{
	return per_day;
}

static void day_start(int64_t now, char out[STORE_TS_LEN + 1])
{
	ts_format_utc(now - now % 86400, out);
}

int speakup_create(store_conn *c, struct store_speakup *r, int64_t now, enum speakup_result *res)
{
	char since[STORE_TS_LEN + 1], at[STORE_TS_LEN + 1], object[40];
	int64_t n = 0;
	int rc;
	*res = SPEAKUP_OK;
	/* Only what the reporter chose to tell of themselves is kept, whatever else the form carried. */
	if (strcmp(r->about, "contact") != 0)
		r->contact[0] = '\0';
	if (strcmp(r->about, "nothing") == 0)
		r->first_name[0] = '\0';
	day_start(now, since);
	if ((rc = store_speakup_count_since(c, since, &n)) != STORE_OK)
		return rc;
	if (n >= per_day) {
		*res = SPEAKUP_LIMITED;
		return STORE_OK;
	}
	r->incident_id = 0;
	if (r->home_id) {
		/* The home's oversight counts it as an allegation (oversight.h's indicator): a number, no words. */
		struct store_home *h = malloc(sizeof *h);
		struct store_home_incident *inc = calloc(1, sizeof *inc);
		bool found = false;
		rc = h && inc ? store_home_get(c, r->home_id, h, &found) : STORE_EIO;
		if (rc == STORE_OK && !found)
			*res = SPEAKUP_NO_HOME;
		if (rc == STORE_OK && found) {
			inc->home_id = r->home_id;
			ts_format_utc(now, at);
			snprintf(inc->occurred_at, sizeof inc->occurred_at, "%s", at);
			snprintf(inc->type, sizeof inc->type, "allegation");
			inc->duration_min = -1;
			inc->child_injured = inc->staff_involved = inc->debrief_offered = -1;
			snprintf(inc->summary, sizeof inc->summary, "A report made through Speak up");
			rc = store_home_incident_insert(c, inc, &r->incident_id);
		}
		free(h);
		free(inc);
		if (rc != STORE_OK || *res != SPEAKUP_OK)
			return rc;
	}
	if ((rc = store_speakup_insert(c, r, &r->id)) != STORE_OK)
		return rc;
	snprintf(object, sizeof object, "speakup:%lld", (long long)r->id);
	/* Actor "speak-up": nobody signed in, and nothing of who is kept. */
	struct store_audit e = {.actor = "speak-up", .action = "speakup.create", .object = object,
				.detail = r->home_id ? "about a home" : "about a person"};
	return audit_append(c, &e);
}

struct hash_args {
	const char *ref;
	struct store_speakup *r;
	bool *found;
};

static int hash_run(store_conn *c, void *arg)
{
	struct hash_args *a = arg;
	return store_speakup_get(c, 0, a->ref, a->r, a->found);
}

static bool throttled(const struct store_speakup *r, int64_t now)
{
	int64_t since = 0;
	return r->fails >= SPEAKUP_GUESSES && ts_parse_rfc3339(r->fail_since, &since) == 0 &&
	       now - since < SPEAKUP_GUESS_WINDOW_SECONDS;
}

int speakup_reporter_hash(store *st, const char *ref, int64_t now, char hash[128], bool *found, bool *locked)
{
	struct store_speakup *r = calloc(1, sizeof *r);
	if (!r)
		return STORE_EIO;
	struct hash_args a = {ref, r, found};
	*found = *locked = false;
	hash[0] = '\0';
	int rc = service_in_snapshot(st, hash_run, &a);
	if (rc == STORE_OK && *found) {
		memcpy(hash, r->pass_hash, 128);
		*locked = throttled(r, now);
	}
	free(r);
	return rc;
}

int speakup_reporter_open(store_conn *c, const char *ref, bool verified, const char *add, int64_t now,
			  struct store_speakup *out, store_speakup_message_fn fn, void *ctx, enum speakup_result *res)
{
	bool found = false;
	char object[40], at[STORE_TS_LEN + 1];
	*res = SPEAKUP_NOT_FOUND;
	int rc = store_speakup_get(c, 0, ref, out, &found);
	if (rc != STORE_OK || !found)
		return rc;
	snprintf(object, sizeof object, "speakup:%lld", (long long)out->id);
	if (throttled(out, now))
		return STORE_OK; /* whatever was typed: the same answer as a wrong pair */
	if (!verified) {
		int64_t since = 0;
		if (ts_parse_rfc3339(out->fail_since, &since) != 0 || now - since >= SPEAKUP_GUESS_WINDOW_SECONDS) {
			out->fails = 0;
			ts_format_utc(now, at);
			snprintf(out->fail_since, sizeof out->fail_since, "%s", at);
		}
		out->fails++;
		if ((rc = store_speakup_update(c, out)) != STORE_OK)
			return rc;
		if (out->fails == SPEAKUP_GUESSES) {
			struct store_audit e = {.actor = "speak-up", .action = "speakup.throttled", .object = object,
						.detail = "wrong passphrases"};
			return audit_append(c, &e);
		}
		return STORE_OK;
	}
	if (out->fails) {
		out->fails = 0;
		out->fail_since[0] = '\0';
		if ((rc = store_speakup_update(c, out)) != STORE_OK)
			return rc;
	}
	if (add && add[0]) {
		struct store_speakup_message *m = calloc(1, sizeof *m);
		if (!m)
			return STORE_EIO;
		m->report_id = out->id;
		m->from_reporter = 1;
		snprintf(m->text, sizeof m->text, "%s", add);
		rc = store_speakup_message_insert(c, m, &m->id);
		free(m);
		if (rc != STORE_OK)
			return rc;
		struct store_audit e = {.actor = "speak-up", .action = "speakup.add", .object = object, .detail = ""};
		if ((rc = audit_append(c, &e)) != STORE_OK)
			return rc;
	}
	struct store_audit e = {.actor = "speak-up", .action = "speakup.reporter_read", .object = object, .detail = ""};
	if ((rc = audit_append(c, &e)) != STORE_OK)
		return rc;
	*res = SPEAKUP_OK;
	return store_speakup_messages(c, out->id, fn, ctx);
}

static bool reviewer_may(const struct speakup_reviewer *rv)
{
	return rv && rv->role && access_role_may(rv->role, rv->agency, ACT_SPEAKUP);
}

int speakup_queue(store_conn *c, const struct speakup_reviewer *rv, int limit, store_speakup_fn fn, void *ctx,
		  enum speakup_result *res)
{
	*res = SPEAKUP_NOT_FOUND;
	if (!reviewer_may(rv))
		return STORE_OK;
	struct store_audit e = {.actor = rv->actor, .action = "speakup.list", .object = "speakup", .detail = ""};
	int rc = audit_append(c, &e);
	if (rc != STORE_OK)
		return rc;
	*res = SPEAKUP_OK;
	return store_speakups(c, limit, fn, ctx);
}

int speakup_review_open(store_conn *c, const struct speakup_reviewer *rv, int64_t id, struct store_speakup *out,
			store_speakup_message_fn fn, void *ctx, enum speakup_result *res)
{
	bool found = false;
	*res = SPEAKUP_NOT_FOUND;
	if (!reviewer_may(rv))
		return STORE_OK;
	int rc = store_speakup_get(c, id, NULL, out, &found);
	if (rc != STORE_OK || !found)
		return rc;
	char object[40];
	snprintf(object, sizeof object, "speakup:%lld", (long long)id);
	struct store_audit e = {.actor = rv->actor, .action = "speakup.read", .child_id = out->child_id,
				.object = object, .detail = ""};
	if ((rc = audit_append(c, &e)) != STORE_OK)
		return rc;
	*res = SPEAKUP_OK;
	return store_speakup_messages(c, id, fn, ctx);
}

/* The report on the child's chronology: an event of the reviewer's agency, through intake as a practitioner's
 * concern is (a source record, the rules, the audit). */
static int link_child(store_conn *c, const struct speakup_reviewer *rv, const struct store_speakup *r,
		      int64_t child_id, int64_t now, enum speakup_result *res)
{
	bool sealed = false, found = false;
	int rc = store_person_exists(c, child_id, &found);
	if (rc == STORE_OK && found)
		rc = store_person_sealed(c, child_id, &sealed);
	if (rc != STORE_OK)
		return rc;
	if (!found || sealed) {
		*res = SPEAKUP_NO_CHILD;
		return STORE_OK;
	}
	char ref[SPEAKUP_REF_SHOWN + 1], source_ref[48], *summary = NULL, *payload = NULL, *details = NULL;
	speakup_ref_show(r->ref, ref);
	snprintf(source_ref, sizeof source_ref, "speakup-%lld-%lld", (long long)r->id, (long long)child_id);
	size_t sn = strlen(r->what) + 200;
	summary = malloc(sn);
	payload = malloc(64);
	details = malloc(STORE_USER_MAX + 128);
	rc = STORE_EIO;
	if (!summary || !payload || !details)
		goto out;
	snprintf(summary, sn, "Speak-up report %s (%s): %s", ref, speakup_who_name(r->who) ? speakup_who_name(r->who) : "",
		 r->what);
	snprintf(payload, 64, "{\"speakup\":%lld}", (long long)r->id);
	snprintf(details, STORE_USER_MAX + 128, "{\"recorded_by\":\"%s\",\"speakup\":%lld}", rv->username,
		 (long long)r->id);
	struct intake_request rq = {0};
	struct intake_result ir = {0};
	rq.actor = rv->actor;
	snprintf(rq.agency, sizeof rq.agency, "%s", rv->agency && rv->agency[0] ? rv->agency : "social_care");
	rq.source_ref = source_ref;
	rq.kind = "speak_up";
	ts_format_utc(now, rq.occurred_at);
	rq.summary = summary;
	rq.details = details;
	rq.payload = payload;
	crypto_generichash(rq.payload_hash, sizeof rq.payload_hash, (const unsigned char *)payload, strlen(payload),
			   NULL, 0);
	rq.known_child_id = child_id;
	rc = intake_apply(c, &rq, &ir);
	if (rc == STORE_OK && ir.outcome == INTAKE_NO_CHILD)
		*res = SPEAKUP_NO_CHILD;
out:
	free(summary);
	free(payload);
	free(details);
	return rc;
}

int speakup_triage(store_conn *c, const struct speakup_reviewer *rv, int64_t id, const char *outcome,
		   const char *reason, int64_t child_id, int64_t now, enum speakup_result *res)
{
	bool found = false;
	*res = SPEAKUP_NOT_FOUND;
	if (!reviewer_may(rv) || !speakup_outcome_name(outcome))
		return STORE_OK;
	struct store_speakup *r = calloc(1, sizeof *r);
	if (!r)
		return STORE_EIO;
	int rc = store_speakup_get(c, id, NULL, r, &found);
	if (rc != STORE_OK || !found)
		goto out;
	*res = SPEAKUP_OK;
	if (child_id && child_id != r->child_id) {
		if ((rc = store_savepoint(c)) != STORE_OK)
			goto out;
		rc = link_child(c, rv, r, child_id, now, res);
		if (rc != STORE_OK || *res != SPEAKUP_OK) {
			int r2 = store_savepoint_rollback(c);
			rc = rc != STORE_OK ? rc : r2;
			goto out;
		}
		if ((rc = store_savepoint_release(c)) != STORE_OK)
			goto out;
		r->child_id = child_id;
	}
	snprintf(r->state, sizeof r->state, "triaged");
	snprintf(r->outcome, sizeof r->outcome, "%s", outcome);
	snprintf(r->outcome_reason, sizeof r->outcome_reason, "%s", reason ? reason : "");
	snprintf(r->triaged_by, sizeof r->triaged_by, "%s", rv->username);
	ts_format_utc(now, r->triaged_at);
	if ((rc = store_speakup_update(c, r)) != STORE_OK)
		goto out;
	char object[40], detail[64];
	snprintf(object, sizeof object, "speakup:%lld", (long long)id);
	snprintf(detail, sizeof detail, "outcome:%s", outcome);
	struct store_audit e = {.actor = rv->actor, .action = "speakup.triage", .child_id = r->child_id,
				.object = object, .detail = detail};
	rc = audit_append(c, &e);
out:
	free(r);
	return rc;
}

int speakup_reply(store_conn *c, const struct speakup_reviewer *rv, int64_t id, const char *text,
		  enum speakup_result *res)
{
	bool found = false;
	*res = SPEAKUP_NOT_FOUND;
	if (!reviewer_may(rv))
		return STORE_OK;
	struct store_speakup *r = calloc(1, sizeof *r);
	struct store_speakup_message *m = calloc(1, sizeof *m);
	int rc = r && m ? store_speakup_get(c, id, NULL, r, &found) : STORE_EIO;
	if (rc != STORE_OK || !found)
		goto out;
	m->report_id = id;
	m->from_reporter = 0;
	snprintf(m->author, sizeof m->author, "%s", rv->username);
	snprintf(m->text, sizeof m->text, "%s", text);
	if ((rc = store_speakup_message_insert(c, m, &m->id)) != STORE_OK)
		goto out;
	char object[40], detail[40];
	snprintf(object, sizeof object, "speakup:%lld", (long long)id);
	snprintf(detail, sizeof detail, "message:%lld", (long long)m->id);
	struct store_audit e = {.actor = rv->actor, .action = "speakup.reply", .object = object, .detail = detail};
	if ((rc = audit_append(c, &e)) == STORE_OK)
		*res = SPEAKUP_OK;
out:
	free(r);
	free(m);
	return rc;
}
