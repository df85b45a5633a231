/* SPDX-License-Identifier: ISC */
/*
 * Two rounds of one instrument side by side (this year's IIT against last
 * year's), and the items of a round below the target, weakest first, with
 * their answers and the guidance for their indicator.  Only published
 * figures take part: each round's published snapshot, as its scores page
 * shows it, so nothing here moves with one response.
 *
 * Each figure carries a 95 % interval worked out from its answer counts
 * alone (README.md, "Comparing rounds"): a question's mean has the
 * standard error s / sqrt(n) of its answers' points; an item's score is
 * the mean of its k questions' means, so its error is
 * sqrt(sum SE_q^2) / k, as if the questions were independent (the counts
 * say nothing of how one person's answers go together); an indicator's
 * and the instrument's likewise from their parts.  A change's interval
 * adds the two rounds' errors in quadrature; it is "significant" when
 * the interval leaves out 0.  The first half of this file is that
 * arithmetic, pure; the second builds the documents.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "actions.h"

#define Z95	1.96	/* the normal quantile of a two-sided 95 % interval */

/* ---- the arithmetic ---- */

/* x rounded to two decimals, as every figure of the documents is. */
double
compare_round2(double x)
{
	return round(x * 100.0) / 100.0;
}

static double
clip(double x, double lo, double hi)
{
	return x < lo ? lo : x > hi ? hi : x;
}

/*
 * The estimate of question q from counts (a form's count array): its
 * score exactly as score_document has it (hundredths, half up), and from
 * n >= 2 answers the standard error of its mean in points: with x_i the
 * points of option i (the reverse points for a reverse question), c_i
 * its count and m the unrounded mean, s^2 = sum c_i (x_i - m)^2 / (n - 1)
 * and SE = s / sqrt(n).  Returns 0, or -1 when a count is negative.
 */
int
compare_question(const struct question *q, const int64_t *counts,
    struct estimate *e)
{
	const struct option	*o;
	double			 m, ss = 0, x;
	int64_t			 sum = 0, c, p;
	size_t			 i;

	memset(e, 0, sizeof(*e));
	for (i = 0; i < q->scale->nopts; i++) {
		o = &q->scale->opts[i];
		c = counts[q->base + i];
		p = q->reverse ? o->rpoints : o->points;
		if (c < 0 || p < 0)
			return -1;
		sum += c * p;
		e->n += c;
	}
	if (e->n == 0)
		return 0;
	e->has = 1;
	e->score = score_round_div(sum, e->n);
	if (e->n < 2)
		return 0;
	m = (double)sum / (double)e->n;
	for (i = 0; i < q->scale->nopts; i++) {
		o = &q->scale->opts[i];
		x = (double)(q->reverse ? o->rpoints : o->points) - m;
		ss += (double)counts[q->base + i] * x * x;
	}
	/* Hundredths of a point to points. */
	e->se = sqrt(ss / (double)(e->n - 1) / (double)e->n) / 100.0;
	e->has_se = 1;
	return 0;
}

/*
 * The estimate of a mean of n parts (an item of its questions, an
 * indicator of its items, the instrument of its indicators): the score
 * as score_document takes it, the half-up mean of the parts that have
 * one; SE = sqrt(sum SE_i^2) / k over those k parts, when each of them
 * has one; n the fewest answers behind any of them.
 */
void
compare_combine(const struct estimate *parts, size_t n,
    struct estimate *out)
{
	int64_t	sum = 0, k = 0;
	double	ss = 0;
	size_t	i;
	int	all_se = 1;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < n; i++) {
		if (!parts[i].has)
			continue;
		if (k == 0 || parts[i].n < out->n)
			out->n = parts[i].n;
		sum += parts[i].score;
		k++;
		if (parts[i].has_se)
			ss += parts[i].se * parts[i].se;
		else
			all_se = 0;
	}
	if (k == 0)
		return;
	out->has = 1;
	out->score = score_round_div(sum, k);
	if (all_se) {
		out->has_se = 1;
		out->se = sqrt(ss) / (double)k;
	}
}

/*
 * The 95 % interval of e in points, score +- 1.96 SE, rounded to two
 * decimals and kept within 0..100.  1, or 0 when e has no interval.
 */
int
compare_interval(const struct estimate *e, double *low, double *high)
{
	double	s;

	if (!e->has || !e->has_se)
		return 0;
	s = score_to_double(e->score);
	*low = clip(compare_round2(s - Z95 * e->se), 0, 100);
	*high = clip(compare_round2(s + Z95 * e->se), 0, 100);
	return 1;
}

