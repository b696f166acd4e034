/*
 * cli/cmd_link.c — `safeguard link train` and `safeguard link dedupe`: record linkage over a CSV file of
 * agency records (docs/LINKAGE.md). Reading is io/records_csv.h, the method is linkage/linkage.h, the model
 * file io/linkage_model.h; every output file appears whole or not at all (cli_tmp_*).
 */
#include <getopt.h>
#include <malloc.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <csv.h>

#include "cli/cli.h"
#include "io/linkage_model.h"
#include "io/records_csv.h"
#include "linkage/linkage.h"

#define FIELD_COPY_MAX 512 /* bytes of a field handed to the normaliser (names and addresses are shorter) */

struct load {
	struct linkage_rec *recs;
	uint32_t *id_off; /* offset of each record_id in ids */
	char *ids;
	size_t n, cap, ids_len, ids_cap;
	unsigned long bad[5]; /* dob, nhs, upn, postcode, sex */
	char sources[LINKAGE_MAX_SOURCES][64]; /* the first distinct values of the source column, numbered 1.. */
	unsigned nsources;
	unsigned long unnumbered; /* records of sources beyond those (pooled m) */
	/* Rows read but not yet normalised: their fields ('\0'-terminated, in text) and sources. Normalising
	 * is most of reading's CPU: with two threads or more a full batch is handed to the workers (fl) and
	 * the next one parsed meanwhile on this thread, which then helps with what is left of the batch in
	 * flight (land). Parsing stays in order on this one. */
	char *text;
	size_t text_len, text_cap, batch;
	uint32_t (*off)[RC_NCOL];
	uint8_t *src;
	struct linkage_input *in;
	unsigned threads;
	struct flight {
		char *text;
		size_t text_cap, n;
		uint32_t (*off)[RC_NCOL];
		uint8_t *src;
		struct linkage_input *in;
		struct linkage_rec *out; /* &recs[its first record]: recs is not grown while a batch flies */
	} fl;
	bool flying;
	/* The workers: a batch is posted (gen), its chunks taken by number (next) by them and this thread;
	 * the state of fl and nch changes only while no worker is busy. */
	pthread_t workers[64];
	unsigned nworkers, busy, gen;
	bool quit;
	size_t nch, done;
	atomic_size_t next;
	pthread_mutex_t mu;
	pthread_cond_t posted, finished;
};

#define PREPARE_CHUNK 1024

#define LOAD_BATCH 16384

/* The number of a record's source: the first LINKAGE_MAX_SOURCES distinct values get 1..; others and ""
 * get 0 (they are scored with the pooled m). */
static uint8_t source_number(struct load *l, const char *s, size_t n)
{
	if (!n)
		return 0;
	for (unsigned i = 0; i < l->nsources; i++)
		if (strlen(l->sources[i]) == n && memcmp(l->sources[i], s, n) == 0)
			return (uint8_t)(i + 1);
	if (l->nsources == LINKAGE_MAX_SOURCES || n >= sizeof l->sources[0]) {
		l->unnumbered++;
		return 0;
	}
	memcpy(l->sources[l->nsources], s, n);
	l->sources[l->nsources][n] = '\0';
	return (uint8_t)++l->nsources;
}

static void batch_inputs(struct load *l)
{
	for (size_t i = 0; i < l->batch; i++) {
		const char *t = l->text;
		const uint32_t *o = l->off[i];
		l->in[i] = (struct linkage_input){t + o[RC_GIVEN_NAME], t + o[RC_MIDDLE_NAMES], t + o[RC_FAMILY_NAME],
						  t + o[RC_DOB],	t + o[RC_SEX],		t + o[RC_POSTCODE],
						  t + o[RC_ADDRESS],	t + o[RC_NHS_NUMBER],	t + o[RC_UPN]};
	}
}

/* The records' sources, and the values that cannot be right counted. */
static void batch_done(struct load *l, struct linkage_rec *r, const uint8_t *src, size_t n)
{
	static const unsigned bits[5] = {LINKAGE_BAD_DOB, LINKAGE_BAD_NHS, LINKAGE_BAD_UPN, LINKAGE_BAD_POSTCODE,
					 LINKAGE_BAD_SEX};
	for (size_t i = 0; i < n; i++) {
		r[i].source = src[i];
		for (int k = 0; k < 5; k++)
			if (r[i].bad & bits[k])
				l->bad[k]++;
	}
}

/* Chunks of the batch in flight, taken by number, until none is left. */
static void fly_some(struct load *l)
{
	for (size_t c; (c = atomic_fetch_add(&l->next, 1)) < l->nch;) {
		size_t hi = (c + 1) * PREPARE_CHUNK < l->fl.n ? (c + 1) * PREPARE_CHUNK : l->fl.n;
		for (size_t i = c * PREPARE_CHUNK; i < hi; i++)
			linkage_prepare(&l->fl.in[i], &l->fl.out[i]);
		pthread_mutex_lock(&l->mu);
		if (++l->done == l->nch)
			pthread_cond_broadcast(&l->finished);
		pthread_mutex_unlock(&l->mu);
	}
}

static void *load_worker(void *arg)
{
	struct load *l = arg;
	unsigned seen = 0;
	for (;;) {
		pthread_mutex_lock(&l->mu);
		while (l->gen == seen && !l->quit)
			pthread_cond_wait(&l->posted, &l->mu);
		if (l->quit) {
			pthread_mutex_unlock(&l->mu);
			return NULL;
		}
		seen = l->gen;
		l->busy++;
		pthread_mutex_unlock(&l->mu);
		fly_some(l);
		pthread_mutex_lock(&l->mu);
		l->busy--;
		pthread_cond_broadcast(&l->finished);
		pthread_mutex_unlock(&l->mu);
	}
}

