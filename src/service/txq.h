/*
 * service/txq.h — the write path: every unit of work that touches personal data runs here, in a transaction,
 * and its caller hears back only after the commit is durable.
 *
 * One writer thread takes whatever jobs are waiting (up to TXQ_BATCH_MAX), runs each inside its own
 * savepoint of one transaction, commits once and then completes them all: group commit. A job that fails
 * rolls back to its savepoint and leaves the others alone; a commit that fails fails every job in it. A batch
 * of jobs marked replayable runs first with no savepoints; if anything in it fails, it is rolled back and run
 * again as above, so the outcome is the same, and the next 16 batches run as above from the start. This
 * turns one fsync per request into one per batch, which is what lets a single SQLite file keep thousands of
 * durable writes a second, and it serialises the audit trail (the hash chain of the access-control issue
 * needs exactly one writer).
 *
 * Reads of a child's record go through here too, because each read appends an audit entry that must be
 * durable before the data is shown.
 */
#ifndef SAFEGUARD_SERVICE_TXQ_H
#define SAFEGUARD_SERVICE_TXQ_H

#include <stdbool.h>

#include "store/store.h"

#define TXQ_BATCH_MAX 512

typedef struct txq txq;

/* The work of one job: runs on the writer thread inside a savepoint. Return 0 to keep its writes, negative to
 * undo them (the value becomes job->rc). */
typedef int (*txq_fn)(store_conn *c, void *arg);

struct txq_job {
	txq_fn run;
	void *arg;
	/* Called after the commit (or the failure) with rc set, on the queue's completer thread (not the writer's:
	 * the writer has moved on to its next batch), in the order the jobs ran; may be NULL. It must not block:
	 * it hands the outcome back (resumes a connection, signals a waiter). */
	void (*done)(struct txq_job *job);
	int rc; /* 0, or the job's own negative value, or the STORE_E* of a failed commit */
	/* The job may run twice: it writes nothing but to the database, and sets its outputs afresh each run.
	 * A batch of such jobs first runs without a savepoint each (see run_batch in txq.c). */
	bool replayable;
	/* May be NULL. Before a batch of replayable jobs first runs (no savepoints), called once in its transaction
	 * with the batch's jobs that name this same function, in order: it may ask the store about all of them at
	 * once (intake: store_source_absent_ahead) so that each job asks less. What it learns must only spare
	 * reads and round trips, never change a job's outcome (on PostgreSQL intake's also takes ids ahead from the
	 * sequences, used only in this first pass: a replay under savepoints asks nothing ahead and takes its ids
	 * as it writes); a failure (negative) runs the batch as if its first pass had failed. */
	int (*ahead)(store_conn *c, struct txq_job *const *jobs, int n);
	/* Set by the writer before done(): when its batch began, when the batch's COMMIT was sent (0: none was),
	 * when the batch ended (CLOCK_MONOTONIC seconds; for per-request timings, http_mark_at). */
	double batch_at, commit_at, batch_end_at;
	bool unwaited; /* queued by txq_submit_unwaited: counted until its done() has run */
	struct txq_job *next;
};

int txq_start(store *st, txq **out);
/* Completes every job already submitted, then stops the writer thread. The queue stays valid: jobs
 * submitted afterwards (a request that arrived during shutdown) complete at once with STORE_EIO. */
void txq_stop(txq *q);
/* Frees a stopped queue, once nothing can submit to it any more (after the HTTP server has stopped). */
void txq_free(txq *q);

/* Queues a job; its done() runs later (on the completer thread, or at once on the caller's after txq_stop,
 * with STORE_EIO). */
void txq_submit(txq *q, struct txq_job *job);

/* Queues a job nobody waits for (an entry written after its request was answered), unless `max` such jobs are
 * already queued or running, their done() not yet called: then returns -1, and neither queues the job nor calls its
 * done() (the caller still owns it). 0: queued (or, the queue stopped, done at once with STORE_EIO). A request that
 * waits for its job is held back by the commit; one answered at once is not, so without this bound a client asking
 * faster than the writer commits grows the queue without end (r-review34: a person's token refused by role at
 * 43,000-48,000 requests a second grew the server by 70-190 MB in 10 s). A refusal logs a line on stderr, a minute
 * apart at most, with how many were refused since the last (counts only). */
int txq_submit_unwaited(txq *q, struct txq_job *job, size_t max);

/* Queues a job and waits for it: returns its rc. */
int txq_run(txq *q, txq_fn fn, void *arg);

/* For batch commands without a writer thread: runs fn in one transaction of its own on a connection from
 * the pool, retrying once on STORE_EBUSY. */
int txq_exec(store *st, txq_fn fn, void *arg);

/* Jobs committed and batches since start (for /metrics and the benchmarks). */
void txq_stats(txq *q, unsigned long long *jobs, unsigned long long *batches);

/* Where the writer's time goes (for /metrics and the benchmarks): the database commands it sent and the round
 * trips it waited for (0 on SQLite), and its thread's CPU time and the wall time it spent running batches
 * (busy - cpu: waiting for the database, or for a core), and of that the time COMMIT took. */
struct txq_profile {
	unsigned long long jobs, batches, statements, round_trips;
	double cpu_seconds, busy_seconds;
	double commit_seconds; /* of busy: waiting for COMMIT (the durable write) */
};
void txq_profile(txq *q, struct txq_profile *out);

#endif