/*
 * The change a - b in points and its 95 % interval, change +- 1.96
 * sqrt(SE_a^2 + SE_b^2) rounded to two decimals; significant when that
 * interval leaves out 0.  0 when either side has no score, 1 with only
 * *change set (a side has no interval), 2 with all of them set.
 */
int
compare_change(const struct estimate *a, const struct estimate *b,
    double *change, double *low, double *high, int *significant)
{
	double	d;

	if (!a->has || !b->has)
		return 0;
	*change = score_to_double(a->score - b->score);
	if (!a->has_se || !b->has_se)
		return 1;
	d = Z95 * sqrt(a->se * a->se + b->se * b->se);
	*low = compare_round2(*change - d);
	*high = compare_round2(*change + d);
	*significant = *low > 0 || *high < 0;
	return 2;
}

/* ---- the documents ---- */

/* One round as the comparison reads it. */
struct side {
	int64_t			 id;		/* 0: no such side */
	struct round		 rd;
	const struct form	*f;		/* borrowed */
	int64_t			*counts;	/* owned; NULL unpublished */
};

/* Read round id and its published snapshot.  ERR_NO_ROUND etc. */
static enum err
side_load(struct app *app, int64_t id, struct side *s)
{
	struct form_counts	c;
	enum err		e = ERR_INTERNAL;
	int			rc;

	memset(s, 0, sizeof(*s));
	s->id = id;
	db_lock(app->db);
	if ((rc = db_round_get(app->db, id, &s->rd)) != 1) {
		e = rc == 0 ? ERR_NO_ROUND : ERR_INTERNAL;
		goto out;
	}
	if ((s->f = formset_get(app->forms, s->rd.form_id)) == NULL) {
		log_err("round %lld: form %s is not loaded", (long long)id,
		    s->rd.form_id);
		e = ERR_FORM_MISSING;
		goto out;
	}
	if (s->rd.scored >= s->rd.min_cell && s->rd.scored > 0) {
		s->counts = xcalloc(s->f->ncounts, sizeof(*s->counts));
		c.form = s->f;
		c.n = s->counts;
		if (db_published_each(app->db, id, form_counts_put, &c) == -1)
			goto out;
	}
	e = ERR_OK;
out:
	db_unlock(app->db);
	return e;
}

static void
side_free(struct side *s)
{
	free(s->counts);
	s->counts = NULL;
}

/* Item it's estimate on side s (nothing when unpublished).  0 or -1. */
static int
item_est(const struct side *s, const struct item *it, struct estimate *out)
{
	struct estimate	*qs;
	size_t		 i;
	int		 rc = 0;

	memset(out, 0, sizeof(*out));
	if (s->counts == NULL || it == NULL)
		return 0;
	qs = xcalloc(it->nqs, sizeof(*qs));
	for (i = 0; i < it->nqs && rc == 0; i++)
		rc = compare_question(&it->qs[i], s->counts, &qs[i]);
	if (rc == 0)
		compare_combine(qs, it->nqs, out);
	free(qs);
	return rc;
}

static int
ind_est(const struct side *s, const struct indicator *ind,
    struct estimate *out)
{
	struct estimate	*is;
	size_t		 i;
	int		 rc = 0;

	memset(out, 0, sizeof(*out));
	if (s->counts == NULL || ind == NULL)
		return 0;
	is = xcalloc(ind->nitems, sizeof(*is));
	for (i = 0; i < ind->nitems && rc == 0; i++)
		rc = item_est(s, &ind->items[i], &is[i]);
	if (rc == 0)
		compare_combine(is, ind->nitems, out);
	free(is);
	return rc;
}

static int
form_est(const struct side *s, struct estimate *out)
{
	struct estimate	*is;
	size_t		 i;
	int		 rc = 0;

	memset(out, 0, sizeof(*out));
	if (s->counts == NULL)
		return 0;
	is = xcalloc(s->f->ninds, sizeof(*is));
	for (i = 0; i < s->f->ninds && rc == 0; i++)
		rc = ind_est(s, &s->f->inds[i], &is[i]);
	if (rc == 0)
		compare_combine(is, s->f->ninds, out);
	free(is);
	return rc;
}

static json_t *
label_json(const struct label *l)
{
	return json_pack("{s:s, s:s}", "th", l->th, "en", l->en);
}

static json_t *
real_or_null(int has, double v)
{
	return has ? json_real(v) : json_null();
}