/* The batch in flight finished (this thread helping), its records completed. */
static void land(struct load *l)
{
	if (!l->flying)
		return;
	fly_some(l);
	pthread_mutex_lock(&l->mu);
	while (l->done < l->nch || l->busy)
		pthread_cond_wait(&l->finished, &l->mu);
	pthread_mutex_unlock(&l->mu);
	batch_done(l, l->fl.out, l->fl.src, l->fl.n);
	l->flying = false;
}

/* Normalises the rows of the batch (the last l->batch records): handed to the workers, its buffers
 * swapped with the flight's (the previous batch landed first), or here and now on one thread. */
static void flush_batch(struct load *l)
{
	size_t first = l->n - l->batch;
	land(l);
	batch_inputs(l);
	if (!l->nworkers) {
		linkage_prepare_many(l->in, l->batch, &l->recs[first], 1);
		batch_done(l, &l->recs[first], l->src, l->batch);
	} else {
		struct flight f = l->fl;
		pthread_mutex_lock(&l->mu);
		while (l->busy) /* a worker that woke late, finding the last batch done */
			pthread_cond_wait(&l->finished, &l->mu);
		l->fl = (struct flight){l->text, l->text_cap, l->batch, l->off, l->src, l->in, &l->recs[first]};
		l->nch = (l->batch + PREPARE_CHUNK - 1) / PREPARE_CHUNK;
		l->done = 0;
		atomic_store(&l->next, 0);
		l->gen++;
		l->flying = true;
		pthread_cond_broadcast(&l->posted);
		pthread_mutex_unlock(&l->mu);
		l->text = f.text;
		l->text_cap = f.text_cap;
		l->off = f.off;
		l->src = f.src;
		l->in = f.in;
	}
	l->batch = 0;
	l->text_len = 0;
}

/* Appends a field (at most FIELD_COPY_MAX - 1 bytes of it) to the batch's text; its offset, or -1. */
static int64_t copy_field(struct load *l, const struct records_csv_row *row, int col)
{
	size_t n = row->len[col] < FIELD_COPY_MAX - 1 ? row->len[col] : FIELD_COPY_MAX - 1;
	if (l->text_len + n + 1 > l->text_cap) {
		size_t nc = l->text_cap ? l->text_cap * 2 : 1 << 20;
		while (nc < l->text_len + n + 1)
			nc *= 2;
		char *t = realloc(l->text, nc);
		if (!t || nc > UINT32_MAX) {
			free(t == l->text ? NULL : t);
			return -1;
		}
		l->text = t;
		l->text_cap = nc;
	}
	int64_t at = (int64_t)l->text_len;
	memcpy(l->text + l->text_len, row->field[col], n);
	l->text[l->text_len + n] = '\0';
	l->text_len += n + 1;
	return at;
}

static int on_row(const struct records_csv_row *row, void *ctx)
{
	struct load *l = ctx;
	if (l->n == l->cap) {
		land(l); /* the batch in flight writes into recs */
		size_t nc = l->cap ? l->cap * 2 : 4096;
		struct linkage_rec *nr = realloc(l->recs, nc * sizeof *nr);
		if (!nr)
			return -1;
		l->recs = nr;
		uint32_t *no = realloc(l->id_off, nc * sizeof *no);
		if (!no)
			return -1;
		l->id_off = no;
		l->cap = nc;
	}
	if (l->n >= UINT32_MAX - 1)
		return -1;
	size_t idl = row->len[RC_RECORD_ID];
	if (l->ids_len + idl + 1 > l->ids_cap) {
		size_t nc = l->ids_cap ? l->ids_cap * 2 : 1 << 20;
		while (nc < l->ids_len + idl + 1)
			nc *= 2;
		char *ni = realloc(l->ids, nc);
		if (!ni || nc > UINT32_MAX) {
			free(ni == l->ids ? NULL : ni);
			return -1;
		}
		l->ids = ni;
		l->ids_cap = nc;
	}
	memcpy(l->ids + l->ids_len, row->field[RC_RECORD_ID], idl);
	l->ids[l->ids_len + idl] = '\0';
	l->id_off[l->n] = (uint32_t)l->ids_len;
	l->ids_len += idl + 1;
	for (int c = RC_GIVEN_NAME; c < RC_NCOL; c++) {
		int64_t at = copy_field(l, row, c);
		if (at < 0)
			return -1;
		l->off[l->batch][c] = (uint32_t)at;
	}
	l->src[l->batch++] = source_number(l, row->field[RC_SOURCE], row->len[RC_SOURCE]);
	l->n++;
	if (l->batch == LOAD_BATCH)
		flush_batch(l);
	return 0;
}

/* Stops the workers (the batch in flight landed first) and frees the batches' buffers. */
static void load_batch_free(struct load *l)
{
	if (l->nworkers) {
		land(l);
		pthread_mutex_lock(&l->mu);
		l->quit = true;
		pthread_cond_broadcast(&l->posted);
		pthread_mutex_unlock(&l->mu);
		for (unsigned k = 0; k < l->nworkers; k++)
			pthread_join(l->workers[k], NULL);
		l->nworkers = 0;
		pthread_mutex_destroy(&l->mu);
		pthread_cond_destroy(&l->posted);
		pthread_cond_destroy(&l->finished);
	}
	free(l->text);
	free(l->off);
	free(l->src);
	free(l->in);
	free(l->fl.text);
	free(l->fl.off);
	free(l->fl.src);
	free(l->fl.in);
	l->text = NULL;
	l->off = NULL;
	l->src = NULL;
	l->in = NULL;
	memset(&l->fl, 0, sizeof l->fl);
}

