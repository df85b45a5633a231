/* SPDX-License-Identifier: ISC */
/*
 * The OIT estimate (ITA.md, "OIT"): an item of the checklist in use
 * scores 100 when the working group marked its content ready and every
 * URL it has watched was up at its last check, else 0; an indicator is
 * the mean of its items, OIT the mean of the indicators by their
 * checklist weights; all in hundredths, rounded half up as score.c does.
 * What the watcher saw is the database's; this file only reads it.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "oit.h"
#include "oitdb.h"
#include "db.h"

/* Why an item scores what it scores, in the order they are told. */
enum reason { R_OK, R_NOT_READY, R_NO_URL, R_DOWN, R_SUSPECT, R_UNKNOWN };

static const char *const reasons[] = {
	[R_OK] = "ok", [R_NOT_READY] = "not_ready", [R_NO_URL] = "no_url",
	[R_DOWN] = "down", [R_SUSPECT] = "suspect", [R_UNKNOWN] = "unknown",
};

/* What the database says of one item of the checklist. */
struct est_item {
	int		 ready;		/* the working group's yes */
	size_t		 urls;		/* watched URLs */
	enum oit_state	 worst;		/* their worst state */
};

struct est {
	const struct checklist	*cl;
	struct est_item		*items;	/* cl->nitems, owned */
};

/* How bad a state is for the estimate: up < unknown < suspect < down. */
static int
rank(enum oit_state s)
{
	switch (s) {
	case OIT_UP:
		return 0;
	case OIT_UNKNOWN:
		return 1;
	case OIT_SUSPECT:
		return 2;
	default:
		return 3;
	}
}

/* The worse of two states (an item is as good as its worst URL). */
enum oit_state
oit_state_worse(enum oit_state a, enum oit_state b)
{
	return rank(b) > rank(a) ? b : a;
}

/* The item's index in the checklist, or -1 for a code it does not have. */
static long
item_index(const struct checklist *cl, const char *code)
{
	size_t	i;

	for (i = 0; code != NULL && i < cl->nitems; i++)
		if (strcmp(cl->items[i].code, code) == 0)
			return (long)i;
	return -1;
}

static int
ready_cb(const char *item, int ready, void *arg)
{
	struct est	*e = arg;
	long		 i = item_index(e->cl, item);

	if (i >= 0)
		e->items[i].ready = ready;
	return 0;
}

static int
state_cb(const char *item, enum oit_state s, void *arg)
{
	struct est	*e = arg;
	long		 i = item_index(e->cl, item);

	if (i < 0)
		return 0;
	e->items[i].worst = e->items[i].urls == 0 ? s :
	    oit_state_worse(e->items[i].worst, s);
	e->items[i].urls++;
	return 0;
}

static enum reason
reason_of(const struct est_item *it)
{
	if (!it->ready)
		return R_NOT_READY;
	if (it->urls == 0)
		return R_NO_URL;
	switch (it->worst) {
	case OIT_UP:
		return R_OK;
	case OIT_DOWN:
		return R_DOWN;
	case OIT_SUSPECT:
		return R_SUSPECT;
	default:
		return R_UNKNOWN;
	}
}

/*
 * The OIT estimate from the checklist in use (oit_checklist) and what
 * the database holds now: *doc {"checklist": {"id", "fiscal_year",
 * "title"}, "score", "indicators": [{"code", "name", "weight", "score",
 * "items_ready_up", "items"}], "items": [{"code", "indicator", "score",
 * "reason"}], "computed_at"} (caller owns) and *score in hundredths
 * (0..10000).  reason is "ok", "not_ready", "no_url", "down", "suspect"
 * or "unknown" (never checked), the first that applies.  An indicator
 * without items scores 0.  ERR_OIT_NO_CHECKLIST when no checklist is
 * loaded, ERR_INTERNAL.
 */