/* {"score", "low", "high"[, "n"]}, or null when e has no score. */
static json_t *
est_json(const struct estimate *e, int with_n)
{
	json_t	*o;
	double	 lo = 0, hi = 0;
	int	 has;

	if (!e->has)
		return json_null();
	has = compare_interval(e, &lo, &hi);
	o = json_pack("{s:f, s:o, s:o}", "score", score_to_double(e->score),
	    "low", real_or_null(has, lo), "high", real_or_null(has, hi));
	if (o != NULL && with_n)
		json_object_set_new(o, "n", json_integer(e->n));
	return o;
}

/* Set "change", "change_low", "change_high" and "significant" on o. */
static int
change_set(json_t *o, const struct estimate *a, const struct estimate *b)
{
	double	c = 0, lo = 0, hi = 0;
	int	sig = 0, k;

	k = compare_change(a, b, &c, &lo, &hi, &sig);
	return json_object_set_new(o, "change", real_or_null(k > 0, c)) ||
	    json_object_set_new(o, "change_low", real_or_null(k > 1, lo)) ||
	    json_object_set_new(o, "change_high", real_or_null(k > 1, hi)) ||
	    json_object_set_new(o, "significant", k > 1 ?
	    json_boolean(sig) : json_null()) ? -1 : 0;
}

static const struct indicator *
find_ind(const struct form *f, const char *code)
{
	size_t	i;

	for (i = 0; f != NULL && i < f->ninds; i++)
		if (strcmp(f->inds[i].code, code) == 0)
			return &f->inds[i];
	return NULL;
}

static const struct item *
find_item(const struct indicator *ind, const char *code)
{
	size_t	i;

	for (i = 0; ind != NULL && i < ind->nitems; i++)
		if (strcmp(ind->items[i].code, code) == 0)
			return &ind->items[i];
	return NULL;
}

/* Codes as people count: "i9" before "i10". */
static int
code_order(const char *x, const char *y)
{
	if (strlen(x) != strlen(y))
		return strlen(x) < strlen(y) ? -1 : 1;
	return strcmp(x, y);
}

/* The weak items being collected, sorted at the end. */
struct weak {
	json_t	**v;
	size_t	  n;
};

/*
 * The answers to item it on side s: per question its n and each option's
 * count and share in percent (two decimals).
 */
static json_t *
distribution(const struct side *s, const struct item *it)
{
	const struct question	*q;
	json_t			*arr = json_array(), *opts, *o;
	int64_t			 n, c;
	size_t			 i, j;

	for (i = 0; i < it->nqs; i++) {
		q = &it->qs[i];
		for (j = 0, n = 0; j < q->scale->nopts; j++)
			n += s->counts[q->base + j];
		opts = json_array();
		for (j = 0; j < q->scale->nopts; j++) {
			c = s->counts[q->base + j];
			json_array_append_new(opts, json_pack("{s:s, s:o, s:I, "
			    "s:f}", "value", q->scale->opts[j].value, "label",
			    label_json(&q->scale->opts[j].label), "count",
			    (json_int_t)c, "percent", n == 0 ? 0.0 :
			    compare_round2((double)c * 100.0 / (double)n)));
		}
		o = json_pack("{s:s, s:o, s:b, s:I, s:o}", "question", q->code,
		    "text", label_json(&q->text), "reverse", q->reverse, "n",
		    (json_int_t)n, "options", opts);
		json_array_append_new(arr, o);
	}
	return arr;
}

/* Keep item row o (of indicator ind, on side a) as a weak item. */
static void
weak_add(struct weak *w, const struct side *a, const struct indicator *ind,
    const struct item *it, json_t *row)
{
	json_t	*o, *est = json_object_get(row, "a");

	o = json_pack("{s:s, s:o, s:{s:s, s:o}, s:O, s:O, s:O, s:O, s:O, "
	    "s:O, s:O}", "code", it->code, "text", label_json(&it->text),
	    "indicator", "code", ind->code, "name", label_json(&ind->name),
	    "score", json_object_get(est, "score"),
	    "low", json_object_get(est, "low"),
	    "high", json_object_get(est, "high"),
	    "change", json_object_get(row, "change"),
	    "change_low", json_object_get(row, "change_low"),
	    "change_high", json_object_get(row, "change_high"),
	    "significant", json_object_get(row, "significant"));
	if (o == NULL)
		return;
	json_object_set_new(o, "distribution", distribution(a, it));
	w->v = xreallocarray(w->v, w->n + 1, sizeof(*w->v));
	w->v[w->n++] = o;
}

static int
weak_cmp(const void *x, const void *y)
{
	json_t	*a = *(json_t *const *)x, *b = *(json_t *const *)y;
	double	 sa = json_number_value(json_object_get(a, "score"));
	double	 sb = json_number_value(json_object_get(b, "score"));

	if (sa != sb)
		return sa < sb ? -1 : 1;
	return code_order(json_string_value(json_object_get(a, "code")),
	    json_string_value(json_object_get(b, "code")));
}