static void load_free(struct load *l)
{
	load_batch_free(l);
	free(l->recs);
	free(l->id_off);
	free(l->ids);
	memset(l, 0, sizeof *l);
}

static int load(const char *path, struct load *l, unsigned threads)
{
	char err[512] = "";
	memset(l, 0, sizeof *l);
	l->threads = threads;
	l->off = malloc(LOAD_BATCH * sizeof *l->off);
	l->src = malloc(LOAD_BATCH);
	l->in = malloc(LOAD_BATCH * sizeof *l->in);
	if (threads > 1) {
		l->fl.off = malloc(LOAD_BATCH * sizeof *l->fl.off);
		l->fl.src = malloc(LOAD_BATCH);
		l->fl.in = malloc(LOAD_BATCH * sizeof *l->fl.in);
	}
	if (!l->off || !l->src || !l->in || (threads > 1 && (!l->fl.off || !l->fl.src || !l->fl.in))) {
		load_batch_free(l);
		fprintf(stderr, "safeguard link: out of memory\n");
		return -1;
	}
	atomic_init(&l->next, 0);
	if (threads > 1) {
		pthread_mutex_init(&l->mu, NULL);
		pthread_cond_init(&l->posted, NULL);
		pthread_cond_init(&l->finished, NULL);
		for (unsigned k = 1; k < threads && k <= 64; k++)
			if (pthread_create(&l->workers[l->nworkers], NULL, load_worker, l) == 0)
				l->nworkers++;
		if (!l->nworkers) {
			pthread_mutex_destroy(&l->mu);
			pthread_cond_destroy(&l->posted);
			pthread_cond_destroy(&l->finished);
		}
	}
	FILE *f = fopen(path, "rb");
	if (!f) {
		load_batch_free(l);
		fprintf(stderr, "safeguard link: cannot read %s\n", path);
		return -1;
	}
	int rc = records_csv_read(f, path, on_row, l, err, sizeof err);
	fclose(f);
	if (rc == 0)
		flush_batch(l);
	load_batch_free(l);
	if (rc != 0) {
		fprintf(stderr, "safeguard link: %s\n", err[0] ? err : "out of memory");
		load_free(l);
		return -1;
	}
	return 0;
}

static void bad_summary(const struct load *l)
{
	static const char *const what[5] = {"dates of birth that cannot be a date",
					    "NHS numbers with a wrong check digit or shape",
					    "UPNs with a wrong check letter or shape", "postcodes of a wrong shape",
					    "values of sex other than M, F, male, female or unknown"};
	for (int k = 0; k < 5; k++)
		if (l->bad[k])
			fprintf(stderr, "safeguard link: %lu %s (compared as likely typos, never trusted)\n", l->bad[k],
				what[k]);
}

/* The sources whose 1 January dates are estimates (linkage_drop_estimated_dobs), those dates dropped. */
static void estimates_summary(struct load *l)
{
	struct linkage_estimates e;
	size_t k = linkage_drop_estimated_dobs(l->recs, l->n, &e);
	if (!k)
		return;
	fprintf(stderr, "safeguard link: %zu dates of birth on 1 January compared as not written (estimates: their "
			"sources write 1 January far more often than birthdays fall on it):",
		k);
	for (unsigned s = 0; s <= LINKAGE_MAX_SOURCES; s++)
		if (e.dropped[s])
			fprintf(stderr, " %s %zu of %zu dates", s ? l->sources[s - 1] : "(no source)", e.jan1[s],
				e.dated[s]);
	fputc('\n', stderr);
}

/* The NHS numbers written from another child of the family (linkage_drop_wrong_ids), taken as not written. */
static void wrong_ids_summary(struct load *l, linkage_refuse_set refuse)
{
	struct linkage_wrong_ids w;
	if (!(refuse & LINKAGE_REFUSE_WRONG_ID))
		return;
	size_t k = linkage_drop_wrong_ids(l->recs, l->n, &w);
	if (!k)
		return;
	fprintf(stderr, "safeguard link: %zu NHS numbers compared as not written (another child's of the family, by "
			"the record's names and birthday):",
		k);
	for (unsigned s = 0; s <= LINKAGE_MAX_SOURCES; s++)
		if (w.dropped[s])
			fprintf(stderr, " %s %zu (of %zu shared numbers; another child's number %zu, name %zu, twins %zu%s)",
				s ? l->sources[s - 1] : "(no source)", w.dropped[s], w.grouped[s], w.number[s], w.name[s],
				w.twins[s], w.twins_dropped[s] ? " taken" : " kept");
	fputc('\n', stderr);
}

/* Temporary UPNs (ident_upn_temporary), compared with another UPN as not written (linkage_cmp_upn). */
static void temp_upns_summary(const struct load *l)
{
	size_t k = 0;
	for (size_t i = 0; i < l->n; i++)
		k += l->recs[i].upn_temp;
	if (k)
		fprintf(stderr, "safeguard link: %zu temporary UPNs (ending in a letter) compared with another UPN as not "
				"written\n",
			k);
}

