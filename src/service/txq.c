#include "service/txq.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

struct txq {
	store *st;
	store_conn *conn;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	struct txq_job *head, *tail;
	bool stopping, stopped;
	/* Batches committed (or failed), their jobs' done() still to call: by the completer thread, so that the
	 * writer starts its next batch at once (issue 17: waking each request, an eventfd write apiece, was 3% of
	 * the SQLite intake writer). Guarded by lock. */
	pthread_t completer;
	pthread_cond_t done_wake;
	struct txq_job *done_head, *done_tail;
	bool writer_gone; /* the writer has stopped: the completer ends once done_head is empty */
	unsigned long long jobs, batches;
	unsigned long long statements, round_trips; /* the writer's connection's counters, summed over batches */
	double cpu_seconds, busy_seconds, commit_seconds;
	double last_commit; /* run_batch's COMMIT, for the writer's sums */
	double commit_at;   /* and when it was sent (0: none was) */
	/* batches still to run with a savepoint a job after an optimistic pass failed: a feed that keeps sending a
	 * record the store refuses would otherwise make every batch it lands in run twice */
	int careful;
	/* SAFEGUARD_TXQ_TRACE (a developer's switch, read once at start): a line a batch on stderr, its start
	 * (CLOCK_MONOTONIC), jobs, wall, CPU and COMMIT. Counts and times only: nothing personal. */
	bool trace;
	/* Jobs queued by txq_submit_unwaited whose done() has not yet been called (taken off just before it, so a
	 * caller that saw a later job done sees the room); and those it refused for the bound since its last line on
	 * stderr, and when that was (CLOCK_MONOTONIC; 0 none): a line a minute at most, not one a request (guarded by
	 * lock). */
	atomic_size_t unwaited;
	unsigned long long unwaited_refused;
	double unwaited_logged_at;
};

/* After an optimistic pass fails, this many batches run job by job under savepoints before the next try. */
#define TXQ_CAREFUL_BATCHES 16

