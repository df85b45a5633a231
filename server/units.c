/* SPDX-License-Identifier: ISC */
/*
 * Organisational units ("กองคลัง"): access codes and kiosks may carry
 * one, and a response then carries it and nothing more (no code, no
 * kiosk, no time).  Per-unit figures are published so that no group too
 * small to hide in can be seen, directly or by subtraction:
 *
 *  1. each unit's counts have their own published snapshot, taken when
 *     the unit's responses reach a multiple of the round's min_cell
 *     (writer.c), so a unit's figures move only in steps of min_cell,
 *     like the round's;
 *  2. a unit whose snapshot is still empty (fewer than min_cell
 *     responses) is hidden, and so, always, are the responses that carry
 *     no unit (no counts are kept for them);
 *  3. when exactly one group is hidden, the round's figures minus the
 *     shown units' would point at it, so the smallest shown unit is
 *     hidden too: smallest by its published count, then by name, never
 *     by an exact count, which would itself tell something.
 *
 * Rule 1 also means that every sum or difference of published counts
 * holds a multiple of min_cell answers to each required question, so no
 * group of fewer can be recovered exactly from any of them; rule 3 keeps
 * even the plain subtraction of totals from pointing at one unit.
 */
#include <stdlib.h>
#include <string.h>

#include "actions.h"
#include "unitdb.h"

/*
 * Copy name without leading and trailing spaces into out (UNIT_NAME_MAX
 * + 1 bytes).  1 when the result is a valid unit name, else 0.
 */
int
units_name(const char *name, char out[UNIT_NAME_MAX + 1])
{
	size_t	len;

	out[0] = '\0';
	if (name == NULL)
		return 0;
	while (*name == ' ')
		name++;
	len = strnlen(name, UNIT_NAME_MAX + 2);
	while (len > 0 && name[len - 1] == ' ')
		len--;
	if (len == 0 || len > UNIT_NAME_MAX)
		return 0;
	memcpy(out, name, len);
	out[len] = '\0';
	return text_ok(out, UNIT_NAME_MAX);
}

/*
 * Inside the caller's transaction (db_lock held): the unit called name,
 * made if new, takes part in round with tokens more codes.  *unit: its
 * id.  ERR_BAD_UNIT, ERR_UNITS_MAX, ERR_UNAVAILABLE.
 */
enum err
units_enter(struct app *app, int64_t round, const char *name,
    int64_t tokens, int64_t *unit)
{
	char	canon[UNIT_NAME_MAX + 1];
	int64_t	n;
	int	rc;

	*unit = 0;
	if (!units_name(name, canon))
		return ERR_BAD_UNIT;
	if ((rc = unitdb_find(app->db, canon, unit)) == -1)
		return ERR_UNAVAILABLE;
	if (rc == 0) {
		if (unitdb_count(app->db, 0, &n) == -1)
			return ERR_UNAVAILABLE;
		if (n >= UNITS_MAX)
			return ERR_UNITS_MAX;
		if (unitdb_add(app->db, canon, unit) == -1)
			return ERR_UNAVAILABLE;
	}
	if (unitdb_join(app->db, round, *unit, tokens) == -1 ||
	    unitdb_count(app->db, round, &n) == -1)
		return ERR_UNAVAILABLE;
	return n > UNITS_PER_ROUND ? ERR_UNITS_MAX : ERR_OK;
}

/*
 * Which of n units may be shown (rules 2 and 3 above): scored[i] is unit
 * i's published count, the units in name order; "unassigned" says the
 * round may hold responses without a unit, a group that is always hidden.
 * Sets shown[i] to 1 or 0 and returns how many groups are hidden.
 */
size_t
units_suppress(const int64_t *scored, size_t n, int unassigned,
    int64_t min_cell, int *shown)
{
	size_t	i, hidden = unassigned ? 1 : 0, least = n;

	for (i = 0; i < n; i++) {
		shown[i] = scored[i] >= min_cell && scored[i] > 0;
		if (!shown[i])
			hidden++;
		else if (least == n || scored[i] < scored[least])
			least = i;
	}
	if (hidden == 1 && least < n) {
		shown[least] = 0;
		hidden++;
	}
	return hidden;
}

/*
 * The figures of one shown unit from the scores document of its
 * snapshot: scores of the unit, its indicators and items, never counts
 * per option.  NULL on failure.
 */