/* ---- progress and stage times (the core reads no clock) ---- */

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* CPU seconds of the process (every thread): what a stage costs whatever else the machine is doing. */
static double cpu_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* CPU seconds of this thread, which does every serial step and its share of each parallel one: about the
 * wall time the run would take on idle cores, whatever the load. */
static double thread_cpu_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

#define NSTAGES 5
static const char *const stage_names[NSTAGES] = {"block", "compare", "train", "score", "cluster"};

struct progress {
	bool tty;
	int stage;
	double start[NSTAGES], end[NSTAGES], last_draw;
	double cpu_start[NSTAGES], cpu_end[NSTAGES];
	double th_start[NSTAGES], th_end[NSTAGES]; /* this thread's CPU (progress is called on it alone) */
};

static void on_progress(const char *stage, uint64_t done, uint64_t total, void *ctx)
{
	struct progress *p = ctx;
	int s = -1;
	for (int i = 0; i < NSTAGES; i++)
		if (strcmp(stage, stage_names[i]) == 0)
			s = i;
	if (s < 0)
		return;
	double t = now(), c = cpu_now(), th = thread_cpu_now();
	if (s != p->stage) {
		if (p->stage >= 0) {
			p->end[p->stage] = t;
			p->cpu_end[p->stage] = c;
			p->th_end[p->stage] = th;
		}
		if (p->start[s] == 0) {
			p->start[s] = t;
			p->cpu_start[s] = c;
			p->th_start[s] = th;
		}
		p->stage = s;
	}
	p->end[s] = t;
	p->cpu_end[s] = c;
	p->th_end[s] = th;
	if (p->tty && (t - p->last_draw > 0.1 || done == total)) {
		int width = 30, fill = total ? (int)((double)done / (double)total * width) : 0;
		fprintf(stderr, "\r%-8s [%.*s%*s] %3d%%", stage, fill, "##############################", width - fill, "",
			total ? (int)(100.0 * (double)done / (double)total) : 0);
		p->last_draw = t;
	}
}

static double stage_secs(const struct progress *p, const char *name)
{
	for (int i = 0; i < NSTAGES; i++)
		if (strcmp(stage_names[i], name) == 0 && p->start[i] > 0)
			return p->end[i] - p->start[i];
	return 0;
}

static double stage_cpu(const struct progress *p, int i)
{
	return p->start[i] > 0 ? p->cpu_end[i] - p->cpu_start[i] : 0;
}

static double stage_thread_cpu(const struct progress *p, int i)
{
	return p->start[i] > 0 ? p->th_end[i] - p->th_start[i] : 0;
}

/* ---- outputs ---- */

static void csv_field(FILE *f, const char *s)
{
	csv_fwrite(f, s, strlen(s));
}

static const char *id_of(const struct load *l, uint32_t i)
{
	return l->ids + l->id_off[i];
}

/* clusters.csv's rows are formatted in chunks on the threads, each chunk into a buffer of its own, and
 * written in order: at a million records formatting (libcsv's quoting, "%.6f") was 0.4 s on the calling
 * thread, the whole of the writing stage. The bytes are the ones fprintf and csv_fwrite wrote. */
#define WRITE_CHUNK 32768
#define WRITE_ROW_MAX (4 * RECORDS_CSV_FIELD_MAX + 64) /* two quoted ids (each byte doubled at worst) and a number */

struct wbuf {
	char *p;
	size_t len, cap;
	bool oom;
};

struct write_job {
	const struct load *l;
	const struct linkage_result *r;
	size_t nch;
	atomic_size_t next;
	struct wbuf *b; /* one per chunk */
};

static void format_chunk(struct write_job *j, size_t c)
{
	struct wbuf *b = &j->b[c];
	size_t hi = (c + 1) * WRITE_CHUNK < j->l->n ? (c + 1) * WRITE_CHUNK : j->l->n;
	for (size_t i = c * WRITE_CHUNK; i < hi; i++) {
		if (b->cap - b->len < WRITE_ROW_MAX) {
			size_t nc = b->cap ? b->cap * 2 : (size_t)WRITE_CHUNK * 48;
			char *np = realloc(b->p, nc);
			if (!np) {
				b->oom = true;
				return;
			}
			b->p = np;
			b->cap = nc;
		}
		const char *id = id_of(j->l, (uint32_t)i), *cid = id_of(j->l, j->r->cluster[i]);
		b->len += csv_write(b->p + b->len, b->cap - b->len, id, strlen(id));
		b->p[b->len++] = ',';
		b->len += csv_write(b->p + b->len, b->cap - b->len, cid, strlen(cid));
		b->len += (size_t)snprintf(b->p + b->len, b->cap - b->len, ",%.6f\n", (double)j->r->probability[i]);
	}
}

static void *format_worker(void *arg)
{
	struct write_job *j = arg;
	for (size_t c; (c = atomic_fetch_add(&j->next, 1)) < j->nch;)
		format_chunk(j, c);
	return NULL;
}