/*
 * The row of item code (it on side a, jt on side b; either may be NULL)
 * appended to items; a weak item of a is kept in w.  0 or -1.
 */
static int
item_row(json_t *items, const struct side *a, const struct side *b,
    const struct indicator *ind, const struct item *it,
    const struct item *jt, struct weak *w)
{
	struct estimate	 ea, eb;
	json_t		*o;
	const struct item *any = it != NULL ? it : jt;

	if (item_est(a, it, &ea) == -1 || item_est(b, jt, &eb) == -1)
		return -1;
	if ((o = json_pack("{s:s, s:o, s:o, s:o}", "code", any->code, "text",
	    label_json(&any->text), "a", est_json(&ea, 1), "b",
	    est_json(&eb, 1))) == NULL ||
	    json_array_append_new(items, o) == -1 || change_set(o, &ea, &eb))
		return -1;
	if (it != NULL && ea.has && ea.score < a->f->target)
		weak_add(w, a, ind, it, o);
	return 0;
}

/* The row of indicator i (on a) / j (on b) with its items.  0 or -1. */
static int
ind_row(json_t *inds, const struct side *a, const struct side *b,
    const struct indicator *i, const struct indicator *j, struct weak *w)
{
	struct estimate		 ea, eb;
	const struct indicator	*any = i != NULL ? i : j;
	json_t			*o, *items;
	size_t			 k;

	if (ind_est(a, i, &ea) == -1 || ind_est(b, j, &eb) == -1)
		return -1;
	if ((o = json_pack("{s:s, s:o, s:o, s:o}", "code", any->code, "name",
	    label_json(&any->name), "a", est_json(&ea, 0), "b",
	    est_json(&eb, 0))) == NULL ||
	    json_array_append_new(inds, o) == -1 || change_set(o, &ea, &eb) ||
	    json_object_set_new(o, "items", items = json_array()) == -1)
		return -1;
	for (k = 0; i != NULL && k < i->nitems; k++)
		if (item_row(items, a, b, i, &i->items[k],
		    find_item(j, i->items[k].code), w) == -1)
			return -1;
	for (k = 0; j != NULL && k < j->nitems; k++)
		if (find_item(i, j->items[k].code) == NULL &&
		    item_row(items, a, b, i, NULL, &j->items[k], w) == -1)
			return -1;
	return 0;
}

static json_t *
round_json(const struct side *s, const struct estimate *e)
{
	const char	*grade = e->has ? score_grade(s->f, e->score) : NULL;

	return json_pack("{s:I, s:s, s:s, s:b, s:I, s:o, s:o}",
	    "id", (json_int_t)s->id, "title", s->rd.title, "form", s->f->id,
	    "published", s->counts != NULL,
	    "scored", (json_int_t)(s->counts != NULL ? s->rd.scored : 0),
	    "score", real_or_null(e->has, score_to_double(e->score)),
	    "grade", grade != NULL ? json_string(grade) : json_null());
}

/* The target as the scores document has it: 85, or 84.5. */
static json_t *
target_json(int64_t target)
{
	if (target % 100 == 0)
		return json_integer(target / 100);
	return json_real(score_to_double(target));
}

/*
 * The units of both rounds side by side in doc's "units" (units.c): each
 * round's own rule decides what of it is shown.  0 or -1.
 */
static int
units_side_by_side(struct app *app, int64_t ida, int64_t idb, json_t *doc)
{
	json_t	*ua = NULL, *ub = NULL, *arr = NULL;
	int	 rc = -1;

	if (units_document(app, ida, &ua) == ERR_OK &&
	    units_document(app, idb, &ub) == ERR_OK &&
	    (arr = units_compare(ua, ub)) != NULL)
		rc = json_object_set_new(doc, "units", arr);
	json_decref(ua);
	json_decref(ub);
	return rc;
}

/*
 * The comparison document of round a with round b (0: none, for the
 * weak items alone) in *out.  ERR_NO_ROUND, ERR_FORM_MISSING,
 * ERR_NOT_COMPARABLE, ERR_SAME_ROUND, ERR_INTERNAL.
 */
