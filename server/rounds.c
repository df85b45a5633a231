/* SPDX-License-Identifier: ISC */
/*
 * Rounds: create, open and close one, rename it, correct its population,
 * archive and delete it (each with its audit line in the same
 * transaction), read them, and their published scores document.  The
 * one home of these rules for the command line and the console.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "actions.h"
#include "audit.h"
#include "prepared.h"

/*
 * Audit lines name a round by number and title, the same from the shell
 * and the console.
 */
static int
audit_round(struct app *app, const char *actor, const char *action,
    const struct round *rd)
{
	return audit_add(app->db, actor, action, json_pack("{s:I, s:s}",
	    "round", (json_int_t)rd->id, "title", rd->title));
}

/*
 * Create a closed round of form with title and population (head-count,
 * 0 when unknown); public lets anyone answer an external round.  Fills
 * out with the new round.  ERR_UNKNOWN_FORM, ERR_BAD_TITLE,
 * ERR_BAD_POPULATION, ERR_BAD_PUBLIC, ERR_UNAVAILABLE.
 */
enum err
rounds_create(struct app *app, const char *actor, const char *form,
    const char *title, int64_t population, int public, struct round *out)
{
	const struct form	*f;
	struct round		 rd;
	enum err		 e = ERR_UNAVAILABLE;

	memset(out, 0, sizeof(*out));
	if ((f = formset_get(app->forms, form)) == NULL)
		return ERR_UNKNOWN_FORM;
	if (!text_ok(title, TITLE_MAX))
		return ERR_BAD_TITLE;
	if (population < 0 || population > POPULATION_MAX)
		return ERR_BAD_POPULATION;
	if (public && f->internal)
		return ERR_BAD_PUBLIC;
	/* What the round holds once created, for the audit line and out. */
	out->population = population;
	out->public = public != 0;
	out->min_cell = f->min_cell;
	out->created_at = (int64_t)time(NULL);
	snprintf(out->form_id, sizeof(out->form_id), "%s", f->id);
	memcpy(out->title, title, strlen(title) + 1);
	db_lock(app->db);
	if (db_tx_begin(app->db) == -1)
		goto out;
	if (db_round_insert(app->db, f->id, title, population, public,
	    f->min_cell, &out->id) == -1 ||
	    audit_add(app->db, actor, "round.create", json_pack("{s:I, s:s, "
	    "s:s, s:I}", "round", (json_int_t)out->id, "title", out->title,
	    "form", out->form_id, "population",
	    (json_int_t)out->population)) == -1 ||
	    db_tx_commit(app->db) == -1) {
		db_tx_rollback(app->db);
		goto out;
	}
	e = ERR_OK;
	/* Committed: a failing read-back must not hide that it exists. */
	if (db_round_get(app->db, out->id, &rd) == 1)
		*out = rd;
	else
		log_warn("%s: round %lld created but not read back", __func__,
		    (long long)out->id);
out:
	db_unlock(app->db);
	return e;
}

/*
 * Open (open 1) or close round id, and fill out with it.  A final round
 * is never opened again, nor an archived one (hidden from the lists, it
 * would collect unseen).  ERR_NO_ROUND, ERR_ROUND_FINAL,
 * ERR_ROUND_ARCHIVED, ERR_UNAVAILABLE.
 */
enum err
rounds_set_open(struct app *app, const char *actor, int64_t id, int open,
    struct round *out)
{
	enum err	e = ERR_UNAVAILABLE;
	int		rc;

	db_lock(app->db);
	if (db_tx_begin(app->db) == -1)
		goto out;
	if ((rc = db_round_get(app->db, id, out)) == 1 && open &&
	    (out->final || out->archived)) {
		db_tx_rollback(app->db);
		e = out->final ? ERR_ROUND_FINAL : ERR_ROUND_ARCHIVED;
		goto out;
	}
	if (rc == 1 && (rc = db_round_set_open(app->db, id, open)) == 1 &&
	    audit_round(app, actor, open ? "round.open" : "round.close",
	    out) == 0 && db_tx_commit(app->db) == 0) {
		out->open = open != 0;
		formdoc_forget(id);	/* the form document shows it */
		e = ERR_OK;
		goto out;
	}
	db_tx_rollback(app->db);
	if (rc == 0)
		e = ERR_NO_ROUND;
out:
	db_unlock(app->db);
	return e;
}

/*
 * Make round id final before its raw responses leave: from then on it
 * never accepts a response and is never reopened, so no two responses
 * exports (nor an export and a later one) can be compared to isolate one
 * person's answers.  Only a closed round with at least min_cell
 * respondents; a round already final stays so, without a second audit
 * line.  ERR_NO_ROUND, ERR_NOT_EXPORTABLE, ERR_UNAVAILABLE.
 */
