/* SPDX-License-Identifier: ISC */
/*
 * The public form documents of open rounds, made once and served as
 * prepared bytes (prepared.c): the form's document with the round's id,
 * title and public flag, serialised and gzipped on the first request for
 * the round, then shared by every reply until the round changes.
 *
 * What the document shows of a round (open, title, public, form) changes
 * in two ways.  Through this process (rounds.c: open, close, rename,
 * delete): those call formdoc_forget() once committed, and the next
 * request sees the change.  Through another process on the same database
 * (the CLI's "round close"): nothing tells us, so an entry is trusted for
 * RECHECK_MS after it was last compared with the database; the first
 * request after that reads the round again (one indexed row under the
 * database lock, once a second per round, whatever the load) and keeps
 * the entry, or drops and remakes it.  A change by the CLI is therefore
 * seen within about a second.  PRAGMA data_version would tell us that
 * something changed, but every stored response changes it too, so under
 * load it would say "changed" all the time and cost the same read.
 *
 * A request that read the round before a formdoc_forget() and made its
 * document after it must not put the old state back: gen counts the
 * forgets, and a document made across one is sent (it was true when
 * read) but not kept.
 *
 * The lock is the cache's own, held only to find, add or drop entries:
 * never while reading the database or compressing, and the database
 * lock is never taken under it (rounds.c calls formdoc_forget() with
 * the database locked: that order only).  Entries are shared
 * with replies by reference (prepared_ref), so dropping one never frees
 * bytes a reply is still sending.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "extern.h"
#include "db.h"
#include "prepared.h"

#define FORMDOC_MAX	64	/* rounds kept; open rounds are few */
#define RECHECK_MS	1000	/* trust an entry this long unchecked */

struct formdoc {
	int64_t			 round;		/* 0: free */
	struct prepared		*doc;		/* owned reference */
	int64_t			 checked;	/* monotonic ms */
	char			 form_id[sizeof(((struct round *)0)->form_id)];
	char			 title[TITLE_MAX + 1];
	int			 public;
};

static pthread_mutex_t	 mu = PTHREAD_MUTEX_INITIALIZER;
static struct formdoc	 docs[FORMDOC_MAX];
static uint64_t		 gen;		/* formdoc_forget() calls */

static int64_t
mono_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The entry of round, or NULL.  Caller holds mu. */
static struct formdoc *
find(int64_t round)
{
	size_t	i;

	for (i = 0; i < FORMDOC_MAX; i++)
		if (docs[i].round == round)
			return &docs[i];
	return NULL;
}

/* Whether entry d still shows round rd as it is. */
static int
same(const struct formdoc *d, const struct round *rd)
{
	return rd->open && d->public == (rd->public != 0) &&
	    strcmp(d->title, rd->title) == 0 &&
	    strcmp(d->form_id, rd->form_id) == 0;
}

/* Drop entry d.  Caller holds mu. */
static void
drop(struct formdoc *d)
{
	prepared_unref(d->doc);
	memset(d, 0, sizeof(*d));
}

/*
 * The document of round rd with form f: exactly what api_form_get() sent
 * before it was kept (the same keys, the same serialisation as
 * reply_send()).  NULL on failure (logged).
 */
static struct prepared *
make(const struct form *f, const struct round *rd)
{
	json_t	*doc;
	char	*text;

	if ((doc = json_deep_copy(f->doc)) == NULL) {
		log_err("%s: json_deep_copy failed", __func__);
		return NULL;
	}
	json_object_set_new(doc, "round", json_integer(rd->id));
	json_object_set_new(doc, "round_title", json_string(rd->title));
	json_object_set_new(doc, "public", json_boolean(rd->public));
	text = json_dumps(doc, JSON_COMPACT | JSON_REAL_PRECISION(10));
	json_decref(doc);
	if (text == NULL) {
		log_err("%s: json_dumps failed", __func__);
		return NULL;
	}
	return prepared_new(text, strlen(text), "application/json; "
	    "charset=utf-8", NULL);
}

/*
 * Keep doc (one more reference) as round rd's, in its old place, a free
 * one, or the place checked longest ago.  Caller holds mu.
 */
static void
keep(const struct round *rd, struct prepared *doc, int64_t now)
{
	struct formdoc	*d, *old = NULL;
	size_t		 i;

	if ((d = find(rd->id)) == NULL)
		for (i = 0; i < FORMDOC_MAX && d == NULL; i++) {
			if (docs[i].round == 0)
				d = &docs[i];
			else if (old == NULL || docs[i].checked < old->checked)
				old = &docs[i];
		}
	if (d == NULL)
		d = old;
	drop(d);
	d->round = rd->id;
	d->doc = prepared_ref(doc);
	d->checked = now;
	d->public = rd->public != 0;
	snprintf(d->title, sizeof(d->title), "%s", rd->title);
	snprintf(d->form_id, sizeof(d->form_id), "%s", rd->form_id);
}