static int write_clusters(const char *path, const struct load *l, const struct linkage_result *r, unsigned threads)
{
	struct cli_tmp t;
	struct write_job j = {.l = l, .r = r, .nch = (l->n + WRITE_CHUNK - 1) / WRITE_CHUNK};
	pthread_t tid[64];
	unsigned started = 0;
	bool ok = true;
	atomic_init(&j.next, 0);
	j.b = calloc(j.nch ? j.nch : 1, sizeof *j.b);
	if (!j.b) {
		fprintf(stderr, "safeguard link: out of memory\n");
		return -1;
	}
	for (unsigned k = 1; k < threads && k < 64; k++)
		if (pthread_create(&tid[started], NULL, format_worker, &j) == 0)
			started++;
	format_worker(&j);
	for (unsigned k = 0; k < started; k++)
		pthread_join(tid[k], NULL);
	for (size_t c = 0; c < j.nch; c++)
		ok = ok && !j.b[c].oom;
	if (!ok || cli_tmp_open(&t, path) != 0) {
		if (!ok)
			fprintf(stderr, "safeguard link: out of memory\n");
		for (size_t c = 0; c < j.nch; c++)
			free(j.b[c].p);
		free(j.b);
		return -1;
	}
	fputs("record_id,cluster_id,match_probability\n", t.f);
	for (size_t c = 0; c < j.nch; c++) {
		if (j.b[c].len)
			fwrite(j.b[c].p, 1, j.b[c].len, t.f);
		free(j.b[c].p);
	}
	free(j.b);
	return cli_tmp_commit(&t, true);
}

static int write_pairs(const char *path, const struct load *l, const struct linkage_model *m,
		       const struct linkage_result *r)
{
	struct cli_tmp t;
	if (cli_tmp_open(&t, path) != 0)
		return -1;
	fputs("record_id_a,record_id_b,match_weight,match_probability,decision,not_linked_because,blocking_rules", t.f);
	for (unsigned f = 0; f < LF_NFIELD; f++)
		fprintf(t.f, ",%s_level,%s_weight", linkage_field_name[f], linkage_field_name[f]);
	fputs(",prior_weight\n", t.f);
	for (size_t i = 0; i < r->npairs; i++) {
		const struct linkage_pair *p = &r->pairs[i];
		struct linkage_score s;
		linkage_score(m, &l->recs[p->a], &l->recs[p->b], &s);
		csv_field(t.f, id_of(l, p->a));
		fputc(',', t.f);
		csv_field(t.f, id_of(l, p->b));
		static const char *const dec[] = {"distinct", "review", "link"};
		fprintf(t.f, ",%.4f,%.6f,%s,%s,", s.weight, s.probability, dec[s.decision], s.cannot_link ? s.cannot_link : "");
		unsigned rules = linkage_pair_rules(p);
		bool first = true;
		for (unsigned k = 0; k < LR_NRULES; k++)
			if (rules & (1u << k)) {
				fprintf(t.f, "%s%s", first ? "" : "|", linkage_rule_name[k]);
				first = false;
			}
		for (unsigned f = 0; f < LF_NFIELD; f++)
			fprintf(t.f, ",%s,%.4f", linkage_level_name(f, linkage_gamma_level(s.gamma, (enum linkage_field)f)),
				s.contribution[f]);
		fprintf(t.f, ",%.4f\n", s.prior);
	}
	return cli_tmp_commit(&t, true);
}

static int write_model(const char *path, const struct linkage_model *m, const struct linkage_tf *tf)
{
	struct cli_tmp t;
	char err[256];
	if (cli_tmp_open(&t, path) != 0)
		return -1;
	if (linkage_model_write(t.f, m, tf, err, sizeof err) != 0) {
		fprintf(stderr, "safeguard link: %s: %s\n", path, err);
		cli_tmp_commit(&t, false);
		return -1;
	}
	return cli_tmp_commit(&t, true);
}

/* ---- the commands ---- */

