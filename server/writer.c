/* SPDX-License-Identifier: ISC */
/*
 * The write path: one thread with its own database connection commits the
 * queued responses in groups.  Each group is one transaction; every job in
 * it learns its outcome only after COMMIT returned, so "201 only after
 * the response is durable" holds while one fsync serves many responses.
 * Outcomes are re-checked inside the transaction (replay, round open,
 * token unused), since the handler's checks ran before it.
 *
 * Counts: the published snapshot must hold the counts of exactly the
 * first multiple-of-min_cell responses; within a group only the last
 * multiple crossed matters (nobody sees the others), so each round's
 * counts are applied in at most two aggregated steps around it.  A unit's
 * counts (units.c) follow the same rule with the unit's own responses.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "extern.h"
#include "db.h"
#include "unitdb.h"

#define BATCH_MAX	1024	/* jobs in one transaction */
#define CKPT_SMALL	4	/* groups this small checkpoint before acking */
#define CKPT_IDLE_NS	20000000L /* 20 ms without jobs: empty the log */
#define CKPT_POLL_NS	250000000L /* 250 ms between log size checks */
#define CKPT_WAL_BYTES	(4 * 1024 * 1024) /* log size that calls for one */

struct writer {
	struct app	*app;		/* borrowed */
	struct db	*db;		/* the writer's own connection */
	pthread_t	 thread;
	pthread_mutex_t	 mu;
	pthread_cond_t	 cv;
	struct job	*head, *tail;	/* queue, protected by mu */
	int		 stop;		/* protected by mu */
	struct db	*ckdb;		/* the checkpointer's connection */
	pthread_cond_t	 ckcv;		/* wakes the checkpointer to stop */
	pthread_t	 ckthread;
	char		*wal;		/* path of the write-ahead log, owned */
	int		 threads;	/* threads started (0, 1 or 2) */
	struct writer_stats stats;	/* protected by mu */
};

/* The accepted jobs of one round, or of one unit in it, in order. */
struct tally {
	int64_t			 unit;		/* 0: the round's own */
	struct job		**jobs;
	size_t			 njobs;
};

/* One round's share of a group. */
struct group_round {
	int64_t			 id;
	const struct form	*form;
	int			 open;
	int64_t			 min_cell;
	struct tally		 all;		/* every accepted job */
	struct tally		*units;		/* per unit, or NULL */
	size_t			 nunits;
};

/* Free a job and what it owns.  Accepts NULL. */
void
job_free(struct job *j)
{
	if (j == NULL)
		return;
	free(j->answers);
	free(j->opts);
	free(j);
}

static struct group_round *
round_of(struct writer *w, struct group_round *rs, size_t *nrs,
    struct job *j)
{
	struct round	rd;
	size_t		i;

	for (i = 0; i < *nrs; i++)
		if (rs[i].id == j->round)
			return &rs[i];
	if (db_round_get(w->db, j->round, &rd) == -1)
		return NULL;
	memset(&rs[*nrs], 0, sizeof(rs[*nrs]));
	rs[*nrs].id = j->round;
	rs[*nrs].form = j->form;
	rs[*nrs].open = rd.id == j->round && rd.open;
	rs[*nrs].min_cell = rd.min_cell > 0 ? rd.min_cell : 1;
	rs[*nrs].all.jobs = xcalloc(BATCH_MAX, sizeof(struct job *));
	return &rs[(*nrs)++];
}

/* Count accepted job j in its round's tallies. */
static void
tally_job(struct group_round *gr, struct job *j)
{
	struct tally	*t;
	size_t		 i;

	gr->all.jobs[gr->all.njobs++] = j;
	if (j->unit == 0)
		return;
	for (i = 0; i < gr->nunits; i++)
		if (gr->units[i].unit == j->unit)
			break;
	if (i == gr->nunits) {
		if (gr->units == NULL)
			gr->units = xcalloc(BATCH_MAX, sizeof(*gr->units));
		t = &gr->units[gr->nunits++];
		t->unit = j->unit;
		t->jobs = xcalloc(BATCH_MAX, sizeof(struct job *));
	}
	t = &gr->units[i];
	t->jobs[t->njobs++] = j;
}