enum err
rounds_make_final(struct app *app, const char *actor, int64_t id)
{
	struct round	rd;
	enum err	e = ERR_UNAVAILABLE;
	int		rc;

	db_lock(app->db);
	if (db_tx_begin(app->db) == -1)
		goto out;
	if ((rc = db_round_get(app->db, id, &rd)) != 1) {
		e = rc == 0 ? ERR_NO_ROUND : ERR_UNAVAILABLE;
		goto rollback;
	}
	if (rd.open || rd.respondents < rd.min_cell) {
		e = ERR_NOT_EXPORTABLE;
		goto rollback;
	}
	if (rd.final) {		/* already: nothing to write */
		e = ERR_OK;
		goto rollback;
	}
	if (db_round_final(app->db, id) != 1 ||
	    audit_round(app, actor, "round.final", &rd) == -1 ||
	    db_tx_commit(app->db) == -1)
		goto rollback;
	e = ERR_OK;
	goto out;
rollback:
	db_tx_rollback(app->db);
out:
	db_unlock(app->db);
	return e;
}

/* Read round id into out.  ERR_NO_ROUND, ERR_INTERNAL. */
enum err
rounds_get(struct app *app, int64_t id, struct round *out)
{
	int	rc;

	db_lock(app->db);
	rc = db_round_get(app->db, id, out);
	db_unlock(app->db);
	return rc == 1 ? ERR_OK : rc == 0 ? ERR_NO_ROUND : ERR_INTERNAL;
}

/*
 * The rounds, by id: those not archived, or with archived set every one.
 * *out is an array the caller frees.  ERR_INTERNAL.
 */
enum err
rounds_list(struct app *app, int archived, struct round **out, size_t *n)
{
	size_t	i, kept = 0;
	int	rc;

	db_lock(app->db);
	rc = db_round_list(app->db, out, n);
	db_unlock(app->db);
	if (rc == -1)
		return ERR_INTERNAL;
	for (i = 0; i < *n; i++)
		if (archived || !(*out)[i].archived)
			(*out)[kept++] = (*out)[i];
	*n = kept;
	return ERR_OK;
}

/*
 * Change round id as ch says, in one transaction with an audit line for
 * each field that changes (round.rename, round.population, round.archive,
 * round.unarchive); a field given as it already is changes nothing.
 * Title and population follow rounds_create's rules.  The population of
 * any round may be corrected, a final one's too: it only sets the
 * minimum sample the respondents are compared with.  An open round is
 * not archived (close it first).  Fills out with the round as it now is.
 * ERR_BAD_TITLE, ERR_BAD_POPULATION, ERR_NO_ROUND, ERR_ROUND_OPEN,
 * ERR_UNAVAILABLE.
 */
enum err
rounds_change(struct app *app, const char *actor, int64_t id,
    const struct round_change *ch, struct round *out)
{
	struct round	 rd;
	const char	*title = NULL;
	int64_t		 pop = -1;
	int		 arch = -1, rc;
	enum err	 e = ERR_UNAVAILABLE;

	memset(out, 0, sizeof(*out));
	if (ch->title != NULL && !text_ok(ch->title, TITLE_MAX))
		return ERR_BAD_TITLE;
	if (ch->has_population && (ch->population < 0 ||
	    ch->population > POPULATION_MAX))
		return ERR_BAD_POPULATION;
	db_lock(app->db);
	if (db_tx_begin(app->db) == -1)
		goto out;
	if ((rc = db_round_get(app->db, id, &rd)) != 1) {
		e = rc == 0 ? ERR_NO_ROUND : ERR_UNAVAILABLE;
		goto rollback;
	}
	if (ch->title != NULL && strcmp(ch->title, rd.title) != 0)
		title = ch->title;
	if (ch->has_population && ch->population != rd.population)
		pop = ch->population;
	if (ch->archived >= 0 && (ch->archived != 0) != (rd.archived != 0))
		arch = ch->archived != 0;
	if (arch == 1 && rd.open) {
		e = ERR_ROUND_OPEN;
		goto rollback;
	}
	if ((title != NULL || pop >= 0 || arch >= 0) &&
	    db_round_set(app->db, id, title, pop, arch) != 1)
		goto rollback;
	if (title != NULL && audit_add(app->db, actor, "round.rename",
	    json_pack("{s:I, s:s, s:s}", "round", (json_int_t)id, "title",
	    title, "old", rd.title)) == -1)
		goto rollback;
	if (pop >= 0 && audit_add(app->db, actor, "round.population",
	    json_pack("{s:I, s:s, s:I, s:I}", "round", (json_int_t)id,
	    "title", title != NULL ? title : rd.title, "population",
	    (json_int_t)pop, "old", (json_int_t)rd.population)) == -1)
		goto rollback;
	if (arch >= 0 && audit_add(app->db, actor, arch ? "round.archive" :
	    "round.unarchive", json_pack("{s:I, s:s}", "round",
	    (json_int_t)id, "title", title != NULL ? title : rd.title)) == -1)
		goto rollback;
	if (db_tx_commit(app->db) == -1)
		goto rollback;
	e = ERR_OK;
	if (title != NULL)
		formdoc_forget(id);	/* the form document shows it */
	/* Committed: a failing read-back must not hide that it changed. */
	if (db_round_get(app->db, id, out) != 1)
		log_warn("%s: round %lld changed but not read back", __func__,
		    (long long)id);
	goto out;
rollback:
	db_tx_rollback(app->db);
out:
	db_unlock(app->db);
	return e;
}