static void usage(FILE *f)
{
	fprintf(f,
		"usage: safeguard link dedupe --in RECORDS.csv --out CLUSTERS.csv [--model MODEL.json] [--pairs PAIRS.csv]\n"
		"                             [--threads N] [--link P] [--review P] [--refuse LIST] [--by-source]\n"
		"       safeguard link train --in RECORDS.csv --model MODEL.json [--threads N]\n"
		"       safeguard link train --db URL [--threads N]   (the service's own model, from its store)\n"
		"       safeguard link reviews --db URL [--child ID] [--open] [--limit N] [--json]   (its review tasks)\n"
		"       safeguard link merges --db URL --child ID [--limit N] [--json]   (a child's merges, undone or not)\n"
		"       safeguard link model --db URL [--json]   (the model intake scores with)\n\n"
		"Finds the records about the same child (docs/LINKAGE.md). RECORDS.csv has a header row naming, in any\n"
		"order (other columns are ignored, any value may be empty): record_id,source,given_name,middle_names,\n"
		"family_name,dob,sex,postcode,address,nhs_number,upn; dob as YYYY-MM-DD or DD/MM/YYYY.\n\n"
		"  train   fits the model on the records and writes it as JSON (m and u per field and level, prior,\n"
		"          thresholds, name frequencies)\n"
		"  dedupe  writes record_id,cluster_id,match_probability, one row per input record: cluster_id is the\n"
		"          record_id of the cluster's first record; match_probability is the highest probability of a\n"
		"          link that joined the record to its cluster (0 for a record alone). Without --model it\n"
		"          trains on its input first. --pairs writes every scored candidate pair with each field's\n"
		"          level and weight. --link and --review set the two thresholds (defaults 0.99 and 0.5).\n"
		"          --refuse changes the rules that refuse a merge whatever its weight (for measuring them):\n"
		"          a comma-separated list of sex, twins, given, dob, names, possible_twins, ambiguous,\n"
		"          sex_cluster, own_ids, twin_odds, weak, stray, id_asym, transposed, name_order, stray_name,\n"
		"          birthdays, own_name, thin_bound, id_u (not a refusal: how training counts u of a valid\n"
		"          identifier's equal level), block_u (not a refusal: each rule's EM reads u inside its own\n"
		"          blocks), name_pairs, read_across, lone_middle (not a refusal: a record alone joins the\n"
		"          component holding its given name as a middle name), age_dates (a refusal lifted: birthdays\n"
		"          a year apart or less, one from a source that writes dates from an age, refuse neither by dob\n"
		"          (given names equal) nor by birthdays), wrong_id (not a refusal: an NHS number taken as not\n"
		"          written where the record's names and birthday say another child's), lone_reach (a refusal\n"
		"          lifted: a lone record without an identifier whose pairs reach one identified child only,\n"
		"          judged beside it at the twin-like links' odds), twin_names (after clustering: a cluster's few\n"
		"          records written with its twin's name, without an identifier, leave it as the input's twins'\n"
		"          records say), as_heard (refusals narrowed: a twins edge gives way where a component holds a\n"
		"          spelling of the other side's name; lone_reach sets aside a pair with another child that the\n"
		"          link outweighs by its odds, or with a second record like the lone one), spelt_piece (a refusal\n"
		"          lifted: own_ids gives way where one side's records share no given name and carry no name\n"
		"          children are known by), even_twins (a record without an identifier whose\n"
		"          given name, middle names and sex say no more of its component than of a twin's that refuses it\n"
		"          is held for review), absent_id (a refusal lifted: own_ids gives way between an NHS number only\n"
		"          and a UPN only where neither side pairs with a second child's number of the scheme it lacks and\n"
		"          the input's coverage of the two schemes makes that absence the link's odds of one child),\n"
		"          each added or (with a leading -) taken away from the default set (all but\n"
		"          sex_cluster, twin_odds and block_u), or none or all.\n"
		"          --by-source also fits m per pair of sources (the source column) where the input holds\n"
		"          enough matches of them, shrunk towards the pooled m (measured: it does not pay; off).\n"
		"Values that cannot be right (impossible dates, wrong check digits) are counted on stderr, not errors.\n"
		"A progress bar is drawn on stderr when it is a terminal.\n");
}

/* --refuse: a comma-separated list applied in order to the default set (LINKAGE_REFUSE_DEFAULT): NAME adds a
 * refusal, -NAME takes it away, "none" and "all" clear and fill the set (linkage_refuse_parse). Names:
 * linkage.h LINKAGE_REFUSE_*, one for each bit in bit order. */
static const char *const refuse_names[] = {"sex", "twins", "given", "dob", "names", "possible_twins", "ambiguous",
					   "sex_cluster", "own_ids", "twin_odds", "weak", "stray", "id_asym",
					   "transposed", "name_order", "stray_name", "birthdays", "own_name",
					   "thin_bound", "id_u", "block_u", "name_pairs", "read_across",
					   "lone_middle", "age_dates", "wrong_id", "lone_reach", "twin_names",
					   "as_heard", "spelt_piece", "even_twins", "absent_id"};
#define NREFUSE (sizeof refuse_names / sizeof refuse_names[0])
/* one name for each bit of LINKAGE_REFUSE_ALL, in bit order: a rule added there without its name here fails
 * (the set is 64 bits wide: linkage.h) */
_Static_assert(NREFUSE >= 1 && NREFUSE <= 64 && LINKAGE_REFUSE_FIRST(NREFUSE) == LINKAGE_REFUSE_ALL,
	       "refuse_names[] names each bit of LINKAGE_REFUSE_ALL");

static int parse_prob(const char *s, double *out)
{
	char *end = NULL;
	double d = strtod(s, &end);
	if (!*s || *end || !(d > 0.0 && d < 1.0))
		return -1;
	*out = d;
	return 0;
}

/* glibc raises its mmap threshold to the size of each large block freed (up to 32 MiB): after the reading's
 * buffers go, the chunks' arrays of blocking and scoring come from heaps that keep what they touched, and a
 * million records' peak grew by about 30 MiB for it (docs/BENCHMARKS.md, r-linkspeed21). A fixed
 * threshold (glibc's default) keeps large arrays mapped and given back whole when freed. */
static void link_malloc_settings(void)
{
#ifdef __GLIBC__
	mallopt(M_MMAP_THRESHOLD, 128 * 1024);
#endif
}

int cmd_link_train_db(int argc, char **argv); /* cmd_link_train.c */