enum err
oit_estimate(struct app *app, json_t **doc, int64_t *score)
{
	struct oit_conf		 conf;
	struct est		 e;
	const struct checklist	*cl;
	int64_t			*isum = NULL, *icount = NULL, *iscore = NULL;
	int64_t			*iweight = NULL, wsum = 0;
	json_t			*inds = NULL, *items = NULL;
	enum reason		 why;
	size_t			 i;
	int			 rc;
	enum err		 err = ERR_INTERNAL;

	*doc = NULL;
	*score = 0;
	memset(&e, 0, sizeof(e));
	if (oit_conf_read(app, &conf) == -1)
		return ERR_INTERNAL;
	if ((cl = oit_checklist(app, &conf)) == NULL)
		return ERR_OIT_NO_CHECKLIST;
	e.cl = cl;
	e.items = xcalloc(cl->nitems == 0 ? 1 : cl->nitems, sizeof(*e.items));
	db_lock(app->db);
	rc = oitdb_items_ready(app->db, cl->id, ready_cb, &e) == 0 &&
	    oitdb_live_states(app->db, cl->id, state_cb, &e) == 0 ? 0 : -1;
	db_unlock(app->db);
	if (rc == -1)
		goto out;

	/* Forms check keeps a checklist's indicators few (CL_INDS_MAX). */
	isum = xcalloc(cl->ninds + 1, sizeof(*isum));
	icount = xcalloc(cl->ninds + 1, sizeof(*icount));
	iscore = xcalloc(cl->ninds + 1, sizeof(*iscore));
	iweight = xcalloc(cl->ninds + 1, sizeof(*iweight));
	items = json_array();
	for (i = 0; i < cl->nitems; i++) {
		why = reason_of(&e.items[i]);
		icount[cl->items[i].indicator]++;
		if (why == R_OK)
			isum[cl->items[i].indicator]++;
		json_array_append_new(items, json_pack("{s:s, s:s, s:i, s:s}",
		    "code", cl->items[i].code,
		    "indicator", cl->inds[cl->items[i].indicator].code,
		    "score", why == R_OK ? 100 : 0, "reason", reasons[why]));
	}
	inds = json_array();
	for (i = 0; i < cl->ninds; i++) {
		iscore[i] = icount[i] == 0 ? 0 :
		    score_round_div(isum[i] * 10000, icount[i]);
		iweight[i] = cl->inds[i].weight;
		wsum += iweight[i];
		json_array_append_new(inds, json_pack("{s:s, s:{s:s, s:s}, "
		    "s:I, s:f, s:I, s:I}", "code", cl->inds[i].code,
		    "name", "th", cl->inds[i].name.th, "en", cl->inds[i].name.en,
		    "weight", (json_int_t)iweight[i],
		    "score", score_to_double(iscore[i]),
		    "items_ready_up", (json_int_t)isum[i],
		    "items", (json_int_t)icount[i]));
	}
	/* Forms check makes every weight positive; else a plain mean. */
	if (cl->ninds == 0)
		*score = 0;
	else if (wsum > 0)
		*score = score_weighted(iscore, iweight, cl->ninds);
	else {
		for (i = 0; i < cl->ninds; i++)
			iweight[i] = 1;
		*score = score_weighted(iscore, iweight, cl->ninds);
	}
	*doc = json_pack("{s:{s:s, s:I, s:{s:s, s:s}}, s:f, s:O, s:O, s:I}",
	    "checklist", "id", cl->id, "fiscal_year",
	    (json_int_t)cl->fiscal_year, "title", "th", cl->title.th, "en",
	    cl->title.en,
	    "score", score_to_double(*score),
	    "indicators", inds,
	    "items", items,
	    "computed_at", (json_int_t)time(NULL));
	err = *doc == NULL ? ERR_INTERNAL : ERR_OK;
out:
	json_decref(inds);
	json_decref(items);
	free(isum);
	free(icount);
	free(iscore);
	free(iweight);
	free(e.items);
	return err;
}
