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
 * The writer is the only one that changes counts, so it keeps each
 * round's and unit's counts in memory between groups ("kept") and writes
 * them as one row per round or unit and group (db_tally_put); it forgets
 * them when a group rolls back or another connection committed anything
 * (PRAGMA data_version), and reads them again.
 *
 * The write-ahead log: see wal_frames() and wal_keep().
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "extern.h"
#include "db.h"
#include "http.h"		/* the rate limits */
#include "unitdb.h"

#define BATCH_MAX	1024	/* jobs in one transaction */
#define CKPT_SMALL	4	/* groups this small checkpoint before acking */
#define CKPT_IDLE_NS	20000000L /* 20 ms without jobs: empty the log */
#define CKPT_POLL_NS	250000000L /* idle: 250 ms between log size checks */
#define CKPT_WAL_BYTES	(8 * 1024 * 1024) /* log size that calls for one */
#define CKPT_WAIT_MS	50	/* a bounding checkpoint waits for readers */
#define CKPT_BACKOFF_NS	1000000000L /* and when they stay, tries again */
#define KEPT_MAX	512	/* rounds and units whose counts are kept */
#define WAL_FRAME_HDR	24	/* bytes before each page in the log */
#define WAL_HDR		32	/* bytes of the log's own header */

/* The counts of one round (unit 0) or unit as last committed. */
struct kept {
	int64_t			 round;
	int64_t			 unit;
	struct tally_counts	 c;
	struct kept		*next;
};

struct writer {
	struct app	*app;		/* borrowed */
	struct db	*db;		/* the writer's own connection */
	pthread_t	 thread;
	pthread_mutex_t	 mu;
	pthread_cond_t	 cv;
	struct job	*head, *tail;	/* queue, protected by mu */
	int		 stop;		/* protected by mu */
	char		*wal;		/* path of the write-ahead log, owned */
	int		 started;	/* the thread runs */
	struct writer_stats stats;	/* protected by mu */
	/* The writer thread's own: */
	struct kept	*kept;		/* counts between groups */
	size_t		 nkept;
	int64_t		 data_version;	/* when kept was read */
	struct buf	 running;	/* tallies JSON being written */
	struct buf	 published;
	int64_t		 page_size;	/* of the database, for log bytes */
	int64_t		 wal_frames;	/* in the log after the last commit */
	int64_t		 wal_max;	/* bound of the log, bytes */
	int64_t		 restart_after;	/* monotonic ns: no RESTART before */
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
	int			 public;
	int64_t			 min_cell;
	int64_t			 respondents;	/* exact, before this group */
	struct tally		 all;		/* every accepted job */
	struct tally		*units;		/* per unit, or NULL */
	size_t			 nunits;
	size_t			 njobs;		/* in the group: array sizes */
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

/* Forget every kept count (they are read again when needed). */
static void
kept_forget(struct writer *w)
{
	struct kept	*k, *next;

	for (k = w->kept; k != NULL; k = next) {
		next = k->next;
		tally_counts_free(&k->c);
		free(k);
	}
	w->kept = NULL;
	w->nkept = 0;
}

/*
 * The counts of round gr (unit 0) or of one of its units, as committed
 * plus what this group added so far: kept, or read from the database
 * inside the group's transaction.  NULL on error (logged).
 */
static struct kept *
kept_get(struct writer *w, const struct group_round *gr, int64_t unit)
{
	struct kept	*k;
	char		*text = NULL;
	int		 rc;

	for (k = w->kept; k != NULL; k = k->next)
		if (k->round == gr->id && k->unit == unit &&
		    k->c.form == gr->form)
			return k;
	if (w->nkept >= KEPT_MAX)
		kept_forget(w);
	if ((rc = db_tally_get(w->db, gr->id, unit, &text)) == -1)
		return NULL;
	k = xcalloc(1, sizeof(*k));
	k->round = gr->id;
	k->unit = unit;
	if (tally_counts_load(gr->form, rc == 1 ? text : "{}", &k->c) == -1) {
		log_err("round %lld unit %lld: stored counts are not a "
		    "counts object", (long long)gr->id, (long long)unit);
		free(text);
		tally_counts_free(&k->c);
		free(k);
		return NULL;
	}
	free(text);
	k->next = w->kept;
	w->kept = k;
	w->nkept++;
	return k;
}

static struct group_round *
round_of(struct writer *w, struct group_round *rs, size_t *nrs,
    struct job *j, size_t njobs)
{
	struct round_state	rd;
	size_t			i;
	int			rc;