/*
 * The form document of round id for respondents: ERR_OK with *out a
 * reference the caller gives back with prepared_unref(); ERR_NO_ROUND,
 * ERR_ROUND_CLOSED, ERR_FORM_MISSING, ERR_INTERNAL otherwise.
 */
enum err
formdoc_get(struct app *app, int64_t id, struct prepared **out)
{
	struct formdoc		*d;
	struct round		 rd;
	const struct form	*f;
	struct prepared		*doc;
	uint64_t		 g;
	int64_t			 now = mono_ms();
	int			 rc;

	*out = NULL;
	pthread_mutex_lock(&mu);
	if ((d = find(id)) != NULL && now - d->checked < RECHECK_MS) {
		*out = prepared_ref(d->doc);
		pthread_mutex_unlock(&mu);
		return ERR_OK;
	}
	/*
	 * Due for a check: this request makes it; the others meanwhile
	 * keep using the entry (it was right a second ago).
	 */
	if (d != NULL)
		d->checked = now;
	g = gen;
	pthread_mutex_unlock(&mu);

	db_lock(app->db);
	rc = db_round_get(app->db, id, &rd);
	db_unlock(app->db);
	if (rc != 1 || !rd.open) {
		/*
		 * Gone or closed (by the CLI, or a request of ours raced
		 * formdoc_forget): drop the entry, without counting a
		 * forget, or every 410 of a busy closed round would keep
		 * other rounds' new documents from being kept.
		 */
		if (rc != -1) {
			pthread_mutex_lock(&mu);
			if ((d = find(id)) != NULL)
				drop(d);
			pthread_mutex_unlock(&mu);
		}
		return rc == -1 ? ERR_INTERNAL : rc == 0 ? ERR_NO_ROUND :
		    ERR_ROUND_CLOSED;
	}
	pthread_mutex_lock(&mu);
	if ((d = find(id)) != NULL && same(d, &rd)) {
		*out = prepared_ref(d->doc);
		pthread_mutex_unlock(&mu);
		return ERR_OK;
	}
	pthread_mutex_unlock(&mu);

	if ((f = formset_get(app->forms, rd.form_id)) == NULL) {
		log_err("round %lld: form %s is not loaded", (long long)rd.id,
		    rd.form_id);
		return ERR_FORM_MISSING;
	}
	if ((doc = make(f, &rd)) == NULL)
		return ERR_INTERNAL;
	pthread_mutex_lock(&mu);
	if (gen == g)
		keep(&rd, doc, now);
	pthread_mutex_unlock(&mu);
	*out = doc;
	return ERR_OK;
}

/*
 * Round id as its kept document shows it, for a submission that need not
 * ask the database (api_public.c): 1 with *f its form when the round's
 * document is kept (someone fetched it since the round last changed) and
 * still right (checked, as formdoc_get() does, at most RECHECK_MS ago),
 * 0 when the caller must read the round itself.
 * A submission never makes an entry, so a round whose form nobody asked
 * for is not kept because of it; the writer decides again inside its
 * transaction whether the round is open.
 */
int
formdoc_round(struct app *app, int64_t id, const struct form **f)
{
	struct formdoc	*d;
	struct prepared	*doc;
	char		 form_id[sizeof(d->form_id)];
	int64_t		 now = mono_ms();
	int		 fresh;

	*f = NULL;
	pthread_mutex_lock(&mu);
	d = find(id);
	fresh = d != NULL && now - d->checked < RECHECK_MS;
	pthread_mutex_unlock(&mu);
	if (d == NULL)
		return 0;
	if (!fresh) {
		/* Due for its check: formdoc_get() makes it. */
		if (formdoc_get(app, id, &doc) != ERR_OK)
			return 0;
		prepared_unref(doc);
	}
	pthread_mutex_lock(&mu);
	if ((d = find(id)) != NULL)
		memcpy(form_id, d->form_id, sizeof(form_id));
	pthread_mutex_unlock(&mu);
	if (d == NULL)
		return 0;
	return (*f = formset_get(app->forms, form_id)) != NULL;
}

/*
 * Round id has changed (opened, closed, renamed, deleted): its next
 * request reads it again.  Called by rounds.c after each commit; in the
 * CLI, whose cache is empty, it does nothing.
 */
void
formdoc_forget(int64_t id)
{
	struct formdoc	*d;

	pthread_mutex_lock(&mu);
	gen++;
	if ((d = find(id)) != NULL)
		drop(d);
	pthread_mutex_unlock(&mu);
}

/* Drop every entry (the server stops). */
void
formdoc_clear(void)
{
	size_t	i;

	pthread_mutex_lock(&mu);
	gen++;
	for (i = 0; i < FORMDOC_MAX; i++)
		if (docs[i].round != 0)
			drop(&docs[i]);
	pthread_mutex_unlock(&mu);
}