/*
 * Delete round id, which was never opened (a round made by mistake, or
 * with the wrong form), with its codes, kiosks and counts; its audit
 * line keeps the title.  Not an open round (close it first), nor one
 * that was ever open (archive it instead): it may hold a few answers
 * that its counts, in steps of min_cell, do not show, and refusing only
 * when it does would tell that someone answered.  ERR_NO_ROUND,
 * ERR_ROUND_OPEN, ERR_ROUND_WAS_OPENED, ERR_UNAVAILABLE.
 */
enum err
rounds_delete(struct app *app, const char *actor, int64_t id)
{
	struct round	rd;
	enum err	e = ERR_UNAVAILABLE;
	int		rc;

	db_lock(app->db);
	if (db_tx_begin(app->db) == -1)
		goto out;
	if ((rc = db_round_get(app->db, id, &rd)) != 1) {
		e = rc == 0 ? ERR_NO_ROUND : ERR_UNAVAILABLE;
		goto rollback;
	}
	if (rd.open) {
		e = ERR_ROUND_OPEN;
		goto rollback;
	}
	if (rd.opened || rd.final) {
		e = ERR_ROUND_WAS_OPENED;
		goto rollback;
	}
	if (db_round_delete(app->db, id) != 1 ||
	    audit_round(app, actor, "round.delete", &rd) == -1 ||
	    db_tx_commit(app->db) == -1)
		goto rollback;
	e = ERR_OK;
	formdoc_forget(id);
	goto out;
rollback:
	db_tx_rollback(app->db);
out:
	db_unlock(app->db);
	return e;
}

/* A round as JSON, for the API and "round list --json" (caller owns). */
json_t *
rounds_json(const struct app *app, const struct round *rd)
{
	const struct form	*f = formset_get(app->forms, rd->form_id);

	return json_pack("{s:I, s:s, s:s?, s:s?, s:s, s:s, s:b, s:b, s:b, "
	    "s:I, s:b, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}",
	    "id", (json_int_t)rd->id,
	    "form", rd->form_id,
	    "instrument", f == NULL ? NULL : f->instrument,
	    "audience", f == NULL ? NULL :
	    (f->internal ? "internal" : "external"),
	    "title", rd->title,
	    "state", rd->open ? "open" : "closed",
	    "final", rd->final,
	    "archived", rd->archived,
	    "opened", rd->opened,
	    "population", (json_int_t)rd->population,
	    "public", rd->public,
	    "min_cell", (json_int_t)rd->min_cell,
	    "respondents", (json_int_t)rd->respondents,
	    "scored", (json_int_t)rd->scored,
	    "minimum", (json_int_t)(f == NULL ? 0 :
	    score_sample_minimum(f, rd->population)),
	    "tokens_issued", (json_int_t)rd->tokens_issued,
	    "tokens_used", (json_int_t)rd->tokens_used,
	    "kiosks", (json_int_t)rd->kiosks,
	    "created_at", (json_int_t)rd->created_at);
}

/*
 * The scores document of round id from its published snapshot, with the
 * round's title and state (caller owns *out).  ERR_NO_ROUND,
 * ERR_FORM_MISSING, ERR_INTERNAL.
 */
enum err
rounds_scores(struct app *app, int64_t id, json_t **out)
{
	struct round		 rd;
	const struct form	*f;
	struct form_counts	 c = { NULL, NULL };
	enum err		 e = ERR_INTERNAL;
	int			 rc;

	*out = NULL;
	db_lock(app->db);
	if ((rc = db_round_get(app->db, id, &rd)) != 1) {
		e = rc == 0 ? ERR_NO_ROUND : ERR_INTERNAL;
		goto out;
	}
	if ((f = formset_get(app->forms, rd.form_id)) == NULL) {
		log_err("round %lld: form %s is not loaded", (long long)id,
		    rd.form_id);
		e = ERR_FORM_MISSING;
		goto out;
	}
	c.form = f;
	c.n = xcalloc(f->ncounts, sizeof(*c.n));
	if (db_published_each(app->db, id, form_counts_put, &c) == -1)
		goto out;
	*out = score_document(f, rd.id, rd.respondents,
	    rd.scored >= rd.min_cell ? rd.scored : 0, rd.population, c.n);
	if (*out == NULL)
		goto out;
	json_object_set_new(*out, "title", json_string(rd.title));
	json_object_set_new(*out, "state", json_string(rd.open ? "open" :
	    "closed"));
	e = ERR_OK;
out:
	db_unlock(app->db);
	free(c.n);
	return e;
}