static enum err
build(struct app *app, int64_t ida, int64_t idb, json_t **out)
{
	struct side	 a, b;
	struct estimate	 ea, eb;
	struct weak	 w = { NULL, 0 };
	json_t		*doc = NULL, *inds, *rounds, *sc, *weak, *g;
	const char	*code;
	double		 lo, hi;
	size_t		 k;
	enum err	 e;
	int		 has;

	*out = NULL;
	memset(&b, 0, sizeof(b));
	if (ida == idb)
		return ERR_SAME_ROUND;
	if ((e = side_load(app, ida, &a)) != ERR_OK)
		return e;
	if (idb != 0 && (e = side_load(app, idb, &b)) != ERR_OK)
		goto out;
	e = ERR_NOT_COMPARABLE;
	if (idb != 0 && strcmp(a.f->instrument, b.f->instrument) != 0)
		goto out;
	e = ERR_INTERNAL;
	if (form_est(&a, &ea) == -1 || form_est(&b, &eb) == -1)
		goto out;
	doc = json_pack("{s:I, s:o, s:s, s:o, s:[o], s:{s:o, s:o}, s:[], "
	    "s:[], s:[]}", "round", (json_int_t)ida,
	    "with", idb != 0 ? json_integer(idb) : json_null(),
	    "instrument", a.f->instrument,
	    "target", target_json(a.f->target),
	    "rounds", round_json(&a, &ea),
	    "score", "a", real_or_null(ea.has, score_to_double(ea.score)),
	    "b", real_or_null(eb.has, score_to_double(eb.score)),
	    "indicators", "weak", "units");
	if (doc == NULL)
		goto out;
	rounds = json_object_get(doc, "rounds");
	if (idb != 0)
		json_array_append_new(rounds, round_json(&b, &eb));
	sc = json_object_get(doc, "score");
	has = compare_interval(&ea, &lo, &hi);
	json_object_set_new(sc, "a_low", real_or_null(has, lo));
	json_object_set_new(sc, "a_high", real_or_null(has, hi));
	has = compare_interval(&eb, &lo, &hi);
	json_object_set_new(sc, "b_low", real_or_null(has, lo));
	json_object_set_new(sc, "b_high", real_or_null(has, hi));
	if (change_set(sc, &ea, &eb) == -1)
		goto out;
	inds = json_object_get(doc, "indicators");
	for (k = 0; k < a.f->ninds; k++)
		if (ind_row(inds, &a, &b, &a.f->inds[k], find_ind(b.f,
		    a.f->inds[k].code), &w) == -1)
			goto out;
	for (k = 0; b.f != NULL && k < b.f->ninds; k++)
		if (find_ind(a.f, b.f->inds[k].code) == NULL &&
		    ind_row(inds, &a, &b, NULL, &b.f->inds[k], &w) == -1)
			goto out;
	if (w.n > 0)
		qsort(w.v, w.n, sizeof(*w.v), weak_cmp);
	weak = json_object_get(doc, "weak");
	for (k = 0; k < w.n; k++) {
		code = json_string_value(json_object_get(json_object_get(w.v[k],
		    "indicator"), "code"));
		g = guidance_for(app, code);
		if (g != NULL)
			json_object_del(g, "indicator");
		json_object_set_new(w.v[k], "guidance", g != NULL ? g :
		    json_null());
		json_array_append_new(weak, w.v[k]);
		w.v[k] = NULL;
	}
	if (idb != 0 && units_side_by_side(app, ida, idb, doc) == -1)
		goto out;
	*out = doc;
	doc = NULL;
	e = ERR_OK;
out:
	for (k = 0; k < w.n; k++)
		json_decref(w.v[k]);
	free(w.v);
	json_decref(doc);
	side_free(&a);
	side_free(&b);
	return e;
}

/*
 * The comparison of round a with round b (README.md, "Comparing
 * rounds"; caller owns *out).  Errors as build().
 */
enum err
compare_rounds(struct app *app, int64_t a, int64_t b, json_t **out)
{
	if (b == 0)
		return ERR_COMPARE_WITH;
	return build(app, a, b, out);
}

/*
 * {"round", "with", "target", "weak": [...]}: round a's items below its
 * target, weakest first, with their change since round b (0: none).
 */
enum err
compare_weak(struct app *app, int64_t a, int64_t b, json_t **out)
{
	json_t		*doc;
	enum err	 e;

	*out = NULL;
	if ((e = build(app, a, b, &doc)) != ERR_OK)
		return e;
	*out = json_pack("{s:O, s:O, s:O, s:O, s:O}", "round",
	    json_object_get(doc, "round"), "with", json_object_get(doc, "with"),
	    "instrument", json_object_get(doc, "instrument"),
	    "target", json_object_get(doc, "target"),
	    "weak", json_object_get(doc, "weak"));
	json_decref(doc);
	return *out != NULL ? ERR_OK : ERR_INTERNAL;
}