/*
 * Add the answers of t's jobs[from..to) to the running counts of the
 * round (or of t's unit), one statement per distinct question and value.
 * 0 or -1.
 */
static int
apply_counts(struct writer *w, const struct group_round *gr,
    const struct tally *t, size_t from, size_t to)
{
	const struct form	*f = gr->form;
	const struct question	*q;
	int64_t			*delta;
	size_t			 i, k;
	int			 rc = 0;

	if (from >= to)
		return 0;
	delta = xcalloc(f->ncounts, sizeof(*delta));
	for (i = from; i < to; i++)
		for (k = 0; k < f->nquestions; k++)
			if (t->jobs[i]->opts[k] != 0)
				delta[f->questions[k]->base +
				    t->jobs[i]->opts[k] - 1]++;
	for (k = 0; rc == 0 && k < f->nquestions; k++) {
		q = f->questions[k];
		for (i = 0; rc == 0 && i < q->scale->nopts; i++) {
			if (delta[q->base + i] == 0)
				continue;
			if (t->unit == 0)
				rc = db_count_add(w->db, gr->id, q->code,
				    q->scale->opts[i].value,
				    delta[q->base + i]);
			else
				rc = unitdb_count_add(w->db, gr->id, t->unit,
				    q->code, q->scale->opts[i].value,
				    delta[q->base + i]);
		}
	}
	free(delta);
	return rc;
}

/* Decide and write one job inside the group's transaction.  0 or -1. */
static int
job_run(struct writer *w, struct group_round *gr, struct job *j)
{
	int	rc;

	if ((rc = db_submission_exists(w->db, j->sub)) == -1)
		return -1;
	if (rc == 1) {
		j->status = 200;
		return 0;
	}
	if (!gr->open) {
		j->status = 410;
		return 0;
	}
	if (j->internal) {
		if ((rc = db_token_use(w->db, j->round, j->token,
		    &j->unit)) == -1)
			return -1;
		if (rc == 0) {
			j->status = 409;
			return 0;
		}
	}
	if (db_response_insert(w->db, j->round, j->unit, j->answers) == -1 ||
	    db_submission_insert(w->db, j->sub) == -1)
		return -1;
	if (j->kiosk != 0 && db_kiosk_counted(w->db, j->kiosk, 1) == -1)
		return -1;
	tally_job(gr, j);
	j->status = 201;
	return 0;
}

/*
 * Counts, respondents and the snapshot of one tally: the round's own or
 * one unit's.  0 or -1.
 */
static int
tally_finish(struct writer *w, struct group_round *gr, const struct tally *t)
{
	int64_t	r0, r1, last, n = (int64_t)t->njobs;
	size_t	split;
	int	rc;

	if (t->njobs == 0)
		return 0;
	if (t->unit == 0)
		rc = db_round_add_responses(w->db, gr->id, n,
		    gr->form->internal ? n : 0, &r1);
	else
		rc = unitdb_add_responses(w->db, gr->id, t->unit, n, &r1);
	if (rc == -1)
		return -1;
	r0 = r1 - n;
	last = r1 - r1 % gr->min_cell;
	if (last <= r0)
		return apply_counts(w, gr, t, 0, t->njobs);
	split = (size_t)(last - r0);
	if (apply_counts(w, gr, t, 0, split) == -1)
		return -1;
	if (t->unit == 0)
		rc = db_round_publish(w->db, gr->id, last);
	else
		rc = unitdb_publish(w->db, gr->id, t->unit, last);
	if (rc == -1)
		return -1;
	return apply_counts(w, gr, t, split, t->njobs);
}

/* Counts, respondents and snapshots of one round's accepted jobs. */
static int
round_finish(struct writer *w, struct group_round *gr)
{
	size_t	i;

	if (tally_finish(w, gr, &gr->all) == -1)
		return -1;
	for (i = 0; i < gr->nunits; i++)
		if (tally_finish(w, gr, &gr->units[i]) == -1)
			return -1;
	return 0;
}