	for (i = 0; i < *nrs; i++)
		if (rs[i].id == j->round)
			return &rs[i];
	if ((rc = db_round_state(w->db, j->round, &rd)) == -1)
		return NULL;
	memset(&rs[*nrs], 0, sizeof(rs[*nrs]));
	rs[*nrs].id = j->round;
	rs[*nrs].form = j->form;
	rs[*nrs].open = rc == 1 && rd.open;
	rs[*nrs].public = rc == 1 && rd.public;
	rs[*nrs].min_cell = rd.min_cell > 0 ? rd.min_cell : 1;
	rs[*nrs].respondents = rd.respondents;
	rs[*nrs].all.jobs = xcalloc(njobs, sizeof(struct job *));
	rs[*nrs].njobs = njobs;
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
			gr->units = xcalloc(gr->njobs, sizeof(*gr->units));
		t = &gr->units[gr->nunits++];
		t->unit = j->unit;
		t->jobs = xcalloc(gr->njobs, sizeof(struct job *));
	}
	t = &gr->units[i];
	t->jobs[t->njobs++] = j;
}

/* Add the answers of t's jobs[from..to) to the counts c. */
static void
counts_add(struct tally_counts *c, const struct tally *t, size_t from,
    size_t to)
{
	const struct form	*f = c->form;
	const uint16_t		*opts;
	size_t			 i, k;

	for (i = from; i < to; i++) {
		opts = t->jobs[i]->opts;
		for (k = 0; k < f->nquestions; k++)
			if (opts[k] != 0)
				c->n[f->questions[k]->base + opts[k] - 1]++;
	}
}

/*
 * Decide job j, whose submission hash was just recorded, not to store it
 * after all: the record goes, so a later retry is not taken for a
 * replay.  0 or -1.
 */
static int
job_refuse(struct writer *w, struct job *j, int status)
{
	j->status = status;
	return db_submission_forget(w->db, j->sub);
}

/*
 * Decide and write one job inside the group's transaction.  The
 * submission's hash is recorded first: a replay is found by that insert
 * (one statement instead of a look and an insert) and answered 200
 * before anything else, as the handler orders it.  0 or -1.
 */
static int
job_run(struct writer *w, struct group_round *gr, struct job *j)
{
	int	rc;

	if ((rc = db_submission_claim(w->db, j->sub)) == -1)
		return -1;
	if (rc == 0) {
		j->status = 200;
		return 0;
	}
	if (!gr->open)
		return job_refuse(w, j, 410);
	/*
	 * The gate of a public submission (api_public.c left it to us):
	 * after the replay and the round's state, as the handler orders
	 * them.  The limit is counted (limit_hit) once answered.
	 */
	if (j->public_gate && !gr->public)
		return job_refuse(w, j, 403);
	if (j->public_gate &&
	    (j->retry_after = limit_check(LIMIT_PUBLIC, j->client)) > 0)
		return job_refuse(w, j, 429);
	if (j->internal) {
		if ((rc = db_token_use(w->db, j->round, j->token,
		    &j->unit)) == -1)
			return -1;
		if (rc == 0)
			return job_refuse(w, j, 409);
	}
	if (db_response_insert(w->db, j->round, j->unit, j->answers) == -1)
		return -1;
	if (j->kiosk != 0 && db_kiosk_counted(w->db, j->kiosk, 1) == -1)
		return -1;
	tally_job(gr, j);
	j->status = 201;
	return 0;
}

/*
 * Counts, respondents and the snapshot of one tally: the round's own or
 * one unit's.  One row written: the running counts, and the published
 * snapshot with them when the tally crossed a multiple of min_cell.
 * 0 or -1.
 */