static json_t *
unit_figures(const char *name, int64_t scored, json_t *doc)
{
	json_t	*o, *inds, *ind, *items, *it, *a, *b;
	size_t	 i, k;

	o = json_pack("{s:s, s:b, s:I, s:O, s:O, s:O}", "name", name,
	    "shown", 1, "respondents", (json_int_t)scored,
	    "score", json_object_get(doc, "score"),
	    "grade", json_object_get(doc, "grade"),
	    "meets_target", json_object_get(doc, "meets_target"));
	if (o == NULL || json_object_set_new(o, "indicators",
	    inds = json_array()) == -1)
		goto fail;
	json_array_foreach(json_object_get(doc, "indicators"), i, ind) {
		if ((a = json_pack("{s:O, s:O}", "code",
		    json_object_get(ind, "code"), "score",
		    json_object_get(ind, "score"))) == NULL ||
		    json_array_append_new(inds, a) == -1 ||
		    json_object_set_new(a, "items", items = json_array()) == -1)
			goto fail;
		json_array_foreach(json_object_get(ind, "items"), k, it)
			if ((b = json_pack("{s:O, s:O}", "code",
			    json_object_get(it, "code"), "score",
			    json_object_get(it, "score"))) == NULL ||
			    json_array_append_new(items, b) == -1)
				goto fail;
	}
	return o;
fail:
	json_decref(o);
	return NULL;
}

/* Names of the form's indicators and items, for a table's headings. */
static json_t *
form_heads(const struct form *f)
{
	json_t	*inds, *ind, *items;
	size_t	 i, k;

	if ((inds = json_array()) == NULL)
		return NULL;
	for (i = 0; i < f->ninds; i++) {
		ind = json_pack("{s:s, s:{s:s, s:s}}", "code", f->inds[i].code,
		    "name", "th", f->inds[i].name.th, "en", f->inds[i].name.en);
		if (ind == NULL || json_array_append_new(inds, ind) == -1 ||
		    json_object_set_new(ind, "items", items = json_array()) == -1)
			goto fail;
		for (k = 0; k < f->inds[i].nitems; k++)
			if (json_array_append_new(items, json_pack("{s:s, "
			    "s:{s:s, s:s}}", "code", f->inds[i].items[k].code,
			    "text", "th", f->inds[i].items[k].text.th, "en",
			    f->inds[i].items[k].text.en)) == -1)
				goto fail;
	}
	return inds;
fail:
	json_decref(inds);
	return NULL;
}

/*
 * The per-unit scores document of round (caller owns *out): every unit
 * of the round by name, each shown with its published figures or hidden
 * without any.  ERR_NO_ROUND, ERR_FORM_MISSING, ERR_INTERNAL.
 */
enum err
units_document(struct app *app, int64_t round, json_t **out)
{
	struct round		 rd;
	const struct form	*f;
	struct unit_part	*parts = NULL;
	struct form_counts	 c = { NULL, NULL };
	json_t			*doc = NULL, *units, *one, *sd;
	int64_t			*scored = NULL, tokens = 0, bare = 0;
	int			*shown = NULL, unassigned;
	size_t			 n = 0, i, hidden;
	enum err		 e = ERR_INTERNAL;
	int			 rc;

	*out = NULL;
	db_lock(app->db);
	if ((rc = db_round_get(app->db, round, &rd)) != 1) {
		e = rc == 0 ? ERR_NO_ROUND : ERR_INTERNAL;
		goto out;
	}
	if ((f = formset_get(app->forms, rd.form_id)) == NULL) {
		e = ERR_FORM_MISSING;
		goto out;
	}
	if (unitdb_parts(app->db, round, &parts, &n) == -1 ||
	    unitdb_kiosks_without(app->db, round, &bare) == -1)
		goto out;
	scored = xcalloc(n + 1, sizeof(*scored));
	shown = xcalloc(n + 1, sizeof(*shown));
	for (i = 0; i < n; i++) {
		scored[i] = parts[i].scored;
		tokens += parts[i].tokens_issued;
	}
	/* Could the round hold responses that carry no unit? */
	unassigned = f->internal ? rd.tokens_issued > tokens :
	    rd.public || bare > 0;
	hidden = units_suppress(scored, n, unassigned, rd.min_cell, shown);
	doc = json_pack("{s:I, s:s, s:s, s:s, s:I, s:I, s:I, s:b, s:I}",
	    "round", (json_int_t)rd.id, "title", rd.title, "form", f->id,
	    "instrument", f->instrument, "min_cell", (json_int_t)rd.min_cell,
	    "respondents", (json_int_t)rd.respondents,
	    "scored", (json_int_t)(rd.scored >= rd.min_cell ? rd.scored : 0),
	    "unassigned", unassigned, "hidden", (json_int_t)hidden);
	if (doc == NULL ||
	    json_object_set_new(doc, "target", json_real(
	    score_to_double(f->target))) == -1 ||
	    json_object_set_new(doc, "indicators", form_heads(f)) == -1 ||
	    json_object_set_new(doc, "units", units = json_array()) == -1)
		goto out;
	c.form = f;
	c.n = xcalloc(f->ncounts, sizeof(*c.n));
	for (i = 0; i < n; i++) {
		if (!shown[i]) {
			one = json_pack("{s:s, s:b}", "name", parts[i].name,
			    "shown", 0);
		} else {
			memset(c.n, 0, f->ncounts * sizeof(*c.n));
			if (unitdb_published_each(app->db, round, parts[i].id,
			    form_counts_put, &c) == -1)
				goto out;
			sd = score_document(f, round, parts[i].scored,
			    parts[i].scored, 0, c.n);
			one = sd == NULL ? NULL :
			    unit_figures(parts[i].name, parts[i].scored, sd);
			json_decref(sd);
		}
		if (one == NULL || json_array_append_new(units, one) == -1)
			goto out;
	}
	*out = doc;
	doc = NULL;
	e = ERR_OK;
out:
	db_unlock(app->db);
	json_decref(doc);
	free(c.n);
	free(parts);
	free(scored);
	free(shown);
	return e;
}