/*
 * Commit one group and tell every job its outcome.  With "ckpt", empty
 * the write-ahead log before answering (see writer_main).  Returns 1 when
 * the log still holds uncheckpointed transactions, else 0.
 */
static int
group_run(struct writer *w, struct job *head, int ckpt)
{
	struct group_round	 rs[BATCH_MAX];
	struct group_round	*gr;
	struct job		*j, *next;
	struct timespec		 t0, t1;
	size_t			 nrs = 0, i, k;
	int			 ok = 0, dirty;
	uint64_t		 ns;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (db_tx_begin(w->db) == 0) {
		ok = 1;
		for (j = head; ok && j != NULL; j = j->next)
			if ((gr = round_of(w, rs, &nrs, j)) == NULL ||
			    job_run(w, gr, j) == -1)
				ok = 0;
		for (i = 0; ok && i < nrs; i++)
			if (round_finish(w, &rs[i]) == -1)
				ok = 0;
		if (ok)
			ok = db_tx_commit(w->db) == 0;
		else
			db_tx_rollback(w->db);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ns = (uint64_t)((t1.tv_sec - t0.tv_sec) * 1000000000L +
	    (t1.tv_nsec - t0.tv_nsec));
	pthread_mutex_lock(&w->mu);
	if (ok) {
		w->stats.commits++;
		w->stats.commit_ns += ns;
		if (ns > w->stats.commit_ns_max)
			w->stats.commit_ns_max = ns;
	} else
		w->stats.failures++;
	pthread_mutex_unlock(&w->mu);
	dirty = ok && !(ckpt && db_checkpoint(w->db, 1) == 0);
	for (i = 0; i < nrs; i++) {
		free(rs[i].all.jobs);
		for (k = 0; k < rs[i].nunits; k++)
			free(rs[i].units[k].jobs);
		free(rs[i].units);
	}
	for (j = head; j != NULL; j = next) {
		next = j->next;
		if (!ok)
			j->status = 503;
		j->next = NULL;
		j->done(j);
	}
	return dirty;
}

/* Wait on cv (with w->mu held) for at most ns nanoseconds. */
static void
wait_ns(struct writer *w, pthread_cond_t *cv, long ns)
{
	struct timespec	until;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_nsec += ns;
	while (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	pthread_cond_timedwait(cv, &w->mu, &until);
}

static void *
writer_main(void *arg)
{
	struct writer	*w = arg;
	struct job	*head, *j;
	size_t		 n;
	int		 dirty = 0;	/* the log holds uncheckpointed groups */
	int		 ckpt;

	pthread_mutex_lock(&w->mu);
	for (;;) {
		while (w->head == NULL && !w->stop) {
			if (!dirty) {
				pthread_cond_wait(&w->cv, &w->mu);
				continue;
			}
			/*
			 * Groups are still in the write-ahead log, which holds
			 * recent pages in commit order: someone copying it
			 * could pair a used code with its answers.  Once the
			 * queue has stayed empty for CKPT_IDLE_NS, empty the
			 * log (retrying soon if a reader is in the way).  The
			 * pause keeps this off a busy server's critical path.
			 */
			wait_ns(w, &w->cv, CKPT_IDLE_NS);
			if (w->head != NULL || w->stop)
				continue;
			pthread_mutex_unlock(&w->mu);
			dirty = db_checkpoint(w->db, 1) != 0;
			pthread_mutex_lock(&w->mu);
		}
		if (w->head == NULL)
			break;
		/* Take up to BATCH_MAX jobs off the queue. */
		head = w->head;
		for (j = head, n = 1; j->next != NULL && n < BATCH_MAX; n++)
			j = j->next;
		w->head = j->next;
		if (w->head == NULL)
			w->tail = NULL;
		j->next = NULL;
		w->stats.queued -= n;
		/*
		 * A small group that empties the queue while the log holds
		 * nothing else (light load) is checkpointed before it is
		 * answered, so a client that got its 201 finds the log
		 * already empty; that copies only this group's pages.  After
		 * load the log is emptied at the next pause instead (a long
		 * log would stall this group), and kept in bounds meanwhile
		 * by checkpointer_main().
		 */
		ckpt = w->head == NULL && n <= CKPT_SMALL && !dirty;
		pthread_mutex_unlock(&w->mu);
		dirty = group_run(w, head, ckpt);
		pthread_mutex_lock(&w->mu);
	}
	pthread_mutex_unlock(&w->mu);
	if (dirty)
		(void)db_checkpoint(w->db, 1);
	return NULL;
}

/*
 * Under sustained load, copy the write-ahead log into the database from
 * a thread of its own (a passive checkpoint runs beside the writer), so
 * the log stays small without stalling the writer's groups.
 */
static void *
checkpointer_main(void *arg)
{
	struct writer	*w = arg;
	struct stat	 sb;

	pthread_mutex_lock(&w->mu);
	while (!w->stop) {
		wait_ns(w, &w->ckcv, CKPT_POLL_NS);
		if (w->stop)
			break;
		pthread_mutex_unlock(&w->mu);
		if (stat(w->wal, &sb) == 0 && sb.st_size > CKPT_WAL_BYTES)
			(void)db_checkpoint(w->ckdb, 0);
		pthread_mutex_lock(&w->mu);
	}
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

/*
 * Start the writer thread with its own connection to the database.
 * 0 and *out set (stop with writer_stop), or -1 (logged).
 */
int
writer_start(struct app *app, struct writer **out)
{
	struct writer	*w;
	char		*err = NULL;

	*out = NULL;
	w = xcalloc(1, sizeof(*w));
	w->app = app;
	w->wal = xasprintf("%s-wal", app->cfg.db);
	pthread_mutex_init(&w->mu, NULL);
	pthread_cond_init(&w->cv, NULL);
	pthread_cond_init(&w->ckcv, NULL);
	if (db_open(app->cfg.db, 0, &w->db) == -1 ||
	    db_open(app->cfg.db, 0, &w->ckdb) == -1)
		goto fail;
	/*
	 * Checkpoints are ours (writer_main, checkpointer_main), never
	 * inside a COMMIT that requests wait on; and a larger cache.
	 */
	if (db_exec_script(w->db, "PRAGMA wal_autocheckpoint=0; "
	    "PRAGMA cache_size=-8192;", &err) == -1) {
		log_err("%s: %s", __func__, err);
		free(err);
		goto fail;
	}
	if (pthread_create(&w->thread, NULL, writer_main, w) != 0)
		goto fail;
	w->threads = 1;
	if (pthread_create(&w->ckthread, NULL, checkpointer_main, w) != 0)
		goto fail;
	w->threads = 2;
	*out = w;
	return 0;
fail:
	log_err("%s: cannot start the writer", __func__);
	writer_stop(w);
	return -1;
}

/* Queue a job; its done() runs on the writer thread once decided. */
void
writer_submit(struct writer *w, struct job *j)
{
	j->next = NULL;
	pthread_mutex_lock(&w->mu);
	if (w->tail == NULL)
		w->head = j;
	else
		w->tail->next = j;
	w->tail = j;
	w->stats.queued++;
	pthread_cond_signal(&w->cv);
	pthread_mutex_unlock(&w->mu);
}

/* A copy of the writer's counters, for the metrics. */
void
writer_stats(struct writer *w, struct writer_stats *out)
{
	pthread_mutex_lock(&w->mu);
	*out = w->stats;
	pthread_mutex_unlock(&w->mu);
}

/* Finish every queued job, stop the threads, close.  Accepts NULL. */
void
writer_stop(struct writer *w)
{
	if (w == NULL)
		return;
	pthread_mutex_lock(&w->mu);
	w->stop = 1;
	pthread_cond_signal(&w->cv);
	pthread_cond_signal(&w->ckcv);
	pthread_mutex_unlock(&w->mu);
	if (w->threads > 0)
		pthread_join(w->thread, NULL);
	if (w->threads > 1)
		pthread_join(w->ckthread, NULL);
	db_close(w->db);
	db_close(w->ckdb);
	pthread_cond_destroy(&w->cv);
	pthread_cond_destroy(&w->ckcv);
	pthread_mutex_destroy(&w->mu);
	free(w->wal);
	free(w);
}