static double seconds(clockid_t clock)
{
	struct timespec t;
	clock_gettime(clock, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static bool replayable(const struct txq_job *batch)
{
	for (const struct txq_job *j = batch; j; j = j->next)
		if (!j->replayable)
			return false;
	return true;
}

/* Each `ahead` named in the batch, once, with the jobs that name it (txq.h). */
static int run_ahead(txq *q, struct txq_job *batch)
{
	struct txq_job *same[TXQ_BATCH_MAX];
	for (struct txq_job *j = batch; j; j = j->next) {
		if (!j->ahead)
			continue;
		const struct txq_job *k = batch;
		while (k != j && k->ahead != j->ahead)
			k = k->next;
		if (k != j) /* asked already, with the first job that names it */
			continue;
		int n = 0;
		for (struct txq_job *m = j; m && n < TXQ_BATCH_MAX; m = m->next)
			if (m->ahead == j->ahead)
				same[n++] = m;
		int rc = j->ahead(q->conn, same, n);
		if (rc < 0)
			return rc;
	}
	return STORE_OK;
}

/* Every job of the batch in the open transaction, none under a savepoint, then COMMIT: STORE_OK when all ran
 * and the commit is durable, else the first failure (the transaction left for the caller to roll back). */
static int run_optimistic(txq *q, struct txq_job *batch)
{
	int ahead = run_ahead(q, batch);
	if (ahead < 0)
		return ahead;
	for (struct txq_job *j = batch; j; j = j->next)
		if ((j->rc = j->run(q->conn, j->arg)) < 0)
			return j->rc;
	double t0 = q->commit_at = seconds(CLOCK_MONOTONIC);
	int rc = store_commit(q->conn);
	q->last_commit = seconds(CLOCK_MONOTONIC) - t0;
	return rc;
}

/* Runs one batch in one transaction; sets each job's rc.
 * A connection found lost (the database server died or failed over: STORE_EUNAVAIL) is handed back, which
 * closes it, and another is opened for the next batch (with a multi-host URL, on whichever server is now
 * the primary); so is one lost while its COMMIT was on the way (STORE_EUNKNOWN). The batch it cut off is not
 * retried here: its jobs are answered STORE_EUNAVAIL or STORE_EUNKNOWN (the API's
 * 503 with Retry-After), because the commit of a cut-off transaction may or may not have happened and
 * only the caller knows whether sending again is safe (intake is: by agency and source_ref). */
static void run_batch(txq *q, struct txq_job *batch)
{
	if (!q->conn && !(q->conn = store_conn_get(q->st))) {
		for (struct txq_job *j = batch; j; j = j->next)
			j->rc = STORE_EUNAVAIL;
		return;
	}
	int rc = store_begin(q->conn);
	if (rc == STORE_EUNAVAIL) {
		/* Lost before any job ran (a connection kept from before a failover): nothing was sent for these
		 * jobs, so they are safe to run on a new connection, once. */
		store_conn_put(q->st, q->conn);
		if (!(q->conn = store_conn_get(q->st))) {
			for (struct txq_job *j = batch; j; j = j->next)
				j->rc = STORE_EUNAVAIL;
			return;
		}
		rc = store_begin(q->conn);
	}
	bool optimistic = rc == STORE_OK && q->careful == 0 && replayable(batch);
	if (q->careful > 0)
		q->careful--;
	if (optimistic) {
		/* Optimistic: no savepoint a job (issue 17: on PostgreSQL a job's SAVEPOINT and RELEASE were two of
		 * its 13 statements, the RELEASE one of its 7 round trips, and each job a subtransaction of its own).
		 * Should a job refuse or a write fail (a deferred write's failure may reach a later job's statement),
		 * which job it was is not known: everything is rolled back and the batch runs again below, each job
		 * under its savepoint, as if this pass had not happened. A lost connection is not run again. */
		rc = run_optimistic(q, batch);
		if (rc == STORE_OK)
			return;
		q->careful = TXQ_CAREFUL_BATCHES;
		if (rc != STORE_EUNAVAIL && rc != STORE_EUNKNOWN) {
			rc = store_rollback(q->conn);
			if (rc == STORE_OK)
				rc = store_begin(q->conn);
		}
	}
	if (rc == STORE_OK) {
		for (struct txq_job *j = batch; j; j = j->next) {
			if ((rc = store_savepoint(q->conn)) != STORE_OK)
				break;
			j->rc = j->run(q->conn, j->arg);
			if (j->rc < 0) {
				rc = store_savepoint_rollback(q->conn);
			} else if ((rc = store_savepoint_release(q->conn)) != STORE_OK && rc != STORE_EUNAVAIL) {
				/* A write the driver sent without waiting failed (PostgreSQL's pipeline, store/drv_pg.c:
				 * its failure arrives with the release at the latest): this job fails alone. */
				j->rc = rc;
				rc = store_savepoint_rollback(q->conn);
			}
			if (rc != STORE_OK)
				break;
		}
		if (rc == STORE_OK) {
			double t0 = q->commit_at = seconds(CLOCK_MONOTONIC);
			rc = store_commit(q->conn);
			q->last_commit = seconds(CLOCK_MONOTONIC) - t0;
		}
	}
	if (rc != STORE_OK) {
		/* For the operator: the database's words (never personal data: values are bound, not quoted). */
		fprintf(stderr, "safeguard: a batch of writes failed (store error %d): %s\n", rc,
			store_conn_errmsg(q->conn));
		store_rollback(q->conn);
		for (struct txq_job *j = batch; j; j = j->next)
			j->rc = rc < 0 ? rc : STORE_EIO;
		if (rc == STORE_EUNAVAIL || rc == STORE_EUNKNOWN) { /* lost (before or during COMMIT): closed by the
								      * pool; the next batch connects again */
			store_conn_put(q->st, q->conn);
			q->conn = NULL;
		}
	}
}

/* Calls each job's done(), in order. */
static void complete(txq *q, struct txq_job *batch)
{
	while (batch) {
		struct txq_job *next = batch->next; /* done() may free the job */
		batch->next = NULL;
		if (batch->unwaited)
			atomic_fetch_sub(&q->unwaited, 1);
		if (batch->done)
			batch->done(batch);
		batch = next;
	}
}

static void *writer(void *arg)
{
	txq *q = arg;
	pthread_mutex_lock(&q->lock);
	for (;;) {
		while (!q->head && !q->stopping)
			pthread_cond_wait(&q->wake, &q->lock);
		if (!q->head && q->stopping)
			break;
		/* Take up to TXQ_BATCH_MAX jobs off the front. */
		struct txq_job *batch = q->head, *last = q->head;
		int n = 1;
		while (last->next && n < TXQ_BATCH_MAX) {
			last = last->next;
			n++;
		}
		q->head = last->next;
		if (!q->head)
			q->tail = NULL;
		last->next = NULL;
		pthread_mutex_unlock(&q->lock);

		uint64_t st0 = 0, rt0 = 0, st1 = 0, rt1 = 0;
		store_conn *c0 = q->conn;
		if (c0)
			store_conn_counters(c0, &st0, &rt0);
		double cpu0 = seconds(CLOCK_THREAD_CPUTIME_ID), wall0 = seconds(CLOCK_MONOTONIC);
		q->last_commit = q->commit_at = 0;
		run_batch(q, batch);
		double cpu = seconds(CLOCK_THREAD_CPUTIME_ID) - cpu0, wall = seconds(CLOCK_MONOTONIC) - wall0;
		for (struct txq_job *j = batch; j; j = j->next) {
			j->batch_at = wall0;
			j->commit_at = q->commit_at;
			j->batch_end_at = wall0 + wall;
		}
		if (c0 && q->conn == c0) /* not counted when the connection was lost and replaced */
			store_conn_counters(c0, &st1, &rt1);
		else
			st1 = st0, rt1 = rt0;
		if (q->trace)
			fprintf(stderr, "txq-trace: at=%.6f jobs=%d wall=%.0f cpu=%.0f commit=%.0f statements=%llu\n", wall0,
				n, wall * 1e6, cpu * 1e6, q->last_commit * 1e6, (unsigned long long)(st1 - st0));
		pthread_mutex_lock(&q->lock); /* counted before completion: a caller that saw its job done sees it counted */
		q->jobs += (unsigned long long)n;
		q->batches++;
		q->statements += st1 - st0;
		q->round_trips += rt1 - rt0;
		q->cpu_seconds += cpu;
		q->busy_seconds += wall;
		q->commit_seconds += q->last_commit;
		/* handed to the completer, in order: each done() after its batch's COMMIT, as before */
		if (q->done_tail)
			q->done_tail->next = batch;
		else
			q->done_head = batch;
		q->done_tail = last;
		pthread_cond_signal(&q->done_wake);
	}
	q->stopped = true;
	pthread_mutex_unlock(&q->lock);
	return NULL;
}

static void *completer(void *arg)
{
	txq *q = arg;
	pthread_mutex_lock(&q->lock);
	for (;;) {
		while (!q->done_head && !q->writer_gone)
			pthread_cond_wait(&q->done_wake, &q->lock);
		if (!q->done_head)
			break;
		struct txq_job *jobs = q->done_head;
		q->done_head = q->done_tail = NULL;
		pthread_mutex_unlock(&q->lock);
		complete(q, jobs);
		pthread_mutex_lock(&q->lock);
	}
	pthread_mutex_unlock(&q->lock);
	return NULL;
}

int txq_start(store *st, txq **out)
{
	txq *q = calloc(1, sizeof *q);
	*out = NULL;
	if (!q)
		return STORE_EIO;
	q->st = st;
	atomic_init(&q->unwaited, 0);
	q->trace = getenv("SAFEGUARD_TXQ_TRACE") != NULL;
	if (!(q->conn = store_conn_get(st))) {
		free(q);
		return STORE_EIO;
	}
	pthread_mutex_init(&q->lock, NULL);
	pthread_cond_init(&q->wake, NULL);
	pthread_cond_init(&q->done_wake, NULL);
	if (pthread_create(&q->completer, NULL, completer, q) != 0) {
		store_conn_put(st, q->conn);
		pthread_cond_destroy(&q->done_wake);
		pthread_cond_destroy(&q->wake);
		pthread_mutex_destroy(&q->lock);
		free(q);
		return STORE_EIO;
	}
	if (pthread_create(&q->thread, NULL, writer, q) != 0) {
		pthread_mutex_lock(&q->lock);
		q->writer_gone = true;
		pthread_cond_signal(&q->done_wake);
		pthread_mutex_unlock(&q->lock);
		pthread_join(q->completer, NULL);
		store_conn_put(st, q->conn);
		pthread_cond_destroy(&q->done_wake);
		pthread_cond_destroy(&q->wake);
		pthread_mutex_destroy(&q->lock);
		free(q);
		return STORE_EIO;
	}
	*out = q;
	return STORE_OK;
}

void txq_stop(txq *q)
{
	if (!q)
		return;
	pthread_mutex_lock(&q->lock);
	if (q->stopped) {
		pthread_mutex_unlock(&q->lock);
		return;
	}
	q->stopping = true;
	pthread_cond_signal(&q->wake);
	pthread_mutex_unlock(&q->lock);
	pthread_join(q->thread, NULL);
	pthread_mutex_lock(&q->lock); /* and every batch it ran completed */
	q->writer_gone = true;
	pthread_cond_signal(&q->done_wake);
	pthread_mutex_unlock(&q->lock);
	pthread_join(q->completer, NULL);
	store_conn_put(q->st, q->conn);
	q->conn = NULL;
}

void txq_free(txq *q)
{
	if (!q)
		return;
	pthread_cond_destroy(&q->done_wake);
	pthread_cond_destroy(&q->wake);
	pthread_mutex_destroy(&q->lock);
	free(q);
}

/* Queues job, the lock held and the queue not stopped. */
static void enqueue_locked(txq *q, struct txq_job *job)
{
	job->next = NULL;
	if (q->tail)
		q->tail->next = job;
	else
		q->head = job;
	q->tail = job;
	pthread_cond_signal(&q->wake);
}

/* Both submissions start here: the queue's lock taken, or, once the queue has stopped, the job answered STORE_EIO
 * and false (the lock released). */
static bool submit_lock(txq *q, struct txq_job *job)
{
	job->unwaited = false;
	pthread_mutex_lock(&q->lock);
	if (!q->stopped)
		return true;
	pthread_mutex_unlock(&q->lock);
	job->rc = STORE_EIO;
	if (job->done)
		job->done(job);
	return false;
}

void txq_submit(txq *q, struct txq_job *job)
{
	if (!submit_lock(q, job))
		return;
	enqueue_locked(q, job);
	pthread_mutex_unlock(&q->lock);
}

int txq_submit_unwaited(txq *q, struct txq_job *job, size_t max)
{
	if (!submit_lock(q, job))
		return 0;
	if (atomic_load(&q->unwaited) >= max) {
		unsigned long long refused = ++q->unwaited_refused;
		double now = seconds(CLOCK_MONOTONIC);
		bool log = q->unwaited_logged_at == 0 || now - q->unwaited_logged_at >= 60;
		if (log) {
			q->unwaited_logged_at = now;
			q->unwaited_refused = 0;
		}
		pthread_mutex_unlock(&q->lock);
		if (log)
			fprintf(stderr, "safeguard: %zu answered requests' writes wait for the writer: %llu more answered busy "
					"(a line a minute at most)\n", max, refused);
		return -1;
	}
	atomic_fetch_add(&q->unwaited, 1); /* under the lock: no two submissions pass the bound together */
	job->unwaited = true;
	enqueue_locked(q, job);
	pthread_mutex_unlock(&q->lock);
	return 0;
}

struct waiter {
	struct txq_job job;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool done;
};

static void waiter_done(struct txq_job *job)
{
	struct waiter *w = (struct waiter *)job;
	pthread_mutex_lock(&w->lock);
	w->done = true;
	pthread_cond_signal(&w->cond);
	pthread_mutex_unlock(&w->lock);
}

int txq_run(txq *q, txq_fn fn, void *arg)
{
	struct waiter w = {.job = {.run = fn, .arg = arg, .done = waiter_done}};
	pthread_mutex_init(&w.lock, NULL);
	pthread_cond_init(&w.cond, NULL);
	txq_submit(q, &w.job);
	pthread_mutex_lock(&w.lock);
	while (!w.done)
		pthread_cond_wait(&w.cond, &w.lock);
	pthread_mutex_unlock(&w.lock);
	pthread_cond_destroy(&w.cond);
	pthread_mutex_destroy(&w.lock);
	return w.job.rc;
}

int txq_exec(store *st, txq_fn fn, void *arg)
{
	store_conn *c = store_conn_get(st);
	int rc = STORE_EIO;
	if (!c)
		return STORE_EUNAVAIL;
	for (int attempt = 0; attempt < 2; attempt++) {
		if ((rc = store_begin(c)) != STORE_OK)
			continue;
		rc = fn(c, arg);
		if (rc >= 0 && (rc = store_commit(c)) == STORE_OK)
			break;
		store_rollback(c);
		if (rc != STORE_EBUSY)
			break;
	}
	store_conn_put(st, c);
	return rc;
}

void txq_stats(txq *q, unsigned long long *jobs, unsigned long long *batches)
{
	pthread_mutex_lock(&q->lock);
	*jobs = q->jobs;
	*batches = q->batches;
	pthread_mutex_unlock(&q->lock);
}

void txq_profile(txq *q, struct txq_profile *out)
{
	pthread_mutex_lock(&q->lock);
	out->jobs = q->jobs;
	out->batches = q->batches;
	out->statements = q->statements;
	out->round_trips = q->round_trips;
	out->cpu_seconds = q->cpu_seconds;
	out->busy_seconds = q->busy_seconds;
	out->commit_seconds = q->commit_seconds;
	pthread_mutex_unlock(&q->lock);
}