static int
tally_finish(struct writer *w, struct group_round *gr, const struct tally *t)
{
	struct kept	*k;
	int64_t		 r0, r1, last, n = (int64_t)t->njobs;
	size_t		 split;
	int		 rc;

	if (t->njobs == 0)
		return 0;
	if ((k = kept_get(w, gr, t->unit)) == NULL)
		return -1;
	if (t->unit == 0) {
		rc = db_round_add_responses(w->db, gr->id, n,
		    gr->form->internal ? n : 0);
		r1 = gr->respondents + n;
	} else
		rc = unitdb_add_responses(w->db, gr->id, t->unit, n, &r1);
	if (rc == -1)
		return -1;
	r0 = r1 - n;
	last = r1 - r1 % gr->min_cell;
	if (last <= r0) {
		counts_add(&k->c, t, 0, t->njobs);
		if (tally_counts_dump(&k->c, &w->running) == -1)
			return -1;
		return db_tally_put(w->db, gr->id, t->unit, w->running.p,
		    NULL);
	}
	split = (size_t)(last - r0);
	counts_add(&k->c, t, 0, split);
	if (tally_counts_dump(&k->c, &w->published) == -1)
		return -1;
	counts_add(&k->c, t, split, t->njobs);
	if (tally_counts_dump(&k->c, &w->running) == -1 ||
	    db_tally_put(w->db, gr->id, t->unit, w->running.p,
	    w->published.p) == -1)
		return -1;
	if (t->unit == 0)
		return db_round_publish(w->db, gr->id, last);
	return unitdb_publish(w->db, gr->id, t->unit, last);
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
 * The log after a commit of the writer's connection holds "frames" pages
 * (SQLite's WAL hook): count the bytes the commit appended (a log that
 * started again from its beginning holds only this commit's).
 */
static int
wal_frames(void *arg, int frames)
{
	struct writer	*w = arg;
	int64_t		 added;

	added = frames >= w->wal_frames ? frames - w->wal_frames : frames;
	pthread_mutex_lock(&w->mu);
	w->stats.wal_bytes += (uint64_t)(added * (w->page_size +
	    WAL_FRAME_HDR)) + (frames < w->wal_frames ? WAL_HDR : 0);
	pthread_mutex_unlock(&w->mu);
	w->wal_frames = frames;
	return 0;
}

/*
 * Every checkpoint of the server is made here, on the writer's thread
 * and connection, holding the lock of the requests' connection
 * (app->db): SQLite 3.7.0 to 3.51.2 (Debian 12 has 3.40.1) has a race,
 * its "WAL-reset bug", in which a checkpoint that starts while another
 * connection commits a transaction that starts the log again can skip
 * pages, and the database loses committed rows.  The thread that used
 * to checkpoint beside the writer on a connection of its own was that
 * setup, and keeping the log small under load (issue 15) makes the log
 * start again several times a second.  Here no other connection of the
 * server checkpoints
 * (db_open() turns SQLite's automatic checkpoints off), the writer's own
 * commits come between its checkpoints, and the requests' connection
 * cannot commit during one.  A RESTART waits CKPT_WAIT_MS for readers,
 * the others not at all.  0 done, 1 busy, -1 error.
 */
static int
checkpoint(struct writer *w, enum db_ckpt mode)
{
	int	rc;

	db_lock(w->app->db);
	rc = db_checkpoint(w->db, mode, mode == DB_CKPT_RESTART ?
	    CKPT_WAIT_MS : 0);
	db_unlock(w->app->db);
	return rc;
}

/*
 * Keep the log small under load: after a group that left it holding
 * more than CKPT_WAL_BYTES (or half its bound), copy it into the
 * database (the writer is the only writer, so the copy is whole and the
 * next group starts the log again, as SQLite's own automatic checkpoint
 * would).  Past half its
 * bound (--wal-max), which only a reader holding an older snapshot
 * allows (a backup, an export of a large round), a RESTART checkpoint
 * waits up to CKPT_WAIT_MS for it; when it stays, the log grows while it
 * reads (its snapshot needs those pages) and the writer tries again a
 * second later, so the groups do not wait on it every time.
 */
static void
wal_keep(struct writer *w)
{
	struct timespec	ts;
	int64_t		bytes = w->wal_frames * (w->page_size + WAL_FRAME_HDR);
	int64_t		ns;

	if (bytes <= CKPT_WAL_BYTES && bytes <= w->wal_max / 2)
		return;
	if (bytes <= w->wal_max / 2) {
		(void)checkpoint(w, DB_CKPT_PASSIVE);
		return;
	}
	clock_gettime(CLOCK_MONOTONIC, &ts);
	ns = (int64_t)ts.tv_sec * 1000000000L + ts.tv_nsec;
	if (ns < w->restart_after) {
		(void)checkpoint(w, DB_CKPT_PASSIVE);
		return;
	}
	if (checkpoint(w, DB_CKPT_RESTART) == 0)
		w->wal_frames = 0;
	else
		w->restart_after = ns + CKPT_BACKOFF_NS;
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
	size_t			 nrs = 0, i, k, njobs = 0;
	int64_t			 version;
	int			 ok = 0, dirty;
	uint64_t		 ns;

	for (j = head; j != NULL; j = j->next)
		njobs++;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (db_tx_begin(w->db) == 0) {
		ok = db_data_version(w->db, &version) == 0;
		if (ok && version != w->data_version) {
			kept_forget(w);
			w->data_version = version;
		}
		for (j = head; ok && j != NULL; j = j->next)
			if ((gr = round_of(w, rs, &nrs, j, njobs)) == NULL ||
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
	/* Kept counts may hold what was not committed. */
	if (!ok)
		kept_forget(w);
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
	dirty = ok && !(ckpt && checkpoint(w, DB_CKPT_TRUNCATE) == 0);
	if (ok && !ckpt)
		wal_keep(w);
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
	struct stat	 sb;
	size_t		 n;
	int		 dirty = 0;	/* the log holds uncheckpointed groups */
	int		 ckpt;

	pthread_mutex_lock(&w->mu);
	for (;;) {
		while (w->head == NULL && !w->stop) {
			if (!dirty) {
				/*
				 * Idle: the requests' connection may still
				 * write (sessions, the console, the OIT
				 * watcher), and only we checkpoint.
				 */
				wait_ns(w, &w->cv, CKPT_POLL_NS);
				if (w->head != NULL || w->stop)
					continue;
				pthread_mutex_unlock(&w->mu);
				if (stat(w->wal, &sb) == 0 &&
				    sb.st_size > CKPT_WAL_BYTES)
					(void)checkpoint(w, DB_CKPT_PASSIVE);
				pthread_mutex_lock(&w->mu);
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
			dirty = checkpoint(w, DB_CKPT_TRUNCATE) != 0;
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
		 * log would stall this group), and kept small meanwhile by
		 * wal_keep().
		 */
		ckpt = w->head == NULL && n <= CKPT_SMALL && !dirty;
		pthread_mutex_unlock(&w->mu);
		dirty = group_run(w, head, ckpt);
		pthread_mutex_lock(&w->mu);
	}
	pthread_mutex_unlock(&w->mu);
	if (dirty)
		(void)checkpoint(w, DB_CKPT_TRUNCATE);
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
	if (db_open(app->cfg.db, 0, &w->db) == -1)
		goto fail;
	/*
	 * Checkpoints are ours (checkpoint()), never inside a COMMIT
	 * that requests wait on; and a larger cache.
	 */
	if (db_exec_script(w->db, "PRAGMA cache_size=-8192;", &err) == -1) {
		log_err("%s: %s", __func__, err);
		free(err);
		goto fail;
	}
	if (db_page_size(w->db, &w->page_size) == -1)
		goto fail;
	if ((w->wal_max = config_wal_max(&app->cfg)) == -1)
		w->wal_max = 64 * 1024 * 1024;
	db_wal_hook(w->db, wal_frames, w);
	buf_init(&w->running, 0);
	buf_init(&w->published, 0);
	if (pthread_create(&w->thread, NULL, writer_main, w) != 0)
		goto fail;
	w->started = 1;
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
	pthread_mutex_unlock(&w->mu);
	if (w->started)
		pthread_join(w->thread, NULL);
	db_close(w->db);
	kept_forget(w);
	buf_free(&w->running);
	buf_free(&w->published);
	pthread_cond_destroy(&w->cv);
	pthread_mutex_destroy(&w->mu);
	free(w->wal);
	free(w);
}