int cmd_link(int argc, char **argv)
{
	static const struct option opts[] = {{"in", required_argument, NULL, 'i'},
					     {"out", required_argument, NULL, 'o'},
					     {"model", required_argument, NULL, 'm'},
					     {"pairs", required_argument, NULL, 'p'},
					     {"threads", required_argument, NULL, 't'},
					     {"link", required_argument, NULL, 'l'},
					     {"review", required_argument, NULL, 'r'},
					     {"refuse", required_argument, NULL, 'R'},
					     {"by-source", no_argument, NULL, 'S'},
					     {"help", no_argument, NULL, 'h'},
					     {NULL, 0, NULL, 0}};
	const char *in = NULL, *out = NULL, *model_path = NULL, *pairs_path = NULL;
	double link_p = 0, review_p = 0;
	const char *refuse_spec = NULL;
	bool by_source = false;
	unsigned threads = cli_cores(64);
	int c, rc = 1;
	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	if (strcmp(argv[1], "reviews") == 0)
		return cli_link_reviews(argc - 1, argv + 1);
	if (strcmp(argv[1], "merges") == 0)
		return cli_link_merges(argc - 1, argv + 1);
	if (strcmp(argv[1], "model") == 0)
		return cli_link_model(argc - 1, argv + 1);
	bool train_cmd = strcmp(argv[1], "train") == 0;
	for (int i = 2; train_cmd && i < argc; i++)
		if (strcmp(argv[i], "--db") == 0 || strncmp(argv[i], "--db=", 5) == 0)
			return cmd_link_train_db(argc - 1, argv + 1); /* the service's own model */
	if (!train_cmd && strcmp(argv[1], "dedupe") != 0) {
		fprintf(stderr, "safeguard link: '%.32s' is not train, dedupe, reviews or model\n", argv[1]);
		usage(stderr);
		return 2;
	}
	link_malloc_settings();
	argc--;
	argv++;
	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'i': in = optarg; break;
		case 'o': out = optarg; break;
		case 'm': model_path = optarg; break;
		case 'p': pairs_path = optarg; break;
		case 't': {
			char *end = NULL;
			long v = strtol(optarg, &end, 10);
			if (!*optarg || *end || v < 1 || v > 64) {
				fprintf(stderr, "safeguard link: --threads must be 1 to 64\n");
				return 2;
			}
			threads = (unsigned)v;
			break;
		}
		case 'l':
		case 'r':
			if (parse_prob(optarg, c == 'l' ? &link_p : &review_p) != 0) {
				fprintf(stderr, "safeguard link: --%s must be a probability between 0 and 1\n",
					c == 'l' ? "link" : "review");
				return 2;
			}
			break;
		case 'R': refuse_spec = optarg; break;
		case 'S': by_source = true; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind < argc || !in || (train_cmd && (!model_path || out || pairs_path)) || (!train_cmd && !out)) {
		fprintf(stderr, "safeguard link: %s\n",
			optind < argc ? "unexpected argument"
			: !in	      ? "--in is required"
			: train_cmd   ? "train needs --model and takes neither --out nor --pairs"
				      : "--out is required");
		return 2;
	}

	struct load l;
	struct linkage_model model;
	struct linkage_tf *tf = NULL;
	struct linkage_result res;
	struct progress prog = {.tty = isatty(2) == 1, .stage = -1};
	memset(&res, 0, sizeof res);
	linkage_model_defaults(&model);
	bool trained_here = train_cmd || !model_path;
	if (!trained_here) {
		char err[512];
		if (linkage_model_read(model_path, &model, NULL, err, sizeof err) != 0) {
			fprintf(stderr, "safeguard link: %s\n", err);
			return 1;
		}
	}
	size_t bad = 0;
	if (refuse_spec && linkage_refuse_parse(refuse_spec, refuse_names, NREFUSE, &model.refuse, &bad) != 0) {
		fprintf(stderr, "safeguard link: --refuse: \"%.*s\" is not a rule; it takes a list of",
			(int)strcspn(refuse_spec + bad, ","), refuse_spec + bad);
		for (size_t k = 0; k < NREFUSE; k++)
			fprintf(stderr, "%s %s", k ? "," : "", refuse_names[k]);
		fprintf(stderr, " (each may start with -), none or all\n");
		return 2;
	}
	if (link_p > 0)
		model.link_threshold = link_p;
	if (review_p > 0)
		model.review_threshold = review_p;
	if (model.review_threshold > model.link_threshold) {
		fprintf(stderr, "safeguard link: the review threshold is above the link threshold\n");
		return 2;
	}
	double t0 = now(), c0 = cpu_now(), m0 = thread_cpu_now();
	if (load(in, &l, threads) != 0)
		return 1;
	double t_read = now() - t0, c_read = cpu_now() - c0, m_read = thread_cpu_now() - m0;
	bad_summary(&l);
	estimates_summary(&l);
	wrong_ids_summary(&l, model.refuse);
	temp_upns_summary(&l);
	/* Names' frequencies come from the records being linked: how common "Khan" is here is what matters. */
	if (!(tf = linkage_tf_build(l.recs, l.n))) {
		fprintf(stderr, "safeguard link: out of memory\n");
		goto out;
	}
	linkage_tf_apply(tf, l.recs, l.n);
	struct linkage_opts o = {.threads = threads,
				 .train = trained_here,
				 .train_only = train_cmd,
				 .keep_pairs = pairs_path != NULL,
				 .by_source = by_source,
				 .seed = 1,
				 .progress = on_progress,
				 .progress_ctx = &prog};
	if (linkage_dedupe(l.recs, l.n, &model, &o, &res) != 0) {
		if (prog.tty)
			fputc('\n', stderr);
		fprintf(stderr, "safeguard link: out of memory\n");
		goto out;
	}
	if (prog.tty)
		fprintf(stderr, "\r%60s\r", "");
	if (train_cmd) {
		if (write_model(model_path, &model, tf) != 0)
			goto out;
		fprintf(stderr, "safeguard link: trained on %zu records and %llu candidate pairs; wrote %s\n", l.n,
			(unsigned long long)model.trained_pairs, model_path);
		rc = 0;
		goto out;
	}
	double t_w0 = now(), c_w0 = cpu_now(), m_w0 = thread_cpu_now();
	prog.end[prog.stage] = t_w0;
	prog.cpu_end[prog.stage] = c_w0;
	prog.th_end[prog.stage] = m_w0;
	if (write_clusters(out, &l, &res, threads) != 0)
		goto out;
	if (pairs_path && write_pairs(pairs_path, &l, &model, &res) != 0)
		goto out;
	double t_write = now() - t_w0, c_write = cpu_now() - c_w0, m_write = thread_cpu_now() - m_w0;
	double score_s = stage_secs(&prog, "compare") + stage_secs(&prog, "score");
	fprintf(stderr,
		"safeguard link: %zu records read in %.2f s; %llu candidate pairs compared and scored in %.2f s "
		"(%.0f pairs/s per core, %u threads); %llu links, %llu refused (cannot-link), %llu for review; "
		"%llu clusters; %.2f s in all\n",
		l.n, t_read, (unsigned long long)res.candidate_pairs, score_s,
		score_s > 0 ? (double)res.candidate_pairs / score_s / threads : 0.0, threads,
		(unsigned long long)res.links, (unsigned long long)res.refused_links, (unsigned long long)res.reviews,
		(unsigned long long)res.clusters, now() - t0);
	fprintf(stderr, "safeguard link: seconds by stage:");
	for (int k = 0; k < NSTAGES; k++)
		fprintf(stderr, " %s %.2f%s", stage_names[k], stage_secs(&prog, stage_names[k]), k + 1 < NSTAGES ? ";" : "");
	fprintf(stderr, "; writing %.2f\n", t_write);
	fprintf(stderr, "safeguard link: CPU seconds by stage (all threads): read %.2f;", c_read);
	for (int k = 0; k < NSTAGES; k++)
		fprintf(stderr, " %s %.2f;", stage_names[k], stage_cpu(&prog, k));
	fprintf(stderr, " writing %.2f; in all %.2f; of them this thread (about the wall on idle cores): read %.2f,",
		c_write, cpu_now() - c0, m_read);
	for (int k = 0; k < NSTAGES; k++)
		fprintf(stderr, " %s %.2f,", stage_names[k], stage_thread_cpu(&prog, k));
	fprintf(stderr, " writing %.2f, in all %.2f\n", m_write, thread_cpu_now() - m0);
	if (model.refuse & LINKAGE_REFUSE_TWIN_NAMES) {
		const struct linkage_twin_names *tw = &res.twin_names;
		fprintf(stderr,
			"safeguard link: twin_names: %llu twin pairs named apart, their identified records written with "
			"their own name %llu, with the twin's %llu (ratio %.1f); records of a twin's name in the other "
			"twin's cluster moved to hers %llu, held apart %llu\n",
			(unsigned long long)tw->pairs, (unsigned long long)tw->own, (unsigned long long)tw->twins, tw->ratio,
			(unsigned long long)tw->joined, (unsigned long long)tw->held);
	}
	if (model.refuse & LINKAGE_REFUSE_ABSENT_ID) {
		const struct linkage_absent_id *ab = &res.absent_id;
		fprintf(stderr,
			"safeguard link: absent_id: children known by a UPN %llu, of them holding or pairing with an NHS "
			"number %llu; by an NHS number %llu, with a UPN %llu; one child's odds from both absent %.1f\n",
			(unsigned long long)ab->upn_children, (unsigned long long)ab->upn_with_nhs,
			(unsigned long long)ab->nhs_children, (unsigned long long)ab->nhs_with_upn, ab->ratio);
	}
	fprintf(stderr, "safeguard link: pairs by blocking rule:");
	for (unsigned k = 0; k < LR_NRULES; k++)
		fprintf(stderr, " %s %llu%s", linkage_rule_name[k], (unsigned long long)res.rule_pairs[k],
			k + 1 < LR_NRULES ? ";" : "\n");
	if (model.by_source) {
		unsigned own = 0;
		for (unsigned sp = 0; sp < LINKAGE_SOURCE_PAIRS; sp++)
			own += model.by_source->own[sp];
		fprintf(stderr, "safeguard link: learned: m of their own for %u pairs of the %u sources%s\n", own,
			l.nsources, l.unnumbered ? " (records of further sources use the pooled m)" : "");
	}
	fprintf(stderr, "safeguard link: learned: prior %.3g; twins per child by given-name level:", model.lambda);
	for (unsigned lv = LN_VARIANT; lv <= LN_ELSE; lv++)
		fprintf(stderr, " %s %.2g (one child's records split 1, 2, 3: %.2g %.2g %.2g)",
			linkage_level_name(LF_GIVEN, lv), model.twin_rate[0][lv], model.split_rate[0][lv][1],
			model.split_rate[0][lv][2], model.split_rate[0][lv][3]);
	fprintf(stderr, " (names in use; others in the model)\n");
	if (model.twin_middle[LM_EXACT] > 0)
		fprintf(stderr, "safeguard link: learned: middle names of twins' records exact %.2g partial %.2g else %.2g (one "
				"child's: %.2g %.2g %.2g)\n", model.twin_middle[LM_EXACT], model.twin_middle[LM_PARTIAL],
			model.twin_middle[LM_ELSE], model.m[LF_MIDDLE][LM_EXACT], model.m[LF_MIDDLE][LM_PARTIAL],
			model.m[LF_MIDDLE][LM_ELSE]);
	if (res.capped_blocks)
		fprintf(stderr, "safeguard link: %llu blocks too large to compare were skipped (%llu records in them)\n",
			(unsigned long long)res.capped_blocks, (unsigned long long)res.capped_records);
	rc = 0;
out:
	linkage_result_free(&res);
	linkage_model_release(&model);
	linkage_tf_free(tf);
	load_free(&l);
	return rc;
}