/* Every unit's name: {"units": [...]}.  ERR_INTERNAL. */
enum err
units_names(struct app *app, json_t **out)
{
	json_t	*a;
	int	 rc;

	db_lock(app->db);
	rc = unitdb_names(app->db, &a);
	db_unlock(app->db);
	if (rc == -1 || (*out = json_pack("{s:o}", "units", a)) == NULL)
		return ERR_INTERNAL;
	return ERR_OK;
}

/* The unit called name in a per-unit document's "units", or NULL. */
static json_t *
unit_named(json_t *doc, const char *name)
{
	json_t	*u;
	size_t	 i;

	json_array_foreach(json_object_get(doc, "units"), i, u)
		if (strcmp(json_string_value(json_object_get(u, "name")),
		    name) == 0)
			return u;
	return NULL;
}

/* A printed score (two decimals, 0..100) back in hundredths. */
static int64_t
hundredths(json_t *v)
{
	return (int64_t)(json_number_value(v) * 100.0 + 0.5);
}

/* {"respondents", "score"} of a shown unit, or null: nothing else. */
static json_t *
unit_side(json_t *u)
{
	if (u == NULL || !json_is_true(json_object_get(u, "shown")))
		return json_null();
	return json_pack("{s:O, s:O}", "respondents",
	    json_object_get(u, "respondents"), "score",
	    json_object_get(u, "score"));
}

/*
 * The units of two per-unit documents side by side, for a comparison:
 * every unit of either round by name, each side the unit's published
 * respondents and score when that round shows it, else null, and the
 * change when both do.  Each round's own rule decides what it shows, so
 * nothing appears here that its round's document does not show.  A new
 * array, or NULL.
 */
static int
name_cmp(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

json_t *
units_compare(json_t *a, json_t *b)
{
	json_t		*out, *u, *one, *sa, *sb, *x, *y;
	const char	**names;
	size_t		 i, k, n = 0;

	if ((out = json_array()) == NULL)
		return NULL;
	names = xcalloc(json_array_size(json_object_get(a, "units")) +
	    json_array_size(json_object_get(b, "units")) + 1, sizeof(*names));
	for (k = 0; k < 2; k++)
		json_array_foreach(json_object_get(k == 0 ? a : b, "units"), i,
		    u)
			names[n++] = json_string_value(json_object_get(u,
			    "name"));
	qsort(names, n, sizeof(*names), name_cmp);
	for (i = 0; i < n; i++) {
		if (i > 0 && strcmp(names[i], names[i - 1]) == 0)
			continue;
		sa = unit_side(unit_named(a, names[i]));
		sb = unit_side(unit_named(b, names[i]));
		x = json_object_get(sa, "score");
		y = json_object_get(sb, "score");
		one = json_pack("{s:s, s:o, s:o, s:o}", "name", names[i],
		    "a", sa, "b", sb, "change", json_is_number(x) &&
		    json_is_number(y) ? json_real(score_to_double(
		    hundredths(x) - hundredths(y))) : json_null());
		if (one == NULL || json_array_append_new(out, one) == -1) {
			json_decref(out);
			out = NULL;
			break;
		}
	}
	free(names);
	return out;
}
